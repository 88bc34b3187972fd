"""SHACL validation (pyshacl) of document graphs and the reference graph.

Each graph is validated on its own against ``ontology/shapes.ttl`` (the shapes never
need another graph), which keeps every check small: a build validates each document
in the worker that mapped it, before it reaches the store, and ``policykg validate``
walks the graphs of a store one by one.

>>> from pyoxigraph import Literal, NamedNode, Quad
>>> from kg.namespaces import PKG, RDF
>>> doc = NamedNode("https://w3id.org/policykg/eli/cn/350200/2024/x-1")
>>> problems = validate_quads([Quad(doc, RDF.type, PKG.PolicyDocument, doc)])
>>> sorted({p.path.rsplit("#", 1)[-1] for p in problems if "policykg" in p.path})[:3]
['contentHash', 'factCount', 'measureCount']
>>> print(problems[0].describe().splitlines()[0])  # doctest: +ELLIPSIS
Violation at <https://w3id.org/policykg/eli/cn/350200/2024/x-1> ...
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Iterable

from pyoxigraph import NamedNode, Quad, RdfFormat, Store, Triple, serialize

from kg.namespaces import REFERENCE_GRAPH
from kg.resources import data_path


@dataclass(frozen=True)
class Violation:
    """One SHACL result, in words a user can act on."""

    graph: str
    focus: str
    path: str | None
    message: str
    severity: str  # Violation | Warning | Info
    value: str | None = None
    shape: str | None = None

    def describe(self) -> str:
        where = f"<{self.focus}>" + (f" {_short(self.path)}" if self.path else "")
        lines = [f"{self.severity} at {where}: {self.message}"]
        if self.value is not None:
            lines.append(f"    value: {self.value}")
        lines.append(f"    in graph <{self.graph}>")
        return "\n".join(lines)


@dataclass
class ValidationReport:
    """The outcome of validating some graphs."""

    graphs: int = 0
    violations: list[Violation] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not any(v.severity == "Violation" for v in self.violations)

    def describe(self) -> str:
        if not self.violations:
            return f"{self.graphs} graph(s) conform to the shapes"
        body = "\n".join(v.describe() for v in self.violations)
        errors = sum(1 for v in self.violations if v.severity == "Violation")
        return f"{body}\n{errors} violation(s), {len(self.violations) - errors} warning(s) in {self.graphs} graph(s)"


def _short(iri: str) -> str:
    from kg.namespaces import PREFIXES  # noqa: PLC0415

    for prefix, base in PREFIXES.items():
        if iri.startswith(base) and prefix != "pkgr":
            return f"{prefix}:{iri[len(base):]}"
    return f"<{iri}>"


@cache
def _shapes():  # -> rdflib.Graph
    from rdflib import Graph  # noqa: PLC0415

    return Graph().parse(data_path("ontology", "shapes.ttl"), format="turtle")


def _to_rdflib(quads: Iterable[Quad]):  # -> rdflib.Graph
    from rdflib import Graph  # noqa: PLC0415

    data = serialize([Triple(q.subject, q.predicate, q.object) for q in quads], format=RdfFormat.N_TRIPLES)
    graph = Graph()
    if data:
        graph.parse(data=data.decode("utf-8"), format="nt")
    return graph


def validate_rdflib(data_graph, graph_name: str) -> list[Violation]:  # noqa: ANN001 - rdflib.Graph
    """Validate an rdflib graph; return its results (empty when it conforms)."""
    import pyshacl  # noqa: PLC0415
    from rdflib import URIRef  # noqa: PLC0415
    from rdflib.namespace import SH  # noqa: PLC0415

    conforms, results, _ = pyshacl.validate(data_graph, shacl_graph=_shapes(), inference="none",
                                            advanced=False, allow_warnings=True)
    if conforms:
        return []
    violations: list[Violation] = []
    for result in results.subjects(URIRef(str(SH) + "resultSeverity"), None):
        def one(predicate: str) -> str | None:
            value = results.value(result, URIRef(str(SH) + predicate))
            return None if value is None else str(value)

        severity = (one("resultSeverity") or "").rsplit("#", 1)[-1]
        violations.append(Violation(
            graph=graph_name,
            focus=one("focusNode") or "",
            path=one("resultPath"),
            message=one("resultMessage") or "does not conform",
            severity=severity,
            value=one("value"),
            shape=str(shape) if isinstance(shape := results.value(result, URIRef(str(SH) + "sourceShape")), URIRef) else None,
        ))
    violations.sort(key=lambda v: (v.graph, v.focus, v.path or "", v.message))
    return violations


def validate_quads(quads: list[Quad]) -> list[Violation]:
    """Validate the quads of one graph (a document's, as ``kg.mapping`` made them)."""
    graph_name = quads[0].graph_name.value if quads and isinstance(quads[0].graph_name, NamedNode) else ""
    return validate_rdflib(_to_rdflib(quads), graph_name)


def validate_store(store: Store, graphs: Iterable[NamedNode] | None = None,
                   progress: bool = False) -> ValidationReport:
    """Validate every document graph of the store and the reference graph (or ``graphs``)."""
    from kg.store import document_graphs  # noqa: PLC0415

    if graphs is None:
        graphs = [*document_graphs(store)]
        if store.contains_named_graph(REFERENCE_GRAPH):
            graphs.append(REFERENCE_GRAPH)
    graphs = list(graphs)
    report = ValidationReport()
    iterator: Iterable[NamedNode] = graphs
    if progress and len(graphs) > 20:
        from tqdm import tqdm  # noqa: PLC0415

        iterator = tqdm(graphs, desc="validating", unit="graph")
    for graph in iterator:
        quads = list(store.quads_for_pattern(None, None, None, graph))
        report.graphs += 1
        report.violations.extend(validate_rdflib(_to_rdflib(quads), graph.value))
    return report


def validate_store_dir(store_dir: Path, graph: str | None = None) -> ValidationReport:
    """``policykg validate``: open the store read-only and validate it (or one graph)."""
    from kg.store import open_read_only  # noqa: PLC0415

    store = open_read_only(store_dir)
    return validate_store(store, [NamedNode(graph)] if graph else None, progress=True)
