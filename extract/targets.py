"""Quantitative targets: the ``policykg_targets`` component (``doc.spans["targets"]``).

A target is a quantity the policy sets out to reach: ``到2025年年底新增雏鹰、瞪羚、
独角兽企业400家``, ``制造业贷款余额超过2500亿元``, ``全程网办率达到70%以上``. Three shapes
are recognised, clause by clause (a clause ends at ，；。： or a line break):

* **reach** — indicator + a reaching verb (达到, 超过, 突破, 提高至, 扩大到 …) + quantity;
* **action** — an action verb (新增, 建成, 培育, 打造, 举办 …) + [noun] + a count + [noun];
  money only after verbs that count money (新增发放, 完成 …): ``设立100亿元基金`` is a
  measure, not a target;
* **continuation** — ``金融机构42个`` right after another target of the same sentence.

Not targets: support amounts (给予/补助/奖励…, 每项最高…), rules (可提高至, 将…提高至,
原则上), conditions (投资在2亿元以上的), and statistics of past years (a year before
the document's year in the same line, or under a ``2023年:`` heading).

``span._.policykg`` holds ``indicator`` (the clause text naming what is counted, verb
included for actions), ``value`` (normalised: money in yuan, percentages as fractions
with unit ``%``, counts with their multiplier applied: 1.24万户 → 12400), ``unit``
(``元``, ``%``, ``百分点``, or the classifier as written: 家, 个, 项, 亩, PFlops …),
``year`` (the year of the sentence or of the enclosing ``2025年:`` heading, else None)
and ``char_start``/``char_end``. The span runs from the indicator to the end of the
quantity (and of the noun after it for actions).

>>> import spacy
>>> nlp = spacy.blank("zh")
>>> _ = nlp.add_pipe("policykg_targets")
>>> doc = nlp("到2025年年底新增雏鹰、瞪羚、独角兽企业400家，建立150家产学研联盟等新型创新主体。")
>>> [(s._.policykg["indicator"], s._.policykg["value"], s._.policykg["unit"], s._.policykg["year"]) for s in doc.spans["targets"]]
[('新增雏鹰、瞪羚、独角兽企业', 400.0, '家', 2025), ('建立产学研联盟等新型创新主体', 150.0, '家', 2025)]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterator

from spacy.language import Language
from spacy.tokens import Doc

from extract.numbers import NUMBER, looks_numeric, multiplier_value, parse_number, to_ascii_digits
from extract.numeric_context import (
    anchored_finditer,
    clean_float,
    document_year,
    make_span,
    per_before,
    qualifier_after,
    word_regex,
    words,
)
from extract.patterns import doc_text, trie_pattern

COMPONENT = "policykg_targets"
SPANS_KEY = "targets"
LABEL = "TARGET"

_S = "[ \\t\\u3000\\u00a0]*"
QUANTITY = re.compile(
    rf"(?<![0-9.第])(?P<num>{NUMBER})(?P<approx>[余多])?(?P<mult>[十百千万亿]{{0,3}}){_S}"
    rf"(?P<unit>元(?![化素首旦宵])|[%％]|{trie_pattern(words('count_units'))})"
)
#: A quantity ends on a numeral and its unit: scanning only near them finds every quantity.
_UNIT_ANCHOR = re.compile(
    rf"[0-9０-９零〇○一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億][余多]?[ \t\u3000\u00a0]*"
    rf"(?:元|[%％]|{trie_pattern(words('count_units'))})"
)
_CLAUSE = re.compile(r"[^，,；;。！!？?\n：:]+")
_SENTENCE_BREAK = re.compile(r"[。；;！!？?\n]")
_YEAR = re.compile(r"(?<![0-9])([12][0-9]{3})[ \t\u3000\u00a0]*年")
_HORIZON = re.compile(
    r"[ \t\u3000#]*(?:[0-9]{1,3}[.．、]|[（(][一二三四五六七八九十0-9]{1,3}[)）]|[一二三四五六七八九十]{1,3}、)?"
    r"[ \t\u3000\u00a0]*(?:到|至|力争到|争取到|预计到)[ \t\u3000\u00a0]*([12][0-9]{3})[ \t\u3000\u00a0]*年"
)
_HEADING_YEAR = re.compile(r"(?m)^[ \t\u3000#]*([12][0-9]{3})[ \t\u3000\u00a0]*年[ \t\u3000\u00a0]*(?:[:：]|$)")
_SECTION_HEADING = re.compile(
    r"(?m)^[ \t\u3000#]*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+[章部分节])"
)
_LEADING_DATE = re.compile(
    r"^(?:(?:到|至|力争到|争取到|确保到|截至)?[ \t\u3000\u00a0]*[12][0-9]{3}[ \t\u3000\u00a0]*年"
    r"(?:年底|年末|底|末|内|第?[一二三四]季度|上半年|下半年)?(?:前|之前|以前)?)+"
)
_CHANGE_START = re.compile(r"(?:从|由)[^从由]*$")
_CONTINUATION_NOUN = re.compile(r"^[\u3400-\u9fff“”\"A-Za-z（）()、]{2,30}$")
#: How far back from a quantity its indicator and verb may start.
_REACH = 120
_COUNT_UNIT_BLOCKED_AFTER = {"个": "月工季小", "期": "间限"}


@dataclass
class Target:
    start: int
    end: int
    indicator: str
    value: float
    unit: str
    year: int | None

    def attributes(self) -> dict:
        return {"indicator": self.indicator, "value": self.value, "unit": self.unit, "year": self.year}


@dataclass
class _Quantity:
    start: int
    end: int  # after the unit and any 以上/左右
    value: float
    unit: str
    money: bool
    percent: bool


def _quantity(match: re.Match, text: str) -> _Quantity | None:
    number, unit = match.group("num"), match.group("unit")
    if not looks_numeric(number):
        return None
    if not number[0].isdigit() and (number == "一" or (match.start() > 0 and (
            text[match.start() - 1] in _CHINESE_BLOCKED_BEFORE or text[match.start() - 1] in "“\"《「"))):
        return None  # 一批 / 一个 are determiners; 统一… is a word; “三个中心” is a name
    blocked = _COUNT_UNIT_BLOCKED_AFTER.get(unit)
    if blocked and match.end() < len(text) and text[match.end()] in blocked:
        return None
    value = parse_number(number)
    if not value:
        return None  # None, or 零部件: a zero is never a target
    value *= multiplier_value(match.group("mult"))
    money, percent = unit == "元", unit in ("%", "％")
    if percent:
        value, unit = value / 100, "%"
    elif unit == "个百分点":
        value, unit = value / 100, "百分点"
    if value != value or abs(value) == float("inf"):
        return None
    end = match.end()
    _, length = qualifier_after(text, end)
    return _Quantity(match.start(), end + length, clean_float(value), unit, money, percent)


_CHINESE_BLOCKED_BEFORE = frozenset(words("numeral_blocked_before"))


def _heading_years(text: str) -> list[tuple[int, int | None]]:
    """(offset, year) marks: a ``2024年:`` line opens a year, a section heading closes it."""
    marks = [(m.start(), int(m.group(1))) for m in _HEADING_YEAR.finditer(text)]
    marks += [(m.start(), None) for m in _SECTION_HEADING.finditer(text)]
    return sorted(marks, key=lambda mark: mark[0])


def _year_at(text: str, position: int, headings: list[tuple[int, int | None]]) -> int | None:
    """The year a quantity at ``position`` belongs to: the last year written earlier in
    its sentence, else the enclosing heading year."""
    sentence_start = max(0, position - 400)
    for match in _SENTENCE_BREAK.finditer(text, sentence_start, position):
        sentence_start = match.end()
    found = None
    for match in _YEAR.finditer(text, sentence_start, position):
        found = int(match.group(1))
    if found is not None:
        return found
    # 到2026年，A达到X；B提高到Y: a horizon opening the paragraph governs its sentences
    # (one in the middle of a paragraph only governs its own sentence).
    line_start = text.rfind("\n", max(0, position - 400), position) + 1
    if line_start > 0 or position < 400:
        horizon = _HORIZON.match(text, line_start, position)
        if horizon is not None:
            return int(horizon.group(1))
    current = None
    for offset, year in headings:
        if offset > position:
            break
        current = year
    return current


def _line_year(text: str, position: int) -> int | None:
    """The last year written earlier on the same line (for past-statistics checks)."""
    line_start = text.rfind("\n", max(0, position - 300), position) + 1
    found = None
    for match in _YEAR.finditer(text, max(line_start, position - 300), position):
        found = int(match.group(1))
    return found


_LIST_NUMBER = re.compile(r"^[ \t\u3000\u00a0]*(?:[0-9]{1,3}[.．、]|[（(][0-9一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．])")


def _strip_indicator(indicator: str) -> str:
    indicator = _LIST_NUMBER.sub("", indicator)
    indicator = _LEADING_DATE.sub("", indicator.strip(" \t\u3000"))
    leading = word_regex("targets", "leading_words")
    while True:
        match = leading.match(indicator)
        if not match or match.end() == len(indicator):
            break
        indicator = indicator[match.end():].lstrip(" \t\u3000")
        indicator = _LEADING_DATE.sub("", indicator)
    return indicator.strip(" \t\u3000")


def _blocked(prefix: str) -> bool:
    return word_regex("targets", "blocking_words").search(prefix) is not None


def _reach(text: str, clause_start: int, quantity: _Quantity) -> tuple[int, str] | None:
    """(indicator start, indicator) when a reaching verb stands right before the quantity."""
    prefix = text[clause_start:quantity.start]
    verbs = list(word_regex("targets", "reach_verbs").finditer(prefix))
    if not verbs:
        return None
    verb = verbs[-1]
    gap = prefix[verb.end():].strip(" \t\u3000")
    if gap and not re.fullmatch(r"(?:不低于|不少于|约|近|超过|超)", gap):
        return None
    preceding = prefix[verb.start() - 1] if verb.start() > 0 else ""
    if preceding == "不" or (len(verb.group()) == 1 and preceding in _REACH_BLOCKED_BEFORE):
        return None  # 不超过 is a limit; 下达 / 到达 are not 达
    before_verb = prefix[:verb.start()]
    if any(before_verb.endswith(modal) for modal in words("targets", "modal_before_verb")):
        return None
    change = _CHANGE_START.search(before_verb)
    if change:
        before_verb = before_verb[:change.start()]
    indicator = _strip_indicator(before_verb)
    if len(indicator) < 2:
        return None
    offset = clause_start + before_verb.rfind(indicator) if indicator in before_verb else clause_start
    return offset, indicator


_REACH_BLOCKED_BEFORE = frozenset(words("targets", "reach_verb_blocked_before"))


def _action(text: str, clause_start: int, clause_end: int, quantity: _Quantity) -> tuple[int, int, str] | None:
    """(start, end, indicator) when an action verb earlier in the clause governs the quantity."""
    prefix = text[clause_start:quantity.start]
    pattern = word_regex("targets", "money_action_verbs" if quantity.money else "action_verbs")
    verbs = list(pattern.finditer(prefix))
    verb = verbs[-1] if verbs else None  # the verb nearest the quantity governs it
    if verb is None or quantity.percent:
        return None
    before_noun = prefix[verb.end():].strip(" \t\u3000")
    after = text[quantity.end:clause_end].strip(" \t\u3000")
    if after.startswith("的"):
        after = after[1:]
    after = after[:40]
    indicator = verb.group() + before_noun + after  # 累计改造1.24万户: the verb alone names it
    end = quantity.end
    if after:
        end = text.find(after, quantity.end, clause_end + 1) + len(after)
    return clause_start + verb.start(), end, indicator


def find_targets(text: str, doc_year: int | None = None) -> list[Target]:
    """All targets in ``text``; ``doc_year`` tells statistics of past years from goals.

    >>> [(t.indicator, t.value, t.unit, t.year) for t in find_targets("2024年:\\n制造业贷款余额超过2500亿元,金融机构42个。", 2024)]
    [('制造业贷款余额', 250000000000.0, '元', 2024), ('金融机构', 42.0, '个', 2024)]
    >>> [(t.indicator, t.value, t.unit) for t in find_targets("全程网办率达到70%以上。单家企业最高补助30万元。")]
    [('全程网办率', 0.7, '%')]
    >>> find_targets("2023年,全市拥有持牌金融机构280家,在厦注册基金总规模超4800亿元。", 2024)
    []
    """
    ascii_text = to_ascii_digits(text)
    headings = _heading_years(ascii_text)
    found: list[Target] = []
    time_nouns = set(words("targets", "time_per_nouns"))
    previous_sentence_end = -1  # end of the sentence of the last target found
    clauses = [clause.span() for clause in _CLAUSE.finditer(ascii_text)]
    clause_starts = [start for start, _ in clauses]
    by_clause: dict[int, list[re.Match]] = {}
    for match in anchored_finditer(QUANTITY, ascii_text, _UNIT_ANCHOR, 80, 0):
        index = bisect_right(clause_starts, match.start()) - 1
        if index >= 0 and match.start() < clauses[index][1]:
            by_clause.setdefault(index, []).append(match)
    for index in sorted(by_clause):
        clause_start, clause_end = clauses[index]
        clause_origin = clause_start
        used_until = clause_start
        for match in by_clause[index]:
            clause_end = max(clause_end, match.end())  # 1,000万元 runs over an ASCII comma
            if match.start() < used_until:
                continue
            quantity = _quantity(match, ascii_text)
            if quantity is None:
                continue
            # Look back at most _REACH characters: keeps long unpunctuated text linear.
            clause_start = max(clause_origin, quantity.start - _REACH)
            prefix = ascii_text[clause_start:quantity.start]
            if _blocked(prefix) or prefix.rstrip(" \t\u3000").endswith(("在", "为", "是")):
                continue
            per = per_before(ascii_text, quantity.start, clause_start)
            if per is not None and per not in time_nouns:
                continue
            year = _year_at(ascii_text, quantity.start, headings)
            line_year = _line_year(ascii_text, quantity.start)
            past = line_year if line_year is not None else year
            if doc_year is not None and past is not None and past < doc_year:
                continue
            target = None
            reach = _reach(ascii_text, clause_start, quantity)
            rest = ascii_text[quantity.end:clause_end].strip(" \t\u3000")
            if rest.startswith("的"):
                continue  # 营业收入首次突破1亿元的企业, 面积达到1万平方米以上的展会: conditions
            if reach is not None and rest and (quantity.money or quantity.percent):
                reach = None  # 培育年营收超10亿元企业20家: the amount qualifies a noun
            if reach is not None:
                start, indicator = reach
                end = quantity.end
                rest = ascii_text[quantity.end:clause_end].rstrip(" \t\u3000")
                if rest and _CONTINUATION_NOUN.match(rest.strip(" \t\u3000")) and len(rest) <= 12:
                    # 累计完成超过8.6万笔融资: the counted thing follows the number.
                    indicator += rest.strip(" \t\u3000")
                    end = quantity.end + len(rest)
                target = Target(start, end, indicator, quantity.value, quantity.unit, year)
            else:
                action = _action(ascii_text, clause_start, clause_end, quantity)
                if action is not None:
                    start, end, indicator = action
                    target = Target(start, end, indicator, quantity.value, quantity.unit, year)
                elif previous_sentence_end > clause_start and not quantity.money:
                    noun = prefix.strip(" \t\u3000")
                    rest = ascii_text[quantity.end:clause_end].strip(" \t\u3000")
                    if not rest and _CONTINUATION_NOUN.match(noun):
                        start = clause_start + prefix.find(noun)
                        indicator = noun
                        if word_regex("targets", "continuation_inherits").match(noun) and found:
                            # 增加值达到3万亿元，年均增长6%: the growth is of the same indicator.
                            indicator = found[-1].indicator + noun
                        target = Target(start, quantity.end, indicator, quantity.value, quantity.unit, year)
            if target is None:
                continue
            found.append(target)
            used_until = target.end
            # A continuation must follow within the same sentence, and close by.
            sentence_break = _SENTENCE_BREAK.search(ascii_text, target.end, target.end + _REACH)
            previous_sentence_end = sentence_break.start() if sentence_break else target.end + _REACH
    return found


def target_spans(doc: Doc) -> Iterator:
    text = doc_text(doc)
    for target in find_targets(text, document_year(doc)):
        span = make_span(doc, target.start, target.end, LABEL, target.attributes(), len(text))
        if span is not None:
            yield span


@Language.factory(COMPONENT, assigns=["doc.spans"])
def make_targets(nlp: Language, name: str) -> "TargetsComponent":
    """Create the targets component (``nlp.add_pipe("policykg_targets")``)."""
    return TargetsComponent()


class TargetsComponent:
    """Writes ``doc.spans["targets"]``."""

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[SPANS_KEY] = list(target_spans(doc))
        return doc
