"""Administrative divisions as the extractors need them: names → GB/T 2260 codes.

Read once per process from ``ontology/divisions.ttl`` (the reference data; shape in
``ontology/README.md``: ``skos:prefLabel``, ``skos:notation``, ``pkg:parentDivision``,
``pkg:level``). The extractors only need lookups by printed name, by short name
(厦门 for 厦门市) and walks up to the city or province, so this module keeps a small
in-memory index rather than a graph.

>>> short_name("厦门市"), short_name("福建省"), short_name("广西壮族自治区"), short_name("思明区")
('厦门', '福建', '广西', '思明')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from kg.resources import data_path

# Suffixes that mark the level of a division name; the short name drops them.
_SUFFIX = re.compile(r"(?:壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|自治州|自治县|地区|新区|省|市|区|县|盟|旗)$")


def short_name(name: str) -> str:
    """The name without its level suffix, kept when that would leave one character."""
    stripped = _SUFFIX.sub("", name)
    return stripped if len(stripped) >= 2 else name


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str  # "province" | "city" | "district" | "county" | …
    parent: str | None

    @property
    def short(self) -> str:
        return short_name(self.name)


@dataclass
class Gazetteer:
    """Divisions indexed by code and by every name form a document may print."""

    by_code: dict[str, Division]
    by_name: dict[str, Division]

    def find(self, name: str) -> Division | None:
        return self.by_name.get(name)

    def get(self, code: str | None) -> Division | None:
        return self.by_code.get(code) if code else None

    def ancestor(self, division: Division | None, level: str) -> Division | None:
        """The division itself or its nearest ancestor at ``level``."""
        seen = 0
        while division is not None and seen < 8:
            if division.level == level:
                return division
            division = self.by_code.get(division.parent) if division.parent else None
            seen += 1
        return None

    def names_longest_first(self) -> list[str]:
        return sorted(self.by_name, key=len, reverse=True)


def _level_from_code(code: str) -> str:
    # GB/T 2260: PPCCDD — a code ending 0000 is a province, 00 a city.
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "district"


@cache
def gazetteer() -> Gazetteer:
    """The divisions of ``ontology/divisions.ttl``, or an empty gazetteer without it."""
    path = data_path("ontology", "divisions.ttl")
    by_code: dict[str, Division] = {}
    alternatives: dict[str, str] = {}
    if path.is_file():
        by_code, alternatives = _read_divisions(path.read_text(encoding="utf-8"))
    by_name: dict[str, Division] = {}
    # Full names win over short names; a short name shared by two divisions is dropped.
    shorts: dict[str, list[Division]] = {}
    for division in by_code.values():
        by_name.setdefault(division.name, division)
        shorts.setdefault(division.short, []).append(division)
    for short, divisions in shorts.items():
        if len(divisions) == 1 and short not in by_name:
            by_name[short] = divisions[0]
    for name, code in alternatives.items():
        by_name.setdefault(name, by_code[code])
    return Gazetteer(by_code=by_code, by_name=by_name)


def _read_divisions(turtle: str) -> tuple[dict[str, Division], dict[str, str]]:
    """Divisions by code, and alternative labels (short names) → code."""
    import rdflib
    from rdflib.namespace import SKOS

    from kg.namespaces import PREFIXES

    pkg = rdflib.Namespace(PREFIXES["pkg"])
    graph = rdflib.Graph()
    graph.parse(data=turtle, format="turtle")
    code_of: dict[rdflib.term.Node, str] = {}
    for subject, notation in graph.subject_objects(SKOS.notation):
        value = str(notation)
        if re.fullmatch(r"\d{6}", value):
            code_of[subject] = value
    divisions: dict[str, Division] = {}
    alternatives: dict[str, str] = {}
    for subject, code in code_of.items():
        for alt in graph.objects(subject, SKOS.altLabel):
            if len(str(alt)) >= 2:
                alternatives[str(alt)] = code
        labels = [lit for lit in graph.objects(subject, SKOS.prefLabel)
                  if getattr(lit, "language", None) in (None, "zh") or str(getattr(lit, "language", "")).startswith("zh")]
        if not labels:
            continue
        parent_node = graph.value(subject, pkg.parentDivision)
        level = graph.value(subject, pkg.level)
        divisions[code] = Division(
            code=code,
            name=str(labels[0]),
            level=str(level) if level is not None else _level_from_code(code),
            parent=code_of.get(parent_node) if parent_node is not None else None,
        )
    return divisions, {name: code for name, code in alternatives.items() if code in divisions}
