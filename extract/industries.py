"""Industries: the ``policykg_industries`` component → ``doc.spans["industries"]``.

Labels (``skos:prefLabel`` and ``skos:altLabel``) of the concepts of
``ontology/industries.ttl`` are matched on characters, longest first (jieba's tokens
do not always line up with a label: 生物医药与健康 is three tokens, 数字经济 one).
A label that is not itself an industry phrase (汽车, 储能, 人工智能) counts only in an
industry context — 汽车产业, 光电、集成电路等产业, 电子信息、生物医药等领域 — so 汽车以旧换新
is not an industry mention. The rules' words live in ``extract/data/industries.json``.

Unknown ``…产业``/``…产业集群``/``…经济`` phrases (演唱会经济) become candidate concepts
(``candidate: True``, ``concept`` a slug starting ``candidate-``); the modifier is the
jieba token before the suffix, and generic modifiers (重点产业, 主导产业) are skipped.

``span._.policykg``: ``concept`` (slug), ``label`` (the concept's preferred label, or
the phrase for a candidate), ``candidate``, ``char_start``/``char_end``.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc, Span

from extract import attributes  # noqa: F401  (registers span._.policykg)
from extract.patterns import IntervalSet, doc_text, trie_pattern
from extract.tokens import JiebaTokens, jieba_segmenter

COMPONENT = "policykg_industries"
VERSION = "0.1.0"
RULES_FILE = Path(__file__).resolve().parent / "data" / "industries.json"

_CJK = re.compile(r"[\u3400-\u9fff]+")
#: Characters that close an enumeration: the 等… context must come before them.
_CLAUSE_END = re.compile(r"[。；;！!？?\n]")
_ENUMERATION_BREAK = re.compile(r"[，,。；;：:]")
#: A label directly followed by an agency ending is part of an agency name (文旅局, 会展局).
_CLUSTER_TAIL = re.compile(r"集群|链")
_AGENCY_NEXT = re.compile(r"[局厅委办处署]")
#: A listing line or its heading holds no sentence: no clause punctuation.
_LISTING_BREAK = re.compile(r"[。；;！!？?：:，,]")
_HEADING_MAX = 30
#: What may follow a candidate phrase: a boundary, not the rest of a compound (经济社会).
#: How far back an enumeration item may reach (characters before the suffix).
_ENUMERATION_ITEM = 8
_FUNCTION_CHAR = re.compile(r"[的地得和与及或等在对为了着是将把被向从由按以于其该本各并不]")
_CANDIDATE_NEXT = re.compile(r"(?:$|[、，,。；;：:和与及等的）)”\"\s]|发展|高质量|规模|增加值|产值|体系|集聚|领域)")


@dataclass(frozen=True)
class IndustryLabel:
    concept: str
    pref_label: str
    needs_context: bool


@dataclass(frozen=True)
class IndustryMatcher:
    labels: dict[str, IndustryLabel]
    label_re: re.Pattern[str]
    context_after_re: re.Pattern[str]
    candidate_re: re.Pattern[str]
    generic_modifiers: frozenset[str]
    not_industries: frozenset[str]
    window: int


@cache
def rules() -> dict:
    with RULES_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


@cache
def matcher() -> IndustryMatcher:
    """The label automaton and context patterns, built once per process."""
    from kg.reference import industry_concepts

    data = rules()
    suffixes = tuple(data["industry_suffixes"])
    infixes = tuple(data["context_labels_infix"])
    labels: dict[str, IndustryLabel] = {}
    for concept in industry_concepts():
        for label in concept.labels:
            if len(label) < 2 or label in labels:
                continue
            needs_context = not label.endswith(suffixes) and not any(part in label for part in infixes)
            labels[label] = IndustryLabel(concept.slug, concept.pref_label, needs_context)
    return IndustryMatcher(
        labels=labels,
        label_re=re.compile(trie_pattern(labels)),
        context_after_re=re.compile(trie_pattern(data["context_after"])),
        candidate_re=re.compile(trie_pattern(data["candidate_suffixes"])),
        generic_modifiers=frozenset(data["generic_modifiers"]),
        not_industries=frozenset(data["not_industries"]),
        window=int(data["enumeration_window"]),
    )


def _in_listing(text: str, start: int, end: int, m: IndustryMatcher) -> bool:
    """A line that only lists items (X、Y、Z) under a heading naming industries
    (（三）六个未来产业 / 第三代半导体、未来网络、…): each item is an industry."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start:line_end if line_end >= 0 else len(text)].strip()
    if "、" not in line or _LISTING_BREAK.search(line):
        return False
    heading_end = line_start - 1
    while heading_end > 0 and text[heading_end - 1] in " \u3000\t\n":
        heading_end -= 1
    heading = text[text.rfind("\n", 0, heading_end) + 1:heading_end].strip() if heading_end > 0 else ""
    return (0 < len(heading) <= _HEADING_MAX and not _LISTING_BREAK.search(heading)
            and m.context_after_re.search(heading) is not None)


def _in_context(text: str, start: int, end: int, m: IndustryMatcher) -> bool:
    if m.context_after_re.match(text, end):
        return True
    if _in_listing(text, start, end, m):
        return True
    # An enumeration X、Y、Z等…产业: no clause break between the label and 等.
    clause_end = _CLAUSE_END.search(text, end)
    stop = clause_end.start() if clause_end else len(text)
    position = text.find("等", end, stop)
    if position >= 0 and not _ENUMERATION_BREAK.search(text, end, position):
        if m.context_after_re.search(text[position + 1: min(stop, position + 1 + m.window)]) is not None:
            return True
    # An enumeration without 等 whose last item carries the context: 氢能、储能、氨醇产业.
    if text.startswith(("、", "及", "和", "与"), end):
        limit = min(stop, end + 4 * m.window)
        context = m.context_after_re.search(text, end, limit)
        # An enumeration closed by 等 was judged by the rule above.
        if (context is not None and not _ENUMERATION_BREAK.search(text, end, context.start())
                and "等" not in text[end:context.start()]):
            return True
    return False


def find_industries(text: str) -> list[dict]:
    """Known-concept mentions of ``text`` as attribute dicts (no candidates).

    >>> [(f["concept"], f["label"]) for f in find_industries("大力发展生物医药、新材料等战略性新兴产业")]
    [('biomedicine', '生物医药产业'), ('new-materials', '新材料产业'), ('strategic-emerging-industries', '战略性新兴产业')]
    >>> find_industries("支持汽车以旧换新")
    []
    """
    m = matcher()
    found = []
    for match in m.label_re.finditer(text):
        start, end = match.span()
        label = m.labels[match.group()]
        if _AGENCY_NEXT.match(text, end):
            continue
        if label.needs_context and not _in_context(text, start, end, m):
            continue
        if match.group().endswith("产业"):
            # 新能源汽车产业集群, 集成电路产业链: the cluster or chain of the same industry.
            tail = _CLUSTER_TAIL.match(text, end)
            end = tail.end() if tail else end
        found.append({"concept": label.concept, "label": label.pref_label, "candidate": False,
                      "char_start": start, "char_end": end})
    return found


def candidate_slug(phrase: str) -> str:
    """A stable slug for a candidate concept.

    >>> candidate_slug("演唱会经济")
    'candidate-yan-chang-hui-jing-ji'
    """
    from pypinyin import lazy_pinyin

    return "candidate-" + "-".join(re.sub(r"[^a-z0-9]", "", p.lower()) for p in lazy_pinyin(phrase) if p.strip())


class _DocTokens:
    """``JiebaTokens``' questions answered from the tokens of the doc itself."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.starts = doc.to_array(IDX).tolist()  # C-level: iterating Token objects is slow

    def token(self, offset: int) -> tuple[int, int]:
        token = self.doc[bisect.bisect_right(self.starts, offset) - 1]
        return token.idx, token.idx + len(token)

    def previous_start(self, offset: int) -> int | None:
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.doc[index - 1].idx if index > 0 else None


def find_candidates(doc: Doc, taken: list[tuple[int, int]], tokens: JiebaTokens | None = None) -> list[dict]:
    """Unknown …产业/…经济 phrases, the modifier read from the jieba token before the suffix.

    ``tokens``: jieba's words of the text (``extract.tokens``); default: the doc's tokens."""
    m = matcher()
    text = doc_text(doc)
    found = []
    words: JiebaTokens | _DocTokens | None = tokens
    known = IntervalSet(taken)
    last_end = 0
    for match in m.candidate_re.finditer(text):
        start, end = match.span()
        if known.overlaps(start, end):
            continue
        if not _CANDIDATE_NEXT.match(text, end):
            continue
        if words is None:
            # Token offsets only when a suffix is seen: most clauses have none.
            words = _DocTokens(doc)
        token_start = words.token(start)[0]
        if token_start < start:
            phrase_start = token_start  # the suffix is inside a token (民营经济)
        else:
            previous = words.previous_start(start)
            if previous is None:
                continue
            phrase_start = previous
        # In an enumeration the item runs back to the 、 before it when the segmenter
        # split it badly (、低碳氢氨醇产业), unless it starts with a generic word.
        separator = text.rfind("、", max(0, start - _ENUMERATION_ITEM), start)
        if (separator >= 0 and separator + 1 < phrase_start and _CJK.fullmatch(text[separator + 1:start])
                and not _FUNCTION_CHAR.search(text, separator + 1, start)):
            first_start, first_end = words.token(separator + 1)
            if first_start == separator + 1 and text[first_start:first_end] not in m.generic_modifiers:
                phrase_start = separator + 1
        modifier = text[phrase_start:start]
        phrase = text[phrase_start:end]
        if (len(modifier) < 2 or not _CJK.fullmatch(modifier) or modifier in m.generic_modifiers
                or phrase in m.not_industries or phrase in m.labels):
            continue
        if phrase_start < last_end or known.overlaps(phrase_start, end):
            continue
        found.append({"concept": candidate_slug(phrase), "label": phrase, "candidate": True,
                      "char_start": phrase_start, "char_end": end})
        last_end = end
    return found


class IndustryComponent:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        # With jieba, its words are asked for where needed (the doc's own tokens may be
        # whitespace runs: ``extract.tokens.whitespace_doc``).
        self.segmenter = jieba_segmenter(nlp)
        matcher()

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        tokens = JiebaTokens(text, self.segmenter) if self.segmenter is not None else None
        known = find_industries(text)
        taken = [(f["char_start"], f["char_end"]) for f in known]
        spans = []
        for found in known + find_candidates(doc, taken, tokens):
            span = doc.char_span(found["char_start"], found["char_end"], label="industry", alignment_mode="expand",
                                 span_id=f'{found["char_start"]}-{found["char_end"]}')
            if span is None:
                continue
            span._.policykg = found
            spans.append(span)
        if tokens is None:
            spans.sort(key=lambda s: (s.start_char, s.end_char))
        else:
            # in the order of the spans over jieba's words, whatever the doc's tokens
            spans.sort(key=lambda s: _word_bounds(s, tokens))
        doc.spans["industries"] = spans
        return doc


def _word_bounds(span: Span, tokens: JiebaTokens) -> tuple[int, int]:
    """(start_char, end_char) the span would have over jieba's words: the words holding
    its first and last characters. On whitespace the doc's tokens agree with jieba's."""
    attributes = span._.policykg
    start, end = attributes["char_start"], attributes["char_end"]
    text = tokens.text
    first = span.start_char if text[start].isspace() else tokens.token(start)[0]
    last = span.end_char if text[end - 1].isspace() else tokens.token(end - 1)[1]
    return first, last


@Language.factory(COMPONENT, assigns=["doc.spans"])
def make_industry_component(nlp: Language, name: str) -> IndustryComponent:
    return IndustryComponent(nlp, name)
