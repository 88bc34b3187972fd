"""Generate the static site from a PolicyKG store.

A pipeline of small stages::

    read_store(store, …)         every quad once: the N-Quads download, loaded into memory
                                 (a store on disk is slow to read at random)
    write_graph_dumps(…)         TriG and JSON-LD downloads (gzip), in a thread meanwhile
    read_graph(store)            bulk SPARQL queries kept in site/queries/*.rq → rows, streamed
    assemble(rows)               rows → documents, measures, agencies, industries, places
    plan_pages(corpus, …)        → Page(path, template, context) for every page
    write_linked_data(…)         index.ttl / index.jsonld beside every entity page, graph by graph
    write_pages(…)               Jinja2 templates in site/templates (overridable), into a fresh folder
    index_search(…)              Pagefind over the written pages, in parts of a few hundred documents

Every entity page sits at the path of its IRI below the site root, so
``https://w3id.org/policykg/eli/cn/350200/2024/xfbg-12`` is
``eli/cn/350200/2024/xfbg-12/index.html``. Links between pages are relative, so the
site works from any static host and any sub-folder; ``base_url`` is only used for
canonical links.

No HTML is built here: document text is cut into segments (plain text or an entity
with its kind, link and label) that the templates render with autoescaping.

>>> segments = segment_text("abcdef", [Highlight(1, 3, "amount", "m/", "x", "e-1-3")], [])
>>> [(s.text, s.kind) for s in segments]
[('a', None), ('bc', 'amount'), ('def', None)]
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import unquote

import pyoxigraph as ox
from markupsafe import Markup
from jinja2 import (ChoiceLoader, Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined,
                    select_autoescape)

from kg import __version__
from kg.charts import bar_chart
from kg.errors import PolicyKGError
from kg.namespaces import BASE_IRI, ONTOLOGY_IRI, PKG, PREFIXES
from kg.resources import data_dir, data_path

#: A file the generator leaves in every site it writes; only such folders are replaced.
SITE_MARKER = ".policykg-site"

#: Fact classes of the PolicyKG vocabulary → the kind the templates know them by.
FACT_KINDS = {
    "Responsibility": "agency",
    "AmountMention": "amount",
    "Rate": "rate",
    "DateMention": "date",
    "DurationMention": "duration",
    "IndustryMention": "industry",
    "Target": "target",
    "Citation": "citation",
    "PersonMention": "person",
}
#: When spans overlap exactly, the inner highlight goes to the kind listed first.
KIND_PRIORITY = ["amount", "rate", "date", "duration", "target", "agency", "person", "industry", "citation",
                 "mention"]
ROLE_ORDER = ["lead", "responsible", "support", "mentioned", "issuer"]
#: Rows per page of the listings that grow with the corpus (documents, money, agencies, deadlines):
#: one page holding every amount of a large corpus would be megabytes, so they are split
#: over numbered pages linked by a pager; totals and charts count every row.
LISTING_ROWS = 300

#: Documents (with their measures) per Pagefind run. Pagefind holds what it indexes in
#: memory (≈ 2.6 GB for 1,000 documents and their 18,000 measures), so a large site's
#: search index is written in parts that the search page merges.
SEARCH_PART_DOCUMENTS = 400

#: Where the parts of the search index are listed, for ``index_search``.
SEARCH_PARTS_FILE = "search/parts.json"

#: Date roles shown on the deadlines page.
TIMELINE_ROLES = ("deadline", "target", "expiry")

_XSD = PREFIXES["xsd"]
_INTEGER_TYPES = {_XSD + name for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "unsignedInt", "unsignedLong", "unsignedShort", "negativeInteger", "nonPositiveInteger")}
_FLOAT_TYPES = {_XSD + name for name in ("decimal", "double", "float")}
_BOOLEAN_TYPE = _XSD + "boolean"


# --------------------------------------------------------------------------- results


@dataclass
class SiteSummary:
    """What ``generate_site`` wrote."""

    out_dir: Path
    pages: int = 0
    documents: int = 0
    measures: int = 0
    agencies: int = 0
    industries: int = 0
    places: int = 0
    files: int = 0
    bytes: int = 0
    search_indexed: bool = False
    #: Seconds per stage: read, assemble, plan, render, linked_data, data, search, publish.
    timings: dict[str, float] = field(default_factory=dict)

    def __str__(self) -> str:
        return (f"{self.pages} pages ({self.documents} documents, {self.measures} measures, "
                f"{self.agencies} agencies, {self.industries} industries, {self.places} places), "
                f"{self.files} files, {self.bytes / 1e6:.1f} MB in {self.out_dir}")


@dataclass
class Page:
    """One page to render: where it goes, which template, and its data."""

    path: str  # URL path below the site root: "" (home), "money/", "eli/cn/…/measure/1-5/"
    template: str
    context: dict[str, Any]
    file_name: str = "index.html"


@dataclass
class Highlight:
    """An entity span in a document text."""

    start: int
    end: int
    kind: str
    href: str | None  # relative to the site root
    label: str
    anchor: str  # id of the element holding the first piece of the span


@dataclass
class Segment:
    """A piece of document text: plain (``kind`` None), an entity, or a provision anchor."""

    text: str
    kind: str | None = None
    href: str | None = None
    label: str | None = None
    anchor: str | None = None  # element id (first piece of an entity)
    provision: dict[str, Any] | None = None  # a provision starting here (zero-length segment)


# --------------------------------------------------------------------------- entry point


def generate_site(
    store_dir: Path,
    out_dir: Path,
    base_url: str = "/",
    templates_dir: Path | None = None,
    *,
    build_date: date | None = None,
    search_index: bool = True,
) -> SiteSummary:
    """Write the static site for the store in ``store_dir`` into ``out_dir``.

    ``out_dir`` is replaced as a whole (the new site is written into a fresh sibling
    folder, then swapped in); a non-empty folder that is not a PolicyKG site is refused.
    ``templates_dir`` holds templates that override the bundled ones by name.
    """
    store_dir = Path(store_dir)
    from kg.store import open_read_only  # a consistent snapshot, even while a build writes

    store = open_read_only(store_dir)
    return _generate(store, Path(out_dir), base_url, templates_dir, build_date=build_date,
                     search_index=search_index, on_disk=True)


def generate_site_from_store(
    store: ox.Store,
    out_dir: Path,
    base_url: str = "/",
    templates_dir: Path | None = None,
    *,
    build_date: date | None = None,
    search_index: bool = True,
) -> SiteSummary:
    """``generate_site`` for an open store (tests load fixtures into a memory store)."""
    return _generate(store, Path(out_dir), base_url, templates_dir, build_date=build_date,
                     search_index=search_index, on_disk=False)


def _generate(store: ox.Store, out_dir: Path, base_url: str, templates_dir: Path | None, *,
              build_date: date | None, search_index: bool, on_disk: bool) -> SiteSummary:
    build_date = build_date or date.today()
    if not base_url.endswith("/"):
        base_url += "/"
    if templates_dir is not None and not Path(templates_dir).is_dir():
        raise PolicyKGError("templates folder not found", templates_dir)
    summary = SiteSummary(out_dir=out_dir)
    clock = _Clock(summary.timings)

    staging = _prepare_output(out_dir)
    dumps: _Background | None = None
    try:
        with clock("read"):
            # Every quad is needed (dumps, linked data): read the store once, as the
            # N-Quads download, and query a copy in memory. Random reads of a store on
            # disk cost several times more than the whole copy (decoding its string table).
            working = read_store(store, staging / "data" / "policykg.nq", to_memory=on_disk)
            # the other dumps are written by Rust and zlib, which release the GIL: in a
            # thread, while this one reads, plans and renders
            dumps = _Background(write_graph_dumps, working, staging / "data")
        with clock("assemble"):
            corpus = assemble(read_graph(working))
        with clock("plan"):
            pages = plan_pages(corpus, working, build_date)
            env = make_environment(templates_dir)
        with clock("linked_data"):
            embedded, linked_files, linked_bytes = write_linked_data(working, corpus, staging)
        del working
        with clock("render"):
            written, page_bytes = write_pages(env, pages, staging, embedded, base_url, build_date)
        with clock("data"):
            write_data_files(staging)
            dumps.join()
        write_search_parts(search_parts(corpus.documents.values()), staging)
        if search_index:
            with clock("search"):
                summary.search_indexed = index_search(staging)
        (staging / SITE_MARKER).write_text(f"policykg {__version__}\n", encoding="utf-8")
        # pages and linked data were counted as written; the rest are a few folders
        written_tops = {page.path.split("/", 1)[0] for page in pages} | {
            page_path(iri).split("/", 1)[0] for iri in embedded}
        written_tops.discard("data")  # the data page shares its folder with the dumps
        files, size = _folder_size(staging, skip=written_tops)
        files += written + linked_files
        size += page_bytes + linked_bytes
        with clock("publish"):
            _publish(staging, out_dir)
    except BaseException:
        if dumps is not None:
            dumps.join(reraise=False)
        shutil.rmtree(staging, ignore_errors=True)
        raise

    summary.pages = written
    summary.documents = len(corpus.documents)
    summary.measures = len(corpus.measures)
    summary.agencies = len(corpus.agencies)
    summary.industries = len(corpus.industries)
    summary.places = len(corpus.places)
    summary.files = files
    summary.bytes = size
    return summary


class _Background:
    """A function run in a thread; ``join`` waits and re-raises its exception."""

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        self.error: BaseException | None = None

        def run() -> None:
            try:
                function(*args)
            except BaseException as error:  # handed to join()
                self.error = error

        self.thread = threading.Thread(target=run, name="policykg-site-dumps", daemon=True)
        self.thread.start()

    def join(self, reraise: bool = True) -> None:
        self.thread.join()
        if reraise and self.error is not None:
            raise self.error


class _Clock:
    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings

    def __call__(self, stage: str) -> "_Clock":
        self.stage = stage
        return self

    def __enter__(self) -> None:
        self.started = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        elapsed = time.perf_counter() - self.started
        self.timings[self.stage] = self.timings.get(self.stage, 0.0) + elapsed


# --------------------------------------------------------------------------- stage 1: read


def read_store(store: ox.Store, nquads: Path, to_memory: bool = True) -> ox.Store:
    """Write every quad of ``store`` to the file ``nquads`` (N-Quads) and return a store to
    read the site from: a copy in memory loaded from that file when ``to_memory``, else
    ``store`` itself (already in memory)."""
    nquads.parent.mkdir(parents=True, exist_ok=True)
    store.dump(str(nquads), format=ox.RdfFormat.N_QUADS)
    if not to_memory:
        return store
    memory = ox.Store()
    memory.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    return memory


def load_query(name: str) -> str:
    """The text of ``site/queries/{name}.rq``."""
    return data_path("site", "queries", f"{name}.rq").read_text(encoding="utf-8")


def run_rows(store: ox.Store, name: str) -> Iterator[dict[str, Any]]:
    """Run a site query over the union of all graphs; its rows as dicts of Python values,
    one at a time (a large corpus has millions: they are consumed, never all held)."""
    results = store.query(load_query(name), use_default_graph_as_union=True)
    names = [variable.value for variable in results.variables]
    for solution in results:
        yield {key: _python_value(solution[key]) for key in names}


class SiteRows(Mapping[str, Iterator[dict[str, Any]]]):
    """Every site query's rows by query name (``site/queries/*.rq``). Each lookup runs
    its query and streams the rows, so read each name once."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.names = sorted(path.stem for path in (data_dir("site") / "queries").glob("*.rq")
                            if path.stem not in ("ontology-terms", "term-examples"))

    def __getitem__(self, name: str) -> Iterator[dict[str, Any]]:
        if name not in self.names:
            raise KeyError(name)
        return run_rows(self.store, name)

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


def read_graph(store: ox.Store) -> SiteRows:
    """Every site query's rows, by query name (streamed when read)."""
    return SiteRows(store)


def _python_value(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGER_TYPES:
                return int(term.value)
            if datatype in _FLOAT_TYPES:
                return float(term.value)
        except ValueError:
            return term.value
        if datatype == _BOOLEAN_TYPE:
            return term.value in ("true", "1")
        return term.value
    return f"_:{term.value}"


def local_name(iri: str | None) -> str | None:
    """The last part of an IRI after ``#`` or ``/``.

    >>> local_name("https://w3id.org/policykg/ontology#Lead")
    'Lead'
    """
    if iri is None:
        return None
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _key(iri: str | None) -> str | None:
    """A vocabulary IRI as the lower-case key templates use (pkg:Lead → "lead")."""
    name = local_name(iri)
    return name.lower() if name else None


def page_path(iri: str) -> str | None:
    """The URL path of an entity's page below the site root, or None if it has none.

    >>> page_path("https://w3id.org/policykg/eli/cn/350200/2024/xfbg-12/measure/1-5")
    'eli/cn/350200/2024/xfbg-12/measure/1-5/'
    >>> page_path("http://www.wikidata.org/entity/Q1") is None
    True
    >>> page_path("https://w3id.org/policykg/agency/../../etc") is None
    True
    """
    if not iri.startswith(BASE_IRI) or iri.startswith(ONTOLOGY_IRI):
        return None
    rest = iri[len(BASE_IRI):]
    if not rest or any(char in rest for char in "?#\\") or rest.endswith("/"):
        return None
    if any(part in ("", ".", "..") for part in unquote(rest).split("/")):
        return None
    return rest + "/"


# --------------------------------------------------------------------------- stage 2: assemble


@dataclass
class Corpus:
    """Everything the pages show, linked together (dicts the templates read)."""

    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    provisions: dict[str, dict[str, Any]] = field(default_factory=dict)
    measures: dict[str, dict[str, Any]] = field(default_factory=dict)
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)
    agencies: dict[str, dict[str, Any]] = field(default_factory=dict)
    industries: dict[str, dict[str, Any]] = field(default_factory=dict)
    places: dict[str, dict[str, Any]] = field(default_factory=dict)
    cited: dict[str, dict[str, Any]] = field(default_factory=dict)

    def link(self, iri: str) -> str | None:
        """Where the site shows ``iri``: its page, or for a fact the place it is listed."""
        for group in (self.documents, self.provisions, self.agencies, self.industries,
                      self.places, self.cited):
            entity = group.get(iri)
            if entity is not None:
                return entity["path"]
        fact = self.facts.get(iri)
        if fact is None:
            return None
        if fact["measure"] is not None and fact["measure"]["path"]:
            return f"{fact['measure']['path']}#{fact['anchor']}" if _listed_on_measure(fact) \
                else fact["measure"]["path"]
        return f"{fact['document']['path']}#{fact['anchor']}" if fact["document"]["path"] else None


def _first(rows: Iterable[dict[str, Any]], key_field: str) -> dict[str, dict[str, Any]]:
    """Group rows by ``key_field``, merging rows so each field keeps its first value."""
    merged: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = row[key_field]
        current = merged.get(key)
        if current is None:
            merged[key] = dict(row)
        else:
            for name, value in row.items():
                if current.get(name) is None and value is not None:
                    current[name] = value
    return merged


def _entity(iri: str, label: str | None) -> dict[str, Any]:
    return {"iri": iri, "path": page_path(iri), "label": label or local_name(iri) or iri,
            "named": bool(label)}


def assemble(rows: Mapping[str, Iterable[dict[str, Any]]]) -> Corpus:
    """Link the query rows into the objects pages are made of (each query's rows read once)."""
    corpus = Corpus()
    alt_labels: dict[str, list[str]] = defaultdict(list)
    for row in rows["alt-labels"]:
        if row["label"] not in alt_labels[row["entity"]]:
            alt_labels[row["entity"]].append(row["label"])
    links: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows["external-links"]:
        links[row["entity"]].append({"property": _curie(row["property"]), "target": row["target"]})

    _assemble_places(corpus, rows["places"], alt_labels, links)
    _assemble_agencies(corpus, rows["agencies"], rows["agency-details"], alt_labels, links)
    _assemble_industries(corpus, list(rows["industries"]), alt_labels, links)
    _assemble_documents(corpus, rows)
    _assemble_provisions(corpus, rows["provisions"])
    _assemble_facts(corpus, rows)
    _assemble_measure_links(corpus, rows)
    _assemble_cross_references(corpus)
    _keep_relevant_places(corpus)
    return corpus


def _keep_relevant_places(corpus: Corpus) -> None:
    """Only places the corpus touches get pages: those of documents and agencies, and
    their ancestors. (The reference data lists every division of the country; they
    stay in the graph dumps.)"""
    relevant: set[str] = set()
    touched = [d["place"] for d in corpus.documents.values()] + \
        [a["place"] for a in corpus.agencies.values()]
    for place in touched:
        steps = 0
        while place is not None and place["iri"] not in relevant and steps < 10:
            relevant.add(place["iri"])
            place, steps = place["parent"], steps + 1
    for iri in [iri for iri in corpus.places if iri not in relevant]:
        del corpus.places[iri]
    for place in corpus.places.values():
        place["children"] = [child for child in place["children"] if child["iri"] in relevant]


def _curie(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and prefix != "pkgr":
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _assemble_places(corpus: Corpus, rows: list[dict[str, Any]], alt: dict, links: dict) -> None:
    for iri, row in _first(rows, "place").items():
        place = _entity(iri, row["label"])
        place.update(notation=row["notation"], level=row["level"], parent_iri=row["parent"],
                     alt_labels=alt.get(iri, []), links=links.get(iri, []),
                     documents=[], agencies=[], children=[])
        corpus.places[iri] = place
    for place in corpus.places.values():
        parent = corpus.places.get(place["parent_iri"] or "")
        place["parent"] = parent
        if parent:
            parent["children"].append(place)


#: agency-details.rq: the detail each property gives (the first value of each is kept)
_AGENCY_DETAILS = {PREFIXES["pkg"] + "jurisdiction": "place", PREFIXES["org"] + "subOrganizationOf": "parent",
                   PREFIXES["pkg"] + "agencyType": "agencyType", PREFIXES["pkg"] + "inferred": "inferred"}


def _assemble_agencies(corpus: Corpus, rows: Iterable[dict[str, Any]], details: Iterable[dict[str, Any]],
                       alt: dict, links: dict) -> None:
    known: dict[str, dict[str, Any]] = {row["agency"]: {} for row in rows}
    label_property = PREFIXES["skos"] + "prefLabel"
    for row in details:
        found = known.get(row["agency"])
        if found is None:
            continue
        if row["property"] == label_property:
            # the Chinese name when there is one, else any name
            key = "zh" if (row["language"] or "").lower().split("-")[0] == "zh" else "any"
            found.setdefault(key, row["value"])
        else:
            found.setdefault(_AGENCY_DETAILS[row["property"]], row["value"])
    for iri, found in known.items():
        agency = _entity(iri, found.get("zh") or found.get("any"))
        agency.update(
            place=corpus.places.get(found.get("place") or ""), parent_iri=found.get("parent"),
            agency_type=local_name(found.get("agencyType")), inferred=found.get("inferred"),
            is_group=iri.startswith(BASE_IRI + "group/"),
            alt_labels=alt.get(iri, []), links=links.get(iri, []),
            roles={role: [] for role in ROLE_ORDER[:3]}, issued=[], mentions=0,
            co_agencies=[], documents=[], places=[], measure_count=0,
        )
        corpus.agencies[iri] = agency
    for agency in corpus.agencies.values():
        agency["parent"] = corpus.agencies.get(agency["parent_iri"] or "")
        if agency["place"]:
            agency["place"]["agencies"].append(agency)


def _assemble_industries(corpus: Corpus, rows: list[dict[str, Any]], alt: dict, links: dict) -> None:
    broader: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row["broader"] and row["broader"] not in broader[row["concept"]]:
            broader[row["concept"]].append(row["broader"])
    for iri, row in _first(rows, "concept").items():
        concept = _entity(iri, row["label"])
        concept.update(definition=row["definition"], scheme_label=row["schemeLabel"],
                       alt_labels=alt.get(iri, []), links=links.get(iri, []),
                       broader=[], narrower=[], measures=[], documents=[], by_place=[],
                       mentions=0)
        corpus.industries[iri] = concept
    for iri, parents in broader.items():
        for parent_iri in parents:
            parent = corpus.industries.get(parent_iri)
            if parent and iri in corpus.industries:
                corpus.industries[iri]["broader"].append(parent)
                parent["narrower"].append(corpus.industries[iri])


def _assemble_documents(corpus: Corpus, rows: Mapping[str, Iterable[dict[str, Any]]]) -> None:
    for iri, row in _first(rows["documents"], "doc").items():
        document = _entity(iri, row["title"] or row["noticeTitle"] or row["source"])
        document.update(
            title=row["title"], notice_title=row["noticeTitle"], number=row["number"],
            date_document=row["dateDocument"], date_publication=row["datePublication"],
            in_force=row["inForce"], no_longer_in_force=row["noLonger"],
            source=row["source"], disclosure=row["disclosure"], text=row["text"] or "",
            measure_count=row["measureCount"], place=corpus.places.get(row["place"] or ""),
            issuers=[], citations=[], cited_by=[], provisions=[], measures=[], top=[],
            facts=[], agencies=[], industries=[],
        )
        corpus.documents[iri] = document
        if document["place"]:
            document["place"]["documents"].append(document)
    for row in rows["document-issuers"]:
        document = corpus.documents.get(row["doc"])
        agency = corpus.agencies.get(row["agency"])
        if document is not None and agency is not None and agency not in document["issuers"]:
            document["issuers"].append(agency)
            agency["issued"].append(document)
    details: dict[str, dict[str, Any]] = defaultdict(dict)
    for row in rows["cited-details"]:
        details[row["cited"]].setdefault(local_name(row["property"]), row["value"])
    for row in rows["cited-documents"]:
        iri, found = row["cited"], details.get(row["cited"], {})
        stub = _entity(iri, found.get("title") or found.get("number"))
        stub.update(title=found.get("title"), number=found.get("number"), cited_by=[])
        corpus.cited[iri] = stub
    for row in rows["document-citations"]:
        document = corpus.documents.get(row["doc"])
        target = corpus.documents.get(row["cited"]) or corpus.cited.get(row["cited"])
        if document is None or target is None or target in document["citations"]:
            continue
        document["citations"].append(target)
        target["cited_by"].append(document)


def _assemble_provisions(corpus: Corpus, rows: list[dict[str, Any]]) -> None:
    for iri, row in _first(rows, "provision").items():
        document = corpus.documents.get(row["doc"])
        if document is None:
            continue
        provision = _entity(iri, row["title"])
        provision.update(
            document=document, is_measure=bool(row["isMeasure"]), kind=row["kind"],
            number=row["number"], order=row["order"] if row["order"] is not None else 0,
            ordinal_path=row["path"] or "", title=row["title"], text=row["text"],
            parent_iri=row["parent"], start=row["start"], end=row["end"],
            children=[],
        )
        anchor = "p-" + (row["path"] or local_name(iri) or "")
        provision["anchor"] = anchor
        # where to read the provision in its document: its anchor in the text, or its own page
        provision["in_document"] = (f"{document['path']}#{anchor}" if isinstance(row["start"], int)
                                    else provision["path"])
        if provision["is_measure"]:
            provision.update(roles={role: [] for role in ROLE_ORDER[:3]}, amounts=[], rates=[],
                             dates=[], durations=[], targets=[], industries=[],
                             citations=[], mentions=[], facts=[])
            corpus.measures[iri] = provision
        corpus.provisions[iri] = provision
        document["provisions"].append(provision)
    for document in corpus.documents.values():
        document["provisions"].sort(key=_document_order)
        document["measures"] = [p for p in document["provisions"] if p["is_measure"]]
        for index, measure in enumerate(document["measures"]):
            measure["previous"] = document["measures"][index - 1] if index else None
            measure["next"] = (document["measures"][index + 1]
                               if index + 1 < len(document["measures"]) else None)
    for provision in corpus.provisions.values():
        parent = corpus.provisions.get(provision["parent_iri"] or "")
        provision["parent"] = parent
        if parent is not None:
            parent["children"].append(provision)
        else:
            provision["document"]["top"].append(provision)
    for provision in corpus.provisions.values():
        provision["children"].sort(key=_document_order)
        trail, node = [], provision["parent"]
        while node is not None and len(trail) < 20:
            trail.append(node)
            node = node["parent"]
        provision["ancestors"] = list(reversed(trail))
    for document in corpus.documents.values():
        document["top"].sort(key=_document_order)


def _document_order(provision: dict[str, Any]) -> tuple:
    start = provision["start"] if provision["start"] is not None else 1 << 60
    numbers = tuple(int(part) if part.isdigit() else 0 for part in provision["ordinal_path"].split("-"))
    return (start, numbers, provision["order"])


def _assemble_facts(corpus: Corpus, rows: Mapping[str, Iterable[dict[str, Any]]]) -> None:
    for row in rows["facts"]:
        iri = row["fact"]
        document = corpus.documents.get(row["doc"])
        if document is None:
            continue
        kind = FACT_KINDS.get(local_name(row["type"]) or "", "mention")
        existing = corpus.facts.get(iri)
        if existing is not None:
            # A fact with several PolicyKG classes: keep the most specific kind.
            if existing["kind"] == "mention" and kind != "mention":
                existing["kind"] = kind
            continue
        start, end = row["start"], row["end"]
        text = document["text"]
        exact = row["exact"] or (text[start:end] if isinstance(start, int) and isinstance(end, int) else "")
        corpus.facts[iri] = {
            "iri": iri, "kind": kind, "document": document,
            "measure": corpus.measures.get(row["measure"] or ""),
            "start": start, "end": end, "exact": exact, "anchor": f"e-{start}-{end}",
        }
    details = {
        "responsibilities": lambda fact, row: fact.update(
            agency=corpus.agencies.get(row["agency"]), role=_key(row["role"]) or "mentioned"),
        "amounts": lambda fact, row: fact.update(
            value=row["value"], currency=row["currency"], qualifier=_key(row["qualifier"]),
            per_unit=row["perUnit"], min=row["min"], max=row["max"]),
        "rates": lambda fact, row: fact.update(
            value=row["value"], rate_kind=_key(row["rateKind"]), qualifier=_key(row["qualifier"])),
        "dates": lambda fact, row: fact.update(
            role=_key(row["role"]), start_date=row["startDate"], end_date=row["endDate"]),
        "durations": lambda fact, row: fact.update(
            duration=row["duration"], working_days=row["workingDays"]),
        "industry-mentions": lambda fact, row: fact.update(concept=corpus.industries.get(row["concept"])),
        "targets": lambda fact, row: fact.update(
            indicator=row["indicator"], value=row["value"], unit=row["unit"], year=row["year"]),
        "citations": lambda fact, row: fact.update(
            cited=corpus.documents.get(row["cited"]) or corpus.cited.get(row["cited"])),
    }
    for query, apply in details.items():
        for row in rows[query]:
            fact = corpus.facts.get(row["fact"])
            if fact is not None and "detail" not in fact:
                apply(fact, row)
                fact["detail"] = True

    lists = {"amount": "amounts", "rate": "rates", "date": "dates", "duration": "durations",
             "target": "targets", "citation": "citations", "mention": "mentions", "person": "mentions"}
    for fact in sorted(corpus.facts.values(), key=lambda f: (f["start"] or 0, f["end"] or 0)):
        fact["document"]["facts"].append(fact)
        measure = fact["measure"]
        if measure is not None:
            measure["facts"].append(fact)
            if fact["kind"] in lists:
                measure[lists[fact["kind"]]].append(fact)
        if fact["kind"] == "industry" and fact.get("concept") is not None:
            fact["concept"]["mentions"] += 1
            if not fact["concept"]["named"] and fact["exact"]:
                # a candidate concept outside the scheme is known by the words that named it
                fact["concept"].update(label=fact["exact"], named=True)
        if fact["kind"] == "agency" and fact.get("agency") is not None:
            fact["agency"]["mentions"] += 1


def _assemble_measure_links(corpus: Corpus, rows: Mapping[str, Iterable[dict[str, Any]]]) -> None:
    for row in rows["measure-agencies"]:
        measure = corpus.measures.get(row["measure"])
        agency = corpus.agencies.get(row["agency"])
        role = _key(row["role"])
        if measure is None or agency is None or role not in measure["roles"]:
            continue
        if agency not in measure["roles"][role]:
            measure["roles"][role].append(agency)
            agency["roles"][role].append(measure)
    for row in rows["measure-industries"]:
        measure = corpus.measures.get(row["measure"])
        concept = corpus.industries.get(row["concept"])
        if measure is not None and concept is not None and concept not in measure["industries"]:
            measure["industries"].append(concept)
            concept["measures"].append(measure)


def _assemble_cross_references(corpus: Corpus) -> None:
    def reading_order(measure: dict[str, Any]) -> tuple:
        return (measure["document"]["date_document"] or "", measure["document"]["iri"],
                _document_order(measure))

    for agency in corpus.agencies.values():
        measures = sorted(_unique(m for role in agency["roles"].values() for m in role), key=reading_order)
        agency["measure_count"] = len(measures)
        agency["documents"] = _unique([m["document"] for m in measures] + agency["issued"])
        agency["places"] = _unique(d["place"] for d in agency["documents"] if d["place"])
        partners: dict[str, list[Any]] = {}
        for measure in measures:
            for others in measure["roles"].values():
                for other in others:
                    if other is not agency:
                        partners.setdefault(other["iri"], [other, 0])[1] += 1
        agency["co_agencies"] = [
            {"agency": other, "shared": shared}
            for other, shared in sorted(partners.values(), key=lambda p: (-p[1], p[0]["label"]))
        ]
        agency["by_document"] = [
            {"document": document,
             "rows": [{"measure": m, "roles": [r for r in ROLE_ORDER[:3] if m in agency["roles"][r]]}
                      for m in measures if m["document"] is document]}
            for document in agency["documents"]
        ]
    for document in corpus.documents.values():
        document["agencies"] = _unique(a for m in document["measures"]
                                       for role in m["roles"].values() for a in role)
        document["industries"] = _unique(c for m in document["measures"] for c in m["industries"])
        for concept in document["industries"]:
            concept["documents"].append(document)
    for concept in corpus.industries.values():
        concept["measures"].sort(key=reading_order)
        groups: dict[str, dict[str, Any]] = {}
        for measure in concept["measures"]:
            place = measure["document"]["place"]
            key = place["iri"] if place else ""
            group = groups.setdefault(key, {"place": place, "documents": [], "measures": []})
            group["measures"].append(measure)
            if measure["document"] not in group["documents"]:
                group["documents"].append(measure["document"])
        concept["by_place"] = sorted(groups.values(), key=lambda g: -len(g["measures"]))


def _unique(items: Iterable[Any]) -> list[Any]:
    seen: set[int] = set()
    result = []
    for item in items:
        if id(item) not in seen:
            seen.add(id(item))
            result.append(item)
    return result


# --------------------------------------------------------------------------- text segments


def segment_text(text: str, highlights: list[Highlight],
                 anchors: list[tuple[int, dict[str, Any]]]) -> list[Segment]:
    """Cut ``text`` into plain and entity segments for the template to render.

    Overlapping spans are split at every boundary; each piece belongs to the
    innermost (shortest) span covering it, so a date inside a target shows as a date
    and the rest of the target as the target. ``anchors`` are provisions starting at
    an offset; each becomes a zero-length segment before the text at that offset.

    >>> hl = [Highlight(0, 7, "target", "m/", "t", "e-0-7"), Highlight(0, 2, "date", "m/", "d", "e-0-2")]
    >>> [(s.text, s.kind, s.anchor) for s in segment_text("到2025新增", hl, [])]
    [('到2', 'date', 'e-0-2'), ('025新增', 'target', 'e-0-7')]
    >>> [(s.text, s.kind) for s in segment_text("abc", [Highlight(1, 9, "amount", None, "", "e")], [])]
    [('a', None), ('bc', 'amount')]
    """
    length = len(text)
    spans = [h for h in highlights if 0 <= h.start < h.end and h.start < length]
    anchor_at: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for offset, provision in anchors:
        if 0 <= offset <= length:
            anchor_at[offset].append(provision)
    bounds = {0, length, *anchor_at}
    for span in spans:
        bounds.add(span.start)
        bounds.add(min(span.end, length))
    points = sorted(bounds)

    starts: dict[int, list[Highlight]] = defaultdict(list)
    for span in spans:
        starts[span.start].append(span)
    rank = {kind: index for index, kind in enumerate(KIND_PRIORITY)}
    active: list[Highlight] = []
    opened: set[int] = set()
    segments: list[Segment] = []
    for index, point in enumerate(points):
        for provision in anchor_at.get(point, ()):
            segments.append(Segment(text="", provision=provision))
        if index + 1 == len(points):
            break
        following = points[index + 1]
        active = [span for span in active if span.end > point]
        active.extend(starts.get(point, ()))
        piece = text[point:following]
        if not active:
            segments.append(Segment(text=piece))
            continue
        inner = min(active, key=lambda s: (s.end - s.start, rank.get(s.kind, 99)))
        first = id(inner) not in opened
        opened.add(id(inner))
        previous = segments[-1] if segments else None
        if previous is not None and previous.provision is None and previous.kind == inner.kind \
                and previous.label == inner.label and previous.href == inner.href and not first:
            previous.text += piece
            continue
        segments.append(Segment(text=piece, kind=inner.kind, href=inner.href, label=inner.label,
                                anchor=inner.anchor if first else None))
    return segments


def _listed_on_measure(fact: dict[str, Any]) -> bool:
    """Whether the measure page lists this fact under its own id."""
    return fact["kind"] not in ("agency", "industry")


def _fact_target(fact: dict[str, Any]) -> str | None:
    """Where a highlighted fact links: the entity it names, else its measure's page."""
    kind = fact["kind"]
    target = None
    if kind == "agency":
        target = fact.get("agency")
    elif kind == "industry":
        target = fact.get("concept")
    elif kind == "citation":
        target = fact.get("cited")
    if target is not None and target["path"]:
        return target["path"]
    measure = fact["measure"]
    if measure is not None and measure["path"]:
        return f"{measure['path']}#{fact['anchor']}"
    return None


def _fact_label(fact: dict[str, Any]) -> str:
    """The name of what a fact refers to, when it names an entity (else its quote)."""
    for key in ("agency", "concept", "cited"):
        entity = fact.get(key)
        if entity is not None:
            return entity["label"]
    return fact["exact"]


def document_segments(document: dict[str, Any]) -> list[Segment]:
    """The whole text of a document with every fact highlighted and provision anchors."""
    highlights = [
        Highlight(f["start"], f["end"], f["kind"], _fact_target(f), _fact_label(f), f["anchor"])
        for f in document["facts"]
        if isinstance(f["start"], int) and isinstance(f["end"], int)
    ]
    anchors = [(p["start"], p) for p in document["provisions"] if isinstance(p["start"], int)]
    return segment_text(document["text"], highlights, anchors)


def excerpt_segments(measure: dict[str, Any]) -> list[Segment] | None:
    """A measure's original text with its facts highlighted, or None without a span."""
    start, end = measure["start"], measure["end"]
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    highlights = [
        # no element ids here: on the measure page the ids belong to the fact lists
        Highlight(f["start"] - start, f["end"] - start, f["kind"], _fact_target(f), _fact_label(f), "")
        for f in measure["document"]["facts"]
        if isinstance(f["start"], int) and isinstance(f["end"], int)
        and f["start"] >= start and f["end"] <= end
    ]
    return segment_text(measure["document"]["text"][start:end], highlights, [])


# --------------------------------------------------------------------------- stage 3: plan


def plan_pages(corpus: Corpus, store: ox.Store, build_date: date) -> list[Page]:
    """Every page of the site with the data it shows."""
    pages: list[Page] = []
    documents = sorted(corpus.documents.values(),
                       key=lambda d: (d["date_document"] or "", d["label"]), reverse=True)
    agencies = sorted(corpus.agencies.values(), key=lambda a: (-a["measure_count"], a["label"]))
    industries = sorted(corpus.industries.values(), key=lambda c: (-len(c["measures"]), c["label"]))
    places = sorted(corpus.places.values(), key=lambda p: (p["notation"] or "", p["label"]))
    cities = [p for p in places if p["documents"]]
    amounts = sorted((f for f in corpus.facts.values() if f["kind"] == "amount"),
                     key=lambda f: -(f.get("value") or 0.0))
    total_money = sum(f.get("value") or 0.0 for f in amounts)
    topics = [{"provision": p, "document": d} for d in documents for p in d["top"]
              if not p["is_measure"] and p["title"]]

    measures_by_agency = bar_chart(
        [(a["label"], float(a["measure_count"]), a["path"]) for a in agencies if a["measure_count"]],
        label_width=220, limit=20)
    pages.append(Page("", "home.html", {
        "counts": {"documents": len(documents), "cities": len(cities), "measures": len(corpus.measures),
                   "agencies": sum(1 for a in agencies if a["measure_count"] or a["issued"]),
                   "industries": sum(1 for c in industries if c["measures"]), "money": total_money,
                   "amounts": len(amounts)},
        "latest": documents[:10], "cities": cities,
        "agencies": [a for a in agencies if a["measure_count"]][:24],
        "industries": [c for c in industries if c["measures"]][:24],
        "topics": topics[:40], "chart": measures_by_agency,
    }))
    pages.extend(paged("documents/", "documents.html", documents, {"documents": documents, "cities": cities}))
    pages.extend(paged("agency/", "agencies.html", agencies, {"agencies": agencies, "chart": measures_by_agency}))
    pages.append(Page("industry/", "industries.html", {
        "industries": industries,
        "roots": [c for c in industries if not c["broader"]]}))
    pages.append(Page("place/", "places.html", {"places": places}))

    money_by_industry: dict[str, float] = defaultdict(float)
    for fact in amounts:
        measure = fact["measure"]
        for concept in (measure["industries"] if measure else []):
            money_by_industry[concept["iri"]] += fact.get("value") or 0.0
    industry_chart = bar_chart(
        [(corpus.industries[iri]["label"], value, corpus.industries[iri]["path"])
         for iri, value in sorted(money_by_industry.items(), key=lambda kv: -kv[1])],
        label_width=200, limit=20)
    pages.extend(paged("money/", "money.html", amounts, {
        "amounts": amounts, "total": total_money, "chart": industry_chart}))

    deadlines = _deadlines_context(corpus, build_date)
    pages.extend(paged("deadlines/", "deadlines.html", deadlines.pop("rows"), deadlines))
    pages.append(Page("queries/", "queries.html", {"queries": named_query_results(store, corpus.link)}))
    files = [f for f in DATA_FILES if f["kind"] == "graph" or data_path("ontology", f["name"]).is_file()]
    pages.append(Page("data/", "data.html", {"terms": ontology_terms(store, corpus.link), "files": files}))
    pages.append(Page("search/", "search.html", {"bundles": [part["bundle"] for part in search_parts(documents)]}))
    pages.append(Page("", "404.html", {}, file_name="404.html"))

    for document in documents:
        if document["path"]:
            pages.append(Page(document["path"], "document.html", {
                "document": document, "segments": document_segments(document),
                "kinds": sorted({f["kind"] for f in document["facts"]}, key=KIND_PRIORITY.index)}))
    for provision in corpus.provisions.values():
        if not provision["path"]:
            continue
        if provision["is_measure"]:
            pages.append(Page(provision["path"], "measure.html", {
                "measure": provision, "segments": excerpt_segments(provision)}))
        else:
            pages.append(Page(provision["path"], "provision.html", {"provision": provision}))
    for agency in agencies:
        if agency["path"]:
            pages.append(Page(agency["path"], "agency.html", {"agency": agency}))
    for concept in industries:
        if concept["path"]:
            pages.append(Page(concept["path"], "industry.html", {"industry": concept}))
    for place in places:
        if place["path"]:
            pages.append(Page(place["path"], "place.html", {"place": place}))
    for stub in corpus.cited.values():
        if stub["path"]:
            pages.append(Page(stub["path"], "cited.html", {"cited": stub}))
    return pages


def _deadlines_context(corpus: Corpus, build_date: date) -> dict[str, Any]:
    today = build_date.isoformat()
    rows = []
    for fact in corpus.facts.values():
        if fact["kind"] != "date" or fact.get("role") not in TIMELINE_ROLES:
            continue
        when = fact.get("end_date") or fact.get("start_date")
        if not when:
            continue
        rows.append({"fact": fact, "date": when, "month": when[:7], "expired": when < today})
    rows.sort(key=lambda r: (r["date"], r["fact"]["document"]["label"], r["fact"]["start"] or 0))
    months: dict[str, int] = defaultdict(int)
    for row in rows:
        months[row["month"]] += 1
    chart = bar_chart([(month, float(count), None) for month, count in months.items()], label_width=80)
    validity = sorted(
        ({"document": d, "date": d["no_longer_in_force"], "expired": d["no_longer_in_force"] < today}
         for d in corpus.documents.values() if d["no_longer_in_force"]),
        key=lambda r: r["date"])
    return {"rows": rows, "months": dict(months), "chart": chart, "today": today, "validity": validity,
            "expired": sum(r["expired"] for r in rows), "upcoming": sum(not r["expired"] for r in rows)}


def paged(path: str, template: str, rows: list[Any], context: dict[str, Any],
          size: int | None = None) -> list[Page]:
    """``rows`` split over pages of ``size`` (default ``LISTING_ROWS``): the first at
    ``path``, the others at ``path`` + ``page/N/``. Each page's context is ``context`` plus
    its ``rows`` and a ``pager`` (its number, how many, the path of each).

    >>> [(p.path, len(p.context["rows"]), p.context["pager"]["number"]) for p in paged("money/", "money.html", list(range(5)), {}, 2)]
    [('money/', 2, 1), ('money/page/2/', 2, 2), ('money/page/3/', 1, 3)]
    >>> [p.path for p in paged("money/", "money.html", [], {}, 2)]
    ['money/']
    """
    size = size or LISTING_ROWS
    count = max(1, -(-len(rows) // size))
    paths = [path if number == 1 else f"{path}page/{number}/" for number in range(1, count + 1)]
    return [Page(paths[number - 1], template, {
        **context, "rows": rows[(number - 1) * size:number * size],
        "pager": {"number": number, "count": count, "paths": paths}}) for number in range(1, count + 1)]


# --------------------------------------------------------------------------- queries and ontology


def named_query_results(store: ox.Store, link: Callable[[str], str | None],
                        limit: int = 50) -> list[dict[str, Any]]:
    """Every named query of the library (``kg.queries``) with its results on this store.

    Each query runs with its default parameters; at most ``limit`` rows are kept.
    """
    from kg import queries as library

    results = []
    for query in library.list_queries():
        entry = {"name": query.name, "title": query.title_zh or query.name, "title_en": query.title_en,
                 "description": query.description, "sparql": query.sparql,
                 "parameters": [{"name": p.name, "type": p.type, "default": p.default,
                                 "description": p.description} for p in query.params],
                 "columns": [], "rows": [], "error": None, "truncated": False, "count": 0}
        try:
            outcome = library.run_query(store, query)
        except PolicyKGError as error:  # one broken query must not stop the site
            entry["error"] = str(error)
        else:
            entry["columns"] = list(outcome.variables)
            entry["count"] = len(outcome.rows)
            entry["truncated"] = len(outcome.rows) > limit
            entry["rows"] = [[_cell(term, link) for term in row] for row in outcome.rows[:limit]]
        results.append(entry)
    return results


def _cell(term: Any, link: Callable[[str], str | None]) -> dict[str, Any]:
    value = _python_value(term)
    if value is None:
        return {"text": "", "path": None}
    text = str(value)
    if not isinstance(term, ox.NamedNode):
        return {"text": text, "path": None}
    shown = "pkgr:" + text[len(BASE_IRI):] if text.startswith(BASE_IRI) else _curie(text)
    return {"text": shown, "path": link(text)}


def ontology_terms(store: ox.Store | None = None,
                   link: Callable[[str], str | None] = lambda iri: None) -> list[dict[str, Any]]:
    """Classes and properties of ontology/policykg.ttl, for the data page, each with
    its examples: those the ontology gives, else one taken from ``store``."""
    path = data_path("ontology", "policykg.ttl")
    if not path.is_file():
        return []
    ontology = ox.Store()
    ontology.load(path=str(path), format=ox.RdfFormat.TURTLE)
    results = ontology.query(load_query("ontology-terms"))
    terms: dict[str, dict[str, Any]] = {}
    for solution in results:
        iri = solution["term"].value
        term = terms.setdefault(iri, {"iri": iri, "curie": _curie(iri), "kind": None, "label": None,
                                      "label_en": None, "definition": None, "examples": [],
                                      "domain": None, "range": None, "corpus_example": None})
        kind = local_name(solution["kind"].value)
        if term["kind"] is None or kind != "Property":
            term["kind"] = kind
        for name, key in (("label", "label"), ("labelEn", "label_en"), ("definition", "definition"),
                          ("domain", "domain"), ("range", "range")):
            value = _python_value(solution[name])
            if value is not None and term[key] is None:
                term[key] = _curie(value) if name in ("domain", "range") else value
        example = _python_value(solution["example"])
        if example is not None and example not in term["examples"]:
            term["examples"].append(example)
    if store is not None:
        for row in run_rows(store, "term-examples"):
            term = terms.get(row["term"])
            if term is None or term["examples"] or row["example"] is None:
                continue
            text = str(row["example"])
            shown = "pkgr:" + text[len(BASE_IRI):] if text.startswith(BASE_IRI) else text
            term["corpus_example"] = {"text": shown if len(shown) <= 80 else shown[:79] + "…",
                                      "path": link(text) if text.startswith(BASE_IRI) else None}
    return sorted(terms.values(), key=lambda t: (t["kind"] != "Class", t["curie"]))


# --------------------------------------------------------------------------- stage 4: render and write


def make_environment(templates_dir: Path | None = None) -> Environment:
    """Jinja2 environment: the user's templates first, then the bundled ones."""
    loaders = [FileSystemLoader(str(templates_dir))] if templates_dir else []
    loaders.append(FileSystemLoader(str(data_dir("site") / "templates")))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(["html", "htm", "xml", "svg"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # compiled templates are reused across runs (keyed by the source's checksum,
        # so edited and overriding templates are recompiled)
        bytecode_cache=FileSystemBytecodeCache(),
    )
    env.filters["number"] = _format_number
    return env


def _format_number(value: Any, digits: int = 2) -> str:
    """Group thousands and drop trailing zeros: 1234567.5 → "1,234,567.5"."""
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.{digits}f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def write_pages(env: Environment, pages: list[Page], out: Path, embedded: dict[str, Markup],
                base_url: str, build_date: date) -> tuple[int, int]:
    """Render every page into ``out``; returns the number of pages and of bytes written."""
    size = 0
    site = {"base_url": base_url, "build_date": build_date.isoformat(), "version": __version__}
    templates: dict[str, Any] = {}
    made: set[Path] = set()
    for page in pages:
        template = templates.get(page.template)
        if template is None:
            template = templates[page.template] = env.get_template(page.template)
        depth = page.path.count("/")
        iri = BASE_IRI + page.path[:-1] if page.path and page.template not in _LISTING_TEMPLATES else None
        jsonld = embedded.get(iri) if iri else None
        context = dict(page.context)
        context.update(
            # 404.html is served at any depth, so its links start from the base URL.
            site=site, root=base_url if page.file_name == "404.html" else "../" * depth,
            path=page.path,
            canonical=(base_url + page.path) if base_url.startswith(("http://", "https://")) else None,
            iri=iri if jsonld is not None else None,
            jsonld=jsonld,
        )
        html = template.render(context)
        folder = out / unquote(page.path) if page.path else out
        if folder not in made:
            folder.mkdir(parents=True, exist_ok=True)
            made.add(folder)
        data = html.encode("utf-8")
        (folder / page.file_name).write_bytes(data)
        size += len(data)
    return len(pages), size


_LISTING_TEMPLATES = {"home.html", "documents.html", "agencies.html", "industries.html", "places.html",
                      "money.html", "deadlines.html", "queries.html", "data.html", "search.html",
                      "404.html"}


# --------------------------------------------------------------------------- linked data


def write_linked_data(store: ox.Store, corpus: Corpus, out: Path) -> tuple[dict[str, Markup], int, int]:
    """``index.ttl`` and ``index.jsonld`` beside every entity page, and the JSON-LD each
    page embeds (its own statements). Returns that JSON-LD by page IRI, files and bytes.

    An entity's file holds its own triples plus the facts and selectors it owns: a fact
    belongs to its measure when the measure has a page, otherwise to the page whose IRI
    is the longest prefix of the fact's IRI (its document); selector nodes belong to their
    fact's owner. The store is read graph by graph, so memory holds one document's
    triples at a time: the shared graphs (reference data, links) are read first and kept,
    then each document's graph is read and the pages of that document written at once.
    Agencies, industries, places and cited documents are described by many graphs and
    written last. (What one document's graph says about another document's entities is
    in the dumps, not in that entity's file.)
    """
    pages = {iri for group in (corpus.documents, corpus.provisions, corpus.agencies,
                               corpus.industries, corpus.places, corpus.cited)
             for iri, entity in group.items() if entity["path"]}
    fact_owner = {iri: fact["measure"]["iri"] if fact["measure"] is not None and fact["measure"]["path"]
                  else fact["document"]["iri"]
                  for iri, fact in corpus.facts.items()}
    # the document graph a page's triples come from (documents and their provisions)
    home = {iri: iri for iri in corpus.documents}
    home.update((iri, provision["document"]["iri"]) for iri, provision in corpus.provisions.items())
    owner_cache: dict[str, str | None] = {}

    def owner(iri: str) -> str | None:
        found = owner_cache.get(iri, "")
        if found != "":
            return found
        current, result = iri, None
        while len(current) > len(BASE_IRI):
            if current in pages:
                result = current
                break
            if current in fact_owner:
                result = fact_owner[current]
                break
            current = current.rsplit("/", 1)[0]
        owner_cache[iri] = result
        return result

    def collect(quads: Iterable[ox.Quad], local: dict[str, list[ox.Triple]] | None,
                graph: str | None) -> None:
        # a statement in two graphs is kept twice; serialisers and readers treat it as one
        for quad in quads:
            subject = quad.subject
            if not isinstance(subject, ox.NamedNode):
                continue
            entity = owner(subject.value)
            if entity is None:
                continue
            if local is not None and home.get(entity) == graph:
                local[entity].append(quad.triple)
            else:
                pending[entity].append(quad.triple)

    embedded: dict[str, Markup] = {}
    files = size = 0
    text_predicate = PKG.text

    def write(iri: str, triples: list[ox.Triple]) -> None:
        nonlocal files, size
        # the page itself embeds only the entity's own statements, without the long text
        # (the page shows it; the full description is in index.jsonld beside it)
        own = [t for t in triples
               if t.predicate != text_predicate and isinstance(t.subject, ox.NamedNode) and t.subject.value == iri]
        embedded[iri] = script_json(ox.serialize(own, format=ox.RdfFormat.JSON_LD))
        folder = out / unquote(page_path(iri) or "")
        folder.mkdir(parents=True, exist_ok=True)
        # serialised in memory and written at once: pyoxigraph's file output is unbuffered
        turtle = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        jsonld = ox.serialize(triples, format=ox.RdfFormat.JSON_LD)
        (folder / "index.ttl").write_bytes(turtle)
        (folder / "index.jsonld").write_bytes(jsonld)
        files += 2
        size += len(turtle) + len(jsonld)

    pending: dict[str, list[ox.Triple]] = defaultdict(list)
    graphs = list(store.named_graphs())
    document_graphs = [g for g in graphs if isinstance(g, ox.NamedNode) and g.value in corpus.documents]
    collect(store.quads_for_pattern(None, None, None, ox.DefaultGraph()), None, None)
    for graph in graphs:
        if not (isinstance(graph, ox.NamedNode) and graph.value in corpus.documents):
            collect(store.quads_for_pattern(None, None, None, graph), None, None)
    for graph in document_graphs:
        local: dict[str, list[ox.Triple]] = defaultdict(list)
        collect(store.quads_for_pattern(None, None, None, graph), local, graph.value)
        for iri, triples in local.items():
            write(iri, triples + pending.pop(iri, []))
    for iri in pages:
        if iri not in embedded:
            write(iri, pending.pop(iri, []))
    return embedded, files, size


#: What ends or confuses a <script> element, as JSON string escapes (the characters
#: Jinja2's ``tojson`` escapes); outside strings JSON-LD has none of them.
_SCRIPT_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027"))


def script_json(data: bytes) -> Markup:
    """Serialised JSON made safe to embed in ``<script type="application/ld+json">`` as is
    (no parse and re-serialisation per page).

    >>> str(script_json('[{"t": "</script><b>&"}]'.encode("utf-8")))
    '[{"t": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}]'
    """
    text = data.decode("utf-8")
    for char, escape in _SCRIPT_ESCAPES:  # str.replace: far quicker than str.translate here
        if char in text:
            text = text.replace(char, escape)
    return Markup(text)


#: The whole graph in the other formats (N-Quads is written by ``read_store``),
#: gzip-compressed: each is another full copy of the graph, ≈ 5–8× smaller compressed.
GRAPH_DUMPS = {"policykg.trig.gz": ox.RdfFormat.TRIG, "policykg.jsonld.gz": ox.RdfFormat.JSON_LD}


def write_graph_dumps(store: ox.Store, folder: Path) -> None:
    """The whole graph as gzip-compressed TriG and JSON-LD in ``folder``, streamed."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, fmt in GRAPH_DUMPS.items():
        # level 1: most of the size gain at a fraction of the default level's time
        with gzip.open(folder / name, "wb", compresslevel=1) as compressed, \
                io.BufferedWriter(compressed, buffer_size=1 << 20) as buffered:  # type: ignore[arg-type]
            store.dump(buffered, format=fmt,
                       **({"prefixes": PREFIXES} if fmt == ox.RdfFormat.TRIG else {}))


#: The downloads on the data page: (file name in data/, format key).
DATA_FILES = [
    {"name": "policykg.nq", "format": "N-Quads", "kind": "graph"},
    {"name": "policykg.trig.gz", "format": "TriG (gzip)", "kind": "graph"},
    {"name": "policykg.jsonld.gz", "format": "JSON-LD (gzip)", "kind": "graph"},
    {"name": "policykg.ttl", "format": "Turtle", "kind": "ontology"},
    {"name": "shapes.ttl", "format": "Turtle (SHACL)", "kind": "shapes"},
    {"name": "context.jsonld", "format": "JSON-LD context", "kind": "context"},
]


def write_data_files(out: Path) -> None:
    """The ontology files the data page links to, and the static assets.

    (The graph dumps are written by ``read_store`` and ``write_graph_dumps``.)
    """
    folder = out / "data"
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("policykg.ttl", "shapes.ttl", "context.jsonld"):
        source = data_path("ontology", name)
        if source.is_file():
            shutil.copyfile(source, folder / name)
    static = data_dir("site") / "static"
    if static.is_dir():
        shutil.copytree(static, out / "static", dirs_exist_ok=True)


# --------------------------------------------------------------------------- search


def search_parts(documents: Iterable[dict[str, Any]], size: int | None = None) -> list[dict[str, Any]]:
    """The search index's parts: each is one Pagefind run over the pages below some
    folders (a document's page and its measures' sit below its folder), written into its
    own bundle. Documents are grouped by the folder above theirs (``eli/cn/{division}/{year}``)
    and the folders packed in order into parts of at most ``size`` documents (default
    ``SEARCH_PART_DOCUMENTS``); a folder with more is split into its documents' folders.

    >>> docs = [{"path": "eli/cn/1/2024/a/"}, {"path": "eli/cn/1/2024/b/"}, {"path": "eli/cn/2/2023/c/"}]
    >>> [(p["bundle"], p["folders"], p["documents"]) for p in search_parts(docs, 2)]
    [('pagefind/', ['eli/cn/1/2024'], 2), ('pagefind-2/', ['eli/cn/2/2023'], 1)]
    >>> [p["folders"] for p in search_parts(docs, 1)]
    [['eli/cn/1/2024/a'], ['eli/cn/1/2024/b'], ['eli/cn/2/2023']]
    >>> [p["glob"] for p in search_parts(docs)]
    ['{eli/cn/1/2024,eli/cn/2/2023}/**/*.html']
    """
    size = size or SEARCH_PART_DOCUMENTS
    below: dict[str, list[str]] = defaultdict(list)
    for document in documents:
        path = (document.get("path") or "").strip("/")
        if path:
            below[path.rsplit("/", 1)[0] if "/" in path else path].append(path)
    items: list[tuple[str, int]] = []
    for folder in sorted(below):
        paths = below[folder]
        items.extend([(folder, len(paths))] if len(paths) <= size or folder in paths
                     else [(path, 1) for path in sorted(paths)])
    groups: list[list[str]] = []
    sizes: list[int] = []
    for folder, count in items:
        if not groups or sizes[-1] + count > size:
            groups.append([])
            sizes.append(0)
        groups[-1].append(folder)
        sizes[-1] += count
    return [{"bundle": "pagefind/" if number == 0 else f"pagefind-{number + 1}/", "folders": folders,
             "documents": count, "glob": _folders_glob(folders)}
            for number, (folders, count) in enumerate(zip(groups, sizes))] or \
        [{"bundle": "pagefind/", "folders": [], "documents": 0, "glob": "**/*.html"}]


def _folders_glob(folders: list[str]) -> str:
    # folder names come from IRIs (divisions, years, slugs); any glob syntax in one is
    # matched as "any character" rather than read as syntax
    safe = ["".join("?" if char in "*?[]{}!,\\" else char for char in folder) for folder in folders]
    return (safe[0] if len(safe) == 1 else "{" + ",".join(safe) + "}") + "/**/*.html"


def write_search_parts(parts: list[dict[str, Any]], out: Path) -> None:
    """List the search index's parts in the site (``SEARCH_PARTS_FILE``)."""
    path = out / SEARCH_PARTS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"parts": parts}, ensure_ascii=False, indent=1), encoding="utf-8")


def index_search(out: Path) -> bool:
    """Index the pages marked ``data-pagefind-body`` with Pagefind, part by part as
    ``SEARCH_PARTS_FILE`` lists them; False if Pagefind wrote no bundle."""
    listing = Path(out) / SEARCH_PARTS_FILE
    parts = json.loads(listing.read_text(encoding="utf-8"))["parts"] if listing.is_file() else \
        [{"bundle": "pagefind/", "glob": "**/*.html"}]
    for part in parts:
        command = [sys.executable, "-m", "pagefind", "--site", str(out), "--quiet",
                   "--glob", part["glob"], "--output-subdir", part["bundle"].rstrip("/")]
        try:
            completed = subprocess.run(command, capture_output=True, text=True, timeout=1800)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PolicyKGError(f"search indexing failed: {error}", out) from error
        if completed.returncode != 0:
            detail = (completed.stderr or completed.stdout).strip().splitlines()
            raise PolicyKGError(f"search indexing failed: {detail[-1] if detail else completed.returncode}",
                                out)
    return all((Path(out) / part["bundle"] / "pagefind.js").is_file() for part in parts)


# --------------------------------------------------------------------------- output folder


def _prepare_output(out_dir: Path) -> Path:
    if out_dir.exists():
        if not out_dir.is_dir():
            raise PolicyKGError("exists and is not a folder", out_dir)
        if any(out_dir.iterdir()) and not (out_dir / SITE_MARKER).exists():
            raise PolicyKGError("folder is not empty and is not a PolicyKG site; refusing to replace it",
                                out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir.parent / f".{out_dir.name}.building-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    return staging


def _publish(staging: Path, out_dir: Path) -> None:
    if out_dir.exists():
        retired = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
        shutil.rmtree(retired, ignore_errors=True)
        out_dir.rename(retired)
        staging.rename(out_dir)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        staging.rename(out_dir)


def _folder_size(folder: Path, skip: set[str]) -> tuple[int, int]:
    """Files and bytes in ``folder`` apart from the top-level folders in ``skip`` and
    the pages at its root (those were counted as they were written)."""
    files = size = 0
    for entry in os.scandir(folder):
        if entry.is_dir():
            if entry.name in skip:
                continue
            for root, _, names in os.walk(entry.path):
                for name in names:
                    if name == "index.html" and root == entry.path and entry.name == "data":
                        continue  # counted with the pages
                    files += 1
                    size += os.stat(os.path.join(root, name)).st_size
        elif entry.name not in ("index.html", "404.html"):
            files += 1
            size += entry.stat().st_size
    return files, size
