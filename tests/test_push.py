"""`policykg push` against a real Oxigraph server process (the `oxigraph` PyPI package's CLI)."""

from __future__ import annotations

import gc
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Store

from kg.cli import cli
from kg.push import push_store, state_path_for
from tests.conftest import FIXTURES

pytestmark = pytest.mark.server

MINI = FIXTURES / "queries" / "mini.trig"
OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
DALIAN = "https://w3id.org/policykg/eli/cn/210200/2024/dwbf-15"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode("utf-8", "replace"))
            time.sleep(0.05)
    raise RuntimeError("oxigraph did not start")


@pytest.fixture
def oxigraph(tmp_path: Path) -> Iterator[str]:
    """A fresh Oxigraph server on 127.0.0.1; yields its base URL; stopped afterwards."""
    if OXIGRAPH is None:
        pytest.skip("the oxigraph server CLI is not installed (pip install oxigraph)")
    port = free_port()
    process = subprocess.Popen([OXIGRAPH, "serve", "--location", str(tmp_path / "remote"),
                                "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class CountingProxy(ThreadingHTTPServer):
    """Forwards every request to ``target`` and counts them by method."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.counts: Counter[str] = Counter()
        self.authorizations: list[str | None] = []
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _ProxyHandler(BaseHTTPRequestHandler):
    server: CountingProxy

    def forward(self) -> None:
        self.server.counts[self.command] += 1
        self.server.authorizations.append(self.headers.get("Authorization"))
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "authorization", "accept")}
        request = urllib.request.Request(self.server.target + self.path, data=body, headers=headers,
                                         method=self.command)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, payload = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, payload = error.code, error.read()
        self.send_response(status)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_PUT = do_POST = do_DELETE = forward  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def make_store(path: Path, extra: list[Quad] = ()) -> Path:
    store = Store(str(path))
    if not len(store):
        store.load(path=str(MINI), format=RdfFormat.TRIG)
    store.extend(extra)
    store.flush()
    del store
    gc.collect()
    return path


def remote_counts(base: str) -> dict[str, int]:
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    request = urllib.request.Request(base + "/query?" + urllib.parse.urlencode({"query": query}),
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        bindings = json.load(response)["results"]["bindings"]
    return {b["g"]["value"]: int(b["n"]["value"]) for b in bindings}


def local_counts(path: Path) -> dict[str, int]:
    store = Store.read_only(str(path))
    return {g.value: len(list(store.quads_for_pattern(None, None, None, g))) for g in store.named_graphs()}


def test_push_query_back_and_repush_sends_nothing(oxigraph: str, tmp_path: Path) -> None:
    store_dir = make_store(tmp_path / "store")
    proxy = CountingProxy(oxigraph)
    try:
        endpoint = proxy.url + "/store"
        report = push_store(store_dir, endpoint)
        assert report.count("sent") == 4 and not report.failed
        assert proxy.counts == Counter({"PUT": 4})
        assert remote_counts(oxigraph) == local_counts(store_dir)
        # the graphs are queryable on the remote server, labels included
        query = ("SELECT ?label WHERE { GRAPH ?g { ?a <https://w3id.org/policykg/ontology#agency> ?agency } "
                 "GRAPH ?r { ?agency <http://www.w3.org/2004/02/skos/core#prefLabel> ?label } } LIMIT 1")
        with urllib.request.urlopen(oxigraph + "/query?" + urllib.parse.urlencode({"query": query})) as response:
            assert json.load(response)["results"]["bindings"][0]["label"]["value"].startswith("厦门市")

        proxy.counts.clear()
        again = push_store(store_dir, endpoint)
        assert again.count("unchanged") == 4 and again.requests == 0
        assert proxy.counts == Counter()  # nothing at all went over the wire

        # one changed document → exactly its graph is replaced
        make_store(store_dir, [Quad(NamedNode(DALIAN), NamedNode("http://purl.org/dc/terms/subject"),
                                    Literal("消费", language="zh"), NamedNode(DALIAN))])
        changed = push_store(store_dir, endpoint)
        assert [o.graph for o in changed.outcomes if o.action == "sent"] == [DALIAN]
        assert proxy.counts == Counter({"PUT": 1})
        assert remote_counts(oxigraph) == local_counts(store_dir)
    finally:
        proxy.shutdown()
        proxy.server_close()


def test_state_is_kept_per_endpoint(oxigraph: str, tmp_path: Path) -> None:
    store_dir = make_store(tmp_path / "store")
    push_store(store_dir, oxigraph + "/store")
    state = json.loads(state_path_for(store_dir).read_text(encoding="utf-8"))
    assert list(state["endpoints"]) == [oxigraph + "/store"]
    assert len(state["endpoints"][oxigraph + "/store"]) == 4
    # another endpoint has its own record, so everything is sent there
    other = push_store(store_dir, oxigraph + "/store?x=1")
    assert other.count("sent") == 4


def test_dead_endpoint_is_reported_per_graph(tmp_path: Path) -> None:
    store_dir = make_store(tmp_path / "store")
    endpoint = f"http://127.0.0.1:{free_port()}/store"
    report = push_store(store_dir, endpoint, timeout=5)
    assert len(report.failed) == 4 and report.count("sent") == 0
    assert all("unreachable" in o.message for o in report.failed)
    # nothing was recorded as pushed, so a later push retries every graph
    assert json.loads(state_path_for(store_dir).read_text(encoding="utf-8"))["endpoints"][endpoint] == {}
    result = CliRunner().invoke(cli, ["push", "--endpoint", endpoint, "--store", str(store_dir)])
    assert result.exit_code == 1
    assert result.stdout.count("failed: https://w3id.org/policykg/") == 4


def test_http_errors_are_reported_per_graph(oxigraph: str, tmp_path: Path) -> None:
    store_dir = make_store(tmp_path / "store")
    report = push_store(store_dir, oxigraph + "/no-such-service")
    assert len(report.failed) == 4 and {o.status for o in report.failed} == {404}
    assert remote_counts(oxigraph) == {}


def test_cli_push_and_prune(oxigraph: str, tmp_path: Path) -> None:
    store_dir = make_store(tmp_path / "store")
    runner = CliRunner()
    result = runner.invoke(cli, ["push", "--endpoint", oxigraph + "/store", "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].endswith("4 graphs sent, 0 unchanged, 0 deleted, 0 failed")
    result = runner.invoke(cli, ["push", "--endpoint", oxigraph + "/store", "--store", str(store_dir)])
    assert result.stdout.splitlines() == [f"{oxigraph}/store: 0 graphs sent, 4 unchanged, 0 deleted, 0 failed"]
    # a document removed from the store is deleted remotely only with --prune
    store = Store(str(store_dir))
    store.remove_graph(NamedNode(DALIAN))
    store.flush()
    del store
    gc.collect()
    runner.invoke(cli, ["push", "--endpoint", oxigraph + "/store", "--store", str(store_dir)])
    assert DALIAN in remote_counts(oxigraph)
    result = runner.invoke(cli, ["push", "--endpoint", oxigraph + "/store", "--store", str(store_dir), "--prune"])
    assert f"deleted: {DALIAN} (204)" in result.stdout
    assert DALIAN not in remote_counts(oxigraph)
    result = runner.invoke(cli, ["push", "--endpoint", oxigraph + "/store", "--auth", "nocolon",
                                 "--store", str(store_dir)])
    assert result.exit_code == 1 and "--auth must be USER:PASSWORD" in result.stderr


def test_basic_auth_is_sent(oxigraph: str, tmp_path: Path) -> None:
    store_dir = make_store(tmp_path / "store")
    proxy = CountingProxy(oxigraph)
    try:
        report = push_store(store_dir, proxy.url + "/store", auth="editor:s3cret")
        assert report.count("sent") == 4
        assert proxy.authorizations == ["Basic ZWRpdG9yOnMzY3JldA=="] * 4
    finally:
        proxy.shutdown()
        proxy.server_close()
