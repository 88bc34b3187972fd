"""The one number parser every numeric extractor uses.

Policy texts write numbers as Arabic digits (``1,000``, full-width ``２０``, ``1.5``),
as Chinese numerals (``一百万``, ``二十``, ``两``, ``三十六``, year-style ``二〇二五``)
and as mixtures with a unit multiplier (``1.5亿``, ``5千万``, ``2万亿``). This module
holds the regular-expression fragments for those forms (so every component matches the
same thing) and :func:`parse_number`, which turns one such text into a float.

The parser never raises on odd input and never returns ``inf`` or ``nan``: a number
too large to represent (``1e309``, a 400-digit string) comes back as ``None``.

>>> parse_number("20万"), parse_number("1.5亿"), parse_number("1,000万")
(200000.0, 150000000.0, 10000000.0)
>>> parse_number("一百万"), parse_number("二十"), parse_number("五千万"), parse_number("两")
(1000000.0, 20.0, 50000000.0, 2.0)
>>> parse_number("十一"), parse_number("三十六"), parse_number("一千零五"), parse_number("二〇二五")
(11.0, 36.0, 1005.0, 2025.0)
>>> parse_number("２０２４"), parse_number("万亿"), parse_number("千亿"), parse_number("0.5亿")
(2024.0, 1000000000000.0, 100000000000.0, 50000000.0)
>>> parse_number("9" * 400) is None, parse_number("abc") is None
(True, True)
"""

from __future__ import annotations

import math
import re

#: Characters that stand for digits (including the formal "capital" forms).
CHINESE_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3,
    "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}
#: Units below ten thousand: they multiply the digit before them inside a section.
SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
#: Section units: they multiply everything written before them.
BIG_UNITS: dict[str, float] = {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8}
MULTIPLIERS: dict[str, float] = {**{k: float(v) for k, v in SMALL_UNITS.items()}, **BIG_UNITS}

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")

# --- regular-expression fragments (no capture groups, so callers can name their own) ---
DIGIT = "[0-9０-９]"
#: Arabic number: thousands groups with ASCII commas, or a plain digit run; optional
#: decimals. It never starts inside a digit run and its runs are bounded, so scanning a
#: 100 KB run of digits stays linear instead of retrying the run at every position.
ARABIC = (
    rf"(?<![0-9０-９.．])(?:{DIGIT}{{1,3}}(?:,{DIGIT}{{3}}){{1,12}}(?!{DIGIT})|{DIGIT}{{1,40}}(?!{DIGIT}))"
    rf"(?:[.．]{DIGIT}{{1,12}}(?!{DIGIT}))?"
)
#: A unit multiplier after Arabic digits (万, 亿, 千万, 万亿, 百万 …).
MULTIPLIER = "[十百千万亿萬億]{1,3}"
#: Chinese numeral run (digits, units and zeros), bounded and never starting mid-run.
_CHINESE_CHARS = "零〇○一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億"
CHINESE = rf"(?<![{_CHINESE_CHARS}])[{_CHINESE_CHARS}]{{1,24}}(?![{_CHINESE_CHARS}])"
#: Any number with its multiplier: ``1.5亿``, ``500 万``, ``一百万``, ``千亿``.
NUMBER = rf"(?:{ARABIC}(?:[ \t\u3000\u00a0]*{MULTIPLIER})?|{CHINESE})"
#: Whether a text holds at least one Chinese digit or unit that makes it a quantity.
_HAS_DIGIT = re.compile(rf"{DIGIT}|[零〇○一二两三四五六七八九壹贰叁肆伍陆柒捌玖]")
_ARABIC_HEAD = re.compile(rf"^({ARABIC})[ \t\u3000\u00a0]*([十百千万亿萬億]*)$")
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")
#: Digit strings longer than this are not quantities anyone writes; float() would
#: still cope, but there is no point converting a 100 KB run of digits.
_MAX_DIGITS = 40


def to_ascii_digits(text: str) -> str:
    """Full-width digits, point and comma → ASCII.

    >>> to_ascii_digits("２０２４年１０月")
    '2024年10月'
    """
    return text.translate(_FULL_WIDTH)


def finite(value: float | None) -> float | None:
    """``value`` if it is a finite number, else ``None``.

    >>> finite(1.0), finite(float("inf")), finite(None)
    (1.0, None, None)
    """
    if value is None or not math.isfinite(value):
        return None
    return value


def multiplier_value(text: str) -> float:
    """The product of the unit multipliers in ``text`` (``万亿`` → 1e12, ``""`` → 1).

    >>> multiplier_value("千万"), multiplier_value("")
    (10000000.0, 1.0)
    """
    value = 1.0
    for char in text:
        value *= MULTIPLIERS.get(char, 1.0)
    return value


def parse_chinese(text: str) -> float | None:
    """Value of a Chinese numeral; ``None`` if it is not one.

    >>> parse_chinese("三亿五千万"), parse_chinese("一万二千"), parse_chinese("十万亿")
    (350000000.0, 12000.0, 10000000000000.0)
    """
    if not text or any(c not in CHINESE_DIGITS and c not in MULTIPLIERS for c in text):
        return None
    if len(text) > 1 and all(c in CHINESE_DIGITS for c in text):
        # Positional digits without units: 二〇二五 (years, codes).
        if len(text) > _MAX_DIGITS:
            return None
        return float("".join(str(CHINESE_DIGITS[c]) for c in text))
    total = 0.0
    section = 0.0
    digit = 0.0
    for char in text:
        if char in CHINESE_DIGITS:
            digit = float(CHINESE_DIGITS[char])
        elif char in SMALL_UNITS:
            # 十 alone means 10: a missing digit before a unit counts as one.
            section += (digit or 1.0) * SMALL_UNITS[char]
            digit = 0.0
        else:
            unit = BIG_UNITS[char]
            amount = section + digit
            if unit >= 1e8:
                # 亿 closes everything before it, including a 万 section (万亿).
                total = (total + amount) * unit if (total or amount) else unit
            elif amount:
                total += amount * unit
            elif total:
                total *= unit
            else:
                total = unit  # 万 alone
            section = 0.0
            digit = 0.0
    return finite(total + section + digit)


def parse_number(text: str) -> float | None:
    """Value of a number as written (Arabic, Chinese or mixed, with multipliers).

    Returns ``None`` for text that is not a number or whose value is not finite.

    >>> parse_number("1.24万"), parse_number("500 万"), parse_number("3千万")
    (12400.0, 5000000.0, 30000000.0)
    """
    if not text:
        return None
    text = _SPACES.sub("", to_ascii_digits(text.strip()))
    head = _ARABIC_HEAD.match(text)
    if head:
        digits, units = head.groups()
        digits = digits.replace(",", "")
        if len(digits) > _MAX_DIGITS:
            return None
        try:
            base = float(digits)
        except ValueError:
            return None
        return finite(base * multiplier_value(units))
    return parse_chinese(text)


def looks_numeric(text: str) -> bool:
    """Whether ``text`` contains a digit (so ``万`` or ``千亿`` alone does not count).

    >>> looks_numeric("千亿"), looks_numeric("3万"), looks_numeric("两")
    (False, True, True)
    """
    return bool(_HAS_DIGIT.search(text))


def format_decimal(value: float) -> str:
    """A number for ISO-8601 durations and labels: ``3.0`` → ``"3"``, ``1.5`` → ``"1.5"``.

    >>> format_decimal(3.0), format_decimal(1.5), format_decimal(0.25)
    ('3', '1.5', '0.25')
    """
    if value.is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")
