"""Document structure: the header of a policy document and its numbered body.

``parse_document(source)`` cleans the text (``kg.clean``) and reads, line by line:

* the **header** — issuing bodies (the signature block of a joint notice names
  several), 发文字号, the notice title (…关于印发《X》的通知) and the policy title X,
  主送 addressees, the 成文日期 signing date, the 印发 date, the disclosure note
  (此件主动公开), 抄送 and 有关单位 lists and 附件 attachments; a metadata block copied
  from a web page (发文字号：… 成文日期：… 发布日期：…) is read too, and an HTML page's
  metadata table fills what the text lacks when its value occurs in the text;
* the **body hierarchy** in every common numbering style — 第X部分, 第X章, 第X节,
  第X条, 一、, （一）, yearly headings such as ``2024年：``, 1. / 1、 / 1．, （1）, 1）, ① —
  plus table rows (tab-indented cells one per line, tab-separated rows from the
  HTML and Word readers, markdown pipe tables). A ``附件2`` line after the first
  body, or numbering that restarts after a signature, opens an ``attachment``
  container so the next body's numbering restarts under it.

Nesting follows the order in which styles appear: a style already open closes
everything below it (a sibling), a new style nests under the current provision
unless it is coarser by the usual ranking (第X章 > 第X条 > 一、 > （一） > 1. > （1） > ①).

Unnumbered lines belong to the innermost open provision, so a ``责任单位：…`` line
that follows a measure is part of it and lands in its ``fields``; so do the
牵头市领导/牵头单位/责任单位/配合单位 lines of an industry block, the trailing
``（责任单位：…）`` of a paragraph and the columns of a table row (keyed by the
header: a column whose header contains a field label such as 我市责任单位 is keyed
by the label, 责任单位), and the State Council's trailing ``（商务部等负责）``. A
closing line (本措施自…施行, 抄送：…, a signature block, a date) ends the open
provisions. The finest numbered provisions are the measures; ids are the path of
ordinals (``"3-2-2025-4"``), made unique when a number repeats (with a warning).
A document with no numbering has no provisions and a warning.

>>> from pathlib import Path
>>> from kg.model import SourceDocument
>>> text = "关于加强管理的通知\\n\\n一、总则\\n\\n1. 加强统筹。具体如下。\\n\\n责任单位：市发改委\\n\\n2. 压实责任。\\n"
>>> parsed = parse_document(SourceDocument(Path("x.txt"), text, "txt", "utf-8", "0"))
>>> [(p.id, p.kind, p.number, p.title, p.is_measure) for p in parsed.walk()]
[('1', 'chapter', '一', '总则', False), ('1-1', 'item', '1', '加强统筹', True), ('1-2', 'item', '2', '压实责任', True)]
>>> first = parsed.measures()[0]
>>> first.fields["责任单位"].value, text[slice(*first.span)] == first.text
('市发改委', True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from kg.clean import LABEL_START, clean, is_tab_row
from kg.model import CleanText, Located, ParsedDocument, Provision, SourceDocument

# --- numerals -----------------------------------------------------------------

_DIGITS = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_to_int(numeral: str) -> int:
    """The value of a Chinese (or Arabic) numeral.

    >>> [chinese_to_int(n) for n in ("一", "十", "十二", "二十", "二十三", "一百零五", "三百", "12", "二〇二四")]
    [1, 10, 12, 20, 23, 105, 300, 12, 2024]
    """
    numeral = numeral.strip()
    if numeral.isdigit():
        return int(numeral)
    if numeral and all(char in _DIGITS for char in numeral) and len(numeral) > 1:
        return int("".join(str(_DIGITS[char]) for char in numeral))  # 二〇二四 read digit by digit
    total, current = 0, 0
    for char in numeral:
        if char in _DIGITS:
            current = _DIGITS[char]
        elif char in _UNITS:
            total += (current or 1) * _UNITS[char]
            current = 0
        elif char.isdigit():
            current = current * 10 + int(char)
    return total + current


_CN = "一二三四五六七八九十百千零〇两"
_DATE = re.compile(
    r"([\d〇零○一二三四五六七八九]{4})\s*年\s*([\d一二三四五六七八九十]{1,3})\s*月\s*([\d一二三四五六七八九十]{1,3})\s*日"
)


def iso_date(text: str) -> str | None:
    """The first date ``YYYY年M月D日`` in ``text`` as ISO, digits or Chinese numerals.

    >>> iso_date("2024年10月12日印发"), iso_date("二〇二二年十二月二十八日"), iso_date("2024-3-5")
    ('2024-10-12', '2022-12-28', '2024-03-05')
    """
    match = _DATE.search(text)
    if match:
        year, month, day = (chinese_to_int(part) for part in match.groups())
    else:
        dashed = re.search(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", text)
        if not dashed:
            return None
        year, month, day = (int(part) for part in dashed.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


# --- line patterns ----------------------------------------------------------------

#: Numbering styles: name → pattern of the marker at the start of a line. Ranks order them coarse → fine.
_STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("part", re.compile(f"第([{_CN}\\d]+)部分[ \u3000]*")),
    ("chapter", re.compile(f"第([{_CN}\\d]+)章[ \u3000]*")),
    ("division", re.compile(f"第([{_CN}\\d]+)节[ \u3000]*")),
    ("article", re.compile(f"第([{_CN}\\d]+)条(?:[ \u3000]+|(?=[^，。、：]))")),
    ("cn_enum", re.compile(r"([一二三四五六七八九十百]+)[、．.][ \u3000]*")),
    ("paren_cn", re.compile(r"[（(]([一二三四五六七八九十百]+)[）)][ \u3000、]*")),
    ("year", re.compile(r"((?:19|20)\d{2})年(?:度)?(?:[:：][ \u3000]*|$)")),
    ("arabic", re.compile(r"(\d{1,3})(?:[、．]|\.(?!\d))[ \u3000]*")),
    ("paren_arabic", re.compile(r"[（(](\d{1,3})[）)][ \u3000、]*")),
    ("arabic_paren", re.compile(r"(\d{1,3})[）)][ \u3000]*")),
    ("circled", re.compile(r"([①-⑳])[ \u3000]*")),
)
_RANK = {name: rank for rank, (name, _) in enumerate(_STYLES)}
_RANK["row"] = len(_RANK)
_RANK["attachment"] = -1
_STYLE_KIND = {
    "part": "part", "chapter": "chapter", "division": "section", "article": "article", "cn_enum": "chapter",
    "paren_cn": "section", "year": "target", "arabic": "item", "paren_arabic": "subitem", "arabic_paren": "subitem", "circled": "subitem",
    "row": "row", "attachment": "attachment",
}

#: Labelled field lines: 牵头单位：市工信局 (the label is the key in ``Provision.fields``).
FIELD_LABELS = ("牵头市领导", "牵头领导", "责任领导", "牵头单位", "牵头部门", "责任单位", "责任部门", "配合单位",
                "配合部门", "协办单位", "参与单位", "主办单位", "实施主体", "完成时限", "时间节点", "完成时间")
_FIELD_ALTERNATION = "|".join(FIELD_LABELS)
_FIELD_LINE = re.compile(f"[（(]?({_FIELD_ALTERNATION})[ \u3000]*[:：][ \u3000]*(.*?)[）)]?[。；;]?$")
_FIELD_ITEM = re.compile(
    f"({_FIELD_ALTERNATION})[ \u3000]*[:：][ \u3000]*(.*?)(?=[；;，,。 \u3000]*(?:{_FIELD_ALTERNATION})[ \u3000]*[:：]|$)"
)
_INLINE_FIELD = re.compile(
    f"[（(]({_FIELD_ALTERNATION})[:：][ \u3000]*((?:[^（）()]|[（(][^（）()]*[）)])+?)[）)][。；;]?$"
)
_BRACKETED_TITLE = re.compile(r"[ \u3000]*[（(【]([^（）()【】。，]{2,24})[）)】]")
_DUTY_TAIL = re.compile(r"[（(]([^（）()]{2,300}?(?:负责|牵头|落实|实施))[）)][。；;]?$")
_BLOCK_LABELS = frozenset({"牵头市领导", "牵头领导", "责任领导", "牵头单位", "牵头部门"})

_DOC_NUMBER = re.compile(
    r"^([\u4e00-\u9fff]{1,16}(?:〔\d{4}〕|\[\d{4}\]|【\d{4}】)\s?第?\s?\d{1,5}\s?号"
    r"|[\u4e00-\u9fff]{2,20}令\s*第\s*\d{1,5}\s*号)"
)
_NOTICE_TITLE = re.compile(
    r"关于.{2,}?的?(?:通知|决定|批复|意见|函|通告|公告|通报|报告|请示|复函)$|(?:印发|转发).{2,}的通知$"
)
_TITLE_ENDING = re.compile(
    r"(?:通知|意见|办法|方案|措施|决定|规定|细则|机制|公告|通告|批复|函|报告|纲要|规划|计划|条例|分解表|清单|"
    r"目录|决议|章程|准则|指引|指南|标准|守则|要点|通报|政策|任务|规则)(?:[（(][^（）()]{1,20}[）)])?$"
)
_QUOTED_TITLE = re.compile(r"《([^《》]{2,200})》")
#: Only a notice that 印发/转发 a policy carries that policy's title in 《》; 关于贯彻落实《X》的意见 cites X.
_PUBLISHED_TITLE = re.compile(r"(?:印发|转发|发布|公布)[ \u3000]*《([^《》]{2,200})》")
_PRINTED_AS = re.compile(r"(?:印发|转发)(.{2,120}?)的通知$")
_ISSUER_BEFORE_ABOUT = re.compile(r"^(.{2,120}?)(?:等联合|联合)?关于")
_RED_HEADER = re.compile(r"^(.{3,80}?)文件$")
_SIGNATURE_DATE = re.compile(r"^(?:(.{2,200}?)[ \u3000\t]+)?(" + _DATE.pattern + r")$")
_PRINT_DATE = re.compile(r"^(?:(.{2,120}?)[ \u3000]*)?(" + _DATE.pattern + r")[ \u3000]*印发$")
_DISCLOSURE = re.compile(r"^[（(]?(此件[^（）()]{2,16}?)[）)]?$|^[（(]?公开(?:方式|属性)[ \u3000]*[:：][ \u3000]*([^（）()]{2,12}?)[）)]?$")
_ORGANISATION = re.compile(
    r"^[\u4e00-\u9fff（）()]{2,40}(?:厅|局|委|办|院|会|府|室|行|部|署|处|中心|委员会|政府|办公室|集团|公司|"
    r"监管局|管委会|党委|党组|政协|人大常委会|法院|检察院|联合会|协会|工会|团委|妇联|海关|研究所|社|小组|总队|支队)$"
)
_LIST_LINE = re.compile(r"^(抄送|抄报|有关单位|主送)[ \u3000]*[:：][ \u3000]*(.*?)[。.]?$")
_ATTACHMENT = re.compile(r"^附件[ \u3000]*\d{0,2}[ \u3000]*[:：][ \u3000]*(?:(\d{1,2})[.．、][ \u3000]*)?(.+)$")
_META_LABEL = r"(索[ \u3000]*引[ \u3000]*号|发文机关|发布机构|发文单位|发文字号|文[ \u3000]*号|成文日期|发布日期|发文日期|主题分类|主[ \u3000]*题[ \u3000]*词|标[ \u3000]*题|名[ \u3000]*称)"
_META_LABEL_AT = re.compile(_META_LABEL + r"[ \u3000]*[:：]")
_META_ITEM = re.compile(
    _META_LABEL + r"[ \u3000]*[:：][ \u3000\t]*(.*?)(?=[ \u3000\t]+" + _META_LABEL + r"[ \u3000]*[:：]|$)"
)
_META_KEYS = {
    "索引号": "index_number", "发文机关": "issuer", "发布机构": "issuer", "发文单位": "issuer", "发文字号": "doc_number",
    "文号": "doc_number", "成文日期": "date_written", "发布日期": "date_published", "发文日期": "date_published",
    "主题分类": "subject", "主题词": "subject", "标题": "title", "名称": "title",
}
_ATTACHMENT_START = re.compile(r"^附件[ \u3000]*(\d{1,2})?[ \u3000]*[:：]?$")
_ATTACHMENT_MORE = re.compile(r"^(\d{1,2})[.．、][ \u3000]*(.+)$")
_CLOSING = re.compile(
    r"^(?:本(?:措施|办法|方案|规定|细则|意见|通知|机制|条例|决定|实施方案|工作方案|行动方案|计划|政策|文件|规则|指引)"
    r"|(?:抄送|抄报|有关单位|主送|来源|联系人|联系电话|附件)[ \u3000]*\d{0,2}[ \u3000]*[:：]|附件[ \u3000]*\d{0,2}$)"
)
_ADDRESSEE_SPLIT = re.compile(r"[，,；;]")
_LIST_SPLIT = re.compile(r"[，,、；;]")
_ROW_NUMBER = re.compile(r"^\d{1,4}$")
_ROW_NUMBER_CELL = re.compile(r"^(\d{1,4})[.、．]?$")  # the 序号 cell of a row: 12, 12. or 12、
_PIPE_SEPARATOR = re.compile(r"^\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?$")
_HEADER_SCAN_LINES = 60
_MAX_REPEAT_WARNINGS = 10


@dataclass(slots=True)
class _Line:
    start: int  # clean offsets
    end: int
    text: str
    cell: bool  # a tab-indented table cell (one cell per line)
    blank_before: bool  # the original has a blank line before it
    index: int = 0


@dataclass
class _Open:
    """A provision being built."""

    style: str
    provision: Provision
    heading: _Line
    lines: list[_Line] = field(default_factory=list)
    in_table: bool = False


# --- entry points -------------------------------------------------------------------------


def parse_document(source: SourceDocument | str | Path) -> ParsedDocument:
    """Parse a read document (or read the file at a path first) into header and provisions."""
    if not isinstance(source, SourceDocument):
        from kg.readers import read_document

        source = read_document(source)
    cleaned = clean(source.text)
    lines = _split_lines(source.text, cleaned)
    parsed = ParsedDocument(source=source, clean=cleaned)
    consumed = _parse_header(parsed, lines)
    _parse_body(parsed, lines, consumed)
    _fill_from_metadata(parsed)
    if not parsed.provisions:
        parsed.warnings.append(f"{source.path}: no recognisable numbering; the document has no measures")
    return parsed


def _split_lines(original: str, cleaned: CleanText) -> list[_Line]:
    lines: list[_Line] = []
    text = cleaned.text
    offsets = cleaned.offsets
    position = 0
    previous_end = None
    while position <= len(text):
        newline = text.find("\n", position)
        end = len(text) if newline == -1 else newline
        if end > position:
            blank_before = False
            if previous_end is not None:
                gap = original[offsets[previous_end - 1] + 1:offsets[position]]
                blank_before = gap.count("\n") >= 2
            line_text = text[position:end]
            lines.append(_Line(position, end, line_text, line_text.startswith("\t"), blank_before, len(lines)))
            previous_end = end
        if newline == -1:
            break
        position = newline + 1
    return lines


# --- header ---------------------------------------------------------------------------------


def _locate(parsed: ParsedDocument, clean_start: int, clean_end: int) -> Located:
    span = parsed.clean.to_original(clean_start, clean_end)
    return Located(parsed.clean.text[clean_start:clean_end], span)


def _located_parts(parsed: ParsedDocument, line: _Line, start: int, end: int, splitter: re.Pattern[str]) -> list[Located]:
    """Split ``line.text[start:end]`` into items, each located."""
    items = []
    position = start
    segment = line.text[start:end]
    for piece in splitter.split(segment):
        piece_start = line.text.index(piece, position) if piece else position
        position = piece_start + len(piece)
        stripped = piece.strip(" \u3000。.")
        if not stripped:
            continue
        offset = piece_start + piece.index(stripped)
        items.append(_locate(parsed, line.start + offset, line.start + offset + len(stripped)))
    return items


def _first_numbered(lines: list[_Line], skip: set[int]) -> int:
    for line in lines:
        if line.index in skip:
            continue
        text = line.text.lstrip("\t")
        if _numbering(text) or (line.cell and _ROW_NUMBER.match(text)) or text.startswith("|"):
            return line.index
    return len(lines)


def _parse_header(parsed: ParsedDocument, lines: list[_Line]) -> set[int]:
    """Fill the header fields; return the indexes of lines that are header, not body."""
    consumed: set[int] = set()
    # Attachments first: a numbered list of them must not be read as provisions.
    for line in lines:
        match = _ATTACHMENT.match(line.text)
        if not match:
            continue
        consumed.add(line.index)
        parsed.attachments.append(_locate(parsed, line.start + match.start(2), line.start + match.end(2)))
        if match.group(1):
            for following in lines[line.index + 1:]:
                more = _ATTACHMENT_MORE.match(following.text)
                if not more or following.text.endswith(("。", "；")):
                    break
                consumed.add(following.index)
                parsed.attachments.append(_locate(parsed, following.start + more.start(2), following.start + more.end(2)))

    body_start = _first_numbered(lines, consumed)
    front = [line for line in lines[: max(body_start, 0)] if line.index not in consumed][:_HEADER_SCAN_LINES * 2]
    _labelled_header(parsed, front[:_HEADER_SCAN_LINES], consumed)
    front = [line for line in front if line.index not in consumed]

    for line in front:
        match = _DOC_NUMBER.match(line.text)
        if match and parsed.doc_number is None and not line.cell:
            value = match.group(1).strip()
            parsed.doc_number = _locate(parsed, line.start, line.start + len(value))
            consumed.add(line.index)

    notice = next((line for line in front if not line.cell and _NOTICE_TITLE.search(line.text)
                   and "。" not in line.text and len(line.text) <= 200), None)
    if notice is not None:
        parsed.title = _locate(parsed, notice.start, notice.end)
        quoted = _PUBLISHED_TITLE.search(notice.text)
        printed = _PRINTED_AS.search(notice.text) if "《" not in notice.text else None
        if quoted:
            parsed.policy_title = _locate(parsed, notice.start + quoted.start(1), notice.start + quoted.end(1))
        elif printed:
            core = printed.group(1).strip()
            standalone = next((line for line in front if line.index > notice.index and line.text.endswith(core)
                               and len(line.text) <= len(core) + 20 and "。" not in line.text), None)
            if standalone is not None:
                parsed.policy_title = _locate(parsed, standalone.start, standalone.end)
            else:
                offset = notice.text.index(core, printed.start(1))
                parsed.policy_title = _locate(parsed, notice.start + offset, notice.start + offset + len(core))
    elif parsed.title is None:
        titled = next((line for line in front[:_HEADER_SCAN_LINES] if _looks_like_title(line.text)), None)
        if titled is None and lines and body_start > 0 and _looks_like_title(lines[0].text, strict=False):
            titled = lines[0]
        if titled is not None:
            parsed.title = _locate(parsed, titled.start, titled.end)

    _parse_issuers(parsed, lines, front, notice)

    for line in lines:
        if parsed.disclosure is None:
            match = _DISCLOSURE.match(line.text)
            if match:
                group = 1 if match.group(1) else 2
                parsed.disclosure = _locate(parsed, line.start + match.start(group), line.start + match.end(group))
                consumed.add(line.index)
        match = _PRINT_DATE.match(line.text)
        if match and parsed.date_printed is None:
            value = iso_date(match.group(2))
            if value:
                parsed.date_printed = Located(value, parsed.clean.to_original(line.start + match.start(2),
                                                                               line.start + match.end(2)))
        match = _LIST_LINE.match(line.text)
        if match:
            target = {"抄送": parsed.cc, "抄报": parsed.cc, "有关单位": parsed.related_units, "主送": parsed.addressees}[
                match.group(1)]
            splitter = _ADDRESSEE_SPLIT if match.group(1) == "主送" else _LIST_SPLIT
            target.extend(_located_parts(parsed, line, match.start(2), match.end(2), splitter))

    if not parsed.addressees:
        after = notice.index if notice is not None else -1
        for line in front:
            text = line.text
            if line.index <= after or not text.endswith(("：", ":")) or "。" in text or len(text) > 300:
                continue
            if LABEL_START.match(text) or _numbering(text):
                continue
            parsed.addressees.extend(_located_parts(parsed, line, 0, len(text) - 1, _ADDRESSEE_SPLIT))
            break
    return consumed


def _labelled_header(parsed: ParsedDocument, front: list[_Line], consumed: set[int]) -> None:
    """Lines copied from a web page's metadata table: 索引号：… 发文字号：… 成文日期：… (several per line)."""
    for line in front:
        text = line.text
        start = len(text) - len(text.lstrip(" \t"))
        if not _META_LABEL_AT.match(text, start):
            continue
        consumed.add(line.index)
        for item in _META_ITEM.finditer(text, start):
            label = re.sub(r"[ \u3000]", "", item.group(1))
            value = item.group(2).strip(" \t\u3000")
            if not value:
                continue
            offset = text.index(value, item.start(2))
            located = _locate(parsed, line.start + offset, line.start + offset + len(value))
            key = _META_KEYS[label]
            if key == "doc_number" and parsed.doc_number is None:
                parsed.doc_number = located
            elif key == "title" and parsed.title is None:
                parsed.title = located
            elif key == "issuer" and not parsed.issuers:
                for part in re.finditer(r"[^ \u3000、，,；;]+", value):
                    value_start = line.start + offset
                    parsed.issuers.append(_locate(parsed, value_start + part.start(), value_start + part.end()))
            elif key in ("date_written", "date_published"):
                iso = iso_date(value)
                attribute = "date_signed" if key == "date_written" else "date_published"
                if iso and getattr(parsed, attribute) is None:
                    setattr(parsed, attribute, Located(iso, located.span))


def _looks_like_title(text: str, strict: bool = True) -> bool:
    if text.startswith("\t") or "。" in text or not 4 <= len(text) <= 120 or _numbering(text):
        return False
    if _DOC_NUMBER.match(text) or _RED_HEADER.match(text) or _DATE.search(text) and len(text) < 20:
        return False
    return bool(_TITLE_ENDING.search(text) or _QUOTED_TITLE.search(text)) if strict else True


def _parse_issuers(parsed: ParsedDocument, lines: list[_Line], front: list[_Line], notice: _Line | None) -> None:
    """Issuers from the signature block above the signing date, else the notice title, else the 文件 header."""
    tail = lines[max(len(front) + 5, len(lines) - 12):]
    for line in front + lines[len(front):len(front) + 5] + tail:
        if line in tail and parsed.issuers:
            break
        match = _SIGNATURE_DATE.match(line.text)
        if not match or line.cell:
            continue
        value = iso_date(match.group(2))
        if value is None:
            continue
        signers: list[Located] = []
        if match.group(1):
            for part in re.finditer(r"[^ \u3000\t]+", match.group(1)):
                if _ORGANISATION.match(part.group(0)):
                    signers.append(_locate(parsed, line.start + part.start(), line.start + part.end()))
        position = line.index - 1
        above: list[Located] = []
        while position >= 0 and lines[position].index >= 0:
            candidate = lines[position]
            names = [part for part in re.finditer(r"[^ \u3000]+", candidate.text)]
            if not names or not all(_ORGANISATION.match(part.group(0)) for part in names):
                break
            for part in reversed(names):
                above.append(_locate(parsed, candidate.start + part.start(), candidate.start + part.end()))
            position -= 1
        signers = list(reversed(above)) + signers
        if signers or parsed.date_signed is None:
            parsed.date_signed = Located(value, parsed.clean.to_original(line.start + match.start(2),
                                                                          line.start + match.end(2)))
        if signers:
            parsed.issuers = signers
            return
    if parsed.issuers:
        return  # named by a 发文机关 line
    if notice is not None:
        match = _ISSUER_BEFORE_ABOUT.match(notice.text)
        if match:
            for part in re.finditer(r"[^ \u3000、，,]+", match.group(1)):
                name = re.sub(r"(?:等联合|联合|等)$", "", part.group(0))
                if _ORGANISATION.match(name):
                    parsed.issuers.append(_locate(parsed, notice.start + part.start(), notice.start + part.start() + len(name)))
            if parsed.issuers:
                return
    for line in front[:5]:
        match = _RED_HEADER.match(line.text)
        if match:
            for part in re.finditer(r"[^ \u3000、，,]+", match.group(1)):
                if _ORGANISATION.match(part.group(0)):
                    parsed.issuers.append(_locate(parsed, line.start + part.start(), line.start + part.end()))
            if parsed.issuers:
                return


def _fill_from_metadata(parsed: ParsedDocument) -> None:
    """An HTML page's metadata table fills header fields the text lacks, when the value occurs in the text."""
    metadata = parsed.source.metadata
    text = parsed.source.text

    def find(value: str) -> Located | None:
        position = text.find(value)
        return Located(value, (position, position + len(value))) if position >= 0 and value else None

    if parsed.doc_number is None and metadata.get("doc_number"):
        parsed.doc_number = find(metadata["doc_number"])
    if parsed.title is None and metadata.get("title"):
        parsed.title = find(metadata["title"])
    if not parsed.issuers and metadata.get("issuer"):
        located = find(metadata["issuer"])
        if located:
            parsed.issuers.append(located)
    if parsed.date_signed is None and metadata.get("date_written"):
        located = find(metadata["date_written"])
        value = iso_date(metadata["date_written"])
        if located and value:
            parsed.date_signed = Located(value, located.span)


# --- body -------------------------------------------------------------------------------------


_NUMBERING_FIRST = frozenset("第一二三四五六七八九十百（(0123456789" + "".join(chr(c) for c in range(ord("①"), ord("⑳") + 1)))


def _numbering(text: str) -> tuple[str, re.Match[str]] | None:
    """The numbering style and marker match at the start of ``text``, if any."""
    if not text or text[0] not in _NUMBERING_FIRST:
        return None
    for style, pattern in _STYLES:
        match = pattern.match(text)
        if match:
            if style == "year" and (len(text) > 40 or "。" in text):
                continue
            if style == "cn_enum" and text[match.end(1):match.end(1) + 1] in ".．" and len(text) <= match.end():
                continue
            return style, match
    return None


class _Builder:
    """Turns numbered lines, table rows and continuation lines into the provision tree."""

    def __init__(self, parsed: ParsedDocument) -> None:
        self.parsed = parsed
        self.stack: list[_Open] = []
        self.finished: list[_Open] = []
        self.top: list[Provision] = []
        self.used_keys: dict[int, set[int]] = {}  # id(parent) → path keys taken by its children
        self.largest_key: dict[int, int] = {}
        self.attachments = 0
        self.top_style: str | None = None  # numbering style of the latest top-level provision
        self.repeats = 0
        self.rows: dict[int, int] = {}  # id(parent) → rows without a printed number so far

    # opening and closing
    def open(self, style: str, number: str, ordinal: int, heading: _Line, title_start: int, in_table: bool = False,
             end: int | None = None) -> _Open:
        if style == "attachment":
            self.close_all()
        elif any(entry.style == style for entry in self.stack):
            while self.stack:
                entry = self.stack.pop()
                self.finished.append(entry)
                if entry.style == style:
                    break
        else:
            while self.stack and _RANK[self.stack[-1].style] > _RANK[style] and style != "row":
                self.finished.append(self.stack.pop())
        parent = self.stack[-1].provision if self.stack else None
        siblings = parent.children if parent is not None else self.top
        if parent is None:
            self.top_style = style
        used = self.used_keys.setdefault(id(parent), {0})
        key = ordinal
        if style == "attachment":
            key = self.largest_key.get(id(parent), 0) + 1
        elif key in used:
            key = self.largest_key.get(id(parent), 0) + 1
            self.repeats += 1
            if self.repeats <= _MAX_REPEAT_WARNINGS:
                self.parsed.warnings.append(
                    f"{self.parsed.source.path}: number {number} repeated under "
                    f"{parent.number if parent else 'the top level'}; its id uses {key}"
                )
        used.add(key)
        self.largest_key[id(parent)] = max(key, self.largest_key.get(id(parent), 0))
        kind = _STYLE_KIND[style]
        if in_table and style != "row":
            kind = "part" if parent is None else "group"
        heading_end = end if end is not None else heading.end
        provision = Provision(
            kind=kind, number=number, ordinal=ordinal,
            path=(parent.path if parent is not None else ()) + (key,),
            title="", text="", clean_text="", span=(0, 0), clean_span=(heading.start, heading_end),
        )
        siblings.append(provision)
        entry = _Open(style, provision, heading, [heading], in_table)
        rest = heading.text[title_start:]
        bracketed = _BRACKETED_TITLE.match(rest) if style == "article" else None
        # 第一条（目的和依据）为了… : the bracketed caption is the article's title.
        entry.provision.title = bracketed.group(1) if bracketed else (_title(rest) if rest.strip() else "")
        self.stack.append(entry)
        return entry

    def close_rows(self) -> None:
        while self.stack and self.stack[-1].style == "row":
            self.finished.append(self.stack.pop())

    def close_all(self) -> None:
        while self.stack:
            self.finished.append(self.stack.pop())

    def attach(self, line: _Line) -> None:
        if not self.stack:
            return
        entry = self.stack[-1]
        entry.lines.append(line)
        if not entry.provision.title:
            entry.provision.title = _title(line.text.strip("\t"))
        match = _FIELD_LINE.match(line.text)
        if match and len(line.text) <= 400 and match.group(2):
            self._set_fields(entry.provision, line, match.start(1), len(line.text))

    def _set_fields(self, provision: Provision, line: _Line, start: int, end: int) -> None:
        """One or more ``label：value`` items in ``line.text[start:end]`` (牵头单位：A；配合单位：B)."""
        for item in _FIELD_ITEM.finditer(line.text, start, end):
            value_start, value_end = item.start(2), item.end(2)
            while value_end > value_start and line.text[value_end - 1] in "。；;，,、 \u3000）)":
                if line.text[value_end - 1] in "）)" and line.text.count("（", value_start, value_end) + line.text.count(
                        "(", value_start, value_end) >= line.text.count("）", value_start, value_end) + line.text.count(
                        ")", value_start, value_end):
                    break  # a closing bracket that belongs to the value: 厦门市（含各区）
                value_end -= 1
            self._set_field(provision, item.group(1), line.start + value_start, line.start + value_end)

    def _set_field(self, provision: Provision, label: str, start: int, end: int) -> None:
        if label not in provision.fields and end > start:
            provision.fields[label] = _locate(self.parsed, start, end)

    # finishing
    def finish(self) -> list[Provision]:
        self.close_all()
        if self.repeats > _MAX_REPEAT_WARNINGS:
            self.parsed.warnings.append(
                f"{self.parsed.source.path}: {self.repeats - _MAX_REPEAT_WARNINGS} more repeated numbers"
            )
        for entry in self.finished:
            provision = entry.provision
            start = provision.clean_span[0]
            end = max(line.end for line in entry.lines)
            provision.clean_span = (start, max(end, provision.clean_span[1]))
            last = entry.lines[-1]
            if not entry.in_table:
                inline = _INLINE_FIELD.search(last.text)
                if inline:
                    self._set_fields(provision, last, inline.start(1), inline.end(2))
                else:
                    # The State Council style: …。（人力资源社会保障部、商务部等负责）
                    duty = _DUTY_TAIL.search(last.text)
                    if duty and (duty.start() > 0 or len(entry.lines) > 1):
                        self._set_field(provision, "责任单位", last.start + duty.start(1), last.start + duty.end(1))
        styles = {entry.style for entry in self.finished}
        for entry in self.finished:
            # In a regulation (第X条) the （一） under an article are items; under 第X章, 一、 are sections.
            if entry.style == "paren_cn" and "article" in styles and not entry.in_table:
                entry.provision.kind = "item"
            elif entry.style == "cn_enum" and "chapter" in styles and not entry.in_table:
                entry.provision.kind = "section"
        for provision in self.top:
            _extend_over_children(provision)
        for provision in _walk(self.top):
            start, end = provision.clean_span
            provision.span = self.parsed.clean.to_original(start, end)
            provision.text = self.parsed.source.text[provision.span[0]:provision.span[1]]
            provision.clean_text = self.parsed.clean.text[start:end]
            provision.is_measure = not provision.children and provision.kind != "attachment"
            if provision.is_measure and provision.kind in ("item", "section", "subitem") and (
                _BLOCK_LABELS & provision.fields.keys()
            ) and "。" not in provision.clean_text.split("\n", 1)[0]:
                provision.kind = "block"
        return self.top


def _walk(provisions: list[Provision]) -> Iterable[Provision]:
    for provision in provisions:
        yield from provision.walk()


def _extend_over_children(provision: Provision) -> tuple[int, int]:
    start, end = provision.clean_span
    for child in provision.children:
        child_start, child_end = _extend_over_children(child)
        end = max(end, child_end)
    provision.clean_span = (start, end)
    return provision.clean_span


def _title(text: str) -> str:
    """The heading clause: up to the first 。 (or an early ：), else the whole heading line.

    >>> _title("加强统筹。具体如下。"), _title("总体目标：到2025年，建成平台。"), _title("项目资金采取以下方式支持：")
    ('加强统筹', '总体目标', '项目资金采取以下方式支持')
    """
    text = text.strip(" \u3000\t")
    cut = text.find("。")
    if cut >= 0:
        text = text[:cut]
    colon = text.find("：")
    if 2 <= colon <= 30:
        text = text[:colon]  # 总体目标：到2025年… → 总体目标
    return text.rstrip("：:；;，, \u3000")


def _canonical_column(name: str) -> str:
    for label in FIELD_LABELS:
        if label in name:
            return label
    return name


def _parse_body(parsed: ParsedDocument, lines: list[_Line], consumed: set[int]) -> None:
    builder = _Builder(parsed)
    header_cells: list[str] | None = None  # column names of the current table
    index = 0
    in_table = False
    row_table = False  # the current table has one row per line (tab-separated or pipe cells)
    closed = False  # a closing line or signature came after the last numbered line
    title_line: _Line | None = None  # an unattached title line since then
    while index < len(lines):
        line = lines[index]
        if line.index in consumed:
            index += 1
            continue
        text = line.text

        if line.cell:
            # Tab-indented cells, one per line: a row is a block of cells (blank lines or a row number start one).
            block = [line]
            index += 1
            while index < len(lines) and lines[index].cell and not lines[index].blank_before and not (
                _ROW_NUMBER.match(lines[index].text.strip()) and len(block) > 0
                and not _ROW_NUMBER.match(block[0].text.strip()) and header_cells is not None
            ):
                block.append(lines[index])
                index += 1
            header_cells = _table_block(builder, block, header_cells, parsed)
            in_table = True
            continue

        if text.startswith("|"):
            cells = _pipe_cells(line)
            index += 1
            if _PIPE_SEPARATOR.match(text):
                continue
            if header_cells is None or not in_table:
                if index < len(lines) and _PIPE_SEPARATOR.match(lines[index].text):
                    header_cells = [cell_text for cell_text, _, _ in cells]
                    in_table = row_table = True
                    continue
            _table_row(builder, line, cells, header_cells, parsed)
            in_table = row_table = True
            continue

        if is_tab_row(text):
            cells = _tab_cells(line)
            index += 1
            if not in_table:
                in_table = row_table = True
                header_cells = None
                if not _ROW_NUMBER_CELL.match(cells[0][0]):
                    header_cells = [cell_text for cell_text, _, _ in cells]
                    continue
            _table_row(builder, line, cells, header_cells, parsed)
            continue

        if row_table:
            # A row's cells are all on its line: text after the table is not the last row's.
            builder.close_rows()
        in_table = row_table = False
        header_cells = None
        numbered = _numbering(text)
        attachment = _ATTACHMENT_START.match(text)
        if attachment and builder.top:
            # A second body after the first (附件2 …) gets its own container so its numbering restarts cleanly.
            builder.attachments += 1
            number = attachment.group(1)
            builder.open("attachment", text.replace(" ", "").replace("\u3000", ""),
                         int(number) if number else builder.attachments, line, len(text))
        elif numbered:
            style, match = numbered
            if closed and not builder.stack and builder.top and style == builder.top_style and (
                _ordinal(style, match.group(1)) <= builder.top[-1].ordinal
            ):
                # Numbering restarts after a signature or closing: a second body without a 附件 line.
                builder.attachments += 1
                heading = title_line or line
                builder.open("attachment", "附件", builder.attachments, heading,
                             0 if title_line is not None else len(heading.text))
            _open_numbered(builder, style, match, line)
            closed, title_line = False, None
        elif _CLOSING.match(text) or _is_signature(lines, index) or _DISCLOSURE.match(text):
            builder.close_all()
            closed, title_line = True, None
        else:
            if closed and not builder.stack and _looks_like_title(text, strict=False):
                title_line = line
            builder.attach(line)
        index += 1
    parsed.provisions = builder.finish()


def _ordinal(style: str, raw: str) -> int:
    return ord(raw) - ord("①") + 1 if style == "circled" else chinese_to_int(raw)


def _open_numbered(builder: _Builder, style: str, match: re.Match[str], line: _Line, in_table: bool = False,
                   offset: int = 0) -> None:
    raw = match.group(1)
    ordinal = _ordinal(style, raw)
    printed = match.group(0).strip(" \u3000、．.\t")
    if style in ("cn_enum", "arabic"):
        printed = raw
    elif style == "year":
        printed = raw + "年"
    builder.open(style, printed, ordinal, line, offset + match.end(), in_table=in_table)


def _is_signature(lines: list[_Line], index: int) -> bool:
    """A date line, or organisation names on their own lines down to a date line (a signature block)."""
    for line in lines[index:index + 12]:
        text = line.text
        if _SIGNATURE_DATE.match(text) or _PRINT_DATE.match(text):
            return True
        if not (len(text) <= 60 and all(_ORGANISATION.match(part) for part in re.split(r"[ \u3000\t]+", text))):
            return False
    return False


def _table_block(builder: _Builder, block: list[_Line], header: list[str] | None, parsed: ParsedDocument) -> list[str] | None:
    """One block of tab-indented cell lines: a heading, a row, or the header."""
    first = block[0].text.lstrip("\t")
    if len(block) == 1:
        numbered = _numbering(first)
        if numbered and not _ROW_NUMBER.match(first):
            style, match = numbered
            _open_numbered(builder, style, match, block[0], in_table=True, offset=len(block[0].text) - len(first))
            return header
    if _ROW_NUMBER.match(first):
        cells = [(line.text.lstrip("\t"), line.start + len(line.text) - len(line.text.lstrip("\t")), line.end)
                 for line in block]
        _table_row(builder, block[0], cells, header, parsed, last_line=block[-1])
        return header
    if header is None and len(block) >= 2:
        return [line.text.strip() for line in block]
    for line in block:
        builder.attach(line)
    return header


def _tab_cells(line: _Line) -> list[tuple[str, int, int]]:
    """The cells of a tab-separated row, empty ones included so that columns line up with
    the header (an HTML or Word row with an empty 配合单位 cell)."""
    cells = []
    position = 0
    for piece in line.text.split("\t"):
        stripped = piece.strip()
        offset = position + (piece.index(stripped) if stripped else 0)
        cells.append((stripped, line.start + offset, line.start + offset + len(stripped)))
        position += len(piece) + 1
    return cells


def _pipe_cells(line: _Line) -> list[tuple[str, int, int]]:
    text = line.text
    cells = []
    inner_start = 1 if text.startswith("|") else 0
    inner_end = len(text) - 1 if text.endswith("|") and len(text) > 1 else len(text)
    position = inner_start
    for piece in text[inner_start:inner_end].split("|"):
        stripped = piece.strip()
        offset = position + (piece.index(stripped) if stripped else 0)
        cells.append((stripped, line.start + offset, line.start + offset + len(stripped)))
        position += len(piece) + 1
    return cells


def _table_row(builder: _Builder, line: _Line, cells: list[tuple[str, int, int]], header: list[str] | None,
               parsed: ParsedDocument, last_line: _Line | None = None) -> None:
    if not cells or not any(cell for cell, _, _ in cells):
        return
    non_empty = [cell for cell in cells if cell[0]]
    if len(non_empty) == 1:
        numbered = _numbering(non_empty[0][0])
        if numbered and not _ROW_NUMBER.match(non_empty[0][0]):
            style, match = numbered
            _open_numbered(builder, style, match, line, in_table=True, offset=non_empty[0][1] - line.start)
            return
    first_text = cells[0][0]
    printed_number = _ROW_NUMBER_CELL.match(first_text)
    if printed_number:
        number, ordinal, data = printed_number.group(1), int(printed_number.group(1)), cells[1:]
        columns = list(range(len(cells)))
    else:
        parent_key = id(builder.stack[-1].provision) if builder.stack else id(None)
        ordinal = builder.rows.get(parent_key, 0) + 1
        builder.rows[parent_key] = ordinal
        number, data = str(ordinal), cells
        columns = list(range(len(cells)))
    # The row spans from its first cell to its last one.
    start = cells[0][1]
    end = cells[-1][2] if last_line is None else last_line.end
    row_line = _Line(start, end, parsed.clean.text[start:end], False, False, line.index)
    entry = builder.open("row", number, ordinal, row_line, 0, in_table=True, end=end)
    content = next((cell for cell in data if cell[0] and not _ROW_NUMBER.match(cell[0])), None)
    entry.provision.title = _title(content[0]) if content else ""
    for column, (cell_text, cell_start, cell_end) in zip(columns, cells):
        if not cell_text:
            continue
        name = header[column] if header is not None and column < len(header) and header[column] \
            else f"column {column + 1}"
        builder._set_field(entry.provision, _canonical_column(name), cell_start, cell_end)


# --- output ---------------------------------------------------------------------------------


def _located_dict(located: Located | None) -> dict[str, Any] | None:
    return None if located is None else {"value": located.value, "span": list(located.span)}


def provision_to_dict(provision: Provision) -> dict[str, Any]:
    """A JSON-ready dict of a provision and its children."""
    return {
        "id": provision.id,
        "kind": provision.kind,
        "number": provision.number,
        "ordinal": provision.ordinal,
        "path": list(provision.path),
        "title": provision.title,
        "is_measure": provision.is_measure,
        "span": list(provision.span),
        "clean_span": list(provision.clean_span),
        "text": provision.text,
        "clean_text": provision.clean_text,
        "fields": {label: _located_dict(value) for label, value in provision.fields.items()},
        "children": [provision_to_dict(child) for child in provision.children],
    }


def document_to_dict(parsed: ParsedDocument, include_text: bool = False) -> dict[str, Any]:
    """A JSON-ready dict of a parsed document (``policykg parse --format json``).

    >>> from kg.model import SourceDocument
    >>> parsed = parse_document(SourceDocument(Path("a.txt"), "一、总则\\n", "txt", "utf-8", "0"))
    >>> data = document_to_dict(parsed)
    >>> data["provisions"][0]["number"], data["measure_count"], data["source"]["file"]
    ('一', 1, 'a.txt')
    """
    source = parsed.source
    data: dict[str, Any] = {
        "source": {
            "file": source.path.name, "path": str(source.path), "format": source.format,
            "encoding": source.encoding, "content_hash": source.content_hash, "metadata": dict(source.metadata),
        },
        "title": _located_dict(parsed.title),
        "policy_title": _located_dict(parsed.policy_title),
        "doc_number": _located_dict(parsed.doc_number),
        "issuers": [_located_dict(item) for item in parsed.issuers],
        "addressees": [_located_dict(item) for item in parsed.addressees],
        "date_signed": _located_dict(parsed.date_signed),
        "date_printed": _located_dict(parsed.date_printed),
        "date_published": _located_dict(parsed.date_published),
        "disclosure": _located_dict(parsed.disclosure),
        "cc": [_located_dict(item) for item in parsed.cc],
        "related_units": [_located_dict(item) for item in parsed.related_units],
        "attachments": [_located_dict(item) for item in parsed.attachments],
        "measure_count": len(parsed.measures()),
        "provisions": [provision_to_dict(provision) for provision in parsed.provisions],
        "warnings": list(source.warnings) + list(parsed.warnings),
    }
    if include_text:
        data["text"] = source.text
    return data


def format_outline(parsed: ParsedDocument) -> str:
    """A readable indented outline of a parsed document (``policykg parse --format text``).

    Measures are starred, each line shows the kind, id and original span; warnings are not
    part of the outline (``parse_paths`` reports them).
    """
    def value(located: Located | None) -> str:
        return located.value if located is not None else "-"

    def values(items: list[Located]) -> str:
        return "；".join(item.value for item in items) or "-"

    source = parsed.source
    lines = [
        f"{source.path}  ({source.format}, {source.encoding})",
        f"  title         {value(parsed.title)}",
        f"  policy title  {value(parsed.policy_title)}",
        f"  doc number    {value(parsed.doc_number)}",
        f"  issuers       {values(parsed.issuers)}",
        f"  addressees    {values(parsed.addressees)}",
        f"  signed        {value(parsed.date_signed)}",
        f"  printed       {value(parsed.date_printed)}",
        f"  published     {value(parsed.date_published)}",
        f"  disclosure    {value(parsed.disclosure)}",
        f"  cc            {values(parsed.cc)}",
        f"  related units {values(parsed.related_units)}",
        f"  attachments   {values(parsed.attachments)}",
    ]
    if source.metadata:
        lines.append("  metadata      " + "；".join(f"{k}={v}" for k, v in source.metadata.items()))
    measures = parsed.measures()
    lines.append(f"  provisions    {sum(1 for _ in parsed.walk())} ({len(measures)} measures)")

    def emit(provision: Provision, depth: int) -> None:
        marker = "*" if provision.is_measure else " "
        lines.append(f"{'  ' * (depth + 1)}{marker} {provision.number} [{provision.kind} {provision.id}] "
                     f"{provision.title}  @{provision.span[0]}-{provision.span[1]}")
        for label, located in provision.fields.items():
            lines.append(f"{'  ' * (depth + 3)}{label}: {located.value}")
        for child in provision.children:
            emit(child, depth + 1)

    for provision in parsed.provisions:
        emit(provision, 0)
    return "\n".join(lines)


def parse_paths(paths: Iterable[str | Path], fmt: str = "text", warn: Callable[[str], None] | None = None) -> str:
    """``policykg parse``: the structure of each document, as JSON or an outline.

    Folders are walked (``kg.readers.iter_document_paths``); a document that cannot
    be read is reported through ``warn`` and the others go on. No paths means the
    bundled sample corpus. Raises ``PolicyKGError`` when no document could be parsed.
    """
    import json

    from kg.errors import DocumentError, PolicyKGError
    from kg.readers import iter_document_paths, read_document
    from kg.resources import default_corpus

    report = warn or (lambda message: None)
    files = list(iter_document_paths(list(paths) or [default_corpus()], report))
    documents: list[ParsedDocument] = []
    failures = 0
    for path in files:
        try:
            documents.append(parse_document(read_document(path)))
        except DocumentError as error:
            failures += 1
            report(str(error))
        except Exception as error:  # noqa: BLE001 - one document's failure must not stop the others
            failures += 1
            report(f"{path}: cannot parse ({error.__class__.__name__}: {error})")
    if not documents:
        raise PolicyKGError("no document could be parsed" if failures else "no documents to parse")
    for document in documents:
        for message in document.source.warnings + document.warnings:
            report(message)
    if fmt == "json":
        payload: Any = [document_to_dict(document) for document in documents]
        return json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False, indent=1)
    return "\n\n".join(format_outline(document) for document in documents)
