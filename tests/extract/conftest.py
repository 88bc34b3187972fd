"""Shared fixtures of the extraction tests: one pipeline and the sample records per session."""

from __future__ import annotations

from pathlib import Path

import pytest

EXTRACT_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extract"


@pytest.fixture(scope="session")
def nlp():
    from extract.pipeline import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def sample_records(corpus_dir, nlp):
    """{file name: extraction record} for every sample document."""
    from extract.pipeline import extract_path

    return {path.name: extract_path(path, nlp) for path in sorted(corpus_dir.glob("*.txt"))}


@pytest.fixture(scope="session")
def fixture_text():
    return lambda name: (EXTRACT_FIXTURES / name).read_text(encoding="utf-8")
