"""Rates: the ``policykg_rates`` component (``doc.spans["rates"]``).

Percentages (1%, 50%, 0.5%, 百分之五, 年化2%, 2%/年), per-mille (3‰) and percentage
points (提高不超过3个百分点). ``span._.policykg`` holds:

* ``value`` — a fraction (1% → 0.01, 3个百分点 → 0.03, 3‰ → 0.003);
* ``kind`` — ``percent`` or ``points`` (a change of a percentage, kept apart);
* ``qualifier`` — ``maximum`` / ``minimum`` / ``approximate`` / ``exact`` as for amounts;
* ``char_start`` / ``char_end``.

The span covers 年化/年利率 before the number and ``/年``, 以上, 左右 … after it. A range
``5-10%`` gives two rates: the lower end as a minimum, the upper as a maximum.

>>> import spacy
>>> nlp = spacy.blank("zh")
>>> _ = nlp.add_pipe("policykg_rates")
>>> doc = nlp("担保费率原则上不超过 1%，提高不超过3个百分点，全程网办率达到70%以上。")
>>> [(s.text, s._.policykg["value"], s._.policykg["kind"], s._.policykg["qualifier"]) for s in doc.spans["rates"]]
[('1%', 0.01, 'percent', 'maximum'), ('3个百分点', 0.03, 'points', 'maximum'), ('70%以上', 0.7, 'percent', 'minimum')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from spacy.language import Language
from spacy.tokens import Doc

from extract.numbers import ARABIC, CHINESE, CHINESE_DIGITS, NUMBER, parse_number
from extract.patterns import doc_text
from extract.numeric_context import (
    anchored_finditer,
    clause_start,
    clean_float,
    make_span,
    qualifier_after,
    qualifier_before,
    words,
)

COMPONENT = "policykg_rates"
SPANS_KEY = "rates"
LABEL = "RATE"

_GAP = "[ \\t\\u3000\\u00a0]*"
_PREFIX = "(?P<prefix>年化(?:利率)?|年利率|年费率)?"
_PER_YEAR = "(?P<per>[ \\t]*[/／][ \\t]*年)?"
RATE = re.compile(
    rf"{_PREFIX}{_GAP}(?:"
    rf"(?P<lo>{ARABIC}){_GAP}(?:-|－|—|–|~|～|至|到){_GAP}(?P<hi>{ARABIC}){_GAP}(?P<rsign>[%％])"
    rf"|(?P<num>{ARABIC}){_GAP}(?P<sign>[%％‰])"
    rf"|百分之(?P<cn>[零〇一二两三四五六七八九十百]+(?:点[零〇一二三四五六七八九]+)?)"
    rf"|(?P<pts>{NUMBER}){_GAP}个?百分点"
    rf"){_PER_YEAR}"
)
#: Every rate holds one of these; none is longer than _REACH before it.
_ANCHOR = re.compile("[%％‰]|百分")
_REACH = 120
_CHINESE_DECIMAL = re.compile(rf"^(?P<whole>{CHINESE})点(?P<fraction>[零〇一二三四五六七八九]+)$")
_NUMERAL_BLOCKED_BEFORE = frozenset(words("numeral_blocked_before"))


@dataclass
class Rate:
    start: int
    end: int
    value: float
    kind: str
    qualifier: str

    def attributes(self) -> dict:
        return {"value": self.value, "kind": self.kind, "qualifier": self.qualifier}


def _chinese_percent(text: str) -> float | None:
    """百分之十二点五 → 12.5 (the part after 点 is read digit by digit)."""
    match = _CHINESE_DECIMAL.match(text)
    if not match:
        return parse_number(text)
    whole = parse_number(match.group("whole"))
    if whole is None:
        return None
    digits = "".join(str(CHINESE_DIGITS[c]) for c in match.group("fraction"))
    return whole + float("0." + digits)


def _qualify(text: str, start: int, end: int) -> tuple[str | None, int]:
    """Qualifier from the words before ``start`` or right after ``end``, and the new end."""
    qualifier = qualifier_before(text, start, clause_start(text, start))
    after, length = qualifier_after(text, end)
    if after:
        return after, end + length
    return qualifier, end


def find_rates(text: str) -> list[Rate]:
    """All rates in ``text``, in document order.

    >>> [(r.value, r.kind) for r in find_rates("省级给予年化2%、最长3年的贴息，百分之五，2%/年，3‰，百分之十二点五")]
    [(0.02, 'percent'), (0.05, 'percent'), (0.02, 'percent'), (0.003, 'percent'), (0.125, 'percent')]
    >>> [(r.value, r.qualifier) for r in find_rates("比例为5-10%")]
    [(0.05, 'minimum'), (0.1, 'maximum')]
    """
    found: list[Rate] = []
    for match in anchored_finditer(RATE, text, _ANCHOR, _REACH, 16):
        start = match.start("prefix") if match.group("prefix") else None
        end = match.end()
        if match.group("lo") is not None:
            low, high = parse_number(match.group("lo")), parse_number(match.group("hi"))
            if low is None or high is None or low > high:
                continue
            qualifier = qualifier_before(text, match.start("lo"))
            found.append(Rate(start if start is not None else match.start("lo"), match.end("lo"),
                              clean_float(low / 100), "percent", "minimum"))
            found.append(Rate(match.start("hi"), end, clean_float(high / 100), "percent",
                              "maximum" if qualifier in (None, "maximum") else qualifier))
            continue
        if match.group("num") is not None:
            number, kind = parse_number(match.group("num")), "percent"
            scale = 1000 if match.group("sign") == "‰" else 100
            first = match.start("num")
        elif match.group("cn") is not None:
            number, kind, scale = _chinese_percent(match.group("cn")), "percent", 100
            first = match.start("cn") - 3
        else:
            points = match.group("pts")
            first = match.start("pts")
            if not points[:1].isdigit() and first > 0 and text[first - 1] in _NUMERAL_BLOCKED_BEFORE:
                continue
            number, kind, scale = parse_number(points), "points", 100
        if number is None:
            continue
        if start is None:
            start = first
        qualifier, end = _qualify(text, start, end)
        found.append(Rate(start, end, clean_float(number / scale), kind, qualifier or "exact"))
    return found


def rate_spans(doc: Doc) -> Iterator:
    text = doc_text(doc)
    for rate in find_rates(text):
        span = make_span(doc, rate.start, rate.end, LABEL, rate.attributes(), len(text))
        if span is not None:
            yield span


@Language.factory(COMPONENT, assigns=["doc.spans"])
def make_rates(nlp: Language, name: str) -> "RatesComponent":
    """Create the rates component (``nlp.add_pipe("policykg_rates")``)."""
    return RatesComponent()


class RatesComponent:
    """Writes ``doc.spans["rates"]``."""

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[SPANS_KEY] = list(rate_spans(doc))
        return doc
