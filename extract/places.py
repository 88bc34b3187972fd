"""Administrative divisions as the extractors need them: names → GB/T 2260 codes.

Built once per process from ``kg.reference.divisions()`` (``ontology/divisions.ttl``).
The extractors need lookups by printed name, by short name (厦门 for 厦门市) and walks
up to the city or province; this module keeps that index.

>>> short_name("厦门市"), short_name("福建省"), short_name("广西壮族自治区"), short_name("思明区")
('厦门', '福建', '广西', '思明')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache


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
    #: full names several divisions share (鼓楼区: Nanjing, Fuzhou, Xuzhou, Kaifeng), all of them
    shared: dict[str, tuple[Division, ...]] = field(default_factory=dict)

    def find(self, name: str, near: Division | None = None) -> Division | None:
        """The division printed as ``name``. A name several divisions share is read in the
        innermost division around ``near`` (the document's place, the place printed just
        before) that holds exactly one of them, and is ``None`` when none does.

        >>> gaz = gazetteer()
        >>> gaz.find("南山区", gaz.get("440300")).code, gaz.find("南山区", gaz.get("440305")).code
        ('440305', '440305')
        >>> gaz.find("南山区") is None, gaz.find("鼓楼区", gaz.get("320000")) is None
        (True, True)
        """
        candidates = self.shared.get(name)
        if candidates is None:
            return self.by_name.get(name)
        scope, steps = near, 0
        while scope is not None and steps < 8:
            inside = [d for d in candidates if self.ancestor(d, scope.level) == scope]
            if inside:
                return inside[0] if len(inside) == 1 else None
            scope, steps = self.get(scope.parent), steps + 1
        return None

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


@cache
def gazetteer() -> Gazetteer:
    """The divisions of the reference data (``kg.reference.divisions``), indexed."""
    from kg.reference import divisions

    by_code = {d.code: Division(code=d.code, name=d.name, level=d.level or _level_from_code(d.code),
                                parent=d.parent_code)
               for d in divisions()}
    alternatives = {d.short_name: d.code for d in divisions() if d.short_name and len(d.short_name) >= 2}
    by_name: dict[str, Division] = {}
    # Full names win over short names; a derived short name shared by two divisions is dropped.
    # Districts and counties get only the short names the reference data gives (思明): derived
    # ones would turn words into places (合作 for 合作市, 东方 for 东方市).
    shorts: dict[str, list[Division]] = {}
    named: dict[str, list[Division]] = {}
    for division in by_code.values():
        by_name.setdefault(division.name, division)
        named.setdefault(division.name, []).append(division)
        if division.level in ("province", "city"):
            shorts.setdefault(division.short, []).append(division)
    for short, found in shorts.items():
        if len(found) == 1 and short not in by_name:
            by_name[short] = found[0]
    for name, code in alternatives.items():
        by_name.setdefault(name, by_code[code])
    shared = {name: tuple(found) for name, found in named.items() if len(found) > 1}
    return Gazetteer(by_code=by_code, by_name=by_name, shared=shared)


def _level_from_code(code: str) -> str:
    # GB/T 2260: PPCCDD — a code ending 0000 is a province, 00 a city.
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "district"
