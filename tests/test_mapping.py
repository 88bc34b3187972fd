"""record_to_quads: the document graph of an extraction record."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pyshacl
import pytest
from pyoxigraph import Literal, NamedNode, RdfFormat, serialize
from rdflib import Dataset, Graph
from rdflib import URIRef
from rdflib.compare import isomorphic

from kg.mapping import EMPTY_REGISTRY, Registry, map_record, record_to_quads
from kg.namespaces import ELI, OA, ORG, PKG, RDF, SKOS
from kg.resources import data_path

FIXTURES = Path(__file__).parent / "fixtures" / "graph"
DOC = "https://w3id.org/policykg/eli/cn/350200/2024/xfbg-12"


@pytest.fixture(scope="module")
def record() -> dict:
    return json.loads((FIXTURES / "record-sample.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def quads(record):
    return record_to_quads(record, registry=EMPTY_REGISTRY)


def to_rdflib(quads) -> Graph:
    graph = Graph()
    graph.parse(data=serialize(quads, format=RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
    dataset = Dataset()
    dataset.parse(data=serialize(quads, format=RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
    return dataset.graph(URIRef(DOC))


def test_golden_graph_isomorphic(quads):
    golden = Dataset()
    golden.parse(FIXTURES / "golden-sample.trig", format="trig")
    assert isomorphic(to_rdflib(quads), golden.graph(URIRef(DOC)))


def test_everything_in_the_document_graph(quads):
    assert {q.graph_name.value for q in quads} == {DOC}
    assert len(quads) == len(set(quads))


def test_deterministic(record):
    assert record_to_quads(record, registry=EMPTY_REGISTRY) == record_to_quads(copy.deepcopy(record), registry=EMPTY_REGISTRY)


def test_quote_selectors_slice_the_original_text(record, quads):
    text = record["document"]["text"]
    starts = {q.subject.value.rsplit("/", 1)[0]: int(q.object.value) for q in quads if q.predicate == OA.start}
    ends = {q.subject.value.rsplit("/", 1)[0]: int(q.object.value) for q in quads if q.predicate == OA.end}
    quotes = {q.subject.value.rsplit("/", 1)[0]: q.object.value for q in quads if q.predicate == OA.exact}
    assert quotes and set(quotes) <= set(starts)
    for source, exact in quotes.items():
        assert text[starts[source]:ends[source]] == exact


def test_measures_and_roles(quads):
    measure = NamedNode(DOC + "/measure/4-13")
    objects = lambda s, p: {q.object for q in quads if q.subject == s and q.predicate == p}  # noqa: E731
    assert PKG.Measure in objects(measure, RDF.type)
    assert NamedNode("https://w3id.org/policykg/agency/350200/gongyehexinxihuaju") in objects(measure, PKG.responsibleAgency)
    assert NamedNode("https://w3id.org/policykg/group/350200/gequrenminzhengfu") in objects(measure, PKG.responsibleAgency)
    amount = NamedNode(DOC + "/amount/" + "-".join(map(str, _span_of(quads, "最高20万元"))))
    assert objects(amount, PKG.qualifier) == {PKG.Maximum}
    assert objects(amount, PKG.measure) == {measure}


def _span_of(quads, exact):
    source = next(q.subject.value.rsplit("/", 1)[0] for q in quads if q.predicate == OA.exact and q.object.value == exact)
    return source.rsplit("/", 2)[-2].split("-")[:2]


def test_unknown_agency_is_inferred_with_reason(quads):
    agency = NamedNode("https://w3id.org/policykg/agency/350200/caizhengju")
    facts = {q.predicate: q.object for q in quads if q.subject == agency}
    assert facts[RDF.type] == ORG.Organization
    assert facts[PKG.inferred] == Literal("true", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    assert PKG.inferenceReason in facts


def test_registry_agency_is_not_redescribed(record):
    known = "https://w3id.org/policykg/agency/350200/caizhengju"
    quads = record_to_quads(record, registry=Registry(known_agencies=frozenset({known})))
    assert not [q for q in quads if q.subject.value == known]
    assert [q for q in quads if q.object == NamedNode(known) and q.predicate == PKG.agency]


def test_citation_of_the_policy_itself(quads):
    cited = [q.object for q in quads if q.predicate == PKG.citedDocument]
    assert cited == [NamedNode(DOC)]
    assert not [q for q in quads if q.predicate == ELI.cites]


def test_other_citation_becomes_stub(record):
    changed = copy.deepcopy(record)
    changed["entities"]["citations"][0].update(title="关于支持中小微企业健康发展的若干措施", doc_number="闽政〔2024〕1号")
    quads = record_to_quads(changed, registry=EMPTY_REGISTRY)
    stub = NamedNode("https://w3id.org/policykg/cited/2024-mz-1")
    assert {q.object for q in quads if q.subject == NamedNode(DOC) and q.predicate == ELI.cites} == {stub}
    assert PKG.CitedDocument in {q.object for q in quads if q.subject == stub and q.predicate == RDF.type}


def test_bad_span_is_skipped_with_warning(record):
    broken = copy.deepcopy(record)
    broken["entities"]["amounts"][0]["span"] = [10, 10 ** 9]
    mapped = map_record(broken, registry=EMPTY_REGISTRY)
    assert mapped.facts == map_record(record, registry=EMPTY_REGISTRY).facts - 1
    assert any(q.predicate == PKG.warning and "invalid span" in q.object.value for q in mapped.quads)


def test_graph_conforms_to_shapes(quads):
    shapes = Graph().parse(data_path("ontology", "shapes.ttl"))
    conforms, _, text = pyshacl.validate(to_rdflib(quads), shacl_graph=shapes, inference="none")
    assert conforms, text


def test_every_own_term_is_defined_in_the_ontology(quads):
    ontology = Graph().parse(data_path("ontology", "policykg.ttl"))
    used = {term.value for q in quads for term in (q.predicate, q.object)
            if isinstance(term, NamedNode) and term.value.startswith(str(PKG))}
    rdfs_label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    definition = URIRef(SKOS.definition.value)
    for iri in sorted(used):
        langs = {o.language for o in ontology.objects(URIRef(iri), rdfs_label)}
        assert {"zh", "en"} <= langs, f"{iri} lacks a zh/en label"
        assert {o.language for o in ontology.objects(URIRef(iri), definition)} >= {"zh", "en"}, iri
