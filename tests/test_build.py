"""kg.build: the whole sample corpus builds and validates; rebuilds are incremental,
deterministic and atomic per document."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pyoxigraph import NamedNode

import kg.mapping
import kg.resources
from kg import store as kgstore
from kg.build import build_corpus
from kg.namespaces import PKG
from kg.validate import validate_store

SMALL = ("001_2ec3c0742d66132a.txt", "003_960800038af9e20d.txt")


@pytest.fixture
def small_corpus(tmp_path, corpus_dir) -> Path:
    """Two sample documents copied into a folder the test may edit."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in SMALL:
        shutil.copy(corpus_dir / name, folder / name)
    return folder


def graphs(store) -> dict[str, bytes]:
    """Each document graph's quads as sorted N-Quads, by source key."""
    out = {}
    for key, document in kgstore.stored_documents(store).items():
        lines = sorted(str(q).encode() for q in store.quads_for_pattern(None, None, None, document.graph))
        out[key] = b"\n".join(lines)
    return out


def assert_whole_graphs(store) -> None:
    """Every document graph holds exactly the number of triples it says it has."""
    for document in kgstore.stored_documents(store).values():
        assert kgstore.count_quads(store, document.graph) == document.triples, document.key


def test_sample_corpus_builds_and_validates(built_store):
    store = kgstore.open_read_only(built_store)
    documents = kgstore.stored_documents(store)
    assert sorted(documents) == sorted(p.name for p in kg.resources.default_corpus().glob("*.txt"))
    assert sum(d.measures for d in documents.values()) > 100
    assert all(d.facts > 0 for d in documents.values())
    assert_whole_graphs(store)
    assert store.contains_named_graph(kgstore.REFERENCE_GRAPH)
    report = validate_store(store)
    assert report.conforms, report.describe()
    assert report.graphs == len(documents) + 2  # + the reference graph and the links graph


def test_unchanged_rebuild_skips_everything(built_store, tmp_path, corpus_dir):
    copy = tmp_path / "store"
    shutil.copytree(built_store, copy)
    before = kgstore.canonical_hash(kgstore.open_read_only(copy))
    summary = build_corpus([corpus_dir], copy, workers=1)
    assert (summary.built, summary.skipped, summary.failed) == (0, 5, [])
    assert kgstore.canonical_hash(kgstore.open_read_only(copy)) == before


def test_two_builds_give_the_same_canonical_nquads(tmp_path, corpus_dir):
    # a second full build (bulk path) and a build one file at a time (transactional path)
    bulk, one_by_one = tmp_path / "bulk", tmp_path / "one-by-one"
    build_corpus([corpus_dir], bulk, workers=1, validate=False)
    for path in sorted(corpus_dir.glob("*.txt"), reverse=True):
        assert build_corpus([path], one_by_one, workers=1, validate=False).built == 1
    expected = kgstore.canonical_hash(kgstore.open_read_only(bulk))
    assert kgstore.canonical_hash(kgstore.open_read_only(one_by_one)) == expected
    # (the session's built_store was built the same way; it is not compared here because a
    # shared work tree may change reference data between the two)


def test_editing_one_document_changes_only_its_graph(small_corpus, tmp_path):
    store_dir = tmp_path / "store"
    build_corpus([small_corpus], store_dir, workers=1, validate=False)
    before = graphs(kgstore.open_read_only(store_dir))
    edited = small_corpus / SMALL[1]
    edited.write_text(edited.read_text(encoding="utf-8").replace("大力支持", "全力支持"), encoding="utf-8")
    summary = build_corpus([small_corpus], store_dir, workers=1, validate=False)
    assert (summary.built, summary.skipped) == (1, 1)
    after = graphs(kgstore.open_read_only(store_dir))
    assert after[SMALL[0]] == before[SMALL[0]]
    assert after[SMALL[1]] != before[SMALL[1]]
    assert "全力支持".encode() in after[SMALL[1]] or "\\u5168\\u529B".encode() in after[SMALL[1]]
    assert_whole_graphs(kgstore.open_read_only(store_dir))


def test_deleted_document_is_pruned_only_when_asked(small_corpus, tmp_path):
    store_dir = tmp_path / "store"
    build_corpus([small_corpus], store_dir, workers=1, validate=False)
    (small_corpus / SMALL[0]).unlink()
    kept = build_corpus([small_corpus], store_dir, workers=1, validate=False)
    assert kept.pruned == 0 and SMALL[0] in kgstore.stored_documents(kgstore.open_read_only(store_dir))
    pruned = build_corpus([small_corpus], store_dir, workers=1, prune=True, validate=False)
    assert pruned.pruned == 1
    assert list(kgstore.stored_documents(kgstore.open_read_only(store_dir))) == [SMALL[1]]


def _drop_content_hash_of_first_document(monkeypatch) -> list[str]:
    """Make the first small document violate the shapes (no pkg:contentHash); returns the
    keys of the documents mapped from then on."""
    real = kg.mapping.map_record
    calls: list[str] = []

    def without_hash(record, registry=None):
        calls.append(record["document"]["source"]["key"])
        mapped = real(record, registry)
        if record["document"]["source"]["key"] == SMALL[0]:
            mapped.quads = [q for q in mapped.quads if q.predicate != PKG.contentHash]
        return mapped

    monkeypatch.setattr(kg.mapping, "map_record", without_hash)
    return calls


def test_shacl_violation_is_reported_and_not_loaded(small_corpus, tmp_path, monkeypatch):
    store_dir = tmp_path / "store"
    _drop_content_hash_of_first_document(monkeypatch)
    summary = build_corpus([small_corpus], store_dir, workers=1)
    assert not summary.ok
    assert [Path(f.path).name for f in summary.failed] == [SMALL[0]]
    violation = next(v for v in summary.violations if v.path == PKG.contentHash.value)
    assert violation.focus.startswith("https://w3id.org/policykg/eli/cn/350200/2022/")
    assert "content hash" in violation.message and violation.severity == "Violation"
    assert "Violation at <https://w3id.org/policykg/eli/" in violation.describe()
    assert list(kgstore.stored_documents(kgstore.open_read_only(store_dir))) == [SMALL[1]]


def test_failure_mid_document_leaves_previous_data(small_corpus, tmp_path, monkeypatch):
    store_dir = tmp_path / "store"
    build_corpus([small_corpus], store_dir, workers=1, validate=False)
    before = graphs(kgstore.open_read_only(store_dir))
    for name in SMALL:
        path = small_corpus / name
        path.write_text(path.read_text(encoding="utf-8") + "\n附件：说明\n", encoding="utf-8")
    real = kg.mapping.map_record

    def crash_on_first(record, registry=None):
        if record["document"]["source"]["key"] == SMALL[0]:
            raise MemoryError("simulated crash while mapping")
        return real(record, registry)

    monkeypatch.setattr(kg.mapping, "map_record", crash_on_first)
    summary = build_corpus([small_corpus], store_dir, workers=1, validate=False)
    assert [(Path(f.path).name, f.reason.split(" (at")[0]) for f in summary.failed] == [
        (SMALL[0], "MemoryError: simulated crash while mapping")]
    assert summary.built == 1
    after = graphs(kgstore.open_read_only(store_dir))
    assert after[SMALL[0]] == before[SMALL[0]]  # untouched
    assert after[SMALL[1]] != before[SMALL[1]]  # rebuilt
    # the failed document is retried by the next build
    monkeypatch.setattr(kg.mapping, "map_record", real)
    assert build_corpus([small_corpus], store_dir, workers=1, validate=False).built == 1


def test_crash_while_writing_never_leaves_half_a_graph(small_corpus, tmp_path, monkeypatch):
    store_dir = tmp_path / "store"
    build_corpus([small_corpus], store_dir, workers=1, validate=False)
    for name in SMALL:
        path = small_corpus / name
        path.write_text(path.read_text(encoding="utf-8").replace("。", "；", 1), encoding="utf-8")
    calls = []
    real = kgstore.replace_graph_ntriples

    def interrupted(store, graph, data, also_drop=()):
        calls.append(graph)
        if len(calls) == 2:  # the build is killed while writing the second document
            return real(store, graph, data[: len(data) // 2] + b"<broken", also_drop)
        return real(store, graph, data, also_drop)

    monkeypatch.setattr(kgstore, "replace_graph_ntriples", interrupted)
    with pytest.raises(SyntaxError):
        build_corpus([small_corpus], store_dir, workers=1, validate=False)
    store = kgstore.open_read_only(store_dir)
    assert len(kgstore.stored_documents(store)) == 2
    assert_whole_graphs(store)


def test_interrupted_bulk_load_is_redone(small_corpus, tmp_path):
    store_dir = tmp_path / "store"
    build_corpus([small_corpus], store_dir, workers=1, validate=False)
    (store_dir / kgstore.BULK_MARKER).write_text("x", encoding="utf-8")
    warnings = []
    summary = build_corpus([small_corpus], store_dir, workers=1, warn=warnings.append, validate=False)
    assert summary.built == 2 and summary.bulk_loaded
    assert any("did not finish" in w for w in warnings)
    assert not (store_dir / kgstore.BULK_MARKER).exists()


def test_same_document_twice_is_reported(small_corpus, tmp_path):
    shutil.copy(small_corpus / SMALL[0], small_corpus / "copy-of-001.txt")
    summary = build_corpus([small_corpus], tmp_path / "store", workers=1, validate=False)
    assert summary.built == 2
    assert [Path(f.path).name for f in summary.failed] == ["copy-of-001.txt"] or \
        [Path(f.path).name for f in summary.failed] == [SMALL[0]]
    assert "same document IRI" in summary.failed[0].reason


def test_parallel_build_matches_inline(small_corpus, tmp_path):
    inline, parallel = tmp_path / "inline", tmp_path / "parallel"
    build_corpus([small_corpus], inline, workers=1)
    summary = build_corpus([small_corpus], parallel, workers=2)
    assert summary.built == 2 and summary.ok
    assert kgstore.canonical_hash(kgstore.open_read_only(inline)) == kgstore.canonical_hash(kgstore.open_read_only(parallel))


def test_every_own_term_in_the_store_is_in_the_ontology(built_store):
    """Whatever the build writes (documents, links, reference data) uses only defined pkg: terms,
    each with Chinese and English labels and definitions."""
    from rdflib import Graph, URIRef

    from kg.resources import data_path

    ontology = Graph().parse(data_path("ontology", "policykg.ttl"))
    store = kgstore.open_read_only(built_store)
    used = {row["t"].value for row in store.query(
        "SELECT DISTINCT ?t WHERE { GRAPH ?g { { ?s ?t ?o } UNION { ?s a ?t } UNION { ?s ?p ?t } } "
        "FILTER(isIRI(?t) && STRSTARTS(STR(?t), 'https://w3id.org/policykg/ontology#')) }")}
    label, definition = URIRef("http://www.w3.org/2000/01/rdf-schema#label"), URIRef(
        "http://www.w3.org/2004/02/skos/core#definition")
    undefined = [t for t in sorted(used)
                 if not {o.language for o in ontology.objects(URIRef(t), label)} >= {"zh", "en"}
                 or not {o.language for o in ontology.objects(URIRef(t), definition)} >= {"zh", "en"}]
    assert undefined == []


def test_shard_builds_and_prunes_only_its_slice(small_corpus, tmp_path):
    from kg.shard import in_shard

    store_dir = tmp_path / "store"
    build_corpus([small_corpus], store_dir, workers=1, validate=False)
    index = 0 if in_shard(SMALL[0], 0, 2) else 1
    mine = [name for name in SMALL if in_shard(name, index, 2)]
    for name in SMALL:
        (small_corpus / name).unlink()
    # every sample file is gone; pruning one shard drops the graphs of that shard only
    (small_corpus / "placeholder.md").write_text("# 空\n", encoding="utf-8")
    summary = build_corpus([small_corpus], store_dir, workers=1, validate=False, prune=True, shard=(index, 2))
    left = set(kgstore.stored_documents(kgstore.open_read_only(store_dir)))
    assert left >= {name for name in SMALL if name not in mine}
    assert not left & set(mine)
    assert summary.pruned == len(mine)


def test_bulk_load_in_chunks_gives_the_same_graph(small_corpus, tmp_path, monkeypatch):
    import kg.build

    whole, chunked = tmp_path / "whole", tmp_path / "chunked"
    assert build_corpus([small_corpus], whole, workers=1, validate=False).bulk_loaded
    monkeypatch.setattr(kg.build, "BULK_CHUNK_BYTES", 1000)  # one chunk per document
    assert build_corpus([small_corpus], chunked, workers=1, validate=False).bulk_loaded
    assert kgstore.canonical_hash(kgstore.open_read_only(whole)) == kgstore.canonical_hash(kgstore.open_read_only(chunked))
    assert not list(tmp_path.glob(".policykg-bulk-*"))  # temporary files removed
    assert not (chunked / kgstore.BULK_MARKER).exists()


def test_rejected_document_is_reported_again_without_processing(small_corpus, tmp_path, monkeypatch):
    import kg.build  # noqa: PLC0415

    store_dir = tmp_path / "store"
    (small_corpus / "empty.txt").write_text("", encoding="utf-8")
    shutil.copy(small_corpus / SMALL[0], small_corpus / "zz-copy-of-001.txt")
    first = build_corpus([small_corpus], store_dir, workers=1, validate=False)
    failed = sorted((Path(f.path).name, f.reason) for f in first.failed)
    assert [name for name, _ in failed] == ["empty.txt", "zz-copy-of-001.txt"]

    processed = []
    real = kg.build.process_document
    monkeypatch.setattr(kg.build, "process_document", lambda task: processed.append(task[1]) or real(task))
    again = build_corpus([small_corpus], store_dir, workers=1, validate=False)
    assert processed == [] and again.built == 0 and again.skipped == 2
    assert sorted((Path(f.path).name, f.reason.removesuffix(" (unchanged; not processed again)"))
                  for f in again.failed) == failed

    # a changed file, or validation switched on, is processed again
    (small_corpus / "empty.txt").write_text("通知", encoding="utf-8")
    build_corpus([small_corpus], store_dir, workers=1, validate=True)
    assert sorted(processed) == ["empty.txt", "zz-copy-of-001.txt"]
    # the document it clashed with is gone: the copy takes its graph over
    processed.clear()
    (small_corpus / SMALL[0]).unlink()
    summary = build_corpus([small_corpus], store_dir, workers=1, prune=True)
    assert "zz-copy-of-001.txt" in processed
    assert "zz-copy-of-001.txt" in kgstore.stored_documents(kgstore.open_read_only(store_dir))
    assert summary.failed == [] and not kgstore.read_rejected(store_dir)


def test_shacl_rejection_is_remembered_with_its_violations(small_corpus, tmp_path, monkeypatch):
    store_dir = tmp_path / "store"
    calls = _drop_content_hash_of_first_document(monkeypatch)
    first = build_corpus([small_corpus], store_dir, workers=1)
    calls.clear()
    again = build_corpus([small_corpus], store_dir, workers=1)
    assert calls == []
    assert [Path(f.path).name for f in again.failed] == [SMALL[0]]
    assert again.violations == first.violations and not again.ok
