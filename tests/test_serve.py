"""`policykg serve`: a read-only SPARQL 1.1 Protocol endpoint plus the static site, queried by real clients."""

from __future__ import annotations

import gc
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest
import rdflib
from pyoxigraph import NamedNode, Quad, RdfFormat, Store
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from kg.serve import SparqlServer, make_server
from tests.conftest import FIXTURES

pytestmark = pytest.mark.server

MINI = FIXTURES / "queries" / "mini.trig"
PKG = "https://w3id.org/policykg/ontology#"
COUNT_MEASURES = f"SELECT (COUNT(?m) AS ?n) WHERE {{ ?m a <{PKG}Measure> }}"


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site")
    (site / "index.html").write_text("<!doctype html><html lang=\"zh-CN\"><title>PolicyKG</title>首页</html>",
                                     encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def server(site_dir: Path) -> Iterator[SparqlServer]:
    store = Store()
    store.load(path=str(MINI), format=RdfFormat.TRIG)
    server = make_server(store, site_dir, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def client(server: SparqlServer, fmt: str = JSON) -> SPARQLWrapper:
    wrapper = SPARQLWrapper(server.url + "/sparql")
    wrapper.setReturnFormat(fmt)
    return wrapper


def http(url: str, data: bytes | None = None, headers: dict[str, str] | None = None,
         method: str | None = None) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def test_sparqlwrapper_select_json_and_xml(server: SparqlServer) -> None:
    wrapper = client(server)
    wrapper.setQuery(COUNT_MEASURES)
    assert wrapper.query().convert()["results"]["bindings"][0]["n"]["value"] == "11"
    wrapper = client(server, XML)
    wrapper.setQuery("SELECT ?label WHERE { <https://w3id.org/policykg/place/210200> "
                     "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label }")
    document = wrapper.query().convert()
    assert [node.firstChild.data for node in document.getElementsByTagName("literal")] == ["大连市"]


def test_sparqlwrapper_post_csv_and_ask(server: SparqlServer) -> None:
    wrapper = client(server, CSV)
    wrapper.setMethod(POST)
    wrapper.setQuery(COUNT_MEASURES)
    assert wrapper.query().convert().decode("utf-8").split() == ["n", "11"]
    wrapper = client(server)
    wrapper.setQuery(f"ASK {{ ?d a <{PKG}PolicyDocument> }}")
    assert wrapper.query().convert()["boolean"] is True


def test_construct_by_content_negotiation(server: SparqlServer) -> None:
    query = "DESCRIBE <https://w3id.org/policykg/place/350200>"
    for fmt, rdflib_format in ((TURTLE, "turtle"), (JSONLD, "json-ld"), (N3, "turtle")):
        wrapper = client(server, fmt)
        wrapper.setQuery(query)
        graph = wrapper.query().convert()
        if isinstance(graph, bytes):
            graph = rdflib.Graph().parse(data=graph, format=rdflib_format)
        labels = {str(o) for o in graph.objects(rdflib.URIRef("https://w3id.org/policykg/place/350200"),
                                                  rdflib.SKOS.prefLabel)}
        assert labels == {"厦门市"}
    url = server.url + "/sparql?" + urllib.parse.urlencode({"query": query})
    status, media, body = http(url, headers={"Accept": "application/n-triples"})
    assert status == 200 and media.startswith("application/n-triples")
    assert len(rdflib.Graph().parse(data=body, format="nt")) == 5
    status, media, _ = http(url, headers={"Accept": "text/turtle;q=0.5, application/ld+json"})
    assert media.startswith("application/ld+json")


def test_rdflib_sparqlstore_reads_the_endpoint(server: SparqlServer) -> None:
    store = SPARQLStore(query_endpoint=server.url + "/sparql")
    rows = list(store.query(
        "PREFIX pkg: <https://w3id.org/policykg/ontology#> PREFIX eli: <http://data.europa.eu/eli/ontology#> "
        "SELECT ?number WHERE { ?d a pkg:PolicyDocument ; eli:number ?number } ORDER BY ?number"))
    assert [str(row[0]) for row in rows] == ["厦府办规〔2024〕12号", "大委办发[2024]15号"]


def test_sparql_query_body_and_form_posts(server: SparqlServer) -> None:
    status, media, body = http(server.url + "/sparql", COUNT_MEASURES.encode("utf-8"),
                               {"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert status == 200 and media.startswith("text/csv") and body.split() == [b"n", b"11"]
    form = urllib.parse.urlencode({"query": COUNT_MEASURES}).encode("ascii")
    status, media, body = http(server.url + "/sparql", form, {"Content-Type": "application/x-www-form-urlencoded",
                                                              "Accept": "text/tab-separated-values"})
    assert status == 200 and body.split() == [b"?n", b"11"]  # TSV writes terms in Turtle syntax


def test_default_graph_uri_restricts_the_dataset(server: SparqlServer) -> None:
    query = urllib.parse.urlencode({"query": COUNT_MEASURES,
                                    "default-graph-uri": "https://w3id.org/policykg/eli/cn/210200/2024/dwbf-15"})
    status, _, body = http(server.url + "/sparql?" + query)
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "4"


def test_updates_are_refused(server: SparqlServer) -> None:
    before = http(server.url + "/sparql?" + urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) {?s ?p ?o}"}))
    wrapper = SPARQLWrapper(server.url + "/sparql", updateEndpoint=server.url + "/sparql")
    wrapper.setMethod(POST)
    wrapper.setQuery("DROP ALL")
    with pytest.raises((SPARQLWrapperException, urllib.error.HTTPError)):
        wrapper.query()
    for data, content_type in ((b"update=DROP+ALL", "application/x-www-form-urlencoded"),
                               (b"INSERT DATA { <a:b> <a:c> <a:d> }", "application/sparql-update"),
                               (b"CLEAR DEFAULT", "application/sparql-query")):
        status, _, body = http(server.url + "/sparql", data, {"Content-Type": content_type})
        assert status == 403 and b"read-only" in body
    status, _, _ = http(server.url + "/sparql", b"", method="PUT")
    assert status == 405
    after = http(server.url + "/sparql?" + urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) {?s ?p ?o}"}))
    assert before[2] == after[2]


def test_bad_requests(server: SparqlServer) -> None:
    status, _, body = http(server.url + "/sparql?" + urllib.parse.urlencode({"query": "SELECT ?x WHERE {"}))
    assert status == 400 and body.startswith(b"SPARQL syntax error")
    assert http(server.url + "/sparql")[0] == 400
    status, _, _ = http(server.url + "/sparql?" + urllib.parse.urlencode({"query": COUNT_MEASURES}),
                        headers={"Accept": "image/png"})
    assert status == 406


def test_static_site_is_served(server: SparqlServer) -> None:
    status, media, body = http(server.url + "/")
    assert status == 200 and media.startswith("text/html") and "首页" in body.decode("utf-8")
    assert http(server.url + "/missing.html")[0] == 404
    assert http(server.url + "/../../etc/passwd")[0] == 404


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_policykg_serve_command(tmp_path: Path, site_dir: Path) -> None:
    """The real command in a subprocess, on an on-disk store opened read-only."""
    store_dir = tmp_path / "store"
    store = Store(str(store_dir))
    store.load(path=str(MINI), format=RdfFormat.TRIG)
    store.flush()
    del store
    gc.collect()
    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "policykg"), "serve", "--port", str(port), "--store", str(store_dir),
         "--site", str(site_dir)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(process.stderr.read().decode("utf-8"))
                time.sleep(0.1)
        wrapper = SPARQLWrapper(url + "/sparql")
        wrapper.setReturnFormat(JSON)
        wrapper.setQuery(COUNT_MEASURES)
        assert wrapper.query().convert()["results"]["bindings"][0]["n"]["value"] == "11"
        assert http(url + "/")[0] == 200
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_endpoint_sees_a_rebuilt_store(tmp_path: Path) -> None:
    """The store is read-only in the server and reopened when a build changes it on disk."""
    store_dir = tmp_path / "store"
    writer = Store(str(store_dir))
    writer.load(path=str(MINI), format=RdfFormat.TRIG)
    writer.flush()
    del writer
    gc.collect()
    server = make_server(store_dir, None, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = server.url + "/sparql?" + urllib.parse.urlencode({"query": COUNT_MEASURES})
        assert json.loads(http(url)[2])["results"]["bindings"][0]["n"]["value"] == "11"
        writer = Store(str(store_dir))  # a build writing while the server reads
        measure = rdflib.URIRef("https://w3id.org/policykg/eli/cn/210200/2024/dwbf-15/measure/5-18")
        writer.add(Quad(NamedNode(str(measure)), NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                        NamedNode(PKG + "Measure"), NamedNode("https://w3id.org/policykg/eli/cn/210200/2024/dwbf-15")))
        writer.flush()
        del writer
        gc.collect()
        time.sleep(0.05)
        assert json.loads(http(url)[2])["results"]["bindings"][0]["n"]["value"] == "12"
    finally:
        server.shutdown()
        server.server_close()
