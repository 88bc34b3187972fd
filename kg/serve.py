"""A read-only SPARQL 1.1 Protocol endpoint at ``/sparql`` that also serves the static site at ``/``.

Queries come as ``GET /sparql?query=…``, as a form (``POST``, ``query=…``) or as the
body of a ``POST`` with ``Content-Type: application/sparql-query``. They run on the
union of all named graphs unless ``default-graph-uri`` / ``named-graph-uri`` say
otherwise. The answer's format follows the ``Accept`` header (or a ``format=``
parameter): SELECT and ASK as SPARQL JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE as
Turtle, N-Triples, JSON-LD or RDF/XML. Updates are refused with 403: the store is
opened read-only, so a build can write it while the server reads.

>>> negotiate("text/csv;q=0.9, application/sparql-results+xml", SELECT_TYPES)
'application/sparql-results+xml'
>>> negotiate("*/*", CONSTRUCT_TYPES)
'text/turtle'
>>> negotiate("image/png", SELECT_TYPES) is None
True
"""

from __future__ import annotations

import os
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, urlsplit

from pyoxigraph import NamedNode, QueryResultsFormat, QueryTriples, RdfFormat, Store

from kg.errors import PolicyKGError
from kg.queries import short_error

ENDPOINT_PATH = "/sparql"

#: Media types offered for SELECT/ASK answers, the first is the default.
SELECT_TYPES: dict[str, QueryResultsFormat] = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "text/csv": QueryResultsFormat.CSV,
    "text/tab-separated-values": QueryResultsFormat.TSV,
    "application/json": QueryResultsFormat.JSON,
    "application/xml": QueryResultsFormat.XML,
}
#: Media types offered for CONSTRUCT/DESCRIBE answers, the first is the default.
CONSTRUCT_TYPES: dict[str, RdfFormat] = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/rdf+xml": RdfFormat.RDF_XML,
    "text/plain": RdfFormat.N_TRIPLES,
    "application/json": RdfFormat.JSON_LD,
    # Turtle is valid N3: clients that ask for N3 (SPARQLWrapper's N3 format) get Turtle
    "text/n3": RdfFormat.TURTLE,
    "text/rdf+n3": RdfFormat.TURTLE,
    "application/n3": RdfFormat.TURTLE,
    "application/turtle": RdfFormat.TURTLE,
    "application/x-turtle": RdfFormat.TURTLE,
}
#: Short names accepted in ``format=``.
FORMAT_ALIASES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values", "ttl": "text/turtle", "turtle": "text/turtle",
    "nt": "application/n-triples", "ntriples": "application/n-triples", "jsonld": "application/ld+json",
    "json-ld": "application/ld+json", "rdfxml": "application/rdf+xml",
}
_CONSTRUCT_ALIASES = {"json": "application/ld+json", "xml": "application/rdf+xml"}


def negotiate(accept: str | None, offered: dict[str, object]) -> str | None:
    """The offered media type the ``Accept`` header likes best (the default for ``*/*``), or None."""
    default = next(iter(offered))
    if not accept or not accept.strip():
        return default
    ranges = []
    for position, item in enumerate(accept.split(",")):
        media, *options = [part.strip() for part in item.split(";")]
        quality = 1.0
        for option in options:
            key, _, value = option.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media:
            ranges.append((quality, -position, media.lower()))
    for quality, _, media in sorted(ranges, reverse=True):
        if quality <= 0:
            continue
        if media in ("*/*", "*"):
            return default
        if media.endswith("/*"):
            for candidate in offered:
                if candidate.startswith(media[:-1]):
                    return candidate
        elif media in offered:
            return media
    return None


class StoreReader:
    """Hands out a read-only view of the store, reopened when the store changes on disk.

    A read-only Oxigraph store sees the data as it was when opened; reopening after a
    build has written keeps the endpoint current without ever taking the write lock.
    """

    def __init__(self, source: Path | Store) -> None:
        self._path = None if isinstance(source, Store) else Path(source)
        self._store = source if isinstance(source, Store) else None
        self._stamp: tuple[int, ...] | None = None
        self._lock = threading.Lock()
        if self._store is None:
            self.get()  # fail early on a missing store

    def _signature(self) -> tuple[int, ...]:
        assert self._path is not None
        try:
            with os.scandir(self._path) as entries:
                return tuple(sorted(e.stat().st_mtime_ns for e in entries if e.is_file()))
        except OSError:
            return ()

    def get(self) -> Store:
        if self._path is None:
            assert self._store is not None
            return self._store
        with self._lock:
            stamp = self._signature()
            if self._store is None or stamp != self._stamp:
                from kg.queries import open_store

                self._store = open_store(self._path)
                self._stamp = stamp
            return self._store


class SparqlServer(ThreadingHTTPServer):
    """A threading HTTP server holding the store reader and the site folder."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], store: StoreReader, site: Path | None) -> None:
        self.store = store
        self.site = site
        super().__init__(address, partial(SparqlHandler, directory=str(site) if site else os.devnull))

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


class SparqlHandler(SimpleHTTPRequestHandler):
    """GET/POST /sparql run queries; any other GET is a file of the site."""

    server: SparqlServer
    server_version = "PolicyKG"

    # --- dispatch ---
    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        url = urlsplit(self.path)
        if url.path == ENDPOINT_PATH:
            self.handle_protocol(parse_qs(url.query, keep_blank_values=True), None, None)
        elif self.server.site is None or not self.server.site.is_dir():
            self.send_text(HTTPStatus.NOT_FOUND, "No site folder is being served; run 'policykg site' first. "
                                                 f"The SPARQL endpoint is at {ENDPOINT_PATH}.")
        else:
            super().do_GET()

    def do_HEAD(self) -> None:  # noqa: N802
        if urlsplit(self.path).path == ENDPOINT_PATH:
            self.send_text(HTTPStatus.METHOD_NOT_ALLOWED, "Use GET or POST with a query.")
        elif self.server.site is not None and self.server.site.is_dir():
            super().do_HEAD()
        else:
            self.send_text(HTTPStatus.NOT_FOUND, "No site folder is being served.")

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        if url.path != ENDPOINT_PATH:
            self.send_text(HTTPStatus.METHOD_NOT_ALLOWED, f"POST only to {ENDPOINT_PATH}.")
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(url.query, keep_blank_values=True)
        if content_type == "application/x-www-form-urlencoded":
            for key, values in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
            self.handle_protocol(params, None, None)
        elif content_type == "application/sparql-query":
            self.handle_protocol(params, body.decode("utf-8", "replace"), None)
        elif content_type == "application/sparql-update":
            self.refuse_update()
        else:
            self.send_text(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                           "POST a form (query=…) or a body of type application/sparql-query.")

    def do_PUT(self) -> None:  # noqa: N802
        self.send_text(HTTPStatus.METHOD_NOT_ALLOWED, "This endpoint is read-only.")

    do_DELETE = do_PATCH = do_PUT  # noqa: N815

    def do_OPTIONS(self) -> None:  # noqa: N802
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_cors()
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()

    # --- the protocol ---
    def handle_protocol(self, params: dict[str, list[str]], body_query: str | None, _: None) -> None:
        if "update" in params or "using-graph-uri" in params:
            self.refuse_update()
            return
        queries = params.get("query", [])
        if body_query is not None:
            queries = [body_query]
        if len(queries) != 1 or not queries[0].strip():
            self.send_text(HTTPStatus.BAD_REQUEST, "Give exactly one SPARQL query (query=…).")
            return
        options: dict[str, object] = {}
        if params.get("default-graph-uri"):
            options["default_graph"] = [NamedNode(iri) for iri in params["default-graph-uri"]]
        else:
            options["use_default_graph_as_union"] = True
        if params.get("named-graph-uri"):
            options["named_graphs"] = [NamedNode(iri) for iri in params["named-graph-uri"]]
        try:
            store = self.server.store.get()
        except PolicyKGError as error:
            self.send_text(HTTPStatus.SERVICE_UNAVAILABLE, str(error))
            return
        try:
            answer = store.query(queries[0], **options)
        except SyntaxError as error:
            if _looks_like_update(queries[0]):
                self.refuse_update()
            else:
                self.send_text(HTTPStatus.BAD_REQUEST, f"SPARQL syntax error: {short_error(error)}")
            return
        except (ValueError, TypeError) as error:
            self.send_text(HTTPStatus.BAD_REQUEST, f"Bad request: {error}")
            return
        except (OSError, RuntimeError) as error:
            self.send_text(HTTPStatus.INTERNAL_SERVER_ERROR, f"Query failed: {error}")
            return
        accept = self.headers.get("Accept")
        wanted = params.get("format", [""])[0].strip().lower()
        offered: dict[str, object] = CONSTRUCT_TYPES if isinstance(answer, QueryTriples) else SELECT_TYPES
        if wanted:
            if isinstance(answer, QueryTriples):
                wanted = _CONSTRUCT_ALIASES.get(wanted, wanted)
            wanted = FORMAT_ALIASES.get(wanted, wanted)
            if wanted in offered:  # an unknown format= (some clients send n3, rdf…) leaves Accept in charge
                accept = wanted
        media = negotiate(accept, offered)
        if media is None:
            self.send_text(HTTPStatus.NOT_ACCEPTABLE, "Acceptable types: " + ", ".join(offered))
            return
        try:
            payload = answer.serialize(format=offered[media])
        except (OSError, RuntimeError, ValueError) as error:
            self.send_text(HTTPStatus.INTERNAL_SERVER_ERROR, f"Query failed: {error}")
            return
        self.send_response(HTTPStatus.OK)
        charset = "" if media.endswith("+xml") or media == "application/xml" else "; charset=utf-8"
        self.send_header("Content-Type", media + charset)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Vary", "Accept")
        self.send_cors()
        self.end_headers()
        self.wfile.write(payload)

    def refuse_update(self) -> None:
        self.send_text(HTTPStatus.FORBIDDEN, "This endpoint is read-only: SPARQL updates are refused.")

    # --- helpers ---
    def send_cors(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")

    def send_text(self, status: HTTPStatus, message: str) -> None:
        payload = (message + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.send_cors()
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server signature)
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)


_UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")


def _looks_like_update(text: str) -> bool:
    """Whether a text that failed to parse as a query reads like a SPARQL update."""
    words = [w.upper() for line in text.splitlines() if not line.lstrip().startswith("#")
             for w in line.replace("{", " ").split()]
    keywords = [w for i, w in enumerate(words) if i == 0 or words[i - 1] not in ("PREFIX", "BASE")]
    return any(w in _UPDATE_WORDS for w in keywords if not w.endswith(":") and not w.startswith("<"))


def make_server(store: Path | Store, site: Path | None = None, host: str = "127.0.0.1",
                port: int = 8000) -> SparqlServer:
    """A server bound to ``host:port`` (port 0 picks a free one); call ``serve_forever()`` on it.

    >>> server = make_server(Store(), None, port=0)
    >>> server.url.startswith("http://127.0.0.1:")
    True
    >>> server.server_close()
    """
    reader = StoreReader(store)
    try:
        return SparqlServer((host, port), reader, Path(site) if site else None)
    except OSError as error:
        raise PolicyKGError(f"cannot listen on {host}:{port}: {error.strerror or error}") from error


def serve_forever(store: Path, site: Path | None, host: str = "127.0.0.1", port: int = 8000,
                  announce: Callable[[str], None] = print) -> None:
    """Run the server until interrupted (Ctrl-C)."""
    server = make_server(store, site, host, port)
    server.verbose = True  # type: ignore[attr-defined]
    site_note = f"site {site} at {server.url}/" if site and Path(site).is_dir() else "no site folder"
    announce(f"SPARQL endpoint at {server.url}{ENDPOINT_PATH}; {site_note} (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
