"""The named query library (queries/*.rq) and kg.queries.

Exact rows are checked on ``tests/fixtures/queries/mini.trig`` (a small graph in the
documented shape, see its README) and on the store built from the sample corpus.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, RdfFormat, Store
from rdflib.plugins.sparql import prepareQuery

from kg.errors import PolicyKGError
from kg.namespaces import OA, PKG
from kg.queries import (
    PARAM_TYPES, NamedQuery, QueryParam, bind_params, get_query, list_queries, parse_query, parse_value, run_query,
)
from kg.resources import data_dir
from tests.conftest import FIXTURES

MINI = FIXTURES / "queries" / "mini.trig"
INJECTIONS = ['"} DROP ALL #', "'} ; DROP ALL ; #", '" . } } INSERT DATA { <a:b> <a:c> <a:d> } #',
              "?x } UNION { ?s ?p ?o", "\\\" }"]


@pytest.fixture(scope="session")
def mini_store() -> Store:
    store = Store()
    store.load(path=str(MINI), format=RdfFormat.TRIG)
    return store


def rows(store: Store, name: str, columns: list[str], **params: str) -> list[tuple]:
    """The given columns of a named query's result, as Python values."""
    return [tuple(record[c] for c in columns) for record in run_query(store, name, params).records()]


# --- the library itself ------------------------------------------------------

QUERIES = list_queries()


def test_library_has_at_least_fifteen_queries() -> None:
    assert len(QUERIES) >= 15
    assert len({q.name for q in QUERIES}) == len(QUERIES)


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_every_query_has_a_full_header(query: NamedQuery) -> None:
    assert re.search(r"[\u4e00-\u9fff]", query.title_zh), "Chinese title"
    assert re.search(r"[A-Za-z]", query.title_en) and not re.search(r"[\u4e00-\u9fff]", query.title_en)
    assert len(query.description) > 40
    assert query.examples and all(e.startswith(f"policykg query {query.name}") for e in query.examples)
    assert "union of all named graphs" in query.sparql.split("PREFIX")[0]
    for param in query.params:
        assert param.type in PARAM_TYPES and param.description
        parse_value(param, param.default)  # every default is a valid value of its type


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_every_query_parses_with_rdflib_too(query: NamedQuery) -> None:
    prepareQuery(query.sparql)


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_parameters_are_only_ever_parameters(query: NamedQuery) -> None:
    """``?agency`` and ``$agency`` are the same variable: a parameter name is never reused as a
    pattern variable, and every ``$`` variable is a declared parameter."""
    body = "\n".join(line for line in query.sparql.splitlines() if not line.startswith("#"))
    body = re.sub(r'"(?:[^"\\]|\\.)*"', '""', body)  # string literals may contain $1
    declared = {p.name for p in query.params}
    assert set(re.findall(r"\$(\w+)", body)) == declared
    for name in declared:
        assert not re.search(rf"\?{name}\b", body), f"?{name} clashes with the parameter ${name}"
    # pyoxigraph 0.5 leaves a substituted variable unbound in a bare BIND($x AS ?y): wrap it (STR, IRI…)
    assert not re.search(r"BIND\(\s*\$\w+\s+AS", body)


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_every_query_runs_with_its_defaults(query: NamedQuery, mini_store: Store) -> None:
    result = run_query(mini_store, query)
    assert result.variables and not set(result.variables) & {p.name for p in query.params}


# Every other .rq file of the project: the site's (site/queries/) and the build's own
# (queries/internal/). The site's run over the union of the graphs, as the site runs them.
OTHER_QUERIES = sorted([*data_dir("site").joinpath("queries").glob("*.rq"),
                        *data_dir("queries").joinpath("internal").glob("*.rq")])


def test_site_and_internal_queries_are_found() -> None:
    folders = {path.parent.parent.name for path in OTHER_QUERIES}
    assert folders == {"site", "queries"} and len(OTHER_QUERIES) >= 25


@pytest.mark.parametrize("path", OTHER_QUERIES, ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}/{p.stem}")
def test_every_site_and_internal_query_parses_and_runs(path: Path, mini_store: Store) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.lstrip().startswith("#"), "a comment says what the query is for"
    prepareQuery(text)
    results = mini_store.query(text, use_default_graph_as_union=path.parent.parent.name == "site")
    assert [variable.value for variable in results.variables]
    assert all(len(solution) == len(results.variables) for solution in results)


# --- exact rows on the mini graph ---------------------------------------------

def test_measures_by_agency_by_role(mini_store: Store) -> None:
    assert rows(mini_store, "measures-by-agency", ["role", "measureNumber", "city"], agency="厦门市财政局") == [
        ("负责", "4", "厦门市"), ("负责", "1", "厦门市"), ("负责", "18", "厦门市"),
    ]
    # any label or the IRI finds the same agency; lead comes before responsible
    by_alt = rows(mini_store, "measures-by-agency", ["role", "measureNumber"], agency="市工信局")
    by_iri = rows(mini_store, "measures-by-agency", ["role", "measureNumber"],
                  agency="https://w3id.org/policykg/agency/350200/gongxinju")
    assert by_alt == by_iri == [("牵头", "3"), ("负责", "4"), ("负责", "13")]


def test_agencies_ranked_lead_vs_responsible(mini_store: Store) -> None:
    ranked = rows(mini_store, "agencies-ranked", ["agencyLabel", "lead", "responsible", "support", "total"])
    assert ranked[:2] == [("厦门市工业和信息化局", 1, 2, 0, 3), ("厦门市财政局", 0, 3, 0, 3)]
    assert len(ranked) == 7
    assert rows(mini_store, "agencies-ranked", ["agencyLabel"], city="大连市") == []
    assert len(rows(mini_store, "agencies-ranked", ["agencyLabel"], city="350200")) == 7


def test_amounts_above_one_hundred_million(mini_store: Store) -> None:
    assert rows(mini_store, "amounts-above", ["value", "quote", "measureNumber"], threshold="100000000") == [
        (1.5e11, "1500亿元", "1"), (5e10, "从300亿元扩大到500亿元", "18"),
        (1e10, "总规模100亿元", "4"), (1e10, "100亿元", "18"),
    ]
    assert [r[0] for r in rows(mini_store, "amounts-above", ["quote"], threshold="250000")] == [
        "1500亿元", "从300亿元扩大到500亿元", "总规模100亿元", "100亿元", "最高补助30万元"]
    assert rows(mini_store, "amounts-above", ["qualifier", "perUnit"], threshold="300000")[-1] == ("最高", "单家企业")


def test_largest_subsidy_per_beneficiary_type(mini_store: Store) -> None:
    assert rows(mini_store, "largest-subsidies-per-unit", ["perUnit", "value", "quote"]) == [
        ("单家企业", 300000.0, "最高补助30万元"), ("每家企业", 200000.0, "最高20万元")]


def test_deadlines_between_two_dates(mini_store: Store) -> None:
    assert rows(mini_store, "deadlines-between", ["month", "deadline", "quote", "city"],
                **{"from": "2024-01-01", "to": "2026-12-31"}) == [
        ("2024-11", "2024-11-30", "2024年11月底", "大连市"), ("2025-12", "2025-12-31", "2025年年底", "大连市")]
    assert rows(mini_store, "deadlines-between", ["quote"], **{"from": "2025-01-01", "to": "2025-06-30"}) == []


def test_documents_in_force_and_expiring(mini_store: Store) -> None:
    in_force = rows(mini_store, "documents-in-force", ["number"], date="2024-12-01")
    assert in_force == [(None,), ("厦府办规〔2024〕12号",), ("大委办发[2024]15号",)]
    # the Xiamen measures expire on 2025-10-11; the others state no end of validity
    assert ("厦府办规〔2024〕12号",) not in rows(mini_store, "documents-in-force", ["number"], date="2025-10-12")
    assert rows(mini_store, "documents-in-force", ["number"], date="2024-10-01") == []
    assert rows(mini_store, "documents-in-force", ["number"], date="2024-11-01") == [("厦府办规〔2024〕12号",), ("大委办发[2024]15号",)]
    assert rows(mini_store, "documents-expiring", ["number", "inForceUntil", "daysLeft"],
                date="2025-09-01", days="60") == [("厦府办规〔2024〕12号", "2025-10-11", 40)]
    assert rows(mini_store, "documents-expiring", ["number"], date="2025-09-01", days="30") == []


def test_topics_across_cities(mini_store: Store) -> None:
    assert rows(mini_store, "topic-across-cities", ["city", "measureNumber"], topic="以旧换新") == [
        ("厦门市", "1"), ("大连市", "17")]
    assert rows(mini_store, "topic-across-cities", ["city", "measureNumber"], topic="无还本续贷") == [("厦门市", "15")]
    assert rows(mini_store, "topic-across-cities", ["city", "measureNumber", "snippet"], topic="专精特新") == [
        ("厦门市", "3", "推进“专精特新”专板建设。支持两岸股权交易中心加快建设“专精特新”专板。")]
    matrix = {(t, c): n for t, c, n in rows(mini_store, "topics-by-city", ["topic", "city", "measures"])}
    assert matrix[("以旧换新", "厦门市")] == matrix[("以旧换新", "大连市")] == 1
    assert matrix[("无还本续贷", "大连市")] == 0 and matrix[("专精特新", "厦门市")] == 1


def test_industries_per_city_and_measures_per_industry(mini_store: Store) -> None:
    assert rows(mini_store, "measures-per-industry", ["industryLabel", "measures", "documents", "cities"]) == [
        ("金融服务业", 4, 2, "厦门市"), ("新能源产业", 1, 1, "大连市")]
    assert rows(mini_store, "measures-per-industry", ["industryLabel"], city="210200") == [("新能源产业",)]
    assert rows(mini_store, "industries-per-city", ["city", "industryLabel", "measures"]) == [
        ("厦门市", "金融服务业", 4), ("大连市", "新能源产业", 1)]
    assert rows(mini_store, "money-by-industry", ["industryLabel", "amounts", "largest"]) == [
        ("金融服务业", 5, 1.5e11)]


def test_co_responsibility_network(mini_store: Store) -> None:
    assert rows(mini_store, "co-responsible-agencies", ["agencyA", "agencyB", "sharedMeasures"], minimum="2") == [
        ("厦门市财政局", "厦门市商务局", 2)]
    assert len(rows(mini_store, "co-responsible-agencies", ["agencyA"], minimum="1")) == 9


def test_citations_targets_funds_rates(mini_store: Store) -> None:
    assert rows(mini_store, "citations", ["citedNumber", "inCorpus"]) == [("工信部联财函〔2024〕192号", False)]
    assert rows(mini_store, "targets-by-year", ["indicator", "value", "unit"], year="2025", city="大连市") == [
        ("举办具有影响力的大中型活动", 100.0, "场"), ("建成高标准农田", 43.0, "万亩")]
    assert rows(mini_store, "targets-by-year", ["indicator"], year="2030") == []
    assert rows(mini_store, "funds", ["fund", "size"]) == [
        ("基金", 1.5e11), ("技术创新基金", 5e10), ("供应链协作基金", 1e10), ("科创风投基金群", 1e10)]
    assert rows(mini_store, "rates", ["rate", "kind", "quote"], minimum="0.1") == [(0.5, "百分比", "50%")]


def test_search_overview_profile_and_evidence(mini_store: Store) -> None:
    assert rows(mini_store, "search-measures", ["measureNumber"], text="融资") == [("4",), ("15",)]
    overview = rows(mini_store, "document-overview", ["number", "measures", "amounts", "deadlines", "targets",
                                                      "citations"])
    assert overview == [(None, 3, 2, 0, 1, 1), ("厦府办规〔2024〕12号", 4, 4, 0, 0, 0), ("大委办发[2024]15号", 4, 0, 2, 2, 0)]
    assert rows(mini_store, "agency-profile", ["agencyLabel", "jurisdiction", "issued", "lead", "responsible",
                                               "partners"], agency="市工信局") == [
        ("厦门市工业和信息化局", "厦门市", 1, 1, 2, 4)]
    number, agencies, amounts = rows(mini_store, "document-measures", ["measureNumber", "agencies", "amounts"])[-1]
    assert (number, set(agencies.split("、")), amounts) == ("18", {"厦门市财政局", "厦门市科学技术局"}, 3)
    assert rows(mini_store, "document-measures", ["measureNumber", "leadAgencies"], document="pkgr:nothing") == []
    assert rows(mini_store, "document-measures", ["measureNumber", "leadAgencies", "deadlines"],
                document="大委办发[2024]15号") == [("11", None, 1), ("17", None, 0), ("19", None, 0), ("24", None, 1)]
    assert rows(mini_store, "document-measures", ["measureNumber", "leadAgencies"],
                document="https://w3id.org/policykg/eli/cn/350200/2024/t-5d41402a")[-1] == ("3", "厦门市工业和信息化局")
    evidence = rows(mini_store, "measure-evidence", ["kind", "quote"])
    assert ("AmountMention", "最高补助30万元") in evidence and ("Rate", "50%") in evidence


def test_mini_fixture_offsets_point_at_their_quotes(mini_store: Store) -> None:
    texts = {q.subject: q.object.value for q in mini_store.quads_for_pattern(None, PKG.text, None)
             if q.subject == q.graph_name}
    checked = 0
    for quad in mini_store.quads_for_pattern(None, OA.hasSource, None):
        selectors = [q.object for q in mini_store.quads_for_pattern(quad.subject, OA.hasSelector, None)]
        values = {q.predicate: q.object.value for s in selectors for q in mini_store.quads_for_pattern(s, None, None)}
        start, end = int(values[OA.start]), int(values[OA.end])
        assert texts[quad.object][start:end] == values[OA.exact]
        checked += 1
    assert checked > 40


# --- parameters ----------------------------------------------------------------

@pytest.mark.parametrize("query", [q for q in QUERIES if any(p.type == "string" for p in q.params)],
                         ids=lambda q: q.name)
@pytest.mark.parametrize("attack", INJECTIONS)
def test_injection_attempts_are_inert(query: NamedQuery, attack: str, mini_store: Store) -> None:
    store = mini_store
    before = len(store)
    for param in query.params:
        if param.type == "string":
            result = run_query(store, query, {param.name: attack})
            assert result.rows == [] or query.name in ("topics-by-city",)
    assert len(store) == before


def test_values_are_bound_as_typed_terms() -> None:
    query = get_query("deadlines-between")
    terms = bind_params(query, {"from": "2025-01-01"})
    assert terms["from"] == Literal("2025-01-01", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    assert terms["to"].value == "2026-12-31"  # the default
    assert parse_value(QueryParam("t", "decimal", ""), "1e8").value == "100000000"
    assert parse_value(QueryParam("s", "string", ""), '"} DROP ALL #') == Literal('"} DROP ALL #')


@pytest.mark.parametrize("name, params, message", [
    ("amounts-above", {"threshold": "一亿"}, "parameter threshold: '一亿' is not a decimal number"),
    ("deadlines-between", {"from": "2025-13-01"}, "parameter from: '2025-13-01' is not a date"),
    ("co-responsible-agencies", {"minimum": "two"}, "parameter minimum: 'two' is not an integer"),
    ("measure-evidence", {"measure": '"} DROP ALL #'}, "parameter measure: '\"} DROP ALL #' is not an absolute IRI"),
    ("amounts-above", {"limit": "3"}, "query amounts-above has no parameter 'limit'"),
])
def test_bad_values_name_the_parameter(mini_store: Store, name: str, params: dict, message: str) -> None:
    with pytest.raises(PolicyKGError) as caught:
        run_query(mini_store, name, params)
    assert message in str(caught.value)


def test_unknown_query_lists_the_known_ones(mini_store: Store) -> None:
    with pytest.raises(PolicyKGError, match="known queries: agencies-ranked"):
        run_query(mini_store, "no-such-query")


@pytest.mark.parametrize("text, problem", [
    ("SELECT * {}", "title"),
    ("# title: 只有中文\nSELECT * {}", "title"),
    ("# title: 标题 / Title\nSELECT * {}", "description"),
    ("# title: 标题 / Title\n# description: d\n# param: n number 1 d\nSELECT * {}", "unknown type 'number'"),
])
def test_bad_headers_are_reported(text: str, problem: str) -> None:
    with pytest.raises(PolicyKGError, match=problem):
        parse_query(text, "bad")


def test_quoted_defaults_and_continuation_lines() -> None:
    query = parse_query('# title: 标 / T\n# description: one\n#   two\n# param: city string "" City or ""\n'
                        'SELECT $city {}', "q")
    assert query.description == "one two"
    assert query.params == (QueryParam("city", "string", "", 'City or ""'),)


# --- output formats --------------------------------------------------------------

def test_output_formats(mini_store: Store) -> None:
    result = run_query(mini_store, "amounts-above", {"threshold": "1e10"})
    table = result.format("table")
    assert table.splitlines()[0].split()[:3] == ["value", "qualifier", "perUnit"]
    assert "150000000000" in table and "从300亿元扩大到500亿元" in table
    parsed = list(csv.DictReader(io.StringIO(result.format("csv"))))
    assert [r["quote"] for r in parsed] == ["1500亿元", "从300亿元扩大到500亿元", "总规模100亿元", "100亿元"]
    tsv = list(csv.DictReader(io.StringIO(result.format("tsv")), delimiter="\t"))
    assert tsv == parsed
    sparql_json = json.loads(result.format("json"))
    assert sparql_json["head"]["vars"] == result.variables
    first = sparql_json["results"]["bindings"][0]
    assert first["value"]["datatype"].endswith("#double") and first["documentTitle"]["xml:lang"] == "zh"
    assert "qualifier" in first  # the empty string for Exact is bound; absent values are left out
    with pytest.raises(PolicyKGError, match="unknown output format"):
        result.format("xlsx")


def test_readme_lists_every_query_with_its_parameters() -> None:
    readme = (MINI.parents[3] / "queries" / "README.md").read_text(encoding="utf-8")
    for query in QUERIES:
        assert f"### `{query.name}`: {query.title_zh} / {query.title_en}" in readme
        for param in query.params:
            assert f"| `{param.name}` | {param.type} |" in readme


# --- exact rows on the store built from the sample corpus (tests/conftest.py: built_store) ---------------
# Expected values are read off the source documents themselves (their 责任单位 / 牵头单位 lists, the
# amounts and dates they print), not copied from the pipeline's output.

MEASURES_DOC = "厦门市进一步巩固经济回升向好基础加快发展动能转换的若干措施"


@pytest.fixture(scope="module")
def sample_store(built_store) -> Store:
    if isinstance(built_store, Store):
        return built_store
    from kg.queries import open_store

    return open_store(Path(getattr(built_store, "store", built_store)))


def _in_document(records: list[dict], title_start: str) -> list[dict]:
    return [r for r in records if str(r.get("documentTitle") or "").startswith(title_start)]


def test_sample_measures_of_the_finance_bureau(sample_store: Store) -> None:
    records = run_query(sample_store, "measures-by-agency", {"agency": "厦门市财政局"}).records()
    in_measures_doc = _in_document(records, "厦门市进一步巩固经济回升向好基础")
    # 000_baf51a30e025ba03.txt: 财政局 is named in the 责任单位 of measures 1, 5-10, 16, 18, 20 and 21
    assert [(r["role"], r["measureNumber"]) for r in in_measures_doc] == [
        ("负责", n) for n in ("1", "5", "6", "7", "8", "9", "10", "16", "18", "20", "21")]
    same = run_query(sample_store, "measures-by-agency", {"agency": "市财政局"}).records()
    assert len(same) == len(records)


def test_sample_measures_come_with_their_chapters(sample_store: Store) -> None:
    records = run_query(sample_store, "document-measures", {"document": "厦府办规〔2024〕12号"}).records()
    # 000_baf51a30e025ba03.txt: 一、持续激发消费活力 holds measures 1–5, 二、突出重点扩大有效投资 starts at 6
    assert [(r["chapter"], r["measureNumber"]) for r in records[:6]] == [
        *(("持续激发消费活力", str(n)) for n in range(1, 6)), ("突出重点扩大有效投资", "6")]
    assert all(r["chapter"] for r in records)


def test_sample_agencies_ranked_lead(sample_store: Store) -> None:
    ranked = run_query(sample_store, "agencies-ranked", {"city": "厦门市"}).records()
    leads = {r["agencyLabel"]: r["lead"] for r in ranked}
    # 001_2ec3c0742d66132a.txt: 牵头单位 市工信局 ×4, 市科技局 ×2, 市商务局、交通局、会展局, 市文发办、文旅局
    assert leads["厦门市工业和信息化局"] == 4 and leads["厦门市科学技术局"] == 2
    assert leads["厦门市商务局"] == leads["厦门市交通运输局"] == leads["厦门市文化和旅游局"] == 1
    totals = [r["total"] for r in ranked]
    assert totals == sorted(totals, reverse=True)
    assert ranked[0]["agencyLabel"] == "厦门市工业和信息化局"
    assert not any(r["agencyLabel"].startswith("大连") for r in ranked)


def test_sample_amounts_above_one_hundred_million(sample_store: Store) -> None:
    records = run_query(sample_store, "amounts-above", {"threshold": "100000000"}).records()
    # measure 18 of the Xiamen measures is the only place in that document with 亿元 figures
    assert [(r["value"], r["quote"], r["measureNumber"]) for r in _in_document(records, "厦门市进一步")] == [
        (50000000000, "从300亿元扩大到500亿元", "18"), (40000000000, "从300亿元扩大到400亿元", "18"),
        (10000000000, "100亿元", "18")]
    assert all(r["value"] >= 100000000 for r in records)
    assert ("总规模100亿元" in {r["quote"] for r in records}) or ("100亿元" in {r["quote"] for r in records})


def test_sample_topics_across_cities(sample_store: Store) -> None:
    def by_city(topic: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for r in run_query(sample_store, "topic-across-cities", {"topic": topic}).records():
            out.setdefault(r["city"], []).append(r["measureNumber"])
        return out

    trade_in = by_city("以旧换新")
    assert trade_in["大连市"] == ["17"]
    assert {"1", "18"} <= set(trade_in["厦门市"]) and len(trade_in["厦门市"]) == 4
    renewal = by_city("无还本续贷")
    assert len(renewal["大连市"]) == 1 and "15" in renewal["厦门市"]
    assert set(by_city("专精特新")) == {"厦门市", "大连市"}


def test_sample_deadlines_documents_citations(sample_store: Store) -> None:
    deadlines = run_query(sample_store, "deadlines-between", {"from": "2024-11-01", "to": "2024-11-30"}).records()
    assert [(r["quote"], r["measureNumber"], r["city"]) for r in deadlines] == [("2024年11月底", "11", "大连市")]
    numbers = {r["number"] for r in run_query(sample_store, "documents-in-force", {"date": "2025-06-01"}).records()}
    assert "厦府办规〔2024〕12号" in numbers
    numbers = {r["number"] for r in run_query(sample_store, "documents-in-force", {"date": "2025-10-12"}).records()}
    assert "厦府办规〔2024〕12号" not in numbers  # 有效期1年 from 2024-10-12
    expiring = run_query(sample_store, "documents-expiring", {"date": "2025-09-01", "days": "60"}).records()
    assert [(r["number"], r["inForceUntil"]) for r in expiring] == [("厦府办规〔2024〕12号", "2025-10-11")]
    cited = {r["citedNumber"] for r in run_query(sample_store, "citations").records()}
    assert "工信部联财函〔2024〕192号" in cited


def test_sample_targets_and_funds(sample_store: Store) -> None:
    targets = run_query(sample_store, "targets-by-year", {"year": "2025", "city": "大连市"}).records()
    # 004_06c92270eb12ce97.txt measure 24: 2025年年底建成43万亩高标准农田 (in 亩 or in 万亩)
    assert any(r["quote"] == "建成43万亩高标准农田" and (r["value"], r["unit"]) in ((430000, "亩"), (43, "万亩"))
               for r in targets)
    funds = {(r["fund"], r["size"]) for r in run_query(sample_store, "funds").records()}
    assert {("供应链协作基金", 10000000000), ("技术创新基金", 50000000000), ("科创风投基金群", 10000000000)} <= funds


def test_sample_every_query_runs(sample_store: Store) -> None:
    for query in QUERIES:
        result = run_query(sample_store, query)
        assert result.variables, query.name


def test_sample_rows_are_distinct(sample_store: Store) -> None:
    """Nodes described in several document graphs (inferred agencies, cited documents) appear once
    per graph in the union default graph; no query may repeat a row because of that."""
    for query in QUERIES:
        rows_as_text = [tuple(str(term) for term in row) for row in run_query(sample_store, query).rows]
        assert len(rows_as_text) == len(set(rows_as_text)), query.name
