"""The reference data as Python objects: places, industry concepts, agencies.

The Turtle files in ``ontology/`` (``divisions.ttl``, ``industries.ttl``,
``agencies.ttl``) are the single source; this module reads each once per process
(pyoxigraph's parser, cached) and offers the small lookups the extractors and the
graph mapping need. Nothing here writes RDF: the files themselves are loaded into
the reference graph by the build.

>>> find_division("厦门市工业和信息化局").code
'350200'
>>> province_of("350203").name
'福建省'
>>> [c.slug for c in industry_concepts() if c.pref_label == "新材料产业"]
['new-materials']
>>> agency_registry().lookup("厦门市财政局", "350200").name
'厦门市财政局'
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, parse

from kg.errors import PolicyKGError
from kg.namespaces import BASE_IRI, ORG, OWL, PKG, RDF, SCHEMA, SKOS
from kg.resources import data_path

DIVISIONS_FILE = "divisions.ttl"
INDUSTRIES_FILE = "industries.ttl"
AGENCIES_FILE = "agencies.ttl"

_PLACE_PREFIX = BASE_IRI + "place/"
_INDUSTRY_PREFIX = BASE_IRI + "industry/"


# ---------------------------------------------------------------- reading Turtle

class _Node:
    """The predicate → objects table of one subject."""

    __slots__ = ("iri", "props")

    def __init__(self, iri: str) -> None:
        self.iri = iri
        self.props: dict[str, list] = defaultdict(list)

    def values(self, predicate: NamedNode) -> list:
        return self.props.get(predicate.value, [])

    def first(self, predicate: NamedNode) -> object | None:
        found = self.props.get(predicate.value)
        return found[0] if found else None

    def labels(self, predicate: NamedNode, language: str = "zh") -> list[str]:
        return [term.value for term in self.values(predicate)
                if isinstance(term, Literal) and (term.language or "").startswith(language)]

    def iris(self, predicate: NamedNode) -> list[str]:
        return [term.value for term in self.values(predicate) if isinstance(term, NamedNode)]

    def text(self, predicate: NamedNode) -> str | None:
        term = self.first(predicate)
        return term.value if term is not None else None

    def has_type(self, cls: NamedNode) -> bool:
        return cls.value in self.iris(RDF.type)


@cache
def _nodes(file_name: str) -> dict[str, _Node]:
    """Every subject of an ``ontology/`` Turtle file; ``{}`` when the file is absent."""
    path: Path = data_path("ontology", file_name)
    if not path.is_file():
        return {}
    nodes: dict[str, _Node] = {}
    try:
        for triple in parse(path=path, format=RdfFormat.TURTLE):
            subject = triple.subject
            if not isinstance(subject, NamedNode):
                continue
            node = nodes.get(subject.value)
            if node is None:
                node = nodes[subject.value] = _Node(subject.value)
            node.props[triple.predicate.value].append(triple.object)
    except SyntaxError as error:
        raise PolicyKGError(f"invalid Turtle: {error}", path) from error
    return nodes


def normalise_name(name: str) -> str:
    """A name as compared across documents: NFKC (full-width letters and digits made
    ASCII), whitespace dropped, round brackets made full-width as official names print them.

    >>> normalise_name("中国(福建)自由贸易试验区 厦门片区管理委员会")
    '中国（福建）自由贸易试验区厦门片区管理委员会'
    """
    text = unicodedata.normalize("NFKC", name)
    text = re.sub(r"\s+", "", text)
    return text.replace("(", "（").replace(")", "）")


# ---------------------------------------------------------------- divisions

@dataclass(frozen=True)
class Division:
    """An administrative division with its GB/T 2260 code."""

    code: str
    name: str  # official name: 厦门市
    short_name: str | None  # 厦门; None when the short form would be ambiguous
    level: str  # province | city | district | county
    parent_code: str | None
    iri: str
    division_type: str | None = None  # municipality, sub-provincial-city, county-level-city …
    same_as: tuple[str, ...] = ()  # external identifiers (Wikidata entity IRIs)


@cache
def divisions() -> list[Division]:
    """Every division of ``ontology/divisions.ttl``, ordered by code.

    >>> len([d for d in divisions() if d.level == "province"])
    34
    >>> next(d for d in divisions() if d.code == "350200").short_name
    '厦门'
    """
    found: list[Division] = []
    for node in _nodes(DIVISIONS_FILE).values():
        code = node.text(SKOS.notation)
        # The country (place/cn, a schema:Country: GB/T 2260 has no national code) is
        # listed too, so that national bodies have a jurisdiction.
        if code is None or not (node.has_type(PKG.AdministrativeDivision) or node.has_type(SCHEMA.Country)):
            continue
        names = node.labels(SKOS.prefLabel)
        shorts = node.labels(SKOS.altLabel)
        parent = node.iris(PKG.parentDivision)
        found.append(Division(
            # The code is the last segment of the place IRI: the GB/T 2260 notation, or
            # "cn" for the country (whose notation is the ISO code CN).
            code=node.iri.rsplit("/", 1)[-1],
            name=names[0],
            short_name=shorts[0] if shorts else None,
            level=node.text(PKG.level) or "",
            parent_code=parent[0].rsplit("/", 1)[-1] if parent else None,
            iri=node.iri,
            division_type=node.text(PKG.divisionType),
            same_as=tuple(sorted(node.iris(OWL.sameAs))),
        ))
    return sorted(found, key=lambda d: d.code)


@cache
def _division_by_code() -> dict[str, Division]:
    return {d.code: d for d in divisions()}


def division(code: str | None) -> Division | None:
    """The division with this GB/T 2260 code, or None.

    >>> division("210200").name
    '大连市'
    """
    return _division_by_code().get(code) if code else None


@cache
def _division_names() -> tuple[dict[str, tuple[Division, ...]], re.Pattern[str]]:
    """Every name and short name → the divisions it names (several for 铁西区)."""
    by_name: dict[str, list[Division]] = {}
    for d in divisions():
        by_name.setdefault(d.name, []).append(d)
    for d in divisions():
        # A short name never shadows a full name (吉林 is the province, not 吉林市).
        if d.short_name and (d.short_name not in by_name or by_name[d.short_name][0].short_name == d.short_name):
            by_name.setdefault(d.short_name, []).append(d)
    # Longest names first so the regex alternation prefers 厦门市 over 厦门.
    alternation = "|".join(re.escape(n) for n in sorted(by_name, key=len, reverse=True))
    return {k: tuple(v) for k, v in by_name.items()}, re.compile(alternation)


def _is_within(child: Division, ancestor: Division) -> bool:
    seen = child
    for _ in range(4):
        if seen.parent_code is None:
            return False
        if seen.parent_code == ancestor.code:
            return True
        parent = division(seen.parent_code)
        if parent is None:
            return False
        seen = parent
    return False


def find_division(text: str) -> Division | None:
    """The first division named in ``text`` (leftmost, longest name or short name);
    when a division inside it is named right after it (福建省厦门市), the inner one.
    A name shared by several divisions (铁西区) counts only right after its parent.

    >>> find_division("福建省厦门市思明区人民政府").name
    '思明区'
    >>> find_division("中共大连市委办公厅").code
    '210200'
    >>> find_division("各区人民政府") is None
    True
    >>> find_division("沈阳市铁西区").code, find_division("铁西区") is None
    ('210106', True)
    """
    by_name, pattern = _division_names()
    if not by_name:
        return None
    found: Division | None = None
    position = 0
    while found is None:
        match = pattern.search(text, position)
        if match is None:
            return None
        candidates = by_name[match.group()]
        if len(candidates) == 1:
            found = candidates[0]
        position = match.end() if len(candidates) > 1 else match.start() + 1
    end = match.end()
    while True:
        following = pattern.match(text, end)
        if following is None:
            break
        inner = [d for d in by_name[following.group()] if _is_within(d, found)]
        if len(inner) != 1:
            break
        found, end = inner[0], following.end()
    return found


def province_of(code: str | None) -> Division | None:
    """The provincial-level division containing ``code`` (itself for a province).

    >>> province_of("210283").name
    '辽宁省'
    >>> province_of("110000").name
    '北京市'
    """
    current = division(code)
    for _ in range(4):
        if current is None or current.level == "province":
            return current
        current = division(current.parent_code)
    return None


def city_of(code: str | None) -> Division | None:
    """The city-level division containing ``code`` (itself for a city); None for a province.

    >>> city_of("350203").name
    '厦门市'
    """
    current = division(code)
    for _ in range(4):
        if current is None or current.level == "city":
            return current
        if current.level == "province":
            return None
        current = division(current.parent_code)
    return None


# ---------------------------------------------------------------- industries

@dataclass(frozen=True)
class IndustryConcept:
    """A SKOS concept of ``ontology/industries.ttl``."""

    slug: str
    iri: str
    pref_label: str  # @zh
    alt_labels: tuple[str, ...]
    broader: tuple[str, ...]  # slugs of the broader concepts
    label_en: str | None = None
    schemes: tuple[str, ...] = ()
    close_match: tuple[str, ...] = ()
    broad_match: tuple[str, ...] = ()
    exact_match: tuple[str, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        """Every @zh label, preferred first."""
        return (self.pref_label, *self.alt_labels)


@cache
def industry_concepts() -> list[IndustryConcept]:
    """The PolicyKG industry concepts (not the external classification codes), by slug.

    >>> concept = next(c for c in industry_concepts() if c.slug == "electronic-information")
    >>> "电子信息" in concept.alt_labels, concept.broader
    (True, ('xiamen-pillar-industry-clusters',))
    """
    found: list[IndustryConcept] = []
    for node in _nodes(INDUSTRIES_FILE).values():
        if not node.iri.startswith(_INDUSTRY_PREFIX) or not node.has_type(SKOS.Concept):
            continue
        en = node.labels(SKOS.prefLabel, "en")
        found.append(IndustryConcept(
            slug=node.iri[len(_INDUSTRY_PREFIX):],
            iri=node.iri,
            pref_label=node.labels(SKOS.prefLabel)[0],
            alt_labels=tuple(node.labels(SKOS.altLabel)),
            broader=tuple(sorted(i[len(_INDUSTRY_PREFIX):] for i in node.iris(SKOS.broader)
                                 if i.startswith(_INDUSTRY_PREFIX))),
            label_en=en[0] if en else None,
            schemes=tuple(sorted(node.iris(SKOS.inScheme))),
            close_match=tuple(sorted(node.iris(SKOS.closeMatch))),
            broad_match=tuple(sorted(node.iris(SKOS.broadMatch))),
            exact_match=tuple(sorted(node.iris(SKOS.exactMatch))),
        ))
    return sorted(found, key=lambda c: c.slug)


def industry_concept(slug: str) -> IndustryConcept | None:
    """The concept with this slug, or None.

    >>> industry_concept("biomedicine").pref_label
    '生物医药产业'
    """
    return next((c for c in industry_concepts() if c.slug == slug), None)


# ---------------------------------------------------------------- agencies

@dataclass(frozen=True)
class AgencyEntry:
    """An agency of the registry (``ontology/agencies.ttl``), or one inferred by rule."""

    iri: str | None  # None for an inferred entry: the mapping mints it with kg.iris.agency_iri
    name: str  # official full name
    jurisdiction_code: str | None
    agency_type: str | None  # local name of the pkg: type: GovernmentDepartment, PartyOrgan …
    alt_labels: tuple[str, ...] = ()  # abbreviations as printed
    former_names: tuple[str, ...] = ()
    parent_iri: str | None = None
    same_as: tuple[str, ...] = ()
    inferred: bool = False
    reason: str | None = None  # why it is inferred


@dataclass
class AgencyRegistry:
    """Agencies indexed by every name form (official, abbreviations, former names)."""

    entries: list[AgencyEntry] = field(default_factory=list)
    _by_full_name: dict[str, list[AgencyEntry]] = field(default_factory=dict, repr=False)
    _by_alt_label: dict[str, list[AgencyEntry]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for entry in self.entries:
            # Official and former names carry their place, so they identify the agency
            # anywhere; abbreviations (市财政局) only within the entry's jurisdiction.
            for name in (entry.name, *entry.former_names):
                self._by_full_name.setdefault(normalise_name(name), []).append(entry)
            for name in entry.alt_labels:
                self._by_alt_label.setdefault(normalise_name(name), []).append(entry)

    def lookup(self, full_name: str, jurisdiction_code: str | None = None) -> AgencyEntry | None:
        """The registry entry named ``full_name`` (official or former name, or an
        abbreviation as printed in a document of ``jurisdiction_code``).

        >>> registry = agency_registry()
        >>> registry.lookup("厦门银保监局", "350200").name
        '国家金融监督管理总局厦门监管局'
        >>> registry.lookup("市财政局", "350200").name, registry.lookup("市财政局", "330200")
        ('厦门市财政局', None)
        """
        key = normalise_name(full_name)
        candidates = self._by_full_name.get(key, [])
        if len(candidates) > 1 and jurisdiction_code:
            local = [e for e in candidates if e.jurisdiction_code == jurisdiction_code]
            candidates = local or candidates
        if candidates:
            return candidates[0]
        if jurisdiction_code:
            for entry in self._by_alt_label.get(key, []):
                if entry.jurisdiction_code == jurisdiction_code:
                    return entry
        return None

    def resolve(self, full_name: str, jurisdiction_code: str | None = None) -> AgencyEntry:
        """The registry entry, or an entry inferred by rule and marked so with a reason.

        >>> registry = agency_registry()
        >>> registry.resolve("厦门市财政局", "350200").inferred
        False
        >>> entry = registry.resolve("宁波市财政局", "330200")
        >>> entry.inferred, entry.agency_type
        (True, 'GovernmentDepartment')
        """
        found = self.lookup(full_name, jurisdiction_code)
        if found is not None:
            return found
        place = division(jurisdiction_code)
        where = place.name if place else "an unknown jurisdiction"
        return AgencyEntry(
            iri=None, name=full_name, jurisdiction_code=jurisdiction_code,
            agency_type=guess_agency_type(full_name), inferred=True,
            reason=f"not in the agency registry: name built by rule for {where}",
        )

    def __len__(self) -> int:
        return len(self.entries)


# Kinds of body recognisable from the official name alone (used for inferred entries).
_TYPE_BY_NAME: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^中国人民银行"), "CentralBankBranch"),
    (re.compile(r"^(国家金融监督管理总局|中国银行保险监督管理委员会|中国证券监督管理委员会)"), "FinancialRegulator"),
    (re.compile(r"^国家税务总局|海关$|邮政管理局$"), "VerticallyManaged"),
    (re.compile(r"^中共|^中国共产党|委员会办公室$|委办公厅$"), "PartyOrgan"),
    (re.compile(r"人民法院$|人民检察院$"), "PeoplesCourt"),
    (re.compile(r"管理委员会$|管委会$"), "DevelopmentZoneCommittee"),
    (re.compile(r"人民政府(办公厅|办公室)?$"), "Government"),
    (re.compile(r"(局|厅|委员会|办公室)$"), "GovernmentDepartment"),
)


def guess_agency_type(full_name: str) -> str | None:
    """The kind of body an official name denotes, or None.

    >>> guess_agency_type("国家税务总局宁波市税务局"), guess_agency_type("宁波市中级人民法院")
    ('VerticallyManaged', 'PeoplesCourt')
    """
    for pattern, kind in _TYPE_BY_NAME:
        if pattern.search(full_name):
            return kind
    return None


def _local(iri: str | None) -> str | None:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1] if iri else None


@cache
def agency_registry() -> AgencyRegistry:
    """The agencies of ``ontology/agencies.ttl`` (empty registry when the file is absent)."""
    entries: list[AgencyEntry] = []
    for node in _nodes(AGENCIES_FILE).values():
        if not node.has_type(ORG.Organization):
            continue
        names = node.labels(SKOS.prefLabel)
        if not names:
            continue
        jurisdiction = node.iris(PKG.jurisdiction)
        parent = node.iris(ORG.subOrganizationOf)
        entries.append(AgencyEntry(
            iri=node.iri,
            name=names[0],
            jurisdiction_code=jurisdiction[0][len(_PLACE_PREFIX):] if jurisdiction else None,
            agency_type=_local(node.iris(PKG.agencyType)[0]) if node.iris(PKG.agencyType) else None,
            alt_labels=tuple(node.labels(SKOS.altLabel)),
            former_names=tuple(node.labels(SKOS.hiddenLabel)),
            parent_iri=parent[0] if parent else None,
            same_as=tuple(sorted(node.iris(OWL.sameAs))),
        ))
    entries.sort(key=lambda e: (e.jurisdiction_code or "", e.name))
    return AgencyRegistry(entries)


def reference_files() -> list[Path]:
    """The Turtle files that make up the reference data, for loading into the store.

    >>> [p.name for p in reference_files()][:2]
    ['divisions.ttl', 'industries.ttl']
    """
    return [path for name in (DIVISIONS_FILE, INDUSTRIES_FILE, AGENCIES_FILE)
            if (path := data_path("ontology", name)).is_file()]


def mapping_registry():  # -> kg.mapping.Registry (imported lazily: kg.mapping imports this module)
    """The registry ``kg.mapping`` uses: agency names resolve to registry IRIs (official,
    former or, within their jurisdiction, abbreviated names), division names by code.

    >>> registry = mapping_registry()
    >>> registry.resolve("人行厦门市中心支行", "350200").value
    'https://w3id.org/policykg/agency/350200/zhongguorenminyinhangxiamenshifenhang'
    >>> registry.division_names["350200"]
    '厦门市'
    """
    from kg.mapping import Registry  # noqa: PLC0415

    agencies = agency_registry()

    def resolve(name: str, code: str | None) -> NamedNode | None:
        entry = agencies.lookup(name, code)
        return NamedNode(entry.iri) if entry is not None and entry.iri else None

    return Registry(
        known_agencies=frozenset(e.iri for e in agencies.entries if e.iri),
        division_names={d.code: d.name for d in divisions()},
        resolve=resolve,
    )
