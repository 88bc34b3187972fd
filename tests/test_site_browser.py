"""The generated site in headless Chromium: home page, Chinese search, entity links,
and screenshots of the main page types (saved in tests/artifacts/, gitignored).

Runs on the sample corpus site when the ``built_store`` fixture is available, else
on the hand-written graph of tests/fixtures/site/.
"""

from __future__ import annotations

import contextlib
import functools
import json
import threading
from datetime import date
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

from kg.site import generate_site, generate_site_from_store

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
FIXTURE = Path(__file__).parent / "fixtures" / "site" / "mini.trig"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def _generate(request: pytest.FixtureRequest, out: Path) -> Path:
    try:
        store = request.getfixturevalue("built_store")
    except pytest.FixtureLookupError:
        import pyoxigraph as ox

        store = ox.Store()
        store.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    if isinstance(store, (str, Path)):
        generate_site(Path(store), out, build_date=date(2025, 6, 1))
    else:
        generate_site_from_store(store, out, build_date=date(2025, 6, 1))
    return out


@contextlib.contextmanager
def _served(site_dir: Path) -> Iterator[str]:
    """The site served by the standard library on 127.0.0.1 under a sub-folder,
    as a static host that publishes it below a path would."""
    handler = functools.partial(QuietHandler, directory=str(site_dir.parent))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{site_dir.name}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def site_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(request, tmp_path_factory.mktemp("browser") / "site")


@pytest.fixture(scope="module")
def base_url(site_dir: Path) -> Iterator[str]:
    with _served(site_dir) as url:
        yield url


@pytest.fixture(scope="module")
def parted_base_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same site with its search index written in parts of one folder each."""
    import kg.site

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kg.site, "SEARCH_PART_DOCUMENTS", 1)
        site = _generate(request, tmp_path_factory.mktemp("parted") / "site")
    with _served(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: apt-get install -y chromium")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], errors


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def test_home_page_opens_with_counts_and_entry_points(page, base_url: str) -> None:
    page.goto(base_url)
    assert page.locator("h1").inner_text() == "政策知识图谱"
    assert page.locator(".stats li").count() == 5
    assert page.locator(".doc-list li a").count() >= 1
    shot(page, "home")


def test_search_a_chinese_word_and_follow_a_result(page, base_url: str) -> None:
    page.goto(base_url + "search/")
    page.fill("#search-q", "以旧换新")
    page.press("#search-q", "Enter")
    first = page.locator("#search-results li a").first
    first.wait_for(timeout=15000)
    assert "以旧换新" in page.locator("#search-results").inner_text()
    shot(page, "search")
    first.click()
    page.wait_for_load_state()
    assert "以旧换新" in page.locator("main").inner_text()
    assert page.url.startswith(base_url)  # result links stay under the sub-folder


def test_search_merges_the_parts_of_a_large_index(page, parted_base_url: str) -> None:
    """A search covers every part of an index written in parts (one bundle per folder here)."""
    page.goto(parted_base_url + "search/")
    bundles = json.loads(page.locator("#search-app").get_attribute("data-bundles"))
    assert len(bundles) >= 2 and bundles[0] == "pagefind/"
    page.fill("#search-q", "以旧换新")
    page.press("#search-q", "Enter")
    page.locator("#search-results li a").first.wait_for(timeout=15000)
    links = page.locator("#search-results li a").evaluate_all("links => links.map(a => a.href)")
    # each eli/cn/{division}/{year} folder is a part of its own here
    folders = {"/".join(link[len(parted_base_url):].split("/")[:4]) for link in links if "/eli/" in link}
    assert len(folders) >= 2, links  # results from more than one part
    assert all(link.startswith(parted_base_url) for link in links)


def test_search_from_the_home_page_form(page, base_url: str) -> None:
    page.goto(base_url)
    page.fill("#home-q", "以旧换新")
    page.press("#home-q", "Enter")
    page.locator("#search-results li a").first.wait_for(timeout=15000)
    assert page.input_value("#search-q") == "以旧换新"


def test_follow_a_highlighted_entity_to_its_page(page, base_url: str) -> None:
    page.goto(base_url + "documents/")
    page.locator("#documents-table tbody a").first.click()
    page.wait_for_load_state()
    shot(page, "document")
    agency = page.locator(".doc-text a.ent.k-agency").first
    name = agency.get_attribute("title").split("：", 1)[1]
    agency.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == name
    shot(page, "agency")
    page.go_back()
    page.locator(".doc-text a.ent.k-amount").first.click()
    page.wait_for_load_state()
    assert "/measure/" in page.url
    assert page.locator("article.measure h1").count() == 1
    shot(page, "measure")


def test_tables_sort_and_filter(page, base_url: str) -> None:
    page.goto(base_url + "money/")
    rows = page.locator("#money-table tbody tr")
    total = rows.count()
    assert total >= 2
    page.locator("#money-table th").first.locator("button").click()  # ascending by value
    values = [float(v) for v in page.locator("#money-table tbody td.n").evaluate_all(
        "cells => cells.map(c => c.dataset.sort)")]
    assert values == sorted(values)
    page.fill("input[data-filter='money-table']", "不可能出现的词")
    assert page.locator("#money-table tbody tr:visible").count() == 0
    page.fill("input[data-filter='money-table']", "")
    assert page.locator("#money-table tbody tr:visible").count() == total
    shot(page, "money")


def test_screenshots_of_the_other_page_types(page, base_url: str) -> None:
    for name, path in (("deadlines", "deadlines/"), ("industries", "industry/"), ("agencies", "agency/"),
                       ("queries", "queries/"), ("data", "data/")):
        page.goto(base_url + path)
        assert page.locator("h1").count() == 1
        shot(page, name)
    page.goto(base_url + "industry/")
    page.locator(".tree a").first.click()
    page.wait_for_load_state()
    shot(page, "industry")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base_url + "documents/")
    page.locator("#documents-table tbody a").first.click()
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400  # no sideways scrolling on a phone
    shot(page, "document-phone")


def test_core_browsing_works_without_javascript(browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url)
    page.locator("a[href='documents/']").first.click()
    page.wait_for_load_state()
    assert page.locator("#documents-table tbody tr").count() >= 1
    page.goto(base_url + "search/")
    assert page.locator("#search-app").is_hidden()
    assert "JavaScript" in page.locator("main").inner_text()
    context.close()
