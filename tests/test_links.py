"""kg.links: citations resolved across the corpus, the task table linked to the provincial
policy it implements, lead officials linked to the industries of their blocks."""

from __future__ import annotations

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from kg.iris import cited_iri
from kg.links import (
    LINKS_GRAPH,
    CitedStub,
    DocumentKey,
    implemented_jurisdiction,
    implemented_title,
    link_store,
    resolve_citations,
    row_measure_text,
)
from kg.mapping import record_to_quads
from kg.namespaces import BASE_IRI, ELI, OWL, PKG, RDF

from .conftest import FIXTURES, SAMPLE_FILES

XFBG_12 = NamedNode(BASE_IRI + "eli/cn/350200/2024/xfbg-12")  # sample 000
XFB_98 = NamedNode(BASE_IRI + "eli/cn/350200/2022/xfb-98")  # sample 001
SME_POLICY = cited_iri(None, "关于支持中小微企业健康发展的若干措施")


@pytest.fixture(scope="module")
def citing_record():
    from extract.pipeline import extract_path  # noqa: PLC0415

    return extract_path(FIXTURES / "links" / "citing_notice.txt")


@pytest.fixture(scope="module")
def linked_store(sample_records, citing_record):
    store = Store()
    for record in [*sample_records.values(), citing_record]:
        store.extend(record_to_quads(record))
    report = link_store(store)
    return store, report


def _links(store: Store, s=None, p=None, o=None) -> list:
    return list(store.quads_for_pattern(s, p, o, LINKS_GRAPH))


def _document(record) -> NamedNode:
    from kg.iris import document_iri  # noqa: PLC0415

    return document_iri(record)


# ---------------------------------------------------------------- pure matching

@pytest.mark.parametrize("printed", [
    "厦府办规〔2024〕12号", "厦府办规[2024]12号", "厦府办规【2024】12号", "厦府办规（2024）12号",
    "厦府办规［２０２４］１２号", "厦府办规 〔2024〕 12号",
])
def test_numbers_match_whatever_brackets_and_width(printed):
    docs = [DocumentKey("urn:doc", ("厦府办规〔2024〕12号",), ())]
    [link] = resolve_citations(docs, [CitedStub("urn:stub", printed, None)])
    assert (link.target, link.matched_by) == ("urn:doc", "number")


def test_titles_match_without_brackets_quotes_and_spaces():
    docs = [DocumentKey("urn:doc", (), ("厦门市进一步巩固经济回升向好基础 加快发展动能转换的若干措施",))]
    [link] = resolve_citations(docs, [CitedStub("urn:stub", None, "《厦门市进一步巩固经济回升向好基础加快发展动能转换的若干措施》")])
    assert (link.target, link.matched_by) == ("urn:doc", "title")


def test_a_different_number_is_not_rescued_by_a_shared_title():
    docs = [DocumentKey("urn:a", ("厦府办〔2022〕98号",), ("工作机制",))]
    [link] = resolve_citations(docs, [CitedStub("urn:s", "厦府办〔2023〕1号", None)])
    assert link.target is None and link.matched_by is None


def test_implemented_policy_and_its_jurisdiction_come_from_the_text(sample_path):
    text = sample_path("task_table").read_text(encoding="utf-8")
    title = implemented_title(text.splitlines()[0])
    assert title == "关于支持中小微企业健康发展的若干措施"
    assert implemented_jurisdiction(text, title) == "350000"
    assert implemented_title("关于印发《厦门市统筹推进现代化产业体系工作机制》的通知") is None


def test_row_text_drops_the_number_and_the_responsibility_column():
    row = "12\n\t推动省大型科研设施仪器管理服务平台收录并开放1.1万台以上科研仪器。\n\t市科技局"
    assert row_measure_text(row, "12") == "推动省大型科研设施仪器管理服务平台收录并开放1.1万台以上科研仪器。"
    assert row_measure_text("只有一格", "3") == "只有一格"


# ---------------------------------------------------------------- over the sample corpus

def test_cross_document_citations_inside_the_corpus_resolve(linked_store, citing_record):
    store, report = linked_store
    citing = _document(citing_record)
    cites = {q.object for q in _links(store, citing, ELI.cites)}
    assert {XFBG_12, XFB_98} <= cites
    for number, target in (("厦府办规〔2024〕12号", XFBG_12), ("厦府办〔2022〕98号", XFB_98)):
        stub = cited_iri(number)
        assert _links(store, stub, PKG.resolvedTo, target)
        assert _links(store, stub, OWL.sameAs, target)
        assert _links(store, stub, PKG.matchedBy, Literal("number"))
    assert report.citations_resolved == 2


def test_the_citations_query_follows_resolved_citations(linked_store, citing_record):
    from kg.queries import run_query  # noqa: PLC0415

    store, _ = linked_store
    rows = run_query(store, "citations", {"document": _document(citing_record).value}).records()
    resolved = {r["citedNumber"]: (r["inCorpus"], r["resolvedTo"]) for r in rows}
    assert resolved["厦府办规〔2024〕12号"] == (True, XFBG_12.value)
    assert resolved["厦府办〔2022〕98号"] == (True, XFB_98.value)
    assert any(not in_corpus and target is None for in_corpus, target in resolved.values())


def test_citations_of_documents_outside_the_corpus_stay_stubs(linked_store):
    store, report = linked_store
    outside = cited_iri("工信部联财函〔2024〕192号")
    assert list(store.quads_for_pattern(outside, RDF.type, PKG.CitedDocument, None))
    assert not _links(store, outside, PKG.resolvedTo)
    assert report.citations_unresolved >= 5


def test_the_task_table_implements_the_provincial_policy_row_by_row(linked_store, sample_records, sample_path):
    store, report = linked_store
    table = _document(sample_records[SAMPLE_FILES["task_table"]])
    assert _links(store, table, PKG.implements, SME_POLICY)
    assert _links(store, SME_POLICY, ELI.jurisdiction, NamedNode(BASE_IRI + "place/350000"))
    assert _links(store, SME_POLICY, ELI["title"], Literal("关于支持中小微企业健康发展的若干措施", language="zh"))
    rows = _links(store, None, PKG.implements)
    row_links = [q for q in rows if q.subject != table]
    assert report.row_links == len(row_links) == 50
    targets = {q.object.value.rsplit("/", 1)[-1] for q in row_links}
    assert targets == {str(n) for n in range(1, 51)}
    # each stub measure carries the provincial text quoted in its row, and no responsibility column
    source = sample_path("task_table").read_text(encoding="utf-8")
    stub_3 = NamedNode(SME_POLICY.value + "/measure/3")
    [text] = [q.object.value for q in _links(store, stub_3, PKG.text)]
    assert text.startswith("大力支持中小微企业增资扩产") and text in source and "市工信局" not in text
    assert _links(store, stub_3, RDF.type, PKG.CitedProvision)
    assert not _links(store, stub_3, RDF.type, PKG.Measure)


def test_lead_officials_lead_the_industries_of_their_blocks(linked_store):
    store, report = linked_store
    leads = {(q.subject.value.rsplit("/", 1)[-1], q.object.value.rsplit("/", 1)[-1])
             for q in _links(store, None, PKG.leadsIndustry)}
    assert ("huangxiaozhou", "electronic-information") in leads
    assert ("lihuiyue", "financial-services") in leads
    assert ("wuzidong", "culture-tourism-creative") in leads
    assert {industry for person, industry in leads if person == "huangxiaozhou"} >= {
        "machinery-equipment", "biomedicine", "new-materials", "new-energy", "xiamen-future-industries"}
    assert report.lead_links == len(leads)


def test_linking_twice_gives_the_same_links_graph(linked_store):
    store, _ = linked_store
    before = sorted(str(q) for q in store.quads_for_pattern(None, None, None, LINKS_GRAPH))
    again = link_store(store)
    after = sorted(str(q) for q in store.quads_for_pattern(None, None, None, LINKS_GRAPH))
    assert before == after and len(again.quads) == len(after)


def test_a_stale_links_graph_is_replaced_not_read(sample_records, citing_record, linked_store):
    """The old links graph is ignored while the new one is computed, then swapped whole."""
    expected = sorted(str(q) for q in linked_store[0].quads_for_pattern(None, None, None, LINKS_GRAPH))
    store = Store()
    for record in [*sample_records.values(), citing_record]:
        store.extend(record_to_quads(record))
    stale = NamedNode(BASE_IRI + "cited/stale")
    store.extend([Quad(stale, RDF.type, PKG.CitedDocument, LINKS_GRAPH),
                  Quad(stale, PKG.normalisedNumber, Literal("厦府办规〔2024〕12号"), LINKS_GRAPH)])
    link_store(store)
    after = sorted(str(q) for q in store.quads_for_pattern(None, None, None, LINKS_GRAPH))
    assert after == expected
    assert not list(store.quads_for_pattern(stale, None, None, None))


def test_a_store_without_documents_gives_an_empty_links_graph():
    report = link_store(Store())
    assert report.quads == [] and report.citations_resolved == 0


def test_every_ontology_term_of_the_links_graph_is_declared(linked_store):
    import rdflib  # noqa: PLC0415

    from kg.resources import data_path  # noqa: PLC0415

    vocabulary = rdflib.Graph()
    vocabulary.parse(data_path("ontology", "policykg.ttl"), format="turtle")
    declared = {str(s) for s in vocabulary.subjects(rdflib.RDFS.label, None)}
    store, _ = linked_store
    used = set()
    for quad in _links(store):
        used.add(quad.predicate.value)
        if quad.predicate == RDF.type:
            used.add(quad.object.value)
    pkg_terms = {t for t in used if t.startswith(str(PKG))}
    assert pkg_terms and pkg_terms <= declared, sorted(pkg_terms - declared)


def test_links_command_on_a_built_store(tmp_path, sample_records):
    from click.testing import CliRunner  # noqa: PLC0415

    from kg.cli import cli  # noqa: PLC0415
    from kg.store import open_store  # noqa: PLC0415

    folder = tmp_path / "store"
    store = open_store(folder)
    store.extend(record_to_quads(sample_records[SAMPLE_FILES["task_table"]]))
    store.flush()
    del store
    result = CliRunner().invoke(cli, ["links", "--store", str(folder)])
    assert result.exit_code == 0, result.output
    assert "1 implementation links with 50 row links" in result.output
    missing = CliRunner().invoke(cli, ["links", "--store", str(tmp_path / "nothing")])
    assert missing.exit_code == 1 and "no store here" in missing.output
    assert "Traceback" not in missing.output
