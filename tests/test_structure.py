"""kg.structure: the exact header and body structure of every sample and fixture."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.clean import clean
from kg.model import ParsedDocument, SourceDocument
from kg.readers import read_document
from kg.structure import chinese_to_int, document_to_dict, iso_date, parse_document

READERS = Path(__file__).parent / "fixtures" / "readers"
SAMPLES = ("measures", "mechanism", "pilot", "task_table", "dalian")


@pytest.fixture(scope="module")
def parsed(sample_path) -> dict[str, ParsedDocument]:
    return {key: parse_document(read_document(sample_path(key))) for key in SAMPLES}


def value(located):
    return None if located is None else located.value


def values(items):
    return [item.value for item in items]


def measure(document: ParsedDocument, provision_id: str):
    return next(p for p in document.walk() if p.id == provision_id)


# --- invariants over every sample and fixture ---------------------------------------------------


def _all_documents(parsed):
    yield from parsed.values()
    for name in ("notice_page.html", "regulation_gb18030.txt", "three_levels_utf16.txt", "task_list.md"):
        yield parse_document(read_document(READERS / name))


def test_spans_slice_the_original_and_the_clean_text(parsed):
    for document in _all_documents(parsed):
        source = document.source.text
        for provision in document.walk():
            start, end = provision.span
            assert source[start:end] == provision.text
            assert document.clean.text[slice(*provision.clean_span)] == provision.clean_text
            assert document.clean.to_original(*provision.clean_span) == provision.span
            # The original slice cleans to the same text: the span holds exactly the provision.
            assert clean(provision.text).text == provision.clean_text
            for label, located in provision.fields.items():
                assert provision.span[0] <= located.span[0] < located.span[1] <= provision.span[1], label
        for located in [document.title, document.policy_title, document.doc_number, document.disclosure,
                        *document.issuers, *document.addressees, *document.cc, *document.attachments]:
            if located is not None:
                assert clean(source[located.span[0]:located.span[1]]).text == located.value


def test_ids_are_unique_and_measures_are_the_leaves(parsed):
    for document in _all_documents(parsed):
        ids = [provision.id for provision in document.walk()]
        assert len(ids) == len(set(ids))
        for provision in document.walk():
            assert provision.is_measure == (not provision.children)


# --- 000: 6 chapters (一、) of 26 measures (1.) with trailing （责任单位：…） -------------------------


def test_measures_header(parsed):
    document = parsed["measures"]
    assert value(document.title) == (
        "厦门市人民政府办公厅关于印发 《厦门市进一步巩固经济回升向好基础加快发展动能转换的若干措施》的通知"
    )
    assert value(document.policy_title) == "厦门市进一步巩固经济回升向好基础加快发展动能转换的若干措施"
    assert value(document.doc_number) == "厦府办规〔2024〕12号"
    assert values(document.issuers) == ["厦门市人民政府办公厅"]
    assert values(document.addressees) == ["各区人民政府", "市直各委、办、局", "各开发区管委会", "各有关单位"]
    assert value(document.date_signed) == "2024-10-12"
    assert value(document.date_printed) == "2024-10-12"
    assert value(document.disclosure) == "此件主动公开"
    assert document.cc == []
    assert values(document.related_units) == [
        "市委金融办", "市中级人民法院", "市工商联", "厦门海关", "市税务局", "人民银行厦门市分行", "厦门金融监管局",
    ]
    assert document.attachments == []
    text = document.source.text
    assert text[slice(*document.date_signed.span)] == "2024年10月12日"


def test_measures_body(parsed):
    document = parsed["measures"]
    chapters = document.provisions
    assert [(c.kind, c.number, c.title) for c in chapters] == [
        ("chapter", "一", "持续激发消费活力"),
        ("chapter", "二", "突出重点扩大有效投资"),
        ("chapter", "三", "促进外资外贸稳量提质"),
        ("chapter", "四", "激发经营主体活力"),
        ("chapter", "五", "加快培育新质生产力"),
        ("chapter", "六", "用心用情保障改善民生"),
    ]
    assert [len(c.children) for c in chapters] == [5, 3, 2, 6, 6, 4]
    measures = document.measures()
    assert [m.number for m in measures] == [str(n) for n in range(1, 27)]
    assert all(m.kind == "item" for m in measures)
    assert [m.title for m in measures][:6] == [
        "加快释放消费品以旧换新政策效应", "促进服务消费高质量发展", "促进文旅会展经济加快发展",
        "打造消费新模式新增长点", "促进房地产市场止跌回稳",
        "加快国家重大战略实施和重点领域安全能力建设、中央预算内投资等项目谋划建设",
    ]
    assert measures[25].title == "做好重点领域风险排查化解"
    assert measures[0].id == "1-1" and measures[5].id == "2-6" and measures[25].id == "6-26"
    assert all("责任单位" in m.fields for m in measures)
    assert measures[2].fields["责任单位"].value == "市文旅局、商务局"
    assert measures[11].fields["责任单位"].value == "市国资委"


def test_measures_broken_paragraphs_stay_in_their_measure(parsed):
    document = parsed["measures"]
    five = measure(document, "1-5")
    assert five.text.startswith("5. 促进房地产市场止跌回稳。")
    assert "片区公共服务\n\n设施建设" in five.text
    assert five.text.endswith("各区政府）")
    # Measure 10's 责任单位 sits on its own line after the paragraph; it is still measure 10's.
    ten = measure(document, "3-10")
    assert ten.text.endswith("(责任单位:市委金融办,市商务局、发改委、工信局、住建局、财政局,市税务局、人民银行厦门市分行)")
    assert ten.fields["责任单位"].value == "市委金融办，市商务局、发改委、工信局、住建局、财政局，市税务局、人民银行厦门市分行"
    sixteen = measure(document, "4-16")
    assert sixteen.fields["责任单位"].value.endswith("厦门金融监管局、厦门证监局")
    # The closing paragraphs (本措施…) do not belong to the last measure.
    assert "本措施" not in measure(document, "6-26").text


# --- 001: industry blocks with 牵头市领导/牵头单位/责任单位, then six mechanisms ------------------------


def test_mechanism_header(parsed):
    document = parsed["mechanism"]
    assert value(document.title) == "厦门市人民政府办公厅关于印发统筹推进现代化产业体系工作机制的通知"
    assert value(document.policy_title) == "厦门市统筹推进现代化产业体系工作机制"
    assert value(document.doc_number) == "厦府办〔2022〕98号"
    assert document.source.text[slice(*document.doc_number.span)] == "厦府办[2022]98号"
    assert values(document.issuers) == ["厦门市人民政府办公厅"]
    assert value(document.date_signed) == "2022-12-28"
    assert value(document.date_printed) == "2022-12-30"
    assert value(document.disclosure) == "此件主动公开"
    assert values(document.cc) == ["市委常委", "副市长", "市委办公厅", "市人大常委会办公厅", "市政协办公厅", "市纪委监委机关"]
    assert values(document.related_units) == ["市文发办", "市邮政管理局", "人行厦门市中心支行", "厦门银保监局", "厦门证监局"]


def test_mechanism_blocks(parsed):
    document = parsed["mechanism"]
    one, two = document.provisions
    assert (one.number, one.title, two.number, two.title) == ("一", "责任分工", "二", "工作机制")
    assert [(s.number, s.title, len(s.children)) for s in one.children] == [
        ("（一）", "四大支柱产业集群", 4), ("（二）", "四个战略性新兴产业", 4), ("（三）", "六个未来产业", 0),
    ]
    blocks = [m for m in document.measures() if m.kind == "block"]
    assert [(b.id, b.title) for b in blocks] == [
        ("1-1-1", "电子信息产业集群"), ("1-1-2", "机械装备产业集群"), ("1-1-3", "商贸物流产业集群"),
        ("1-1-4", "金融服务产业集群"), ("1-2-1", "生物医药产业"), ("1-2-2", "新材料产业"), ("1-2-3", "新能源产业"),
        ("1-2-4", "文旅创意产业"), ("1-3", "六个未来产业"),
    ]
    fields = {b.id: {label: located.value for label, located in b.fields.items()} for b in blocks}
    assert fields["1-1-1"] == {"牵头市领导": "黄晓舟", "牵头单位": "市工信局", "责任单位": "市发改委、科技局，各区、火炬管委会"}
    # The 责任单位 line broken by a page number, a stray 会 and a "### 区管委会" heading.
    assert fields["1-1-3"] == {
        "牵头市领导": "黄晓舟、黄燕添、庄荣良",
        "牵头单位": "市商务局、交通局、会展局",
        "责任单位": "市发改委、厦门港口局、市邮政管理局，各区，自贸区管委会",
    }
    assert fields["1-1-4"]["责任单位"] == "市财政局，各区，自贸区管委会，人行厦门市中心支行、厦门银保监局、厦门证监局"
    assert fields["1-2-1"]["责任单位"] == "市发改委、工信局、市场监管局、卫健委、医保局，各区，火炬管委会"
    assert fields["1-2-4"] == {"牵头市领导": "吴子东、庄荣良", "牵头单位": "市文发办、文旅局", "责任单位": "市工信局，各区，火炬管委会"}
    assert fields["1-3"]["责任单位"] == "市发改委、工信局、卫健委、海洋局、市场监管局，各区，火炬管委会"
    assert "— 2 —" in measure(document, "1-1-3").text  # the debris is inside the original span
    mechanisms = [m for m in document.measures() if m.kind == "section"]
    assert [(m.id, m.number, m.title) for m in mechanisms] == [
        ("2-1", "（一）", "健全协同联动推进机制"), ("2-2", "（二）", "建立空间统筹保障机制"),
        ("2-3", "（三）", "筑牢科技创新支撑机制"), ("2-4", "（四）", "强化市场主体培育机制"),
        ("2-5", "（五）", "创新产业政策扶持机制"), ("2-6", "（六）", "深化工作督促落实机制"),
    ]
    assert "国家级专精特新" in measure(document, "2-4").clean_text
    assert len(document.measures()) == 15


# --- 002: joint notice, yearly targets with a numbering gap, 责任单位 lines after measures -------------


def test_pilot_header(parsed):
    document = parsed["pilot"]
    assert value(document.title) == "厦门市工业和信息化局等联合关于印发《厦门市国家产融合作试点城市（第三批）实施方案》的通知"
    assert value(document.policy_title) == "厦门市国家产融合作试点城市（第三批）实施方案"
    assert document.doc_number is None  # 工信部联财函〔2024〕192号 is only cited
    assert values(document.issuers) == [
        "厦门市工业和信息化局", "厦门市财政局", "厦门市发展和改革委员会", "厦门市科学技术局",
        "中共厦门市委金融委员会办公室", "国家金融监督管理总局厦门监管局", "中国人民银行厦门市分行",
        "中国证券监督管理委员会厦门监管局",
    ]
    assert values(document.addressees) == ["各有关单位"]
    assert value(document.date_signed) == "2024-11-06"
    assert document.date_printed is None and document.disclosure is None
    assert values(document.attachments) == ["厦门市国家产融合作试点城市（第三批）实施方案"]


def test_pilot_yearly_targets(parsed):
    document = parsed["pilot"]
    assert [(c.number, c.title) for c in document.provisions] == [
        ("一", "产融合作基础"), ("二", "试点总体思路"), ("三", "试点目标"), ("四", "试点内容"), ("五", "组织保障措施"),
    ]
    yearly = measure(document, "3-2")
    assert yearly.title == "分年度目标"
    assert [(t.kind, t.number, t.ordinal, t.title) for t in yearly.children] == [
        ("target", "2024年", 2024, "产融合作长效机制初步形成"),
        ("target", "2025年", 2025, "金融服务实体经济质效显著提升"),
        ("target", "2026年", 2026, "全方位产融合作体系基本完善"),
    ]
    assert [[item.number for item in target.children] for target in yearly.children] == [
        ["1", "2", "3", "4"], ["1", "2", "4"], ["1", "2", "3"],
    ]
    gap = measure(document, "3-2-2025-4")
    assert gap.title == "绿色金融资源投放量稳步增长" and gap.is_measure
    assert measure(document, "3-2-2026-3").title == "加快推进新型工业化"


def test_pilot_responsibility_lines_follow_their_measures(parsed):
    document = parsed["pilot"]
    tasks = measure(document, "4")
    assert [len(section.children) for section in tasks.children] == [2, 4, 4, 3, 4, 3, 2, 3]
    items = [item for section in tasks.children for item in section.children]
    assert len(items) == 25
    assert all("责任单位" in item.fields for item in items)
    assert measure(document, "4-1-1").fields["责任单位"].value == "市财政局、市委金融办、市发改委"
    assert measure(document, "4-1-1").text.endswith("责任单位:市财政局、市委金融办、市发改委")
    assert measure(document, "4-3-1").fields["责任单位"].value == "市工信局、财政局，各区、火炬管委会"
    assert measure(document, "4-8-3").fields["责任单位"].value == "市委金融办，自贸区管委会"
    # Items whose source writes "1. " with a space parse like "1." without one.
    assert measure(document, "4-2-1").title == "高水平集聚创新资源"
    assert len(document.measures()) == 50
    assert "本方案所涉及" not in measure(document, "5-5").text


# --- 003: a task table of 50 rows in 5 parts and 18 groups ------------------------------------------------


def test_task_table(parsed):
    document = parsed["task_table"]
    assert value(document.title) == "厦门市贯彻落实《关于支持中小微企业健康发展的若干措施》任务分解表"
    parts = document.provisions
    assert [(p.kind, p.number, p.title) for p in parts] == [
        ("part", "一", "建立支持中小微企业健康发展工作协调机制"),
        ("part", "二", "鼓励中小微企业创新发展"),
        ("part", "三", "支持中小微企业发展壮大"),
        ("part", "四", "加强对中小微企业的要素保障"),
        ("part", "五", "优化中小微企业发展环境"),
    ]
    groups = [p for p in document.walk() if p.kind == "group"]
    assert [g.ordinal for g in groups] == list(range(1, 19))
    assert [len([g for g in p.children if g.kind == "group"]) for p in parts] == [0, 4, 4, 4, 6]
    assert groups[6].title == "鼓励“个转企”、“小升规”"
    rows = document.measures()
    assert all(row.kind == "row" for row in rows)
    assert [row.ordinal for row in rows] == list(range(1, 51))
    assert [len(g.children) for g in groups] == [2, 2, 3, 3, 3, 4, 2, 3, 4, 3, 2, 3, 3, 2, 2, 1, 2, 4]
    first = rows[0]
    assert first.id == "1-1"
    assert first.fields["责任单位"].value.startswith("市发改委、工信局，各区人民政府、自贸委、火炬管委会")
    assert first.fields["序号"].value == "1"
    assert first.fields["福建省《关于支持中小微企业健康发展的若干措施》具体内容"].value.startswith("由省发改委、工信厅牵头")
    assert rows[10].id == "2-4-11" and rows[10].title == "在智能装备、新材料、纺织鞋服等重点领域打造15个中试服务平台"
    assert rows[10].fields["责任单位"].value == "市工信局"
    assert rows[49].fields["责任单位"].value == "市司法局"
    assert rows[49].text.startswith("50\n\t大力推广柔性执法")


# --- 004: joint Party/government notice, 8 chapters of 30 measures, single-newline layout --------------------


def test_dalian(parsed):
    document = parsed["dalian"]
    assert value(document.policy_title) == "大连市巩固增强经济稳中向好态势若干政策措施"
    assert value(document.doc_number) == "大委办发〔2024〕15号"
    assert values(document.issuers) == ["中共大连市委办公厅", "大连市人民政府办公厅"]
    assert values(document.addressees) == [
        "各区市县党委、人民政府", "各开放先导区党工委、管委会", "市委各部委", "市直各单位", "各人民团体",
    ]
    assert value(document.date_signed) == "2024-10-27"
    assert value(document.disclosure) == "此件公开发布"
    chapters = document.provisions
    assert [c.number for c in chapters] == ["一", "二", "三", "四", "五", "六", "七", "八"]
    assert [len(c.children) for c in chapters] == [3, 4, 5, 4, 4, 2, 3, 5]
    measures = document.measures()
    assert [m.ordinal for m in measures] == list(range(1, 31))
    assert measures[9].title == "落实最新个人住房贷款政策"
    assert measures[29].title == "更好统筹发展和安全"
    assert not measures[29].text.endswith("市政府办公厅")  # the 来源 line closes the body
    assert all(not m.fields for m in measures)


# --- fixtures for the formats the samples lack --------------------------------------------------------------


def test_html_notice_with_table():
    document = parse_document(read_document(READERS / "notice_page.html"))
    assert value(document.title) == "泉州市人民政府办公室关于印发泉州市促进民营经济高质量发展若干措施的通知"
    assert value(document.policy_title) == "泉州市促进民营经济高质量发展若干措施"
    assert values(document.issuers) == ["泉州市人民政府办公室"]
    assert value(document.date_signed) == "2024-03-15"
    assert document.source.metadata["doc_number"] == "泉政办〔2024〕7号"
    assert [(p.id, p.kind, p.number, p.title) for p in document.walk()] == [
        ("1", "chapter", "一", "优化发展环境"),
        ("1-1", "section", "（一）", "降低经营成本"),
        ("1-2", "section", "（二）", "加大融资支持"),
        ("2", "chapter", "二", "支持创新发展"),
        ("2-3", "section", "（三）", "支持技术改造"),
        ("3", "chapter", "三", "重点事项清单"),
        ("3-1", "row", "1", "建立民营企业挂钩联系制度"),
        ("3-2", "row", "2", "开展惠企政策宣传月活动"),
    ]
    assert measure(document, "2-3").clean_text.endswith("给予补助，单个项目最高200万元。（责任单位：市工信局）")
    assert measure(document, "2-3").fields["责任单位"].value == "市工信局"
    assert {k: v.value for k, v in measure(document, "3-2").fields.items()} == {
        "序号": "2", "事项": "开展惠企政策宣传月活动", "责任单位": "市发改委",
    }


def test_html_task_table_with_empty_cells_and_a_closing_paragraph():
    document = parse_document(read_document(READERS / "task_table_page.html"))
    assert value(document.doc_number) == "杭政办函〔2025〕8号"
    assert value(document.date_signed) == "2025-03-20"
    rows = list(document.walk())
    assert [(p.kind, p.number, p.is_measure) for p in rows] == [("row", "1", True), ("row", "2", True), ("row", "3", True)]
    assert {k: v.value for k, v in rows[0].fields.items()} == {
        "序号": "1", "工作任务": "设立规模100亿元的数字经济产业基金，重点投向人工智能和集成电路领域的初创企业",
        "牵头单位": "市国资委", "配合单位": "市财政局", "完成时限": "2025年12月"}
    # the empty 配合单位 cell keeps the columns in line: 长期坚持 is the deadline, not a partner
    assert {k: v.value for k, v in rows[2].fields.items()} == {
        "序号": "3", "工作任务": "融资担保机构对数字经济中小企业的担保费率不超过1%",
        "牵头单位": "市地方金融监管局", "完成时限": "长期坚持"}
    # the paragraph after the table belongs to no row
    assert all("有效期" not in p.clean_text for p in rows)
    for provision in rows:
        for located in provision.fields.values():
            assert document.source.text[located.span[0]:located.span[1]] == located.value


def test_regulation_chapters_and_articles():
    document = parse_document(read_document(READERS / "regulation_gb18030.txt"))
    assert value(document.doc_number) == "厦科规〔2023〕5号"
    assert value(document.policy_title) == "厦门市科技计划项目资金管理办法"
    assert values(document.issuers) == ["厦门市科学技术局"]
    assert value(document.date_signed) == "2023-06-01"
    assert [(c.kind, c.number, c.ordinal, c.title) for c in document.provisions] == [
        ("chapter", "第一章", 1, "总则"), ("chapter", "第二章", 2, "资金支持方式"), ("chapter", "第三章", 3, "监督管理"),
    ]
    articles = [p for p in document.walk() if p.kind == "article"]
    assert [(a.number, a.ordinal, a.id) for a in articles] == [
        ("第一条", 1, "1-1"), ("第二条", 2, "1-2"), ("第三条", 3, "2-3"), ("第四条", 4, "2-4"),
        ("第五条", 5, "3-5"), ("第六条", 6, "3-6"),
    ]
    three = measure(document, "2-3")
    assert three.title == "项目资金采取以下方式支持"
    assert [(i.kind, i.number, i.title) for i in three.children] == [
        ("item", "（一）", "前资助；".rstrip("；")), ("item", "（二）", "后补助"), ("item", "（三）", "贷款贴息"),
    ]
    assert [m.id for m in document.measures()] == ["1-1", "1-2", "2-3-1", "2-3-2", "2-3-3", "2-4", "3-5", "3-6"]
    assert measure(document, "3-6").text == "第六条　本办法自2023年7月1日起施行，有效期5年。"


def test_three_levels_with_half_width_parentheses():
    document = parse_document(read_document(READERS / "three_levels_utf16.txt"))
    assert value(document.title) == "关于做好2024年度中小企业服务工作的实施意见"
    outline = [(p.id, p.kind, p.number) for p in document.walk()]
    assert outline == [
        ("1", "section", "（一）"), ("1-1", "item", "1"), ("1-1-1", "subitem", "（1）"), ("1-1-2", "subitem", "（2）"),
        ("1-2", "item", "2"), ("2", "section", "（二）"), ("2-1", "item", "1"), ("2-2", "item", "2"),
        ("2-2-1", "subitem", "（1）"), ("2-2-2", "subitem", "（2）"), ("2-2-3", "subitem", "（3）"),
    ]
    assert [m.id for m in document.measures()] == ["1-1-1", "1-1-2", "1-2", "2-1", "2-2-1", "2-2-2", "2-2-3"]
    assert measure(document, "1-1-1").text == "(1)市级中心负责统筹协调；"
    assert measure(document, "1-1").title == "完善服务网络"


def test_markdown_pipe_table():
    document = parse_document(read_document(READERS / "task_list.md"))
    assert value(document.title) == "2024年稳外贸重点任务清单"
    rows = document.measures()
    assert [(r.id, r.kind, r.number) for r in rows] == [("1", "row", "1"), ("2", "row", "2"), ("3", "row", "3")]
    assert {k: v.value for k, v in rows[1].fields.items()} == {
        "序号": "2", "工作任务": "落实出口信用保险保费补助政策。", "责任单位": "市商务局、财政局", "完成时限": "2024年12月底",
    }
    assert rows[2].title == "推进跨境电商综合试验区建设"
    assert rows[0].text == "1 | 组织企业参加广交会等重点展会，全年参展企业不少于300家。 | 市商务局 | 2024年10月底"


def test_docx_document(tmp_path):
    import docx

    word = docx.Document()
    for line in ("厦门市促进会展业发展若干措施", "一、支持展会做大做强", "1. 对新引进的展会给予最高100万元补助。",
                 "2. 支持展会品牌化发展。（责任单位：市会展局）", "二、重点任务"):
        word.add_paragraph(line)
    table = word.add_table(rows=2, cols=3)
    for row, cells in zip(table.rows, [("序号", "任务", "牵头单位"), ("1", "办好投洽会", "市商务局")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    path = tmp_path / "measures.docx"
    word.save(path)
    document = parse_document(path)
    assert value(document.title) == "厦门市促进会展业发展若干措施"
    assert [(p.id, p.kind, p.title) for p in document.walk()] == [
        ("1", "chapter", "支持展会做大做强"), ("1-1", "item", "对新引进的展会给予最高100万元补助"),
        ("1-2", "item", "支持展会品牌化发展"), ("2", "chapter", "重点任务"), ("2-1", "row", "办好投洽会"),
    ]
    assert measure(document, "1-2").fields["责任单位"].value == "市会展局"
    assert measure(document, "2-1").fields["牵头单位"].value == "市商务局"


def test_document_without_numbering_has_no_measures_and_a_warning():
    text = "关于做好防汛工作的通知\n\n各区：\n\n请做好汛期值班值守，确保安全度汛。\n"
    document = parse_document(SourceDocument(Path("flood.txt"), text, "txt", "utf-8", "0"))
    assert document.provisions == [] and document.measures() == []
    assert document.warnings == ["flood.txt: no recognisable numbering; the document has no measures"]
    assert value(document.title) == "关于做好防汛工作的通知"
    assert values(document.addressees) == ["各区"]


def test_repeated_numbers_keep_ids_unique():
    text = "一、总则\n1. 甲。\n1. 乙。\n"
    document = parse_document(SourceDocument(Path("dup.txt"), text, "txt", "utf-8", "0"))
    assert [p.id for p in document.walk()] == ["1", "1-1", "1-2"]
    assert [p.number for p in document.walk()] == ["一", "1", "1"]
    assert "number 1 repeated" in document.warnings[0]


def test_circled_and_part_numbering():
    text = "第一部分 总体要求\n一、目标\n1. 主要任务：\n①建设平台；\n②培育企业。\n第二部分 保障措施\n一、加强领导。\n"
    document = parse_document(SourceDocument(Path("p.txt"), text, "txt", "utf-8", "0"))
    assert [(p.id, p.kind, p.number) for p in document.walk()] == [
        ("1", "part", "第一部分"), ("1-1", "chapter", "一"), ("1-1-1", "item", "1"),
        ("1-1-1-1", "subitem", "①"), ("1-1-1-2", "subitem", "②"), ("2", "part", "第二部分"), ("2-1", "chapter", "一"),
    ]


def test_numerals_and_dates():
    assert [chinese_to_int(n) for n in ("九", "十九", "四十", "九十九", "一百二十")] == [9, 19, 40, 99, 120]
    assert iso_date("成文日期：2024年03月15日") == "2024-03-15"
    assert iso_date("无日期") is None


def test_document_to_dict(parsed):
    data = document_to_dict(parsed["pilot"])
    assert data["source"]["file"] == "002_60c74833553adad8.txt"
    assert data["measure_count"] == 50
    assert data["date_signed"]["value"] == "2024-11-06"
    assert len(data["issuers"]) == 8
    target = data["provisions"][2]["children"][1]["children"][1]
    assert target["number"] == "2025年" and [c["id"] for c in target["children"]] == [
        "3-2-2025-1", "3-2-2025-2", "3-2-2025-4",
    ]
    assert "text" not in data
    assert document_to_dict(parsed["pilot"], include_text=True)["text"] == parsed["pilot"].source.text


def test_second_attachment_gets_its_own_container():
    document = parse_document(read_document(READERS / "two_attachments.txt"))
    assert value(document.title) == "福建省人民政府办公厅关于印发福建省促进民营经济发展若干措施的通知"
    assert value(document.policy_title) == "福建省促进民营经济发展若干措施"
    assert value(document.doc_number) == "闽政办〔2024〕第8号"
    assert values(document.issuers) == ["福建省人民政府办公厅"]
    assert value(document.date_signed) == "2024-03-05"
    assert values(document.attachments) == ["福建省促进民营经济发展若干措施", "重点任务分工表"]
    assert [(p.id, p.kind, p.number, p.title) for p in document.walk()] == [
        ("1", "chapter", "一", "优化环境"),
        ("1-1", "subitem", "1）", "降低成本"),
        ("1-2", "subitem", "2）", "便利准入"),
        ("2", "chapter", "二", "加大支持"),
        ("2-1", "subitem", "1）", "加强融资"),
        ("3", "attachment", "附件2", "重点任务分工表"),
        ("3-1", "row", "1", "降低成本"),
        ("3-2", "row", "2", "便利准入"),
    ]
    assert [m.id for m in document.measures()] == ["1-1", "1-2", "2-1", "3-1", "3-2"]
    assert measure(document, "3-2").fields["责任单位"].value == "省市场监管局"
    assert document.warnings == []


def test_signature_at_the_end_of_a_document_without_notice():
    text = ("厦门市促进软件产业发展实施方案\n一、发展目标\n到2025年软件业务收入突破3000亿元。\n"
            "二、重点任务\n（一）培育龙头企业。\n（二）建设产业园区。\n厦门市工业和信息化局\n厦门市财政局\n2024年5月20日\n")
    document = parse_document(SourceDocument(Path("plan.txt"), text, "txt", "utf-8", "0"))
    assert value(document.title) == "厦门市促进软件产业发展实施方案"
    assert values(document.issuers) == ["厦门市工业和信息化局", "厦门市财政局"]
    assert value(document.date_signed) == "2024-05-20"
    assert [m.id for m in document.measures()] == ["1", "2-1", "2-2"]
    assert measure(document, "2-2").text == "（二）建设产业园区。"


_PIECES = ["一、", "（一）", "(二)", "1.", "2、", "（1）", "①", "第一章", "第二条 ", "第一部分", "2024年：", "附件", "附件2",
           "责任单位：", "牵头单位:", "市发改委", "加强管理。", "促进发展，", "\n", "\n\n", "\t", "\t3\n", "\t0", "| 1 | a |", "|---|",
           "— 2 —", "5", "会", "## ", "厦府办〔2024〕1号", "2024年10月12日", "（此件主动公开）", "抄送：", "本办法自发布之日起施行。",
           "关于印发《办法》的通知", "厦门市人民政府办公厅", " ", "各区："]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_any_mix_of_structure_parses_with_exact_spans(text):
    document = parse_document(SourceDocument(Path("random.txt"), text, "txt", "utf-8", "0"))
    ids = [provision.id for provision in document.walk()]
    assert len(ids) == len(set(ids))
    for provision in document.walk():
        assert text[provision.span[0]:provision.span[1]] == provision.text
        assert document.clean.text[slice(*provision.clean_span)] == provision.clean_text
        for located in provision.fields.values():
            assert provision.span[0] <= located.span[0] <= located.span[1] <= provision.span[1]
    for located in [document.title, document.policy_title, document.doc_number, document.date_signed,
                    *document.issuers, *document.addressees, *document.cc, *document.related_units]:
        if located is not None:
            assert 0 <= located.span[0] <= located.span[1] <= len(text)


def test_metadata_block_copied_from_a_web_page():
    document = parse_document(read_document(READERS / "copied_web_page.txt"))
    text = document.source.text
    assert value(document.doc_number) == "厦府办〔2024〕41号"
    assert values(document.issuers) == ["厦门市人民政府办公厅"]
    assert text[slice(*document.issuers[0].span)] == "厦门市人民政府办公厅"
    assert value(document.date_signed) == "2024-06-03"
    assert text[slice(*document.date_signed.span)] == "2024年06月03日"
    assert value(document.date_published) == "2024-06-05"
    assert value(document.title) == "厦门市人民政府办公厅关于进一步加强政务公开工作的通知"
    assert values(document.addressees) == ["各区人民政府", "市直各委、办、局"]
    assert [(p.id, p.title) for p in document.walk()] == [("1", "提高认识"), ("1-1", "加强组织领导")]


def test_state_council_duty_notes_become_responsibility_fields():
    document = parse_document(read_document(READERS / "state_council_page.html"))
    assert value(document.doc_number) == "国办发〔2019〕30号"
    assert values(document.issuers) == ["国务院办公厅"]
    assert value(document.date_signed) == "2019-06-16"
    assert value(document.disclosure) == "此件公开发布"
    assert [(p.id, p.title) for p in document.walk()] == [
        ("1", "采取综合支持措施，提高家政从业人员素质"), ("1-1", "支持院校增设一批家政服务相关专业"),
        ("1-2", "将家政服务纳入职业技能提升行动"),
    ]
    assert measure(document, "1-2").fields["责任单位"].value == "人力资源社会保障部、商务部、全国妇联等负责"
    assert measure(document, "1-1").fields == {}


def test_several_labelled_fields_on_one_line_and_colon_titles():
    text = ("一、任务\n1. 建设平台。（牵头单位：市发改委；配合单位：市财政局、市工信局（含火炬管委会））\n"
            "2. 培育企业：每年新增100家。\n牵头单位：市工信局，配合单位：各区政府。完成时限：2025年底\n")
    document = parse_document(SourceDocument(Path("tasks.txt"), text, "txt", "utf-8", "0"))
    one, two = document.measures()
    assert {k: v.value for k, v in one.fields.items()} == {"牵头单位": "市发改委", "配合单位": "市财政局、市工信局（含火炬管委会）"}
    assert {k: v.value for k, v in two.fields.items()} == {"牵头单位": "市工信局", "配合单位": "各区政府", "完成时限": "2025年底"}
    for located in [*one.fields.values(), *two.fields.values()]:
        assert text[located.span[0]:located.span[1]] == located.value
    assert (one.title, two.title) == ("建设平台", "培育企业")


def test_article_captions_in_brackets_are_titles():
    text = "第一章 总则\n第一条（目的和依据）为了规范管理，制定本办法。\n第二条 【适用范围】本办法适用于本市。\n第三条 本办法由市财政局负责解释。\n"
    document = parse_document(SourceDocument(Path("rules.txt"), text, "txt", "utf-8", "0"))
    assert [(p.number, p.title) for p in document.measures()] == [
        ("第一条", "目的和依据"), ("第二条", "适用范围"), ("第三条", "本办法由市财政局负责解释"),
    ]


def test_a_megabyte_document_parses_completely(sample_path):
    text = sample_path("measures").read_text(encoding="utf-8") * 60  # ~1 MB of 60 documents run together
    document = parse_document(SourceDocument(Path("many.txt"), text, "txt", "utf-8", "0"))
    measures = document.measures()
    assert len(measures) == 26 * 60
    assert len({m.id for m in measures}) == len(measures)
    last = measures[-1]
    assert text[last.span[0]:last.span[1]] == last.text and last.title == "做好重点领域风险排查化解"
    assert sum("repeated" in warning for warning in document.warnings) == 11  # ten named, then a summary


def test_titles_ending_in_a_bracketed_note():
    text = ("厦门市促进数字经济发展三年行动方案（2024—2026年）\n厦门市数据管理局\n2024年1月8日\n"
            "一、发展目标\n到2026年数字经济核心产业增加值占比达到15%。\n")
    document = parse_document(SourceDocument(Path("plan.txt"), text, "txt", "utf-8", "0"))
    assert value(document.title) == "厦门市促进数字经济发展三年行动方案（2024—2026年）"
    assert values(document.issuers) == ["厦门市数据管理局"]
    regulation = parse_document(SourceDocument(Path("trial.txt"), "厦门市科技项目管理办法（试行）\n第一条 为规范管理，制定本办法。\n",
                                               "txt", "utf-8", "0"))
    assert value(regulation.title) == "厦门市科技项目管理办法（试行）"


def test_a_cited_title_is_not_the_policy_title():
    text = "厦门市人民政府关于贯彻落实《国务院关于推动外贸稳规模优结构的意见》的实施意见\n各区人民政府：\n一、稳定外贸规模\n"
    document = parse_document(SourceDocument(Path("opinion.txt"), text, "txt", "utf-8", "0"))
    assert value(document.title) == "厦门市人民政府关于贯彻落实《国务院关于推动外贸稳规模优结构的意见》的实施意见"
    assert document.policy_title is None
    assert values(document.issuers) == ["厦门市人民政府"]


def test_an_agency_name_alone_on_a_line_inside_a_measure_does_not_end_it():
    text = "一、分工\n1. 牵头部门如下：\n市发展和改革委员会\n市财政局\n请按分工落实。\n2. 做好保障。\n厦门市人民政府\n2024年1月2日\n"
    document = parse_document(SourceDocument(Path("duty.txt"), text, "txt", "utf-8", "0"))
    first, second = document.measures()
    assert first.text == "1. 牵头部门如下：\n市发展和改革委员会\n市财政局\n请按分工落实。"
    assert second.text == "2. 做好保障。"
    assert values(document.issuers) == ["厦门市人民政府"]


MEASURE_TITLES = {
    "measures": [
        "加快释放消费品以旧换新政策效应", "促进服务消费高质量发展", "促进文旅会展经济加快发展", "打造消费新模式新增长点",
        "促进房地产市场止跌回稳", "加快国家重大战略实施和重点领域安全能力建设、中央预算内投资等项目谋划建设",
        "加大工业投资和设备更新力度", "推进重大项目加快建设", "推动外贸高质量发展", "更大力度吸引外商投资",
        "推动民营经济发展壮大", "深化国资国企改革", "积极培育“小升规”企业", "持续完善涉企服务", "加强对实体经济的融资支持",
        "更好发挥资本市场功能", "强化企业创新主体地位", "升级“财政政策+金融工具”", "加快构建以科技创新为引领的现代化产业体系",
        "推动“两业融合”“实数融合”", "加快建设内畅外联现代流通体系", "大力发展城郊型高附加值特色农业", "推进以人为本的新型城镇化",
        "加大就业支持力度", "优化公共服务供给", "做好重点领域风险排查化解",
    ],
    "pilot": [
        "强化保障措施", "产业持续稳健发展", "金融发展态势良好", "持续有效支持制造业发展", "总体思路", "市场主导、政府引导",
        "产业为本、金融为用", "立足创新，突出特色", "开放合作、互利共赢", "总体目标", "产融信息对接平台有序运转",
        "“科技产业金融一体化”专项试点稳步推进", "金融服务先进制造业的能力持续增强", "中小微企业融资渠道不断拓宽",
        "产业基金体系建立完善", "数字金融发展加快", "绿色金融资源投放量稳步增长", "产融合作平台影响力持续扩大",
        "金融赋能助力科技创新发展", "加快推进新型工业化", "健全产业基金体系", "“财政政策+金融工具”支持产业发展",
        "高水平集聚创新资源", "推动“科技产业金融一体化”", "赋能企业创新发展", "促进科技成果有效转化转产", "加快重点产业集群发展",
        "用好先进制造业基金", "鼓励金融机构支持制造业发展", "规范发展供应链金融", "积极开展碳核算和碳足迹管理",
        "强化金融支持绿色低碳领域", "促进碳金融产品和服务创新", "加强支持中小微企业融资", "推动“一链一策一批”深入开展",
        "推进“专精特新”专板建设", "稳步提升直接融资比例", "支持金融科技研发", "加大数据资源共享支持", "强化数字金融风险防控",
        "完善产融合作平台", "强化产融合作对接", "探索金砖国家金融合作新模式", "深化两岸金融合作", "发展特色融资租赁",
        "强化组织领导", "完善政策环境", "加大财政支持", "强化工作落实", "完善风险监管机制",
    ],
    "dalian": [
        "提升政策资金使用效能", "提高金融服务经营主体的质量和效率", "支持企业利用资本市场融资发展", "增强科技创新策源能力",
        "加速传统优势产业转型升级", "培育壮大新兴和未来产业", "推进数字经济创新发展", "加快盘活存量土地资源",
        "加快推动“白名单”项目融资落地", "落实最新个人住房贷款政策", "收购部分存量商品房用作保障性住房", "加大城市更新力度",
        "推动民营经济高质量发展", "深化国资国企改革", "有效减轻经营主体负担", "规范涉企执法监管", "释放消费品以旧换新政策效应",
        "培育新的消费增长点", "加快文体旅商展融合发展", "推进康养产业国际化高端化发展", "加大引资稳资力度",
        "支持外贸企业开拓国际市场", "深入实施以人为本的新型城镇化", "提升农业现代化发展水平", "推动县域经济高质量发展",
        "突出抓好就业增收工作", "加大重点群体保障力度", "提升基本生育和儿童医疗公共服务水平", "抓好重要生活物资保供稳价",
        "更好统筹发展和安全",
    ],
}


@pytest.mark.parametrize("key", sorted(MEASURE_TITLES))
def test_every_measure_title(parsed, key):
    assert [m.title for m in parsed[key].measures()] == MEASURE_TITLES[key]


def test_every_measure_of_the_pilot_has_its_own_responsibility_line(parsed):
    """Each 责任单位 line of 002 belongs to the numbered task right above it, and to no other."""
    document = parsed["pilot"]
    text = document.source.text
    lines = [line for line in text.split("\n") if line.strip().startswith("责任单位")]
    tasks = [m for m in document.measures() if m.id.startswith("4-")]
    assert len(lines) == len(tasks) == 25
    for line, task in zip(lines, tasks):
        located = task.fields["责任单位"]
        assert line.strip().endswith(text[located.span[0]:located.span[1]])
        assert task.text.rstrip().endswith(line.strip())


def test_disclosure_written_as_a_labelled_line():
    text = "关于做好统计工作的通知\n各区：\n一、按时报送。\n公开方式：主动公开\n"
    document = parse_document(SourceDocument(Path("stats.txt"), text, "txt", "utf-8", "0"))
    assert value(document.disclosure) == "主动公开"
    assert document.measures()[0].text == "一、按时报送。"


def test_numbering_that_restarts_after_a_signature_opens_an_attachment():
    text = ("厦门市人民政府办公厅关于做好民营经济工作的通知\n\n各区人民政府：\n\n一、提高认识。各区要高度重视。\n\n"
            "二、抓好落实。现将《厦门市促进民营经济发展若干措施》印发给你们。\n\n厦门市人民政府办公厅\n\n2024年3月5日\n\n"
            "厦门市促进民营经济发展若干措施\n\n一、优化环境\n\n1. 降低成本。落实减税降费政策。\n\n二、加大支持\n\n1. 加强融资。扩大信用贷款投放。\n")
    document = parse_document(SourceDocument(Path("restart.txt"), text, "txt", "utf-8", "0"))
    assert [(p.id, p.kind, p.number, p.title) for p in document.walk()] == [
        ("1", "chapter", "一", "提高认识"), ("2", "chapter", "二", "抓好落实"),
        ("3", "attachment", "附件", "厦门市促进民营经济发展若干措施"),
        ("3-1", "chapter", "一", "优化环境"), ("3-1-1", "item", "1", "降低成本"),
        ("3-2", "chapter", "二", "加大支持"), ("3-2-1", "item", "1", "加强融资"),
    ]
    assert document.warnings == []
    assert measure(document, "3").text.startswith("厦门市促进民营经济发展若干措施\n\n一、优化环境")


def test_table_rows_numbered_with_a_dot():
    text = "重点任务\n序号\t任务\t责任单位\n1.\t建设平台\t市发改委\n2、\t培育企业\t市工信局\n"
    document = parse_document(SourceDocument(Path("rows.txt"), text, "txt", "utf-8", "0"))
    assert [(p.id, p.kind, p.number, p.title) for p in document.walk()] == [
        ("1", "row", "1", "建设平台"), ("2", "row", "2", "培育企业"),
    ]
    assert document.measures()[1].fields["责任单位"].value == "市工信局"
