"""Extraction record → RDF quads in the document's named graph.

``record_to_quads`` is a pure function of the record (and of the reference data,
which only decides whether an agency is already known): the same record always
gives the same quads in the same order. The graph shape is documented in
``ontology/README.md`` and checked by ``ontology/shapes.ttl``.

>>> import json
>>> from kg.resources import data_path
>>> record = {"document": {"title": "测试措施", "doc_number": "厦府办规〔2024〕12号",
...     "jurisdiction": {"name": "厦门市", "code": "350200"}, "text": "测试措施\\n1. 最高20万元。",
...     "source": {"file": "t.txt", "content_hash": "ab"}, "issuers": []},
...     "provisions": [{"id": "1", "kind": "item", "number": "1", "ordinal": 1, "path": [1],
...                     "parent": None, "title": "最高20万元", "text": "1. 最高20万元。",
...                     "span": [5, 15], "is_measure": True}],
...     "entities": {"amounts": [{"value": 200000.0, "qualifier": "maximum", "per": None,
...                  "text": "最高20万元", "span": [8, 14], "measure": "1"}]}}
>>> quads = record_to_quads(record, registry=EMPTY_REGISTRY)
>>> {q.graph_name.value for q in quads}
{'https://w3id.org/policykg/eli/cn/350200/2024/xfbg-12'}
>>> [str(q.object) for q in quads if q.predicate == SCHEMA.value]
['"200000"^^<http://www.w3.org/2001/XMLSchema#decimal>']
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, Callable, Iterable, Mapping

from pyoxigraph import Literal, NamedNode, Quad

from kg import __version__
from kg.iris import (
    agency_iri,
    candidate_industry_iri,
    cited_iri,
    document_division,
    document_iri,
    extractor_iri,
    fact_iri,
    group_iri,
    industry_iri,
    normalise_number,
    normalise_title,
    person_iri,
    place_iri,
    provision_iri,
)
from kg.namespaces import DCTERMS, ELI, FOAF, OA, ORG, PKG, PROV, RDF, RDFS, SCHEMA, SKOS, TIME, XSD


class _Terms:
    """A vocabulary whose terms are made once: ``Vocabulary`` builds a new NamedNode on
    every attribute access, and a document's graph uses the same few dozen terms
    thousands of times."""

    def __init__(self, vocabulary: Any) -> None:
        self._vocabulary = vocabulary
        self._items: dict[str, NamedNode] = {}

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        node = getattr(self._vocabulary, name)
        setattr(self, name, node)
        return node

    def __getitem__(self, name: str) -> NamedNode:
        node = self._items.get(name)
        if node is None:
            node = self._items[name] = self._vocabulary[name]
        return node


DCTERMS, ELI, FOAF, OA, ORG, PKG, PROV, RDF, RDFS, SCHEMA, SKOS, TIME, XSD = (
    _Terms(v) for v in (DCTERMS, ELI, FOAF, OA, ORG, PKG, PROV, RDF, RDFS, SCHEMA, SKOS, TIME, XSD))

ROLES = {"lead": PKG.Lead, "responsible": PKG.Responsible, "support": PKG.Support,
         "mentioned": PKG.Mentioned, "issuer": PKG.Issuer}
#: Shortcut from a measure (or the document, for facts outside measures) to the agency.
ROLE_SHORTCUTS = {"lead": PKG.leadAgency, "responsible": PKG.responsibleAgency,
                  "support": PKG.supportAgency, "mentioned": PKG.mentionsAgency}
QUALIFIERS = {"maximum": PKG.Maximum, "minimum": PKG.Minimum, "approximate": PKG.Approximate,
              "exact": PKG.Exact}
RATE_KINDS = {"percent": PKG.Percent, "points": PKG.PercentagePoints,
              "percentage_points": PKG.PercentagePoints}
DATE_ROLES = {"deadline": PKG.Deadline, "effective": PKG.Effective, "expiry": PKG.Expiry,
              "target": PKG.TargetDate, "issued": PKG.Issued, "other": PKG.OtherDate,
              "recurrence": PKG.Recurrence}
#: Extraction component that produces each entity list (for PROV).
COMPONENTS = {"agencies": "agencies", "amounts": "amounts", "rates": "rates", "dates": "dates",
              "durations": "durations", "industries": "industries", "targets": "targets",
              "citations": "citations", "people": "people"}
STRUCTURE_COMPONENT = "structure"


@dataclass(frozen=True)
class Registry:
    """What the mapping needs from the reference data: which agencies are known (their
    IRIs) and the names of divisions (to strip them from agency names)."""

    known_agencies: frozenset[str] = frozenset()
    division_names: Mapping[str, str] = field(default_factory=dict)
    #: optional resolver: (full name, division code) → IRI of a registry entry or None
    resolve: Callable[[str, str | None], NamedNode | None] | None = None

    def lookup(self, name: str, code: str | None, iri: NamedNode) -> NamedNode | None:
        if self.resolve is not None:
            found = self.resolve(name, code)
            if found is not None:
                return found
        return iri if iri.value in self.known_agencies else None


EMPTY_REGISTRY = Registry()


@cache
def default_registry() -> Registry:
    """The registry from the reference data shipped in ``ontology/`` (H4's ``kg.reference``
    when present, else the division names of ``divisions.ttl`` and no known agencies)."""
    try:
        from kg import reference  # noqa: PLC0415 - optional until the reference module lands
    except ImportError:
        reference = None  # type: ignore[assignment]
    if reference is not None and hasattr(reference, "mapping_registry"):
        return reference.mapping_registry()
    return Registry(division_names=_division_names_from_file())


def _division_names_from_file() -> dict[str, str]:
    from pyoxigraph import RdfFormat, parse  # noqa: PLC0415

    from kg.resources import data_path  # noqa: PLC0415

    path = data_path("ontology", "divisions.ttl")
    if not path.is_file():
        return {}
    names: dict[str, str] = {}
    for triple in parse(path=str(path), format=RdfFormat.TURTLE):
        if triple.predicate == SKOS.prefLabel and isinstance(triple.subject, NamedNode):
            code = triple.subject.value.rsplit("/", 1)[-1]
            names.setdefault(code, triple.object.value)
    return names


def _decimal(value: Any) -> Literal | None:
    """A number as an xsd:decimal literal in plain notation (no exponent)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    if not number.is_finite() or (isinstance(value, float) and not math.isfinite(value)):
        return None
    text = format(number.normalize(), "f")
    return Literal(text, datatype=XSD.decimal)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date(value: Any) -> Literal | None:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None
    return Literal(value, datatype=XSD.date)


def _zh(value: Any) -> Literal | None:
    if value is None or value == "":
        return None
    return Literal(str(value), language="zh")


class _Builder:
    """Accumulates the quads of one document graph, in emission order, without duplicates."""

    def __init__(self, record: Mapping[str, Any], registry: Registry) -> None:
        self.record = record
        self.registry = registry
        self.document: dict[str, Any] = dict(record.get("document") or {})
        self.text: str = self.document.get("text") or ""
        self.doc = document_iri(record)
        self.graph = self.doc
        self.division = document_division(record)
        jurisdiction = self.document.get("jurisdiction") or {}
        self.division_name: str | None = jurisdiction.get("name")
        # (subject, predicate, object) in emission order; the Quads are made once at the end
        self.triples: dict[tuple[NamedNode, NamedNode, NamedNode | Literal], None] = {}
        self.versions: Mapping[str, str] = record.get("extractors") or {}
        self.extractors: dict[str, NamedNode] = {}
        self.provisions: dict[str, NamedNode] = {}
        self.warnings: list[str] = []
        self.fact_count = 0
        self.defined: set[str] = set()

    # -- primitives ---------------------------------------------------------
    def add(self, subject: NamedNode, predicate: NamedNode, obj: NamedNode | Literal | None) -> None:
        if obj is not None:
            self.triples[(subject, predicate, obj)] = None

    def extractor(self, component: str) -> NamedNode:
        if component not in self.extractors:
            version = str(self.versions.get(component) or self.versions.get("pipeline") or __version__)
            node = extractor_iri(component, version)
            self.extractors[component] = node
            self.add(node, RDF.type, PROV.Activity)
            self.add(node, RDF.type, PKG.Extractor)
            self.add(node, RDFS.label, Literal(f"PolicyKG {component} extractor {version}", language="en"))
            self.add(node, PKG.component, Literal(component))
            self.add(node, PKG.version, Literal(version))
        return self.extractors[component]

    def valid_span(self, span: Any) -> tuple[int, int] | None:
        if not isinstance(span, (list, tuple)) or len(span) != 2:
            return None
        start, end = span
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start <= end <= len(self.text):
            return None
        return start, end

    def evidence(self, subject: NamedNode, span: tuple[int, int], quote: bool = True) -> None:
        """Web Annotation selectors pointing at the exact characters of the original text.

        Provisions get the position only: their quote would repeat the document text."""
        source = NamedNode(subject.value + "/source")
        position = NamedNode(source.value + "/position")
        quote = NamedNode(source.value + "/quote")
        self.add(subject, PKG.evidence, source)
        self.add(source, RDF.type, OA.SpecificResource)
        self.add(source, OA.hasSource, self.doc)
        self.add(source, OA.hasSelector, position)
        self.add(position, RDF.type, OA.TextPositionSelector)
        self.add(position, OA.start, Literal(str(span[0]), datatype=XSD.integer))
        self.add(position, OA.end, Literal(str(span[1]), datatype=XSD.integer))
        if not quote:
            return
        self.add(source, OA.hasSelector, quote)
        self.add(quote, RDF.type, OA.TextQuoteSelector)
        self.add(quote, OA.exact, Literal(self.text[span[0]:span[1]]))

    def fact(self, kind: str, entity: Mapping[str, Any], component: str, suffix: str | None = None) -> NamedNode | None:
        """The node of one extracted fact with its provenance and evidence, or None when
        its span does not fit the text (reported as a warning on the document)."""
        span = self.valid_span(entity.get("span"))
        if span is None:
            self.warnings.append(f"{component}: {kind} {entity.get('text')!r} has an invalid span {entity.get('span')!r}; skipped")
            return None
        node = fact_iri(self.doc, kind, span, suffix)
        if node.value in self.defined:  # two facts on the same characters: keep both apart
            n = 2
            while f"{node.value}-{n}" in self.defined:
                n += 1
            node = NamedNode(f"{node.value}-{n}")
        self.defined.add(node.value)
        self.fact_count += 1
        self.add(node, PKG.document, self.doc)
        measure = self.measure_of(entity)
        if measure is not None:
            self.add(node, PKG.measure, measure)
        self.add(node, PROV.wasGeneratedBy, self.extractor(component))
        self.evidence(node, span)
        return node

    def measure_of(self, entity: Mapping[str, Any]) -> NamedNode | None:
        measure_id = entity.get("measure")
        if measure_id is None:
            return None
        return self.provisions.get(str(measure_id)) or provision_iri(self.doc, str(measure_id), True)

    def place(self, code: str | None) -> NamedNode | None:
        return place_iri(code) if code else None

    def division_name_of(self, code: str | None) -> str | None:
        if code is None:
            return None
        if code == self.division:
            return self.division_name or self.registry.division_names.get(code)
        return self.registry.division_names.get(code)

    # -- agencies ---------------------------------------------------------
    def agency(self, name: str, code: str | None, kind: str = "agency") -> NamedNode:
        """The IRI of an agency (or group); unknown ones are described in this graph,
        marked inferred, with the reason."""
        code = code or (self.division if self.division != "unknown" else None)
        if kind == "group":
            node = group_iri(code, name)
            known = self.registry.lookup(name, code, node)
            if known is not None:
                return known
            if node.value not in self.defined:
                self.defined.add(node.value)
                self.add(node, RDF.type, PKG.AgencyGroup)
                self.add(node, SKOS.prefLabel, _zh(name))
                self.add(node, PKG.jurisdiction, self.place(code))
            return node
        node = agency_iri(code, name, self.division_name_of(code))
        known = self.registry.lookup(name, code, node)
        if known is not None:
            return known
        if node.value not in self.defined:
            self.defined.add(node.value)
            self.add(node, RDF.type, ORG.Organization)
            self.add(node, SKOS.prefLabel, _zh(name))
            self.add(node, PKG.jurisdiction, self.place(code))
            self.add(node, PKG.inferred, Literal("true", datatype=XSD.boolean))
            self.add(node, PKG.inferenceReason, Literal(
                "not in the agency registry; name expanded by the abbreviation rules of the "
                f"document's jurisdiction ({code or 'unknown'})", language="en"))
        return node

    # -- document and provisions ----------------------------------------------
    def build_document(self) -> None:
        d, doc = self.document, self.doc
        structure = self.extractor(STRUCTURE_COMPONENT)
        self.add(doc, RDF.type, ELI.LegalResource)
        self.add(doc, RDF.type, PKG.PolicyDocument)
        self.add(doc, ELI["title"], _zh(d.get("title")))
        if d.get("title"):
            self.add(doc, PKG.normalisedTitle, Literal(normalise_title(d["title"])))
        if d.get("notice_title") and d.get("notice_title") != d.get("title"):
            self.add(doc, PKG.noticeTitle, _zh(d.get("notice_title")))
        if d.get("doc_number"):
            self.add(doc, ELI.number, Literal(d["doc_number"]))
            self.add(doc, PKG.normalisedNumber,
                     Literal(d.get("doc_number_normalised") or normalise_number(d["doc_number"])))
        self.add(doc, ELI.date_document, _date(d.get("date_issued")))
        self.add(doc, ELI.date_publication, _date(d.get("date_published")))
        self.add(doc, PKG.datePrinted, _date(d.get("date_printed")))
        self.add(doc, ELI.first_date_entry_in_force, _date(d.get("date_in_force")))
        self.add(doc, ELI.date_no_longer_in_force, _date(d.get("date_expires")))
        for issuer in d.get("issuers") or []:
            if issuer.get("name"):
                self.add(doc, ELI.passed_by, self.agency(issuer["name"], issuer.get("jurisdiction")))
        place = self.place((d.get("jurisdiction") or {}).get("code"))
        self.add(doc, ELI.jurisdiction, place)
        self.add(doc, DCTERMS.spatial, place)
        for key, predicate in (("addressees", PKG.addressee), ("cc", PKG.copyTo), ("attachments", PKG.attachment)):
            for item in d.get(key) or []:
                self.add(doc, predicate, _zh(item.get("text")))
        self.add(doc, PKG.disclosure, _zh(d.get("disclosure")))
        source = d.get("source") or {}
        self.add(doc, DCTERMS.source, Literal(source["file"]) if source.get("file") else None)
        self.add(doc, PKG.sourceKey, Literal(str(source.get("key") or source.get("file") or "")) if (source.get("key") or source.get("file")) else None)
        self.add(doc, PKG.sourceFormat, Literal(source["format"]) if source.get("format") else None)
        self.add(doc, PKG.contentHash, Literal(source["content_hash"]) if source.get("content_hash") else None)
        metadata = d.get("metadata") or {}
        self.add(doc, PKG.indexNumber, Literal(metadata["index_number"]) if metadata.get("index_number") else None)
        self.add(doc, DCTERMS.subject, _zh(metadata.get("subject")))
        self.add(doc, DCTERMS.language, Literal("zh"))
        self.add(doc, PKG.text, Literal(self.text))
        self.add(doc, PROV.wasGeneratedBy, structure)

    def build_provisions(self) -> None:
        provisions = self.record.get("provisions") or []
        for p in provisions:
            self.provisions[str(p["id"])] = provision_iri(self.doc, str(p["id"]), bool(p.get("is_measure")))
        measure_count = 0
        structure = self.extractor(STRUCTURE_COMPONENT)
        for p in provisions:
            node = self.provisions[str(p["id"])]
            self.add(self.doc, ELI.has_part, node)
            self.add(node, RDF.type, ELI.LegalResourceSubdivision)
            self.add(node, RDF.type, PKG.Provision)
            if p.get("is_measure"):
                measure_count += 1
                self.add(node, RDF.type, PKG.Measure)
                self.add(node, PKG.text, _zh(p.get("text")))
            self.add(node, PKG.kind, Literal(str(p.get("kind") or "provision")))
            self.add(node, PKG.number, Literal(str(p["number"])) if p.get("number") not in (None, "") else None)
            if isinstance(p.get("ordinal"), int):
                self.add(node, PKG.order, Literal(str(p["ordinal"]), datatype=XSD.integer))
            self.add(node, PKG.path, Literal(str(p["id"])))
            self.add(node, ELI["title"], _zh(p.get("title")))
            self.add(node, ELI.is_part_of, self.doc)
            self.add(node, PKG.document, self.doc)
            parent = self.provisions.get(str(p["parent"])) if p.get("parent") is not None else None
            self.add(node, PKG.parent, parent or self.doc)
            if parent is not None:
                self.add(parent, ELI.has_part, node)
            self.add(node, PROV.wasGeneratedBy, structure)
            span = self.valid_span(p.get("span"))
            if span is not None:
                self.evidence(node, span, quote=False)
        self.add(self.doc, PKG.measureCount, Literal(str(measure_count), datatype=XSD.integer))

    # -- facts --------------------------------------------------------------
    def build_facts(self) -> None:
        entities = self.record.get("entities") or {}
        for entity in entities.get("agencies") or []:
            self.responsibility(entity)
        for entity in entities.get("amounts") or []:
            self.amount(entity)
        for entity in entities.get("rates") or []:
            self.rate(entity)
        for entity in entities.get("dates") or []:
            self.date(entity)
        for entity in entities.get("durations") or []:
            self.duration(entity)
        for entity in entities.get("industries") or []:
            self.industry(entity)
        for entity in entities.get("targets") or []:
            self.target(entity)
        for entity in entities.get("citations") or []:
            self.citation(entity)
        for entity in entities.get("people") or []:
            self.person(entity)

    def responsibility(self, e: Mapping[str, Any]) -> None:
        role = str(e.get("role") or "mentioned")
        if not e.get("name") or role not in ROLES:
            self.warnings.append(f"agencies: {e.get('text')!r} has no name or an unknown role {role!r}; skipped")
            return
        node = self.fact("responsibility", e, COMPONENTS["agencies"], role)
        if node is None:
            return
        agency = self.agency(e["name"], e.get("jurisdiction"), e.get("kind") or "agency")
        self.add(node, RDF.type, PKG.Responsibility)
        self.add(node, PKG.agency, agency)
        self.add(node, PKG.role, ROLES[role])
        if role in ROLE_SHORTCUTS:
            self.add(self.measure_of(e) or self.doc, ROLE_SHORTCUTS[role], agency)

    def amount(self, e: Mapping[str, Any]) -> None:
        node = self.fact("amount", e, COMPONENTS["amounts"])
        if node is None:
            return
        self.add(node, RDF.type, SCHEMA.MonetaryAmount)
        self.add(node, RDF.type, PKG.AmountMention)
        self.add(node, SCHEMA.value, _decimal(e.get("value")))
        self.add(node, SCHEMA.currency, Literal("CNY"))
        self.add(node, PKG.qualifier, QUALIFIERS.get(str(e.get("qualifier") or "exact")))
        self.add(node, PKG.perUnit, _zh(e.get("per")))
        self.add(node, SCHEMA.minValue, _decimal(e.get("min")))
        self.add(node, SCHEMA.maxValue, _decimal(e.get("max")))

    def rate(self, e: Mapping[str, Any]) -> None:
        node = self.fact("rate", e, COMPONENTS["rates"])
        if node is None:
            return
        self.add(node, RDF.type, PKG.Rate)
        self.add(node, PKG.rateValue, _decimal(e.get("value")))
        self.add(node, PKG.rateKind, RATE_KINDS.get(str(e.get("kind") or "percent")))
        self.add(node, PKG.qualifier, QUALIFIERS.get(str(e.get("qualifier"))) if e.get("qualifier") else None)

    def date(self, e: Mapping[str, Any]) -> None:
        node = self.fact("date", e, COMPONENTS["dates"])
        if node is None:
            return
        self.add(node, RDF.type, PKG.DateMention)
        self.add(node, PKG.dateRole, DATE_ROLES.get(str(e.get("role") or "other"), PKG.OtherDate))
        start, end = _date(e.get("start")), _date(e.get("end"))
        if start is not None or end is not None:
            self.add(node, RDF.type, TIME.ProperInterval)
        for literal, predicate, link, suffix in ((start, PKG.startDate, TIME.hasBeginning, "start"),
                                                 (end, PKG.endDate, TIME.hasEnd, "end")):
            if literal is None:
                continue
            instant = NamedNode(f"{node.value}/{suffix}")
            self.add(node, predicate, literal)
            self.add(node, link, instant)
            self.add(instant, RDF.type, TIME.Instant)
            self.add(instant, TIME.inXSDDate, literal)

    def duration(self, e: Mapping[str, Any]) -> None:
        value = e.get("value")
        if not isinstance(value, str) or not value.startswith("P"):
            self.warnings.append(f"durations: {e.get('text')!r} has no ISO-8601 value; skipped")
            return
        node = self.fact("duration", e, COMPONENTS["durations"])
        if node is None:
            return
        self.add(node, RDF.type, TIME.Duration)
        self.add(node, RDF.type, PKG.DurationMention)
        self.add(node, TIME.hasXSDDuration, Literal(value, datatype=XSD.duration))
        self.add(node, PKG.workingDays, Literal("true" if e.get("working_days") else "false", datatype=XSD.boolean))

    def industry(self, e: Mapping[str, Any]) -> None:
        node = self.fact("industry-mention", e, COMPONENTS["industries"])
        if node is None:
            return
        if e.get("concept"):
            concept = industry_iri(str(e["concept"]))
        else:
            concept = candidate_industry_iri(str(e.get("label") or e.get("text") or ""))
            if concept.value not in self.defined:
                self.defined.add(concept.value)
                self.add(concept, RDF.type, SKOS.Concept)
                self.add(concept, SKOS.prefLabel, _zh(e.get("label") or e.get("text")))
                self.add(concept, PKG.candidate, Literal("true", datatype=XSD.boolean))
        self.add(node, RDF.type, PKG.IndustryMention)
        self.add(node, PKG.concept, concept)
        self.add(self.measure_of(e) or self.doc, PKG.industry, concept)

    def target(self, e: Mapping[str, Any]) -> None:
        node = self.fact("target", e, COMPONENTS["targets"])
        if node is None:
            return
        self.add(node, RDF.type, PKG.Target)
        self.add(node, PKG.indicator, _zh(e.get("indicator")))
        self.add(node, PKG.targetValue, _decimal(e.get("value")))
        self.add(node, PKG.unit, _zh(e.get("unit")))
        year = e.get("year")
        if year is not None and str(year).isdigit() and len(str(year)) == 4:
            self.add(node, PKG.targetYear, Literal(str(year), datatype=XSD.gYear))

    def citation(self, e: Mapping[str, Any]) -> None:
        node = self.fact("citation", e, COMPONENTS["citations"])
        if node is None:
            return
        number, title = e.get("doc_number"), e.get("title")
        own_number = self.document.get("doc_number_normalised") or self.document.get("doc_number")
        own_titles = {normalise_title(t) for t in (self.document.get("title"), self.document.get("notice_title")) if t}
        is_self = (number and own_number and normalise_number(number) == normalise_number(own_number)) or (
            not number and title and normalise_title(title) in own_titles)
        self.add(node, RDF.type, PKG.Citation)
        if is_self:  # 印发《X》的通知 names the policy it carries: a reference to itself
            self.add(node, PKG.citedDocument, self.doc)
            return
        cited = cited_iri(number, title)
        self.add(node, PKG.citedDocument, cited)
        self.add(self.doc, ELI.cites, cited)
        if cited.value not in self.defined:
            self.defined.add(cited.value)
            self.add(cited, RDF.type, ELI.LegalResource)
            self.add(cited, RDF.type, PKG.CitedDocument)
        if title:
            self.add(cited, ELI["title"], _zh(title))
            self.add(cited, PKG.normalisedTitle, Literal(normalise_title(title)))
        if number:
            self.add(cited, ELI.number, Literal(number))
            self.add(cited, PKG.normalisedNumber, Literal(normalise_number(number)))

    def person(self, e: Mapping[str, Any]) -> None:
        if not e.get("name"):
            return
        node = self.fact("mention", e, COMPONENTS["people"])
        if node is None:
            return
        person = person_iri(self.division if self.division != "unknown" else None, e["name"])
        if person.value not in self.defined:
            self.defined.add(person.value)
            self.add(person, RDF.type, FOAF.Person)
            self.add(person, FOAF.name, _zh(e["name"]))
        self.add(node, RDF.type, PKG.PersonMention)
        self.add(node, PKG.person, person)
        self.add(node, PKG.personRole, _zh(e.get("role")))
        measure = self.measure_of(e)
        if measure is not None:
            self.add(measure, PKG.leadPerson, person)

    def finish(self) -> list[Quad]:
        for warning in list(self.document.get("warnings") or []) + self.warnings:
            self.add(self.doc, PKG.warning, Literal(str(warning)))
        self.add(self.doc, PKG.factCount, Literal(str(self.fact_count), datatype=XSD.integer))
        # the graph's size, counting this very triple: lets a build summarise the store
        # from one query instead of counting every quad
        self.add(self.doc, PKG.tripleCount, Literal(str(len(self.triples) + 1), datatype=XSD.integer))
        graph = self.graph
        return [Quad(s, p, o, graph) for s, p, o in self.triples]


class MappedDocument:
    """The quads of one document graph and what they hold."""

    def __init__(self, graph: NamedNode, quads: list[Quad], measures: int, facts: int,
                 triples: list[tuple[NamedNode, NamedNode, NamedNode | Literal]] | None = None) -> None:
        self.graph = graph
        self.measures = measures
        self.facts = facts
        self._quads = quads
        self._triples = triples

    @property
    def quads(self) -> list[Quad]:
        return self._quads

    @quads.setter
    def quads(self, quads: list[Quad]) -> None:
        self._quads = quads
        self._triples = None  # no longer the same graph

    @property
    def triples(self) -> list[tuple[NamedNode, NamedNode, NamedNode | Literal]] | None:
        """The graph as distinct (subject, predicate, object) terms, as the mapping made it
        (the validator indexes them without reading the quads back), or None when the
        quads were changed since."""
        if self._triples is None or len(self._triples) != len(self._quads):
            return None
        return self._triples

    def __repr__(self) -> str:
        return (f"MappedDocument(graph={self.graph!r}, quads=<{len(self._quads)}>, measures={self.measures}, "
                f"facts={self.facts})")


def map_record(record: Mapping[str, Any], registry: Registry | None = None) -> MappedDocument:
    """Map one extraction record; see ``record_to_quads``."""
    builder = _Builder(record, registry if registry is not None else default_registry())
    builder.build_document()
    builder.build_provisions()
    builder.build_facts()
    quads = builder.finish()
    measures = sum(1 for p in record.get("provisions") or [] if p.get("is_measure"))
    return MappedDocument(builder.graph, quads, measures, builder.fact_count, list(builder.triples))


def record_to_quads(record: Mapping[str, Any], registry: Registry | None = None) -> list[Quad]:
    """The quads of a document's named graph (graph name = the document IRI), in a
    deterministic order, for one extraction record (see ``extract/README.md``)."""
    return map_record(record, registry).quads


def graph_of(quads: Iterable[Quad]) -> NamedNode | None:
    """The graph name shared by quads from ``record_to_quads``."""
    for quad in quads:
        return quad.graph_name  # type: ignore[return-value]
    return None


def _main(argv: list[str] | None = None) -> None:
    """``python -m kg.mapping RECORD.json [--registry]``: print the document graph as TriG
    (without the registry by default, as the golden graphs of the tests are built)."""
    import argparse  # noqa: PLC0415
    import json  # noqa: PLC0415
    import sys  # noqa: PLC0415

    from pyoxigraph import RdfFormat, serialize  # noqa: PLC0415

    from kg.namespaces import PREFIXES  # noqa: PLC0415

    parser = argparse.ArgumentParser(prog="python -m kg.mapping")
    parser.add_argument("record")
    parser.add_argument("--registry", action="store_true", help="resolve agencies with the reference registry")
    args = parser.parse_args(argv)
    with open(args.record, encoding="utf-8") as handle:
        record = json.load(handle)
    quads = record_to_quads(record, registry=None if args.registry else EMPTY_REGISTRY)
    prefixes = {p: iri for p, iri in PREFIXES.items() if p not in ("wd", "sh", "void", "dcat", "owl")}
    sys.stdout.buffer.write(serialize(quads, format=RdfFormat.TRIG, prefixes=prefixes))


if __name__ == "__main__":
    _main()
