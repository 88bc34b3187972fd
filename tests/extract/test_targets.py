"""extract/targets.py: quantitative goals with indicator, value, unit and year."""

from __future__ import annotations

import pytest

from extract.numeric_pipeline import numeric_records


def targets(text: str, year: int | None = 2024) -> list[tuple]:
    return [(t["indicator"], t["value"], t["unit"], t["year"])
            for t in numeric_records(text, document_year=year)["targets"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("到2025年年底新增雏鹰、瞪羚、独角兽企业400家。", ("新增雏鹰、瞪羚、独角兽企业", 400.0, "家", 2025)),
        ("制造业贷款余额超过2500亿元。", ("制造业贷款余额", 2.5e11, "元", None)),
        ("全程网办率达到70%以上。", ("全程网办率", 0.7, "%", None)),
        ("到2025年年底，战略性新兴产业增加值占GDP比重达到15%。", ("战略性新兴产业增加值占GDP比重", 0.15, "%", 2025)),
        ("到2025年年底全市智算算力规模达到1000PFlops以上。", ("全市智算算力规模", 1000.0, "PFlops", 2025)),
        ("2025年年底建成43万亩高标准农田。", ("建成高标准农田", 430000.0, "亩", 2025)),
        ("累计改造1.24万户。", ("累计改造", 12400.0, "户", None)),
        ("到2026年，全市规上工业增加值突破一万亿元。", ("全市规上工业增加值", 1e12, "元", 2026)),
        ("力争到2027年培育国家级专精特新企业300家以上。", ("培育国家级专精特新企业", 300.0, "家", 2027)),
        ("新增发放科技信贷70亿元。", ("新增发放科技信贷", 7e9, "元", None)),
        ("基金规模从300亿元扩大到500亿元。", ("基金规模", 5e10, "元", None)),
        ("2025年单位GDP能耗下降3个百分点以上。", None),
    ],
)
def test_single_targets(text: str, expected: tuple | None) -> None:
    found = targets(text)
    if expected is None:
        assert all(t[2] == "百分点" for t in found)
        return
    assert found == [expected]


def test_yearly_headings_give_the_year_and_lists_continue() -> None:
    text = ("（二）分年度目标\n2024年:产融合作长效机制初步形成\n1.平台累计入驻企业数量达到6.3万个,金融机构42个。\n"
            "2025年:金融服务实体经济质效显著提升\n1.基金规模达到1500亿元。\n四、试点内容\n设立3支科创类基金。")
    assert targets(text) == [
        ("平台累计入驻企业数量", 63000.0, "个", 2024),
        ("金融机构", 42.0, "个", 2024),
        ("基金规模", 1.5e11, "元", 2025),
        ("设立科创类基金", 3.0, "支", None),
    ]


def test_counted_thing_after_the_number() -> None:
    assert targets("到2025年年底新增企业400家，建立150家产学研联盟等新型创新主体。")[1] == (
        "建立产学研联盟等新型创新主体", 150.0, "家", 2025)


@pytest.mark.parametrize(
    "text",
    [
        "单个企业最高不超过50万元。",
        "给予每户3000元一次性补贴。",
        "按实际投资额的10%给予补助。",
        "贷款贴息不超过LPR的50%。",
        "对入选项目给予最高300万元支持。",
        "每项最高补贴1000万元。",
        "对龙头企业引进的固定资产投资在2亿元以上的配套企业给予支持。",
        "合同预付款比例可提高至50%以上。",
        "最低首付比例统一为不低于15%。",
        "不良贷款容忍度可较各项贷款不良率提高不超过3个百分点。",
        "设立100亿元科创风投基金群。",
        "安排资金5亿元。",
        "打造一批特色园区。",
        "推动“三个中心”建设。",
        "加快汽车零部件产业发展。",
    ],
)
def test_support_rules_and_conditions_are_not_targets(text: str) -> None:
    assert targets(text) == []


def test_statistics_of_past_years_are_not_targets() -> None:
    text = "2023年,厦门市地区生产总值(GDP)8066亿元,国家级高新技术企业超4200家。截至2023年末,全市拥有持牌金融机构280家。"
    assert targets(text, 2024) == []
    # Without a document year nothing tells a statistic from a goal: keep it.
    assert targets("国家级高新技术企业超4200家。", None) == [("国家级高新技术企业", 4200.0, "家", None)]


def test_span_covers_indicator_and_quantity() -> None:
    text = "绿色信贷余额达到2000亿元；"
    (found,) = numeric_records(text, document_year=2024)["targets"]
    assert found["text"] == "绿色信贷余额达到2000亿元"
