"""The sample gold holds at F1 >= 0.95 for every entity type; the eval matching rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract.eval import Score, evaluate, load_gold, match
from kg.errors import PolicyKGError

GOLD = sorted((Path(__file__).resolve().parents[1] / "gold").glob("*.json"))


def test_gold_spans_slice_the_original_text(corpus_dir):
    for document, types in load_gold(GOLD).items():
        text = (corpus_dir / document).read_text(encoding="utf-8")
        for entity_type, records in types.items():
            for record in records:
                start, end = record["span"]
                assert text[start:end] == record["text"], (document, entity_type, record)


def test_sample_gold_f1_per_type(sample_records, corpus_dir):
    report = evaluate(GOLD, corpus_dir, extract=lambda path: sample_records[path.name])
    assert report.by_type, "no gold"
    for entity_type, score in report.by_type.items():
        assert score.f1 >= 0.95, (entity_type, score)


def test_overlap_with_equal_key_matches():
    gold = [{"span": [10, 14], "concept": "biomedicine"}]
    assert match("industries", [{"span": [8, 12], "concept": "biomedicine"}], gold)[0] == Score(1, 0, 0)
    assert match("industries", [{"span": [20, 24], "concept": "biomedicine"}], gold)[0] == Score(0, 1, 1)


def test_bad_gold_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "x.agencies.json"
    bad.write_text(json.dumps({"document": "x.txt", "entities": {"agencies": [{"name": "a"}]}}), encoding="utf-8")
    with pytest.raises(PolicyKGError, match="x.agencies.json"):
        load_gold([bad])
