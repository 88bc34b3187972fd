"""Evaluation of the extractors against hand-checked gold annotations.

Gold files are ``tests/gold/<doc-stem>.<group>.json``, each
``{"document": "<file name>", "entities": {type: [records]}}``; the files of one
document are merged. Only the entity types a document's gold lists are scored for it
(an empty list is scored: every prediction is then a false positive).

A predicted entity matches a gold one of the same type when their original-text spans
overlap (equal spans included) and the type's key attributes are equal:

==========  ==========================================
type        key attributes
==========  ==========================================
agencies    ``name``, ``role``
industries  ``concept``
citations   ``title``, ``doc_number``
people      ``name``
amounts     ``value``
rates       ``value``, ``kind``
dates       ``start``, ``end``
durations   ``value``
targets     ``value``, ``year``
==========  ==========================================

Each gold entity matches at most one prediction (first overlapping in text order).
Precision, recall and F1 are micro-averaged over documents.

>>> score = Score(tp=9, fp=1, fn=0)
>>> round(score.precision, 2), round(score.recall, 2), round(score.f1, 3)
(0.9, 1.0, 0.947)
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from kg.errors import PolicyKGError

KEY_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "agencies": ("name", "role"),
    "industries": ("concept",),
    "citations": ("title", "doc_number"),
    "people": ("name",),
    "amounts": ("value",),
    "rates": ("value", "kind"),
    "dates": ("start", "end"),
    "durations": ("value",),
    "targets": ("value", "year"),
}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Score") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class Report:
    by_type: dict[str, Score] = field(default_factory=dict)
    by_document: dict[str, dict[str, Score]] = field(default_factory=dict)
    #: Per document and type: (false positives, false negatives) as records, for debugging.
    errors: dict[str, dict[str, tuple[list[dict], list[dict]]]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "by_type": {t: s.as_dict() for t, s in sorted(self.by_type.items())},
            "by_document": {d: {t: s.as_dict() for t, s in sorted(types.items())}
                            for d, types in sorted(self.by_document.items())},
        }


def load_gold(paths: Iterable[Path]) -> dict[str, dict[str, list[dict]]]:
    """Gold files merged per document: ``{file name: {type: [records]}}``."""
    merged: dict[str, dict[str, list[dict]]] = defaultdict(dict)
    for path in paths:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            raise PolicyKGError(f"cannot read gold file: {error}", path) from None
        except json.JSONDecodeError as error:
            raise PolicyKGError(f"not valid JSON: {error}", path) from None
        if not isinstance(data, dict) or not isinstance(data.get("document"), str) or not isinstance(data.get("entities"), dict):
            raise PolicyKGError('expected {"document": "<file name>", "entities": {type: [records]}}', path)
        for entity_type, records in data["entities"].items():
            if entity_type not in KEY_ATTRIBUTES:
                raise PolicyKGError(f"unknown entity type {entity_type!r}", path)
            if not isinstance(records, list) or not all(isinstance(r, dict) and "span" in r for r in records):
                raise PolicyKGError(f"{entity_type}: expected a list of records with a span", path)
            merged[data["document"]].setdefault(entity_type, []).extend(records)
    return dict(merged)


def _key(record: dict, entity_type: str) -> tuple:
    return tuple(_comparable(record.get(attribute)) for attribute in KEY_ATTRIBUTES[entity_type])


def _comparable(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, list):
        return tuple(value)
    return value


def _overlap(a: list[int], b: list[int]) -> bool:
    return a[0] < b[1] and b[0] < a[1] or (a[0] == a[1] == b[0] == b[1])


def match(entity_type: str, predicted: list[dict], gold: list[dict]) -> tuple[Score, list[dict], list[dict]]:
    """Score one type of one document; also the unmatched predictions and gold records.

    >>> gold = [{"span": [0, 3], "name": "厦门市财政局", "role": "lead"}]
    >>> match("agencies", [{"span": [0, 3], "name": "厦门市财政局", "role": "lead"}], gold)[0]
    Score(tp=1, fp=0, fn=0)
    >>> match("agencies", [{"span": [0, 3], "name": "厦门市财政局", "role": "support"}], gold)[0]
    Score(tp=0, fp=1, fn=1)
    """
    unmatched_gold = sorted(gold, key=lambda r: tuple(r["span"]))
    false_positives = []
    tp = 0
    for record in sorted(predicted, key=lambda r: tuple(r["span"])):
        key = _key(record, entity_type)
        for index, candidate in enumerate(unmatched_gold):
            if _overlap(record["span"], candidate["span"]) and _key(candidate, entity_type) == key:
                del unmatched_gold[index]
                tp += 1
                break
        else:
            false_positives.append(record)
    return Score(tp, len(false_positives), len(unmatched_gold)), false_positives, unmatched_gold


def evaluate(gold_paths: Iterable[Path], corpus_dir: Path | None = None,
             extract: Callable[[Path], dict] | None = None) -> Report:
    """Run the extractors on the documents the gold names and score them."""
    from kg.resources import default_corpus

    gold = load_gold(gold_paths)
    corpus_dir = corpus_dir or default_corpus()
    extract = extract or _extract_path
    report = Report()
    for document, types in sorted(gold.items()):
        path = corpus_dir / document
        if not path.is_file():
            raise PolicyKGError(f"the document the gold names is not in {corpus_dir}", path)
        record = extract(path)
        report.by_document[document] = {}
        report.errors[document] = {}
        for entity_type, gold_records in types.items():
            predicted = record["entities"].get(entity_type, [])
            score, fps, fns = match(entity_type, predicted, gold_records)
            report.by_document[document][entity_type] = score
            report.errors[document][entity_type] = (fps, fns)
            report.by_type.setdefault(entity_type, Score()).add(score)
    return report


def _extract_path(path: Path) -> dict:
    from extract.pipeline import extract_path

    return extract_path(path)


def format_report(report: Report, show_errors: bool = False) -> str:
    """The report as a plain-text table."""
    lines = [f"{'type':<12}{'tp':>6}{'fp':>6}{'fn':>6}{'P':>8}{'R':>8}{'F1':>8}"]

    def row(name: str, score: Score) -> str:
        return (f"{name:<12}{score.tp:>6}{score.fp:>6}{score.fn:>6}"
                f"{score.precision:>8.3f}{score.recall:>8.3f}{score.f1:>8.3f}")

    for entity_type, score in sorted(report.by_type.items()):
        lines.append(row(entity_type, score))
    for document, types in sorted(report.by_document.items()):
        lines.append("")
        lines.append(document)
        for entity_type, score in sorted(types.items()):
            lines.append(row("  " + entity_type, score))
            if show_errors:
                fps, fns = report.errors[document][entity_type]
                for record in fps:
                    lines.append(f"      FP {record['span']} {record.get('text')!r} {_key(record, entity_type)}")
                for record in fns:
                    lines.append(f"      FN {record['span']} {record.get('text')!r} {_key(record, entity_type)}")
    return "\n".join(lines)


def evaluate_command(gold_paths: Iterable[Path], corpus_dir: Path | None, fmt: str, show_errors: bool) -> str:
    """``policykg eval``: the report as text or JSON. Folders are searched for ``*.json`` gold files."""
    files: list[Path] = []
    for path in gold_paths:
        path = Path(path)
        if path.is_dir():
            files.extend(sorted(path.glob("*.json")))
        elif path.is_file():
            files.append(path)
        else:
            raise PolicyKGError("no such gold file or folder", path)
    if not files:
        raise PolicyKGError("no gold files given")
    report = evaluate(files, corpus_dir)
    if fmt == "json":
        return json.dumps(report.as_dict(), ensure_ascii=False, indent=1)
    return format_report(report, show_errors)
