"""The ``span._.policykg`` extension every extractor writes its normalised values to.

Import this module before using ``span._.policykg``; importing it replaces a plain
``Span.set_extension("policykg", default=None)`` made elsewhere.

spaCy keys a plain span extension by the span's character offsets only, so two spans
with the same boundaries (an amount and a target, or two matches that expand to the
same tokens) would share one value. The getter/setter here key the value by the span's
label and id as well, so each extractor gives its spans a label and an id and never
overwrites another's values.

>>> import spacy
>>> from spacy.tokens import Span
>>> nlp = spacy.blank("en")
>>> doc = nlp("one two")
>>> first, second = Span(doc, 0, 1, label="A"), Span(doc, 0, 1, label="B")
>>> first._.policykg = {"value": 1}
>>> second._.policykg = {"value": 2}
>>> first._.policykg, second._.policykg
({'value': 1}, {'value': 2})
>>> Span(doc, 1, 2)._.policykg is None
True
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Span

EXTENSION = "policykg"


def _key(span: Span) -> tuple:
    return ("policykg", span.label_, span.start_char, span.end_char, span.id_)


def _get(span: Span) -> Any:
    return span.doc.user_data.get(_key(span))


def _set(span: Span, value: Any) -> None:
    span.doc.user_data[_key(span)] = value


# Replace a plain ``default=None`` registration made by a module imported earlier:
# values are only written while documents are processed, after every import.
_registered = Span.get_extension(EXTENSION)
if _registered is None or _registered[2] is not _get:
    Span.set_extension(EXTENSION, getter=_get, setter=_set, force=True)
