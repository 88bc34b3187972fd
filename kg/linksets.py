"""Linksets: the links from PolicyKG's reference data to other datasets, one Turtle file each.

A linkset holds only link triples (``owl:sameAs``, ``skos:exactMatch``,
``skos:closeMatch``, ``skos:broadMatch``) whose object lies in one external
dataset, plus a VoID description of the linkset itself (``void:Linkset`` with the
two datasets, the link predicates, the triple count and the sources the links were
checked against). They are read from the reference files in ``ontology/``; nothing
is fetched.

==========================  ===================  ==================================================
file                        links from           objects in
==========================  ===================  ==================================================
``places-wikidata.ttl``     divisions.ttl        ``http://www.wikidata.org/entity/``
``agencies-wikidata.ttl``   agencies.ttl         ``http://www.wikidata.org/entity/`` (when any)
``industries-gbt4754.ttl``  industries.ttl       ``https://w3id.org/policykg/classification/gbt4754-2017/``
``industries-sei2018.ttl``  industries.ttl       ``https://w3id.org/policykg/classification/sei2018/``
==========================  ===================  ==================================================

>>> spec = next(s for s in LINKSETS if s.name == "places-wikidata")
>>> links = link_triples(spec)
>>> all(t.object.value.startswith(WIKIDATA_ENTITY) for t in links)
True
>>> any(t.subject.value.endswith("/place/350200") for t in links)
True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse, serialize

from kg.errors import PolicyKGError
from kg.namespaces import BASE_IRI, DCTERMS, OWL, PREFIXES, RDF, SKOS, VOID, XSD
from kg.resources import data_path

WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
#: PolicyKG's IRIs for the codes of the two national classifications (see industries.ttl).
GBT4754_NAMESPACE = BASE_IRI + "classification/gbt4754-2017/"
SEI2018_NAMESPACE = BASE_IRI + "classification/sei2018/"

#: The PolicyKG dataset (subjects of every linkset).
POLICYKG_DATASET = NamedNode(BASE_IRI + "dataset")

_MATCHES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)


@dataclass(frozen=True)
class LinksetSpec:
    """Which links of which reference file go to which external dataset."""

    name: str
    reference_file: str
    predicates: tuple[NamedNode, ...]
    target_namespace: str
    target_dataset: str  # IRI naming the external dataset
    title: str

    @property
    def iri(self) -> NamedNode:
        return NamedNode(f"{BASE_IRI}linkset/{self.name}")


LINKSETS: tuple[LinksetSpec, ...] = (
    LinksetSpec("places-wikidata", "divisions.ttl", (OWL.sameAs,), WIKIDATA_ENTITY,
                "http://www.wikidata.org/", "PolicyKG administrative divisions → Wikidata"),
    LinksetSpec("agencies-wikidata", "agencies.ttl", (OWL.sameAs,), WIKIDATA_ENTITY,
                "http://www.wikidata.org/", "PolicyKG agencies → Wikidata"),
    LinksetSpec("industries-gbt4754", "industries.ttl", _MATCHES, GBT4754_NAMESPACE,
                GBT4754_NAMESPACE, "PolicyKG industry concepts → GB/T 4754-2017 national industry classification"),
    LinksetSpec("industries-sei2018", "industries.ttl", _MATCHES, SEI2018_NAMESPACE,
                SEI2018_NAMESPACE, "PolicyKG industry concepts → strategic emerging industries classification (2018)"),
)


def _reference_triples(file_name: str) -> list[Triple]:
    path = data_path("ontology", file_name)
    if not path.is_file():
        return []
    try:
        return [Triple(q.subject, q.predicate, q.object) for q in parse(path=path, format=RdfFormat.TURTLE)]
    except SyntaxError as error:
        raise PolicyKGError(f"invalid Turtle: {error}", path) from error


def link_triples(spec: LinksetSpec) -> list[Triple]:
    """The link triples of one linkset, sorted: PolicyKG subject, external object."""
    links = {
        t for t in _reference_triples(spec.reference_file)
        if t.predicate in spec.predicates and isinstance(t.object, NamedNode)
        and isinstance(t.subject, NamedNode) and t.subject.value.startswith(BASE_IRI)
        and not t.subject.value.startswith(GBT4754_NAMESPACE) and not t.subject.value.startswith(SEI2018_NAMESPACE)
        and t.object.value.startswith(spec.target_namespace)
    }
    return sorted(links, key=lambda t: (t.subject.value, t.predicate.value, t.object.value))


def _sources(spec: LinksetSpec, links: list[Triple]) -> list[NamedNode]:
    linked = {t.subject for t in links}
    return sorted({t.object for t in _reference_triples(spec.reference_file)
                   if t.predicate == DCTERMS.source and t.subject in linked and isinstance(t.object, NamedNode)},
                  key=lambda n: n.value)


def linkset_description(spec: LinksetSpec, links: list[Triple]) -> list[Triple]:
    """VoID description of a linkset."""
    node = spec.iri
    triples = [
        Triple(node, RDF.type, VOID.Linkset),
        Triple(node, DCTERMS["title"], Literal(spec.title, language="en")),
        Triple(node, VOID.subjectsTarget, POLICYKG_DATASET),
        Triple(node, VOID.objectsTarget, NamedNode(spec.target_dataset)),
        Triple(node, VOID.triples, Literal(str(len(links)), datatype=XSD.integer)),
        Triple(node, DCTERMS.source, NamedNode(BASE_IRI + "ontology/" + spec.reference_file)),
    ]
    triples += [Triple(node, VOID.linkPredicate, p) for p in sorted({t.predicate for t in links}, key=lambda p: p.value)]
    # The sources the linked nodes cite (where each identifier was checked).
    triples += [Triple(node, DCTERMS.references, s) for s in _sources(spec, links)]
    return triples


def write_linksets(directory: str | Path) -> list[Path]:
    """Write every non-empty linkset as ``{directory}/{name}.ttl``; return the paths.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     sorted(p.name for p in write_linksets(tmp))
    ['industries-gbt4754.ttl', 'industries-sei2018.ttl', 'places-wikidata.ttl']
    """
    out = Path(directory)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise PolicyKGError(f"cannot create the linkset folder: {error.strerror}", out) from error
    prefixes = {p: PREFIXES[p] for p in ("owl", "skos", "void", "dcterms", "xsd", "wd")}
    prefixes.update({"place": BASE_IRI + "place/", "industry": BASE_IRI + "industry/",
                     "agency": BASE_IRI + "agency/", "gbt": GBT4754_NAMESPACE, "sei": SEI2018_NAMESPACE,
                     "src": BASE_IRI + "source/"})
    written = []
    for spec in LINKSETS:
        links = link_triples(spec)
        if not links:
            continue
        path = out / f"{spec.name}.ttl"
        serialize(linkset_description(spec, links) + links, path, RdfFormat.TURTLE, prefixes=prefixes)
        written.append(path)
    return written
