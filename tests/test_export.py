"""kg.export: every format parses back; JSON-LD expands with pyld; VoID/DCAT counts."""

from __future__ import annotations

import json

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF

from kg import store as kgstore
from kg.errors import PolicyKGError
from kg.export import export_bytes, export_store, shipped_context, void_bytes

VOID = "http://rdfs.org/ns/void#"


@pytest.fixture(scope="module")
def store(built_store):
    return kgstore.open_read_only(built_store)


@pytest.fixture(scope="module")
def small_graph(store) -> str:
    """The document graph with the fewest triples (keeps JSON-LD round trips fast)."""
    return min(kgstore.stored_documents(store).values(), key=lambda d: d.triples).graph.value


@pytest.mark.parametrize("fmt, rdflib_format", [("nq", "nquads"), ("trig", "trig")])
def test_dataset_formats_round_trip(store, fmt, rdflib_format):
    dataset = Dataset()
    dataset.parse(data=export_bytes(store, fmt).decode("utf-8"), format=rdflib_format)
    assert sum(1 for _ in dataset.quads((None, None, None, None))) == len(store)
    names = {str(g.identifier) for g in dataset.graphs()}
    assert {d.graph.value for d in kgstore.stored_documents(store).values()} <= names
    assert kgstore.REFERENCE_GRAPH.value in names


@pytest.mark.parametrize("fmt, rdflib_format", [("ttl", "turtle"), ("nt", "nt")])
def test_graph_formats_round_trip(store, small_graph, fmt, rdflib_format):
    graph = Graph().parse(data=export_bytes(store, fmt, small_graph).decode("utf-8"), format=rdflib_format)
    assert len(graph) == kgstore.count_quads(store, kgstore.NamedNode(small_graph))
    assert (URIRef(small_graph), RDF.type, URIRef("https://w3id.org/policykg/ontology#PolicyDocument")) in graph


def test_whole_store_as_turtle_merges_graphs(store):
    graph = Graph().parse(data=export_bytes(store, "ttl").decode("utf-8"), format="turtle")
    assert 0 < len(graph) <= len(store)


def test_jsonld_compacts_with_shipped_context_and_expands(store, small_graph):
    from pyld import jsonld

    data = json.loads(export_bytes(store, "jsonld", small_graph))
    assert data["@context"] == shipped_context()["@context"]
    expanded = jsonld.expand(data)
    triples = jsonld.to_rdf(expanded, {"format": "application/n-quads"})
    assert triples.count("\n") == kgstore.count_quads(store, kgstore.NamedNode(small_graph))
    dataset = Dataset()
    dataset.parse(data=json.dumps(data), format="json-ld")
    assert sum(1 for _ in dataset.quads((None, None, None, None))) == kgstore.count_quads(store, kgstore.NamedNode(small_graph))


def test_void_description(store):
    graph = Graph().parse(data=void_bytes(store, "ttl").decode("utf-8"), format="turtle")
    dataset = URIRef("https://w3id.org/policykg/dataset")
    assert int(graph.value(dataset, URIRef(VOID + "triples"))) == len(store)
    assert graph.value(dataset, URIRef("http://purl.org/dc/terms/license")) is not None
    assert len(list(graph.objects(dataset, URIRef("http://purl.org/dc/terms/source")))) == len(kgstore.stored_documents(store))
    partitions = {str(graph.value(p, URIRef(VOID + "class"))): int(graph.value(p, URIRef(VOID + "entities")))
                  for p in graph.objects(dataset, URIRef(VOID + "classPartition"))}
    assert partitions["https://w3id.org/policykg/ontology#PolicyDocument"] == 5


def test_export_to_file_and_unknown_graph(built_store, tmp_path):
    out = tmp_path / "dump.nq"
    assert export_store(built_store, "nq", out=out) is None
    assert out.stat().st_size > 0
    with pytest.raises(PolicyKGError, match="no graph"):
        export_store(built_store, "nq", graph="https://example.org/missing")
