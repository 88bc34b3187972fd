"""kg.validate: readable SHACL results; the fast engine gives pyshacl's results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from kg.mapping import EMPTY_REGISTRY, map_record
from kg.namespaces import ELI, OA, PKG, RDF, SCHEMA, SKOS, XSD
from kg.store import reference_quads, reference_sources
from kg.validate import fast_validate_quads, validate_quads

FIXTURES = Path(__file__).parent / "fixtures" / "graph"


@pytest.fixture(scope="module")
def mapped():
    record = json.loads((FIXTURES / "record-sample.json").read_text(encoding="utf-8"))
    return map_record(record, registry=EMPTY_REGISTRY)


def replace(quads, predicate, new_object=None, count=1):
    """Replace (or, with no new object, drop) the first ``count`` quads with this predicate."""
    out, done = [], 0
    for quad in quads:
        if quad.predicate == predicate and done < count:
            done += 1
            if new_object is not None:
                out.append(Quad(quad.subject, quad.predicate, new_object, quad.graph_name))
            continue
        out.append(quad)
    return out


def add(quads, subject, predicate, obj):
    return [*quads, Quad(subject, predicate, obj, quads[0].graph_name)]


def breakages(mapped):
    q, doc = mapped.quads, mapped.graph
    agency = next(x.object for x in q if x.predicate == PKG.agency)
    inferred = next(x.subject for x in q if x.predicate == PKG.inferred)
    position = next(x.subject for x in q if x.predicate == OA.start)
    return {
        "missing hash": replace(q, PKG.contentHash),
        "two titles": add(q, doc, ELI["title"], Literal("另一个标题", language="zh")),
        "untyped count": replace(q, PKG.measureCount, Literal("x")),
        "unknown role": replace(q, PKG.role, PKG.Boss),
        "foreign currency": replace(q, SCHEMA.currency, Literal("USD")),
        "bad hash": replace(q, PKG.contentHash, Literal("xyz")),
        "negative amount": replace(q, SCHEMA.value, Literal("-5", datatype=XSD.decimal)),
        "span ends before it starts": add(replace(q, OA.end, Literal("0", datatype=XSD.integer), 1000), position, OA.end,
                                          Literal("0", datatype=XSD.integer)),
        "literal agency": replace(q, PKG.agency, Literal(agency.value)),
        "inferred without reason": [x for x in q if not (x.subject == inferred and x.predicate == PKG.inferenceReason)],
        "two zh names": add(q, inferred, SKOS.prefLabel, Literal("别名", language="zh")),
        "fact without document type": [x for x in q if not (x.subject == doc and x.object == PKG.PolicyDocument)],
        "empty cited stub": add(q, NamedNode("https://w3id.org/policykg/cited/t-00000000"), RDF.type, PKG.CitedDocument),
    }


def test_sample_graph_conforms_with_both_engines(mapped):
    assert fast_validate_quads(mapped.quads) == []
    assert validate_quads(mapped.quads, "pyshacl") == []


def test_fast_engine_finds_what_pyshacl_finds(mapped):
    for name, quads in breakages(mapped).items():
        fast = {(v.focus, v.path, v.severity) for v in fast_validate_quads(quads)}
        reference = {(v.focus, v.path, v.severity) for v in validate_quads(quads, "pyshacl")}
        assert fast, name
        assert fast == reference, name


def test_results_name_focus_path_and_message(mapped):
    quads = breakages(mapped)["bad hash"]
    for engine in ("fast", "pyshacl"):
        [violation] = validate_quads(quads, engine)
        assert violation.focus == mapped.graph.value
        assert violation.path == PKG.contentHash.value
        assert "SHA-256" in violation.message
        assert violation.describe().startswith(f"Violation at <{mapped.graph.value}> pkg:contentHash: ")


def test_reference_graph_conforms():
    quads = reference_quads(reference_sources())
    assert fast_validate_quads(quads) == []
