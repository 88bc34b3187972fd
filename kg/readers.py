"""Reading documents from disk: finding them, decoding them, extracting their text.

``read_document(path)`` returns a :class:`~kg.model.SourceDocument` whose ``text`` is
the *original text* every later span points into:

* ``.txt`` / ``.md`` — the decoded file, unchanged (a UTF-8 BOM is not part of it);
* ``.html`` / ``.htm`` — the article body of a government web page, one block per
  line, table cells separated by tabs; navigation, scripts, styles, headers and
  footers are dropped; the metadata table (索引号, 发文机关, 发文字号, 成文日期,
  发布日期, 主题分类, 标题) goes into ``metadata``;
* ``.docx`` — the paragraphs and tables of the Word body in order, one paragraph per
  line, one table row per line with tab-separated cells.

Encodings tried, in order: a byte-order mark (UTF-8, UTF-16), strict UTF-8, the
charset an HTML page declares (gb2312/GBK are read as their superset GB18030),
strict GB18030, UTF-16 without BOM, and finally ``charset_normalizer``'s guess.

Bad input raises :class:`~kg.errors.DocumentError` with a one-line message naming
the file (missing, empty, binary, undecodable, too large, unsupported).

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.txt").write_bytes("一、总则".encode("gb18030"))
>>> document = read_document(folder / "a.txt")
>>> document.text, document.encoding, document.format
('一、总则', 'gb18030', 'txt')
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import re
from pathlib import Path
from typing import Callable, Iterable, Iterator

from kg.errors import DocumentError, UsageError
from kg.model import SourceDocument

logger = logging.getLogger(__name__)

#: File extension → ``SourceDocument.format``.
SUPPORTED_EXTENSIONS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".docx": "docx",
}

#: Larger files are refused with a clear error rather than exhausting memory.
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024

#: Share of U+FFFD replacements up to which a mostly-UTF-8 file is still read as UTF-8.
_MAX_REPLACEMENT_SHARE = 0.002

_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF file"),
    (b"\xd0\xcf\x11\xe0", "an old binary Office file (.doc/.xls); save it as .docx"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "an executable"),
)

_HTML_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

WarningCallback = Callable[[str], None]


# --- finding documents ----------------------------------------------------


def iter_document_paths(
    paths: Iterable[str | Path], warn: WarningCallback | None = None
) -> Iterator[Path]:
    """Yield every supported document under ``paths``, folders walked recursively.

    Each argument's documents come sorted by path; arguments keep their order and a
    file reached twice is yielded once. Hidden files and folders (``.git``…) and Word
    lock files (``~$x.docx``) are passed over silently.

    Warnings go to the ``warn`` callback (one line each, naming the file): an
    unsupported file, or a folder holding no supported document. Without a callback
    they are logged on the ``kg.readers`` logger. A path that does not exist is a
    usage error: ``UsageError`` (a ``PolicyKGError``) is raised before anything is yielded.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("b.txt", "sub/a.md", "notes.pdf"):
    ...     (folder / name).parent.mkdir(exist_ok=True)
    ...     _ = (folder / name).write_text("x", encoding="utf-8")
    >>> skipped = []
    >>> [p.relative_to(folder).as_posix() for p in iter_document_paths([folder], skipped.append)]
    ['b.txt', 'sub/a.md']
    >>> skipped[0].endswith("notes.pdf: unsupported file type .pdf, skipped")
    True
    """
    report = warn or logger.warning
    arguments = [Path(p) for p in paths]
    for path in arguments:
        if not path.exists():
            raise UsageError("no such file or directory", path)
    seen: set[Path] = set()
    for path in arguments:
        if path.is_dir():
            found = 0
            for candidate in sorted(path.rglob("*")):
                relative = candidate.relative_to(path).parts
                if any(part.startswith(".") for part in relative) or not candidate.is_file():
                    continue
                if _accept(candidate, report, seen):
                    found += 1
                    yield candidate
            if not found:
                report(f"{path}: no supported documents found ({_extension_list()})")
        elif _accept(path, report, seen):
            yield path


def _accept(path: Path, report: WarningCallback, seen: set[Path]) -> bool:
    if path.name.startswith("~$"):
        return False
    if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
        kind = path.suffix.lower() or "without extension"
        report(f"{path}: unsupported file type {kind}, skipped")
        return False
    key = path.resolve()
    if key in seen:
        return False
    seen.add(key)
    return True


def _extension_list() -> str:
    return ", ".join(sorted(SUPPORTED_EXTENSIONS))


# --- reading one document -------------------------------------------------


def read_document(path: str | Path) -> SourceDocument:
    """Read, decode and extract the text of one document.

    Raises ``DocumentError`` naming the file when it is missing, a folder, empty,
    binary, undecodable, too large, or of an unsupported type.
    """
    path = Path(path)
    document_format = SUPPORTED_EXTENSIONS.get(path.suffix.lower())
    if document_format is None:
        raise DocumentError(
            f"unsupported file type {path.suffix or '(no extension)'}; expected one of {_extension_list()}",
            path,
        )
    if not path.exists():
        raise DocumentError("no such file", path)
    if path.is_dir():
        raise DocumentError("is a folder, not a document", path)
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise DocumentError(
                f"file too large ({size / 1048576:.1f} MB; the limit is {MAX_DOCUMENT_BYTES // 1048576} MB)",
                path,
            )
        raw = path.read_bytes()
    except OSError as error:
        raise DocumentError(f"cannot read file ({error.strerror or error})", path) from None
    if not raw.strip():
        raise DocumentError("empty file", path)
    content_hash = hashlib.sha256(raw).hexdigest()

    if document_format == "docx":
        text, metadata, warnings = _read_docx(raw, path)
        encoding = "docx"
    else:
        declared = _declared_html_charset(raw) if document_format == "html" else None
        text, encoding, warnings = decode_bytes(raw, path, declared)
        metadata = {}
        if document_format == "html":
            text, metadata, html_warnings = html_to_text(text, path)
            warnings += html_warnings
    if not text.strip():
        raise DocumentError("no text found in the document", path)
    return SourceDocument(
        path=path,
        text=text,
        format=document_format,
        encoding=encoding,
        content_hash=content_hash,
        metadata=metadata,
        warnings=warnings,
    )


def decode_bytes(
    raw: bytes, path: str | Path = "<bytes>", declared: str | None = None
) -> tuple[str, str, list[str]]:
    """Decode a text file's bytes; return ``(text, encoding, warnings)``.

    >>> decode_bytes("措施".encode("utf-8-sig"))[:2]
    ('措施', 'utf-8-sig')
    >>> decode_bytes("措施".encode("utf-16"))[:2]
    ('措施', 'utf-16')
    >>> decode_bytes("措施".encode("gbk"), declared="gb2312")[:2]
    ('措施', 'gb18030')
    """
    warnings: list[str] = []
    if raw.startswith(codecs.BOM_UTF8):
        return _checked(raw[3:].decode("utf-8", errors="replace"), path), "utf-8-sig", warnings
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _checked(raw.decode("utf-16"), path), "utf-16", warnings
        except UnicodeDecodeError:
            raise DocumentError("undecodable bytes: has a UTF-16 byte-order mark but is not valid UTF-16", path) from None
    utf16 = _guess_utf16_without_bom(raw)
    if utf16:
        try:
            return _checked(raw.decode(utf16), path), utf16, warnings
        except UnicodeDecodeError:
            pass
    for signature, what in _BINARY_SIGNATURES:
        if raw.startswith(signature):
            raise DocumentError(f"binary file ({what}), not a text document", path)
    if b"\x00" in raw[:8192]:
        raise DocumentError("binary file (contains NUL bytes), not a text document", path)

    try:
        return _checked(raw.decode("utf-8"), path), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    candidates = []
    if declared:
        candidates.append(_normalise_charset(declared))
    candidates.append("gb18030")
    for encoding in dict.fromkeys(candidates):
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if encoding == "gb18030" or not encoding.startswith("utf"):
            # GB18030 maps nearly any byte pair; accept it only when the result reads as text.
            if not _looks_like_text(text):
                continue
        return _checked(text, path), encoding, warnings

    # Mostly UTF-8 with a few corrupt bytes: keep it, say so.
    lenient = raw.decode("utf-8", errors="replace")
    replaced = lenient.count("\ufffd")
    if replaced <= max(1, len(lenient) * _MAX_REPLACEMENT_SHARE) and len(lenient) > replaced * 50:
        warnings.append(f"{path}: {replaced} undecodable byte sequence(s) replaced by U+FFFD")
        return _checked(lenient, path), "utf-8", warnings

    # Mostly GB18030 with a few corrupt bytes (files pasted together from several sources).
    lenient = raw.decode("gb18030", errors="replace")
    replaced = lenient.count("\ufffd")
    if replaced <= max(1, len(lenient) * _MAX_REPLACEMENT_SHARE) and _looks_like_text(lenient):
        warnings.append(f"{path}: {replaced} undecodable byte sequence(s) replaced by U+FFFD")
        return _checked(lenient, path), "gb18030", warnings

    guess = _charset_normalizer_guess(raw)
    if guess:
        text, encoding = guess
        warnings.append(f"{path}: encoding guessed as {encoding}")
        return _checked(text, path), encoding, warnings
    raise DocumentError("undecodable bytes: not UTF-8, GB18030/GBK or UTF-16 text", path)


def _checked(text: str, path: str | Path) -> str:
    sample = text[:20000]
    if sample and len(_CONTROL_CHARS.findall(sample)) > len(sample) * 0.05:
        raise DocumentError("binary file (control characters), not a text document", path)
    return text


def _guess_utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 without a BOM: NUL bytes present, and one byte order decodes to plausible text."""
    sample = raw[:8192]
    if len(sample) < 2 or b"\x00" not in sample:
        return None
    sample = sample[: len(sample) - len(sample) % 2]
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _CONTROL_CHARS.search(text) and _looks_like_text(text):
            return encoding
    return None


def _looks_like_text(text: str) -> bool:
    """True when decoded text is mostly common CJK, ASCII and punctuation."""
    sample = text[:20000]
    if not sample:
        return True
    plausible = sum(
        1
        for char in sample
        if char < "\u0080" or "\u4e00" <= char <= "\u9fff" or "\u3000" <= char <= "\u303f" or "\uff00" <= char <= "\uffef"
        or char in "“”‘’—…·"
    )
    return plausible >= len(sample) * 0.9


def _normalise_charset(name: str) -> str:
    name = name.strip().lower()
    if name in {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "gb18030", "euc-cn"}:
        return "gb18030"
    if name in {"utf8", "utf-8"}:
        return "utf-8"
    return name


def _declared_html_charset(raw: bytes) -> str | None:
    match = _HTML_CHARSET.search(raw[:4096])
    return match.group(1).decode("ascii") if match else None


def _charset_normalizer_guess(raw: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    best = from_bytes(raw[:200000]).best()
    if best is None or best.encoding is None:
        return None
    encoding = _normalise_charset(best.encoding)
    try:
        text = raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    return (text, encoding) if _looks_like_text(text) else None


# --- HTML -----------------------------------------------------------------

#: Metadata labels of government "政府信息公开" pages → ``SourceDocument.metadata`` keys.
METADATA_LABELS: dict[str, str] = {
    "索引号": "index_number",
    "发文机关": "issuer",
    "发布机构": "issuer",
    "发文单位": "issuer",
    "发文字号": "doc_number",
    "文号": "doc_number",
    "成文日期": "date_written",
    "发布日期": "date_published",
    "发文日期": "date_published",
    "公开日期": "date_published",
    "主题分类": "subject",
    "主题词": "subject",
    "标题": "title",
    "名称": "title",
    "文件名称": "title",
}
_METADATA_FRAGMENT = re.compile(
    "^("
    + "|".join(r"\s*".join(re.escape(char) for char in label.replace(" ", ""))
               for label in sorted(METADATA_LABELS, key=len, reverse=True))
    + r")\s*[:：]?\s*(.*)$"
)
_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "iframe", "form", "button",
              "select", "input", "textarea", "svg", "object", "embed", "aside", "template")
_NOISE_NAME = re.compile(
    r"(^|[\s_-])(nav|navbar|menu|header|footer|foot|breadcrumb|crumb|share|sidebar|side|topbar|top-bar|"
    r"banner|copyright|search|login|toolbar|related|xgwj|fenxiang|dqwz|weizhi|bottom)($|[\s_-])",
    re.IGNORECASE,
)
_BODY_HINT = re.compile(
    r"(^|[\s_-])(zoom|content|article|TRS_Editor|TRS_UEDITOR|xxgk_content|pages_content|zwgk_content|"
    r"detail|main-text|article-content|wzcon|con_text|text|zw|bt_content|Custom_UnionStyle)($|[\s_-])",
    re.IGNORECASE,
)
_BLOCK_TAGS = frozenset(
    "p div section article main li ul ol dl dt dd h1 h2 h3 h4 h5 h6 blockquote pre table tbody thead tfoot "
    "tr center address figure figcaption".split()
)
_TITLE_HINT = re.compile(r"(^|[\s_-])(title|bt|article-title|con_title|tit)($|[\s_-])", re.IGNORECASE)
_SPACE_RUN = re.compile(r"[ \t\r\n\f\v]+")
_LINE_TRIM = re.compile(r"^[ \u3000\u00a0]+|[ \u3000\u00a0]+$", re.MULTILINE)


def html_to_text(markup: str, path: str | Path = "<html>") -> tuple[str, dict[str, str], list[str]]:
    """Extract ``(article text, metadata, warnings)`` from a decoded HTML page.

    >>> page = ('<html><body><nav>首页 | 政务公开</nav><table class="xxgk">'
    ...         '<tr><td>发文字号：</td><td>厦府办〔2024〕1号</td></tr></table>'
    ...         '<div class="content"><p>一、总则</p><p>1. 加强管理。</p></div>'
    ...         '<script>var a = 1;</script><div class="footer">版权所有</div></body></html>')
    >>> text, metadata, _ = html_to_text(page)
    >>> text
    '一、总则\\n1. 加强管理。'
    >>> metadata
    {'doc_number': '厦府办〔2024〕1号'}
    """
    import lxml.html
    from lxml import etree

    warnings: list[str] = []
    markup = markup.lstrip("\ufeff")
    if not markup.strip():
        return "", {}, warnings
    try:
        # lxml refuses str input carrying an encoding declaration; the bytes are already decoded.
        root = lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", markup))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        raise DocumentError(f"cannot parse HTML ({error.__class__.__name__}: {error})", path) from None

    for element in root.iter(etree.Comment, etree.ProcessingInstruction):
        _remove_keep_tail(element)
    metadata = _read_metadata(root)
    page_title = _page_title(root, metadata)

    for element in list(root.iter(*_DROP_TAGS)):
        _remove_keep_tail(element)
    for block in list(root.iter("table", "ul", "dl", "div")):
        # The metadata table (or list) is metadata, not body, wherever the page puts it.
        if block.getparent() is None:
            continue
        cells = _fragments_of(block)
        labels = sum(1 for cell in cells if _METADATA_FRAGMENT.match(cell))
        if block.tag != "table" and (labels < 2 or not _only_metadata(cells)):
            continue
        if labels >= 2 or (
            cells and len(cells) <= 4 and _METADATA_FRAGMENT.match(cells[0]) and ("：" in cells[0] or ":" in cells[0])
        ):
            _remove_keep_tail(block)
    body = _find_article_body(root)
    if body is None:
        return "", metadata, warnings
    _strip_noise_elements(body)
    lines = _render_lines(body)
    text = "\n".join(lines)
    if page_title and page_title not in text[: len(page_title) + 200]:
        text = page_title + "\n" + text
    if page_title and "title" not in metadata:
        metadata["title"] = page_title
    return text, metadata, warnings


def _remove_keep_tail(element) -> None:  # noqa: ANN001 - lxml element
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _fragments(root) -> list[str]:  # noqa: ANN001
    body = root.find("body")
    scope = body if body is not None else root
    fragments = []
    for element in scope.iter():
        if element.tag in ("script", "style"):
            continue
        for piece in (element.text, element.tail):
            if piece:
                cleaned = piece.replace("\u00a0", " ").replace("\u3000", " ").strip()
                if cleaned:
                    fragments.append(cleaned)
    return fragments


def _only_metadata(fragments: list[str]) -> bool:
    """Every fragment is a metadata label (with or without its value) or the value after a bare label."""
    previous_bare_label = False
    for fragment in fragments:
        match = _METADATA_FRAGMENT.match(fragment)
        if match:
            previous_bare_label = not match.group(2)
        elif previous_bare_label:
            previous_bare_label = False
        else:
            return False
    return True


def _fragments_of(element) -> list[str]:  # noqa: ANN001
    return [piece.strip() for piece in element.itertext() if piece.strip()]


def _read_metadata(root) -> dict[str, str]:  # noqa: ANN001
    metadata: dict[str, str] = {}
    fragments = _fragments(root)
    for index, fragment in enumerate(fragments[:2000]):
        match = _METADATA_FRAGMENT.match(fragment)
        if not match:
            continue
        key = METADATA_LABELS[re.sub(r"\s+", "", match.group(1))]
        label_only = not match.group(2)
        # A bare word such as 标题 inside running text is not a label; the metadata table uses colons or cells.
        if not label_only and fragment[match.end(1):].lstrip()[:1] not in (":", "："):
            continue
        value = match.group(2).strip()
        if not value and index + 1 < len(fragments):
            following = fragments[index + 1]
            if not _METADATA_FRAGMENT.match(following) or following in ("标题",):
                value = following
        value = value.strip(" ：:")
        if value and key not in metadata and len(value) <= 300:
            metadata[key] = value
    for name, key in (("ArticleTitle", "title"), ("PubDate", "date_published"), ("ContentSource", "issuer")):
        for element in root.xpath(f'//meta[@name="{name}"]'):
            content = (element.get("content") or "").strip()
            if content and key not in metadata:
                metadata[key] = content
    return metadata


def _page_title(root, metadata: dict[str, str]) -> str | None:  # noqa: ANN001
    if metadata.get("title"):
        return metadata["title"]
    for heading in root.iter("h1"):
        text = _SPACE_RUN.sub(" ", heading.text_content()).strip()
        if 4 <= len(text) <= 200:
            return text
    title = root.find(".//title")
    if title is not None and title.text:
        # Site names follow the article title after a separator: "标题_厦门市人民政府".
        text = re.split(r"\s*[_|｜]\s*|\s+-\s+", title.text.strip())[0].strip()
        return text or None
    return None


def _class_and_id(element) -> str:  # noqa: ANN001
    return f"{element.get('class') or ''} {element.get('id') or ''}".strip()


def _strip_noise_elements(scope) -> None:  # noqa: ANN001
    for element in list(scope.iter()):
        if element is scope or not isinstance(element.tag, str):
            continue
        name = _class_and_id(element)
        if name and _NOISE_NAME.search(name) and not _BODY_HINT.search(name):
            _remove_keep_tail(element)


def _find_article_body(root):  # noqa: ANN001
    """The element holding the article: a well-known container, else the densest text block."""
    body = root.find("body")
    if body is None:
        body = root
    best, best_score = None, 0
    for element in body.iter():
        if not isinstance(element.tag, str) or element.tag not in ("div", "td", "article", "section", "main"):
            continue
        name = _class_and_id(element)
        if name and _BODY_HINT.search(name) and not _NOISE_NAME.search(name):
            length = len(element.text_content().strip())
            if length > best_score:
                best, best_score = element, length
    if best is not None and best_score >= 2:
        # Prefer the innermost hinted container that still holds most of the text.
        narrowed = True
        while narrowed:
            narrowed = False
            for element in best.iterdescendants():
                if not isinstance(element.tag, str) or element.tag not in ("div", "td", "article", "section"):
                    continue
                name = _class_and_id(element)
                if name and _BODY_HINT.search(name) and not _NOISE_NAME.search(name):
                    length = len(element.text_content().strip())
                    if length >= best_score * 0.7:
                        best, best_score, narrowed = element, length, True
                        break
        return best
    scores: dict = {}
    for paragraph in body.iter("p", "br", "td", "li"):
        text_length = len((paragraph.text_content() if paragraph.tag != "br" else (paragraph.tail or "")).strip())
        if text_length < 2:
            continue
        parent = paragraph.getparent()
        if parent is None:
            continue
        scores[parent] = scores.get(parent, 0) + text_length
        grandparent = parent.getparent()
        if grandparent is not None:
            scores[grandparent] = scores.get(grandparent, 0) + text_length / 2
    if scores:
        return max(scores, key=scores.__getitem__)
    return body


def _is_data_table(table) -> bool:  # noqa: ANN001
    """A table of data (rows of cells) rather than a table used to lay out a page."""
    if any(True for _ in table.iterdescendants("table")):
        return False
    rows = [row for row in table.iter("tr")]
    widths = [sum(1 for cell in row if cell.tag in ("td", "th")) for row in rows]
    if not rows or max(widths) < 2:
        return False
    longest = max((len(cell.text_content()) for row in rows for cell in row if cell.tag in ("td", "th")), default=0)
    return not (longest > 600 and max(widths) <= 2)


def _render_lines(scope) -> list[str]:  # noqa: ANN001
    """Block elements become lines, table rows become tab-separated lines."""
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = _SPACE_RUN.sub(" ", "".join(current)).strip(" \u3000\u00a0")
        if line:
            lines.append(line)
        current.clear()

    def visit(element) -> None:  # noqa: ANN001
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "table" and _is_data_table(element):
            flush()
            for row in element.iter("tr"):
                cells = []
                for cell in row:
                    if cell.tag in ("td", "th"):
                        cells.append(_SPACE_RUN.sub(" ", cell.text_content()).strip(" \u3000\u00a0"))
                if any(cells):
                    lines.append("\t".join(cells))
        elif tag == "br":
            flush()
        else:
            # Cells of a layout table (a page laid out with <table>) are blocks like <div>s.
            block = tag in _BLOCK_TAGS or tag in ("td", "th")
            if block:
                flush()
            if element.text:
                current.append(element.text)
            for child in element:
                visit(child)
            if block:
                flush()
        if element.tail and element is not scope:
            current.append(element.tail)

    visit(scope)
    flush()
    return [_LINE_TRIM.sub("", line) for line in lines if line.strip()]


# --- Word -----------------------------------------------------------------


def _read_docx(raw: bytes, path: Path) -> tuple[str, dict[str, str], list[str]]:
    import io
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(raw))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise DocumentError(f"not a valid .docx file ({error.__class__.__name__})", path) from None
    except Exception as error:  # noqa: BLE001 - any parser failure on a damaged file is the file's problem
        raise DocumentError(f"cannot read .docx file ({error.__class__.__name__}: {error})", path) from None
    lines: list[str] = []
    numbering = _WordNumbering(document)
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            text = paragraph.text.strip(" \u3000\u00a0")
            if text:
                # Automatic list numbering is not in the paragraph text; write it out as printed.
                text = numbering.label(paragraph) + text
            lines.extend(part for part in text.splitlines() if part.strip())
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells, previous = [], None
                for cell in row.cells:
                    # A merged cell is returned once per grid column; keep it once.
                    if previous is not None and cell._tc is previous:
                        continue
                    previous = cell._tc
                    cells.append(_SPACE_RUN.sub(" ", cell.text).strip(" \u3000\u00a0"))
                if any(cells):
                    lines.append("\t".join(cells))
    metadata: dict[str, str] = {}
    title = (document.core_properties.title or "").strip()
    if title:
        metadata["title"] = title
    return "\n".join(lines), metadata, []


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN_DIGITS = "零一二三四五六七八九"


def _chinese_numeral(number: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五 (Word's chineseCounting).

    >>> [_chinese_numeral(n) for n in (1, 10, 12, 20, 21, 100, 105, 110)]
    ['一', '十', '十二', '二十', '二十一', '一百', '一百零五', '一百一十']
    """
    if number <= 0 or number >= 1000:
        return str(number)
    hundreds, rest = divmod(number, 100)
    tens, ones = divmod(rest, 10)
    text = ""
    if hundreds:
        text += _CN_DIGITS[hundreds] + "百"
        if rest and tens == 0:
            text += "零"
    if tens:
        text += ("" if tens == 1 and not hundreds else _CN_DIGITS[tens]) + "十"
    if ones:
        text += _CN_DIGITS[ones]
    return text


def _format_number(number: int, number_format: str) -> str:
    if number_format in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographLegalTraditional",
                         "taiwaneseCounting", "taiwaneseCountingThousand", "japaneseCounting"):
        return _chinese_numeral(number)
    if number_format in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= number <= 20:
        return chr(ord("①") + number - 1)
    if number_format in ("lowerLetter", "upperLetter") and 1 <= number <= 26:
        letter = chr(ord("a") + number - 1)
        return letter.upper() if number_format == "upperLetter" else letter
    if number_format in ("lowerRoman", "upperRoman") and 1 <= number < 40:
        roman = "x" * (number // 10) + ("", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix")[number % 10]
        return roman.upper() if number_format == "upperRoman" else roman
    if number_format == "ideographTraditional" and 1 <= number <= 10:
        return "甲乙丙丁戊己庚辛壬癸"[number - 1]
    return str(number)


class _WordNumbering:
    """Renders Word's automatic list numbers (numbering.xml) as the reader of the printed page sees them."""

    def __init__(self, document) -> None:  # noqa: ANN001
        self.levels: dict[tuple[str, int], tuple[int, str, str]] = {}  # (numId, ilvl) → (start, format, lvlText)
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for node in root.iter(_W + "abstractNum"):
            abstract[node.get(_W + "abstractNumId")] = node
        for num in root.iter(_W + "num"):
            num_id = num.get(_W + "numId")
            ref = num.find(_W + "abstractNumId")
            definition = abstract.get(ref.get(_W + "val")) if ref is not None else None
            if definition is None:
                continue
            overrides = {}
            for override in num.iter(_W + "lvlOverride"):
                start = override.find(_W + "startOverride")
                if start is not None:
                    overrides[int(override.get(_W + "ilvl", "0"))] = int(start.get(_W + "val", "1"))
            for level in definition.iter(_W + "lvl"):
                ilvl = int(level.get(_W + "ilvl", "0"))
                start = level.find(_W + "start")
                number_format = level.find(_W + "numFmt")
                text = level.find(_W + "lvlText")
                self.levels[(num_id, ilvl)] = (
                    overrides.get(ilvl, int(start.get(_W + "val", "1")) if start is not None else 1),
                    number_format.get(_W + "val", "decimal") if number_format is not None else "decimal",
                    text.get(_W + "val", "") if text is not None else "",
                )

    def label(self, paragraph) -> str:  # noqa: ANN001
        if not self.levels:
            return ""
        num_pr = self._num_pr(paragraph)
        if num_pr is None:
            return ""
        num_id, ilvl = num_pr
        if num_id in (None, "0") or (num_id, ilvl) not in self.levels:
            return ""
        start, number_format, template = self.levels[(num_id, ilvl)]
        if number_format in ("bullet", "none") or not template:
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [level for level in counters if level > ilvl]:
            del counters[deeper]

        def substitute(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            level_start, level_format, _ = self.levels.get((num_id, level), (1, "decimal", ""))
            return _format_number(counters.get(level, level_start), level_format)

        label = re.sub(r"%(\d)", substitute, template)
        # 第一条 and 第一章 are followed by a space in print; 一、 and 1. are not.
        return label + ("\u3000" if label and label[-1] in "章节条款部分" else "")

    @staticmethod
    def _num_pr(paragraph) -> tuple[str | None, int] | None:  # noqa: ANN001
        p_pr = paragraph._p.pPr
        num_pr = p_pr.find(_W + "numPr") if p_pr is not None else None
        style = paragraph.style
        while num_pr is None and style is not None:
            style_p_pr = style.element.find(_W + "pPr")
            num_pr = style_p_pr.find(_W + "numPr") if style_p_pr is not None else None
            style = style.base_style
        if num_pr is None:
            return None
        num_id = num_pr.find(_W + "numId")
        ilvl = num_pr.find(_W + "ilvl")
        return (
            num_id.get(_W + "val") if num_id is not None else None,
            int(ilvl.get(_W + "val", "0")) if ilvl is not None else 0,
        )
