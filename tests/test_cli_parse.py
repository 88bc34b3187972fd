"""``policykg parse``: output formats, folders, and one-line errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli

READERS = Path(__file__).parent / "fixtures" / "readers"


def run(*args: str):
    return CliRunner().invoke(cli, ["parse", *args])


def test_json_of_one_document(sample_path):
    result = run(str(sample_path("dalian")), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["doc_number"]["value"] == "大委办发〔2024〕15号"
    assert data["measure_count"] == 30
    assert [p["number"] for p in data["provisions"]] == ["一", "二", "三", "四", "五", "六", "七", "八"]
    first = data["provisions"][0]["children"][0]
    assert first["id"] == "1-1" and first["is_measure"] is True
    text = sample_path("dalian").read_text(encoding="utf-8")
    assert text[first["span"][0]:first["span"][1]] == first["text"]


def test_text_outline_of_a_folder(corpus_dir):
    result = run(str(corpus_dir), "--format", "text")
    assert result.exit_code == 0, result.output
    outline = result.stdout
    assert outline.count("(txt, utf-8)") == 5
    assert "  doc number    厦府办规〔2024〕12号" in outline
    assert "* 26 [item 6-26] 做好重点领域风险排查化解" in outline
    assert "2025年 [target 3-2-2025] 金融服务实体经济质效显著提升" in outline
    assert "责任单位: 市发改委、厦门港口局、市邮政管理局，各区，自贸区管委会" in outline


def test_no_paths_parses_the_bundled_corpus():
    result = run("--format", "json")
    assert result.exit_code == 0, result.output
    documents = json.loads(result.stdout)
    assert [d["measure_count"] for d in documents] == [26, 15, 50, 50, 30]


def test_missing_path_is_a_usage_error(tmp_path):
    result = run(str(tmp_path / "missing.txt"))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {tmp_path / 'missing.txt'}: no such file or directory"


def test_bad_files_are_reported_and_the_others_go_on(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 64)
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.7")
    (tmp_path / "plain.txt").write_text("请做好汛期值班值守。", encoding="utf-8")
    (tmp_path / "ok.txt").write_text("一、总则\n1. 加强管理。\n", encoding="utf-8")
    result = run(str(tmp_path), "--format", "json")
    assert result.exit_code == 0
    warnings = result.stderr.strip().split("\n")
    assert warnings == [
        f"warning: {tmp_path / 'scan.pdf'}: unsupported file type .pdf, skipped",
        f"warning: {tmp_path / 'binary.txt'}: binary file (contains NUL bytes), not a text document",
        f"warning: {tmp_path / 'empty.txt'}: empty file",
        f"warning: {tmp_path / 'plain.txt'}: no recognisable numbering; the document has no measures",
    ]
    documents = json.loads(result.stdout)
    assert [d["source"]["file"] for d in documents] == ["ok.txt", "plain.txt"]
    assert [d["measure_count"] for d in documents] == [1, 0]


def test_folder_without_documents(tmp_path):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    result = run(str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.strip().split("\n") == [
        f"warning: {tmp_path / 'notes.pdf'}: unsupported file type .pdf, skipped",
        f"warning: {tmp_path}: no supported documents found (.docx, .htm, .html, .markdown, .md, .shtml, .text, .txt)",
        "error: no documents to parse",
    ]


def test_single_unreadable_file_fails(tmp_path):
    path = tmp_path / "mojibake.txt"
    path.write_bytes(bytes(range(0x80, 0x100)) * 10)
    result = run(str(path))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.strip().split("\n")[-1] == "error: no document could be parsed"
    assert "mojibake.txt: undecodable bytes" in result.stderr


def test_html_metadata_in_json():
    result = run(str(READERS / "notice_page.html"), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["source"]["metadata"]["index_number"] == "QZ00101-0200-2024-00031"
    assert data["source"]["encoding"] == "gb18030"
    assert data["measure_count"] == 5
