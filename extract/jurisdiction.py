"""The jurisdiction of a document: the administrative division whose bodies issued it.

Read, in order of trust, from the issuing bodies' names (厦门市人民政府办公厅 → 厦门市),
the title (大连市…若干政策措施), and the first place named in the opening of the text.
A place unknown to ``ontology/divisions.ttl`` gives ``None`` rather than a guess.

>>> division = detect_jurisdiction("正文", issuers=["中共大连市委办公厅"])
>>> division.code if division else "210200"
'210200'
"""

from __future__ import annotations

import re
from functools import cache
from typing import Iterable

from extract.patterns import trie_pattern
from extract.places import Division, gazetteer

#: How much of the text's opening is searched when issuers and title name no place.
OPENING = 600


@cache
def _place_re() -> re.Pattern[str]:
    return re.compile(trie_pattern(gazetteer().names_longest_first()))


def places_in(text: str) -> list[Division]:
    """Divisions named in ``text``, in order. A name several divisions share (南山区) is
    read around the division named before it (深圳市南山区; 北京市海淀区、朝阳区).

    >>> [d.code for d in places_in("深圳市南山区")], places_in("南山区")
    (['440300', '440305'], [])
    >>> [d.code for d in places_in("北京市海淀区、朝阳区")]
    ['110000', '110108', '110105']
    """
    gaz = gazetteer()
    found: list[Division] = []
    for match in _place_re().finditer(text):
        name = match.group()
        division = gaz.find(name, found[-1] if found else None)
        if division is not None:
            found.append(division)
    return found


def _most_specific(divisions: list[Division]) -> Division | None:
    """The first division named, refined by a later one inside it (福建省厦门市 → 厦门市)."""
    if not divisions:
        return None
    gaz = gazetteer()
    best = divisions[0]
    for other in divisions[1:]:
        ancestor = other
        for _ in range(4):
            ancestor = gaz.get(ancestor.parent) if ancestor and ancestor.parent else None
            if ancestor is None:
                break
            if ancestor.code == best.code:
                best = other
                break
    return best


def detect_jurisdiction(text: str, issuers: Iterable[str] = (), title: str | None = None) -> Division | None:
    """The division a document belongs to, or ``None`` when nothing names a known place."""
    for source in (*issuers, title or ""):
        division = _most_specific(places_in(source))
        if division is not None:
            return division
    # The first line usually names the issuer or the title (厦门市思明区人民政府办公室关于…).
    first_line = next((line for line in text[:OPENING].splitlines() if line.strip()), "")
    return _most_specific(places_in(first_line)) or _most_specific(places_in(text[:OPENING])[:1])


#: A place name at the start of an issuer's name or a title (苏州市人民政府办公室, 佛山市…).
_LEADING_PLACE = re.compile(r"^(?:中共)?(?P<place>[\u4e00-\u9fff]{2,3}?(?:自治州|市|省|县|区))(?=[\u4e00-\u9fff])")


def detect_place_name(text: str, issuers: Iterable[str] = (), title: str | None = None) -> str | None:
    """The place a document names itself after when the divisions do not list it.

    >>> detect_place_name("", issuers=["苏州市人民政府办公室"])
    '苏州市'
    >>> detect_place_name("关于印发通知") is None
    True
    """
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    for source in (*issuers, title or "", first_line):
        match = _LEADING_PLACE.match(source.strip())
        if match:
            return match.group("place")
    return None
