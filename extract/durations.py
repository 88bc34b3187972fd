"""Durations: the ``policykg_durations`` component (``doc.spans["durations"]``).

Lengths of time as ISO-8601 durations. ``span._.policykg`` holds:

* ``value`` — ``P1Y`` (有效期1年), ``P3Y`` (最长3年, 连续三年), ``P6M`` (6个月, 半年),
  ``P45D`` (45个工作日), ``P2W``, ``PT24H``, ``P1Y6M`` (一年半), ``P1.5Y`` (1.5年);
* ``working_days`` — True for 工作日 (working days, not calendar days);
* ``char_start`` / ``char_end``.

The span is the quantity and its unit (``1年`` in 有效期1年, ``两年`` in 前两年). What
is not a duration: years (2025年), months of the year (6月), days of the month (12日 —
a number of days needs 天, or 日 with 内/以内/后 or a word like 为期/满 before it),
上半年 and 每半年.

>>> import spacy
>>> nlp = spacy.blank("zh")
>>> _ = nlp.add_pipe("policykg_durations")
>>> doc = nlp("有效期1年，5年过渡期内，连续三年，45个工作日，30日内办结，2025年6月。")
>>> [(s.text, s._.policykg["value"], s._.policykg["working_days"]) for s in doc.spans["durations"]]
[('1年', 'P1Y', False), ('5年', 'P5Y', False), ('三年', 'P3Y', False), ('45个工作日', 'P45D', True), ('30日', 'P30D', False)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from spacy.language import Language
from spacy.tokens import Doc

from extract.numbers import format_decimal, looks_numeric, parse_number, to_ascii_digits
from extract.patterns import doc_text
from extract.numeric_context import make_span, word_regex, words

COMPONENT = "policykg_durations"
SPANS_KEY = "durations"
LABEL = "DURATION"

_S = "[ \\t\\u3000\\u00a0]*"
# Small numbers only: a duration of 2024 years is a year, not a duration.
_QUANTITY = "(?:[0-9]{1,3}(?:\\.[0-9]+)?|[零〇两一二三四五六七八九十百]{1,4})"
DURATION = re.compile(
    rf"(?<![0-9.])(?:(?P<num>{_QUANTITY}){_S}(?P<half>半)?{_S}"
    rf"(?P<unit>个工作日|工作日|个自然日|自然日|个月|个季度|季度|周年|年|周|星期|天|日|小时|分钟)"
    rf"(?P<half_after>半)?"
    rf"|(?P<bare_half>半)(?P<half_unit>个月|年))"
)
_ISO_UNIT = {"年": "Y", "个月": "M", "天": "D", "日": "D", "工作日": "D", "个工作日": "D", "自然日": "D",
             "个自然日": "D", "周": "W", "星期": "W", "小时": "H", "分钟": "M"}
_NUMERAL_BLOCKED_BEFORE = frozenset(words("numeral_blocked_before")) | frozenset("上下每")


@dataclass
class Duration:
    start: int
    end: int
    value: str
    working_days: bool

    def attributes(self) -> dict:
        return {"value": self.value, "working_days": self.working_days}


def _iso(amount: float, unit: str) -> str | None:
    """ISO-8601 for ``amount`` ``unit`` (unit as matched); None for absurd sizes."""
    if amount <= 0 or amount > 100_000:
        return None
    if unit in ("季度", "个季度"):
        amount, unit = amount * 3, "个月"
    code = _ISO_UNIT[unit]
    if unit in ("小时", "分钟"):
        return f"PT{format_decimal(amount)}{code}"
    if unit == "年" and not amount.is_integer() and (amount * 2).is_integer():
        return f"P{int(amount)}Y6M" if amount >= 1 else "P6M"
    return f"P{format_decimal(amount)}{code}"


def find_durations(text: str) -> list[Duration]:
    """All durations in ``text``.

    >>> [(d.value, d.working_days) for d in find_durations("前两年，6个月，一年半，半年，3个工作日，初创3年内，每半年")]
    [('P2Y', False), ('P6M', False), ('P1Y6M', False), ('P6M', False), ('P3D', True), ('P3Y', False)]
    >>> find_durations("2025年上半年，6月，12日，统一年度")
    []
    """
    ascii_text = to_ascii_digits(text)
    found: list[Duration] = []
    day_after = word_regex("durations", "day_after")
    day_before = word_regex("durations", "day_before")
    for match in DURATION.finditer(ascii_text):
        start, end = match.span()
        before = ascii_text[start - 1] if start > 0 else ""
        if match.group("bare_half"):
            if before in _NUMERAL_BLOCKED_BEFORE or before in "多":
                continue  # 上半年 / 下半年 are dates, 每半年 a recurrence
            value = "P6M" if match.group("half_unit") == "年" else "P15D"
            found.append(Duration(start, end, value, False))
            continue
        number, unit = match.group("num"), match.group("unit")
        if unit == "周年":
            continue  # anniversaries
        if not number[0].isdigit():
            if before in _NUMERAL_BLOCKED_BEFORE or not (looks_numeric(number) or "十" in number):
                continue  # 统一年度; 百年老店 (百 alone is not a count)
        elif before.isdigit():
            continue
        if unit == "日":
            follows = day_after.match(ascii_text, end)
            window = ascii_text[max(0, start - 4):start]
            precedes = any(m.end() == len(window) for m in day_before.finditer(window))
            if not (follows or precedes):
                continue
        amount = parse_number(number)
        if amount is None:
            continue
        if match.group("half") or match.group("half_after"):
            amount += 0.5  # 一年半, 三个半月 is not written this way
        value = _iso(amount, unit)
        if value is None:
            continue
        found.append(Duration(start, end, value, "工作日" in unit))
    return found


def duration_spans(doc: Doc) -> Iterator:
    text = doc_text(doc)
    for duration in find_durations(text):
        span = make_span(doc, duration.start, duration.end, LABEL, duration.attributes(), len(text))
        if span is not None:
            yield span


@Language.factory(COMPONENT, assigns=["doc.spans"])
def make_durations(nlp: Language, name: str) -> "DurationsComponent":
    """Create the durations component (``nlp.add_pipe("policykg_durations")``)."""
    return DurationsComponent()


class DurationsComponent:
    """Writes ``doc.spans["durations"]``."""

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[SPANS_KEY] = list(duration_spans(doc))
        return doc
