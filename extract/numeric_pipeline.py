"""The five numeric components on their own: a blank Chinese pipeline and plain records.

Useful for tests, debugging and benchmarks of the numeric half; the full extraction
pipeline (``extract.pipeline``) adds them next to the other components.

>>> records = numeric_records("到2025年年底新增企业400家，单家企业最高补助30万元。", document_year=2024)
>>> [(r["text"], r["value"]) for r in records["amounts"]]
[('30万元', 300000.0)]
>>> [(r["text"], r["role"]) for r in records["dates"]]
[('2025年年底', 'target')]
"""

from __future__ import annotations

from functools import cache
from typing import Any

from spacy.language import Language

import extract.amounts  # noqa: F401  (registers the factories)
import extract.dates  # noqa: F401
import extract.durations  # noqa: F401
import extract.rates  # noqa: F401
import extract.targets  # noqa: F401
from extract.numeric_context import CONTEXT_KEY

NUMERIC_COMPONENTS = ("policykg_amounts", "policykg_rates", "policykg_dates", "policykg_durations", "policykg_targets")
NUMERIC_KEYS = ("amounts", "rates", "dates", "durations", "targets")


@cache
def numeric_pipeline() -> Language:
    """``spacy.blank("zh")`` with the five numeric components (built once per process)."""
    import spacy

    nlp = spacy.blank("zh")
    for name in NUMERIC_COMPONENTS:
        nlp.add_pipe(name)
    return nlp


def numeric_records(text: str, document_year: int | None = None) -> dict[str, list[dict[str, Any]]]:
    """Run the numeric components over ``text``: per key, each span's attributes plus
    ``text`` (exactly ``text[char_start:char_end]``)."""
    nlp = numeric_pipeline()
    doc = nlp.make_doc(text)
    if document_year is not None:
        doc.user_data[CONTEXT_KEY] = {"document_year": document_year}
    doc = nlp(doc)
    records: dict[str, list[dict[str, Any]]] = {}
    for key in NUMERIC_KEYS:
        records[key] = []
        for span in doc.spans[key]:
            attributes = dict(span._.policykg)
            attributes["text"] = text[attributes["char_start"]:attributes["char_end"]]
            records[key].append(attributes)
    return records
