"""Shared fixtures. The sample corpus is the bundled one (see corpus/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.resources import default_corpus

SAMPLE_FILES = {
    "measures": "000_baf51a30e025ba03.txt",
    "mechanism": "001_2ec3c0742d66132a.txt",
    "pilot": "002_60c74833553adad8.txt",
    "task_table": "003_960800038af9e20d.txt",
    "dalian": "004_06c92270eb12ce97.txt",
}

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return default_corpus()


@pytest.fixture(scope="session")
def sample_path(corpus_dir: Path):
    """sample_path("measures") → the path of that sample document."""
    return lambda key: corpus_dir / SAMPLE_FILES[key]


@pytest.fixture(scope="session")
def sample_records(corpus_dir: Path) -> dict[str, dict]:
    """The extraction record of every sample document, by file name (extracted once per session)."""
    from extract.pipeline import extract_path

    return {path.name: extract_path(path) for path in sorted(corpus_dir.glob("*.txt"))}


@pytest.fixture(scope="session")
def built_store(tmp_path_factory, corpus_dir: Path) -> Path:
    """The bundled sample corpus built once (graph only, no site) into a temporary store
    folder; returns the folder. Open it with ``kg.store.open_read_only`` (or
    ``pyoxigraph.Store.read_only``); do not write to it."""
    from kg.build import build_corpus

    store_dir = tmp_path_factory.mktemp("built-store") / "store"
    summary = build_corpus([corpus_dir], store_dir, workers=1, progress=False)
    assert summary.ok, "\n".join([f.describe() for f in summary.failed] + [v.describe() for v in summary.violations])
    return store_dir
