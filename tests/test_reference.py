"""The reference data (ontology/divisions.ttl, industries.ttl, agencies.ttl) and kg.reference."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import rdflib
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

from kg import reference
from kg.iris import agency_iri
from kg.resources import data_dir, data_path

PKG = rdflib.Namespace("https://w3id.org/policykg/ontology#")
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
SCHEMA = rdflib.Namespace("https://schema.org/")
BASE = "https://w3id.org/policykg/"
WIKIDATA = re.compile(r"^http://www\.wikidata\.org/entity/Q[1-9][0-9]*$")
MATCHES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch)


def _graph(name: str) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(data_path("ontology", name), format="turtle")
    return graph


@pytest.fixture(scope="module")
def divisions_graph() -> rdflib.Graph:
    return _graph("divisions.ttl")


@pytest.fixture(scope="module")
def industries_graph() -> rdflib.Graph:
    return _graph("industries.ttl")


@pytest.fixture(scope="module")
def agencies_graph() -> rdflib.Graph:
    return _graph("agencies.ttl")


def _described_sources(graph: rdflib.Graph) -> set:
    return set(graph.subjects(RDF.type, DCTERMS.BibliographicResource))


# ---------------------------------------------------------------- every file parses

@pytest.mark.parametrize("path", sorted(data_dir("ontology").glob("*.ttl")), ids=lambda p: p.name)
def test_every_turtle_file_of_the_ontology_folder_parses(path):
    graph = rdflib.Graph()
    graph.parse(path, format="turtle")
    assert len(graph) > 0


# ---------------------------------------------------------------- sources

@pytest.mark.parametrize("name", ["divisions.ttl", "industries.ttl", "agencies.ttl"])
def test_every_source_cited_is_described_in_the_same_file(name):
    graph = _graph(name)
    cited = set(graph.objects(None, DCTERMS.source)) - {
        s for s in graph.objects(None, DCTERMS.source) if str(s).startswith(BASE + "ontology/")}
    described = _described_sources(graph)
    assert cited, f"{name} cites no source"
    assert cited <= described, f"undescribed sources in {name}: {sorted(map(str, cited - described))}"
    for source in described:
        assert graph.value(source, DCTERMS.title) is not None, f"{source} has no title"


def test_every_division_code_and_wikidata_identifier_has_a_source(divisions_graph):
    g = divisions_graph
    wikidata_sources = {s for s in _described_sources(g) if "wikidata" in str(s)}
    coded = set(g.subjects(SKOS.notation, None))
    assert len(coded) > 90
    for node in coded:
        assert set(g.objects(node, DCTERMS.source)), f"{node} has a code but no dcterms:source"
    linked = set(g.subjects(OWL.sameAs, None))
    assert len(linked) > 50
    for node in linked:
        assert set(g.objects(node, DCTERMS.source)) & wikidata_sources, \
            f"{node} has an external identifier but cites no source it was checked against"


def test_every_industry_mapping_and_code_has_a_source(industries_graph):
    g = industries_graph
    for predicate in MATCHES:
        for concept, target in g.subject_objects(predicate):
            assert set(g.objects(concept, DCTERMS.source)), f"{concept} maps without a source"
            # the target code is described in the file with its notation, label and source
            assert g.value(target, SKOS.notation) is not None, f"{target} has no notation"
            assert g.value(target, SKOS.prefLabel) is not None, f"{target} has no label"
            assert set(g.objects(target, DCTERMS.source)), f"{target} cites no source"


def test_every_agency_cites_a_source(agencies_graph):
    for agency in agencies_graph.subjects(RDF.type, ORG.Organization):
        assert set(agencies_graph.objects(agency, DCTERMS.source)), f"{agency} cites no source"


# ---------------------------------------------------------------- divisions

def test_division_codes_are_gbt2260_and_match_their_iris_and_parents(divisions_graph):
    g = divisions_graph
    codes = {}
    for node in g.subjects(RDF.type, PKG.AdministrativeDivision):
        code = str(g.value(node, SKOS.notation))
        assert re.fullmatch(r"[1-8][0-9]{5}", code), code
        assert str(node) == f"{BASE}place/{code}"
        codes[code] = node
    for code, node in codes.items():
        level = str(g.value(node, PKG.level))
        parent = g.value(node, PKG.parentDivision)
        parent_code = str(parent).rsplit("/", 1)[-1]
        if level == "province":
            assert code.endswith("0000") and parent_code == "cn"
        elif level == "city":
            assert code.endswith("00") and parent_code == code[:2] + "0000", code
        elif code[:4] + "00" in codes:
            assert parent_code == code[:4] + "00", code
        else:  # a district of a municipality, or a county-level city under its province (429004 仙桃市)
            assert parent_code == code[:2] + "0000", code
        assert parent_code == "cn" or parent_code in codes, f"{code}: unknown parent {parent_code}"


def test_coverage_provinces_capitals_sub_provincial_cities_and_sample_districts():
    by_level = Counter(d.level for d in reference.divisions())
    assert by_level["province"] == 34
    subprovincial = [d for d in reference.divisions() if d.division_type == "sub-provincial-city"]
    assert len(subprovincial) == 15
    assert {"厦门市", "大连市", "深圳市", "宁波市", "青岛市"} <= {d.name for d in subprovincial}
    for province in (d for d in reference.divisions() if d.division_type in ("province", "autonomous-region")):
        if province.code != "710000":
            assert any(d.parent_code == province.code for d in reference.divisions()), province.name
    xiamen_districts = {d.name for d in reference.divisions() if d.parent_code == "350200"}
    assert xiamen_districts == {"思明区", "海沧区", "湖里区", "集美区", "同安区", "翔安区"}
    assert {"长海县", "庄河市", "金州区"} <= {d.name for d in reference.divisions() if d.parent_code == "210200"}
    # every county-level division of GB/T 2260, not only the sample provinces'
    assert by_level["district"] + by_level["county"] >= 2800
    assert {"南山区", "福田区", "宝安区"} <= {d.name for d in reference.divisions() if d.parent_code == "440300"}
    assert {"东城区", "海淀区"} <= {d.name for d in reference.divisions() if d.parent_code == "110000"}


def test_wikidata_identifiers_are_well_formed_and_unique(divisions_graph):
    targets = [str(o) for o in divisions_graph.objects(None, OWL.sameAs)]
    assert all(WIKIDATA.match(t) for t in targets)
    assert len(targets) == len(set(targets)), "one Wikidata item linked to two divisions"
    place = {d.code: d for d in reference.divisions()}
    assert place["350000"].same_as == ("http://www.wikidata.org/entity/Q41705",)
    assert place["cn"].same_as == ("http://www.wikidata.org/entity/Q148",)


@pytest.mark.parametrize("text, code", [
    ("厦门市人民政府办公厅", "350200"),
    ("中共大连市委办公厅", "210200"),
    ("福建省厦门市湖里区人民政府", "350206"),
    ("广西壮族自治区南宁市", "450100"),
    ("内蒙古自治区发展和改革委员会", "150000"),
    ("大连长海县", "210224"),
    ("深圳市规划和自然资源局", "440300"),
])
def test_find_division(text, code):
    assert reference.find_division(text).code == code


def test_find_division_without_a_place_and_with_a_short_name_inside_a_word():
    assert reference.find_division("市直各委、办、局") is None
    assert reference.find_division("") is None
    # 中山区 has no short name (中山 is also a city of Guangdong)
    assert reference.division("210202").short_name is None


def test_province_and_city_of():
    assert reference.province_of("210224").name == "辽宁省"
    assert reference.city_of("210224").name == "大连市"
    assert reference.city_of("350000") is None
    assert reference.province_of("999999") is None


# ---------------------------------------------------------------- industries

def test_industry_concepts_shape(industries_graph):
    concepts = reference.industry_concepts()
    slugs = {c.slug for c in concepts}
    assert len(concepts) >= 55
    for concept in concepts:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", concept.slug), concept.slug
        assert concept.label_en, f"{concept.slug} has no English label"
        assert concept.schemes, f"{concept.slug} is in no scheme"
        assert set(concept.broader) <= slugs, f"{concept.slug}: unknown broader {concept.broader}"
    for subject, obj in industries_graph.subject_objects(SKOS.narrower):
        assert (obj, SKOS.broader, subject) in industries_graph, f"{obj} lacks broader {subject}"


def test_no_label_names_two_concepts():
    owners: dict[str, set[str]] = {}
    for concept in reference.industry_concepts():
        for label in concept.labels:
            owners.setdefault(label, set()).add(concept.slug)
    shared = {label: slugs for label, slugs in owners.items() if len(slugs) > 1}
    assert not shared


def test_xiamen_4_4_6_system():
    concept = {c.slug: c for c in reference.industry_concepts()}
    def narrower(slug):
        return {c.slug for c in concept.values() if slug in c.broader}
    pillars = narrower("xiamen-pillar-industry-clusters")
    emerging = narrower("xiamen-strategic-emerging-industries")
    future = narrower("xiamen-future-industries")
    assert len(pillars) == 4 and len(emerging) == 4 and len(future) == 6
    assert {concept[s].pref_label for s in future} == {
        "第三代半导体", "未来网络", "前沿战略材料", "氢能与储能", "基因与生物技术", "深海空天开发"}
    assert "电子信息" in concept["electronic-information"].alt_labels


def test_national_strategic_emerging_industries_have_their_2018_codes():
    national = [c for c in reference.industry_concepts() if "strategic-emerging-industries" in c.broader]
    codes = sorted(m.rsplit("/", 1)[-1] for c in national for m in c.exact_match)
    assert codes == [str(n) for n in range(1, 10)]


# ---------------------------------------------------------------- agencies

def test_agency_iris_follow_the_iri_template():
    names = {d.code: d.name for d in reference.divisions()}
    for entry in reference.agency_registry().entries:
        if entry.jurisdiction_code == "cn":
            assert entry.iri.startswith(BASE + "agency/cn/")
            continue
        assert entry.iri == agency_iri(entry.jurisdiction_code, entry.name, names[entry.jurisdiction_code]).value


def test_agency_parents_types_and_jurisdictions_are_known():
    registry = reference.agency_registry()
    iris = {e.iri for e in registry.entries}
    codes = {d.code for d in reference.divisions()}
    ontology = _graph("policykg.ttl")
    for entry in registry.entries:
        assert entry.jurisdiction_code in codes, entry.name
        assert entry.parent_iri is None or entry.parent_iri in iris, entry.name
        assert (PKG[entry.agency_type], None, None) in ontology, f"{entry.agency_type} not in the ontology"


@pytest.mark.parametrize("printed, code, official", [
    ("厦门银保监局", "350200", "国家金融监督管理总局厦门监管局"),
    ("中国银行保险监督管理委员会厦门监管局", "350200", "国家金融监督管理总局厦门监管局"),
    ("人行厦门市中心支行", "350200", "中国人民银行厦门市分行"),
    ("中国人民银行厦门市中心支行", None, "中国人民银行厦门市分行"),
    ("中国(福建)自由贸易试验区厦门片区管理委员会", "350200", "中国（福建）自由贸易试验区厦门片区管理委员会"),
    ("市委金融办", "350200", "中共厦门市委金融委员会办公室"),
    ("市委", "210200", "中共大连市委员会"),
    ("省发改委", "350000", "福建省发展和改革委员会"),
    ("工业和信息化部", "350200", "工业和信息化部"),
])
def test_lookup_official_abbreviated_and_former_names(printed, code, official):
    assert reference.agency_registry().lookup(printed, code).name == official


def test_an_abbreviation_names_an_agency_only_in_its_own_jurisdiction():
    registry = reference.agency_registry()
    assert registry.lookup("市财政局", "210200") is None
    entry = registry.resolve("大连市财政局", "210200")
    assert entry.inferred and entry.reason and entry.agency_type == "GovernmentDepartment"


def test_mapping_uses_registry_iris_for_known_agencies():
    from kg.mapping import ORG as ORG_TERM, PKG as PKG_TERM, record_to_quads  # noqa: PLC0415

    text = "测试\n1. 推进工作。（责任单位：人行厦门市中心支行）"
    record = {"document": {"title": "测试", "doc_number": "厦府办〔2024〕1号", "text": text,
                           "jurisdiction": {"name": "厦门市", "code": "350200"},
                           "source": {"file": "t.txt", "content_hash": "0" * 64}, "issuers": []},
              "provisions": [{"id": "1", "kind": "item", "number": "1", "ordinal": 1, "path": [1],
                              "parent": None, "title": "推进工作", "text": text[3:], "span": [3, len(text)],
                              "is_measure": True}],
              "entities": {"agencies": [{"name": "中国人民银行厦门市中心支行", "text": "人行厦门市中心支行",
                                         "role": "responsible", "span": [text.index("人行"), len(text) - 1],
                                         "measure": "1", "jurisdiction": "350200", "kind": "agency"}]}}
    quads = record_to_quads(record, registry=reference.mapping_registry())
    agencies = {q.object.value for q in quads if q.predicate == PKG_TERM.agency}
    assert agencies == {BASE + "agency/350200/zhongguorenminyinhangxiamenshifenhang"}
    # a registry agency is not redefined (nor marked inferred) in the document graph
    assert not [q for q in quads if q.predicate == PKG_TERM.inferred]
    assert not [q for q in quads if q.object == ORG_TERM.Organization]


# ---------------------------------------------------------------- agencies found in the sample corpus

@pytest.fixture(scope="module")
def sample_agency_mentions(sample_records):
    mentions = []
    for name, record in sample_records.items():
        for agency in record["entities"]["agencies"]:
            if agency.get("kind", "agency") == "agency":
                mentions.append((name, agency))
        for issuer in record["document"]["issuers"]:
            mentions.append((name, {"name": issuer["name"], "jurisdiction": issuer.get("jurisdiction"),
                                    "text": issuer["text"]}))
    return mentions


def test_every_agency_found_in_the_samples_resolves_or_is_inferred_with_a_reason(sample_agency_mentions):
    registry = reference.agency_registry()
    assert len(sample_agency_mentions) > 300
    unresolved = []
    for file, agency in sample_agency_mentions:
        entry = registry.resolve(agency["name"], agency.get("jurisdiction"))
        if entry.inferred:
            assert entry.reason and entry.name == agency["name"]
            unresolved.append((file, agency["text"], agency["name"]))
    # Only bodies whose official name the samples never print are left to the rule
    # (市招商办, 市文发办, 市金砖办, …): at most a few per cent of the mentions.
    assert len(unresolved) <= 0.03 * len(sample_agency_mentions), unresolved


def test_every_sample_issuer_is_a_registry_entry(sample_agency_mentions):
    registry = reference.agency_registry()
    issuers = {(a["name"], a.get("jurisdiction")) for _, a in sample_agency_mentions if "role" not in a}
    assert len(issuers) >= 10
    for name, code in issuers:
        assert registry.lookup(name, code) is not None, name


def test_the_extractors_inferred_flag_agrees_with_the_registry(sample_records):
    registry = reference.agency_registry()
    checked = 0
    for record in sample_records.values():
        for agency in record["entities"]["agencies"]:
            if agency.get("kind", "agency") != "agency" or "inferred" not in agency:
                continue
            checked += 1
            known = registry.lookup(agency["name"], agency.get("jurisdiction")) is not None
            assert agency["inferred"] is not known, (agency["text"], agency["name"])
    assert checked > 300
