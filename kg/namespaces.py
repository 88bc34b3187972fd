"""The one place that knows the vocabularies PolicyKG speaks.

Every module builds RDF from these terms, never from IRI strings.

>>> str(PKG.Measure.value)
'https://w3id.org/policykg/ontology#Measure'
>>> ELI["date_document"].value
'http://data.europa.eu/eli/ontology#date_document'
>>> PREFIXES["schema"]
'https://schema.org/'
"""

from __future__ import annotations

from pyoxigraph import NamedNode

#: Where PolicyKG's own data lives (documents, agencies, places, industries…).
BASE_IRI = "https://w3id.org/policykg/"
#: PolicyKG's own vocabulary.
ONTOLOGY_IRI = BASE_IRI + "ontology#"


class Vocabulary(str):
    """An IRI prefix whose attributes and items are pyoxigraph ``NamedNode`` terms."""

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        return NamedNode(str(self) + name)

    def __getitem__(self, name: str) -> NamedNode:  # type: ignore[override]
        return NamedNode(str(self) + name)

    def term(self, name: str) -> NamedNode:
        return NamedNode(str(self) + name)


PREFIXES: dict[str, str] = {
    "pkg": ONTOLOGY_IRI,
    "pkgr": BASE_IRI,
    "eli": "http://data.europa.eu/eli/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "time": "http://www.w3.org/2006/time#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "wd": "http://www.wikidata.org/entity/",
}

PKG = Vocabulary(PREFIXES["pkg"])
ELI = Vocabulary(PREFIXES["eli"])
ORG = Vocabulary(PREFIXES["org"])
SCHEMA = Vocabulary(PREFIXES["schema"])
TIME = Vocabulary(PREFIXES["time"])
SKOS = Vocabulary(PREFIXES["skos"])
PROV = Vocabulary(PREFIXES["prov"])
OA = Vocabulary(PREFIXES["oa"])
DCTERMS = Vocabulary(PREFIXES["dcterms"])
FOAF = Vocabulary(PREFIXES["foaf"])
VOID = Vocabulary(PREFIXES["void"])
DCAT = Vocabulary(PREFIXES["dcat"])
OWL = Vocabulary(PREFIXES["owl"])
RDF = Vocabulary(PREFIXES["rdf"])
RDFS = Vocabulary(PREFIXES["rdfs"])
XSD = Vocabulary(PREFIXES["xsd"])
SH = Vocabulary(PREFIXES["sh"])

#: Named graph holding the reference data (ontology, places, agencies, industries).
REFERENCE_GRAPH = NamedNode(BASE_IRI + "graph/reference")
