"""The benchmark harness end to end at the 100-document size (--quick): a smoke test.

No timing assertions: the test checks that the harness runs, that every figure of
the issue appears in the BENCHMARKS-style output (as a number, or as "not
available" when its stage is missing), and that the raw results are recorded.
It writes to a temporary folder, never to the real BENCHMARKS.md.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from benchmarks import run as harness

# The harness builds a 100-document corpus, its store and its site: minutes, not seconds.
pytestmark = pytest.mark.timeout(1800)

SECTIONS = ["## Targets", "## Corpus", "## Throughput", "## Memory", "## Incremental builds", "## Store loading",
            "## Queries", "## Site", "## One million documents (paper estimate)", "## Profiles of missed targets"]
TARGETS = ["1", "2", "3a", "3b", "4a", "4b", "4c", "4d", "5a", "5b", "5c", "6a", "6b"]
STAGE_ROWS = ["baseline: jieba tokenisation", "read (decode, HTML to text)", "clean (debris, offsets)",
              "structure (header, provisions)", "NLP extraction (one process)", "RDF mapping",
              "store load (build's bulk path)", "SHACL validation (per document", "site generation (no search index)",
              "end to end: `policykg build --no-site`"]


@pytest.fixture(scope="session")
def smoke_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict]:
    folder = tmp_path_factory.mktemp("benchmarks")
    output, results = folder / "BENCHMARKS.md", folder / "results.json"
    code = harness.main(["--sizes", "100", "--quick", "--output", str(output), "--results", str(results),
                         "--corpus-root", str(folder), "--workdir", str(folder / "work"),
                         "--profiles", str(folder / "profiles"), "--timeout", "900"])
    assert code == 0
    return output.read_text(encoding="utf-8"), json.loads(results.read_text(encoding="utf-8"))


def test_the_report_has_every_section(smoke_run: tuple[str, dict]) -> None:
    text, _ = smoke_run
    for section in SECTIONS:
        assert section in text, section


def test_the_report_describes_the_machine_and_the_command(smoke_run: tuple[str, dict]) -> None:
    text, _ = smoke_run
    assert re.search(r"\*\*Machine\*\*: .+, \d+ usable cores .+ GiB memory", text)
    assert re.search(r"\*\*Python\*\* 3\.\d+\.\d+; policykg [\w.]+; spacy [\w.]+; jieba", text)
    assert "`python -m benchmarks.run --sizes 100 --quick" in text
    assert re.search(r"100 documents on \d{4}-\d\d-\d\d \d\d:\d\d UTC \(quick, 1 run\)", text)


def test_every_target_is_marked(smoke_run: tuple[str, dict]) -> None:
    text, _ = smoke_run
    for number in TARGETS:
        row = re.search(rf"^\| {number} \| (.+)$", text, re.MULTILINE)
        assert row, f"target {number} missing"
        # A target defined at 10,000 documents is judged on the largest size run and says so.
        status = r"\*\*(met|NOT met|not measured)( at [\d,]+ \([\d,]+ not measured\))?\*\*"
        assert re.search(status, row.group(1)), row.group(0)


def test_every_stage_figure_is_a_number_or_not_available(smoke_run: tuple[str, dict]) -> None:
    text, _ = smoke_run
    throughput = text.split("### 100 documents", 1)[1].split("## Memory", 1)[0]
    for label in STAGE_ROWS:
        row = next((line for line in throughput.splitlines() if label in line), None)
        assert row, f"no row for {label}"
        assert re.search(r"\d[\d,]*(\.\d+)?|not available", row.split("|")[3] + row.split("|")[5]), row


def test_the_baseline_is_always_measured(smoke_run: tuple[str, dict]) -> None:
    _, results = smoke_run
    tokenise = results["runs"]["100"]["tokenise"]
    assert tokenise["available"] is True
    # --quick measures the per-document figures on a deterministic shard of the corpus, the same for both.
    assert 0 < tokenise["docs"] <= 100
    assert tokenise["docs"] == results["runs"]["100"]["pipeline"].get("docs", tokenise["docs"])
    assert tokenise["chars"] > tokenise["docs"] * 500
    assert tokenise["seconds"] > 0


def test_figures_that_exist_have_their_baseline_beside_them(smoke_run: tuple[str, dict]) -> None:
    _, results = smoke_run
    run = results["runs"]["100"]
    assert run["corpus"]["documents"] == 100
    for key in ("tokenise", "pipeline", "build", "store", "queries", "site"):
        assert key in run, key
        assert run[key].get("available") in (True, False), key
        if run[key].get("available") is False:
            assert run[key].get("reason"), f"{key} is unavailable without a reason"
    if run["build"].get("available"):
        assert run["build"]["peak_rss"] > 0
        assert {"changed", "unchanged"} <= set(run["incremental"])
    if run["store"].get("available"):
        assert run["store"]["baseline_seconds"] > 0
    if run["site"].get("available"):
        assert "pagefind" in run["site"]


def test_render_only_rewrites_the_report_from_the_results(smoke_run: tuple[str, dict], tmp_path: Path) -> None:
    text, results = smoke_run
    stored = tmp_path / "results.json"
    stored.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    output = tmp_path / "again.md"
    assert harness.main(["--render-only", "--results", str(stored), "--output", str(output)]) == 0
    assert output.read_text(encoding="utf-8") == text
