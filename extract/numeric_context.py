"""Context helpers shared by the numeric extractors: trigger words, clause windows,
qualifiers, per-unit phrases, the document year, and writing spans.

The trigger words live in ``extract/data/numeric.json``; this module turns them into
precompiled patterns once per process.

>>> qualifier_before("单家企业最高补助", 8)
'maximum'
>>> qualifier_after("及以下的小微企业", 0)
('maximum', 3)
>>> per_before("给予每人不超过", 7)
'人'
>>> clause_start("满足需求。对单户担保金额", 12)
5
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any, Iterator

from spacy.tokens import Doc, Span

import extract.attributes  # noqa: F401  (registers span._.policykg)
from extract.patterns import doc_text, trie_pattern

DATA_FILE = Path(__file__).resolve().parent / "data" / "numeric.json"

#: Characters that end a clause: a qualifier or a per-unit phrase never reaches across them.
CLAUSE_BREAKS = "，,。；;：:、！!？?\n\r\t（）()【】[]《》“”\"|"
_CLAUSE_BREAK_SET = frozenset(CLAUSE_BREAKS)
#: How far before a number a qualifier or a per-unit phrase may stand.
WINDOW = 10
CJK = "\u3400-\u9fff"
#: How far before a number a per-unit phrase may stand (单个项目资助金额最高不超过…).
PER_WINDOW = 16
#: Context keys on ``doc.user_data`` (shared with the rest of the pipeline).
CONTEXT_KEY = "policykg_context"


@cache
def triggers() -> dict[str, Any]:
    """The trigger-word lists, read once."""
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def words(*path: str) -> list[str]:
    """One trigger list by its path in the data file, ``words("dates", "deadline_after")``."""
    node: Any = triggers()
    for key in path:
        node = node[key]
    return [word for word in node if isinstance(word, str)]


@cache
def word_regex(*path: str) -> re.Pattern[str]:
    """A compiled pattern matching any word of one trigger list (longest first)."""
    return re.compile(trie_pattern(words(*path)))


@cache
def _qualifier_patterns() -> dict[str, tuple[tuple[str, re.Pattern[str]], ...]]:
    data = triggers()["qualifiers"]
    compiled: dict[str, list] = {}
    for place in ("before", "adjacent", "after"):
        vocabulary = {w: kind for kind, ws in data[place].items() for w in ws}
        # One alternation for all kinds so the longest word wins (不超过 over 超过).
        compiled[place] = [(vocabulary, re.compile(trie_pattern(vocabulary)))]
    return {key: tuple(value) for key, value in compiled.items()}


def clause_start(text: str, position: int, limit: int = WINDOW) -> int:
    """The start of the window before ``position``: at most ``limit`` characters back,
    never across a clause break."""
    start = max(0, position - limit)
    for index in range(position - 1, start - 1, -1):
        if text[index] in _CLAUSE_BREAK_SET:
            return index + 1
    return start


def qualifier_before(text: str, position: int, window_start: int | None = None) -> str | None:
    """The qualifier standing before ``position`` (the nearest one), if any."""
    if window_start is None:
        window_start = clause_start(text, position)
    window = text[window_start:position]
    (vocabulary, pattern), = _qualifier_patterns()["before"]
    found = None
    for match in pattern.finditer(window):
        found = vocabulary[match.group()]
    if found is not None:
        return found
    # A lone 超 / 逾 / 约 only counts touching the number (超50亿元, not 超长期…资金).
    stripped = window.rstrip(" \t\u3000")
    (adjacent_words, _), = _qualifier_patterns()["adjacent"]
    for size in (2, 1):
        if len(stripped) >= size and stripped[-size:] in adjacent_words:
            return adjacent_words[stripped[-size:]]
    return found


def qualifier_after(text: str, position: int) -> tuple[str | None, int]:
    """The qualifier right after ``position`` and its length (``(None, 0)`` when none)."""
    (vocabulary, pattern), = _qualifier_patterns()["after"]
    match = pattern.match(text, position)
    if match is None:
        # 50万元（含）以上: the inclusive mark may stand before the qualifier.
        inclusive = _INCLUSIVE.match(text, position)
        if inclusive is None:
            return None, 0
        match = pattern.match(text, inclusive.end())
        if match is None:
            return None, 0
    return vocabulary[match.group()], match.end() - position


_INCLUSIVE = re.compile(r"[ \t]*[（(]含[）)][ \t]*")


@cache
def _per_pattern() -> re.Pattern[str]:
    data = triggers()
    classifiers = trie_pattern(data["per_classifiers"])
    nouns = trie_pattern(data["per_nouns"])
    return re.compile(rf"(?P<marker>每|单)(?P<classifier>{classifiers})?(?P<noun>{nouns})")


#: After the bare marker 单 only these nouns make a per-unit phrase (单户, 单项 …);
#: 清单企业 or 名单人员 are not "per enterprise".
_SINGLE_CHAR_PER = frozenset("户家个项笔次场人台套")


def per_before(text: str, position: int, window_start: int | None = None) -> str | None:
    """The unit a quantity applies to, from 每人 / 每家企业 / 单个项目 / 单户 before it;
    several (每人每年) are joined with ``·`` (``人·年``)."""
    if window_start is None:
        window_start = clause_start(text, position, PER_WINDOW)
    window = text[window_start:position]
    found: list[str] = []
    for match in _per_pattern().finditer(window):
        noun = match.group("noun")
        if match.group("marker") == "单" and not match.group("classifier") and noun not in _SINGLE_CHAR_PER:
            continue
        if noun not in found:
            found.append(noun)
    # 每家企业每年最高1000万元: per enterprise and per year, written like 元/平方米·月.
    return "·".join(found) if found else None


@cache
def slash_unit_regex() -> re.Pattern[str]:
    """``/人``, ``/平方米·月``, ``／年``: a per-unit written after the quantity."""
    unit = trie_pattern(words("slash_units"))
    return re.compile(rf"[ \t]*[/／][ \t]*(?P<per>{unit}(?:[·・/／]{unit})*)")


def document_year(doc: Doc) -> int | None:
    """The year month-day dates resolve against.

    Read from ``doc.user_data["policykg_context"]["document_year"]`` (or its
    ``date_issued``, ISO) when the pipeline put it there; otherwise the year of the
    first full date written on a line of its own (the signature date), or of the first
    full date in the text.
    """
    context = doc.user_data.get(CONTEXT_KEY) or {}
    year = context.get("document_year") or doc.user_data.get("document_year")
    if isinstance(year, int) and 1000 <= year <= 9999:
        return year
    issued = context.get("date_issued") or doc.user_data.get("date_issued")
    if isinstance(issued, str) and re.match(r"^\d{4}-", issued):
        return int(issued[:4])
    return year_from_text(doc_text(doc))


_SIGNATURE_DATE = re.compile(r"(?m)([12][0-9]{3})\s*年\s*[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*日\s*$")
_ANY_FULL_DATE = re.compile(r"([12][0-9]{3})\s*年\s*[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*日")


def year_from_text(text: str) -> int | None:
    """The year of the first signature-like date (a full date ending a line), else of the
    first full date.

    >>> year_from_text("通知\\n厦门市人民政府办公厅\\n2024年10月12日\\n")
    2024
    >>> year_from_text("无日期") is None
    True
    """
    for pattern in (_SIGNATURE_DATE, _ANY_FULL_DATE):
        match = pattern.search(text[:200_000])
        if match:
            return int(match.group(1))
    return None


def make_span(doc: Doc, start: int, end: int, label: str, attributes: dict[str, Any],
              text_length: int) -> Span | None:
    """A span over ``doc.text[start:end]`` (expanded to token boundaries) carrying
    ``attributes`` plus the exact ``char_start``/``char_end`` in ``span._.policykg``.

    ``text_length`` is ``len(doc.text)``, computed once by the caller: ``Doc.text`` is
    rebuilt from the tokens on every access."""
    if not 0 <= start < end <= text_length:
        return None
    base = doc.char_span(start, end, alignment_mode="expand")
    if base is None:
        return None
    span = Span(doc, base.start, base.end, label=label, span_id=f"{start}:{end}")
    span._.policykg = {**attributes, "char_start": start, "char_end": end}
    return span


def anchored_finditer(pattern: re.Pattern[str], text: str, anchor: re.Pattern[str],
                      before: int, after: int = 1) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, but only near the anchors a match must end on.

    A match of ``pattern`` must contain an ``anchor`` (元 for amounts, % for rates) and
    be at most ``before`` characters long before it; scanning only the merged windows
    around the anchors is several times faster than trying the pattern at every
    character, and finds the same matches.

    >>> import re
    >>> [m.group() for m in anchored_finditer(re.compile("[0-9]+元"), "共3元，另有5个和12元", re.compile("元"), 10)]
    ['3元', '12元']
    """
    windows: list[list[int]] = []
    for hit in anchor.finditer(text):
        start, end = max(0, hit.start() - before), min(len(text), hit.end() + after)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    for start, end in windows:
        yield from pattern.finditer(text, start, end)


def clean_float(value: float) -> float:
    """Round away binary noise: ``3.21 / 100`` → ``0.0321``.

    >>> clean_float(3.21 / 100)
    0.0321
    """
    return float(f"{value:.12g}")
