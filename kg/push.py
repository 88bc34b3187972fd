"""Push the store's named graphs to a remote SPARQL 1.1 Graph Store HTTP Protocol server.

Each named graph (one per document, plus the reference graph) is sent with
``PUT {endpoint}?graph={IRI}``, which replaces that graph on the server in one
request: a graph is either wholly replaced or left as it was, never half-written.
The body is N-Triples sent as ``text/turtle`` (N-Triples is a subset of Turtle), which
Oxigraph, Apache Jena Fuseki, Virtuoso and GraphDB all accept.

Only graphs that changed since the last successful push to the same endpoint are
sent: a small JSON state file beside the store (``policykg-data.push.json`` for
``policykg-data/``) records, per endpoint, a content hash of every graph pushed.
Re-pushing an unchanged store sends nothing. A failed graph keeps its old record,
so the next push retries it; errors are reported per graph.

>>> endpoint_url("http://localhost:7878/store", "https://w3id.org/policykg/eli/cn/350200/2024/xfbg-12")
'http://localhost:7878/store?graph=https%3A%2F%2Fw3id.org%2Fpolicykg%2Feli%2Fcn%2F350200%2F2024%2Fxfbg-12'
>>> state_path_for(Path("data/policykg-data")).name
'policykg-data.push.json'
"""

from __future__ import annotations

import base64
import hashlib
import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from pyoxigraph import BlankNode, CanonicalizationAlgorithm, Dataset, NamedNode, Quad, RdfFormat, Store, serialize

from kg.errors import PolicyKGError
from kg.store import write_json_atomically

STATE_VERSION = 1
CONTENT_TYPE = "text/turtle; charset=utf-8"


@dataclass
class GraphOutcome:
    """What happened to one graph: ``sent``, ``unchanged``, ``deleted`` or ``failed``."""

    graph: str
    action: str
    status: int | None = None
    message: str = ""


@dataclass
class PushReport:
    """Per-graph outcomes of one push, with the number of HTTP requests made."""

    endpoint: str
    outcomes: list[GraphOutcome] = field(default_factory=list)
    requests: int = 0

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    @property
    def failed(self) -> list[GraphOutcome]:
        return [o for o in self.outcomes if o.action == "failed"]

    def lines(self) -> list[str]:
        """Human-readable report: one line per failed or changed graph, then a summary."""
        out = [f"{o.action}: {o.graph}" + (f" ({o.status})" if o.status else "") + (f": {o.message}" if o.message else "")
               for o in self.outcomes if o.action != "unchanged"]
        out.append(f"{self.endpoint}: {self.count('sent')} graphs sent, {self.count('unchanged')} unchanged, "
                   f"{self.count('deleted')} deleted, {len(self.failed)} failed")
        return out


def state_path_for(store: Path) -> Path:
    """The push state file that sits beside the store folder."""
    store = Path(store)
    return store.parent / f"{store.name}.push.json"


def endpoint_url(endpoint: str, graph: str) -> str:
    """The Graph Store Protocol URL of one graph (indirect identification, ``?graph=``)."""
    separator = "&" if urlsplit(endpoint).query else "?"
    return f"{endpoint}{separator}graph={quote(graph, safe='')}"


def graph_payload(store: Store, graph: NamedNode) -> bytes:
    """The graph's triples as N-Triples, one per line, sorted (so equal graphs give equal bytes)."""
    triples = [q.triple for q in store.quads_for_pattern(None, None, None, graph)]
    if any(isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode) for t in triples):
        # blank node labels are arbitrary: canonicalise them so an unchanged graph hashes the same
        dataset = Dataset(Quad(t.subject, t.predicate, t.object) for t in triples)
        dataset.canonicalize(CanonicalizationAlgorithm.UNSTABLE)
        triples = [q.triple for q in dataset]
    lines = serialize(triples, format=RdfFormat.N_TRIPLES).decode("utf-8").splitlines(keepends=True)
    return "".join(sorted(lines)).encode("utf-8")


def load_state(path: Path) -> dict[str, dict[str, str]]:
    """Endpoint → {graph IRI → sha256 of the payload last pushed successfully}."""
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PolicyKGError(f"unreadable push state ({error}); delete it to push everything again", path) from error
    return data.get("endpoints", {}) if isinstance(data, dict) else {}


def save_state(path: Path, endpoints: dict[str, dict[str, str]]) -> None:
    """Write the state atomically (temporary file, then rename)."""
    write_json_atomically(path, {"version": STATE_VERSION, "endpoints": endpoints})


def _request(method: str, url: str, body: bytes | None, auth: str | None, timeout: float) -> tuple[int, str]:
    headers = {"Content-Type": CONTENT_TYPE} if body is not None else {}
    if auth:
        headers["Authorization"] = "Basic " + base64.b64encode(auth.encode("utf-8")).decode("ascii")
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, ""


def push_graphs(store: Store, endpoint: str, state: dict[str, str], *, auth: str | None = None,
                force: bool = False, prune: bool = False, timeout: float = 60.0) -> PushReport:
    """Push every named graph of ``store`` that differs from ``state`` (updated in place)."""
    if urlsplit(endpoint).scheme not in ("http", "https"):
        raise PolicyKGError(f"endpoint {endpoint!r} is not an http(s) URL")
    report = PushReport(endpoint)
    unreachable: str | None = None
    graphs = sorted((g for g in store.named_graphs() if isinstance(g, NamedNode)), key=lambda g: g.value)
    present = {g.value for g in graphs}
    work: list[tuple[str, str, bytes | None, str | None]] = []  # (method, graph, body, digest)
    for graph in graphs:
        body = graph_payload(store, graph)
        digest = hashlib.sha256(body).hexdigest()
        if not force and state.get(graph.value) == digest:
            report.outcomes.append(GraphOutcome(graph.value, "unchanged"))
        else:
            work.append(("PUT", graph.value, body, digest))
    if prune:
        work.extend(("DELETE", iri, None, None) for iri in sorted(set(state) - present))
    for method, iri, body, digest in work:
        if unreachable is not None:
            report.outcomes.append(GraphOutcome(iri, "failed", None, f"not attempted: {unreachable}"))
            continue
        report.requests += 1
        try:
            status, _ = _request(method, endpoint_url(endpoint, iri), body, auth, timeout)
        except urllib.error.HTTPError as error:
            if method == "DELETE" and error.code == 404:  # already gone
                state.pop(iri, None)
                report.outcomes.append(GraphOutcome(iri, "deleted", 404))
                continue
            detail = error.read(300).decode("utf-8", "replace").strip().splitlines()
            report.outcomes.append(GraphOutcome(iri, "failed", error.code,
                                                f"{error.reason}" + (f": {detail[0]}" if detail else "")))
            continue
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            unreachable = f"server unreachable ({reason})"
            report.outcomes.append(GraphOutcome(iri, "failed", None, unreachable))
            continue
        if method == "DELETE":
            state.pop(iri, None)
            report.outcomes.append(GraphOutcome(iri, "deleted", status))
        else:
            assert digest is not None
            state[iri] = digest
            report.outcomes.append(GraphOutcome(iri, "sent", status))
    return report


def push_store(store_path: Path, endpoint: str, *, auth: str | None = None, force: bool = False,
               prune: bool = False, timeout: float = 60.0, state_path: Path | None = None) -> PushReport:
    """Push the store at ``store_path`` to ``endpoint`` and record what was pushed."""
    from kg.queries import open_store

    if auth is not None and ":" not in auth:
        raise PolicyKGError("--auth must be USER:PASSWORD")
    store = open_store(Path(store_path))
    state_path = state_path or state_path_for(Path(store_path))
    endpoints = load_state(state_path)
    key = endpoint.rstrip("/")
    state = dict(endpoints.get(key, {}))
    try:
        report = push_graphs(store, endpoint, state, auth=auth, force=force, prune=prune, timeout=timeout)
    finally:
        endpoints[key] = state
        try:
            save_state(state_path, endpoints)
        except OSError as error:
            raise PolicyKGError(f"cannot write the push state: {error}", state_path) from error
    return report
