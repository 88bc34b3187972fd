"""kg.readers: finding documents, decoding them, extracting their text."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kg.errors import DocumentError, PolicyKGError
from kg.readers import MAX_DOCUMENT_BYTES, decode_bytes, iter_document_paths, read_document

READERS = Path(__file__).parent / "fixtures" / "readers"


# --- the bundled samples ----------------------------------------------------


@pytest.mark.parametrize("key", ["measures", "mechanism", "pilot", "task_table", "dalian"])
def test_sample_text_is_the_decoded_file(sample_path, key):
    path = sample_path(key)
    document = read_document(path)
    raw = path.read_bytes()
    assert document.text == raw.decode("utf-8")
    assert document.format == "txt"
    assert document.encoding == "utf-8"
    assert document.content_hash == hashlib.sha256(raw).hexdigest()
    assert document.metadata == {}
    assert document.warnings == []


# --- encodings --------------------------------------------------------------


def test_gb18030_regulation():
    document = read_document(READERS / "regulation_gb18030.txt")
    assert document.encoding == "gb18030"
    assert document.text.startswith("厦门市科学技术局关于印发《厦门市科技计划项目资金管理办法》的通知\n")
    assert "第三条　项目资金采取以下方式支持：" in document.text


def test_utf16_with_bom():
    document = read_document(READERS / "three_levels_utf16.txt")
    assert document.encoding == "utf-16"
    assert document.text.startswith("关于做好2024年度中小企业服务工作的实施意见\n")
    assert "\ufeff" not in document.text


def test_utf16_without_bom(tmp_path):
    path = tmp_path / "no_bom.txt"
    path.write_bytes("一、总则\n1. 加强管理。\n".encode("utf-16-le"))
    document = read_document(path)
    assert document.encoding == "utf-16-le"
    assert document.text == "一、总则\n1. 加强管理。\n"


def test_utf8_with_bom(tmp_path):
    path = tmp_path / "bom.md"
    path.write_bytes("\ufeff# 标题\n正文。".encode("utf-8"))
    document = read_document(path)
    assert (document.encoding, document.format, document.text) == ("utf-8-sig", "md", "# 标题\n正文。")


def test_gbk_declared_as_gb2312_is_read_as_gb18030():
    text, encoding, warnings = decode_bytes("各有关单位：现将《办法》印发给你们。".encode("gbk"), declared="gb2312")
    assert (text, encoding, warnings) == ("各有关单位：现将《办法》印发给你们。", "gb18030", [])


def test_a_few_corrupt_bytes_in_utf8_are_replaced_with_a_warning(tmp_path):
    body = "为深入贯彻落实党中央决策部署，制定本措施。" * 40
    path = tmp_path / "corrupt.txt"
    path.write_bytes(body.encode("utf-8") + b"\xff" + body.encode("utf-8"))
    document = read_document(path)
    assert document.encoding == "utf-8"
    assert document.text.count("\ufffd") == 1
    assert len(document.warnings) == 1 and "corrupt.txt" in document.warnings[0]


# --- HTML -----------------------------------------------------------------


@pytest.fixture(scope="module")
def html_page():
    return read_document(READERS / "notice_page.html")


def test_html_metadata_table(html_page):
    assert html_page.format == "html"
    assert html_page.encoding == "gb18030"
    assert html_page.metadata == {
        "index_number": "QZ00101-0200-2024-00031",
        "subject": "国民经济管理、国有资产监管",
        "issuer": "泉州市人民政府办公室",
        "date_written": "2024年03月15日",
        "title": "泉州市人民政府办公室关于印发泉州市促进民营经济高质量发展若干措施的通知",
        "doc_number": "泉政办〔2024〕7号",
        "date_published": "2024年03月18日",
    }


def test_html_body_only(html_page):
    lines = html_page.text.split("\n")
    assert lines[0] == "泉州市人民政府办公室关于印发泉州市促进民营经济高质量发展若干措施的通知"
    assert lines[1] == "各县（市、区）人民政府，泉州开发区、泉州台商投资区管委会，市直有关单位："
    assert "一、优化发展环境" in lines
    for noise in ("首页", "当前位置", "版权所有", "ICP", "分享到", "_hmt", "统计", "索引号", "QZ00101"):
        assert noise not in html_page.text, noise


def test_html_table_rows_are_tab_separated(html_page):
    lines = html_page.text.split("\n")
    assert lines[-3:] == [
        "序号\t事项\t责任单位",
        "1\t建立民营企业挂钩联系制度\t市工商联",
        "2\t开展惠企政策宣传月活动\t市发改委",
    ]


def test_html_utf8_without_metadata(tmp_path):
    path = tmp_path / "page.htm"
    path.write_text(
        "<html><head><meta charset='utf-8'><title>关于开展检查的通知 - 某某市人民政府</title></head>"
        "<body><div id='menu'>网站首页</div><div class='main'><p>各区：</p><p>请于5月底前完成自查。</p>"
        "<p>请认真落实。</p></div></body></html>",
        encoding="utf-8",
    )
    document = read_document(path)
    assert document.encoding == "utf-8"
    assert document.text == "关于开展检查的通知\n各区：\n请于5月底前完成自查。\n请认真落实。"
    assert document.metadata == {"title": "关于开展检查的通知"}


# --- Word -------------------------------------------------------------------


@pytest.fixture(scope="module")
def docx_path(tmp_path_factory):
    import docx

    document = docx.Document()
    document.core_properties.title = "厦门市促进会展业发展若干措施"
    document.add_paragraph("厦门市促进会展业发展若干措施")
    document.add_paragraph("一、支持展会做大做强")
    document.add_paragraph("1. 对新引进的展会给予最高100万元补助。（责任单位：市会展局）")
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(table.rows, [("序号", "任务", "责任单位"), ("1", "办好投洽会", "市商务局"), ("2", "培育自主品牌展", "市会展局")]):
        for cell, value in zip(row.cells, cells):
            cell.text = value
    document.add_paragraph("本措施自印发之日起施行。")
    path = tmp_path_factory.mktemp("docx") / "measures.docx"
    document.save(path)
    return path


def test_docx_paragraphs_and_tables_in_order(docx_path):
    document = read_document(docx_path)
    assert document.format == "docx"
    assert document.encoding == "docx"
    assert document.text == (
        "厦门市促进会展业发展若干措施\n"
        "一、支持展会做大做强\n"
        "1. 对新引进的展会给予最高100万元补助。（责任单位：市会展局）\n"
        "序号\t任务\t责任单位\n"
        "1\t办好投洽会\t市商务局\n"
        "2\t培育自主品牌展\t市会展局\n"
        "本措施自印发之日起施行。"
    )
    assert document.metadata == {"title": "厦门市促进会展业发展若干措施"}


def test_docx_that_is_not_a_zip(tmp_path):
    path = tmp_path / "fake.docx"
    path.write_text("这不是Word文件", encoding="utf-8")
    with pytest.raises(DocumentError, match=r"fake\.docx: not a valid \.docx file"):
        read_document(path)


# --- bad input ----------------------------------------------------------------


def _message(path: Path) -> str:
    with pytest.raises(DocumentError) as caught:
        read_document(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(str(path) + ": ")
    return message


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert _message(path).endswith("empty file")
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b" \n\r\n\t ")
    assert _message(blank).endswith("empty file")


def test_binary_file(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert "binary file" in _message(path)
    nul = tmp_path / "data.md"
    nul.write_bytes(b"abc\x00\x01\x02" * 100)
    assert "binary file" in _message(nul)


def test_undecodable_bytes(tmp_path):
    path = tmp_path / "mojibake.txt"
    path.write_bytes(bytes(range(0x80, 0x100)) * 20)
    assert "undecodable bytes" in _message(path)


def test_missing_file(tmp_path):
    assert _message(tmp_path / "nowhere.txt").endswith("no such file")


def test_unsupported_type(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.7")
    assert "unsupported file type .pdf" in _message(path)


def test_twenty_megabyte_file_is_read(tmp_path):
    paragraph = "1. 加大工业投资和设备更新力度。加快实施工业用地提容增效政策措施。（责任单位：市工信局）\n"
    count = 20 * 1024 * 1024 // len(paragraph.encode("utf-8")) + 1
    path = tmp_path / "big.txt"
    path.write_text(paragraph * count, encoding="utf-8")
    assert path.stat().st_size >= 20 * 1024 * 1024
    document = read_document(path)
    assert len(document.text) == len(paragraph) * count


def test_oversized_file_gets_a_clear_error(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_DOCUMENT_BYTES + 1)
    assert "file too large" in _message(path)


# --- walking folders ----------------------------------------------------------------


def test_folders_are_walked_recursively_and_sorted(tmp_path):
    for name in ("b.txt", "a/z.html", "a/b/c.docx", "a/notes.pdf", ".git/config.txt", "a/~$c.docx", "C.md"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    warnings: list[str] = []
    found = list(iter_document_paths([tmp_path], warnings.append))
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["C.md", "a/b/c.docx", "a/z.html", "b.txt"]
    assert warnings == [f"{tmp_path / 'a' / 'notes.pdf'}: unsupported file type .pdf, skipped"]


def test_files_and_folders_keep_argument_order_without_duplicates(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "b.txt").write_text("x", encoding="utf-8")
    found = list(iter_document_paths([tmp_path / "b.txt", tmp_path], lambda message: None))
    assert found == [tmp_path / "b.txt", tmp_path / "a.txt"]


def test_folder_without_documents_warns(tmp_path):
    (tmp_path / "readme.pdf").write_bytes(b"%PDF")
    warnings: list[str] = []
    assert list(iter_document_paths([tmp_path], warnings.append)) == []
    assert warnings[-1].startswith(f"{tmp_path}: no supported documents found")


def test_missing_path_is_a_usage_error(tmp_path):
    with pytest.raises(PolicyKGError, match="no such file or directory"):
        list(iter_document_paths([tmp_path / "missing"]))


def test_manifest_describes_every_bundled_document(corpus_dir):
    import json

    manifest = json.loads((corpus_dir.parent / "manifest.json").read_text(encoding="utf-8"))
    entries = {entry["file"]: entry for entry in manifest["documents"]}
    files = sorted(f"documents/{path.name}" for path in corpus_dir.iterdir())
    assert sorted(entries) == files
    for name, entry in entries.items():
        raw = (corpus_dir.parent / name).read_bytes()
        assert hashlib.sha256(raw).hexdigest() == entry["sha256"], name
        for key in ("title", "issuers", "doc_number", "date", "source"):
            assert key in entry, (name, key)
        assert entry["title"].replace(" ", "") in raw.decode("utf-8").replace(" ", ""), name
        if entry["doc_number"]:
            assert entry["doc_number"] in raw.decode("utf-8"), name


def test_state_council_page_with_spaced_labels():
    document = read_document(READERS / "state_council_page.html")
    assert document.metadata == {
        "index_number": "000014349/2019-00100",
        "subject": "劳动、人事、监察\\其他",
        "issuer": "国务院办公厅",
        "date_written": "2019年06月16日",
        "title": "国务院办公厅关于促进家政服务业提质扩容的意见",
        "doc_number": "国办发〔2019〕30号",
        "date_published": "2019年06月26日",
    }
    lines = document.text.split("\n")
    assert lines[:2] == ["国务院办公厅关于促进家政服务业提质扩容的意见", "国办发〔2019〕30号"]
    assert lines[-1] == "（此件公开发布）"
    assert "责任编辑" not in document.text and "版权所有" not in document.text and "首页" not in document.text


def _numbered_docx(path: Path) -> Path:
    """A Word file whose 一、/（一）/1. numbers come from automatic list numbering, not the text."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    levels = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        + "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
                  for i, (fmt, text) in enumerate(levels))
        + "</w:abstractNum>"
    )
    numbering.insert(0, abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    document.add_paragraph("厦门市促进会展业发展若干措施")
    for level, text in [(0, "支持展会做大做强"), (1, "培育品牌展会"), (2, "对新引进的展会给予补助。"),
                        (2, "对连续举办的展会给予奖励。"), (1, "优化展会服务"), (0, "保障措施"), (2, "加强统筹。")]:
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
        )
    document.add_paragraph("本措施自印发之日起施行。", style="List Number")
    document.save(path)
    return path


def test_docx_automatic_numbering_is_written_out(tmp_path):
    document = read_document(_numbered_docx(tmp_path / "numbered.docx"))
    assert document.text.split("\n") == [
        "厦门市促进会展业发展若干措施",
        "一、支持展会做大做强",
        "（一）培育品牌展会",
        "1.对新引进的展会给予补助。",
        "2.对连续举办的展会给予奖励。",
        "（二）优化展会服务",
        "二、保障措施",
        "1.加强统筹。",
        "1.本措施自印发之日起施行。",
    ]


def test_html_layout_tables_are_read_as_blocks(tmp_path):
    path = tmp_path / "old_site.htm"
    path.write_text(
        "<html><head><meta charset='utf-8'></head><body><table width='100%'><tr><td class='nav'>首页 | 政务公开</td></tr>"
        "<tr><td><table><tr><td><p>关于加强管理的通知</p><p>各区：</p><p>一、总则</p><p>1. 加强统筹。</p>"
        "<table border='1'><tr><td>序号</td><td>任务</td></tr><tr><td>1</td><td>建设平台</td></tr></table>"
        "</td></tr></table></td></tr></table></body></html>",
        encoding="utf-8",
    )
    assert read_document(path).text.split("\n") == [
        "关于加强管理的通知", "各区：", "一、总则", "1. 加强统筹。", "序号\t任务", "1\t建设平台",
    ]


def test_a_few_corrupt_bytes_in_gb18030_are_replaced_with_a_warning(tmp_path):
    body = "为深入贯彻落实党中央决策部署，制定本措施。" * 40
    path = tmp_path / "corrupt_gbk.txt"
    path.write_bytes(body.encode("gb18030") + b"\xff" + body.encode("gb18030"))
    document = read_document(path)
    assert document.encoding == "gb18030"
    assert document.text.count("\ufffd") == 1
    assert document.text.startswith(body)
    assert len(document.warnings) == 1


def test_html_metadata_list_inside_the_article_is_metadata(tmp_path):
    path = tmp_path / "list.html"
    path.write_text(
        "<html><head><meta charset='utf-8'></head><body><div class='content'><ul class='info'>"
        "<li>索 引 号：000014349/2019-00100</li><li><span>标　　题：</span><span>关于加强管理的通知</span></li>"
        "<li>发文字号：国办发〔2019〕30号</li></ul><p>一、总则</p><p>1. 加强统筹。</p></div></body></html>",
        encoding="utf-8",
    )
    document = read_document(path)
    assert document.metadata == {
        "index_number": "000014349/2019-00100", "title": "关于加强管理的通知", "doc_number": "国办发〔2019〕30号",
    }
    assert document.text == "关于加强管理的通知\n一、总则\n1. 加强统筹。"
