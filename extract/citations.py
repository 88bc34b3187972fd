"""Citations of other documents: the ``policykg_citations`` component → ``doc.spans["citations"]``.

Two forms, and their combination:

* ``《关于支持中小微企业健康发展的若干措施》`` — a title in book-title brackets;
* ``工信部联财函〔2024〕192号``, ``厦府办[2022]98号`` — a document number (issuer
  abbreviation, year in any bracket style, serial, 号), or an order ``厦门市人民政府令第190号``;
* ``《…的通知》（工信部联财函〔2024〕192号）`` — one citation with both.

The document's own title and number (``doc.user_data["policykg_context"]``: ``title``,
``policy_title``, ``doc_number``) are not citations of another document.

``span._.policykg``: ``title`` (without brackets, whitespace removed) or None,
``doc_number`` (normalised: 〔〕 brackets, ASCII digits) or None, ``char_start``/``char_end``.

>>> [(c["title"], c["doc_number"]) for c in find_citations("落实《关于公布名单的通知》(工信部联财函〔2024〕192号)要求")]
[('关于公布名单的通知', '工信部联财函〔2024〕192号')]
>>> [c["doc_number"] for c in find_citations("根据厦府办[2022]98号文件")]
['厦府办〔2022〕98号']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from extract import attributes  # noqa: F401  (registers span._.policykg)
from extract.patterns import IntervalSet, doc_text

COMPONENT = "policykg_citations"
VERSION = "0.1.0"
CONTEXT_KEY = "policykg_context"

_TITLE = re.compile(r"《(?P<title>[^《》\n]{2,120})》")
# Issuer abbreviation: CJK (and the 联 of joint numbers), not starting with a function word.
# Found from the bracketed year (a rare character sequence the regex engine can scan
# for quickly), then the issuer abbreviation is read backwards from it.
_YEAR_SERIAL = re.compile(
    r"[ \t]*[〔\[【［(（][ \t]*(?P<year>(?:19|20)\d{2})[ \t]*[〕\]】］)）][ \t]*(?P<serial>\d{1,5})[ \t]*号"
)
_ORDER_SERIAL = re.compile(r"令[ \t]*第[ \t]*\d{1,5}[ \t]*号")
_PREFIX = re.compile(r"(?:(?![的了和及与在按据照见为是以将对由经把])[\u4e00-\u9fff]){1,12}$")
_PREFIX_REACH = 12


@dataclass(frozen=True)
class _NumberMatch:
    """A document number found in the text: ``text[start:end]``."""

    start_: int
    end_: int
    printed: str

    def start(self) -> int:
        return self.start_

    def end(self) -> int:
        return self.end_

    def group(self) -> str:
        return self.printed


def _numbers(text: str) -> list[_NumberMatch]:
    found = []
    for match in _ORDER_SERIAL.finditer(text):
        # 厦门市人民政府令第190号: an order numbered without a year.
        prefix = _PREFIX.search(text, max(0, match.start() - _PREFIX_REACH), match.start())
        if prefix is not None:
            found.append(_NumberMatch(prefix.start(), match.end(), text[prefix.start():match.end()]))
    for match in _YEAR_SERIAL.finditer(text):
        window_start = max(0, match.start() - _PREFIX_REACH)
        prefix = _PREFIX.search(text, window_start, match.start())
        if prefix is None:
            continue
        found.append(_NumberMatch(prefix.start(), match.end(), text[prefix.start():match.end()]))
    return sorted(found, key=lambda number: number.start())
_AFTER_TITLE = re.compile(r"[ \t]*[（(][ \t]*")
_CLOSING = re.compile(r"[ \t]*[）)]")
_SPACES = re.compile(r"\s+")


def _normalise_number(printed: str) -> str:
    from kg.clean import normalise_doc_number

    return normalise_doc_number(printed)


def _normalise_title(title: str) -> str:
    return _SPACES.sub("", title)


def find_citations(text: str, own_titles: tuple[str, ...] = (), own_number: str | None = None) -> list[dict]:
    """Citations in ``text`` as attribute dicts, in text order."""
    own = {_normalise_title(t) for t in own_titles if t}
    own_normalised = _normalise_number(own_number) if own_number else None
    found: list[dict] = []
    numbers = _numbers(text)
    number_at = {match.start(): index for index, match in enumerate(numbers)}
    used_numbers: set[int] = set()
    for match in _TITLE.finditer(text):
        title = _normalise_title(match.group("title"))
        end = match.end()
        number = None
        paren = _AFTER_TITLE.match(text, end)
        if paren and paren.end() in number_at:
            index = number_at[paren.end()]
            candidate = numbers[index]
            number = _normalise_number(candidate.group())
            used_numbers.add(index)
            closing = _CLOSING.match(text, candidate.end())
            end = closing.end() if closing else candidate.end()
        if title in own and number is None:
            continue
        found.append({"title": title, "doc_number": number, "char_start": match.start(), "char_end": end})
    titled = IntervalSet([(f["char_start"], f["char_end"]) for f in found])
    for index, match in enumerate(numbers):
        if index in used_numbers:
            continue
        number = _normalise_number(match.group())
        if number == own_normalised:
            continue
        if titled.contains(match.start()):
            continue
        found.append({"title": None, "doc_number": number, "char_start": match.start(), "char_end": match.end()})
    found.sort(key=lambda f: f["char_start"])
    return found


class CitationComponent:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        context = doc.user_data.get(CONTEXT_KEY) or {}
        own_titles = tuple(t for t in (context.get("title"), context.get("policy_title")) if t)
        spans = []
        for citation in find_citations(doc_text(doc), own_titles, context.get("doc_number")):
            start, end = citation["char_start"], citation["char_end"]
            span = doc.char_span(start, end, label="citation", alignment_mode="expand", span_id=f"{start}-{end}")
            if span is None:
                continue
            span._.policykg = citation
            spans.append(span)
        doc.spans["citations"] = spans
        return doc


@Language.factory(COMPONENT, assigns=["doc.spans"])
def make_citation_component(nlp: Language, name: str) -> CitationComponent:
    return CitationComponent(nlp, name)
