"""extract/amounts.py: money normalised to yuan, qualifiers, per-unit, ranges and changes."""

from __future__ import annotations

import pytest

from extract.numeric_pipeline import numeric_records as run


def amounts(text: str) -> list[dict]:
    return run(text)["amounts"]


@pytest.mark.parametrize(
    ("text", "matched", "value"),
    [
        ("奖励20万元。", "20万元", 200_000),
        ("安排1.5亿元。", "1.5亿元", 150_000_000),
        ("安排0.5亿元。", "0.5亿元", 50_000_000),
        ("安排1,000万元。", "1,000万元", 10_000_000),
        ("注册资本人民币500万元。", "人民币500万元", 5_000_000),
        ("资助一百万元。", "一百万元", 1_000_000),
        ("资助二十万元。", "二十万元", 200_000),
        ("基金五千万元。", "五千万元", 50_000_000),
        ("每吨补贴千元。", "千元", 1000),
        ("规模突破万亿元。", "万亿元", 1e12),
        ("投资３０万元。", "３０万元", 300_000),
        ("补贴200余万元", "200余万元", 2_000_000),
    ],
)
def test_values_are_normalised_to_yuan(text: str, matched: str, value: float) -> None:
    found = amounts(text)
    assert [(a["text"], a["value"]) for a in found] == [(matched, value)]


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("单个企业最高不超过50万元", "maximum"),
        ("累计给予最高20万元奖励", "maximum"),
        ("补助上限为100万元", "maximum"),
        ("按企业招用人数给予每人不超过1000元", "maximum"),
        ("项目投资不低于1000万元", "minimum"),
        ("总投资超过5亿元", "minimum"),
        ("注册基金总规模超4800亿元", "minimum"),
        ("单笔贷款不少于100万元", "minimum"),
        ("投资额约3亿元", "approximate"),
        ("营业收入50亿元左右", "approximate"),
        ("总投资近10亿元", "approximate"),
        ("设立100亿元科创风投基金群", "exact"),
        ("用好超长期特别国债资金20亿元", "exact"),
    ],
)
def test_qualifiers(text: str, qualifier: str) -> None:
    (found,) = amounts(text)
    assert found["qualifier"] == qualifier


def test_bounds_follow_the_qualifier() -> None:
    exact, maximum, minimum, approximate = amounts("安排5亿元，最高30万元，不低于10万元，约8万元")
    assert (exact["min"], exact["max"]) == (5e8, 5e8)
    assert (maximum["min"], maximum["max"]) == (None, 3e5)
    assert (minimum["min"], minimum["max"]) == (1e5, None)
    assert (approximate["min"], approximate["max"]) == (None, None)


@pytest.mark.parametrize(
    ("text", "per"),
    [
        ("给予每户3000元一次性补贴", "户"),
        ("单家企业最高补助30万元", "企业"),
        ("每家企业最高奖励10万元", "企业"),
        ("单个项目最高500万元", "项目"),
        ("给予每场最高30万元奖励", "场"),
        ("每年安排1亿元", "年"),
        ("每项最高补贴1000万元", "项"),
        ("按3000元/人给予补助", "人"),
        ("租金60元/平方米·月", "平方米·月"),
        ("费用2万元/年", "年"),
        ("担保金额500万元以上", None),
        ("列入名单企业奖励5万元", None),
    ],
)
def test_per_unit(text: str, per: str | None) -> None:
    (found,) = amounts(text)
    assert found["per"] == per


def test_slash_unit_is_part_of_the_span() -> None:
    (found,) = amounts("按3000元/人给予补助")
    assert found["text"] == "3000元/人"


def test_change_gives_the_whole_and_both_ends() -> None:
    text = "技术创新基金规模从300亿元扩大到500亿元，并将…"
    whole, first, second = amounts(text)
    assert whole["text"] == "从300亿元扩大到500亿元"
    assert (whole["value"], whole["min"], whole["max"]) == (5e10, 3e10, 5e10)
    assert (first["text"], first["value"]) == ("300亿元", 3e10)
    assert (second["text"], second["value"]) == ("500亿元", 5e10)


def test_decrease_keeps_min_below_max() -> None:
    whole, _, _ = amounts("由500万元降低至300万元")
    assert (whole["value"], whole["min"], whole["max"]) == (3e6, 3e6, 5e6)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [("给予100万-500万元支持", 1e6, 5e6), ("奖励3-5万元", 3e4, 5e4), ("补助10万元至50万元", 1e5, 5e5),
     ("补助5000-1万元", None, None)],
)
def test_ranges_are_one_amount(text: str, low: float | None, high: float | None) -> None:
    found = amounts(text)
    if low is None:
        assert all(a["min"] is None or a["min"] <= a["value"] for a in found)
        return
    (whole,) = found
    assert (whole["min"], whole["max"], whole["value"], whole["qualifier"]) == (low, high, high, "maximum")


def test_brackets_of_one_rule() -> None:
    text = "对单户担保金额 500 万元及以下的小微企业收取的担保费率原则上不超过 1%，对单户担保金额 500 万元以上的收取不超过 1.5%"
    below, above = amounts(text)
    assert (below["text"], below["qualifier"], below["max"], below["per"]) == ("500 万元及以下", "maximum", 5e6, "户")
    assert (above["text"], above["qualifier"], above["min"]) == ("500 万元以上", "minimum", 5e6)


@pytest.mark.parametrize(
    "text",
    ["新增雏鹰、瞪羚、独角兽企业400家", "推进50个项目", "筹集10000套", "算力达到1000PFlops以上", "增长10%",
     "融资100万美元", "推动金融多元化", "元旦前", "一元化管理", "2025年", "每万元贷款",
     "（单位：万元）", "金额单位万元", "亿元"],
)
def test_counts_and_other_units_are_not_money(text: str) -> None:
    assert amounts(text) == []


def test_spans_are_exact_and_char_aligned() -> None:
    text = "省级财政给予一次性100万元奖励"
    (found,) = amounts(text)
    assert text[found["char_start"]:found["char_end"]] == "100万元"
