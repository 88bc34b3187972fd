"""Sentences written in the styles of other cities' and provinces' policies (invented for
these tests, not copied from any document): the numeric extractors must not depend on
the wording of the bundled samples."""

from __future__ import annotations

from extract.numeric_pipeline import numeric_records


def values(records: list[dict], *keys: str) -> list[tuple]:
    return [tuple(r[k] for k in ("text", *keys)) for r in records]


def test_research_subsidy_clause() -> None:
    found = numeric_records("对符合条件的企业，按其上年度研发投入的10%给予最高不超过500万元的资助。")
    assert values(found["rates"], "value", "qualifier") == [("10%", 0.1, "exact")]
    assert values(found["amounts"], "value", "qualifier") == [("500万元", 5e6, "maximum")]
    assert found["targets"] == []


def test_per_project_and_capital_numerals() -> None:
    found = numeric_records("单个项目资助金额最高不超过1000万元；对获评企业一次性奖励人民币壹佰万元整。")
    assert values(found["amounts"], "value", "qualifier", "per") == [
        ("1000万元", 1e7, "maximum", "项目"), ("人民币壹佰万元", 1e6, "exact", None)]


def test_interest_subsidy_in_points_and_duration() -> None:
    found = numeric_records("按照贷款实际发生额的1.5个百分点给予贴息，贴息期限不超过2年。")
    assert values(found["rates"], "value", "kind") == [("1.5个百分点", 0.015, "points")]
    assert values(found["durations"], "value") == [("2年", "P2Y")]


def test_yearly_support_for_consecutive_years() -> None:
    found = numeric_records("每年最高补贴200万元，连续支持不超过3年。")
    assert values(found["amounts"], "per", "qualifier") == [("200万元", "年", "maximum")]
    assert values(found["durations"], "value") == [("3年", "P3Y")]
    assert values(found["dates"], "role") == [("每年", "recurrence")]


def test_rent_subsidy_per_square_metre_and_month() -> None:
    found = numeric_records("租金补贴标准为2000元/人·月，场地补贴60元/平方米·月。")
    assert values(found["amounts"], "per") == [("2000元/人·月", "人·月"), ("60元/平方米·月", "平方米·月")]


def test_entry_into_force_and_expiry() -> None:
    found = numeric_records("本办法自2024年3月1日起施行，有效期至2028年2月29日。", 2024)
    assert values(found["dates"], "start", "role") == [("2024年3月1日", "2024-03-01", "effective"),
                                                       ("2028年2月29日", "2028-02-29", "expiry")]
    found = numeric_records("本办法自印发之日起30日后施行，有效期3年。")
    assert values(found["durations"], "value") == [("30日", "P30D"), ("3年", "P3Y")]


def test_application_window_and_yearly_deadline() -> None:
    found = numeric_records("申报时间：2024年5月10日—6月10日。申报单位于每年6月30日前完成年度报告。", 2024)
    assert values(found["dates"], "start", "end", "role") == [
        ("2024年5月10日—6月10日", "2024-05-10", "2024-06-10", "other"),
        ("每年6月30日", None, None, "recurrence"),
    ]


def test_relative_years_resolve_against_the_document_year() -> None:
    found = numeric_records("今年年底前完成改造任务，明年上半年全面投用，较去年增长。", 2025)
    assert values(found["dates"], "start", "end") == [("今年年底", "2025-12-31", "2025-12-31"),
                                                      ("明年上半年", "2026-01-01", "2026-06-30"),
                                                      ("去年", "2024-01-01", "2024-12-31")]


def test_targets_in_plan_style() -> None:
    text = ("到2027年，全市数字经济核心产业增加值占地区生产总值比重达到12%左右，"
            "力争培育形成5个千亿级产业集群，规模以上工业增加值年均增长6%以上。")
    found = numeric_records(text, 2024)["targets"]
    assert [(t["value"], t["unit"], t["year"]) for t in found] == [(0.12, "%", 2027), (5.0, "个", 2027), (0.06, "%", 2027)]


def test_conditions_are_not_targets() -> None:
    text = "对营业收入首次突破1亿元的企业，给予100万元奖励；培育年营收超10亿元企业20家。"
    found = numeric_records(text, 2024)
    assert [(t["value"], t["unit"]) for t in found["targets"]] == [(20.0, "家")]
    assert values(found["amounts"], "value", "qualifier") == [
        ("1亿元", 1e8, "minimum"), ("100万元", 1e6, "exact"), ("10亿元", 1e9, "minimum")]


def test_foreign_currency_and_slogans_are_skipped() -> None:
    found = numeric_records("引进外资3000万美元，落实“十四五”规划，推进“一网通办”。")
    assert all(not found[key] for key in ("amounts", "rates", "durations", "targets"))


def test_working_and_natural_days() -> None:
    found = numeric_records("10个工作日内完成审核，公示期为15个自然日。")
    assert values(found["durations"], "value", "working_days") == [("10个工作日", "P10D", True),
                                                                    ("15个自然日", "P15D", False)]


def test_inclusive_mark_and_month_runs() -> None:
    found = numeric_records("对投资额5000万元（含）以上的项目，2024年1-6月累计完成投资。", 2024)
    assert values(found["amounts"], "qualifier") == [("5000万元（含）以上", "minimum")]
    assert values(found["dates"], "start", "end") == [("2024年1-6月", "2024-01-01", "2024-06-30")]


def test_several_per_units_combine() -> None:
    found = numeric_records("每家企业每年最高1000万元；博士后在站期间给予每人每年15万元生活补贴。")
    assert values(found["amounts"], "per") == [("1000万元", "企业·年"), ("15万元", "人·年")]


def test_plan_horizon_governs_the_paragraph() -> None:
    text = ("到2026年，全省规模以上工业增加值达到3万亿元，年均增长6%左右；高新技术产业增加值占规上工业比重提高到68%。"
            "数字经济核心产业增加值突破1.5万亿元。\n企业用电价格每千瓦时下降0.05元。")
    found = numeric_records(text, 2024)
    assert [(t["indicator"], t["value"], t["year"]) for t in found["targets"]] == [
        ("全省规模以上工业增加值", 3e12, 2026),
        ("全省规模以上工业增加值年均增长", 0.06, 2026),
        ("高新技术产业增加值占规上工业比重", 0.68, 2026),
        ("数字经济核心产业增加值", 1.5e12, 2026),
    ]
    assert found["amounts"][-1]["per"] == "千瓦时"


def test_full_width_measures_style() -> None:
    text = ("第五条　对在本市举办的展览面积达到１万平方米以上的展会，按每平方米２０元给予补贴，"
            "单个展会补贴金额最高不超过１００万元。\n第十条　本办法自２０２５年１月１日起施行，有效期５年。")
    found = numeric_records(text, 2024)
    assert found["targets"] == []
    assert values(found["amounts"], "value", "per", "qualifier") == [
        ("２０元", 20.0, "平方米", "exact"), ("１００万元", 1e6, "展会", "maximum")]
    assert values(found["dates"], "start", "role") == [("２０２５年１月１日", "2025-01-01", "effective")]
    assert values(found["durations"], "value") == [("５年", "P5Y")]


def test_no_break_spaces_from_html() -> None:
    found = numeric_records("补助500\u00a0万元，2024\u00a0年10\u00a0月12\u00a0日印发，费率1\u00a0%。", 2024)
    assert [r["value"] for r in found["amounts"]] == [5e6]
    assert [r["start"] for r in found["dates"]] == ["2024-10-12"]
    assert [r["value"] for r in found["rates"]] == [0.01]
