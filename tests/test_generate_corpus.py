"""benchmarks.generate_corpus: a deterministic, varied, scaled corpus."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.generate_corpus import (
    chinese_number, generate_corpus, generate_document, load_material, main, parse_sizes,
)


@pytest.fixture(scope="session")
def documents() -> list:
    material = load_material()
    return [generate_document(index, 11, material) for index in range(300)]


def test_a_document_depends_only_on_seed_and_index(documents: list) -> None:
    again = generate_document(17, 11)
    assert (again.relpath, again.data) == (documents[17].relpath, documents[17].data)
    assert generate_document(17, 12).data != documents[17].data


def test_the_bytes_decode_to_the_text_in_the_declared_encoding(documents: list) -> None:
    for document in documents:
        if document.format != "html":
            assert document.data.decode(document.encoding) == document.text
        else:
            page = document.data.decode(document.encoding)
            assert "charset=" + ("gb2312" if document.encoding == "gb18030" else "utf-8") in page
            first = document.text.splitlines()[0]
            assert first.replace("<", "&lt;") in page


def test_documents_vary_in_place_structure_format_and_length(documents: list) -> None:
    texts = [d.text for d in documents]
    cities = Counter(d.relpath.split("/")[0] for d in documents)
    assert len(cities) >= 30
    assert {d.format for d in documents} == {"txt", "md", "html"}
    assert {"utf-8", "gb18030"} <= {d.encoding for d in documents}
    styles = {
        "chapter": r"^[一二三四五六七八]、", "sub": r"^（[一二三四五]）", "item": r"^\d+\. ",
        "article": r"^第[一二三四五六七八九十]+条", "table": r"^\t\d+$|^\| \d+ \|", "fields": r"^牵头市领导[：:]",
        "page": r"^— \d+ —$", "number": r"〔20\d\d〕\d+号|\[20\d\d\]\d+号",
    }
    for name, pattern in styles.items():
        assert sum(bool(re.search(pattern, t, re.MULTILINE)) for t in texts) >= 5, name
    lengths = sorted(len(t) for t in texts)
    assert lengths[len(lengths) // 10] * 3 < lengths[-len(lengths) // 10]


def test_no_sample_city_is_left_behind_in_other_cities_documents(documents: list) -> None:
    for document in documents:
        if not document.relpath.startswith(("xiamen/", "dalian/")):
            assert "厦门" not in document.text and "大连" not in document.text, document.relpath


def test_the_corpus_is_written_with_a_manifest_and_smaller_sizes_are_prefixes(tmp_path: Path) -> None:
    small = generate_corpus(20, tmp_path, seed=5)
    large = generate_corpus(40, tmp_path, seed=5)
    small_manifest = json.loads((small / "manifest.json").read_text(encoding="utf-8"))
    large_manifest = json.loads((large / "manifest.json").read_text(encoding="utf-8"))
    assert small_manifest["documents"] == 20 and len(small_manifest["files"]) == 20
    assert large_manifest["files"][:20] == small_manifest["files"]
    files = sorted(p.relative_to(small / "docs").as_posix() for p in (small / "docs").rglob("*") if p.is_file())
    assert files == sorted(f["path"] for f in small_manifest["files"])
    assert small_manifest["chars"] == sum(f["chars"] for f in small_manifest["files"])
    before = (small / "manifest.json").stat().st_mtime_ns
    assert generate_corpus(20, tmp_path, seed=5) == small  # up to date: kept as it is
    assert (small / "manifest.json").stat().st_mtime_ns == before


def test_the_command_line_generates_and_rejects_bad_sizes(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["--sizes", "3", "--out", str(tmp_path), "--seed", "1"]) == 0
    assert (tmp_path / "corpus-3" / "manifest.json").is_file()
    assert "3 documents" in capsys.readouterr().err
    with pytest.raises(SystemExit, match="comma-separated integers"):
        parse_sizes("10,ten")
    with pytest.raises(SystemExit, match="positive"):
        parse_sizes("0")


@pytest.mark.parametrize("number, text", [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (26, "二十六"),
                                          (99, "九十九"), (100, "一百"), (105, "一百零五"), (110, "一百一十"),
                                          (126, "一百二十六")])
def test_chinese_numbers(number: int, text: str) -> None:
    assert chinese_number(number) == text
