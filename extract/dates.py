"""Dates: the ``policykg_dates`` component (``doc.spans["dates"]``).

Every date is an interval of calendar days. ``span._.policykg`` holds:

* ``start`` / ``end`` — ISO dates (``2024年11月底`` → both ``2024-11-30``; ``2025年第二季度``
  → ``2025-04-01``…``2025-06-30``; ``2020-2022年`` → ``2020-01-01``…``2022-12-31``), or
  ``None`` for recurrences and for dates whose year cannot be known;
* ``role`` — ``deadline`` (…前), ``effective`` (自…起施行), ``expiry`` (有效期至…, …止),
  ``target`` (到2025年, a plan year opening a clause), ``issued`` (a signature date, …印发),
  ``recurrence`` (每季度末, 每年3月底前, 每月, 按月 — never given a calendar date) or ``other``;
* ``char_start`` / ``char_end``.

Month-day dates without a year (8月31日前) and 上半年/下半年 take the year written
earlier in the same sentence, else the document's year: ``doc.user_data
["policykg_context"]["document_year"]`` (or ``date_issued``) when the pipeline sets it,
else the year of the document's signature date (see
:func:`extract.numeric_context.document_year`).

>>> import spacy
>>> nlp = spacy.blank("zh")
>>> _ = nlp.add_pipe("policykg_dates")
>>> doc = nlp.make_doc("到2025年年底新增企业400家，2024年11月底前完成。8月31日前报送，每季度末报送。")
>>> doc.user_data["policykg_context"] = {"document_year": 2024}
>>> doc = nlp(doc)
>>> [(s.text, s._.policykg["start"], s._.policykg["end"], s._.policykg["role"]) for s in doc.spans["dates"]]
[('2025年年底', '2025-12-31', '2025-12-31', 'target'), ('2024年11月底', '2024-11-30', '2024-11-30', 'deadline'), ('8月31日', '2024-08-31', '2024-08-31', 'deadline'), ('每季度末', None, None, 'recurrence')]
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Iterator

from spacy.language import Language
from spacy.tokens import Doc

from extract.numbers import parse_number, to_ascii_digits
from extract.numeric_context import anchored_finditer, document_year, make_span, word_regex, words
from extract.patterns import doc_text, trie_pattern

COMPONENT = "policykg_dates"
SPANS_KEY = "dates"
LABEL = "DATE"

_S = "[ \\t\\u3000\\u00a0]*"
_YEAR = "(?:[12][0-9]{3}|[一二][〇零○一二三四五六七八九]{3})"
_MONTH = "(?:[0-9]{1,2}|十[一二]?|[一二三四五六七八九])"
_DAY = "(?:[0-9]{1,2}|[一二]?十[一二三四五六七八九]?|三十一?|[一二三四五六七八九])"
_MONTH_PART = "(?:底|末|初|上旬|中旬|下旬)"
_LINK = f"(?:{trie_pattern(words('dates', 'range_links'))})"

DATE = re.compile(
    rf"(?<![0-9])(?:"
    # 2020-2022年, 2020年至2022年, 2023—2025年
    rf"(?P<ry1>{_YEAR}){_S}年?{_S}{_LINK}{_S}(?P<ry2>{_YEAR}){_S}年(?!{_S}{_MONTH}{_S}月)"
    # 2024年10月12日, 2024年11月底, 2024年10月
    rf"|(?P<y>{_YEAR}){_S}年{_S}(?:(?P<m>{_MONTH})(?:{_S}(?:-|－|—|–|~|～|至|到){_S}(?P<mto>{_MONTH}))?{_S}月(?:{_S}(?P<d>{_DAY}){_S}[日号]|份?(?P<mpart>{_MONTH_PART}))?"
    rf"|(?P<ypart>年底|年末|年初|底|末|初|上半年|下半年|第?[一二三四1-4]季度|度))?"
    # 2024-10-12, 2024.10.12, 2024/10/12
    rf"|(?P<ny>[12][0-9]{{3}})(?P<sep>[-./])(?P<nm>[0-9]{{1,2}})(?P=sep)(?P<nd>[0-9]{{1,2}})(?![0-9])"
    # 每季度末, 每年3月底前, 每月, 按月
    rf"|(?P<rec>(?:每|按)个?(?:年度?|半年|季度?|月度?|周|旬)(?![化息利])"
    rf"(?:{_S}(?:{_MONTH}){_S}月(?:{_S}{_DAY}{_S}[日号]|{_MONTH_PART})?|{_S}{_DAY}{_S}[日号]|{_MONTH_PART})?)"
    # 8月31日, 11月底 (year from context)
    rf"|(?<![个第])(?P<m2>{_MONTH}){_S}月(?:{_S}(?P<d2>{_DAY}){_S}[日号]|份?(?P<mpart2>{_MONTH_PART}))"
    # 上半年 / 下半年 (year from context), 今年 / 明年
    rf"|(?<![0-9年])(?P<half>上半年|下半年)"
    rf"|(?P<rel>今年|明年|去年)(?P<relpart>年底|年末|底|上半年|下半年|第?[一二三四]季度)?"
    rf")"
)
#: Months and days written in Chinese numerals must not be parts of words (一月一协调).
#: Every date holds one of these; scanning only near them finds every date.
_ANCHOR = re.compile("[年月每按]|[0-9]{4}[-./]")
_SENTENCE_BREAK = re.compile("[。；;！!？?\n]")
_YEAR_MENTION = re.compile(rf"({_YEAR}){_S}年")
_LINK_ONLY = re.compile(rf"^{_S}{_LINK}{_S}$")
_CLAUSE_OPEN = re.compile(r"(?:^|[，,。；;：:、！!？?\n（(】\]“\"]|在|于)[ \t\u3000\u00a0]*$")
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass
class DateMention:
    start: int
    end: int
    first: date | None
    last: date | None
    role: str
    precision: str  # "day" | "month" | "year" | "range" (of years) | "span" (of dates) | "recurrence"
    explicit_year: bool = True
    relative: bool = False  # 下一年度1月底: a month of a year named only relative to something

    def attributes(self) -> dict:
        return {
            "start": self.first.isoformat() if self.first else None,
            "end": self.last.isoformat() if self.last else None,
            "role": self.role,
        }


def _year(text: str | None) -> int | None:
    if not text:
        return None
    value = parse_number(text)
    if value is None or not 1900 <= value <= 2100:
        return None
    return int(value)


def _small(text: str | None, high: int) -> int | None:
    if not text:
        return None
    value = parse_number(text)
    if value is None or not 1 <= value <= high or not value.is_integer():
        return None
    return int(value)


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _month_interval(year: int, month: int, part: str | None) -> tuple[date, date]:
    last = _last_day(year, month)
    if part in ("底", "末"):
        return last, last
    if part in ("初", "上旬"):
        return date(year, month, 1), date(year, month, 10)
    if part == "中旬":
        return date(year, month, 11), date(year, month, 20)
    if part == "下旬":
        return date(year, month, 21), last
    return date(year, month, 1), last


def _year_interval(year: int, part: str | None) -> tuple[date, date]:
    if part in ("年底", "年末", "底", "末"):
        return date(year, 12, 31), date(year, 12, 31)
    if part in ("年初", "初"):
        return date(year, 1, 1), date(year, 1, 1)
    if part == "上半年":
        return date(year, 1, 1), date(year, 6, 30)
    if part == "下半年":
        return date(year, 7, 1), date(year, 12, 31)
    if part and "季度" in part:
        quarter = _QUARTERS.get(part.strip("第季度"), 0)
        if quarter:
            return date(year, 3 * quarter - 2, 1), _last_day(year, 3 * quarter)
    return date(year, 1, 1), date(year, 12, 31)


def _context_year(text: str, position: int, fallback: int | None) -> int | None:
    """The last year written before ``position`` in the same sentence, else ``fallback``."""
    sentence_start = 0
    for match in _SENTENCE_BREAK.finditer(text, max(0, position - 300), position):
        sentence_start = match.end()
    years = [_year(m.group(1)) for m in _YEAR_MENTION.finditer(text, max(sentence_start, position - 300), position)]
    years = [y for y in years if y]
    return years[-1] if years else fallback


def _interval(match: re.Match, text: str, doc_year: int | None) -> DateMention | None:
    start, end = match.span()
    try:
        if match.group("ry1"):
            first, last = _year(match.group("ry1")), _year(match.group("ry2"))
            if first is None or last is None or first > last:
                return None
            return DateMention(start, end, date(first, 1, 1), date(last, 12, 31), "", "range")
        if match.group("y"):
            year = _year(match.group("y"))
            if year is None:
                return None
            month = _small(match.group("m"), 12)
            if match.group("m") and month is None:
                return None
            if month is None:
                first, last = _year_interval(year, match.group("ypart"))
                return DateMention(start, end, first, last, "", "year")
            if match.group("mto"):
                # 2024年1-6月: a run of months
                month_to = _small(match.group("mto"), 12)
                if month_to is None or month_to < month:
                    return None
                if match.group("d"):
                    return None  # 2024年1-6月5日 is not a date anyone writes
                first = date(year, month, 1)
                last = _month_interval(year, month_to, match.group("mpart"))[1]
                return DateMention(start, end, first, last, "", "month")
            if match.group("d"):
                day = _small(match.group("d"), 31)
                if day is None:
                    return None
                point = date(year, month, day)
                return DateMention(start, end, point, point, "", "day")
            first, last = _month_interval(year, month, match.group("mpart"))
            return DateMention(start, end, first, last, "", "month")
        if match.group("ny"):
            point = date(int(match.group("ny")), int(match.group("nm")), int(match.group("nd")))
            if not 1900 <= point.year <= 2100:
                return None
            return DateMention(start, end, point, point, "", "day")
        if match.group("rec"):
            return DateMention(start, end, None, None, "recurrence", "recurrence")
        if match.group("m2"):
            month = _small(match.group("m2"), 12)
            if month is None:
                return None
            if not match.group("m2")[0].isdigit() and start > 0 and "\u4e00" <= text[start - 1] <= "\u9fff":
                return None  # 一月一协调, 十二月党人: Chinese month numerals inside words
            relative = _ends_with(word_regex("dates", "relative_year_before"), text, start, 5)
            year = None if relative else _context_year(text, start, doc_year)
            day = _small(match.group("d2"), 31) if match.group("d2") else None
            if match.group("d2") and day is None:
                return None
            if year is None:
                return DateMention(start, end, None, None, "", "day" if day else "month", False, relative)
            if day:
                point = date(year, month, day)
                return DateMention(start, end, point, point, "", "day", False)
            first, last = _month_interval(year, month, match.group("mpart2"))
            return DateMention(start, end, first, last, "", "month", False)
        if match.group("half"):
            year = _context_year(text, start, doc_year)
            if year is None:
                return DateMention(start, end, None, None, "", "year", False)
            first, last = _year_interval(year, match.group("half"))
            return DateMention(start, end, first, last, "", "year", False)
        if match.group("rel"):
            if doc_year is None:
                return DateMention(start, end, None, None, "", "year", False)
            year = doc_year + {"明年": 1, "去年": -1}.get(match.group("rel"), 0)
            first, last = _year_interval(year, match.group("relpart"))
            return DateMention(start, end, first, last, "", "year", False)
    except ValueError:  # 2月30日 and other impossible days
        return None
    return None


def _starts_with(pattern: re.Pattern[str], text: str, position: int) -> int:
    """Length of the trigger word at ``position`` (0 when none)."""
    match = pattern.match(text, position)
    return match.end() - position if match else 0


def _ends_with(pattern: re.Pattern[str], text: str, position: int, reach: int = 6) -> bool:
    """Whether a trigger word ends right at ``position`` (spaces allowed)."""
    window = text[max(0, position - reach):position].rstrip(" \t\u3000")
    return any(m.end() == len(window) for m in pattern.finditer(window))


def _role(mention: DateMention, text: str, doc_year: int | None) -> str:
    if mention.role == "recurrence":
        return "recurrence"
    after = mention.end
    while after < len(text) and text[after] in " \t\u3000":
        after += 1
    before = mention.start
    if _ends_with(word_regex("dates", "expiry_before"), text, before) or _starts_with(
        word_regex("dates", "expiry_after"), text, after
    ):
        return "expiry"
    if _starts_with(word_regex("dates", "effective_after"), text, after) and not _starts_with(
        word_regex("dates", "since_after"), text, after
    ):
        return "effective"
    if _starts_with(word_regex("dates", "deadline_after"), text, after):
        return "deadline"
    if _ends_with(word_regex("dates", "asof_before"), text, before):
        return "other"
    if _ends_with(word_regex("dates", "target_before"), text, before, 4):
        return "target"
    if mention.precision == "day" and mention.explicit_year and (
        _starts_with(word_regex("dates", "issued_after"), text, after) or _signature_line(text, before, after)
    ):
        return "issued"
    if mention.first and mention.first == mention.last and _starts_with(
        word_regex("dates", "deadline_completion_after"), text, after
    ):
        return "deadline"
    year = mention.first.year if mention.first else None
    opens_clause = _CLAUSE_OPEN.search(text, max(0, before - 3), before) is not None
    if (
        mention.precision in ("year", "range")
        and opens_clause
        and year is not None
        and doc_year is not None
        and year >= doc_year
        and not _starts_with(word_regex("dates", "since_after"), text, after)
    ):
        return "target"
    return "other"


_SENTENCE_PUNCTUATION = re.compile("[，,。；;：:！？!?]")


def _signature_line(text: str, start: int, end: int) -> bool:
    """Whether the date ends its line and is alone on it or follows a short name
    (厦门市人民政府办公厅 2022年12月28日), as a signature date does; a body sentence
    broken at a page end after a date is not one."""
    if end < len(text) and text[end] not in "\r\n":
        return False
    line_start = text.rfind("\n", max(0, start - 60), start) + 1
    if line_start == 0 and start > 60:
        return False
    head = text[line_start:start]
    return len(head.strip()) <= 40 and _SENTENCE_PUNCTUATION.search(head) is None


def find_dates(text: str, doc_year: int | None = None) -> list[DateMention]:
    """All dates in ``text``; ``doc_year`` resolves dates written without a year.

    >>> [(d.attributes()["start"], d.attributes()["end"], d.role) for d in find_dates("自2025年1月1日起施行，有效期至2029年12月31日")]
    [('2025-01-01', '2025-01-01', 'effective'), ('2029-12-31', '2029-12-31', 'expiry')]
    >>> [(d.attributes()["start"], d.attributes()["end"]) for d in find_dates("2025年第二季度；2020-2022年；2023—2025年")]
    [('2025-04-01', '2025-06-30'), ('2020-01-01', '2022-12-31'), ('2023-01-01', '2025-12-31')]
    >>> [(d.attributes(), d.end - d.start) for d in find_dates("2024年3月1日至6月30日")]
    [({'start': '2024-03-01', 'end': '2024-06-30', 'role': 'other'}, 15)]
    """
    ascii_text = to_ascii_digits(text)  # same length: offsets are unchanged
    mentions: list[DateMention] = []
    for match in anchored_finditer(DATE, ascii_text, _ANCHOR, 40, 24):
        mention = _interval(match, ascii_text, doc_year)
        if mention is None:
            continue
        if mentions and _recurring_window(mentions[-1], mention, ascii_text):
            # 每年3月15日至4月15日: one yearly window, still without a calendar date.
            previous = mentions.pop()
            mention = DateMention(previous.start, mention.end, None, None, "recurrence", "recurrence")
        elif mentions and _mergeable(mentions[-1], mention, ascii_text):
            previous = mentions.pop()
            # "span": a window between two calendar dates (never a plan year).
            mention = DateMention(previous.start, mention.end, previous.first, mention.last, "", "span")
        mentions.append(mention)
    last_recurrence = -1
    for mention in mentions:
        mention.role = _role(mention, ascii_text, doc_year)
        if mention.role == "recurrence":
            last_recurrence = mention.end
        elif mention.relative and last_recurrence >= 0 and not _SENTENCE_BREAK.search(
                ascii_text, last_recurrence, mention.start):
            # 按年度…于下一年度1月底报送: a date relative to a yearly cycle recurs with it.
            mention.role = "recurrence"
    return mentions


def _recurring_window(first: DateMention, second: DateMention, text: str) -> bool:
    return (first.precision == "recurrence" and not second.explicit_year
            and second.precision in ("day", "month")
            and _LINK_ONLY.match(text[first.end:second.start]) is not None)


def _mergeable(first: DateMention, second: DateMention, text: str) -> bool:
    """2024年3月1日至6月30日: two dates joined by 至/到/— are one interval."""
    if first.precision == "recurrence" or second.precision == "recurrence":
        return False
    if not (first.first and second.last and first.first <= second.last):
        return False
    return _LINK_ONLY.match(text[first.end:second.start]) is not None


def date_spans(doc: Doc) -> Iterator:
    text = doc_text(doc)
    for mention in find_dates(text, document_year(doc)):
        span = make_span(doc, mention.start, mention.end, LABEL, mention.attributes(), len(text))
        if span is not None:
            yield span


@Language.factory(COMPONENT, assigns=["doc.spans"])
def make_dates(nlp: Language, name: str) -> "DatesComponent":
    """Create the dates component (``nlp.add_pipe("policykg_dates")``)."""
    return DatesComponent()


class DatesComponent:
    """Writes ``doc.spans["dates"]``."""

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[SPANS_KEY] = list(date_spans(doc))
        return doc
