"""Links between documents, computed once every document is in the store.

A document graph only knows what its own text says: ``kg.mapping`` turns each
citation (《title》, 厦府办[2022]98号) into a *cited stub* (``pkgr:cited/…``). Whether
the cited document is in the corpus is only known when the whole corpus is
loaded, so this module runs as a **post-load pass** over the store and writes its
results into one named graph, ``pkgr:graph/links`` (``LINKS_GRAPH``), which it
recomputes from scratch on every run:

* **citations** — a stub whose normalised number (brackets 〔〕[]【】（）, full/half
  width) or normalised title (no 《》, quotes or spaces) equals that of a corpus
  document is resolved: ``<stub> owl:sameAs <doc>`` and ``pkg:resolvedTo <doc>``,
  and ``<citing doc> eli:cites <doc>`` (the citation fact keeps the stub as its one
  ``pkg:citedDocument``: follow ``pkg:resolvedTo``).
  Unresolved stubs stay as they are (``pkg:CitedDocument``).
* **implementation** — a document titled ``…贯彻落实《X》任务分解表`` (or 实施方案,
  实施细则, 工作方案 …) implements X: ``<doc> pkg:implements <X>``, where X is the
  corpus document when resolved, else the cited stub, which gets the title and the
  jurisdiction printed before 《X》 in the text (福建省《X》). Each table row of the
  implementing document implements one measure of X: ``<row> pkg:implements
  <X/measure/{序号}>``; when X is a stub these are *stub measures*
  (``pkg:CitedProvision``, not ``pkg:Measure``: they are not measures of the corpus) carrying the
  provincial text quoted in the row (``pkg:text``) and ``dcterms:source <row>``.
* **people** — an official named as lead of a block (``<measure> pkg:leadPerson
  <person>``) leads the industries of that block: ``<person> pkg:leadsIndustry
  <concept>``.

How to run it: ``link_store(store)`` after all document graphs are loaded (the
build calls it; it is idempotent). ``resolve_citations(documents)`` is the pure
matching step, usable without a store.

>>> docs = [DocumentKey("https://w3id.org/policykg/eli/cn/350200/2022/xfb-98",
...                     numbers=("厦府办〔2022〕98号",), titles=("厦门市统筹推进现代化产业体系工作机制",))]
>>> index = DocumentIndex(docs)
>>> index.find(number="厦府办[2022]98号")
('https://w3id.org/policykg/eli/cn/350200/2022/xfb-98', 'number')
>>> index.find(title="《厦门市统筹推进现代化产业体系工作机制》")
('https://w3id.org/policykg/eli/cn/350200/2022/xfb-98', 'title')
>>> index.find(number="闽政办〔2024〕1号") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

from pyoxigraph import Literal, NamedNode, Quad, Store

from kg.iris import cited_iri, measure_iri, normalise_number, normalise_title, place_iri
from kg.namespaces import BASE_IRI, DCTERMS, ELI, OWL, PKG, RDF
from kg.reference import find_division
from kg.store import replace_document_graphs

#: The named graph holding everything this module writes.
LINKS_GRAPH = NamedNode(BASE_IRI + "graph/links")

# A title that says the document implements another one: 贯彻落实《X》任务分解表.
_IMPLEMENTS = re.compile(
    r"(?:贯彻落实|贯彻|落实|实施)《(?P<title>[^《》]{2,160})》(?:的|之)?"
    r"(?P<kind>任务分解表|任务分工表|任务分工方案|分工方案|责任分工表|任务清单|实施方案|实施细则|工作方案|具体措施)"
)
# Cells of a table row as the readers keep them (tabs, line breaks).
_CELL_BREAK = re.compile(r"[\t\n\r]+")


# ---------------------------------------------------------------- matching

@dataclass(frozen=True)
class DocumentKey:
    """What identifies a corpus document when another one cites it."""

    iri: str
    numbers: tuple[str, ...] = ()  # document numbers (any bracket style)
    titles: tuple[str, ...] = ()  # policy title and notice title


class DocumentIndex:
    """Corpus documents by normalised number and normalised title."""

    def __init__(self, documents: Iterable[DocumentKey]) -> None:
        self.by_number: dict[str, str] = {}
        self.by_title: dict[str, str] = {}
        for doc in documents:
            for number in doc.numbers:
                if number:
                    self.by_number.setdefault(normalise_number(number), doc.iri)
            for title in doc.titles:
                if title:
                    self.by_title.setdefault(normalise_title(title), doc.iri)

    def find(self, number: str | None = None, title: str | None = None) -> tuple[str, str] | None:
        """``(document IRI, "number" | "title")`` of the corpus document cited, or None.
        A number is decisive; the title is used when there is no number or it is unknown."""
        if number:
            found = self.by_number.get(normalise_number(number))
            if found:
                return found, "number"
        if title:
            found = self.by_title.get(normalise_title(title))
            if found:
                return found, "title"
        return None


@dataclass(frozen=True)
class CitedStub:
    """A ``pkg:CitedDocument`` of the store: the citation as printed."""

    iri: str
    number: str | None
    title: str | None


@dataclass(frozen=True)
class CitationLink:
    """A cited stub resolved (or not) to a corpus document."""

    stub: str
    target: str | None
    matched_by: str | None  # "number" | "title" | None


def resolve_citations(documents: Iterable[DocumentKey], stubs: Iterable[CitedStub]) -> list[CitationLink]:
    """Resolve each cited stub against the corpus documents.

    >>> docs = [DocumentKey("urn:d1", ("厦府办规〔2024〕12号",), ("厦门市进一步巩固经济回升向好基础 加快发展动能转换的若干措施",))]
    >>> [l.target for l in resolve_citations(docs, [CitedStub("urn:s1", "厦府办规[2024]12号", None),
    ...                                            CitedStub("urn:s2", None, "关于支持中小微企业健康发展的若干措施")])]
    ['urn:d1', None]
    """
    index = DocumentIndex(documents)
    links: list[CitationLink] = []
    for stub in stubs:
        found = index.find(stub.number, stub.title)
        links.append(CitationLink(stub.iri, found[0] if found else None, found[1] if found else None))
    return links


def implemented_title(title: str | None) -> str | None:
    """The title of the policy a document implements, read from its own title.

    >>> implemented_title("厦门市贯彻落实《关于支持中小微企业健康发展的若干措施》任务分解表")
    '关于支持中小微企业健康发展的若干措施'
    >>> implemented_title("厦门市统筹推进现代化产业体系工作机制") is None
    True
    """
    match = _IMPLEMENTS.search(title or "")
    return match["title"] if match else None


def implemented_jurisdiction(text: str, title: str) -> str | None:
    """GB/T 2260 code of the place printed right before 《title》 in ``text`` (福建省《X》).

    >>> implemented_jurisdiction("序号 福建省《关于支持中小微企业健康发展的若干措施》具体内容",
    ...                          "关于支持中小微企业健康发展的若干措施")
    '350000'
    """
    for match in re.finditer(re.escape(f"《{title}》"), text):
        before = text[max(0, match.start() - 12):match.start()]
        for start in range(len(before)):
            place = find_division(before[start:])
            if place is not None and any(before.endswith(name) for name in (place.name, place.short_name) if name):
                return place.code
    return None


def row_measure_text(text: str, number: str | None) -> str:
    """The provincial measure quoted in a task-table row: its cells without the leading
    序号 and the trailing responsibility column.

    >>> row_measure_text("3\\n大力支持中小微企业增资扩产。\\n市工信局", "3")
    '大力支持中小微企业增资扩产。'
    """
    cells = [cell.strip() for cell in _CELL_BREAK.split(text) if cell.strip()]
    if cells and number is not None and cells[0] == str(number):
        cells = cells[1:]
    if len(cells) > 1:
        cells = cells[:-1]
    return "".join(cells)


# ---------------------------------------------------------------- reading the store

def _quads(store: Store, subject: NamedNode | None, predicate: NamedNode | None, obj: object = None) -> Iterator[Quad]:
    """Quads of the document and reference graphs: the links graph being recomputed is
    not read, so the result does not depend on the previous pass."""
    return (q for q in store.quads_for_pattern(subject, predicate, obj, None) if q.graph_name != LINKS_GRAPH)


def _objects(store: Store, subject: NamedNode, predicate: NamedNode) -> list:
    return [q.object for q in _quads(store, subject, predicate)]


def _first_value(store: Store, subject: NamedNode, predicate: NamedNode) -> str | None:
    objects = _objects(store, subject, predicate)
    return objects[0].value if objects else None


def _subjects_of_type(store: Store, cls: NamedNode) -> list[NamedNode]:
    seen: dict[str, NamedNode] = {}
    for quad in _quads(store, None, RDF.type, cls):
        if isinstance(quad.subject, NamedNode):
            seen.setdefault(quad.subject.value, quad.subject)
    return [seen[k] for k in sorted(seen)]


def corpus_documents(store: Store) -> list[DocumentKey]:
    """Every ``pkg:PolicyDocument`` of the store with its numbers and titles."""
    keys = []
    for doc in _subjects_of_type(store, PKG.PolicyDocument):
        numbers = {o.value for p in (ELI.number, PKG.normalisedNumber) for o in _objects(store, doc, p)}
        titles = {o.value for p in (ELI["title"], PKG.noticeTitle) for o in _objects(store, doc, p)}
        keys.append(DocumentKey(doc.value, tuple(sorted(numbers)), tuple(sorted(titles))))
    return keys


def cited_stubs(store: Store) -> list[CitedStub]:
    """Every ``pkg:CitedDocument`` (document cited but not itself loaded)."""
    return [CitedStub(stub.value,
                      _first_value(store, stub, PKG.normalisedNumber) or _first_value(store, stub, ELI.number),
                      _first_value(store, stub, PKG.normalisedTitle) or _first_value(store, stub, ELI["title"]))
            for stub in _subjects_of_type(store, PKG.CitedDocument)]


# ---------------------------------------------------------------- writing the links graph

@dataclass
class LinkReport:
    """What a linking pass did."""

    citations_resolved: int = 0
    citations_unresolved: int = 0
    implementations: int = 0
    row_links: int = 0
    lead_links: int = 0
    quads: list[Quad] = field(default_factory=list, repr=False)


def _add(report: LinkReport, s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
    report.quads.append(Quad(s, p, o, LINKS_GRAPH))


def _citation_links(store: Store, documents: Sequence[DocumentKey], report: LinkReport) -> dict[str, str]:
    resolved: dict[str, str] = {}
    for link in resolve_citations(documents, cited_stubs(store)):
        if link.target is None:
            report.citations_unresolved += 1
            continue
        report.citations_resolved += 1
        resolved[link.stub] = link.target
        stub, target = NamedNode(link.stub), NamedNode(link.target)
        _add(report, stub, OWL.sameAs, target)
        _add(report, stub, PKG.resolvedTo, target)
        _add(report, stub, PKG.matchedBy, Literal(link.matched_by or ""))
        # The citation fact keeps its one pkg:citedDocument (the stub, in the document's
        # own graph); the resolution is on the stub and on the citing document.
        for quad in _quads(store, None, PKG.citedDocument, stub):
            citation = quad.subject
            for citing in _objects(store, citation, PKG.document):
                if citing != target:
                    _add(report, citing, ELI.cites, target)
    return resolved


def _document_text(store: Store, doc: NamedNode) -> str:
    return _first_value(store, doc, PKG.text) or ""


def _implementation_links(store: Store, documents: Sequence[DocumentKey], resolved: Mapping[str, str],
                          report: LinkReport) -> None:
    index = DocumentIndex(documents)
    for key in documents:
        title = next((t for t in (implemented_title(t) for t in key.titles) if t), None)
        if title is None:
            continue
        doc = NamedNode(key.iri)
        stub = cited_iri(None, title)
        found = index.find(title=title)
        target = NamedNode(found[0]) if found else NamedNode(resolved.get(stub.value, stub.value))
        if target == doc:
            continue
        report.implementations += 1
        _add(report, doc, PKG.implements, target)
        _add(report, doc, ELI.cites, target)
        is_stub = target == stub
        if is_stub:
            _add(report, stub, RDF.type, ELI.LegalResource)
            _add(report, stub, RDF.type, PKG.CitedDocument)
            _add(report, stub, ELI["title"], Literal(title, language="zh"))
            _add(report, stub, PKG.normalisedTitle, Literal(normalise_title(title)))
            code = implemented_jurisdiction(_document_text(store, doc), title)
            if code:
                place = place_iri(code)
                _add(report, stub, ELI.jurisdiction, place)
                _add(report, stub, DCTERMS.spatial, place)
        for measure in _rows_of(store, doc):
            number = _first_value(store, measure, PKG.number)
            if not number or not number.isdigit():
                continue
            target_measure = _target_measure(store, target, number, is_stub)
            if target_measure is None:
                continue
            report.row_links += 1
            _add(report, measure, PKG.implements, target_measure)
            if is_stub:
                _add(report, target_measure, RDF.type, ELI.LegalResourceSubdivision)
                _add(report, target_measure, RDF.type, PKG.CitedProvision)
                _add(report, target_measure, ELI.is_part_of, target)
                _add(report, target_measure, PKG.document, target)
                _add(report, target_measure, PKG.number, Literal(number))
                text = row_measure_text(_first_value(store, measure, PKG.text) or "", number)
                if text:
                    _add(report, target_measure, PKG.text, Literal(text, language="zh"))
                _add(report, target_measure, DCTERMS.source, measure)


def _rows_of(store: Store, doc: NamedNode) -> Iterator[NamedNode]:
    """The table-row measures of a document, in IRI order."""
    rows = {}
    for quad in _quads(store, None, PKG.document, doc):
        measure = quad.subject
        if isinstance(measure, NamedNode) and _first_value(store, measure, PKG.kind) == "row" \
                and any(True for _ in _quads(store, measure, RDF.type, PKG.Measure)):
            rows[measure.value] = measure
    for iri in sorted(rows):
        yield rows[iri]


def _target_measure(store: Store, target: NamedNode, number: str, is_stub: bool) -> NamedNode | None:
    if is_stub:
        # Stub measures are numbered by the 序号 of the row that quotes them.
        return measure_iri(target, number)
    for quad in _quads(store, None, PKG.document, target):
        measure = quad.subject
        if isinstance(measure, NamedNode) and _first_value(store, measure, PKG.number) == number \
                and any(True for _ in _quads(store, measure, RDF.type, PKG.Measure)):
            return measure
    return None


def _lead_links(store: Store, report: LinkReport) -> None:
    pairs: set[tuple[str, str]] = set()
    for quad in _quads(store, None, PKG.leadPerson, None):
        measure, person = quad.subject, quad.object
        for concept in _objects(store, measure, PKG.industry):
            pairs.add((person.value, concept.value))
    for person, concept in sorted(pairs):
        report.lead_links += 1
        _add(report, NamedNode(person), PKG.leadsIndustry, NamedNode(concept))


def link_store(store: Store) -> LinkReport:
    """Recompute ``pkgr:graph/links`` from the document graphs in ``store``.

    Call after every document graph is loaded (and again after adding documents);
    it clears the links graph first, so running it twice gives the same graph.
    """
    report = LinkReport()
    documents = corpus_documents(store)
    resolved = _citation_links(store, documents, report)
    _implementation_links(store, documents, resolved, report)
    _lead_links(store, report)
    # Quads are collected first, then the old links graph is swapped for the new one in
    # one transaction: a reader or a crash never sees the graph half-written.
    unique = list(dict.fromkeys(report.quads))
    report.quads = unique
    replace_document_graphs(store, LINKS_GRAPH, unique)
    return report


def link_store_folder(path: str | Path) -> LinkReport:
    """Open the store folder at ``path`` (which must hold a built store), recompute its
    links graph and flush; for ``policykg links``.

    Raises ``PolicyKGError`` when there is no store there or another process writes it.
    """
    from kg.errors import PolicyKGError  # noqa: PLC0415
    from kg.store import open_store  # noqa: PLC0415

    folder = Path(path)
    if not folder.is_dir():
        raise PolicyKGError("no store here; run `policykg build` first", folder)
    store = open_store(folder)
    try:
        report = link_store(store)
        store.flush()
    finally:
        del store
    return report


def describe(report: LinkReport) -> str:
    """One line summing up a linking pass.

    >>> describe(LinkReport(citations_resolved=2, citations_unresolved=9, implementations=1, row_links=50, lead_links=12))
    'links: 2 citations resolved to corpus documents (9 cited documents outside the corpus), 1 implementation links with 50 row links, 12 lead officials → industries'
    """
    return (f"links: {report.citations_resolved} citations resolved to corpus documents "
            f"({report.citations_unresolved} cited documents outside the corpus), "
            f"{report.implementations} implementation links with {report.row_links} row links, "
            f"{report.lead_links} lead officials → industries")
