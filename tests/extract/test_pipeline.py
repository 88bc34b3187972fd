"""The pipeline and the extraction record contract (extract/README.md)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings, strategies as st

from extract.pipeline import ENTITY_TYPES, load_pipeline

DOCUMENT_KEYS = {"title", "notice_title", "doc_number", "doc_number_normalised", "date_issued", "date_printed",
                 "date_published", "date_in_force", "date_expires", "issuers", "jurisdiction", "addressees", "cc",
                 "attachments", "disclosure", "source", "metadata", "text", "warnings"}
ENTITY_KEYS = {
    "agencies": {"name", "text", "role", "span", "measure", "jurisdiction", "kind"},
    "industries": {"concept", "label", "text", "span", "measure", "candidate"},
    "citations": {"title", "doc_number", "text", "span", "measure"},
    "people": {"name", "role", "text", "span", "measure"},
}
MY_COMPONENTS = ("policykg_agencies", "policykg_industries", "policykg_citations", "policykg_people")


def test_pipeline_is_cached_and_uses_jieba(nlp):
    assert load_pipeline() is nlp
    assert nlp.config["nlp"]["tokenizer"]["segmenter"] == "jieba"
    assert [t.text for t in nlp.make_doc("市发改委负责")] == ["市", "发改委", "负责"]


@pytest.mark.parametrize("component", MY_COMPONENTS)
def test_every_factory_assigns_what_it_declares(nlp, component):
    assert component in nlp.pipe_names
    meta = nlp.get_pipe_meta(component)
    assert "doc.spans" in meta.assigns
    doc = nlp("（责任单位：市发改委、财政局）\n牵头市领导：黄晓舟\n发展集成电路产业，落实《某某办法》(厦府办[2022]98号)。")
    key = {"policykg_agencies": "agencies", "policykg_industries": "industries",
           "policykg_citations": "citations", "policykg_people": "people"}[component]
    assert len(doc.spans[key]) >= 1
    assert all(isinstance(span._.policykg, dict) for span in doc.spans[key])


def test_records_follow_the_contract(sample_records):
    for name, record in sample_records.items():
        json.dumps(record, ensure_ascii=False)  # plain JSON types only
        assert DOCUMENT_KEYS <= set(record["document"]), name
        assert set(record["entities"]) >= set(ENTITY_TYPES)
        assert record["document"]["source"]["file"] == name
        measure_ids = {m["id"] for m in record["measures"]}
        for entity_type, keys in ENTITY_KEYS.items():
            for entity in record["entities"][entity_type]:
                assert keys <= set(entity), (name, entity_type, entity)
                assert entity["measure"] is None or entity["measure"] in measure_ids


def test_spans_slice_the_original_text(sample_records):
    for name, record in sample_records.items():
        text = record["document"]["text"]
        for entity_type, entities in record["entities"].items():
            for entity in entities:
                start, end = entity["span"]
                assert 0 <= start <= end <= len(text)
                assert text[start:end] == entity["text"], (name, entity_type, entity)
        for measure in record["measures"]:
            assert 0 <= measure["span"][0] < measure["span"][1] <= len(text)


def test_jurisdictions_of_the_samples(sample_records):
    codes = {name[:3]: (r["document"]["jurisdiction"] or {}).get("code") for name, r in sample_records.items()}
    assert codes == {"000": "350200", "001": "350200", "002": "350200", "003": "350200", "004": "210200"}


def test_agencies_are_assigned_to_measures(sample_records):
    record = sample_records["000_baf51a30e025ba03.txt"]
    if not record["measures"]:
        pytest.skip("the structure parser found no measures")
    # Every （责任单位：…） list sits inside its measure; the closing's 各责任单位 does not.
    in_measures = [a for a in record["entities"]["agencies"] if a["role"] == "responsible" and a["kind"] == "agency"]
    assert in_measures and all(a["measure"] is not None for a in in_measures)


ADVERSARIAL = st.one_of(
    st.text(max_size=300),
    st.text(alphabet="（）()《》〔〕[]、，：:责任单位牵头配合负责由会同市省区各发改委财政局产业经济1e309号年", max_size=400),
    st.just("（责任单位：" * 200),
    st.just("《" * 500 + "市" * 1000),
    st.just("各" + "、市财政局" * 2000),
    st.just("9" * 400 + "万元产业"),
)


@settings(max_examples=60, deadline=None)
@given(text=ADVERSARIAL)
def test_components_survive_adversarial_text(nlp, text):
    doc = nlp(text)
    for key in ("agencies", "industries", "citations", "people"):
        for span in doc.spans[key]:
            attrs = span._.policykg
            assert 0 <= attrs["char_start"] <= attrs["char_end"] <= len(text)


def test_long_line_is_handled(nlp):
    text = "市发改委、财政局" * 12000 + "（责任单位：市财政局）"  # ~100 KB on one line
    doc = nlp(text)
    assert doc.spans["agencies"]


@pytest.mark.parametrize("name", ["notice_page.html", "state_council_page.html", "task_list.md"])
def test_other_formats_extract_with_exact_spans(nlp, name):
    from pathlib import Path

    from extract.pipeline import extract_path

    path = Path(__file__).resolve().parents[1] / "fixtures" / "readers" / name
    record = extract_path(path, nlp)
    text = record["document"]["text"]
    agencies = record["entities"]["agencies"]
    assert any(a["role"] in ("lead", "responsible") and a["measure"] for a in agencies)
    for entities in record["entities"].values():
        for entity in entities:
            assert text[entity["span"][0]:entity["span"][1]] == entity["text"]


def test_worker_processes_give_the_same_records(corpus_dir, sample_records):
    from extract.pipeline import extract_records, parse_path

    paths = sorted(corpus_dir.glob("*.txt"))[:2]
    records = list(extract_records([parse_path(p) for p in paths], n_process=2))
    assert [r["entities"] for r in records] == [sample_records[p.name]["entities"] for p in paths]


def test_district_document_jurisdiction(nlp):
    from extract.jurisdiction import detect_jurisdiction

    division = detect_jurisdiction("正文", issuers=["厦门市思明区人民政府办公室"])
    assert division is not None and division.code == "350203"
    # Without a pipeline context the component detects the jurisdiction from the text.
    doc = nlp("厦门市思明区人民政府办公室关于印发某方案的通知\n一、推进试点。（责任单位：区科技局、市财政局）")
    found = {(s.text, s._.policykg["name"], s._.policykg["jurisdiction"]) for s in doc.spans["agencies"]}
    assert ("区科技局", "厦门市思明区科学技术局", "350203") in found
    assert ("市财政局", "厦门市财政局", "350200") in found


def test_districts_of_every_province_and_no_words_taken_for_places(nlp):
    from extract.jurisdiction import detect_jurisdiction, places_in

    division = detect_jurisdiction("正文", title="深圳市南山区关于支持人工智能产业发展的若干措施")
    assert (division.code, division.name) == ("440305", "南山区")
    assert places_in("南山区") == []  # Hegang has one too: a shared name counts only after its city
    assert [d.code for d in places_in("北京市海淀区、湖北省仙桃市")] == ["110000", "110108", "420000", "429004"]
    # 合作市 and 东方市 are places by their full names only
    assert places_in("加强交流合作，建设东方明珠") == []
    doc = nlp("深圳市南山区人民政府办公室关于印发某方案的通知\n一、推进试点。（责任单位：区科技创新局）")
    found = {(s.text, s._.policykg["name"], s._.policykg["jurisdiction"]) for s in doc.spans["agencies"]}
    assert ("区科技创新局", "深圳市南山区科技创新局", "440305") in found


def test_record_from_a_hand_built_parsed_document(nlp):
    """Fields, measures and issuers of a ParsedDocument built by hand (no structure parser)."""
    from pathlib import Path

    from extract.pipeline import extract_record
    from kg.clean import clean
    from kg.model import Located, ParsedDocument, Provision, SourceDocument

    original = ("厦门市人民政府办公厅\n1. 电子信息产业集群\n牵头市领导:黄晓舟\n责任单位:市发改委,各\n\n## 区,火炬管委会\n"
                "2. 推进试点。（责任单位：市财政局）\n")
    cleaned = clean(original)
    source = SourceDocument(path=Path("hand.txt"), text=original, format="txt", encoding="utf-8", content_hash="0")

    def provision(number: int, first: str, last: str, fields: dict[str, Located]) -> Provision:
        start, end = original.index(first), original.index(last) + len(last)
        c_start = cleaned.text.index(first[:4])
        c_end = cleaned.text.index(last[-4:]) + 4
        return Provision(kind="item", number=str(number), ordinal=number, path=(number,), title=first,
                         text=original[start:end], clean_text=cleaned.text[c_start:c_end], span=(start, end),
                         clean_span=(c_start, c_end), is_measure=True, fields=fields)

    field_start = original.index("市发改委,各")
    field_end = original.index("火炬管委会") + len("火炬管委会")
    leader = original.index("黄晓舟")
    fields = {"牵头市领导": Located("黄晓舟", (leader, leader + 3)),
              "责任单位": Located("市发改委，各区，火炬管委会", (field_start, field_end))}
    parsed = ParsedDocument(
        source=source, clean=cleaned, title=Located("电子信息产业集群", (0, 0)),
        issuers=[Located("厦门市人民政府办公厅", (0, 10))],
        provisions=[provision(1, "1. 电子信息", "火炬管委会", fields), provision(2, "2. 推进试点", "市财政局）", {})],
    )
    record = extract_record(parsed, nlp)
    agencies = {(a["text"], a["role"], a["name"], a["measure"]) for a in record["entities"]["agencies"]}
    assert ("厦门市人民政府办公厅", "issuer", "厦门市人民政府办公厅", None) in agencies
    assert ("市发改委", "responsible", "厦门市发展和改革委员会", "1") in agencies
    assert ("各\n\n## 区", "responsible", "各区", "1") in agencies
    assert ("市财政局", "responsible", "厦门市财政局", "2") in agencies
    assert [(p["name"], p["role"], p["measure"]) for p in record["entities"]["people"]] == [("黄晓舟", "lead", "1")]
    assert record["document"]["jurisdiction"] == {"name": "厦门市", "code": "350200"}
    for entities in record["entities"].values():
        for entity in entities:
            assert original[entity["span"][0]:entity["span"][1]] == entity["text"]


def test_web_page_dates_become_iso_and_valid_xsd_dates(nlp):
    """发布日期 of a page's metadata table (2024年03月18日) is normalised before it reaches the graph."""
    from pathlib import Path

    from extract.pipeline import extract_path
    from kg.mapping import record_to_quads
    from kg.namespaces import ELI

    path = Path(__file__).resolve().parents[1] / "fixtures" / "readers" / "notice_page.html"
    record = extract_path(path, nlp)
    assert record["document"]["date_published"] == "2024-03-18"
    assert record["document"]["date_issued"] == "2024-03-15"
    published = [q.object for q in record_to_quads(record) if q.predicate == ELI.date_publication]
    assert [(o.value, o.datatype.value) for o in published] == [
        ("2024-03-18", "http://www.w3.org/2001/XMLSchema#date")]


def test_dates_in_a_deadline_column_are_deadlines(nlp):
    """2025年12月 under 完成时限 has no 前 after it, and is still its row's deadline."""
    from pathlib import Path

    from extract.pipeline import extract_path

    path = Path(__file__).resolve().parents[1] / "fixtures" / "readers" / "task_table_page.html"
    record = extract_path(path, nlp)
    dates = [(d["text"], d["role"], d["end"], d["measure"]) for d in record["entities"]["dates"]]
    assert dates == [("2025年12月", "deadline", "2025-12-31", "1"), ("2026年6月底", "deadline", "2026-06-30", "2"),
                     ("2025年3月20日", "issued", "2025-03-20", None)]
    roles = {(a["name"], a["role"], a["measure"]) for a in record["entities"]["agencies"] if a["measure"]}
    assert ("杭州市财政局", "support", "1") in roles and ("杭州市地方金融监督管理局", "lead", "3") in roles
    assert not [a for a in record["entities"]["agencies"] if a["measure"] == "3" and a["role"] == "support"]
    (duration,) = record["entities"]["durations"]
    assert duration["measure"] is None  # 有效期3年 after the table is the document's
    assert (record["document"]["date_in_force"], record["document"]["date_expires"]) == ("2025-03-20", "2028-03-19")


def test_a_date_that_is_not_iso_is_not_mapped_as_xsd_date(sample_records):
    from kg.mapping import record_to_quads
    from kg.namespaces import ELI

    record = json.loads(json.dumps(next(iter(sample_records.values()))))
    record["document"]["date_published"] = "2025年8月15日"
    assert not [q for q in record_to_quads(record) if q.predicate == ELI.date_publication]
