"""kg.linksets: the linkset files parse and link only to the intended external datasets."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, SKOS, VOID

from kg.linksets import GBT4754_NAMESPACE, LINKSETS, SEI2018_NAMESPACE, WIKIDATA_ENTITY, write_linksets
from kg.namespaces import BASE_IRI

INTENDED = {"places-wikidata": WIKIDATA_ENTITY, "agencies-wikidata": WIKIDATA_ENTITY,
            "industries-gbt4754": GBT4754_NAMESPACE, "industries-sei2018": SEI2018_NAMESPACE}
LINK_PREDICATES = {OWL.sameAs, SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch}


@pytest.fixture(scope="module")
def linkset_files(tmp_path_factory):
    return {path.stem: path for path in write_linksets(tmp_path_factory.mktemp("linksets"))}


def test_the_expected_linksets_are_written(linkset_files):
    assert {"places-wikidata", "industries-gbt4754", "industries-sei2018"} <= set(linkset_files)
    assert set(linkset_files) <= {spec.name for spec in LINKSETS}


@pytest.mark.parametrize("name", ["places-wikidata", "industries-gbt4754", "industries-sei2018"])
def test_a_linkset_holds_only_links_into_its_external_dataset(linkset_files, name):
    graph = rdflib.Graph()
    graph.parse(linkset_files[name], format="turtle")
    [linkset] = list(graph.subjects(RDF.type, VOID.Linkset))
    links = [(s, p, o) for s, p, o in graph if s != linkset]
    assert links
    for subject, predicate, obj in links:
        assert predicate in LINK_PREDICATES, predicate
        assert str(subject).startswith(BASE_IRI), subject
        assert str(obj).startswith(INTENDED[name]), obj
    assert int(graph.value(linkset, VOID.triples)) == len(links)
    assert set(graph.objects(linkset, VOID.linkPredicate)) == {p for _, p, _ in links}


def test_places_link_the_sample_cities(linkset_files):
    graph = rdflib.Graph()
    graph.parse(linkset_files["places-wikidata"], format="turtle")
    place = rdflib.Namespace(BASE_IRI + "place/")
    wikidata = rdflib.Namespace(WIKIDATA_ENTITY)
    assert (place["350200"], OWL.sameAs, wikidata.Q68744) in graph
    assert (place["210200"], OWL.sameAs, wikidata.Q74881) in graph


def test_an_unwritable_folder_is_a_one_line_error(tmp_path):
    from kg.errors import PolicyKGError  # noqa: PLC0415

    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(PolicyKGError, match="cannot create the linkset folder"):
        write_linksets(blocker / "sub")
