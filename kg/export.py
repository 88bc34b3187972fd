"""``policykg export``: dumps of the store and a VoID/DCAT description of the dataset.

Formats: Turtle and N-Triples (the triples of one graph, or of every graph merged),
N-Quads and TriG (named graphs kept), JSON-LD (named graphs kept, compacted with the
shipped context ``ontology/context.jsonld``).

>>> from pyoxigraph import Literal, NamedNode, Quad, Store
>>> store = Store()
>>> g = NamedNode("https://w3id.org/policykg/eli/cn/350200/2024/x-1")
>>> store.add(Quad(g, NamedNode("http://data.europa.eu/eli/ontology#title"), Literal("测试", language="zh"), g))
>>> print(export_bytes(store, "nq").decode().strip())
<https://w3id.org/policykg/eli/cn/350200/2024/x-1> <http://data.europa.eu/eli/ontology#title> "测试"@zh <https://w3id.org/policykg/eli/cn/350200/2024/x-1> .
>>> '"title"' in export_bytes(store, "jsonld").decode()
True
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Store, Triple, serialize

from kg import __version__
from kg.errors import PolicyKGError
from kg.namespaces import (
    BASE_IRI,
    DCAT,
    DCTERMS,
    FOAF,
    PKG,
    PREFIXES,
    RDF,
    REFERENCE_GRAPH,
    VOID,
    XSD,
)
from kg.queries import internal_query
from kg.resources import data_path

FORMATS = {"ttl": RdfFormat.TURTLE, "nt": RdfFormat.N_TRIPLES, "nq": RdfFormat.N_QUADS,
           "trig": RdfFormat.TRIG, "jsonld": RdfFormat.JSON_LD}
#: The dataset described by ``--void``.
DATASET_IRI = NamedNode(BASE_IRI + "dataset")
LICENCE = NamedNode("https://creativecommons.org/licenses/by/4.0/")
CONTEXT_URL = BASE_IRI + "context.jsonld"


@cache
def shipped_context() -> dict[str, Any]:
    """The JSON-LD ``@context`` shipped in ``ontology/context.jsonld``."""
    return json.loads(data_path("ontology", "context.jsonld").read_text(encoding="utf-8"))


def _prefixes() -> dict[str, str]:
    return {p: iri for p, iri in PREFIXES.items() if p not in ("sh", "wd")}


def _quads(store: Store, graph: str | None) -> list[Quad]:
    if graph is None:
        return list(store.quads_for_pattern(None, None, None, None))
    node = NamedNode(graph)
    if not store.contains_named_graph(node):
        raise PolicyKGError(f"the store has no graph <{graph}>")
    return list(store.quads_for_pattern(None, None, None, node))


def to_jsonld(quads: list[Quad]) -> dict[str, Any]:
    """Compact JSON-LD of quads (named graphs as ``@graph`` objects), with the shipped context."""
    from pyld import jsonld  # noqa: PLC0415

    expanded = json.loads(serialize(quads, format=RdfFormat.JSON_LD) or b"[]")
    context = shipped_context()
    compacted = jsonld.compact(expanded, context, {"base": None})
    return compacted


def export_bytes(store: Store, fmt: str, graph: str | None = None) -> bytes:
    """The store (or one graph) serialised as ``fmt`` (ttl, nt, nq, trig, jsonld)."""
    if fmt not in FORMATS:
        raise PolicyKGError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    quads = _quads(store, graph)
    if fmt == "jsonld":
        return json.dumps(to_jsonld(quads), ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
    rdf_format = FORMATS[fmt]
    if rdf_format.supports_datasets:
        return serialize(quads, format=rdf_format, prefixes=_prefixes() if fmt == "trig" else None)
    # Turtle / N-Triples hold one graph: the graph asked for, or all graphs merged
    triples = list(dict.fromkeys(Triple(q.subject, q.predicate, q.object) for q in quads))
    return serialize(triples, format=rdf_format, prefixes=_prefixes() if fmt == "ttl" else None)


# --------------------------------------------------------------------------- VoID / DCAT

def void_quads(store: Store, today: dt.date | None = None) -> list[Quad]:
    """A VoID + DCAT description of the dataset in the store: counts, licence, sources, dates."""
    today = today or dt.date.today()
    d = DATASET_IRI
    graph = DefaultGraph()
    out: list[Quad] = []

    def add(s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        out.append(Quad(s, p, o, graph))

    def integer(n: int) -> Literal:
        return Literal(str(n), datatype=XSD.integer)

    add(d, RDF.type, VOID.Dataset)
    add(d, RDF.type, DCAT.Dataset)
    add(d, DCTERMS["title"], Literal("PolicyKG 政策知识图谱", language="zh"))
    add(d, DCTERMS["title"], Literal("PolicyKG knowledge graph of Chinese government policy documents", language="en"))
    add(d, DCTERMS.description, Literal(
        "Documents, measures, responsible agencies, amounts, rates, deadlines, industries, targets and "
        "citations extracted from Chinese government policy documents, each fact linked to its source span.",
        language="en"))
    add(d, DCTERMS.license, LICENCE)
    add(d, DCTERMS.rights, Literal("The source documents are public government information; their text "
                                   "remains the issuing bodies'.", language="en"))
    add(d, DCTERMS.modified, Literal(today.isoformat(), datatype=XSD.date))
    add(d, DCTERMS.creator, Literal(f"PolicyKG {__version__}"))
    add(d, VOID.uriSpace, Literal(BASE_IRI))
    add(d, VOID.triples, integer(len(store)))
    for vocabulary in ("pkg", "eli", "org", "schema", "time", "skos", "prov", "oa", "dcterms", "foaf"):
        add(d, VOID.vocabulary, NamedNode(PREFIXES[vocabulary]))
    stats = next(iter(store.query(internal_query("dataset-statistics"))))
    add(d, PKG.documentCount, integer(int(stats["documents"].value)))
    if stats["first"] is not None and stats["last"] is not None:
        period = NamedNode(BASE_IRI + "dataset/period")
        add(d, DCTERMS.temporal, period)
        add(period, RDF.type, DCTERMS.PeriodOfTime)
        add(period, DCAT.startDate, stats["first"])
        add(period, DCAT.endDate, stats["last"])
    for row in store.query(internal_query("dataset-classes")):
        partition = NamedNode(f"{BASE_IRI}dataset/class/{_local(row['class'].value)}")
        add(d, VOID.classPartition, partition)
        add(partition, VOID["class"], row["class"])
        add(partition, VOID.entities, integer(int(row["n"].value)))
    for row in store.query(internal_query("dataset-sources")):
        add(d, DCTERMS.source, row["doc"])
        add(row["doc"], DCTERMS.source, row["file"])
        subset = row["doc"]
        add(d, VOID.subset, subset)
    if store.contains_named_graph(REFERENCE_GRAPH):
        add(d, VOID.subset, REFERENCE_GRAPH)
        add(REFERENCE_GRAPH, DCTERMS["title"], Literal("Reference data: ontology, divisions, agencies, industries", language="en"))
    for fmt, media in (("nq", "application/n-quads"), ("trig", "application/trig"), ("ttl", "text/turtle"),
                       ("jsonld", "application/ld+json")):
        dist = NamedNode(f"{BASE_IRI}dataset/dump.{fmt}")
        add(d, DCAT.distribution, dist)
        add(dist, RDF.type, DCAT.Distribution)
        add(dist, DCAT.mediaType, Literal(media))
        add(dist, DCTERMS.license, LICENCE)
        add(d, VOID.dataDump, dist)
    add(d, FOAF.homepage, NamedNode(BASE_IRI))
    return out


def _local(iri: str) -> str:
    for prefix, base in PREFIXES.items():
        if iri.startswith(base):
            return f"{prefix}-{iri[len(base):]}"
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def void_bytes(store: Store, fmt: str = "ttl") -> bytes:
    quads = void_quads(store)
    if fmt == "jsonld":
        return json.dumps(to_jsonld(quads), ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
    rdf_format = FORMATS.get(fmt, RdfFormat.TURTLE)
    if rdf_format.supports_datasets:
        return serialize(quads, format=rdf_format)
    return serialize([Triple(q.subject, q.predicate, q.object) for q in quads], format=rdf_format,
                     prefixes=_prefixes() if rdf_format == RdfFormat.TURTLE else None)


def export_store(store_dir: Path, fmt: str = "nq", graph: str | None = None, out: Path | None = None,
                 void: bool = False) -> bytes | None:
    """``policykg export``: write to ``out`` (returns None) or return the bytes."""
    from kg.store import open_read_only  # noqa: PLC0415

    store = open_read_only(store_dir)
    data = void_bytes(store, fmt) if void else export_bytes(store, fmt, graph)
    if out is None:
        return data
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_bytes(data)
    return None
