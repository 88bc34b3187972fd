"""extract/durations.py: ISO-8601 durations, working days marked."""

from __future__ import annotations

import pytest

from extract.numeric_pipeline import numeric_records


def durations(text: str) -> list[dict]:
    return numeric_records(text)["durations"]


@pytest.mark.parametrize(
    ("text", "matched", "value", "working_days"),
    [
        ("本措施自发布之日起施行，有效期1年。", "1年", "P1Y", False),
        ("给予最长3年的贴息支持", "3年", "P3Y", False),
        ("5年过渡期内可继续按土地原用途使用", "5年", "P5Y", False),
        ("连续三年获评", "三年", "P3Y", False),
        ("缴纳社会保险满6个月", "6个月", "P6M", False),
        ("45个工作日内办结", "45个工作日", "P45D", True),
        ("前两年给予全额补贴", "两年", "P2Y", False),
        ("30日内完成审核", "30日", "P30D", False),
        ("3个工作日内答复", "3个工作日", "P3D", True),
        ("为期15天的培训", "15天", "P15D", False),
        ("每季度报送一次，半年内完成", "半年", "P6M", False),
        ("执行期一年半", "一年半", "P1Y6M", False),
        ("租期2个季度", "2个季度", "P6M", False),
        ("24小时内响应", "24小时", "PT24H", False),
        ("初创３年内的小微企业", "３年", "P3Y", False),
        ("有效期五年", "五年", "P5Y", False),
        ("持续十年", "十年", "P10Y", False),
    ],
)
def test_duration_values(text: str, matched: str, value: str, working_days: bool) -> None:
    (found,) = durations(text)
    assert (found["text"], found["value"], found["working_days"]) == (matched, value, working_days)


@pytest.mark.parametrize(
    "text",
    ["2025年6月30日前", "2025年上半年", "下半年完成", "每半年报送", "12日召开", "统一年度考核",
     "成立十周年", "2020-2022年", "第三年起", "百年老店", "2035年远景目标"],
)
def test_not_durations(text: str) -> None:
    assert durations(text) == []


def test_several_in_one_sentence() -> None:
    found = durations("签订1年以上劳动合同且缴纳失业、工伤、职工养老保险满3个月以上")
    assert [d["value"] for d in found] == ["P1Y", "P3M"]
