"""Amounts of money: the ``policykg_amounts`` component (``doc.spans["amounts"]``).

Every amount is normalised to yuan. ``span._.policykg`` holds:

* ``value`` — yuan (``1.5亿元`` → 150000000.0);
* ``qualifier`` — ``maximum`` (最高, 不超过, …以下), ``minimum`` (不低于, 超过, 超, …以上),
  ``approximate`` (约, 近, …左右) or ``exact``;
* ``per`` — what the amount applies to when the text says so (每人 / 3000元/人 → ``人``,
  每家企业 / 单家企业 → ``企业``, 单个项目 → ``项目``, 每场 → ``场``, /平方米·月), else ``None``;
* ``min`` / ``max`` — the bounds the text sets: both ``value`` for an exact amount, one of
  them for a maximum or minimum, none for an approximate one; for a range (100万-500万元)
  or a change (从300亿元扩大到500亿元) the two ends;
* ``char_start`` / ``char_end`` — the exact offsets of the match in ``doc.text``.

The span covers the number, its unit and what is attached to them (人民币 before,
``/人`` or 以下/以上/左右 after); words further away (最高补助30万元) only qualify it.
A change yields the whole phrase (value = the new amount) and each end as an amount of
its own; a range yields one amount (value = the upper end, qualifier ``maximum``).
Counts (400家, 10000套) and foreign currencies (美元) are not matched.

>>> import spacy
>>> nlp = spacy.blank("zh")
>>> _ = nlp.add_pipe("policykg_amounts")
>>> doc = nlp("单家企业最高补助30万元，给予每人1500元。")
>>> [(s.text, s._.policykg["value"], s._.policykg["qualifier"], s._.policykg["per"]) for s in doc.spans["amounts"]]
[('30万元', 300000.0, 'maximum', '企业'), ('1500元', 1500.0, 'exact', '人')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from spacy.language import Language
from spacy.tokens import Doc

from extract.numbers import NUMBER, looks_numeric, multiplier_value, parse_number
from extract.numeric_context import (
    anchored_finditer,
    clause_start,
    clean_float,
    make_span,
    per_before,
    qualifier_after,
    qualifier_before,
    slash_unit_regex,
    words,
)
from extract.patterns import doc_text, trie_pattern

COMPONENT = "policykg_amounts"
SPANS_KEY = "amounts"
LABEL = "AMOUNT"

_GAP = "[ \\t\\u3000\\u00a0]*"
# 元 that is not part of 元素/多元化/元旦…; the list lives in the data file.
_YUAN = rf"元(?!{trie_pattern(words('currency_blocked_after'))})"
#: One amount: [人民币] number [余|多] [multiplier] 元.
def _amount(suffix: str) -> str:
    return (
        rf"(?:人民币{_GAP})?(?P<num{suffix}>{NUMBER})(?P<approx{suffix}>[余多])?"
        rf"(?P<mult{suffix}>[十百千万亿]{{0,3}}){_GAP}{_YUAN}"
    )


AMOUNT = re.compile(_amount(""))
#: 100万-500万元, 3-5万元, 10万元至50万元.
RANGE = re.compile(
    rf"(?P<num1>{NUMBER})(?P<mult1>[十百千万亿]{{0,3}}){_GAP}(?P<unit1>元)?{_GAP}"
    rf"(?:-|－|—|–|~|～|至|到){_GAP}{_amount('2')}"
)
#: 从300亿元扩大到500亿元, 由500万元提高至1000万元.
CHANGE = re.compile(
    rf"(?:从|由){_GAP}(?P<first>{_amount('1')})[^0-9０-９，。；,;、\n]{{0,6}}?(?:到|至|为){_GAP}(?P<second>{_amount('2')})"
)
# A bare multiplier (亿元, 千亿元) after these is vague (数亿元, 上亿元) or a unit (每万元).
#: Every amount ends on 元; none is longer than this before it (人民币 + 40 digits + …,
#: twice for a change).
_ANCHOR = re.compile("元")
_REACH = 200
_BARE_BLOCKED_BEFORE = frozenset("每数几上多成单位")
_NUMERAL_BLOCKED_BEFORE = frozenset(words("numeral_blocked_before"))


@dataclass
class Amount:
    start: int
    end: int
    value: float
    qualifier: str
    per: str | None
    low: float | None
    high: float | None

    def attributes(self) -> dict:
        return {"value": self.value, "qualifier": self.qualifier, "per": self.per,
                "min": self.low, "max": self.high}


def _value(text: str, number: str, approx: str | None, mult: str, number_start: int) -> float | None:
    """Yuan for one matched number, or None when it is not a usable amount."""
    is_arabic = number[:1].isdigit()
    if not is_arabic:
        before = text[number_start - 1] if number_start > 0 else ""
        if not looks_numeric(number):
            # 亿元 / 千亿元 alone: an amount after a word (超千亿元, 补贴千元), a unit after
            # punctuation (（单位：万元）) or after 每/数/单位.
            if before in _BARE_BLOCKED_BEFORE or approx or not ("\u3400" <= before <= "\u9fff"):
                return None
        elif before in _NUMERAL_BLOCKED_BEFORE:
            return None
    value = parse_number(number)
    if value is None:
        return None
    value *= multiplier_value(mult)
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return clean_float(value)


_TRAILING_MULTIPLIER = re.compile(r"^(.*?)[ \t\u3000\u00a0]*([十百千万亿萬億]*)$")


def _split_multiplier(number: str) -> tuple[str, str]:
    """``"5万"`` → ``("5", "万")``; Chinese numerals keep their units (``"二十万"``)."""
    if not number[:1].isdigit() and not number[:1] in "０１２３４５６７８９":
        return number, ""
    match = _TRAILING_MULTIPLIER.match(number)
    return (match.group(1), match.group(2)) if match else (number, "")


def _bounds(qualifier: str, value: float) -> tuple[float | None, float | None]:
    if qualifier == "exact":
        return value, value
    if qualifier == "maximum":
        return None, value
    if qualifier == "minimum":
        return value, None
    return None, None


def find_amounts(text: str) -> list[Amount]:
    """All amounts of money in ``text``, in document order.

    >>> [(a.value, a.low, a.high) for a in find_amounts("基金规模从300亿元扩大到500亿元")]
    [(50000000000.0, 30000000000.0, 50000000000.0), (30000000000.0, 30000000000.0, 30000000000.0), (50000000000.0, 50000000000.0, 50000000000.0)]
    >>> [(a.value, a.qualifier, a.low, a.high) for a in find_amounts("给予100万-500万元支持")]
    [(5000000.0, 'maximum', 1000000.0, 5000000.0)]
    >>> [(a.value, a.qualifier) for a in find_amounts("单户担保金额 500 万元及以下的企业，500万元以上的")]
    [(5000000.0, 'maximum'), (5000000.0, 'minimum')]
    >>> find_amounts("新增企业400家，筹集10000套，100万美元")
    []
    """
    found: list[Amount] = []
    covered: list[tuple[int, int]] = []
    for match in anchored_finditer(CHANGE, text, _ANCHOR, _REACH, 3):
        first = _value(text, match.group("num1"), match.group("approx1"), match.group("mult1"), match.start("num1"))
        second = _value(text, match.group("num2"), match.group("approx2"), match.group("mult2"), match.start("num2"))
        if first is None or second is None:
            continue
        found.append(Amount(match.start(), match.end(), second, "exact", None,
                            min(first, second), max(first, second)))
    for match in anchored_finditer(RANGE, text, _ANCHOR, _REACH, 3):
        high = _value(text, match.group("num2"), match.group("approx2"), match.group("mult2"), match.start("num2"))
        if high is None:
            continue
        mult1 = match.group("mult1")
        first_digits, first_mult = _split_multiplier(match.group("num1"))
        second_digits, second_mult = _split_multiplier(match.group("num2"))
        raw_low, raw_high = parse_number(first_digits), parse_number(second_digits)
        if raw_low is None or raw_high is None:
            continue
        if not (mult1 or first_mult) and not match.group("unit1") and raw_low <= raw_high:
            mult1 = second_mult + match.group("mult2")  # 3-5万元: the multiplier applies to both ends
        low = _value(text, match.group("num1"), None, mult1, match.start("num1"))
        if low is None or low > high:
            continue
        per = per_before(text, match.start())
        found.append(Amount(match.start(), match.end(), high, "maximum", per, low, high))
        covered.append((match.start(), match.end()))
    for match in anchored_finditer(AMOUNT, text, _ANCHOR, _REACH, 3):
        start, end = match.start(), match.end()
        if any(s <= start and end <= e for s, e in covered):
            continue
        value = _value(text, match.group("num"), match.group("approx"), match.group("mult"), match.start("num"))
        if value is None:
            continue
        window = clause_start(text, start)
        qualifier = qualifier_before(text, start, window)
        per = per_before(text, start)
        slash = slash_unit_regex().match(text, end)
        if slash:
            per = slash.group("per")
            end = slash.end()
        after, length = qualifier_after(text, end)
        if after:
            qualifier = after
            end += length
        if match.group("approx"):
            qualifier = "minimum"  # 200余万元: more than
        qualifier = qualifier or "exact"
        low, high = _bounds(qualifier, value)
        found.append(Amount(start, end, value, qualifier, per, low, high))
    found.sort(key=lambda a: (a.start, -a.end))
    return found


def amount_spans(doc: Doc) -> Iterator:
    text = doc_text(doc)
    for amount in find_amounts(text):
        span = make_span(doc, amount.start, amount.end, LABEL, amount.attributes(), len(text))
        if span is not None:
            yield span


@Language.factory(COMPONENT, assigns=["doc.spans"])
def make_amounts(nlp: Language, name: str) -> "AmountsComponent":
    """Create the amounts component (``nlp.add_pipe("policykg_amounts")``)."""
    return AmountsComponent()


class AmountsComponent:
    """Writes ``doc.spans["amounts"]``."""

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[SPANS_KEY] = list(amount_spans(doc))
        return doc
