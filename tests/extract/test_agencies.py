"""The agencies component: lists, roles, prefixes, canonical names, groups."""

from __future__ import annotations

import pytest

from extract.agencies import AgencyFinder, AgencyResolver, parse_agency_list, role_of_label

XIAMEN, DALIAN, FUJIAN, SIMING = "350200", "210200", "350000", "350203"


@pytest.mark.parametrize(("jurisdiction", "printed", "name"), [
    (XIAMEN, "市发改委", "厦门市发展和改革委员会"),
    (DALIAN, "市发改委", "大连市发展和改革委员会"),
    (XIAMEN, "省财政厅", "福建省财政厅"),
    (DALIAN, "省财政厅", "辽宁省财政厅"),
    (XIAMEN, "市委金融办", "中共厦门市委金融委员会办公室"),
    (XIAMEN, "市税务局", "国家税务总局厦门市税务局"),
    (XIAMEN, "厦门金融监管局", "国家金融监督管理总局厦门监管局"),
    (XIAMEN, "人民银行厦门市分行", "中国人民银行厦门市分行"),
    (XIAMEN, "人行厦门市中心支行", "中国人民银行厦门市分行"),
    (XIAMEN, "火炬管委会", "厦门火炬高技术产业开发区管理委员会"),
    (XIAMEN, "自贸委", "中国（福建）自由贸易试验区厦门片区管理委员会"),
    (XIAMEN, "市市场监管局", "厦门市市场监督管理局"),
    (XIAMEN, "市场监管局", "厦门市市场监督管理局"),
    (XIAMEN, "住房城乡建设局", "厦门市住房和城乡建设局"),
    (XIAMEN, "人力资源社会保障局", "厦门市人力资源和社会保障局"),
    (XIAMEN, "厦门海关", "厦门海关"),
    (XIAMEN, "厦门证监局", "中国证券监督管理委员会厦门监管局"),
    (DALIAN, "市政府办公厅", "大连市人民政府办公厅"),
    (SIMING, "区科技创新局", "厦门市思明区科技创新局"),
    # a body the abbreviation table lacks is named after the city and the district too
    (SIMING, "区人力资源局", "厦门市思明区人力资源局"),
    ("440305", "区人力资源局", "深圳市南山区人力资源局"),
    ("440305", "区委组织部", "中共深圳市南山区委组织部"),
    # a district name several cities share is read around the document's place
    ("440300", "南山区科技创新局", "深圳市南山区科技创新局"),
    ("230400", "南山区科技创新局", "鹤岗市南山区科技创新局"),
    (SIMING, "鼓楼区人民政府", "福州市鼓楼区人民政府"),
    (SIMING, "市财政局", "厦门市财政局"),
    (XIAMEN, "海沧区政府", "厦门市海沧区人民政府"),
    (FUJIAN, "省发展改革委", "福建省发展和改革委员会"),
])
def test_canonical_names_follow_the_jurisdiction(jurisdiction, printed, name):
    resolved = AgencyResolver(jurisdiction).resolve(printed)
    assert resolved is not None and resolved.name == name and resolved.kind == "agency"


def test_jurisdiction_codes_of_resolved_agencies():
    resolver = AgencyResolver(SIMING)
    assert resolver.resolve("区科技创新局").jurisdiction == SIMING
    assert resolver.resolve("市财政局").jurisdiction == XIAMEN
    assert resolver.resolve("省财政厅").jurisdiction == FUJIAN


def test_unknown_jurisdiction_keeps_the_printed_name():
    resolved = AgencyResolver(None).resolve("市发改委")
    assert resolved.jurisdiction is None and resolved.inferred


@pytest.mark.parametrize("printed", ["各区人民政府", "市直各相关部门", "各成员单位", "各有关单位",
                                     "市清理拖欠中小企业账款专班各成员单位", "市直各涉企资金部门", "各区"])
def test_collective_references_are_groups(printed):
    assert AgencyResolver(XIAMEN).resolve(printed).kind == "group"


@pytest.mark.parametrize("printed", ["市委常委", "副市长", "下同", "按职责分工负责"])
def test_people_and_notes_are_not_agencies(printed):
    assert AgencyResolver(XIAMEN).resolve(printed) is None


def test_list_carries_the_prefix_and_cuts_trailing_notes():
    value = "市发改委、财政局、商务局，厦门金融监管局等按职责分工负责，下同"
    mentions = parse_agency_list(value, "responsible", AgencyResolver(XIAMEN))
    assert [m.resolved.name for m in mentions] == [
        "厦门市发展和改革委员会", "厦门市财政局", "厦门市商务局", "国家金融监督管理总局厦门监管局"]
    assert all(value[m.start:m.end] == m.text for m in mentions)
    assert mentions[-1].text == "厦门金融监管局"


def test_party_prefix_is_not_carried():
    mentions = parse_agency_list("市委金融办、财政局", "responsible", AgencyResolver(XIAMEN))
    assert [m.resolved.name for m in mentions] == ["中共厦门市委金融委员会办公室", "厦门市财政局"]


def test_note_in_brackets_is_not_an_item():
    value = "市发改委、工信局，各区人民政府、火炬管委会（以下责任单位均需各区人民政府，不再一一列出）"
    texts = [m.text for m in parse_agency_list(value, "responsible", AgencyResolver(XIAMEN))]
    assert texts == ["市发改委", "工信局", "各区人民政府", "火炬管委会"]


@pytest.mark.parametrize(("label", "role"), [("牵头单位", "lead"), ("责任单位", "responsible"),
                                             ("我市责任单位", "responsible"), ("配合单位", "support")])
def test_labels_decide_roles(label, role):
    assert role_of_label(label) == role


def roles(text: str, jurisdiction: str) -> list[tuple[str, str, str]]:
    return [(m.text, m.role, m.resolved.name) for m in AgencyFinder(jurisdiction).find(text)]


def test_parenthesised_responsibility_list():
    text = "推动消费。（责任单位：市商务局、文旅局）"
    assert roles(text, XIAMEN) == [("市商务局", "responsible", "厦门市商务局"),
                                   ("文旅局", "responsible", "厦门市文化和旅游局")]


def test_lead_and_support_in_brackets(fixture_text):
    found = roles(fixture_text("shenzhen_measures.txt"), "440300")
    assert ("市工业和信息化局", "lead", "深圳市工业和信息化局") in found
    assert ("市财政局", "support", "深圳市财政局") in found
    assert ("市科技创新委", "support", "深圳市科技创新委员会") in found
    assert ("深圳金融监管局", "support", "国家金融监督管理总局深圳监管局") in found
    assert ("人民银行深圳市分行", "lead", "中国人民银行深圳市分行") in found


def test_you_fuze_and_huitong(fixture_text):
    found = roles(fixture_text("hangzhou_plan.txt"), "330100")
    assert ("市经信局", "responsible", "杭州市经济和信息化局") in found
    assert ("市市场监管局", "lead", "杭州市市场监督管理局") in found
    assert ("市发展改革委", "support", "杭州市发展和改革委员会") in found
    assert ("市数据局", "support", "杭州市数据局") in found
    assert ("各区县（市）政府", "responsible", "各区县（市）政府") in found


def test_provincial_document(fixture_text):
    found = roles(fixture_text("province_notice.txt"), FUJIAN)
    assert ("省财政厅", "lead", "福建省财政厅") in found
    assert ("省发展改革委", "support", "福建省发展和改革委员会") in found
    assert ("省直有关部门", "responsible", "省直有关部门") in found
    assert ("省自然资源厅", "responsible", "福建省自然资源厅") in found


def test_lead_with_province_prefix_carried_in_prose():
    found = roles("由省发改委、工信厅牵头会同有关部门建立工作机制。", XIAMEN)
    assert found == [("省发改委", "lead", "福建省发展和改革委员会"),
                     ("工信厅", "lead", "福建省工业和信息化厅"),
                     ("有关部门", "support", "有关部门")]


def test_group_stem_is_shared():
    found = roles("各区市县党委、人民政府，各开放先导区党工委、管委会，市直各单位：", DALIAN)
    assert ("人民政府", "mentioned", "各区市县人民政府") in found
    assert ("管委会", "mentioned", "各开放先导区管委会") in found


def test_a_collective_covers_a_list_not_the_next_clause():
    # 各 covers 区 in 各市、区人民政府, but after a comma 市人民政府 is the city's own government
    assert ("区人民政府", "mentioned", "各区人民政府") in roles("各市、区人民政府，市直各部门：", XIAMEN)
    found = roles("各区人民政府，市人民政府各部门：", XIAMEN)
    assert ("市人民政府", "mentioned", "厦门市人民政府") in found
    assert not [name for _, _, name in found if name == "各市人民政府"]


def test_table_cells_are_responsibility_lists():
    text = "\t8\n\t新培育1000家以上专精特新中小微企业。\n\t市工信局、财政局\n"
    assert roles(text, XIAMEN) == [("市工信局", "responsible", "厦门市工业和信息化局"),
                                   ("财政局", "responsible", "厦门市财政局")]


def test_several_labels_in_one_bracket_and_line():
    found = roles("推进试点。（牵头单位：市发改委；配合单位：市财政局、商务局）\n牵头单位：市工信局；责任单位：市科技局", XIAMEN)
    assert found == [("市发改委", "lead", "厦门市发展和改革委员会"),
                     ("市财政局", "support", "厦门市财政局"),
                     ("商务局", "support", "厦门市商务局"),
                     ("市工信局", "lead", "厦门市工业和信息化局"),
                     ("市科技局", "responsible", "厦门市科学技术局")]


def test_lead_marker_inside_a_list():
    found = roles("（责任单位：市发改委（牵头）、市财政局）", XIAMEN)
    assert found == [("市发改委", "lead", "厦门市发展和改革委员会"), ("市财政局", "responsible", "厦门市财政局")]


def test_registry_gives_current_names():
    resolved = AgencyResolver(XIAMEN).resolve("厦门银保监局")
    assert resolved.name == "国家金融监督管理总局厦门监管局" and not resolved.inferred


def test_unlisted_city_and_central_bodies(fixture_text):
    text = fixture_text("suzhou_notice.txt")
    # As if the divisions did not list the city: names are built from the printed place.
    found = [(m.text, m.role, m.resolved.name, m.resolved.jurisdiction, m.resolved.inferred)
             for m in AgencyFinder(None, "苏州市").find(text)]
    assert ("市科技局", "responsible", "苏州市科学技术局", None, True) in found
    assert ("市发改委", "lead", "苏州市发展和改革委员会", None, True) in found
    assert ("市地方金融监管局", "support", "苏州市地方金融监督管理局", None, True) in found
    assert ("国家发展改革委", "mentioned", "国家发展和改革委员会", "cn", False) in found
    assert any(f[:3] == ("人民银行苏州市分行", "responsible", "中国人民银行苏州市分行") for f in found)
    groups = {m.resolved.name for m in AgencyFinder(None, "苏州市").find(text) if m.resolved.kind == "group"}
    assert {"各市", "各区人民政府", "市各委办局", "各相关部门"} <= groups


def test_departments_in_general_are_not_central_bodies():
    assert roles("财政部门和商务部门要加强协调", XIAMEN) == []


@pytest.mark.parametrize(("label", "role"), [("主责单位", "lead"), ("责任主体", "responsible"),
                                             ("协同部门", "support"), ("参与单位", "support"), ("承办单位", "responsible")])
def test_other_label_styles(label, role):
    found = roles(f"推进试点工作。\n{label}：市商务局", XIAMEN)
    assert found == [("市商务局", role, "厦门市商务局")]


from hypothesis import given, settings, strategies as st  # noqa: E402

LIST_ALPHABET = "、，,；;（）()：:市省区县各发改委财政局厦门人民银行分行等负责牵头配合会同由 \t\n"


@settings(max_examples=80, deadline=None)
@given(value=st.text(alphabet=LIST_ALPHABET, max_size=120), jurisdiction=st.sampled_from([XIAMEN, DALIAN, SIMING, None]))
def test_list_parser_and_finder_on_random_lists(value, jurisdiction):
    for mention in parse_agency_list(value, "responsible", AgencyResolver(jurisdiction)):
        assert value[mention.start:mention.end] == mention.text and mention.resolved.name
    for mention in AgencyFinder(jurisdiction).find(value):
        assert 0 <= mention.start < mention.end <= len(value)
        assert mention.role in ("lead", "responsible", "support", "mentioned")
