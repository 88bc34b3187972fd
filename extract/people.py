"""Officials named as leads: the ``policykg_people`` component.

``牵头市领导：黄晓舟、黄燕添`` (and 牵头领导/牵头省领导/分管市领导/责任领导 lines) name the
officials who lead a block or are responsible for it; each name becomes a span in
``doc.spans["people"]`` with ``span._.policykg = {"name", "role", "char_start", "char_end"}``
(role ``lead`` for 牵头, else ``responsible``). Only
labelled lines are read: a bare Chinese name in prose cannot be told from a word
without a model.

>>> [name for _, _, name in parse_people("黄晓舟、黄燕添、庄荣良")]
['黄晓舟', '黄燕添', '庄荣良']
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from extract import attributes  # noqa: F401  (registers span._.policykg)
from extract.patterns import doc_text

COMPONENT = "policykg_people"
VERSION = "0.1.0"

_LEADER_LINE = re.compile(
    r"(?m)^[ \t\u3000]*(?P<label>(?:牵头|分管|责任|联系)(?:[市省区县])?领导)[ \t\u3000]*[:：][ \t\u3000]*(?P<value>[^\n]*)"
)
_LEAD = re.compile(r"牵头")
# A personal name: two to four Han characters (ethnic names with · are allowed).
_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}(?:·[\u4e00-\u9fff]{1,6})?")
_SEPARATORS = re.compile(r"[、，,；;\s]+")


def role_of_label(label: str) -> str:
    """牵头…领导 lead a block; 分管/责任/联系…领导 are responsible for it.

    >>> role_of_label("牵头市领导"), role_of_label("分管市领导")
    ('lead', 'responsible')
    """
    return "lead" if _LEAD.search(label) else "responsible"


def parse_people(value: str) -> list[tuple[int, int, str]]:
    """(start, end, name) for each name of a 牵头市领导 value."""
    found = []
    position = 0
    for part in _SEPARATORS.split(value):
        start = value.find(part, position)
        position = start + len(part)
        if part and _NAME.fullmatch(part):
            found.append((start, start + len(part), part))
    return found


class PeopleComponent:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match in _LEADER_LINE.finditer(doc_text(doc)):
            base = match.start("value")
            for start, end, name in parse_people(match.group("value")):
                span = doc.char_span(base + start, base + end, label="lead", alignment_mode="expand",
                                     span_id=f"{base + start}-{base + end}")
                if span is None:
                    continue
                role = role_of_label(match.group("label"))
                span._.policykg = {"name": name, "role": role, "char_start": base + start, "char_end": base + end}
                spans.append(span)
        doc.spans["people"] = spans
        return doc


@Language.factory(COMPONENT, assigns=["doc.spans"])
def make_people_component(nlp: Language, name: str) -> PeopleComponent:
    return PeopleComponent(nlp, name)
