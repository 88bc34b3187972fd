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
from typing import Any, Iterable

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


#: The SHACL engines: "fast" (the checks below, pyshacl's results, ~25× quicker) or "pyshacl".
ENGINES = ("fast", "pyshacl")


def validate_quads(quads: list[Quad], engine: str = "fast", triples: Iterable[tuple] | None = None) -> list[Violation]:
    """Validate the quads of one graph (a document's, as ``kg.mapping`` made them).

    ``engine="fast"`` falls back to pyshacl when the shapes use a feature it lacks;
    ``triples`` is passed on to ``fast_validate_quads``."""
    if engine == "fast":
        try:
            return fast_validate_quads(quads, triples)
        except UnsupportedShape:
            pass
    graph_name = quads[0].graph_name.value if quads and isinstance(quads[0].graph_name, NamedNode) else ""
    return validate_rdflib(_to_rdflib(quads), graph_name)


def validate_store(store: Store, graphs: Iterable[NamedNode] | None = None,
                   progress: bool = False, engine: str = "pyshacl") -> ValidationReport:
    """Validate every document graph of the store and the reference graph (or ``graphs``)."""
    from kg.store import document_graphs  # noqa: PLC0415

    if graphs is None:
        graphs = [*document_graphs(store)]
        for derived in (REFERENCE_GRAPH, NamedNode(REFERENCE_GRAPH.value.rsplit("/", 1)[0] + "/links")):
            if store.contains_named_graph(derived):
                graphs.append(derived)
    graphs = list(graphs)
    report = ValidationReport()
    iterator: Iterable[NamedNode] = graphs
    if progress and len(graphs) > 20:
        from tqdm import tqdm  # noqa: PLC0415

        iterator = tqdm(graphs, desc="validating", unit="graph")
    for graph in iterator:
        quads = list(store.quads_for_pattern(None, None, None, graph))
        report.graphs += 1
        report.violations.extend(validate_quads(quads, engine) if quads else [])
    return report


def validate_store_dir(store_dir: Path, graph: str | None = None, engine: str = "pyshacl") -> ValidationReport:
    """``policykg validate``: open the store read-only and validate it (or one graph)."""
    from kg.errors import PolicyKGError  # noqa: PLC0415
    from kg.store import open_read_only  # noqa: PLC0415

    store = open_read_only(store_dir)
    if graph is not None and not store.contains_named_graph(NamedNode(graph)):
        raise PolicyKGError(f"the store has no graph <{graph}>", store_dir)
    return validate_store(store, [NamedNode(graph)] if graph else None, progress=True, engine=engine)


# --------------------------------------------------------------------------- fast path
#
# pyshacl spends most of a build's validation time in rdflib. The shapes of
# ontology/shapes.ttl use a small part of SHACL Core (counts, datatypes, classes, node
# kinds, value lists, patterns, ranges, sh:or/sh:not/sh:node, property pairs), which is
# checked here directly over the quads of one graph. The results are the same as
# pyshacl's (tests/test_validate.py compares them on broken graphs); shapes using any
# other constraint make ``validate_quads`` fall back to pyshacl.

import re as _re  # noqa: E402
from decimal import Decimal, InvalidOperation  # noqa: E402

from pyoxigraph import BlankNode, Literal  # noqa: E402

_SH = "http://www.w3.org/ns/shacl#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_NUMERIC = {"http://www.w3.org/2001/XMLSchema#" + t for t in (
    "integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger", "positiveInteger",
    "short", "byte", "unsignedInt", "unsignedLong", "nonPositiveInteger", "negativeInteger")}
#: Predicates of a shape that carry no constraint.
_NOT_CONSTRAINTS = {_RDF_TYPE, _SH + "targetClass", _SH + "path", _SH + "property", _SH + "message",
                    _SH + "severity", _SH + "name", _SH + "description", _SH + "order",
                    "http://www.w3.org/2000/01/rdf-schema#comment", "http://www.w3.org/2000/01/rdf-schema#label"}
_CONSTRAINTS = {"minCount", "maxCount", "datatype", "class", "nodeKind", "in", "hasValue", "pattern",
                "minInclusive", "minLength", "uniqueLang", "lessThanOrEquals", "or", "not", "node"}


class UnsupportedShape(Exception):
    """The shapes use a SHACL feature the fast path does not implement."""


@dataclass
class _Shape:
    name: str  # IRI of a named shape, or "" for a blank one
    targets: list[NamedNode] = field(default_factory=list)
    path: NamedNode | None = None
    constraints: list[tuple[str, object]] = field(default_factory=list)
    properties: list["_Shape"] = field(default_factory=list)
    message: str | None = None
    severity: str = "Violation"


def _ox(term):  # noqa: ANN001, ANN202 - rdflib term → pyoxigraph term
    from rdflib import BNode, URIRef  # noqa: PLC0415
    from rdflib import Literal as RLiteral  # noqa: PLC0415

    if isinstance(term, URIRef):
        return NamedNode(str(term))
    if isinstance(term, RLiteral):
        if term.language:
            return Literal(str(term), language=term.language)
        return Literal(str(term), datatype=NamedNode(str(term.datatype))) if term.datatype else Literal(str(term))
    if isinstance(term, BNode):
        return BlankNode(str(term))
    raise UnsupportedShape(f"term {term!r}")


@cache
def _compiled_shapes() -> tuple[_Shape, ...]:
    from rdflib import BNode, URIRef  # noqa: PLC0415
    from rdflib.collection import Collection  # noqa: PLC0415

    graph = _shapes()
    sh = lambda name: URIRef(_SH + name)  # noqa: E731
    cache_: dict = {}

    def compile_shape(node) -> _Shape:  # noqa: ANN001
        if node in cache_:
            return cache_[node]
        shape = _Shape(name="" if isinstance(node, BNode) else str(node))
        cache_[node] = shape
        for predicate, value in graph.predicate_objects(node):
            key = str(predicate)
            if key in _NOT_CONSTRAINTS:
                continue
            local = key[len(_SH):] if key.startswith(_SH) else None
            if local not in _CONSTRAINTS:
                raise UnsupportedShape(key)
            if local in ("or",):
                shape.constraints.append((local, [compile_shape(m) for m in Collection(graph, value)]))
            elif local in ("not", "node"):
                shape.constraints.append((local, compile_shape(value)))
            elif local == "in":
                shape.constraints.append((local, [_ox(m) for m in Collection(graph, value)]))
            elif local in ("minCount", "maxCount", "minLength"):
                shape.constraints.append((local, int(value)))
            elif local == "uniqueLang":
                if value.toPython() is True:
                    shape.constraints.append((local, True))
            elif local == "pattern":
                shape.constraints.append((local, _re.compile(str(value))))
            elif local == "minInclusive":
                shape.constraints.append((local, Decimal(str(value))))
            else:
                shape.constraints.append((local, _ox(value)))
        path = graph.value(node, sh("path"))
        if path is not None:
            if not isinstance(path, URIRef):
                raise UnsupportedShape("complex property path")
            shape.path = NamedNode(str(path))
        shape.targets = [NamedNode(str(t)) for t in graph.objects(node, sh("targetClass"))]
        shape.properties = [compile_shape(p) for p in graph.objects(node, sh("property"))]
        message = graph.value(node, sh("message"))
        shape.message = str(message) if message is not None else None
        severity = graph.value(node, sh("severity"))
        shape.severity = str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"
        return shape

    roots = sorted({s for s in graph.subjects(sh("targetClass"), None)}, key=str)
    return tuple(compile_shape(root) for root in roots)


class _Index:
    """The graph by subject: predicate IRI → objects (each once, in graph order), and the
    classes of each subject. ``triples`` must be distinct (see ``_distinct``)."""

    def __init__(self, triples: Iterable[tuple]) -> None:
        self.values: dict[object, dict[str, list]] = {}
        self.types: dict[object, set[str]] = {}
        values, types = self.values, self.types
        # The mapping emits the triples of a subject one after the other, with the same
        # term objects: identity spares hashing a term (in Rust) for most triples.
        last_subject: object = None
        by_predicate: dict[str, list] = {}
        keys: dict[int, str] = {}
        predicates: list = []  # keeps the predicates alive while their id() is a key
        for subject, predicate, obj in triples:
            key = keys.get(id(predicate))
            if key is None:
                key = keys[id(predicate)] = predicate.value
                predicates.append(predicate)
            if subject is not last_subject:
                last_subject = subject
                by_predicate = values.get(subject)  # type: ignore[assignment]
                if by_predicate is None:
                    by_predicate = values[subject] = {}
            objects = by_predicate.get(key)
            if objects is None:
                by_predicate[key] = [obj]
            else:
                objects.append(obj)
            if key == _RDF_TYPE:
                classes = types.get(subject)
                if classes is None:
                    types[subject] = {obj.value}
                else:
                    classes.add(obj.value)

    def objects(self, subject: object, predicate: NamedNode) -> list:
        return self.values.get(subject, {}).get(predicate.value, [])


def _distinct(quads: Iterable[Quad]) -> Iterable[tuple]:
    """(subject, predicate, object) of each quad, each triple once, in order."""
    return dict.fromkeys((q.subject, q.predicate, q.object) for q in quads)


def _number(term: object) -> Decimal | None:
    if isinstance(term, Literal) and term.datatype.value in _NUMERIC:
        try:
            return Decimal(term.value)
        except InvalidOperation:
            return None
    return None


def _comparable(term: object) -> object:
    number = _number(term)
    return number if number is not None else (term.value if isinstance(term, Literal) else None)


def _term_text(term: object) -> str:
    return str(term)


def _check_value(index: _Index, kind: str, argument: object, value: object) -> str | None:
    """The problem with one value for one constraint, or None."""
    if kind == "datatype":
        if not isinstance(value, Literal):
            return f"Value {_term_text(value)} is not a Literal with datatype {argument.value}"
        if argument.value == _LANG_STRING:
            return None if value.language else f"Value {_term_text(value)} is not a language-tagged string"
        if value.language or value.datatype != argument:
            return f"Value {_term_text(value)} is not Literal with datatype {argument.value}"
    elif kind == "class":
        if argument.value not in index.types.get(value, set()):
            return f"Value {_term_text(value)} does not have class {argument.value}"
    elif kind == "nodeKind":
        expected = argument.value.rsplit("#", 1)[-1]
        ok = {"IRI": isinstance(value, NamedNode), "Literal": isinstance(value, Literal),
              "BlankNode": isinstance(value, BlankNode),
              "BlankNodeOrIRI": isinstance(value, (NamedNode, BlankNode))}.get(expected)
        if ok is None:
            raise UnsupportedShape(f"nodeKind {expected}")
        if not ok:
            return f"Value {_term_text(value)} is not of Node Kind sh:{expected}"
    elif kind == "in":
        if value not in argument:  # type: ignore[operator]
            return f"Value {_term_text(value)} not in list {[_term_text(a) for a in argument]}"  # type: ignore[union-attr]
    elif kind == "pattern":
        if isinstance(value, BlankNode) or not argument.search(value.value):  # type: ignore[union-attr]
            return f"Value {_term_text(value)} does not match pattern '{argument.pattern}'"  # type: ignore[union-attr]
    elif kind == "minInclusive":
        number = _number(value)
        if number is None or number < argument:  # type: ignore[operator]
            return f"Value {_term_text(value)} is not >= {argument}"
    elif kind == "minLength":
        if isinstance(value, BlankNode) or len(value.value) < argument:  # type: ignore[operator]
            return f"Value {_term_text(value)} has a length < {argument}"
    return None


def _evaluate(index: _Index, shape: _Shape, focus: object, graph: str, out: list[Violation] | None) -> bool:
    """Check ``focus`` against ``shape``; append results to ``out`` (None: only conformance)."""
    conforms = True

    def report(path: NamedNode | None, message: str, value: object = None, default: bool = True) -> None:
        nonlocal conforms
        conforms = False
        if out is not None:
            out.append(Violation(graph=graph, focus=focus.value if hasattr(focus, "value") else str(focus),
                                 path=path.value if path is not None else None,
                                 message=shape.message if shape.message and default else message,
                                 severity=shape.severity,
                                 value=None if value is None else (value.value if hasattr(value, "value") else str(value)),
                                 shape=shape.name or None))

    if shape.path is not None:
        values = index.objects(focus, shape.path)
    else:
        values = [focus]
    for kind, argument in shape.constraints:
        if kind == "minCount" and len(values) < argument:  # type: ignore[operator]
            report(shape.path, f"Less than {argument} values on {focus}->{shape.path}")
        elif kind == "maxCount" and len(values) > argument:  # type: ignore[operator]
            report(shape.path, f"More than {argument} values on {focus}->{shape.path}")
        elif kind == "hasValue" and argument not in values:
            report(shape.path, f"Node {focus}->{shape.path} does not contain a value in the set: [{argument}]")
        elif kind == "uniqueLang":
            languages = [v.language for v in values if isinstance(v, Literal) and v.language]
            if len(languages) != len(set(languages)):
                report(shape.path, "More than one String shares the same Language")
        elif kind == "lessThanOrEquals":
            others = index.objects(focus, argument)  # type: ignore[arg-type]
            for value in values:
                for other in others:
                    a, b = _comparable(value), _comparable(other)
                    if a is None or b is None or type(a) is not type(b) or a > b:  # type: ignore[operator]
                        report(shape.path, f"Value of {focus}->{shape.path} <= {argument} not satisfied", value)
        elif kind == "or":
            for value in values:
                if not any(_evaluate(index, member, value, graph, None) for member in argument):  # type: ignore[union-attr]
                    report(shape.path, f"Node {value} does not conform to one or more shapes in sh:or", value)
        elif kind == "not":
            for value in values:
                if _evaluate(index, argument, value, graph, None):  # type: ignore[arg-type]
                    report(shape.path, f"Node {value} conforms to a shape in sh:not", value)
        elif kind == "node":
            for value in values:
                if not _evaluate(index, argument, value, graph, None):  # type: ignore[arg-type]
                    report(shape.path, f"Value {value} does not conform to Shape {argument.name}", value)  # type: ignore[union-attr]
        elif kind in ("datatype", "class", "nodeKind", "in", "pattern", "minInclusive", "minLength"):
            for value in values:
                problem = _check_value(index, kind, argument, value)
                if problem:
                    report(shape.path, problem, value)
    for prop in shape.properties:
        for value in values:
            if not _evaluate(index, prop, value, graph, out):
                conforms = False
    return conforms


# A quick yes/no pass decides, per focus node and shape, whether the shape holds; only
# where it does not is the shape evaluated again by ``_evaluate`` to write the results,
# so the results (and their order) are ``_evaluate``'s own. Most focus nodes conform.

#: Constraints the quick pass checks value by value; a shape with any other one is
#: checked by ``_evaluate`` (without writing results).
_QUICK = {"minCount", "maxCount", "datatype", "class", "in", "hasValue", "pattern", "minInclusive", "minLength",
          "nodeKind"}
_NODE_KINDS = {"IRI": (NamedNode,), "Literal": (Literal,), "BlankNode": (BlankNode,),
               "BlankNodeOrIRI": (NamedNode, BlankNode)}


@dataclass
class _Quick:
    shape: _Shape
    path: str | None
    generic: bool  # True: ask _evaluate
    counts: tuple[int, float]  # (min, max)
    checks: list  # (kind, argument) on every value
    properties: list["_Quick"]


def _quick_checks(shape: _Shape, compiled: dict[int, _Quick]) -> _Quick:
    if id(shape) in compiled:
        return compiled[id(shape)]
    generic = False
    low, high = 0, float("inf")
    checks: list = []
    for kind, argument in shape.constraints:
        if kind not in _QUICK:
            generic = True
        elif kind == "minCount":
            low = max(low, argument)  # type: ignore[call-overload]
        elif kind == "maxCount":
            high = min(high, argument)  # type: ignore[call-overload]
        elif kind == "datatype":
            checks.append((kind, (argument, argument.value == _LANG_STRING)))  # type: ignore[union-attr]
        elif kind == "class":
            checks.append((kind, argument.value))  # type: ignore[union-attr]
        elif kind == "nodeKind":
            expected = _NODE_KINDS.get(argument.value.rsplit("#", 1)[-1])  # type: ignore[union-attr]
            if expected is None:
                generic = True  # _evaluate says it is unsupported when it meets a value
            checks.append((kind, expected))
        else:
            checks.append((kind, argument))
    quick = _Quick(shape, shape.path.value if shape.path is not None else None, generic, (low, high), checks, [])
    compiled[id(shape)] = quick
    quick.properties = [_quick_checks(p, compiled) for p in shape.properties]
    return quick


@cache
def _quick_shapes() -> tuple[tuple[_Quick, frozenset[str]], ...]:
    compiled: dict[int, _Quick] = {}
    return tuple((_quick_checks(shape, compiled), frozenset(t.value for t in shape.targets))
                 for shape in _compiled_shapes())


def _quick_value(index: _Index, kind: str, argument: object, value: object) -> bool:
    """Whether one value meets one constraint (``_check_value`` finds no problem)."""
    if kind == "datatype":
        datatype, lang_string = argument  # type: ignore[misc]
        if not isinstance(value, Literal):
            return False
        if lang_string:
            return bool(value.language)
        return not value.language and value.datatype == datatype
    if kind == "class":
        return argument in index.types.get(value, ())
    if kind == "nodeKind":
        return isinstance(value, argument)  # type: ignore[arg-type]
    if kind == "in":
        return value in argument  # type: ignore[operator]
    if kind == "hasValue":
        return True  # checked on the whole set of values
    if kind == "pattern":
        return not isinstance(value, BlankNode) and argument.search(value.value) is not None  # type: ignore[union-attr]
    if kind == "minInclusive":
        number = _number(value)
        return number is not None and not number < argument  # type: ignore[operator]
    if kind == "minLength":
        return not isinstance(value, BlankNode) and not len(value.value) < argument  # type: ignore[union-attr,operator]
    raise AssertionError(kind)


def _quick_conforms(index: _Index, quick: _Quick, focus: object, graph: str) -> bool:
    """``_evaluate(index, quick.shape, focus, graph, None)``, quicker."""
    if quick.generic:
        return _evaluate(index, quick.shape, focus, graph, None)
    if quick.path is not None:
        values = index.values.get(focus, _NO_VALUES).get(quick.path, ())
    else:
        values = (focus,)
    return _quick_values(index, quick, values, graph)


_NO_VALUES: dict[str, list] = {}


def _quick_values(index: _Index, quick: _Quick, values: Any, graph: str) -> bool:
    low, high = quick.counts
    if not low <= len(values) <= high:
        return False
    for kind, argument in quick.checks:
        if kind == "datatype":
            datatype, lang_string = argument
            for value in values:
                if not isinstance(value, Literal):
                    return False
                if lang_string:
                    if not value.language:
                        return False
                elif value.language or value.datatype != datatype:
                    return False
        elif kind == "nodeKind":
            for value in values:
                if not isinstance(value, argument):
                    return False
        elif kind == "hasValue":
            if argument not in values:
                return False
        else:
            for value in values:
                if not _quick_value(index, kind, argument, value):
                    return False
    if quick.properties:
        by_predicate = index.values.get
        for value in values:
            for prop in quick.properties:
                if prop.generic:
                    if not _evaluate(index, prop.shape, value, graph, None):
                        return False
                    continue
                if prop.path is not None:
                    prop_values = by_predicate(value, _NO_VALUES).get(prop.path, ())
                else:
                    prop_values = (value,)
                if not _quick_values(index, prop, prop_values, graph):
                    return False
    return True


def fast_validate_quads(quads: list[Quad], triples: Iterable[tuple] | None = None) -> list[Violation]:
    """SHACL results for the quads of one graph, computed without rdflib (see above).

    ``triples``: the same graph as distinct (subject, predicate, object) terms, when the
    caller has them at hand (``kg.mapping.MappedDocument.triples``)."""
    graph_name = quads[0].graph_name.value if quads and isinstance(quads[0].graph_name, NamedNode) else ""
    index = _Index(triples if triples is not None else _distinct(quads))
    by_class: dict[str, list] = {}
    for subject, classes in index.types.items():
        for name in classes:
            by_class.setdefault(name, []).append(subject)
    order: dict[object, str] = {}
    violations: list[Violation] = []
    for quick, targets in _quick_shapes():
        focus_nodes = {s: None for name in targets for s in by_class.get(name, ())}
        if not focus_nodes:
            continue
        for focus in focus_nodes:
            if focus not in order:
                order[focus] = str(focus)
        for focus in sorted(focus_nodes, key=order.__getitem__):
            if not _quick_conforms(index, quick, focus, graph_name):
                _evaluate(index, quick.shape, focus, graph_name, violations)
    violations.sort(key=lambda v: (v.graph, v.focus, v.path or "", v.message))
    return violations
