"""extract/rates.py: percentages as fractions, percentage points kept apart."""

from __future__ import annotations

import pytest

from extract.numeric_pipeline import numeric_records


def rates(text: str) -> list[dict]:
    return numeric_records(text)["rates"]


@pytest.mark.parametrize(
    ("text", "matched", "value", "kind"),
    [
        ("担保费率1%", "1%", 0.01, "percent"),
        ("按保费50%给予补贴", "50%", 0.5, "percent"),
        ("省级给予年化2%的贴息", "年化2%", 0.02, "percent"),
        ("费率0.5%", "0.5%", 0.005, "percent"),
        ("降低百分之五", "百分之五", 0.05, "percent"),
        ("提高百分之十二点五", "百分之十二点五", 0.125, "percent"),
        ("提供2%/年低成本融资支持", "2%/年", 0.02, "percent"),
        ("比例为３０％", "３０％", 0.3, "percent"),
        ("不良率提高不超过3个百分点", "3个百分点", 0.03, "points"),
        ("下降两个百分点", "两个百分点", 0.02, "points"),
        ("贴息率3‰", "3‰", 0.003, "percent"),
        ("R&D投入强度达3.21%", "3.21%", 0.0321, "percent"),
        ("出口额增长327.7%", "327.7%", 3.277, "percent"),
    ],
)
def test_rate_values(text: str, matched: str, value: float, kind: str) -> None:
    (found,) = rates(text)
    assert (found["text"], found["value"], found["kind"]) == (matched, value, kind)


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("贷款贴息不超过LPR的50%", "maximum"),
        ("担保费率原则上不超过 1%", "maximum"),
        ("最低首付比例统一为不低于15%", "minimum"),
        ("全程网办率达到70%以上", "minimum"),
        ("比例达40%左右", "approximate"),
        ("按实际投资额的10%给予补助", "exact"),
        ("约定不低于合同金额30%的预付款", "minimum"),
        ("补助比例最高30%", "maximum"),
    ],
)
def test_rate_qualifiers(text: str, qualifier: str) -> None:
    (found,) = rates(text)
    assert found["qualifier"] == qualifier


def test_range_gives_both_ends() -> None:
    low, high = rates("补助比例为5-10%")
    assert (low["value"], low["qualifier"], high["value"], high["qualifier"]) == (0.05, "minimum", 0.1, "maximum")


@pytest.mark.parametrize("text", ["增长10倍", "新增企业400家", "2024年", "“4+4+6”现代化产业体系"])
def test_not_rates(text: str) -> None:
    assert rates(text) == []
