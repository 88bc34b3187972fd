"""The document model every stage after reading works on.

Positions: ``SourceDocument.text`` is the *original text* (for .txt/.md the decoded
file; for .html/.docx the text of the article body as the reader extracted it).
Every ``span`` in the model and in extraction records is a ``(start, end)`` pair of
character offsets into that original text, so ``text[start:end]`` is the evidence.
``CleanText`` is the analysis copy (debris removed, lines re-joined); it carries an
offset map back to the original.

>>> clean = CleanText(text="ab", offsets=[0, 5, 6])
>>> clean.to_original(0, 2)
(0, 6)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

Span = tuple[int, int]


@dataclass
class SourceDocument:
    """A file as read from disk, decoded, before any cleaning."""

    path: Path
    text: str
    format: str  # "txt" | "md" | "html" | "docx"
    encoding: str  # e.g. "utf-8", "utf-8-sig", "gb18030", "utf-16"; "docx" for Word files
    content_hash: str  # sha256 hex of the raw bytes
    #: Metadata read from the source itself (an HTML page's 索引号/发文机关/… table),
    #: keyed by: index_number, issuer, doc_number, date_written, date_published, subject, title
    metadata: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass
class CleanText:
    """Cleaned text plus, for every cleaned character, its offset in the original.

    ``offsets`` has ``len(text) + 1`` entries; the last one is the original offset
    just after the final character.
    """

    text: str
    offsets: list[int]

    def to_original(self, start: int, end: int) -> Span:
        """Map a cleaned ``[start, end)`` span to the original text."""
        if start >= end:
            point = self.offsets[start]
            return point, point
        return self.offsets[start], self.offsets[end - 1] + 1


@dataclass
class Located:
    """A value read from the text together with the span it came from."""

    value: str
    span: Span


@dataclass
class Provision:
    """A numbered unit of the body: part, chapter, section, item, article or table row.

    The finest numbered provisions are measures (``is_measure``).
    """

    kind: str  # "part" | "chapter" | "section" | "article" | "item" | "subitem" | "row" | "block" | "target" | "group"
    number: str  # as printed: "一", "（一）", "1", "第三条", "12" (table row)
    ordinal: int  # numeric value of ``number``
    path: tuple[int, ...]  # ordinals from the top-level ancestor down to this provision
    title: str  # heading clause or first sentence (cleaned)
    text: str  # the original text of the provision, exactly ``source.text[span[0]:span[1]]``
    clean_text: str  # the same text cleaned for display and analysis
    span: Span  # original-text offsets
    clean_span: Span  # offsets in ``CleanText.text``
    is_measure: bool = False
    #: Labelled fields that belong to this provision: 牵头市领导/牵头单位/责任单位/配合单位 lines,
    #: table columns, a 责任单位 line that follows the provision in the source.
    fields: dict[str, Located] = field(default_factory=dict)
    children: list["Provision"] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Stable id inside its document: the path joined by ``-`` (``"1-5"``)."""
        return "-".join(str(n) for n in self.path)

    def walk(self) -> Iterator["Provision"]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class ParsedDocument:
    """A document's header and body structure."""

    source: SourceDocument
    clean: CleanText
    title: Located | None = None  # the notice title (…关于印发《X》的通知) or the only title
    policy_title: Located | None = None  # the title of the policy proper (X), when it differs
    doc_number: Located | None = None  # 发文字号 as printed
    issuers: list[Located] = field(default_factory=list)  # issuing bodies, several for joint documents
    addressees: list[Located] = field(default_factory=list)  # 主送
    date_signed: Located | None = None  # 成文日期, value ISO YYYY-MM-DD
    date_printed: Located | None = None  # 印发日期, value ISO YYYY-MM-DD
    date_published: Located | None = None  # 发布日期 from a copied metadata block, value ISO YYYY-MM-DD
    disclosure: Located | None = None  # 此件主动公开 / 此件公开发布 …
    cc: list[Located] = field(default_factory=list)  # 抄送
    related_units: list[Located] = field(default_factory=list)  # 有关单位：… (distribution list after the body)
    attachments: list[Located] = field(default_factory=list)  # 附件 titles
    provisions: list[Provision] = field(default_factory=list)  # top-level provisions
    warnings: list[str] = field(default_factory=list)

    def walk(self) -> Iterator[Provision]:
        """Every provision, depth first in document order."""
        for top in self.provisions:
            yield from top.walk()

    def measures(self) -> list[Provision]:
        return [p for p in self.walk() if p.is_measure]
