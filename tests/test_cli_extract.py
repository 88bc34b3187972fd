"""``policykg extract`` and ``policykg eval`` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli

GOLD = Path(__file__).resolve().parent / "gold"


def test_extract_json_prints_one_record(sample_path):
    result = CliRunner().invoke(cli, ["extract", str(sample_path("mechanism")), "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["document"]["jurisdiction"]["code"] == "350200"
    assert any(a["role"] == "lead" for a in record["entities"]["agencies"])


def test_extract_several_prints_a_list(sample_path):
    result = CliRunner().invoke(cli, ["extract", str(sample_path("mechanism")), str(sample_path("dalian"))])
    assert result.exit_code == 0
    assert [r["document"]["source"]["file"][:3] for r in json.loads(result.output)] == ["001", "004"]


def test_extract_text_is_a_table(sample_path):
    result = CliRunner().invoke(cli, ["extract", str(sample_path("dalian")), "--format", "text"])
    assert result.exit_code == 0
    assert "大连市 210200" in result.output and "industries (" in result.output


def test_extract_missing_file_is_one_line_error():
    result = CliRunner().invoke(cli, ["extract", "no/such/file.txt"])
    assert result.exit_code != 0 and "Traceback" not in result.output


def test_eval_prints_scores():
    gold = [str(p) for p in sorted(GOLD.glob("001_*.json"))]
    result = CliRunner().invoke(cli, ["eval", *gold])
    assert result.exit_code == 0, result.output
    assert "agencies" in result.output and "F1" in result.output


def test_eval_rejects_missing_gold():
    result = CliRunner().invoke(cli, ["eval", "no-such-gold.json"])
    assert result.exit_code == 1 and "no-such-gold.json" in result.output
