"""extract/numbers.py: the shared number parser."""

from __future__ import annotations

import math
import re

import pytest

from extract.numbers import ARABIC, CHINESE, NUMBER, format_decimal, parse_number, to_ascii_digits


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("20万", 200_000),
        ("1.5亿", 150_000_000),
        ("0.5亿", 50_000_000),
        ("1,000万", 10_000_000),
        ("500 万", 5_000_000),
        ("一百万", 1_000_000),
        ("二十万", 200_000),
        ("五千万", 50_000_000),
        ("千", 1000),
        ("万亿", 1e12),
        ("2万亿", 2e12),
        ("二十", 20),
        ("两", 2),
        ("〇", 0),
        ("零", 0),
        ("十一", 11),
        ("三十六", 36),
        ("一千零五", 1005),
        ("三亿五千万", 350_000_000),
        ("一万二千", 12_000),
        ("二〇二五", 2025),
        ("２０２４", 2024),
        ("１．５亿", 150_000_000),
        ("1.24万", 12_400),
        ("3千万", 30_000_000),
        ("壹佰万", 1_000_000),
        ("12,345,678", 12_345_678),
    ],
)
def test_parses_numbers_as_written(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "万x", "1e309", "9" * 400, "1" + "0" * 400, "亿" * 200, "元"])
def test_rejects_non_numbers_and_non_finite_values(text: str) -> None:
    value = parse_number(text)
    assert value is None or math.isfinite(value)
    if text in ("", "abc", "万x", "1e309", "元") or text.startswith(("9", "1")):
        assert value is None


def test_huge_chinese_numeral_is_not_infinite() -> None:
    assert parse_number("亿" * 50) is None  # 1e400 overflows: no value rather than inf


def test_full_width_digits_become_ascii_without_moving_offsets() -> None:
    text = "２０２４年１０月１２日"
    assert to_ascii_digits(text) == "2024年10月12日"
    assert len(to_ascii_digits(text)) == len(text)


def test_number_fragment_matches_whole_numbers_only() -> None:
    pattern = re.compile(NUMBER)
    assert [m.group() for m in pattern.finditer("投资1.5亿，补助二十万，1,000万")] == ["1.5亿", "二十万", "1,000万"]
    # A long digit run is not a number, and matching it does not start inside the run.
    assert re.compile(ARABIC).findall("9" * 100) == []
    assert re.compile(CHINESE).findall("一" * 30) == []


def test_format_decimal() -> None:
    assert [format_decimal(v) for v in (3.0, 1.5, 0.125, 45.0)] == ["3", "1.5", "0.125", "45"]
