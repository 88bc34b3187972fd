"""The extraction pipeline and the extraction record (see ``extract/README.md``).

``load_pipeline()`` builds ``spacy.blank("zh")`` with the jieba segmenter (its
dictionary ships with the jieba package: nothing is downloaded) and adds every
PolicyKG component in order. It is cached per process: a build worker calls it once
and keeps the pipeline.

``extract_record(parsed)`` runs the pipeline over the *cleaned* text of a parsed
document, maps every span back to the original text with ``CleanText.to_original``,
puts each entity in the measure whose cleaned span contains it, and returns a record
made only of JSON types (dict, list, str, int, float, bool, None).

>>> nlp = load_pipeline()
>>> nlp is load_pipeline()
True
>>> "policykg_agencies" in nlp.pipe_names
True
"""

from __future__ import annotations

import bisect
import importlib
import re
from functools import cache
from pathlib import Path
from typing import Any, Iterable, Iterator

import spacy
from spacy.language import Language

from extract import attributes  # noqa: F401  (registers span._.policykg)
from extract.agencies import CONTEXT_KEY, AgencyResolver, finder_for, parse_agency_list, role_of_label
from extract.jurisdiction import detect_jurisdiction, detect_place_name
from extract.patterns import TEXT_KEY, IntervalSet
from extract.tokens import jieba_segmenter, whitespace_doc
from kg.model import Located, ParsedDocument, Provision
from kg.structure import iso_date

#: The components in pipeline order: (module that declares the factory, factory name).
#: Numeric components come after agencies and industries so a target can look at both.
COMPONENTS: tuple[tuple[str, str], ...] = (
    ("extract.agencies", "policykg_agencies"),
    ("extract.industries", "policykg_industries"),
    ("extract.citations", "policykg_citations"),
    ("extract.people", "policykg_people"),
    ("extract.amounts", "policykg_amounts"),
    ("extract.rates", "policykg_rates"),
    ("extract.dates", "policykg_dates"),
    ("extract.durations", "policykg_durations"),
    ("extract.targets", "policykg_targets"),
)

#: ``doc.spans`` keys, which are also the keys of ``record["entities"]``.
ENTITY_TYPES = ("agencies", "amounts", "rates", "dates", "durations", "industries", "targets", "citations", "people")

#: Attributes kept out of the record (the record has ``span`` in original offsets instead).
_INTERNAL = {"char_start", "char_end"}

_AGENCY_FIELD = re.compile(r"单位|部门|抄送")
_PEOPLE_FIELD = re.compile(r"领导")
#: Fields (a table's column or a labelled line) whose dates are deadlines: 完成时限, 时间节点.
_DEADLINE_FIELD = re.compile(r"时限|时间节点|完成时间|截止")


@cache
def load_pipeline() -> Language:
    """The PolicyKG pipeline, built once per process."""
    import logging

    import jieba

    # jieba reports loading its dictionary on stderr at INFO level; the CLI prints records.
    jieba.setLogLevel(logging.WARNING)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    for module, factory in COMPONENTS:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            # A component whose module is not part of this installation is left out;
            # any other import failure is a bug and propagates.
            if error.name != module:
                raise
            continue
        nlp.add_pipe(factory, name=factory)
    return nlp


def component_names() -> list[str]:
    """The factory names of the pipeline, in order."""
    return list(load_pipeline().pipe_names)


# --- the record -----------------------------------------------------------------------

def _located(value: Located | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"text": value.value, "span": [value.span[0], value.span[1]]}


def _value(value: Located | None) -> str | None:
    return value.value if value is not None else None


def _normalise_number(number: str | None) -> str | None:
    if not number:
        return None
    from kg.clean import normalise_doc_number

    return normalise_doc_number(number)


def _title(parsed: ParsedDocument) -> tuple[str, str | None]:
    """(policy title, notice title or None)."""
    if parsed.policy_title is not None:
        notice = parsed.title.value if parsed.title is not None and parsed.title.value != parsed.policy_title.value else None
        return parsed.policy_title.value, notice
    if parsed.title is not None:
        return parsed.title.value, None
    for line in parsed.clean.text.splitlines():
        if line.strip():
            return line.strip(), None
    return parsed.source.path.stem, None


class _MeasureIndex:
    """Finds the measure whose cleaned span contains a cleaned offset."""

    def __init__(self, measures: list[Provision]) -> None:
        ordered = sorted(measures, key=lambda p: p.clean_span)
        self.starts = [p.clean_span[0] for p in ordered]
        self.measures = ordered
        self.ids = [p.id for p in ordered]  # Provision.id joins its path on every access

    def find(self, start: int, end: int) -> str | None:
        index = bisect.bisect_right(self.starts, start) - 1
        while index >= 0:
            measure = self.measures[index]
            if measure.clean_span[0] <= start and end <= measure.clean_span[1]:
                return self.ids[index]
            if measure.clean_span[1] <= start:
                # Measures do not nest; an earlier one that ends before us cannot contain us.
                return None
            index -= 1
        return None

    def find_original(self, start: int, end: int) -> str | None:
        for index, measure in enumerate(self.measures):
            if measure.span[0] <= start and end <= measure.span[1]:
                return self.ids[index]
        return None


def _json_value(value: Any) -> Any:
    """Coerce attribute values to JSON types (tuples → lists, sets → sorted lists)."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_json_value(v) for v in value)
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _provision_records(parsed: ParsedDocument) -> tuple[list[dict], list[dict]]:
    provisions: list[dict] = []
    measures: list[dict] = []

    def visit(provision: Provision, parent: Provision | None, printed_path: list[str]) -> None:
        path = printed_path + [provision.number]
        provisions.append({
            "id": provision.id, "kind": provision.kind, "number": provision.number,
            "ordinal": provision.ordinal, "path": list(provision.path),
            "parent": parent.id if parent is not None else None,
            "title": provision.title, "text": provision.clean_text,
            "span": [provision.span[0], provision.span[1]], "is_measure": bool(provision.is_measure),
        })
        if provision.is_measure:
            measures.append({
                "id": provision.id, "number": provision.number, "path": path,
                "title": provision.title, "text": provision.clean_text,
                "span": [provision.span[0], provision.span[1]],
            })
        for child in provision.children:
            visit(child, provision, path)

    for top in parsed.provisions:
        visit(top, None, [])
    return provisions, measures


def _context(parsed: ParsedDocument) -> dict[str, Any]:
    title, notice_title = _title(parsed)
    division = detect_jurisdiction(parsed.clean.text, [i.value for i in parsed.issuers], title)
    date = _value(parsed.date_signed) or _value(parsed.date_printed) or iso_date(parsed.source.metadata.get("date_written") or "")
    year = int(date[:4]) if date and re.match(r"\d{4}", date) else None
    place_name = division.name if division else detect_place_name(
        parsed.clean.text, [i.value for i in parsed.issuers], title)
    return {
        "jurisdiction": division.code if division else None,
        "jurisdiction_name": division.name if division else None,
        "place_name": place_name,
        "date_issued": date,
        "year": year,
        "document_year": year,
        "title": notice_title or title,
        "policy_title": title,
        "doc_number": _value(parsed.doc_number),
    }


def _field_mentions(parsed: ParsedDocument, resolver: AgencyResolver, index: _MeasureIndex) -> tuple[list[dict], list[dict]]:
    """Agencies and people from the labelled fields of provisions (table columns, field lines)."""
    agencies: list[dict] = []
    people: list[dict] = []
    original = parsed.source.text
    for provision in parsed.walk():
        for label, located in provision.fields.items():
            start, end = located.span
            locator = _FieldLocator(parsed, located)
            measure = provision.id if provision.is_measure else index.find_original(start, end)
            if _PEOPLE_FIELD.search(label):
                from extract.people import parse_people, role_of_label as person_role

                for item_start, item_end, name in parse_people(located.value):
                    span = locator.span(item_start, item_end, name)
                    if span is not None:
                        people.append({"name": name, "role": person_role(label), "text": original[span[0]:span[1]],
                                       "span": list(span), "measure": measure})
                continue
            if not _AGENCY_FIELD.search(label):
                continue
            role = role_of_label(label)
            for mention in parse_agency_list(located.value, role, resolver):
                span = locator.span(mention.start, mention.end, mention.text)
                if span is None:
                    continue
                record = {key: value for key, value in mention.as_attributes().items() if key not in _INTERNAL}
                record.update(text=original[span[0]:span[1]], span=list(span), measure=measure)
                agencies.append(record)
    return agencies, people


def _deadlines_by_field(parsed: ParsedDocument, dates: list[dict]) -> None:
    """A date in a 完成时限 column or field is a deadline even with no 前 after it (2025年12月)."""
    spans = IntervalSet([located.span for provision in parsed.walk()
                         for label, located in provision.fields.items() if _DEADLINE_FIELD.search(label)])
    for date in dates:
        if date.get("role") in ("other", "target") and spans.overlaps(*date["span"]):
            date["role"] = "deadline"


class _FieldLocator:
    """Maps positions in a field's value to the original text.

    A value printed as-is maps by offset. A value that was cleaned (a list broken by a
    page break: 各\n\n## 区) is found in the cleaned text near the field's original
    position and mapped back with ``CleanText.to_original``; failing that, the item is
    searched for in the original span of the field.
    """

    def __init__(self, parsed: ParsedDocument, located: Located) -> None:
        self.original = parsed.source.text
        self.start, self.end = located.span
        self.exact = self.original[self.start:self.end] == located.value
        self.clean = parsed.clean
        self.clean_start: int | None = None
        if not self.exact:
            position = bisect.bisect_left(self.clean.offsets, self.start)
            found = self.clean.text.find(located.value, max(0, position - 2), position + len(located.value) + 8)
            self.clean_start = found if found >= 0 else None

    def span(self, item_start: int, item_end: int, item: str) -> tuple[int, int] | None:
        if self.exact:
            return self.start + item_start, self.start + item_end
        if self.clean_start is not None:
            return self.clean.to_original(self.clean_start + item_start, self.clean_start + item_end)
        found = self.original.find(item, self.start, self.end)
        return (found, found + len(item)) if found >= 0 else None


def _issuers(parsed: ParsedDocument, resolver: AgencyResolver, index: _MeasureIndex) -> list[dict]:
    issuers = []
    for located in parsed.issuers:
        resolved = resolver.resolve(located.value)
        issuers.append({
            "name": resolved.name if resolved else located.value,
            "text": located.value,
            "span": [located.span[0], located.span[1]] if located.span else None,
            "jurisdiction": resolved.jurisdiction if resolved else None,
            "kind": resolved.kind if resolved else "agency",
            "agency_type": resolved.agency_type if resolved else "",
            "inferred": resolved.inferred if resolved else True,
        })
    return issuers


def extract_record(parsed: ParsedDocument, nlp: Language | None = None) -> dict[str, Any]:
    """The extraction record of one parsed document (plain JSON types only).

    >>> from kg.resources import default_corpus
    >>> record = extract_record(parse_path(default_corpus() / "001_2ec3c0742d66132a.txt"))
    >>> record["document"]["jurisdiction"], record["document"]["doc_number_normalised"]
    ({'name': '厦门市', 'code': '350200'}, '厦府办〔2022〕98号')
    >>> lead = next(a for a in record["entities"]["agencies"] if a["role"] == "lead")
    >>> lead["name"], record["document"]["text"][lead["span"][0]:lead["span"][1]] == lead["text"]
    ('厦门市工业和信息化局', True)
    """
    nlp = nlp or load_pipeline()
    context = _context(parsed)
    # The components match characters; only industries reads jieba's words, and asks for
    # them where it needs them: no need to segment the whole text (``extract.tokens``).
    doc = (whitespace_doc(nlp, parsed.clean.text) if jieba_segmenter(nlp) is not None
           else nlp.make_doc(parsed.clean.text))
    doc.user_data[CONTEXT_KEY] = context
    doc.user_data[TEXT_KEY] = parsed.clean.text
    for _, component in nlp.pipeline:
        doc = component(doc)
    return _assemble(parsed, doc, context)


def _assemble(parsed: ParsedDocument, doc: Any, context: dict[str, Any]) -> dict[str, Any]:
    original = parsed.source.text
    clean = parsed.clean
    measures = parsed.measures()
    index = _MeasureIndex(measures)
    # The component's finder (cached per jurisdiction) shares its resolver and its cache.
    resolver = finder_for(context["jurisdiction"], context.get("place_name")).resolver

    entities: dict[str, list[dict]] = {name: [] for name in ENTITY_TYPES}
    for key in ENTITY_TYPES:
        if key not in doc.spans:
            continue
        for span in doc.spans[key]:
            attrs = span._.policykg or {}
            start = attrs.get("char_start", span.start_char)
            end = attrs.get("char_end", span.end_char)
            if not (0 <= start <= end <= len(clean.text)):
                continue
            o_start, o_end = clean.to_original(start, end)
            record = {k: _json_value(v) for k, v in attrs.items() if k not in _INTERNAL}
            record["text"] = original[o_start:o_end]
            record["span"] = [o_start, o_end]
            record["measure"] = index.find(start, end)
            entities[key].append(record)

    _deadlines_by_field(parsed, entities["dates"])
    field_agencies, field_people = _field_mentions(parsed, resolver, index)
    # Field lists are also in the cleaned text: a field's label decides the role.
    seen = IntervalSet([tuple(a["span"]) for a in field_agencies])
    entities["agencies"] = field_agencies + [a for a in entities["agencies"] if not seen.overlaps(*a["span"])]
    seen_people = {tuple(p["span"]) for p in field_people}
    entities["people"] = field_people + [p for p in entities["people"] if tuple(p["span"]) not in seen_people]

    issuers = _issuers(parsed, resolver, index)
    issuer_spans = [i["span"] for i in issuers if i["span"]]
    # The issuing body named outside the measures (masthead, notice title, signature,
    # printing line) is the issuer, not a mere mention.
    issuer_names = {i["name"] for i in issuers}
    for agency in entities["agencies"]:
        if agency["measure"] is None and agency["role"] == "mentioned" and agency["name"] in issuer_names:
            agency["role"] = "issuer"
    issued = IntervalSet([tuple(s) for s in issuer_spans])
    entities["agencies"] = [a for a in entities["agencies"] if not issued.overlaps(*a["span"])]
    for issuer in issuers:
        if issuer["span"]:
            entities["agencies"].append({
                "name": issuer["name"], "text": original[issuer["span"][0]:issuer["span"][1]], "role": "issuer",
                "span": issuer["span"], "measure": None, "jurisdiction": issuer["jurisdiction"],
                "kind": issuer["kind"], "agency_type": issuer["agency_type"], "inferred": issuer["inferred"],
            })
    for key in entities:
        entities[key].sort(key=lambda e: (e["span"][0], e["span"][1]))

    provisions, measure_records = _provision_records(parsed)
    title, notice_title = _title(parsed)
    date_issued = _value(parsed.date_signed)
    in_force, expires = _validity(entities, date_issued, clean.text)
    source = parsed.source
    document = {
        "title": title,
        "notice_title": notice_title,
        "doc_number": _value(parsed.doc_number),
        "doc_number_normalised": _normalise_number(_value(parsed.doc_number)),
        "date_issued": date_issued,
        "date_printed": _value(parsed.date_printed),
        # a web page's 发布日期 is printed in many ways (2025年8月15日, 2025-08-15): keep it only as ISO
        "date_published": _value(parsed.date_published) or iso_date(source.metadata.get("date_published") or ""),
        "date_in_force": in_force,
        "date_expires": expires,
        "issuers": [{k: v for k, v in i.items() if k in ("name", "text", "span", "jurisdiction")} for i in issuers],
        "jurisdiction": ({"name": context["jurisdiction_name"], "code": context["jurisdiction"]}
                         if context["jurisdiction"] else None),
        "addressees": [_located(a) for a in parsed.addressees],
        "cc": [_located(c) for c in parsed.cc],
        "attachments": [_located(a) for a in parsed.attachments],
        "disclosure": _value(parsed.disclosure),
        "source": {
            "file": source.path.name, "path": str(source.path), "format": source.format,
            "encoding": source.encoding, "content_hash": source.content_hash,
        },
        "metadata": dict(source.metadata),
        "text": original,
        "warnings": list(source.warnings) + list(parsed.warnings),
    }
    return {"document": document, "provisions": provisions, "measures": measure_records, "entities": entities}


_IN_FORCE_ON_ISSUE = re.compile(r"自(?:发布|印发|公布|颁布)之日起(?:施行|实施|执行|生效)")
_VALIDITY_YEARS = re.compile(r"有效期(?:为|至)?(?P<n>\d{1,2}|[一二两三四五六七八九十])年")
_SMALL_NUMERALS = {c: i for i, c in enumerate("零一二三四五六七八九十")}


def _validity(entities: dict[str, list[dict]], date_issued: str | None, clean_text: str) -> tuple[str | None, str | None]:
    """(date in force, expiry date): dates with role effective/expiry first, then
    自发布之日起施行 (in force on the issue date) and 有效期N年 (expires the day before the
    N-th anniversary)."""
    import datetime as dt

    in_force = next((d.get("start") for d in entities["dates"] if d.get("role") == "effective" and d.get("start")), None)
    expires = next((d.get("end") for d in entities["dates"] if d.get("role") == "expiry" and d.get("end")), None)
    if in_force is None and date_issued and _IN_FORCE_ON_ISSUE.search(clean_text):
        in_force = date_issued
    if expires is None and in_force:
        match = _VALIDITY_YEARS.search(clean_text)
        if match:
            n = match.group("n")
            years = int(n) if n.isdigit() else (2 if n == "两" else _SMALL_NUMERALS[n])
            try:
                start = dt.date.fromisoformat(in_force)
                anniversary = start.replace(year=start.year + years)
            except ValueError:
                anniversary = None
            if anniversary is not None:
                expires = (anniversary - dt.timedelta(days=1)).isoformat()
    return in_force, expires


def parse_path(path: str | Path) -> ParsedDocument:
    """Read and parse one document file (``kg.structure.parse_document``)."""
    from kg.structure import parse_document

    return parse_document(path)


def extract_path(path: str | Path, nlp: Language | None = None) -> dict[str, Any]:
    """The extraction record of the document at ``path``."""
    return extract_record(parse_path(path), nlp)


def format_record_text(record: dict[str, Any]) -> str:
    """A readable summary of a record: the document header, then one line per entity."""
    document = record["document"]
    jurisdiction = document["jurisdiction"]
    lines = [
        f"document      {document['source']['file']}",
        f"title         {document['title']}",
        f"doc number    {document['doc_number'] or '-'}",
        f"issued        {document['date_issued'] or '-'}",
        f"issuers       {'; '.join(i['name'] for i in document['issuers']) or '-'}",
        f"jurisdiction  {jurisdiction['name'] + ' ' + jurisdiction['code'] if jurisdiction else '-'}",
        f"measures      {len(record['measures'])}",
    ]
    for entity_type, entities in record["entities"].items():
        if not entities:
            continue
        lines.append("")
        lines.append(f"{entity_type} ({len(entities)})")
        for entity in entities:
            details = ", ".join(f"{k}={v}" for k, v in entity.items() if k not in ("text", "span", "measure"))
            lines.append(f"  {entity['span'][0]:>6}-{entity['span'][1]:<6} {entity['measure'] or '-':<8} "
                         f"{entity['text']!r:<24} {details}")
    return "\n".join(lines)


def extract_paths(paths: Iterable[str | Path], fmt: str = "json", warn: Any = None) -> str:
    """``policykg extract``: the record of one document as JSON, a JSON list for several,
    or the readable summaries (``fmt == "text"``). Folders are walked for documents."""
    import json

    from kg.readers import iter_document_paths
    from kg.resources import default_corpus

    files = list(iter_document_paths(list(paths) or [default_corpus()], warn))
    nlp = load_pipeline()
    records = [extract_path(path, nlp) for path in files]
    if fmt == "text":
        return "\n\n".join(format_record_text(record) for record in records)
    payload: Any = records[0] if len(records) == 1 else records
    return json.dumps(payload, ensure_ascii=False, indent=1)


def _worker_extract(parsed: ParsedDocument) -> dict[str, Any]:
    # Runs in a worker process: the pipeline is loaded once per process (cached).
    return extract_record(parsed, load_pipeline())


def extract_records(parsed_docs: Iterable[ParsedDocument], nlp: Language | None = None,
                    n_process: int = 1, chunksize: int = 4) -> Iterator[dict[str, Any]]:
    """Records of many documents, in input order.

    With ``n_process > 1`` the documents are spread over that many worker processes,
    each holding one pipeline; records come back as plain JSON types, so they cross
    process boundaries cheaply. ``n_process=-1`` uses every core.
    """
    if n_process == -1:
        import os

        n_process = os.cpu_count() or 1
    if n_process <= 1:
        nlp = nlp or load_pipeline()
        for parsed in parsed_docs:
            yield extract_record(parsed, nlp)
        return
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(n_process, initializer=load_pipeline) as pool:
        yield from pool.imap(_worker_extract, parsed_docs, chunksize=chunksize)
