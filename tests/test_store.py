"""kg.store: atomic per-document writes, the hash index, the reference graph."""

from __future__ import annotations

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from kg import store as kgstore
from kg.errors import PolicyKGError
from kg.namespaces import PKG, REFERENCE_GRAPH, RDF

DOC = "https://w3id.org/policykg/eli/cn/350200/2024/xfbg-"


def doc_quads(n: int, key: str, content_hash: str, extra: int = 0) -> list[Quad]:
    g = NamedNode(f"{DOC}{n}")
    quads = [Quad(g, RDF.type, PKG.PolicyDocument, g), Quad(g, PKG.sourceKey, Literal(key), g),
             Quad(g, PKG.contentHash, Literal(content_hash), g)]
    quads += [Quad(NamedNode(f"{g.value}/measure/{i}"), PKG.document, g, g) for i in range(extra)]
    return quads


def test_replace_keeps_other_graphs_and_drops_old_ones():
    store = kgstore.open_store(None)
    kgstore.replace_document_graphs(store, NamedNode(DOC + "1"), doc_quads(1, "a.txt", "h1", 3))
    kgstore.replace_document_graphs(store, NamedNode(DOC + "2"), doc_quads(2, "b.txt", "h2"))
    # a.txt's number changed: its new graph replaces the old one in the same transaction
    kgstore.replace_document_graphs(store, NamedNode(DOC + "3"), doc_quads(3, "a.txt", "h3"), [NamedNode(DOC + "1")])
    stored = kgstore.stored_documents(store)
    assert {k: (d.graph.value, d.content_hash) for k, d in stored.items()} == {
        "a.txt": (DOC + "3", "h3"), "b.txt": (DOC + "2", "h2")}
    assert not store.contains_named_graph(NamedNode(DOC + "1"))


def test_failed_replace_leaves_the_old_graph(monkeypatch):
    store = kgstore.open_store(None)
    graph = NamedNode(DOC + "1")
    kgstore.replace_document_graphs(store, graph, doc_quads(1, "a.txt", "h1", 5))
    before = sorted(map(str, store))
    original = kgstore._update_text
    # the update breaks after the DROP and half of the INSERT: Oxigraph must roll it all back
    monkeypatch.setattr(kgstore, "_update_text", lambda *a: original(*a)[:-40])
    with pytest.raises(SyntaxError):
        kgstore.replace_document_graphs(store, graph, doc_quads(1, "a.txt", "h2", 9))
    assert sorted(map(str, store)) == before


def test_replace_rejects_quads_of_another_graph():
    store = kgstore.open_store(None)
    with pytest.raises(ValueError):
        kgstore.replace_document_graphs(store, NamedNode(DOC + "9"), doc_quads(1, "a.txt", "h"))


def test_ntriples_replace_and_drop():
    from pyoxigraph import RdfFormat, Triple, serialize

    store = kgstore.open_store(None)
    graph = NamedNode(DOC + "4")
    data = serialize([Triple(q.subject, q.predicate, q.object) for q in doc_quads(4, "d.txt", "h4", 2)],
                     format=RdfFormat.N_TRIPLES)
    kgstore.replace_graph_ntriples(store, graph, data)
    assert kgstore.count_quads(store, graph) == 5
    kgstore.drop_graphs(store, [graph])
    assert kgstore.stored_documents(store) == {}


def test_reference_graph_is_deterministic_and_loaded_once():
    first, second = kgstore.open_store(None), kgstore.open_store(None)
    assert kgstore.load_reference(first) is True
    assert kgstore.load_reference(first) is False  # unchanged files: nothing to do
    kgstore.load_reference(second)
    assert kgstore.canonical_nquads(first) == kgstore.canonical_nquads(second)
    assert b"_:" not in kgstore.canonical_nquads(first)  # blank nodes were skolemised
    assert kgstore.count_quads(first, REFERENCE_GRAPH) > 100


def test_changed_reference_file_reloads(tmp_path, monkeypatch):
    store = kgstore.open_store(None)
    kgstore.load_reference(store)
    files = kgstore.reference_sources()
    extra = tmp_path / "extra.ttl"
    extra.write_text('<https://w3id.org/policykg/x> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n', encoding="utf-8")
    monkeypatch.setattr(kgstore, "reference_sources", lambda: [*files, extra])
    assert kgstore.load_reference(store) is True
    assert store.contains_named_graph(REFERENCE_GRAPH)
    assert list(store.quads_for_pattern(NamedNode("https://w3id.org/policykg/x"), None, None, REFERENCE_GRAPH))


def test_second_writer_is_refused_but_readers_work(tmp_path):
    path = tmp_path / "store"
    writer = kgstore.open_store(path)
    kgstore.replace_document_graphs(writer, NamedNode(DOC + "1"), doc_quads(1, "a.txt", "h1"))
    writer.flush()
    with pytest.raises(PolicyKGError, match="another process"):
        kgstore.open_store(path)
    reader = kgstore.open_read_only(path)  # while the writer still holds the store
    assert list(kgstore.stored_documents(reader)) == ["a.txt"]


def test_read_only_needs_a_store(tmp_path):
    with pytest.raises(PolicyKGError, match="run `policykg build` first"):
        kgstore.open_read_only(tmp_path / "nothing")


def test_canonical_nquads_is_sorted():
    store = kgstore.open_store(None)
    kgstore.replace_document_graphs(store, NamedNode(DOC + "2"), doc_quads(2, "b.txt", "h2", 3))
    lines = kgstore.canonical_nquads(store).splitlines()
    assert lines == sorted(lines) and len(lines) == 6


WRITER = """
import sys, time
from pyoxigraph import Literal, NamedNode, Quad
from kg import store as kgstore
store = kgstore.open_store(sys.argv[1])
g = NamedNode("https://w3id.org/policykg/eli/cn/350200/2024/xfbg-1")
kgstore.replace_document_graphs(store, g, [Quad(g, kgstore.PKG.sourceKey, Literal("a.txt"), g),
                                           Quad(g, kgstore.PKG.contentHash, Literal("h0"), g)])
store.flush()
print("ready", flush=True)
deadline = time.time() + 4
n = 0
while time.time() < deadline:  # a build replacing graphs, one transaction each
    n += 1
    g = NamedNode(f"https://w3id.org/policykg/eli/cn/350200/2024/xfbg-{n % 7 + 2}")
    quads = [Quad(NamedNode(f"{g.value}/measure/{i}"), kgstore.PKG.text, Literal("x" * 200), g) for i in range(500)]
    kgstore.replace_document_graphs(store, g, quads + [Quad(g, kgstore.PKG.sourceKey, Literal(f"{n % 7}.txt"), g),
                                                       Quad(g, kgstore.PKG.contentHash, Literal(str(n)), g)])
    if n % 20 == 0:
        store.flush()
"""


def test_store_can_be_read_while_a_build_writes_it(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "store"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "ready"
        for _ in range(5):
            reader = kgstore.open_read_only(path)
            documents = kgstore.stored_documents(reader)
            assert "a.txt" in documents
            # each graph is whole: 500 measures plus its key and hash, or not there at all
            for document in documents.values():
                if document.key != "a.txt":
                    assert kgstore.count_quads(reader, document.graph) == 502
            del reader
    finally:
        writer.wait(timeout=60)
    assert writer.returncode == 0
