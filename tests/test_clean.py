"""kg.clean: debris removal with an exact map back to the original text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.clean import clean, normalise, normalise_doc_number

#: (original character, cleaned character) pairs the one-for-one normalisation may produce.
ALLOWED_REPLACEMENTS = {
    (",", "，"), (":", "："), (";", "；"), ("?", "？"), ("!", "！"),
    ("(", "（"), (")", "）"), ('"', "“"), ('"', "”"),
    ("[", "〔"), ("]", "〕"), ("【", "〔"), ("】", "〕"), ("［", "〔"), ("］", "〕"),
    ("（", "〔"), ("）", "〕"), ("(", "〔"), (")", "〕"),
}


def assert_exact_map(original: str, cleaned) -> None:
    assert len(cleaned.offsets) == len(cleaned.text) + 1
    previous = -1
    for index, char in enumerate(cleaned.text):
        offset = cleaned.offsets[index]
        assert offset > previous, "offsets must increase strictly"
        previous = offset
        source = original[offset]
        assert (
            source == char
            or (source, char) in ALLOWED_REPLACEMENTS
            or ("０" <= source <= "９" and ord(source) - 0xFEE0 == ord(char))
            or ("Ａ" <= source <= "ｚ" and ord(source) - 0xFEE0 == ord(char))
        ), (index, source, char)
    if cleaned.text:
        assert cleaned.offsets[-1] == cleaned.offsets[-2] + 1


@pytest.fixture(scope="module")
def samples(sample_path):
    texts = {}
    for key in ("measures", "mechanism", "pilot", "task_table", "dalian"):
        texts[key] = sample_path(key).read_text(encoding="utf-8")
    return {key: (text, clean(text)) for key, text in texts.items()}


@pytest.mark.parametrize("key", ["measures", "mechanism", "pilot", "task_table", "dalian"])
def test_every_cleaned_character_maps_to_its_original(samples, key):
    original, cleaned = samples[key]
    assert_exact_map(original, cleaned)
    assert "\n\n" not in cleaned.text
    assert not any(line.startswith("#") for line in cleaned.text.split("\n"))


def test_page_numbers_and_stray_characters_are_removed(samples):
    original, cleaned = samples["mechanism"]
    lines = cleaned.text.split("\n")
    assert "— 2 —" not in cleaned.text
    assert "会" not in lines and "5" not in lines
    # The paragraph broken by page number 5 is one line again.
    assert "持续壮大国家高新技术企业、国家级专精特新“小巨人”企业规模" in cleaned.text


def test_tails_under_markdown_markers_rejoin_their_line(samples):
    _, cleaned = samples["mechanism"]
    lines = cleaned.text.split("\n")
    assert "责任单位：市发改委、厦门港口局、市邮政管理局，各区，自贸区管委会" in lines
    assert "责任单位：市发改委、工信局、市场监管局、卫健委、医保局，各区，火炬管委会" in lines
    assert "责任单位：市财政局，各区，自贸区管委会，人行厦门市中心支行、厦门银保监局、厦门证监局" in lines
    # Real headings keep their own line, without the marker.
    assert "（三）六个未来产业" in lines
    assert "二、工作机制" in lines
    assert "厦门市统筹推进现代化产业体系工作机制" in lines


def test_spaces_from_wrapped_lines_are_removed_but_not_between_issuers(samples):
    _, mechanism = samples["mechanism"]
    assert "厦门市人民政府办公厅关于印发统筹推进现代化产业体系工作机制的通知" in mechanism.text.split("\n")
    assert "推动《厦门市重点产业发展行动方案》《各区（开发区）主导产业工作方案》落细落实" in mechanism.text
    _, dalian = samples["dalian"]
    assert dalian.text.split("\n")[1].startswith("中共大连市委办公厅 大连市人民政府办公厅关于印发")


def test_sentences_broken_across_pages_are_joined(samples):
    original, cleaned = samples["measures"]
    lines = cleaned.text.split("\n")
    joined = [line for line in lines if line.startswith("5. ")][0]
    assert "加快新建商品房项目片区公共服务设施建设，增加片区“含金量”" in joined
    assert joined.endswith("（责任单位：市委金融办，市住建局、财政局、资源规划局，人民银行厦门市分行、厦门金融监管局，各区政府）")
    ten = [line for line in lines if line.startswith("10. ")][0]
    assert ten.startswith("10. 更大力度吸引外商投资。探索合格境外有限合伙人（QFLP）等外资招引新方式，")
    # The 责任单位 paragraph after measure 10 ends a sentence, so it stays a line of its own.
    assert lines[lines.index(ten) + 1].startswith("（责任单位：市委金融办，市商务局")
    # Header lines are never glued together.
    assert lines[:3] == [
        "厦门市人民政府办公厅文件",
        "厦府办规〔2024〕12号",
        "厦门市人民政府办公厅关于印发 《厦门市进一步巩固经济回升向好基础加快发展动能转换的若干措施》的通知",
    ]
    assert "厦门市人民政府办公厅\n2024年10月12日\n（此件主动公开）" in cleaned.text


def test_table_cells_and_row_numbers_are_kept(samples):
    _, cleaned = samples["task_table"]
    lines = cleaned.text.split("\n")
    assert lines[1:4] == ["\t序号", "\t福建省《关于支持中小微企业健康发展的若干措施》具体内容", "\t我市责任单位"]
    numbers = [line for line in lines if line.strip().isdigit()]
    assert numbers == [f"\t{n}" for n in range(1, 51)]


def test_tab_separated_rows_are_never_joined():
    """HTML and Word tables are read as one row per line, cells joined by tabs; a row whose last
    cell has no closing punctuation is still a row, and so is the line after the table."""
    text = ("序号\t工作任务\t牵头单位\t完成时限\n"
            "1\t设立规模100亿元的数字经济产业基金，重点投向人工智能和集成电路领域的初创企业\t市国资委\t2025年12月\n"
            "2\t融资担保机构对数字经济中小企业的担保费率不超过1%\t市地方金融监管局\t长期坚持\n"
            "本清单自印发之日起施行，有效期3年")
    assert clean(text).text.split("\n") == text.split("\n")


def test_spans_map_back_to_the_exact_original(samples):
    original, cleaned = samples["measures"]
    start = cleaned.text.index("5. 促进房地产")
    end = cleaned.text.index("\n", start)
    span = cleaned.to_original(start, end)
    assert original[span[0]:span[1]].startswith("5. 促进房地产市场止跌回稳。")
    assert "片区公共服务\n\n设施建设" in original[span[0]:span[1]]
    assert original[span[0]:span[1]].endswith("各区政府）")
    assert cleaned.to_original(3, 3) == (cleaned.offsets[3], cleaned.offsets[3])


def test_document_number_brackets_are_normalised(samples):
    assert "厦府办〔2022〕98号" in samples["mechanism"][1].text
    assert "大委办发〔2024〕15号" in samples["dalian"][1].text
    assert normalise("厦府办【2022】98号") == "厦府办〔2022〕98号"
    assert normalise("闽政〔２０２４〕３号") == "闽政〔2024〕3号"
    assert normalise_doc_number("厦府办 ［2022］ 98号") == "厦府办〔2022〕98号"


def test_half_width_punctuation_next_to_chinese_only():
    assert normalise("各区,火炬管委会:按(一)执行") == "各区，火炬管委会：按（一）执行"
    assert normalise("1,000 and 10:30 (a)") == "1,000 and 10:30 (a)"


def test_crlf_and_indentation(samples):
    cleaned = clean("一、总则\r\n\r\n　　1. 加强管理。\r\n")
    assert cleaned.text == "一、总则\n1. 加强管理。"


def test_empty_and_blank_text():
    assert clean("").text == "" and clean("").offsets == [0]
    blank = clean("\n\n  \n")
    assert blank.text == ""
    assert len(blank.offsets) == 1


_DEBRIS_TEXT = st.lists(
    st.sampled_from(
        ["一、总则", "1. 加快建设现代化产业体系，推动经济社会高质量发展，", "— 2 —", "5", "会", "## 区,火炬管委会",
         "", "  ", "\t12", "（责任单位:市发改委）", "厦府办[2022]98号", "abc, def", "第三条　本办法自发布之日起施行。", "**一、总则**", "__", "**"]
    ),
    max_size=30,
).map("\n".join)


@settings(max_examples=200, deadline=None)
@given(_DEBRIS_TEXT)
def test_map_is_exact_for_any_mix_of_debris(text):
    assert_exact_map(text, clean(text))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("一二十、。，,:()（）[]〔〕【】\n\t #—-0123456789会区年号第条章ab ")), max_size=200))
def test_map_is_exact_for_arbitrary_text(text):
    assert_exact_map(text, clean(text))


def test_row_numbers_of_a_cell_per_line_table_are_not_page_numbers():
    text = ("序号\n任务\n1\n建设平台\n市发改委\n2\n培育企业\n市工信局\n\n"
            "正文很长的一段文字，继续写下去，直到页面结束为止的内容\n\n7\n\n下一页的内容。")
    cleaned = clean(text)
    assert cleaned.text.split("\n") == [
        "序号", "任务", "1", "建设平台", "市发改委", "2", "培育企业", "市工信局",
        "正文很长的一段文字，继续写下去，直到页面结束为止的内容下一页的内容。",
    ]


def test_bold_markdown_lines_lose_their_markers():
    text = "## **一、总则**\n\n**1. 加强统筹。**\n\n__（一）做好服务__\n"
    cleaned = clean(text)
    assert cleaned.text == "一、总则\n1. 加强统筹。\n（一）做好服务"
    assert_exact_map(text, cleaned)


def test_long_issuer_names_of_a_signature_block_stay_on_their_lines():
    text = "福建省厦门市人民政府国有资产监督管理委员会\n\n厦门火炬高技术产业开发区管理委员会办公室\n\n2024年5月20日\n"
    assert clean(text).text.split("\n") == [
        "福建省厦门市人民政府国有资产监督管理委员会", "厦门火炬高技术产业开发区管理委员会办公室", "2024年5月20日",
    ]
