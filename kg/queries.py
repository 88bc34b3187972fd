"""Named SPARQL queries: load the ``queries/*.rq`` library, bind typed parameters, run, format.

Each ``.rq`` file starts with a comment header::

    # title: 部门负责的措施（按角色） / Measures an agency is responsible for, by role
    # description: Every measure in which the agency appears …
    # param: agency string 厦门市财政局 Agency name, alternative label or IRI
    # example: policykg query measures-by-agency -p agency=厦门市财政局

A ``param`` line is ``name type default description``; ``type`` is one of
``string``, ``iri``, ``date``, ``decimal``, ``integer``; a default with spaces (or
the empty string) is written in double quotes. Parameters are SPARQL variables
(``$agency``) bound at run time as typed RDF terms through pyoxigraph
``substitutions``: a value is never pasted into the query text, so
``"} DROP ALL #`` is just a string that matches nothing. pyoxigraph only
substitutes variables that the top-level ``SELECT`` projects, so every query
projects its parameters; ``run_query`` drops those echo columns from the result.

Queries run with the default graph as the union of all named graphs.

>>> from pyoxigraph import Store
>>> names = [query.name for query in list_queries()]
>>> "measures-by-agency" in names
True
>>> result = run_query(Store(), "amounts-above", {"threshold": "1e8"})
>>> result.variables[:2], result.rows
(['value', 'qualifier'], [])
>>> run_query(Store(), "amounts-above", {"threshold": "lots"})
Traceback (most recent call last):
...
kg.errors.PolicyKGError: parameter threshold: 'lots' is not a decimal number
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from functools import cache
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Iterable, Mapping

from pyoxigraph import (
    BlankNode, Literal, NamedNode, QueryBoolean, QuerySolutions, QueryTriples, RdfFormat, Store, Triple,
    Variable, serialize,
)

from kg.errors import PolicyKGError
from kg.namespaces import PREFIXES, XSD
from kg.resources import data_dir

PARAM_TYPES = ("string", "iri", "date", "decimal", "integer")
OUTPUT_FORMATS = ("table", "csv", "tsv", "json")

Term = NamedNode | BlankNode | Literal | Triple


@dataclass(frozen=True)
class QueryParam:
    """One parameter of a named query: a SPARQL variable bound to a typed term."""

    name: str
    type: str
    default: str
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    """A ``.rq`` file of the library with its parsed header."""

    name: str
    title_zh: str
    title_en: str
    description: str
    params: tuple[QueryParam, ...]
    sparql: str
    examples: tuple[str, ...] = ()
    path: Path | None = None

    @property
    def title(self) -> str:
        return f"{self.title_zh} / {self.title_en}"

    def param(self, name: str) -> QueryParam:
        for param in self.params:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.params) or "none"
        raise PolicyKGError(f"query {self.name} has no parameter {name!r} (parameters: {known})")


@dataclass
class QueryResult:
    """The solutions of a SELECT query as lists of RDF terms (``None`` when unbound).

    >>> result = QueryResult(["n", "label"], [[Literal("2", datatype=XSD.integer), Literal("财政局", language="zh")]])
    >>> result.records()
    [{'n': 2, 'label': '财政局'}]
    >>> print(result.format("csv"), end="")
    n,label
    2,财政局
    """

    variables: list[str]
    rows: list[list[Term | None]]
    #: The parameter values the query ran with (name → lexical value).
    params: dict[str, str] = field(default_factory=dict)

    def records(self) -> list[dict[str, object]]:
        """Rows as dicts of Python values: str, int, float, bool, ISO date string, None."""
        return [dict(zip(self.variables, (python_value(term) for term in row))) for row in self.rows]

    def format(self, fmt: str) -> str:
        """Render as ``table``, ``csv``, ``tsv`` or ``json`` (SPARQL 1.1 JSON results)."""
        if fmt == "table":
            return format_table(self.variables, [[display(t) for t in row] for row in self.rows])
        if fmt in ("csv", "tsv"):
            return _delimited(self, "," if fmt == "csv" else "\t")
        if fmt == "json":
            return json.dumps(self.sparql_json(), ensure_ascii=False, indent=1) + "\n"
        raise PolicyKGError(f"unknown output format {fmt!r}; expected one of {', '.join(OUTPUT_FORMATS)}")

    def sparql_json(self) -> dict[str, object]:
        """The result in the SPARQL 1.1 Query Results JSON format."""
        bindings = [
            {var: _json_term(term) for var, term in zip(self.variables, row) if term is not None}
            for row in self.rows
        ]
        return {"head": {"vars": list(self.variables)}, "results": {"bindings": bindings}}


# --- loading the library ---------------------------------------------------

_HEADER_LINE = re.compile(r"^#\s*([a-z_-]+)\s*:\s*(.*)$")


def parse_query(text: str, name: str, path: Path | None = None) -> NamedQuery:
    """Parse a ``.rq`` file's header; the whole text (header included) is the SPARQL.

    >>> q = parse_query('# title: 标题 / Title\\n# description: d\\n# param: n integer 5 how many\\nSELECT ?n $n {}', "x")
    >>> q.title_en, q.params[0]
    ('Title', QueryParam(name='n', type='integer', default='5', description='how many'))
    """
    where = path or name
    fields: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        if not line.startswith("#"):
            break  # the header is the leading block of comments
        match = _HEADER_LINE.match(line)
        if match:
            fields.setdefault(match.group(1), []).append(match.group(2).strip())
        elif fields and line[1:].strip():
            # an indented continuation line extends the previous field
            last = list(fields)[-1]
            fields[last][-1] += " " + line[1:].strip()
    if "title" not in fields or "/" not in fields["title"][0]:
        raise PolicyKGError("header needs '# title: 中文标题 / English title'", where)
    title_zh, title_en = (part.strip() for part in fields["title"][0].split("/", 1))
    if "description" not in fields:
        raise PolicyKGError("header needs '# description: …'", where)
    params = tuple(_parse_param(value, where) for value in fields.get("param", []))
    return NamedQuery(
        name=name, title_zh=title_zh, title_en=title_en, description=" ".join(fields["description"]),
        params=params, sparql=text, examples=tuple(fields.get("example", [])), path=path,
    )


def _parse_param(value: str, where: object) -> QueryParam:
    match = re.match(r'^(\w+)\s+(\w+)\s+("(?:[^"\\]|\\.)*"|\S+)\s*(.*)$', value)
    if not match:
        raise PolicyKGError(f"param line {value!r} is not 'name type default description'", str(where))
    name, kind, default, description = match.groups()
    if kind not in PARAM_TYPES:
        raise PolicyKGError(f"param {name}: unknown type {kind!r}; expected one of {', '.join(PARAM_TYPES)}",
                            str(where))
    if default.startswith('"'):
        default = json.loads(default)
    return QueryParam(name, kind, default, description)


def load_query(path: Path) -> NamedQuery:
    """Read one ``.rq`` file (UTF-8); its name is the file stem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PolicyKGError(f"cannot read query: {error}", path) from error
    return parse_query(text, path.stem, path)


@cache
def internal_query(name: str) -> str:
    """The text of ``queries/internal/{name}.rq``: a query PolicyKG runs for itself
    (incremental builds, the dataset description), not one of the named library.

    >>> "pkg:contentHash" in internal_query("stored-documents")
    True
    """
    return data_dir("queries").joinpath("internal", f"{name}.rq").read_text(encoding="utf-8")


def list_queries(folder: Path | None = None) -> list[NamedQuery]:
    """Every named query of the library, sorted by name."""
    folder = folder or data_dir("queries")
    return [load_query(path) for path in sorted(folder.glob("*.rq"))]


def get_query(name: str, folder: Path | None = None) -> NamedQuery:
    """The named query ``name`` (the file stem), or a PolicyKGError listing the known names."""
    folder = folder or data_dir("queries")
    path = folder / f"{name}.rq"
    if not path.is_file():
        known = ", ".join(p.stem for p in sorted(folder.glob("*.rq")))
        raise PolicyKGError(f"no named query {name!r}; known queries: {known}")
    return load_query(path)


def describe_library(folder: Path | None = None) -> str:
    """Names, titles and parameters of every named query, for ``policykg query --list``.

    >>> print(describe_library().splitlines()[0])  # doctest: +ELLIPSIS
    agencies-ranked  部门按措施数量排名（牵头与配合） / Agencies ranked by number of measures, lead vs support
    """
    out = []
    for query in list_queries(folder):
        out.append(f"{query.name}  {query.title}\n")
        for p in query.params:
            default = json.dumps(p.default, ensure_ascii=False) if p.default == "" or " " in p.default else p.default
            out.append(f"    -p {p.name}=<{p.type}>  default {default}  {p.description}\n")
    return "".join(out)


# --- binding parameters ----------------------------------------------------

def parse_value(param: QueryParam, raw: str) -> Term:
    """Turn a parameter's text into the RDF term of its type.

    >>> parse_value(QueryParam("d", "date", ""), "2025-01-31")
    <Literal value=2025-01-31 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#date>>
    >>> parse_value(QueryParam("a", "iri", ""), "pkgr:agency/350200/caizhengju").value
    'https://w3id.org/policykg/agency/350200/caizhengju'
    >>> parse_value(QueryParam("n", "integer", ""), "1e3")
    Traceback (most recent call last):
    ...
    kg.errors.PolicyKGError: parameter n: '1e3' is not an integer
    """
    raw = raw.strip() if param.type != "string" else raw
    if param.type == "string":
        return Literal(raw)
    if param.type == "iri":
        prefix, _, local = raw.partition(":")
        if prefix in PREFIXES and not local.startswith("//"):
            raw = PREFIXES[prefix] + local
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", raw):
            raise PolicyKGError(f"parameter {param.name}: {raw!r} is not an absolute IRI")
        return NamedNode(raw)
    if param.type == "date":
        if raw == "today":
            return Literal(dt.date.today().isoformat(), datatype=XSD.date)
        try:
            return Literal(dt.date.fromisoformat(raw).isoformat(), datatype=XSD.date)
        except ValueError:
            raise PolicyKGError(f"parameter {param.name}: {raw!r} is not a date (YYYY-MM-DD or today)") from None
    if param.type == "decimal":
        try:
            number = Decimal(raw.replace("_", "").replace(",", ""))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise PolicyKGError(f"parameter {param.name}: {raw!r} is not a decimal number")
        # xsd:decimal has no exponent: write it out in full
        return Literal(format(number, "f"), datatype=XSD.decimal)
    if param.type == "integer":
        if not re.fullmatch(r"[+-]?\d+", raw):
            raise PolicyKGError(f"parameter {param.name}: {raw!r} is not an integer")
        return Literal(str(int(raw)), datatype=XSD.integer)
    raise PolicyKGError(f"parameter {param.name}: unknown type {param.type!r}")


def bind_params(query: NamedQuery, values: Mapping[str, str] | None = None) -> dict[str, Term]:
    """The term of every parameter: the given value, else the default. Unknown names are errors."""
    values = dict(values or {})
    for name in values:
        query.param(name)  # raises for an unknown parameter
    return {p.name: parse_value(p, values.get(p.name, p.default)) for p in query.params}


# --- running ---------------------------------------------------------------

def open_store(path: Path) -> Store:
    """Open the Oxigraph store at ``path`` read-only (a snapshot, usable while a build writes it)."""
    if not Path(path).is_dir():
        raise PolicyKGError("no store here; run 'policykg build' first (or pass --store)", path)
    from kg.store import open_read_only  # the builder's own way of opening its store for readers

    return open_read_only(Path(path))


def run_query(store: Store, name: str | NamedQuery, params: Mapping[str, str] | None = None) -> QueryResult:
    """Run a named SELECT query with its parameters bound as typed terms.

    ``params`` maps parameter names to their text (``{"agency": "厦门市财政局"}``);
    missing ones take their defaults. Columns that only echo a parameter are dropped.
    """
    query = name if isinstance(name, NamedQuery) else get_query(name)
    terms = bind_params(query, params)
    try:
        solutions = store.query(
            query.sparql, use_default_graph_as_union=True,
            substitutions={Variable(key): term for key, term in terms.items()},
        )
    except (SyntaxError, RuntimeError, OSError, ValueError) as error:
        raise PolicyKGError(f"query failed: {short_error(error)}", query.path or query.name) from error
    if not isinstance(solutions, QuerySolutions):
        raise PolicyKGError("a named query must be a SELECT query", query.path or query.name)
    variables = [v.value for v in solutions.variables]
    keep = [i for i, v in enumerate(variables) if v not in terms]
    rows = [[row[i] for i in keep] for row in solutions]
    return QueryResult([variables[i] for i in keep], rows, {k: t.value for k, t in terms.items()})


def run_sparql(store: Store, text: str) -> QueryResult | bool | list[Triple]:
    """Run any read-only SPARQL query on the union of the named graphs."""
    try:
        answer = store.query(text, use_default_graph_as_union=True)
    except SyntaxError as error:
        raise PolicyKGError(f"SPARQL syntax error: {short_error(error)}") from error
    except (RuntimeError, OSError, ValueError) as error:
        raise PolicyKGError(f"query failed: {short_error(error)}") from error
    if isinstance(answer, QueryBoolean):
        return bool(answer)
    if isinstance(answer, QueryTriples):
        return list(answer)
    return QueryResult([v.value for v in answer.variables], [list(row) for row in answer])


def short_error(error: BaseException) -> str:
    """An engine error in one line, without the long list of expected tokens.

    >>> short_error(SyntaxError('error at 1:18: expected one of "$", "(", ...\\n| more'))
    'error at 1:18: unexpected input'
    """
    first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if "expected one of" in first:
        first = first.split("expected one of")[0].rstrip(" :,") + ": unexpected input"
    return first if len(first) <= 200 else first[:200] + "…"


def format_answer(answer: QueryResult | bool | list[Triple], fmt: str) -> str:
    """Text for any query answer: rows as ``fmt``, ASK as true/false, triples as Turtle."""
    if isinstance(answer, QueryResult):
        return answer.format(fmt)
    if isinstance(answer, bool):
        return json.dumps({"head": {}, "boolean": answer}) + "\n" if fmt == "json" else f"{str(answer).lower()}\n"
    prefixes = {p: PREFIXES[p] for p in ("pkg", "eli", "org", "schema", "skos", "oa", "dcterms", "xsd")}
    return serialize(answer, format=RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8")


# --- rendering terms -------------------------------------------------------

def python_value(term: Term | None) -> object:
    """A term as a plain Python value (numbers as int/float, dates as ISO text, IRIs as text)."""
    if term is None:
        return None
    if isinstance(term, Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGER_TYPES:
                return int(term.value)
            if datatype in (XSD.double.value, XSD.float.value, XSD.decimal.value):
                number = float(term.value)
                return int(number) if number.is_integer() and datatype == XSD.decimal.value else number
            if datatype == XSD.boolean.value:
                return term.value in ("true", "1")
        except ValueError:
            return term.value
        return term.value
    if isinstance(term, (NamedNode, BlankNode)):
        return term.value
    return str(term)


_INTEGER_TYPES = {XSD[name].value for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "unsignedInt", "unsignedLong", "negativeInteger", "nonPositiveInteger")}


def display(term: Term | None) -> str:
    """Short text for a table cell: literals by value, IRIs as prefixed names.

    >>> display(NamedNode("https://w3id.org/policykg/agency/350200/caizhengju"))
    'pkgr:agency/350200/caizhengju'
    >>> display(Literal("1.0E10", datatype=XSD.double))
    '10000000000'
    """
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        # longest namespace first so pkg: (…/ontology#) wins over pkgr: (…/)
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
            if term.value.startswith(namespace):
                return f"{prefix}:{term.value[len(namespace):]}"
        return term.value
    if isinstance(term, Literal) and term.datatype.value in (XSD.double.value, XSD.float.value,
                                                             XSD.decimal.value):
        try:
            return format(Decimal(term.value).normalize(), "f")
        except InvalidOperation:
            return term.value
    if isinstance(term, Literal):
        return term.value
    return str(term)


def format_table(header: list[str], rows: Iterable[list[str]]) -> str:
    """A plain-text table whose columns line up with Chinese (double-width) text.

    >>> print(format_table(["name", "n"], [["财政局", "3"]]), end="")
    name    n
    ------  -
    财政局  3
    """
    rows = [[cell.replace("\n", " ") for cell in row] for row in rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths)).rstrip() + "\n"

    out = line(header) + line(["-" * w for w in widths])
    out += "".join(line(row) for row in rows)
    if not rows:
        out += "(no results)\n"
    return out


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _delimited(result: QueryResult, delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(result.variables)
    for row in result.rows:
        cells = ["" if t is None else (t.value if isinstance(t, (Literal, NamedNode, BlankNode)) else str(t))
                 for t in row]
        if delimiter == "\t":
            cells = [c.replace("\t", " ").replace("\n", " ") for c in cells]
        writer.writerow(cells)
    return buffer.getvalue()


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD.string.value:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}
