"""The static site: pages at IRI paths, escaping, links, HTML sanity, sizes, CLI.

Most tests run on the hand-written graph ``tests/fixtures/site/mini.trig``; the
``sample_site`` tests run on the bundled sample corpus built by the ``built_store``
fixture.
"""

from __future__ import annotations

import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.errors import PolicyKGError
from kg.site import generate_site, generate_site_from_store, page_path, segment_text, Highlight

FIXTURE = Path(__file__).parent / "fixtures" / "site" / "mini.trig"
DOC = "eli/cn/350200/2024/xfbg-12/"
HOSTILE = "eli/cn/350200/2024/t-0badc0de/"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
MAX_PAGE_BYTES = 500_000


def mini_store() -> ox.Store:
    store = ox.Store()
    store.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    return store


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("mini") / "site"
    generate_site_from_store(mini_store(), out, build_date=date(2025, 6, 1))
    return out


@pytest.fixture(scope="session")
def sample_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    store = request.getfixturevalue("built_store")
    out = tmp_path_factory.mktemp("sample") / "site"
    if isinstance(store, (str, Path)):
        summary = generate_site(Path(store), out, build_date=date(2025, 6, 1))
    else:
        summary = generate_site_from_store(store, out, build_date=date(2025, 6, 1))
    return out, summary, store


def read(site: Path, path: str) -> str:
    return (site / unquote(path) / "index.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- HTML helpers


class PageParser(HTMLParser):
    """Collects links, ids, h1s, scripts, and checks that elements nest and close."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: list[str] = []
        self.h1 = 0
        self.lang: str | None = None
        self.viewport = False
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.json_ld: list[str] = []
        self._in_json_ld = False
        self.text_chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang")
        if tag == "meta" and values.get("name") == "viewport":
            self.viewport = True
        if tag == "h1":
            self.h1 += 1
        if tag == "a" and "a" in self.stack:
            self.problems.append("nested <a>")
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(values[name])  # type: ignore[arg-type]
        if values.get("id"):
            self.ids.append(values["id"])  # type: ignore[arg-type]
        if tag == "script" and values.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID and tag not in ("rect", "path", "circle", "line"):
            self.problems.append(f"self-closed <{tag}/>")
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_json_ld:
            self.json_ld[-1] += data
        elif not self.stack or self.stack[-1] not in ("script", "style"):
            self.text_chunks.append(data)


def parse_page(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


def broken_links(site: Path) -> list[str]:
    """Every internal href/src that does not resolve to a file (or to an id in it)."""
    parsed = {page: parse_page(page) for page in html_pages(site)}
    ids = {page.resolve(): set(p.ids) for page, p in parsed.items()}
    problems = []
    for page, parser in parsed.items():
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith("mailto:"):
                continue
            if page.name == "404.html" and parts.path.startswith("/"):
                target = site / parts.path.lstrip("/")
            elif parts.path:
                target = (page.parent / unquote(parts.path))
            else:
                target = page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                problems.append(f"{page.relative_to(site)}: {link}")
                continue
            if parts.fragment and target.suffix == ".html":
                if target.resolve() not in ids:
                    ids[target.resolve()] = set(parse_page(target).ids)
                if parts.fragment not in ids[target.resolve()]:
                    problems.append(f"{page.relative_to(site)}: {link} (no such id)")
    return problems


# --------------------------------------------------------------------------- the mini graph


def test_entity_pages_sit_at_their_iri_paths(mini_site: Path) -> None:
    expected = [
        DOC, DOC + "measure/1-1/", DOC + "measure/1-2/", DOC + "part/1/", HOSTILE, HOSTILE + "measure/1-1/",
        "agency/350200/caizhengju/", "agency/350200/shangwuju/", "agency/350200/gongxinju/",
        "agency/350200/shizhengfubangongting/", "industry/electronic-information/",
        "industry/new-energy-vehicles/", "industry/advanced-manufacturing/", "place/350200/",
        "cited/t-5a1c0e2b/",
    ]
    for path in expected:
        folder = mini_site / path
        assert (folder / "index.html").is_file(), path
        assert (folder / "index.ttl").is_file(), path
        assert (folder / "index.jsonld").is_file(), path
    for path in ("", "documents/", "agency/", "industry/", "place/", "money/", "deadlines/", "queries/",
                 "data/", "search/"):
        assert (mini_site / path / "index.html").is_file(), path
    assert (mini_site / "404.html").is_file()
    assert (mini_site / "data" / "policykg.nq").stat().st_size > 0
    measures = list(mini_site.glob("eli/**/measure/*/index.html"))
    assert len(measures) == 3


def test_page_path_follows_the_iri() -> None:
    assert page_path("https://w3id.org/policykg/eli/cn/350200/2024/xfbg-12/measure/1-5") == \
        "eli/cn/350200/2024/xfbg-12/measure/1-5/"
    assert page_path("https://w3id.org/policykg/ontology#Measure") is None


def test_linked_data_beside_each_page_describes_the_entity(mini_site: Path) -> None:
    measure = "https://w3id.org/policykg/" + DOC + "measure/1-1"
    graph = ox.Store()
    graph.load(path=str(mini_site / DOC / "measure/1-1/index.ttl"), format=ox.RdfFormat.TURTLE)
    subjects = {quad.subject.value for quad in graph}
    assert measure in subjects
    # the facts of the measure travel with it, with their evidence selectors
    assert "https://w3id.org/policykg/" + DOC + "amount/185-190" in subjects
    assert "https://w3id.org/policykg/" + DOC + "amount/185-190/source/position" in subjects
    from_jsonld = ox.Store()
    from_jsonld.load(path=str(mini_site / DOC / "measure/1-1/index.jsonld"), format=ox.RdfFormat.JSON_LD)
    assert len(from_jsonld) == len(graph)

    page = parse_page(mini_site / DOC / "measure/1-1/index.html")
    assert len(page.json_ld) == 1
    embedded = json.loads(page.json_ld[0])
    assert embedded[0]["@id"] == measure
    html = read(mini_site, DOC + "measure/1-1/")
    assert 'rel="alternate" type="text/turtle" href="index.ttl"' in html
    assert 'rel="alternate" type="application/ld+json" href="index.jsonld"' in html


def test_document_page_shows_metadata_toc_and_highlighted_text(mini_site: Path) -> None:
    html = read(mini_site, DOC)
    for expected in ("厦府办规〔2024〕12号", "2024-10-12", "至 2025-10-11", "此件主动公开", "厦门市人民政府办公厅",
                     'href="#p-1-1"', 'href="#p-1-2"', "持续激发消费活力"):
        assert expected in html, expected
    # an amount, linked to its measure's page where the fact is listed
    assert re.search(r'<a class="ent k-amount" href="[./]*eli/cn/350200/2024/xfbg-12/measure/1-1/#e-185-190" '
                     r'id="e-185-190" title="金额：最高2万元">最高2万元</a>', html)
    # an agency, linked to its page
    assert re.search(r'<a class="ent k-agency" href="[./]*agency/350200/caizhengju/"[^>]*>市财政局</a>', html)
    # the citation links to the cited document's page
    assert re.search(r'class="ent k-citation" href="[./]*cited/t-5a1c0e2b/"', html)
    # every kind present appears in the legend
    for kind in ("amount", "rate", "date", "duration", "target", "agency", "industry", "citation"):
        assert f'<li><span class="ent k-{kind}">' in html, kind


def test_overlapping_spans_split_into_inner_and_outer_pieces(mini_site: Path) -> None:
    html = read(mini_site, DOC)
    # the date 到2025年 sits inside the target 到2025年新增规上企业400家
    assert re.search(r'class="ent k-date"[^>]*id="e-270-276"[^>]*>到2025年</a>'
                     r'<a class="ent k-target"[^>]*id="e-270-286"[^>]*>新增规上企业400家</a>', html)


def test_segments_cover_the_text_exactly() -> None:
    text = "abcdefghij"
    highlights = [Highlight(2, 8, "target", None, "t", "a"), Highlight(3, 5, "date", "x/", "d", "b"),
                  Highlight(7, 12, "amount", None, "m", "c")]
    segments = segment_text(text, highlights, [(0, {"anchor": "p"}), (4, {"anchor": "q"})])
    assert "".join(s.text for s in segments) == text
    assert [s.provision["anchor"] for s in segments if s.provision] == ["p", "q"]
    assert [s.anchor for s in segments if s.anchor] == ["a", "b", "c"]


def test_measure_page_lists_agencies_amounts_rates_deadlines_targets(mini_site: Path) -> None:
    first = read(mini_site, DOC + "measure/1-1/")
    assert "牵头" in first and "厦门市商务局" in first and "厦门市财政局" in first
    assert "最高2万元" in first and "个人消费者" in first
    assert "2025-12-31" in first and "未到期" in first
    assert "新能源汽车产业" in first
    second = read(mini_site, DOC + "measure/1-2/")
    assert "10%" in second and "不超过50万元" in second and "每家企业" in second
    assert "新增规上企业" in second and "400家" in second
    assert 'rel="prev"' in second
    # its place in the document
    assert "持续激发消费活力" in second


def test_agency_industry_and_place_pages(mini_site: Path) -> None:
    agency = read(mini_site, "agency/350200/caizhengju/")
    assert "厦门市财政局" in agency and "市财政局" in agency
    assert "加快释放以旧换新政策效应" in agency  # a measure it is responsible for
    assert "厦门市商务局" in agency  # co-responsible
    assert "http://www.wikidata.org/entity/Q0000000" in agency  # external identifier
    industry = read(mini_site, "industry/electronic-information/")
    assert "先进制造业" in industry and "支持电子信息产业发展" in industry and "厦门市" in industry
    parent = read(mini_site, "industry/advanced-manufacturing/")
    assert "电子信息产业集群" in parent and "新能源汽车产业" in parent
    place = read(mini_site, "place/350200/")
    assert "厦门市促进消费若干措施" in place and "福建省" in place


def test_home_money_and_deadlines_pages(mini_site: Path) -> None:
    home = read(mini_site, "")
    assert "52万元" in home  # 2万 + 50万 mentioned
    assert "厦门市促进消费若干措施" in home
    money = read(mini_site, "money/")
    table = money[money.index("<tbody>"):]
    assert table.index(">50万元<") < table.index(">2万元<")  # largest first
    assert "<svg" in money and "电子信息产业集群" in money
    deadlines = read(mini_site, "deadlines/")
    assert "2025-12" in deadlines and "未到期" in deadlines


def test_deadline_state_follows_the_build_date(tmp_path: Path) -> None:
    out = tmp_path / "site"
    generate_site_from_store(mini_store(), out, build_date=date(2026, 1, 15), search_index=False)
    deadlines = read(out, "deadlines/")
    assert "已到期 2" in deadlines and "未到期 0" in deadlines
    assert "已失效" in read(out, DOC)


def test_queries_and_data_pages(mini_site: Path) -> None:
    from kg.queries import list_queries

    queries = read(mini_site, "queries/")
    for query in list_queries():
        assert f'id="q-{query.name}"' in queries
    data = read(mini_site, "data/")
    assert "policykg.nq" in data and "policykg.trig" in data and "policykg.jsonld" in data
    # the ontology's classes, each with an example taken from the corpus
    measure_row = re.search(r'<tr id="pkg-Measure">(.*?)</tr>', data, re.S)
    assert measure_row is not None
    assert re.search(r'href="\.\./eli/cn/350200/2024/[^"]+/measure/1-\d/"', measure_row.group(1))
    dump = ox.Store()
    dump.load(path=str(mini_site / "data" / "policykg.nq"), format=ox.RdfFormat.N_QUADS)
    assert len(dump) == len(mini_store())


def test_compressed_dumps_hold_the_whole_graph(mini_site: Path) -> None:
    import gzip

    expected = len(mini_store())
    for name, fmt in (("policykg.trig.gz", ox.RdfFormat.TRIG), ("policykg.jsonld.gz", ox.RdfFormat.JSON_LD)):
        dump = ox.Store()
        dump.load(gzip.decompress((mini_site / "data" / name).read_bytes()), format=fmt)
        assert len(dump) == expected, name
    assert 'href="policykg.trig.gz"' in read(mini_site, "data/")


def test_linked_data_is_the_same_read_from_memory_or_from_a_store_on_disk(tmp_path: Path) -> None:
    """Linked data is written graph by graph from any store: from the site's copy in
    memory or from the store on disk, the files are the same graphs."""
    import kg.site

    memory = mini_store()
    disk = ox.Store(str(tmp_path / "store"))
    disk.bulk_extend(memory)
    disk.flush()
    corpus = kg.site.assemble(kg.site.read_graph(memory))
    written = {}
    for name, store in (("memory", memory), ("disk", disk)):
        out = tmp_path / name
        embedded, files, size = kg.site.write_linked_data(store, corpus, out)
        assert files == 2 * len(embedded) and size > 0
        written[name] = {path.relative_to(out): comparable(path) for path in out.rglob("*") if path.is_file()}
    assert written["memory"].keys() == written["disk"].keys()
    assert [path for path in written["memory"] if written["memory"][path] != written["disk"][path]] == []
    assert len(written["disk"]) > 20
    measure = written["disk"][Path(DOC + "measure/1-1/index.ttl")]
    assert any("amount/185-190" in triple for triple in measure)  # a fact travels with its measure


EMBEDDED = re.compile(r'(<script type="application/ld\+json">)(.*?)(</script>)', re.S)


def comparable(path: Path) -> object:
    """A file's content with its RDF as a set of triples (the order of statements may differ)."""
    formats = {".ttl": ox.RdfFormat.TURTLE, ".jsonld": ox.RdfFormat.JSON_LD, ".nq": ox.RdfFormat.N_QUADS}
    if path.suffix in formats and path.parent.name != "data":  # data/ holds copied files
        return frozenset(str(quad) for quad in ox.parse(path=str(path), format=formats[path.suffix]))
    data = path.read_bytes()
    if path.suffix != ".html":
        return data
    text = data.decode("utf-8")
    graphs = [frozenset(str(q) for q in ox.parse(m.group(2).encode("utf-8"), format=ox.RdfFormat.JSON_LD))
              for m in EMBEDDED.finditer(text)]
    return EMBEDDED.sub(r"\1\3", text), graphs


def test_listings_are_split_over_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Listings that grow with the corpus are paged, every row on some page, none dropped."""
    import kg.site

    monkeypatch.setattr(kg.site, "LISTING_ROWS", 1)
    out = tmp_path / "site"
    generate_site_from_store(mini_store(), out, build_date=date(2025, 6, 1), search_index=False)
    money = [read(out, "money/"), read(out, "money/page/2/")]
    tables = [page[page.index("<tbody>"):] for page in money]
    assert ">50万元<" in tables[0] and ">2万元<" not in tables[0]  # largest first
    assert ">2万元<" in tables[1] and ">50万元<" not in tables[1]
    assert not (out / "money" / "page" / "3").exists()
    assert all("52万元" in page for page in money)  # the total counts every amount
    assert 'href="../../../money/"' in money[1] and '<strong aria-current="page">2</strong>' in money[1]
    deadlines = [read(out, "deadlines/"), read(out, "deadlines/page/2/")]
    assert all("已到期 0" in page and "未到期 2" in page for page in deadlines)  # counts are of all rows
    assert [page.count('class="upcoming"') for page in deadlines] == [1, 1]
    for listing in ("agency/", "documents/"):
        page = read(out, listing)
        assert '<nav class="pages"' in page and f'href="../{listing}page/2/"' in page
    assert broken_links(out) == []


def test_untrusted_text_is_shown_as_text(mini_site: Path) -> None:
    for page in html_pages(mini_site):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert(1)</script>" not in html, page
    document = read(mini_site, HOSTILE)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert "{{ 7*7 }}" in document  # never rendered as a template
    measure = read(mini_site, HOSTILE + "measure/1-1/")
    assert "与{{ 7*7 }}的措施" in measure and "与49的措施" not in measure and "&lt;script&gt;" in measure
    parsed = parse_page(mini_site / HOSTILE / "index.html")
    title = json.loads(parsed.json_ld[0])[0]["http://data.europa.eu/eli/ontology#title"][0]["@value"]
    assert title == "测试文件<script>alert(1)</script>{{ 7*7 }}"


def test_every_internal_link_resolves(mini_site: Path) -> None:
    assert broken_links(mini_site) == []


def test_pages_are_well_formed_with_lang_viewport_and_one_h1(mini_site: Path) -> None:
    for page in html_pages(mini_site):
        parsed = parse_page(page)
        name = page.relative_to(mini_site)
        assert parsed.problems == [], (name, parsed.problems[:3])
        assert parsed.stack == [], (name, parsed.stack)
        assert parsed.lang == "zh-CN", name
        assert parsed.viewport, name
        assert parsed.h1 == 1, name
        assert len(parsed.ids) == len(set(parsed.ids)), name


def test_pages_stay_small(mini_site: Path) -> None:
    for page in html_pages(mini_site):
        assert page.stat().st_size < MAX_PAGE_BYTES, page


def test_search_index_covers_documents_and_measures_only(mini_site: Path) -> None:
    assert (mini_site / "pagefind" / "pagefind.js").is_file()
    assert "data-pagefind-body" in read(mini_site, DOC)
    assert "data-pagefind-body" in read(mini_site, DOC + "measure/1-1/")
    assert "data-pagefind-body" not in read(mini_site, "agency/350200/caizhengju/")
    search = read(mini_site, "search/")
    assert "<noscript>" in search and "需要浏览器启用 JavaScript" in search


def test_search_index_is_written_in_parts_covering_every_page_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind holds what it indexes in memory, so a large site is indexed in parts:
    each part a bundle of its own, every document and measure page in exactly one."""
    import kg.site

    monkeypatch.setattr(kg.site, "SEARCH_PART_DOCUMENTS", 1)
    out = tmp_path / "site"
    summary = generate_site_from_store(mini_store(), out, build_date=date(2025, 6, 1))
    assert summary.search_indexed
    parts = json.loads((out / "search" / "parts.json").read_text(encoding="utf-8"))["parts"]
    assert len(parts) >= 2 and [part["bundle"] for part in parts][:2] == ["pagefind/", "pagefind-2/"]
    indexed = 0
    for part in parts:
        entry = json.loads((out / part["bundle"] / "pagefind-entry.json").read_text(encoding="utf-8"))
        indexed += sum(language["page_count"] for language in entry["languages"].values())
    searchable = [page for page in html_pages(out) if "data-pagefind-body" in page.read_text(encoding="utf-8")]
    assert indexed == len(searchable) == summary.documents + summary.measures
    bundles = re.search(r'data-bundles="([^"]*)"', read(out, "search/")).group(1)
    assert json.loads(bundles.replace("&#34;", '"')) == [part["bundle"] for part in parts]


def test_templates_folder_overrides_bundled_templates(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "404.html").write_text(
        '{% extends "base.html" %}{% block title %}x{% endblock %}'
        "{% block content %}<h1>THEMED-404</h1>{% endblock %}", encoding="utf-8")
    out = tmp_path / "site"
    generate_site_from_store(mini_store(), out, templates_dir=theme, search_index=False)
    assert "THEMED-404" in (out / "404.html").read_text(encoding="utf-8")
    assert "THEMED-404" not in read(out, "")


def test_output_folder_is_replaced_but_foreign_folders_are_refused(tmp_path: Path) -> None:
    out = tmp_path / "site"
    generate_site_from_store(mini_store(), out, search_index=False)
    (out / "stale.html").write_text("old", encoding="utf-8")
    generate_site_from_store(mini_store(), out, search_index=False)
    assert not (out / "stale.html").exists()
    assert (out / "index.html").is_file()
    assert not list(tmp_path.glob(".site.*"))  # no staging folders left behind

    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(PolicyKGError, match="not a PolicyKG site"):
        generate_site_from_store(mini_store(), foreign, search_index=False)
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_base_url_gives_canonical_links(tmp_path: Path) -> None:
    out = tmp_path / "site"
    generate_site_from_store(mini_store(), out, base_url="https://example.org/kg", search_index=False)
    html = read(out, DOC)
    assert f'<link rel="canonical" href="https://example.org/kg/{DOC}">' in html
    assert 'href="../../../../../documents/"' in html  # links stay relative


def test_site_command_writes_the_site(tmp_path: Path) -> None:
    from kg.cli import cli

    store_dir = tmp_path / "store"
    store = ox.Store(str(store_dir))
    store.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    store.flush()
    del store
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["site", "--out", str(out), "--store", str(store_dir), "--no-search"])
    assert result.exit_code == 0, result.output
    assert "2 documents" in result.output
    assert (out / DOC / "index.html").is_file()

    missing = CliRunner().invoke(cli, ["site", "--out", str(out), "--store", str(tmp_path / "nope")])
    assert missing.exit_code == 1
    assert "error:" in missing.output and "Traceback" not in missing.output


# --------------------------------------------------------------------------- the sample corpus


def test_sample_corpus_site_has_a_page_per_document_and_measure(sample_site) -> None:
    site, summary, _ = sample_site
    assert summary.documents == 5
    documents = [p for p in site.glob("eli/cn/*/*/*/index.html")]
    assert len(documents) == 5
    measures = list(site.glob("eli/**/measure/**/index.html"))
    assert len(measures) == summary.measures > 100
    home = read(site, "")
    assert "厦门市" in home and "大连市" in home


def test_sample_corpus_site_links_resolve_and_pages_are_valid(sample_site) -> None:
    site, _, _ = sample_site
    assert broken_links(site) == []
    for page in html_pages(site):
        parsed = parse_page(page)
        assert parsed.problems == [] and parsed.stack == [], (page, parsed.problems[:3])
        assert parsed.lang == "zh-CN" and parsed.h1 == 1, page
        is_document = re.fullmatch(r"eli/cn/[^/]+/[^/]+/[^/]+/index\.html", str(page.relative_to(site)))
        if not is_document:
            assert page.stat().st_size < MAX_PAGE_BYTES, page


def test_sample_corpus_document_text_is_highlighted(sample_site) -> None:
    site, _, _ = sample_site
    pages = [p.read_text(encoding="utf-8") for p in site.glob("eli/cn/*/*/*/index.html")]
    assert all('class="doc-text"' in html for html in pages)
    assert sum(html.count('class="ent k-') for html in pages) > 200
    assert any("k-amount" in html for html in pages) and any("k-agency" in html for html in pages)
