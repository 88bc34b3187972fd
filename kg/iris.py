"""Deterministic, readable IRIs for everything PolicyKG writes.

The same input always gives the same IRI, on any machine, in any build order: an
IRI depends only on the thing's own identifying data (division code, year, document
number, provision path, text offsets, official name), never on counters or clocks.
The templates are documented in ``ontology/README.md``.

>>> document_iri({"document": {"doc_number": "厦府办规〔2024〕12号",
...                            "jurisdiction": {"name": "厦门市", "code": "350200"}}}).value
'https://w3id.org/policykg/eli/cn/350200/2024/xfbg-12'
>>> number_slug("大委办发[2024]15号")
('2024', 'dwbf-15')
>>> agency_iri("350200", "厦门市财政局", "厦门市").value
'https://w3id.org/policykg/agency/350200/caizhengju'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import cache, lru_cache
from typing import Any, Mapping

from pyoxigraph import NamedNode

from kg.namespaces import BASE_IRI
from kg.resources import data_path

#: Division segment used when a document's jurisdiction is unknown.
UNKNOWN_DIVISION = "unknown"
#: Year segment used when neither the number nor the dates give a year.
UNDATED = "undated"

# Document numbers print their year in one of several bracket pairs; 〔〕 is the
# official one (GB/T 9704), the others come from typing or conversion.
_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "［": "〔", "］": "〕", "【": "〔", "】": "〕",
                           "(": "〔", ")": "〕", "（": "〔", "）": "〕", "{": "〔", "}": "〕",
                           "〈": "〔", "〉": "〕", "「": "〔", "」": "〕"})
_NUMBER = re.compile(r"^(?P<prefix>.*?)\s*〔\s*(?P<year>\d{4})\s*〕\s*第?\s*(?P<serial>\d+)\s*号?\s*$")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ALNUM = re.compile(r"[a-z0-9]+")
_HAN_RUNS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[^\u3400-\u9fff\uf900-\ufaff]+")


def normalise_number(number: str) -> str:
    """A document number with full-width digits/letters made ASCII, spaces dropped and
    brackets made 〔〕, the form used to compare numbers across documents.

    >>> normalise_number("厦府办[2022]98号")
    '厦府办〔2022〕98号'
    >>> normalise_number("大委办发［２０２４］１５号")
    '大委办发〔2024〕15号'
    """
    text = "".join(ch if not ch.isdigit() else str(unicodedata.digit(ch, ch)) for ch in number)
    text = text.translate(_BRACKETS)
    text = "".join(unicodedata.normalize("NFKC", ch) if ch not in "〔〕" else ch for ch in text)
    return re.sub(r"\s+", "", text)


def lazy_pinyin(text: str, **options):  # noqa: ANN003, ANN201
    """pypinyin.lazy_pinyin, imported on first use: loading its dictionaries takes about a
    second, which a rebuild that skips every document should not pay."""
    from pypinyin import lazy_pinyin as convert  # noqa: PLC0415

    return convert(text, **options)


def _first_letter_style():  # noqa: ANN202
    from pypinyin import Style  # noqa: PLC0415

    return Style.FIRST_LETTER


@cache
def _abbreviation_readings() -> dict[str, str]:
    """Readings of characters used alone as abbreviations (厦 → xia), from a data file."""
    readings: dict[str, str] = {}
    path = data_path("ontology", "pinyin-readings.tsv")
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            char, reading = line.split("\t")[:2]
            readings[char] = reading.strip()
    return readings


@lru_cache(maxsize=65536)
def initials(text: str) -> str:
    """Pinyin initials of an abbreviation, one letter per Chinese character; ASCII
    letters and digits are kept lower-cased, everything else dropped.

    >>> initials("厦府办规")
    'xfbg'
    >>> initials("工信部联财函")
    'gxblch'
    """
    readings = _abbreviation_readings()
    out: list[str] = []
    for ch in unicodedata.normalize("NFKC", text):
        if _HAN.match(ch):
            out.append(readings.get(ch, lazy_pinyin(ch, style=_first_letter_style())[0])[0].lower())
        elif ch.isascii() and ch.isalnum():
            out.append(ch.lower())
    return "".join(out)


# The same names (agencies, people, industries) come back in every fact and document,
# and pypinyin converts slowly: remember the slugs.
@lru_cache(maxsize=65536)
def pinyin_slug(name: str) -> str:
    """Toneless pinyin of a name, words run together, for IRI path segments.

    >>> pinyin_slug("财政局")
    'caizhengju'
    >>> pinyin_slug("中国人民银行厦门市分行")
    'zhongguorenminyinhangxiamenshifenhang'
    >>> pinyin_slug("REITs 办公室")
    'reits-bangongshi'
    """
    segments: list[str] = []
    for run in _HAN_RUNS.findall(unicodedata.normalize("NFKC", name)):
        if _HAN.match(run):
            segments.append("".join(lazy_pinyin(run)))
        else:
            segments.extend(_ALNUM.findall(run.lower()))
    return "-".join(segments) or "x-" + short_hash(name)


def short_hash(text: str, length: int = 8) -> str:
    """First ``length`` hex digits of the SHA-1 of the text (UTF-8).

    >>> short_hash("abc")
    'a9993e36'
    """
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


def number_slug(number: str) -> tuple[str, str] | None:
    """``(year, slug)`` of a document number: pinyin initials of the prefix + serial.

    >>> number_slug("工信部联财函〔2024〕192号")
    ('2024', 'gxblch-192')
    >>> number_slug("厦府办[2022]98号")
    ('2022', 'xfb-98')
    >>> number_slug("no number") is None
    True
    """
    match = _NUMBER.match(normalise_number(number))
    if not match:
        return None
    prefix = initials(match["prefix"]) or "n"
    return match["year"], f"{prefix}-{int(match['serial'])}"


def _get(record: Mapping[str, Any], key: str) -> Any:
    return (record.get("document") or {}).get(key)


def document_division(record: Mapping[str, Any]) -> str:
    """Division code of the document's jurisdiction, or ``UNKNOWN_DIVISION``."""
    jurisdiction = _get(record, "jurisdiction") or {}
    return str(jurisdiction.get("code") or UNKNOWN_DIVISION)


def document_iri(record: Mapping[str, Any]) -> NamedNode:
    """ELI-like IRI of a document: ``eli/cn/{division}/{year}/{number slug}``, or
    ``…/{year}/t-{hash of the title}`` when it has no parsable number (of ``file:{name}``
    when it has no title either).

    >>> document_iri({"document": {"title": "任务分解表", "date_issued": None, "jurisdiction": None}}).value
    'https://w3id.org/policykg/eli/cn/unknown/undated/t-a77f0e60'
    """
    division = document_division(record)
    number = _get(record, "doc_number_normalised") or _get(record, "doc_number")
    parsed = number_slug(number) if number else None
    if parsed:
        year, slug = parsed
    else:
        date = _get(record, "date_issued") or _get(record, "date_published") or _get(record, "date_printed")
        year = date[:4] if date else UNDATED
        title = normalise_title(_get(record, "title") or _get(record, "notice_title") or "")
        if not title:  # nothing else names it: its file name (two untitled files must not collide)
            title = "file:" + str((_get(record, "source") or {}).get("file") or "")
        slug = "t-" + short_hash(title)
    return NamedNode(f"{BASE_IRI}eli/cn/{division}/{year}/{slug}")


def normalise_title(title: str) -> str:
    """A title compared across documents: NFKC, no spaces, no 《》 or quotes.

    >>> normalise_title("《关于支持中小微企业健康发展的 若干措施》")
    '关于支持中小微企业健康发展的若干措施'
    """
    text = unicodedata.normalize("NFKC", title)
    return re.sub(r"[\s《》〈〉\"'“”‘’]", "", text)


def provision_iri(document: NamedNode, provision_id: str, is_measure: bool) -> NamedNode:
    """``{document}/measure/{path}`` for measures, ``{document}/part/{path}`` otherwise.

    >>> provision_iri(NamedNode("https://w3id.org/policykg/eli/cn/350200/2024/xfbg-12"), "1", False).value
    'https://w3id.org/policykg/eli/cn/350200/2024/xfbg-12/part/1'
    """
    return NamedNode(f"{document.value}/{'measure' if is_measure else 'part'}/{provision_id}")


def measure_iri(document: NamedNode, measure_id: str) -> NamedNode:
    """IRI of a measure from its path id.

    >>> measure_iri(NamedNode("https://w3id.org/policykg/eli/cn/350200/2024/xfbg-12"), "1-5").value
    'https://w3id.org/policykg/eli/cn/350200/2024/xfbg-12/measure/1-5'
    """
    return provision_iri(document, measure_id, True)


def fact_iri(document: NamedNode, kind: str, span: tuple[int, int] | list[int], suffix: str | None = None) -> NamedNode:
    """``{document}/{kind}/{start}-{end}[-{suffix}]`` for an extracted fact.

    >>> fact_iri(NamedNode("https://w3id.org/policykg/eli/cn/350200/2024/xfbg-12"), "amount", [5120, 5125]).value
    'https://w3id.org/policykg/eli/cn/350200/2024/xfbg-12/amount/5120-5125'
    >>> fact_iri(NamedNode("https://w3id.org/policykg/x"), "responsibility", (1, 4), "lead").value
    'https://w3id.org/policykg/x/responsibility/1-4-lead'
    """
    start, end = span
    return NamedNode(f"{document.value}/{kind}/{int(start)}-{int(end)}" + (f"-{suffix}" if suffix else ""))


# A leading place name in an agency name when the registry cannot say: up to four
# characters ending in 省/市/自治区/自治州/县/区 (厦门市财政局 → 财政局).
_LEADING_PLACE = re.compile(r"^[\u4e00-\u9fff]{2,6}?(?:省|自治区|市|自治州|地区|盟|县|区|旗)(?=[\u4e00-\u9fff]{2})")


def agency_local_name(full_name: str, jurisdiction_name: str | None = None) -> str:
    """The agency name without its jurisdiction prefix.

    >>> agency_local_name("厦门市财政局", "厦门市")
    '财政局'
    >>> agency_local_name("中国人民银行厦门市分行", "厦门市")
    '中国人民银行厦门市分行'
    >>> agency_local_name("福建省工业和信息化厅")
    '工业和信息化厅'
    """
    name = full_name.strip()
    if jurisdiction_name:
        if name.startswith(jurisdiction_name) and len(name) > len(jurisdiction_name):
            return name[len(jurisdiction_name):]
        return name
    match = _LEADING_PLACE.match(name)
    return name[match.end():] if match else name


def agency_iri(jurisdiction_code: str | None, full_name: str, jurisdiction_name: str | None = None) -> NamedNode:
    """``agency/{division}/{pinyin of the name without the jurisdiction prefix}``.

    >>> agency_iri("210200", "大连市发展和改革委员会", "大连市").value
    'https://w3id.org/policykg/agency/210200/fazhanhegaigeweiyuanhui'
    """
    division = jurisdiction_code or UNKNOWN_DIVISION
    return NamedNode(f"{BASE_IRI}agency/{division}/{pinyin_slug(agency_local_name(full_name, jurisdiction_name))}")


def group_iri(jurisdiction_code: str | None, name: str) -> NamedNode:
    """``group/{division}/{pinyin}`` for collective references such as 各区人民政府.

    >>> group_iri("350200", "各区人民政府").value
    'https://w3id.org/policykg/group/350200/gequrenminzhengfu'
    """
    return NamedNode(f"{BASE_IRI}group/{jurisdiction_code or UNKNOWN_DIVISION}/{pinyin_slug(name)}")


def place_iri(code: str) -> NamedNode:
    """``place/{GB/T 2260 code}``.

    >>> place_iri("350200").value
    'https://w3id.org/policykg/place/350200'
    """
    return NamedNode(f"{BASE_IRI}place/{code}")


def industry_iri(slug: str) -> NamedNode:
    """``industry/{slug}``; a full IRI given instead of a slug is kept.

    >>> industry_iri("electronic-information").value
    'https://w3id.org/policykg/industry/electronic-information'
    """
    if slug.startswith(("http://", "https://")):
        return NamedNode(slug)
    return NamedNode(f"{BASE_IRI}industry/{slug}")


def candidate_industry_iri(label: str) -> NamedNode:
    """``industry/candidate/{pinyin}`` for an industry phrase no scheme concept matched.

    >>> candidate_industry_iri("低空经济").value
    'https://w3id.org/policykg/industry/candidate/dikongjingji'
    """
    return NamedNode(f"{BASE_IRI}industry/candidate/{pinyin_slug(label)}")


def person_iri(division: str | None, name: str) -> NamedNode:
    """``person/{division}/{pinyin}``.

    >>> person_iri("350200", "张三").value
    'https://w3id.org/policykg/person/350200/zhangsan'
    """
    return NamedNode(f"{BASE_IRI}person/{division or UNKNOWN_DIVISION}/{pinyin_slug(name)}")


def cited_iri(doc_number: str | None = None, title: str | None = None) -> NamedNode:
    """A document cited but not (yet) known: ``cited/{year}-{number slug}`` or
    ``cited/t-{hash of the normalised title}``.

    >>> cited_iri("工信部联财函〔2024〕192号").value
    'https://w3id.org/policykg/cited/2024-gxblch-192'
    >>> cited_iri(None, "《关于支持中小微企业健康发展的若干措施》").value
    'https://w3id.org/policykg/cited/t-787c744d'
    """
    parsed = number_slug(doc_number) if doc_number else None
    if parsed:
        return NamedNode(f"{BASE_IRI}cited/{parsed[0]}-{parsed[1]}")
    return NamedNode(f"{BASE_IRI}cited/t-{short_hash(normalise_title(title or doc_number or ''))}")


def extractor_iri(component: str, version: str) -> NamedNode:
    """``extractor/{component}/{version}``: the PROV activity that produced a fact.

    >>> extractor_iri("amounts", "0.1.0").value
    'https://w3id.org/policykg/extractor/amounts/0.1.0'
    """
    return NamedNode(f"{BASE_IRI}extractor/{component}/{version}")
