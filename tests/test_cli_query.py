"""`policykg query` and `policykg sparql` through click's CliRunner, on an on-disk mini store."""

from __future__ import annotations

import csv
import gc
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import RdfFormat, Store

from kg.cli import cli
from tests.conftest import FIXTURES

MINI = FIXTURES / "queries" / "mini.trig"


@pytest.fixture(scope="session")
def mini_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An Oxigraph store on disk holding mini.trig (written, then closed)."""
    path = tmp_path_factory.mktemp("cli-query") / "store"
    store = Store(str(path))
    store.load(path=str(MINI), format=RdfFormat.TRIG)
    store.flush()
    del store
    gc.collect()
    return path


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_list_shows_names_titles_and_parameters() -> None:
    code, out, _ = invoke("query", "--list")
    assert code == 0
    assert "measures-by-agency  部门负责的措施（按角色） / Measures an agency is responsible for, by role" in out
    assert "    -p agency=<string>  default 厦门市财政局" in out
    assert '    -p city=<string>  default ""' in out


def test_named_query_with_parameters_as_csv(mini_store_dir: Path) -> None:
    code, out, err = invoke("query", "measures-by-agency", "-p", "agency=厦门市财政局", "--format", "csv",
                            "--store", str(mini_store_dir))
    assert code == 0, err
    table = list(csv.DictReader(io.StringIO(out)))
    assert [(r["role"], r["measureNumber"]) for r in table] == [("负责", "4"), ("负责", "1"), ("负责", "18")]


def test_named_query_as_table_and_json(mini_store_dir: Path) -> None:
    code, out, _ = invoke("query", "amounts-above", "-p", "threshold=1e10", "--store", str(mini_store_dir))
    assert code == 0
    assert out.splitlines()[0].startswith("value") and "150000000000" in out
    code, out, _ = invoke("query", "deadlines-between", "-p", "from=2024-01-01", "-p", "to=2024-12-31",
                          "--format", "json", "--store", str(mini_store_dir))
    bindings = json.loads(out)["results"]["bindings"]
    assert [b["quote"]["value"] for b in bindings] == ["2024年11月底"]


@pytest.mark.parametrize("args, message", [
    (["query", "amounts-above", "-p", "threshold=many"], "error: parameter threshold: 'many' is not a decimal number"),
    (["query", "amounts-above", "-p", "threshold"], "error: parameter 'threshold' is not key=value"),
    (["query", "amounts-above", "-p", "colour=red"], "error: query amounts-above has no parameter 'colour'"),
    (["query", "nothing-like-this"], "error: no named query 'nothing-like-this'"),
    (["sparql", "SELECT ?x WHERE {"], "error: SPARQL syntax error"),
])
def test_errors_are_one_line(mini_store_dir: Path, args: list[str], message: str) -> None:
    code, out, err = invoke(*args, "--store", str(mini_store_dir))
    assert code == 1 and out == ""
    assert err.startswith(message) and len(err.strip().splitlines()) == 1


def test_missing_store_is_reported(tmp_path: Path) -> None:
    code, _, err = invoke("query", "agencies-ranked", "--store", str(tmp_path / "none"))
    assert code == 1 and "run 'policykg build' first" in err and "Traceback" not in err


def test_injection_is_just_a_string(mini_store_dir: Path) -> None:
    code, out, _ = invoke("query", "measures-by-agency", "-p", 'agency="} DROP ALL #', "--store", str(mini_store_dir))
    assert code == 0 and "(no results)" in out
    code, out, _ = invoke("sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv",
                          "--store", str(mini_store_dir))
    assert out.splitlines() == ["n", "1087"]


def test_sparql_text_file_ask_and_construct(mini_store_dir: Path, tmp_path: Path) -> None:
    query_file = tmp_path / "count.rq"
    query_file.write_text("PREFIX pkg: <https://w3id.org/policykg/ontology#>\n"
                          "SELECT (COUNT(?m) AS ?measures) WHERE { ?m a pkg:Measure }\n", encoding="utf-8")
    code, out, _ = invoke("sparql", str(query_file), "--format", "tsv", "--store", str(mini_store_dir))
    assert code == 0 and out.splitlines() == ["measures", "11"]
    code, out, _ = invoke("sparql", "ASK { ?s ?p \"厦门市\"@zh }", "--store", str(mini_store_dir))
    assert out == "true\n"
    code, out, _ = invoke("sparql", "CONSTRUCT WHERE { <https://w3id.org/policykg/place/350200> ?p ?o }",
                          "--store", str(mini_store_dir))
    assert code == 0 and 'skos:prefLabel "厦门市"@zh' in out
