"""The build, validate and export commands (click CliRunner, in process)."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

import kg.mapping
from kg.cli import cli
from kg.namespaces import PKG

NAMES = ("001_2ec3c0742d66132a.txt", "003_960800038af9e20d.txt")


@pytest.fixture
def docs(tmp_path, corpus_dir):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in NAMES:
        shutil.copy(corpus_dir / name, folder / name)
    return folder


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_build_then_rebuild_then_validate_and_export(docs, tmp_path):
    store = str(tmp_path / "store")
    first = run("build", str(docs), "--store", store, "--no-site", "--workers", "1")
    assert first.exit_code == 0, first.output
    assert "documents: 2 built, 0 unchanged, 0 failed" in first.output
    assert "store: 2 documents" in first.output
    second = run("build", str(docs), "--store", store, "--no-site", "--workers", "1")
    assert "documents: 0 built, 2 unchanged, 0 failed" in second.output
    checked = run("validate", "--store", store)
    # two document graphs, the reference graph and the links graph (the task table implements a policy)
    assert checked.exit_code == 0 and "4 graph(s) conform" in checked.output
    out = tmp_path / "dump.trig"
    exported = run("export", "--store", store, "--format", "trig", "--out", str(out))
    assert exported.exit_code == 0 and out.read_text(encoding="utf-8").count("GRAPH") + out.read_text(encoding="utf-8").count("{") >= 3
    void = run("export", "--store", store, "--void", "--format", "ttl")
    assert "void:triples" in void.output


def test_build_reports_a_violation_and_exits_non_zero(docs, tmp_path, monkeypatch):
    real = kg.mapping.map_record

    def broken(record, registry=None):
        mapped = real(record, registry)
        mapped.quads = [q for q in mapped.quads if q.predicate != PKG.measureCount]
        return mapped

    monkeypatch.setattr(kg.mapping, "map_record", broken)
    result = run("build", str(docs / NAMES[0]), "--store", str(tmp_path / "store"), "--no-site", "--workers", "1")
    assert result.exit_code == 1
    assert "Violation at <https://w3id.org/policykg/eli/cn/350200/2022/xfb-98> pkg:measureCount" in result.output
    assert f"failed: {docs / NAMES[0]}: 1 SHACL violation(s)" in result.output


def test_missing_path_is_a_one_line_error(tmp_path):
    result = run("build", str(tmp_path / "nope"), "--store", str(tmp_path / "store"), "--no-site")
    assert result.exit_code != 0
    assert "no such file or directory" in result.output
    assert "Traceback" not in result.output


def test_validate_and_export_need_a_store(tmp_path):
    for args in (("validate",), ("export", "--format", "nq")):
        result = run(*args, "--store", str(tmp_path / "none"))
        assert result.exit_code == 1 and "run `policykg build` first" in result.output
