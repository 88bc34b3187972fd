"""Agencies and their roles: the ``policykg_agencies`` component.

What it finds (in the cleaned text of a document, ``doc.spans["agencies"]``):

* responsibility lists — ``（责任单位：市发改委、财政局）``, ``责任单位：…`` / ``牵头单位：…`` /
  ``配合单位：…`` lines; the label decides the role (牵头 → lead, 责任/主办 → responsible,
  配合/协办 → support); distribution lines (``有关单位：``, ``抄送：``) give ``mentioned``;
* responsibility phrases — ``（X牵头，Y、Z配合）`` (X lead, Y and Z support), ``由X负责`` and
  ``X负责…`` (responsible), ``X会同Y负责`` (X lead, Y support), ``X牵头`` (lead) — and every
  other mention of an agency (role ``mentioned``);
* collective references (各区人民政府, 市直各相关部门, …各成员单位) as ``kind == "group"``.

Names are canonicalised with ``ontology/agency-abbreviations.tsv`` against the
jurisdiction of the document (``doc.user_data["policykg_context"]["jurisdiction"]``,
a GB/T 2260 code; detected from the text when absent). Inside a list an item
without a level prefix inherits the previous one (市发改委、财政局 → 市财政局).

Each span carries ``span._.policykg``: ``name`` (canonical), ``role``, ``kind``,
``jurisdiction`` (code or None), ``agency_type``, ``inferred`` (True when the name
was built by rule rather than from the table), ``char_start``/``char_end``.

>>> AgencyResolver("350200").resolve("市发改委").name
'厦门市发展和改革委员会'
>>> AgencyResolver("210200").resolve("市发改委").name
'大连市发展和改革委员会'
>>> [(m.text, m.role) for m in AgencyFinder("350200").find("（市工信局牵头，市财政局、商务局配合）")]
[('市工信局', 'lead'), ('市财政局', 'support'), ('商务局', 'support')]
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span

from extract import attributes  # noqa: F401  (registers span._.policykg)
from extract.patterns import IntervalSet, doc_text, trie_pattern
from extract.places import Division, Gazetteer, gazetteer
from kg.resources import data_path

COMPONENT = "policykg_agencies"
VERSION = "0.1.0"
CONTEXT_KEY = "policykg_context"


# --- patterns (Chinese lives here and in the data files only) -------------------

_CJK = "\u3400-\u9fff"
#: Endings of an organisation's name; used for items of a list and for names built by rule.
_ORG_SUFFIX = re.compile(
    r"(?:局|委员会|委|办公厅|办公室|办|厅|部|署|院|行|关|中心|集团|政府|联|会|机关|处|站|所|公司|专班|总局|分局|支行)$"
)
#: Things that end like an organisation but are people or titles.
_NOT_AGENCY = re.compile(r"(?:常委|市长|省长|区长|县长|书记|主任|领导|同志|人员|企业|机构)$")
#: Free-text generic name after a level prefix (市招商办): no function words inside.
_GENERIC_BODY = (
    # No function words or level words inside (市区两级财政局 names no agency), and not a
    # title (局长, 委员).
    rf"(?:(?![的地得在对为与和及或等是了着要将把被向从由按以于其该本各并不两级长])[{_CJK}]){{1,6}}?"
    r"(?:管委会|委员会|办公室|办公厅|服务中心|局|委|办|厅)(?![长员])"
)
#: Collective references; ``各`` forms, ``市直…`` forms and member-unit forms.
_GROUP = (
    r"(?:[市省区县]直?)?各(?:有关|相关|责任|牵头|配合|涉企资金|直属)?(?:委、办、局|委办局|部委|单位|部门|人民团体|成员单位)"
    r"|[市省区县]直(?:有关|相关)?(?:部门|单位)"
    r"|[市省区县]委各部委"
    r"|各(?:区市县|县市区|县区|区县|设区市|乡镇|街道|区|县|市|镇)(?:[（(][^（）()\n]{1,8}[）)])?(?:党委|人民政府|政府|党工委|管委会|办事处)?"
    r"|各(?:开发区|开放先导区|园区)(?:管委会|党工委)"
    r"|各成员单位"
    r"|(?:有关|相关)(?:部门|单位)"
)
#: The same collective references split by their first character (see ``_mention_patterns``).
_GROUP_EACH = (
    r"各(?:(?:有关|相关|责任|牵头|配合|涉企资金|直属)?(?:委、办、局|委办局|部委|单位|部门|人民团体|成员单位)"
    r"|(?:区市县|县市区|县区|区县|设区市|乡镇|街道|区|县|市|镇)(?:[（(][^（）()\n]{1,8}[）)])?(?:党委|人民政府|政府|党工委|管委会|办事处)?"
    r"|(?:开发区|开放先导区|园区)(?:管委会|党工委))"
    r"|有关(?:部门|单位)|相关(?:部门|单位)"
)
_GROUP_LEVEL = (
    r"[市省区县](?:直?各(?:有关|相关|责任|牵头|配合|涉企资金|直属)?(?:委、办、局|委办局|部委|单位|部门|人民团体|成员单位)"
    r"|委各部委|直(?:有关|相关)?(?:部门|单位))"
)
_GROUP_RE = re.compile(rf"{_GROUP}|[{_CJK}]{{2,20}}?各成员单位")
_LIST_LABEL = (
    r"(?:我市|我省|我区)?(?:(?:牵头|责任|主责|配合|协同|协助|参与|主办|协办|承办|实施)(?:单位|部门|处室)"
    r"|责任主体|有关单位|抄送|主送)"
)
_PAREN_LIST = re.compile(rf"[（(][ \t\u3000]*(?P<label>{_LIST_LABEL})[ \t\u3000]*[:：]")
_LINE_LIST = re.compile(rf"(?m)^[ \t\u3000]*(?P<label>{_LIST_LABEL})[ \t\u3000]*[:：][ \t\u3000]*(?P<value>[^\n]*)")
#: A line that is nothing but a list of agencies: a table's responsibility column, or a
#: responsibility line without a label. A line ending with a colon is an addressee list.
_BARE_LIST_LINE = re.compile(r"(?m)^(?P<indent>[ \t\u3000]*)(?P<value>[^\n:：]{2,300}?)[ \t\u3000]*$")
_INNER_LABEL = re.compile(rf"(?P<label>{_LIST_LABEL})[ \t\u3000]*[:：][ \t\u3000]*")
#: How a line that is only a list of agencies ends: an organisation's last character or a note.
_LIST_LINE_END = re.compile(r"(?:局|委|办|厅|部|署|院|行|关|心|团|府|联|会|机关|处|站|所|司|班|位|门|区|县|市|[）)])[。；;]?$")
_LEAD_LABEL = re.compile(r"牵头|主责")
_SUPPORT_LABEL = re.compile(r"配合|协办|协同|协助|参与")
_MENTION_LABEL = re.compile(r"有关单位|抄送|主送")
_LIST_SEPARATORS = "、，,；;。"
#: Role words that may follow a chain of agencies in prose.
_AFTER_CHAIN = re.compile(r"(?:等(?:部门|单位))?(?:按职责(?:分工)?)?(?P<word>牵头|负责|配合|会同|共同负责)")
_BEFORE_SUPPORT = re.compile(r"(?:会同|配合)$")
#: The stem of a collective reference, which a following bare body shares (各区市县党委、人民政府).
_GROUP_TAIL = re.compile(r"(?:党委|党工委|人民政府|政府|管委会|办事处)(?![\u3400-\u9fff])")
_GROUP_STEM = re.compile(r"^(?P<stem>各[^、，,；;]{1,10}?)(?:党委|党工委|人民政府|政府|管委会)$")
_ETC = re.compile(r"等[^、，,；;]*$")
_PAREN_TAIL = re.compile(r"[（(][^）)]*[）)]?$")
_SEPARATOR_CHAIN = re.compile(r"[、，,]")


# --- the abbreviation table --------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    form: str
    full_name: str
    agency_type: str


@dataclass(frozen=True)
class PlaceForm:
    """A form with ``{place}`` (``{place}海关``): the printed text around the place, and the
    one pattern of place names that every form shares.

    One pattern instead of ``before(?P<place>…)after`` per form: with literal text
    around it, the place of a full match is exactly what lies between, and compiling the
    gazetteer's names once instead of once per form saves about 0.4 s of start-up."""

    before: str
    after: str
    place: re.Pattern[str]

    def place_in(self, item: str) -> str | None:
        """The place of ``item`` when the whole of it reads as this form, else None."""
        if (len(item) < len(self.before) + len(self.after) or not item.startswith(self.before)
                or not item.endswith(self.after)):
            return None
        middle = item[len(self.before):len(item) - len(self.after)]
        return middle if self.place.fullmatch(middle) else None


@dataclass(frozen=True)
class AbbreviationTable:
    bodies: dict[str, Rule]  # body forms (no placeholder)
    place_rules: tuple[tuple[PlaceForm, Rule], ...]  # forms with {place}
    groups: dict[str, Rule]


@cache
def abbreviation_table() -> AbbreviationTable:
    """``ontology/agency-abbreviations.tsv`` parsed once per process."""
    path = data_path("ontology", "agency-abbreviations.tsv")
    bodies: dict[str, Rule] = {}
    groups: dict[str, Rule] = {}
    place_rules: list[tuple[PlaceForm, Rule]] = []
    place = re.compile(f"(?:{_place_pattern()})")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [line for line in handle if line.strip() and not line.startswith("#")]
    for row in csv.DictReader(rows, delimiter="\t"):
        rule = Rule(row["abbreviation"].strip(), row["full_name"].strip(), (row.get("agency_type") or "").strip())
        if rule.agency_type == "Group":
            groups[rule.form] = rule
        elif "{place}" in rule.form:
            before, _, after = rule.form.partition("{place}")
            place_rules.append((PlaceForm(before, after, place), rule))
        else:
            bodies[rule.form] = rule
    return AbbreviationTable(bodies=bodies, place_rules=tuple(place_rules), groups=groups)


def _place_pattern() -> str:
    names = gazetteer().names_longest_first()
    # A place the gazetteer does not know still reads as a place: two to four characters,
    # optionally with its level suffix.
    return trie_pattern(names) + rf"|(?![市省区县])[{_CJK}]{{2,4}}?[市省]?"


# --- resolving one printed name ------------------------------------------------------

@dataclass(frozen=True)
class Prefix:
    """The jurisdiction part of a printed name, carried across a list."""

    printed: str
    division: Division | None


@dataclass(frozen=True)
class ResolvedAgency:
    name: str
    kind: str  # "agency" | "group"
    jurisdiction: str | None
    agency_type: str
    inferred: bool
    prefix: Prefix | None = None


def _level_of_name(name: str) -> str:
    if name.endswith(("省", "自治区")):
        return "province"
    if name.endswith(("区", "县")):
        return "district"
    return "city"


def _code(division: Division | None) -> str | None:
    return division.code or None if division is not None else None


def group_continuation(previous: ResolvedAgency | None, printed: str, resolved: ResolvedAgency | None,
                       separator: str = "、") -> ResolvedAgency | None:
    """A bare body after a collective reference belongs to the same collective.

    ``各区市县党委、人民政府`` names the districts' governments, not the city's. ``separator``
    is the character between the two: a 各 covers the levels of a 、 list (各市、区人民政府),
    not the next clause (各区人民政府，市人民政府各部门).
    """
    if previous is None or previous.kind != "group" or (resolved is not None and resolved.kind != "agency"):
        return resolved
    item = printed.strip()
    if resolved is None and not _GROUP_TAIL.fullmatch(item):
        return None
    if previous.name.startswith("各") and item[:1] in ("市", "区", "县") and separator == "、":
        # 各市、区人民政府: the 各 covers every level listed.
        return ResolvedAgency("各" + item, "group", previous.jurisdiction, "Group", False)
    stem = _GROUP_STEM.match(previous.name)
    if stem is None or (resolved is not None and resolved.prefix is not None and resolved.prefix.printed):
        return resolved
    return ResolvedAgency(stem.group("stem") + item, "group", previous.jurisdiction, "Group", False)


@cache
def _place_prefix_re() -> re.Pattern[str]:
    return re.compile(rf"(?P<party>中共)?(?P<place>{trie_pattern(gazetteer().names_longest_first())})")


@cache
def _registry():  # noqa: ANN202 - kg.reference.AgencyRegistry | None
    """The agency registry, or None when the reference data has none."""
    from kg.reference import agency_registry

    registry = agency_registry()
    return registry if len(registry) else None


class AgencyResolver:
    """Turns printed agency names into canonical ones for one jurisdiction."""

    def __init__(self, jurisdiction: str | None, place_name: str | None = None) -> None:
        self.gazetteer: Gazetteer = gazetteer()
        self.table = abbreviation_table()
        self.home = self.gazetteer.get(jurisdiction)
        self._cache: dict[tuple[str, Prefix | None], ResolvedAgency | None] = {}
        self.country = next((d for d in self.gazetteer.by_code.values() if d.level == "country"), None)
        if self.home is None and place_name:
            # A place the divisions do not list still names its agencies (苏州市财政局);
            # it has no code, so the agencies get no jurisdiction and are inferred.
            self.home = Division(code="", name=place_name, level=_level_of_name(place_name), parent=None)
        self._place_prefix = _place_prefix_re()

    # The division a level character refers to, seen from the document's jurisdiction.
    def _level(self, char: str) -> Division | None:
        if self.home is None:
            return None
        if char == "市":
            return self.gazetteer.ancestor(self.home, "city")
        if char == "省":
            return self.gazetteer.ancestor(self.home, "province")
        if self.home.level in ("district", "county"):
            return self.home
        return None

    def _fill(self, template: str, division: Division | None, printed_prefix: str) -> str | None:
        if division is None:
            if "{" in template.replace("{division}", ""):
                return None
            return template.replace("{division}", printed_prefix)
        city = self.gazetteer.ancestor(division, "city") or (division if division.level == "city" else None)
        province = self.gazetteer.ancestor(division, "province")
        # A district's bodies are named after the city as well: 厦门市海沧区财政局.
        full = (city.name + division.name if city is not None and division.level in ("district", "county")
                and not division.name.startswith(city.name) else division.name)
        values = {
            "division": full, "division_short": division.short,
            "city": city.name if city else None, "city_short": city.short if city else None,
            "province": province.name if province else None,
            "province_short": province.short if province else None,
            "district": division.name if division.level in ("district", "county") else None,
        }
        out = template
        for key, value in values.items():
            token = "{" + key + "}"
            if token in out:
                if value is None:
                    return None
                out = out.replace(token, value)
        return out

    def resolve(self, printed: str, carried: Prefix | None = None) -> ResolvedAgency | None:
        """Canonicalise ``printed``; ``None`` when it is not an agency or group.

        The name built from the abbreviation table is then looked up in the agency
        registry (``ontology/agencies.ttl``): a registered agency gets its current
        official name (a former name such as 厦门银保监局 resolves to its successor) and
        ``inferred`` False; one the registry lacks keeps the rule-built name, inferred.
        """
        key = (printed, carried)
        if key in self._cache:
            return self._cache[key]
        resolved = self._resolve_uncached(printed, carried)
        if len(self._cache) < 50_000:
            self._cache[key] = resolved
        return resolved

    def _resolve_uncached(self, printed: str, carried: Prefix | None) -> ResolvedAgency | None:
        resolved = self._resolve_by_rule(printed, carried)
        if resolved is None or resolved.kind != "agency":
            return resolved
        registry = _registry()
        entry = registry.lookup(resolved.name, resolved.jurisdiction) if registry is not None else None
        if entry is None and registry is not None and resolved.inferred and resolved.jurisdiction:
            entry = registry.lookup(printed.strip(), resolved.jurisdiction)
        if entry is None:
            # A name built from a pattern is inferred; a fixed central name from the table is not.
            return replace(resolved, inferred=resolved.inferred or resolved.prefix is not None)
        return replace(resolved, name=entry.name, jurisdiction=entry.jurisdiction_code or resolved.jurisdiction,
                       agency_type=entry.agency_type or resolved.agency_type, inferred=False)

    def _resolve_by_rule(self, printed: str, carried: Prefix | None = None) -> ResolvedAgency | None:
        item = printed.strip()
        if len(item) < 2 or len(item) > 40 or _NOT_AGENCY.search(item):
            return None
        group = self.table.groups.get(item)
        if group is not None or _GROUP_RE.fullmatch(item):
            name = group.full_name if group else item
            return ResolvedAgency(name, "group", _code(self.home), "Group", False)
        for form, rule in self.table.place_rules:
            place_text = form.place_in(item)
            if place_text is not None:
                division = self.gazetteer.find(place_text, self.home)
                filled = self._fill(rule.full_name, division, place_text)
                if division is not None and filled is None:
                    continue
                if filled is None:
                    filled = item
                return ResolvedAgency(filled, "agency", _code(division), rule.agency_type,
                                      division is None, Prefix(place_text, division))
        for prefix, body in self._splits(item):
            rule = self.table.bodies.get(body)
            if rule is None:
                continue
            if prefix is None:
                prefix = carried if carried is not None else Prefix("", self.home)
            if "{" not in rule.full_name:
                # A central body: its name is fixed and its jurisdiction is the country.
                return ResolvedAgency(rule.full_name, "agency", _code(self.country), rule.agency_type, False, None)
            filled = self._fill(rule.full_name, prefix.division, prefix.printed)
            if filled is None:
                return ResolvedAgency(item, "agency", None, rule.agency_type, True, prefix)
            return ResolvedAgency(filled, "agency", _code(prefix.division),
                                  rule.agency_type, _code(prefix.division) is None, prefix)
        if _ORG_SUFFIX.search(item) and not _GROUP_RE.search(item):
            prefix, body = self._splits(item)[0]
            if prefix is None:
                prefix = carried if carried is not None else Prefix("", self.home)
            if prefix.division is not None:
                # A Party organ (市委组织部) is named after the Party committee of the place.
                # and a district's bodies after its city too (深圳市南山区人力资源局), as _fill names them
                place = self._fill("{division}", prefix.division, prefix.printed) or prefix.division.name
                name = ("中共" if body.startswith("委") else "") + place + body
                return ResolvedAgency(name, "agency", _code(prefix.division), "", True, prefix)
            return ResolvedAgency(item, "agency", None, "", True, prefix)
        return None

    def _splits(self, item: str) -> list[tuple[Prefix | None, str]]:
        """Ways to read ``item`` as prefix + body, most specific first."""
        splits: list[tuple[Prefix | None, str]] = []
        match = self._place_prefix.match(item)
        if match and match.end() < len(item):
            place_text = match.group("place")
            splits.append((Prefix(place_text, self.gazetteer.find(place_text, self.home)), item[match.end():]))
        party = item.startswith("中共")
        rest = item[2:] if party else item
        if rest[:1] in ("市", "省", "区", "县") and len(rest) > 1:
            splits.append((Prefix(rest[0], self._level(rest[0])), rest[1:]))
        splits.append((None, item))
        return splits


# --- finding mentions ----------------------------------------------------------------

@dataclass
class AgencyMention:
    start: int
    end: int
    text: str
    role: str
    resolved: ResolvedAgency

    def as_attributes(self) -> dict:
        return {
            "name": self.resolved.name, "role": self.role, "kind": self.resolved.kind,
            "jurisdiction": self.resolved.jurisdiction, "agency_type": self.resolved.agency_type,
            "inferred": self.resolved.inferred, "char_start": self.start, "char_end": self.end,
        }


def role_of_label(label: str) -> str:
    """The role a list label gives its items.

    >>> role_of_label("牵头单位"), role_of_label("我市责任单位"), role_of_label("配合单位"), role_of_label("抄送")
    ('lead', 'responsible', 'support', 'mentioned')
    """
    if _LEAD_LABEL.search(label):
        return "lead"
    if _SUPPORT_LABEL.search(label):
        return "support"
    if _MENTION_LABEL.search(label):
        return "mentioned"
    return "responsible"


def parse_agency_list(text: str, role: str, resolver: AgencyResolver, offset: int = 0) -> list[AgencyMention]:
    """Split a list value (市发改委、财政局，厦门海关等按职责分工负责) into agencies.

    Offsets are ``offset`` + positions in ``text``; nested brackets are kept inside
    one item, and a trailing note (``等按职责分工负责``, ``（以下…）``) is cut off.

    >>> [(m.start, m.end, m.resolved.name) for m in parse_agency_list(
    ...     "市发改委、财政局，厦门海关等按职责分工负责", "responsible", AgencyResolver("350200"))]
    [(0, 4, '厦门市发展和改革委员会'), (5, 8, '厦门市财政局'), (9, 13, '厦门海关')]
    """
    mentions: list[AgencyMention] = []
    carried: Prefix | None = None
    for start, end in _list_items(text):
        for item_start, item_end in _item_candidates(text, start, end):
            resolved = resolver.resolve(text[item_start:item_end], carried)
            previous = mentions[-1].resolved if mentions else None
            resolved = group_continuation(previous, text[item_start:item_end], resolved, text[start - 1:start])
            if resolved is not None:
                # A marker after the name overrides the list's role: 市发改委（牵头）.
                marker = text[item_end:end]
                item_role = ("lead" if _LEAD_LABEL.search(marker) else
                             "support" if _SUPPORT_LABEL.search(marker) else role)
                mentions.append(AgencyMention(offset + item_start, offset + item_end,
                                              text[item_start:item_end], item_role, resolved))
                if resolved.prefix is not None and resolved.prefix.printed:
                    carried = resolved.prefix
                break
    return mentions


def _list_items(text: str) -> Iterator[tuple[int, int]]:
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char in "（(":
            depth += 1
        elif char in "）)":
            depth = max(0, depth - 1)
        elif depth == 0 and (char in _LIST_SEPARATORS or char.isspace()):
            if index > start:
                yield start, index
            start = index + 1
    if len(text) > start:
        yield start, len(text)


def _item_candidates(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The item as printed, then with a trailing note or 等… cut off."""
    yield start, end
    item = text[start:end]
    tail = _PAREN_TAIL.search(item)
    if tail and tail.start() > 0:
        yield start, start + tail.start()
        item = item[: tail.start()]
    etc = _ETC.search(item)
    if etc and etc.start() > 0:
        yield start, start + etc.start()


def _closing_bracket(text: str, start: int, limit: int = 600) -> int:
    """Index of the bracket closing the one opened before ``start`` (or -1)."""
    depth = 1
    stop = min(len(text), start + limit)
    for index in range(start, stop):
        char = text[index]
        if char in "（(":
            depth += 1
        elif char in "）)":
            depth -= 1
            if depth == 0:
                return index
        elif char == "\n" and index + 1 < stop and text[index + 1] == "\n" and depth == 1:
            # A paragraph break ends an unclosed list.
            return index
    return -1


class AgencyFinder:
    """Finds every agency mention of a text for one jurisdiction."""

    def __init__(self, jurisdiction: str | None, place_name: str | None = None) -> None:
        self.resolver = AgencyResolver(jurisdiction, place_name)
        self.mention_res, self.inner_re, self.body_re = _mention_patterns()

    def lists(self, text: str) -> tuple[list[AgencyMention], list[tuple[int, int]]]:
        """Mentions inside labelled lists, and the regions those lists cover."""
        mentions: list[AgencyMention] = []
        regions: list[tuple[int, int]] = []
        for match in _PAREN_LIST.finditer(text):
            close = _closing_bracket(text, match.end())
            end = close if close >= 0 else min(len(text), match.end() + 200)
            mentions.extend(self._labelled(text, match.group("label"), match.end(), end))
            regions.append((match.start(), end + 1 if close >= 0 else end))
        in_brackets = IntervalSet(regions)
        for match in _LINE_LIST.finditer(text):
            if in_brackets.contains(match.start()):
                continue
            mentions.extend(self._labelled(text, match.group("label"), match.start("value"), match.end("value")))
            regions.append((match.start(), match.end()))
        labelled = IntervalSet(regions)
        for match in _BARE_LIST_LINE.finditer(text):
            if labelled.contains(match.start()):
                continue
            value = match.group("value")
            if not _LIST_LINE_END.search(value):
                continue
            tabbed = match.group("indent").startswith("\t")
            if not tabbed and not _SEPARATOR_CHAIN.search(value):
                continue
            items = list(_list_items(value))
            listed = parse_agency_list(value, "responsible", self.resolver, match.start("value"))
            # Every item must be an agency or group: otherwise it is prose, not a cell.
            # ... and one at least a body the table or the registry knows (not only a name
            # that merely ends like an organisation).
            if (not listed or len(listed) != len(items) or all(m.resolved.kind == "group" for m in listed)
                    or not any(m.resolved.agency_type for m in listed)):
                continue
            mentions.extend(listed)
            regions.append((match.start(), match.end()))
        return mentions, regions

    def _labelled(self, text: str, label: str, start: int, end: int) -> list[AgencyMention]:
        """The list after ``label``, split again wherever another label starts
        (牵头单位：市发改委；配合单位：市财政局)."""
        mentions: list[AgencyMention] = []
        for inner in _INNER_LABEL.finditer(text, start, end):
            mentions.extend(parse_agency_list(text[start:inner.start()], role_of_label(label), self.resolver, start))
            label, start = inner.group("label"), inner.end()
        mentions.extend(parse_agency_list(text[start:end], role_of_label(label), self.resolver, start))
        return mentions

    def prose(self, text: str, skip: list[tuple[int, int]]) -> list[AgencyMention]:
        """Mentions outside lists, with roles from the phrase around them."""
        skip_set = IntervalSet(skip)
        candidates = self._candidates(text, skip_set)
        mentions: list[AgencyMention] = []
        index = 0
        while index < len(candidates):
            chain = [candidates[index]]
            # Extend the chain over 、-separated items, bare bodies inheriting the prefix.
            while True:
                last = chain[-1]
                pos = last.end
                if pos < len(text) and _SEPARATOR_CHAIN.match(text, pos):
                    nxt = candidates[index + len(chain)] if index + len(chain) < len(candidates) else None
                    if nxt is not None and nxt.start == pos + 1:
                        nxt.resolved = group_continuation(last.resolved, nxt.text, nxt.resolved, text[pos]) or nxt.resolved
                        chain.append(nxt)
                        continue
                    body = self.body_re.match(text, pos + 1)
                    if body is None and last.resolved.kind == "group":
                        # 各开放先导区党工委、管委会: a bare collective ending shares the group's stem.
                        body = _GROUP_TAIL.match(text, pos + 1)
                    if body and not skip_set.contains(body.start()):
                        resolved = self.resolver.resolve(body.group(), last.resolved.prefix)
                        resolved = group_continuation(last.resolved, body.group(), resolved, text[pos])
                        if resolved is not None:
                            extra = AgencyMention(body.start(), body.end(), body.group(), "mentioned", resolved)
                            candidates.insert(index + len(chain), extra)
                            chain.append(extra)
                            continue
                break
            role = self._chain_role(text, chain[0].start, chain[-1].end)
            for mention in chain:
                mention.role = role
            mentions.extend(chain)
            index += len(chain)
        return mentions

    def _chain_role(self, text: str, start: int, end: int) -> str:
        after = _AFTER_CHAIN.match(text, end)
        before = text[max(0, start - 2):start]
        if _BEFORE_SUPPORT.search(before):
            return "support"
        if after is None:
            return "mentioned"
        word = after.group("word")
        if word == "牵头":
            return "lead"
        if word == "配合":
            return "support"
        if word == "会同":
            return "lead"
        return "responsible"

    def _candidates(self, text: str, skip: IntervalSet) -> list[AgencyMention]:
        found: list[AgencyMention] = []
        for match in self.inner_re.finditer(text):
            if not skip.overlaps(*match.span()):
                resolved = self.resolver.resolve(match.group())
                if resolved is not None:
                    found.append(AgencyMention(match.start(), match.end(), match.group(), "mentioned", resolved))
        taken = IntervalSet([(m.start, m.end) for m in found])
        spans = sorted({match.span() for pattern in self.mention_res for match in pattern.finditer(text)},
                       key=lambda span: (span[0], -span[1]))
        last_end = -1
        for start, end in spans:
            # Leftmost-longest: a match starting inside the one taken before is dropped.
            if start < last_end or skip.overlaps(start, end) or taken.overlaps(start, end):
                continue
            resolved = self.resolver.resolve(text[start:end])
            if resolved is None:
                continue
            found.append(AgencyMention(start, end, text[start:end], "mentioned", resolved))
            last_end = end
        found.sort(key=lambda m: m.start)
        return found

    def find(self, text: str) -> list[AgencyMention]:
        listed, regions = self.lists(text)
        return sorted(listed + self.prose(text, regions), key=lambda m: (m.start, m.end))


@cache
def _mention_patterns() -> tuple[tuple[re.Pattern[str], ...], re.Pattern[str], re.Pattern[str]]:
    """(mention patterns, names with a place inside, bare table bodies).

    The mention patterns are several regexes rather than one alternation: each starts
    with a literal character or a character class, so the regex engine skips ahead to
    the characters that can start a match (an alternation of mixed branches is tried
    at every position). ``_candidates`` merges their matches, leftmost-longest.
    """
    table = abbreviation_table()
    place_names = gazetteer().names_longest_first()
    places = trie_pattern(place_names)
    bodies = trie_pattern(table.bodies)
    # Place-first forms of the table ({place}海关) and names with the place inside (人民银行{place}分行).
    place_first = [rule.form.replace("{place}", "") for _, rule in table.place_rules if rule.form.startswith("{place}")]
    inner = [rule.form for _, rule in table.place_rules if not rule.form.startswith("{place}")]
    inner_alternatives = "|".join(
        re.escape(form.partition("{place}")[0]) + f"(?:{places}|(?![市省区县])[{_CJK}]{{2,4}}?[市省]?)" + re.escape(form.partition("{place}")[2])
        for form in sorted(inner, key=len, reverse=True)
    ) or "(?!)"
    central = trie_pattern(form for form, rule in table.bodies.items() if "{" not in rule.full_name)
    level_body = rf"(?:{bodies}|{_GENERIC_BODY})(?!门)"
    mentions = (
        # Collective references starting with 各/有关/相关, and those after a level prefix.
        re.compile(rf"{trie_pattern(table.groups)}|{_GROUP_EACH}"),
        re.compile(_GROUP_LEVEL),
        # A central body, not 财政部门 and not the prefix of a document number (工信部联财函〔2024〕…).
        re.compile(rf"(?:{central})(?!门)(?![{_CJK}]{{0,5}}[〔\[【［(（]\d{{4}})"),
        # A place name (or 中共 + place name) and what follows it.
        re.compile(rf"{trie_pattern([*place_names, *('中共' + name for name in place_names)])}"
                   rf"(?:{trie_pattern(place_first)}|[市省区县]?(?:{bodies}|{_GENERIC_BODY}))"),
        # A level prefix after punctuation or a conjunction may start a generic name; after
        # other characters only a table body, and not where 市/区 ends a word (城市, 本市).
        # The look-behinds check the character before the prefix once it has matched.
        re.compile(rf"[市省区县](?<![{_CJK}].){level_body}"),
        re.compile(rf"[市省区县](?<=[、，,和及与由向经请报送同].){level_body}"),
        re.compile(rf"[市省区县](?<![城都超上股门夜集该各每个副地社园片辖景小新老郊设区].)(?:{bodies})(?!门)"),
    )
    return mentions, re.compile(inner_alternatives), re.compile(bodies)


# --- the spaCy component ------------------------------------------------------------------

def document_jurisdiction(doc: Doc) -> tuple[str | None, str | None]:
    """(jurisdiction code, place name) the pipeline put on the doc, else detected from the text.

    The place name is kept for a place the divisions do not list (code None)."""
    context = doc.user_data.get(CONTEXT_KEY) or {}
    if "jurisdiction" in context:
        return context["jurisdiction"], context.get("place_name")
    from extract.jurisdiction import detect_jurisdiction, detect_place_name

    text = doc_text(doc)
    division = detect_jurisdiction(text)
    return (division.code, division.name) if division else (None, detect_place_name(text))


@lru_cache(maxsize=256)
def finder_for(jurisdiction: str | None, place_name: str | None = None) -> AgencyFinder:
    """The finder of one jurisdiction, kept per process (its resolver caches names)."""
    return AgencyFinder(jurisdiction, place_name)


def spans_from_mentions(doc: Doc, mentions: list[AgencyMention]) -> list[Span]:
    """Spans (labelled with the role) carrying each mention's attributes."""
    spans = []
    for mention in mentions:
        span = doc.char_span(mention.start, mention.end, label=mention.role, alignment_mode="expand",
                             span_id=f"{mention.start}-{mention.end}")
        if span is None:
            continue
        span._.policykg = mention.as_attributes()
        spans.append(span)
    return spans


class AgencyComponent:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        finder = finder_for(*document_jurisdiction(doc))
        doc.spans["agencies"] = spans_from_mentions(doc, finder.find(doc_text(doc)))
        return doc


@Language.factory(COMPONENT, assigns=["doc.spans"], requires=[])
def make_agency_component(nlp: Language, name: str) -> AgencyComponent:
    return AgencyComponent(nlp, name)
