"""Random and adversarial text through every numeric extractor: no crash, no hang,
spans inside the text, values finite."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.amounts import find_amounts
from extract.dates import find_dates
from extract.durations import find_durations
from extract.numbers import parse_number
from extract.numeric_pipeline import NUMERIC_KEYS, numeric_records
from extract.rates import find_rates
from extract.targets import find_targets

# Characters the extractors react to, mixed with anything else.
_MEANINGFUL = list("0123456789０１２３４５６７８９.,，。；：、%％‰-—~至到从由年月日号季度底末前起止每按单家个项户元万亿千百十一二两三五〇零")
_WORDS = ["最高", "不超过", "以上", "以下", "左右", "达到", "超过", "新增", "建成", "给予", "人民币", "百分之", "个百分点",
          "工作日", "个月", "有效期", "自", "施行", "有效期至", "上半年", "第二季度", "年底", "1e309", "（", "）", "“", "\n",
          "/人", "/年", "年化", "2024年10月12日", "从300亿元扩大到"]
TEXT = st.lists(
    st.one_of(st.sampled_from(_MEANINGFUL), st.sampled_from(_WORDS), st.text(max_size=3)),
    max_size=80,
).map("".join)

ADVERSARIAL = [
    "9" * 100_000,
    "1" + "0" * 400 + "万元",
    "1e309" * 20_000,
    "一" * 100_000,
    "亿" * 50_000 + "元",
    "万亿元" * 30_000,
    "2024年" * 20_000,
    "每年" * 50_000,
    "达到" * 50_000 + "5家",
    "（" * 100_000,
    "“" * 50_000 + "”",
    "1," * 50_000 + "000万元",
    "百分之" * 30_000,
    "x" * 100_000,
    "5家，达到" * 16_000,
    "12万元" * 25_000,
    "新增企业5家" * 16_000,
    "从" * 50_000 + "300亿元扩大到500亿元",
    "最高" * 50_000 + "20万元",
    "Ω漢字ひらがなعربي🙂" * 5_000,
    ("到2025年新增企业400家，" * 5_000).replace("，", ""),
    "9" * 309 + "%",
    "9" * 309 + "个百分点",
    "9" * 320 + "年",
]

FINDERS = {
    "amounts": find_amounts,
    "rates": find_rates,
    "dates": lambda text: find_dates(text, 2024),
    "durations": find_durations,
    "targets": lambda text: find_targets(text, 2024),
}


def _check_records(text: str, records: dict[str, list[dict]]) -> None:
    for key in NUMERIC_KEYS:
        for record in records[key]:
            assert 0 <= record["char_start"] < record["char_end"] <= len(text)
            for name in ("value", "min", "max"):
                value = record.get(name)
                if isinstance(value, float):
                    assert math.isfinite(value), (key, record)
            if key == "durations":
                assert re.fullmatch(r"P(?:T?[0-9.]+[YMWDH])+|P[0-9]+Y6M", record["value"])
            if key == "dates" and record["start"] is not None:
                assert record["start"] <= record["end"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_random_text_through_the_pipeline(text: str) -> None:
    _check_records(text, numeric_records(text, document_year=2024))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_parse_number_never_crashes(text: str) -> None:
    value = parse_number(text)
    assert value is None or math.isfinite(value)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("text", ADVERSARIAL, ids=lambda text: repr(text[:12]))
def test_adversarial_text(text: str) -> None:
    for key, finder in FINDERS.items():
        for found in finder(text):
            assert 0 <= found.start < found.end <= len(text), key
            for name in ("value", "low", "high"):
                value = getattr(found, name, None)
                if isinstance(value, float):
                    assert math.isfinite(value), (key, found)


@pytest.mark.timeout(60)
def test_adversarial_line_through_spacy() -> None:
    text = "到2025年新增企业400家，单家企业最高补助30万元，费率1%，有效期1年。" * 1_500  # ~100 KB
    records = numeric_records(text, document_year=2024)
    _check_records(text, records)
    assert len(records["amounts"]) == 1_500
