"""extract/dates.py: intervals with ISO start/end and a role."""

from __future__ import annotations

import pytest

from extract.numeric_context import year_from_text
from extract.numeric_pipeline import numeric_records


def dates(text: str, year: int | None = 2024) -> list[dict]:
    return numeric_records(text, document_year=year)["dates"]


def one(text: str, year: int | None = 2024) -> tuple:
    (found,) = dates(text, year)
    return found["text"], found["start"], found["end"], found["role"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("厦门市人民政府办公厅\n2024年10月12日\n", ("2024年10月12日", "2024-10-12", "2024-10-12", "issued")),
        ("2025年06月09日印发", ("2025年06月09日", "2025-06-09", "2025-06-09", "issued")),
        ("2024年11月底完成资格审核", ("2024年11月底", "2024-11-30", "2024-11-30", "deadline")),
        ("2025年年底前完成20项", ("2025年年底", "2025-12-31", "2025-12-31", "deadline")),
        ("2025年年末，全市", ("2025年年末", "2025-12-31", "2025-12-31", "target")),
        ("2025年底前建成", ("2025年底", "2025-12-31", "2025-12-31", "deadline")),
        ("2025年第二季度集中举办", ("2025年第二季度", "2025-04-01", "2025-06-30", "target")),
        ("2025年上半年，完成", ("2025年上半年", "2025-01-01", "2025-06-30", "target")),
        ("《实施方案(2020-2022年)》", ("2020-2022年", "2020-01-01", "2022-12-31", "other")),
        ("2023—2025年行动计划", ("2023—2025年", "2023-01-01", "2025-12-31", "other")),
        ("到2025年，全市", ("2025年", "2025-01-01", "2025-12-31", "target")),
        ("力争到2027年实现", ("2027年", "2027-01-01", "2027-12-31", "target")),
        ("2026年6月30日前报送", ("2026年6月30日", "2026-06-30", "2026-06-30", "deadline")),
        ("8月31日前报送", ("8月31日", "2024-08-31", "2024-08-31", "deadline")),
        ("自2025年1月1日起施行", ("2025年1月1日", "2025-01-01", "2025-01-01", "effective")),
        ("有效期至2027年12月31日", ("2027年12月31日", "2027-12-31", "2027-12-31", "expiry")),
        ("截至2023年末，全市", ("2023年末", "2023-12-31", "2023-12-31", "other")),
        ("2023年，全市GDP", ("2023年", "2023-01-01", "2023-12-31", "other")),
        ("2024-10-12发布", ("2024-10-12", "2024-10-12", "2024-10-12", "issued")),
        ("二〇二四年十月十二日", ("二〇二四年十月十二日", "2024-10-12", "2024-10-12", "issued")),
        ("２０２５年３月", ("２０２５年３月", "2025-03-01", "2025-03-31", "other")),
        ("2025年3月中旬", ("2025年3月中旬", "2025-03-11", "2025-03-20", "other")),
    ],
)
def test_absolute_dates(text: str, expected: tuple) -> None:
    assert one(text) == expected


@pytest.mark.parametrize(
    ("text", "matched"),
    [("每季度末报送", "每季度末"), ("每年3月底前报送", "每年3月底"), ("每月跟踪", "每月"), ("按月分析", "按月"),
     ("每年度听取", "每年度"), ("每月10日前报送", "每月10日")],
)
def test_recurrences_get_no_date(text: str, matched: str) -> None:
    assert one(text) == (matched, None, None, "recurrence")


def test_effective_and_expiry_in_one_sentence() -> None:
    found = dates("本办法自2025年1月1日起施行，有效期5年，有效期至2029年12月31日。")
    assert [(d["start"], d["role"]) for d in found] == [("2025-01-01", "effective"), ("2029-12-31", "expiry")]


def test_date_range_is_one_interval() -> None:
    assert one("活动时间为2024年3月1日至6月30日。") == ("2024年3月1日至6月30日", "2024-03-01", "2024-06-30", "other")


def test_year_from_the_sentence_wins_over_the_document_year() -> None:
    found = dates("2025年，上半年完成招标", 2024)
    assert (found[1]["start"], found[1]["end"]) == ("2025-01-01", "2025-06-30")


def test_no_document_year_means_no_invented_date() -> None:
    assert one("8月31日前报送", None) == ("8月31日", None, None, "deadline")


def test_relative_year_is_not_resolved() -> None:
    assert one("形成年度报告于下一年度1月底统一报送", 2022) == ("1月底", None, None, "other")
    found = dates("各区按年度细化工作内容，形成年度报告于下一年度1月底统一报送。", 2022)
    assert [(d["text"], d["start"], d["role"]) for d in found] == [("按年度", None, "recurrence"),
                                                                    ("1月底", None, "recurrence")]


def test_document_year_falls_back_to_the_signature_date() -> None:
    assert year_from_text("通知\n\n厦门市人民政府办公厅\n2022年12月28日\n") == 2022
    text = "印发通知\n大连市人民政府办公厅\n2024年10月27日\n9月26日会议精神"
    found = numeric_records(text)["dates"]
    assert found[-1]["start"] == "2024-09-26"


@pytest.mark.parametrize("text", ["2月30日", "13月5日", "2024年13月", "厦府办规〔2024〕12号", "3个月", "第84次",
                                  "一月一协调", "0000年"])
def test_impossible_or_non_dates(text: str) -> None:
    assert dates(text) == []


def test_a_body_sentence_broken_after_a_date_is_not_a_signature() -> None:
    text = "经研究，会议于2024年5月10日\n\n召开，现将有关事项通知如下。\n厦门市人民政府办公厅 2024年5月20日\n"
    assert [(d["text"], d["role"]) for d in dates(text)] == [("2024年5月10日", "other"), ("2024年5月20日", "issued")]


def test_recurring_window_stays_a_recurrence() -> None:
    assert one("申报材料应于每年3月15日至4月15日报送。") == ("每年3月15日至4月15日", None, None, "recurrence")
