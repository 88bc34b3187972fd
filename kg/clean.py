"""Cleaning converted text for analysis while keeping every position traceable.

``clean(original)`` returns a :class:`~kg.model.CleanText`: the analysis copy plus,
for each of its characters, the offset of the original character it came from.
Cleaning only ever *deletes* characters or *replaces one character by one other*,
so the map is exact and ``CleanText.to_original`` always lands on the original
characters.

What is removed (the debris of PDF/Word-to-text conversion):

* blank lines (paragraphs stay one per line), leading indentation, trailing spaces, ``\\r``;
* page-number lines: ``— 2 —``, ``- 2 -``, ``第 2 页``, ``2/10`` and a bare ``5``
  (a bare number next to tab-indented table cells is a row number and stays);
  table-of-contents lines with dot leaders (``第一章 总则……1``) and ``（此页无正文）``;
* a stray one-character line such as ``会`` (a glyph the converter lost from a
  neighbouring line; where it belonged cannot be known, so it is dropped);
* markdown heading markers (``## ``) and whole-line bold (``**一、总则**``) added by converters;
* line breaks inside a sentence broken across lines or pages: a line that does not
  end a sentence is joined with the next one unless that one starts something new
  (numbering, a labelled field such as ``责任单位：``, a date, a signature);
  a ``## 区,火炬管委会`` "heading" after an unfinished ``责任单位：…各`` line is joined too;
* a single space between two Chinese characters (a wrapped line in the source),
  except after an organisation name (``办公厅 大连市…`` separates joint issuers).

What is replaced, one character for one (``normalise``): full-width digits and
letters → ASCII; the brackets of document numbers ``[2022]``/``【2022】``/``（2022）``
→ ``〔2022〕``; half-width ``,:;?!`` next to Chinese → full-width; ``(…)`` around or
next to Chinese → ``（…）``; paired ASCII double quotes around Chinese → “…”.

>>> text = "一、总则\\n\\n1. 建设产业体系。加快建设以科技创新为引领的现代化产业\\n\\n— 2 —\\n\\n体系。(责任单位:市发改委)\\n"
>>> cleaned = clean(text)
>>> cleaned.text
'一、总则\\n1. 建设产业体系。加快建设以科技创新为引领的现代化产业体系。（责任单位：市发改委）'
>>> start = cleaned.text.index("1.")
>>> span = cleaned.to_original(start, len(cleaned.text))
>>> text[span[0]:span[1]]
'1. 建设产业体系。加快建设以科技创新为引领的现代化产业\\n\\n— 2 —\\n\\n体系。(责任单位:市发改委)'
"""

from __future__ import annotations

import re

from kg.model import CleanText

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = f"[{_CJK}]"

#: The start of a numbered line in any common style (shared with kg.structure).
NUMBERING_START = re.compile(
    r"^(?:第[一二三四五六七八九十百千零〇两\d]+[部分章节条款]"
    r"|[一二三四五六七八九十百]+[、．.]"
    r"|[（(][一二三四五六七八九十百]+[）)]"
    r"|\d{1,3}(?:[、．]|\.(?!\d))"
    r"|[（(]\d{1,3}[）)]"
    r"|[①-⑳]"
    r"|\d{4}年[:：])"
)
#: Labels that start a field line (牵头单位：…) or a closing line (抄送：…).
LABEL_START = re.compile(
    r"^[（(]?(?:牵头市领导|牵头领导|责任领导|牵头单位|牵头部门|责任单位|责任部门|配合单位|配合部门|协办单位|"
    r"参与单位|主办单位|实施主体|抄送|抄报|主送|有关单位|附件|来源|联系人|联系电话|关键词|主题词)\s*[:：]"
)
_DATE_LINE = re.compile(r"^.{0,60}?[\d〇零一二三四五六七八九]{4}\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日(?:印发|发布|起施行)?\s*$")
_DISCLOSURE_LINE = re.compile(r"^[（(]?此件")
_TITLE_ENDING = re.compile(
    r"(?:通知|意见|办法|方案|措施|决定|规定|细则|机制|公告|通告|批复|函|报告|纲要|规划|计划|条例|分解表|清单|"
    r"目录|文件|决议|章程|准则|指引|指南|标准|守则|要点|通报)(?:[（(][^（）()]{1,20}[）)])?$"
)
_ORGANISATION_LINE = re.compile(
    f"^[{_CJK}（）()]{{4,40}}(?:厅|局|委|办|院|会|府|室|行|部|署|处|中心|委员会|政府|办公室|公司|集团|海关)$"
)
_TERMINAL = frozenset("。！？；：:;!?）)」』》】]…")
_PAGE_NUMBER = re.compile(
    r"^(?:[—\-－–─]{1,3}\s*\d{1,4}\s*[—\-－–─]{1,3}"
    r"|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})$"
)
_BARE_NUMBER = re.compile(r"\d{1,3}")
#: Lines that are never content: a table-of-contents entry with dot leaders, "（此页无正文）".
_NON_CONTENT = re.compile(r"^(?:.{1,80}?(?:\.{4,}|…{2,}|·{4,}|．{4,})\s*\d{1,4}|[（(]此页无正文[）)])$")
_HEADING_MARKER = re.compile(r"#{1,6}[ \t]+|#{1,6}(?=\S)")
_LINE_BREAK = re.compile(r"\n")
_INNER_SPACE = re.compile(f"(?<={_CJK_CHAR})[ \u3000](?={_CJK_CHAR})")
_ORGANISATION_END = frozenset("厅局委办院府室行部署处")
_SHORT_LINE = 20
_ROW_RUN_DISTANCE = 12  # lines between consecutive row numbers of a cell-per-line table; pages are longer

# One-for-one replacements ------------------------------------------------------
_FULL_WIDTH = str.maketrans(
    {**{chr(0xFF10 + i): chr(0x30 + i) for i in range(10)},
     **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
     **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)}}
)
_FULL_WIDTH_RUN = re.compile("[０-９Ａ-Ｚａ-ｚ]+")
_DOC_NUMBER_BRACKETS = re.compile(
    f"({_CJK_CHAR})[\\[【［〔(（]\\s?(\\d{{4}})\\s?[\\]】］〕)）](?=\\s?第?\\s?\\d{{1,5}}\\s?号)"
)
_HALF_PUNCTUATION = re.compile(f"(?<={_CJK_CHAR})[,:;?!]|[,:;?!](?={_CJK_CHAR})")
_HALF_TO_FULL_CHARS = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_PARENTHESES = re.compile(r"\(([^()\n]{0,200})\)")
_QUOTES = re.compile(r'"([^"\n]{1,80})"')
_HAS_CJK = re.compile(_CJK_CHAR)


def normalise(text: str) -> str:
    """Apply the one-for-one character normalisation (same length as the input).

    >>> normalise("厦府办[2022]98号,见附件(一)")
    '厦府办〔2022〕98号，见附件（一）'
    >>> normalise('全力建设"4+4+6"现代化产业体系，１２月')
    '全力建设“4+4+6”现代化产业体系，12月'
    """
    text = _FULL_WIDTH_RUN.sub(lambda m: m.group(0).translate(_FULL_WIDTH), text)
    text = _DOC_NUMBER_BRACKETS.sub(lambda m: m.group(1) + "〔" + m.group(2) + "〕", text)
    text = _HALF_PUNCTUATION.sub(lambda m: _HALF_TO_FULL_CHARS[m.group(0)], text)
    text = _PARENTHESES.sub(_full_width_parentheses, text)
    text = _QUOTES.sub(_curly_quotes, text)
    return text


def _full_width_parentheses(match: re.Match[str]) -> str:
    whole, inner = match.group(0), match.group(1)
    string, start, end = match.string, match.start(), match.end()
    near_cjk = (start > 0 and _HAS_CJK.match(string[start - 1])) or (end < len(string) and _HAS_CJK.match(string[end]))
    if _HAS_CJK.search(inner) or near_cjk:
        return "（" + inner + "）"
    return whole


def _curly_quotes(match: re.Match[str]) -> str:
    inner = match.group(1)
    string, start, end = match.string, match.start(), match.end()
    near_cjk = (start > 0 and _HAS_CJK.match(string[start - 1])) or (end < len(string) and _HAS_CJK.match(string[end]))
    return "“" + inner + "”" if _HAS_CJK.search(inner) or near_cjk else match.group(0)


def normalise_doc_number(doc_number: str) -> str:
    """A document number in its canonical form: 〔〕 brackets, ASCII digits, no spaces.

    >>> normalise_doc_number("厦府办 [２０２２] 98 号")
    '厦府办〔2022〕98号'
    >>> normalise_doc_number("大委办发【2024】15号")
    '大委办发〔2024〕15号'
    """
    compact = re.sub(r"[\s\u3000]+", "", doc_number.translate(_FULL_WIDTH))
    return re.sub(r"[\[【［〔(（](\d{4})[\]】］〕)）]", r"〔\1〕", compact)


# Cleaning -------------------------------------------------------------------------

_BLANK, _PAGE, _STRAY, _TEXT = range(4)


def clean(original: str) -> CleanText:
    """Clean ``original`` for analysis; see the module docstring for what changes."""
    lines = _scan_lines(original)
    kinds = _line_kinds(original, lines)
    segments: list[tuple[int, int]] = []
    previous: int | None = None  # index of the previous kept text line
    for index, (start, end, content_start, content_end, marker_end) in enumerate(lines):
        if kinds[index] != _TEXT:
            continue
        if previous is not None:
            if _should_join(original, lines[previous], lines[index]):
                pass  # the break between them is debris: nothing is kept
            else:
                # Keep the newline that ended the previous text line as the separator.
                newline = lines[previous][1] - 1
                segments.append((newline, newline + 1))
        _append_line_segments(original, marker_end, content_end, segments)
        previous = index

    pieces: list[str] = []
    offsets: list[int] = []
    for seg_start, seg_end in segments:
        pieces.append(original[seg_start:seg_end])
        offsets.extend(range(seg_start, seg_end))
    offsets.append(segments[-1][1] if segments else len(original))
    text = normalise("".join(pieces))
    return CleanText(text=text, offsets=offsets)


def _scan_lines(original: str) -> list[tuple[int, int, int, int, int]]:
    """Each line as ``(start, end, content_start, content_end, marker_end)``.

    ``end`` includes the newline; the content excludes indentation (spaces, not
    tabs: a leading tab marks a table cell) and trailing whitespace; ``marker_end``
    is where the content starts once a markdown heading marker is skipped.
    """
    lines = []
    position = 0
    length = len(original)
    while position < length:
        newline = original.find("\n", position)
        end = length if newline == -1 else newline + 1
        line_end = end - 1 if newline != -1 else end
        content_start = position
        while content_start < line_end and original[content_start] in " \u3000\u00a0\ufeff\r":
            content_start += 1
        content_end = line_end
        while content_end > content_start and original[content_end - 1] in " \t\u3000\u00a0\r":
            content_end -= 1
        marker_end = content_start
        if content_start < content_end and original[content_start] == "#":
            marker = _HEADING_MARKER.match(original, content_start, content_end)
            if marker:
                marker_end = marker.end()
        if original.startswith(("**", "__"), marker_end, content_end):
            # A bold markdown line (**一、总则**): the emphasis markers are markup, not text.
            emphasis = original[marker_end:marker_end + 2]
            if content_end - marker_end > 4 and original.endswith(emphasis, marker_end + 2, content_end):
                content_end -= 2
            marker_end += 2
        lines.append((position, end, content_start, content_end, marker_end))
        position = end
    return lines


def _line_kinds(original: str, lines: list[tuple[int, int, int, int, int]]) -> list[int]:
    kinds = []
    for _, _, content_start, content_end, marker_end in lines:
        content = original[marker_end:content_end].strip(" \u3000\t")
        if not content:
            kinds.append(_BLANK)
        elif original[content_start] != "\t" and (_PAGE_NUMBER.match(content) or _NON_CONTENT.match(content)):
            kinds.append(_PAGE)
        elif len(content) == 1 and _HAS_CJK.match(content) and original[content_start] != "\t":
            kinds.append(_STRAY)
        else:
            kinds.append(_TEXT)
    # A bare number is a page number only away from tab-indented table cells, and unless
    # it is one of a run of row numbers (1, 2, 3 a few lines apart in a table converted cell by cell).
    candidates: list[tuple[int, int]] = []
    for index, kind in enumerate(kinds):
        if kind != _TEXT:
            continue
        _, _, content_start, content_end, _ = lines[index]
        if original[content_start] == "\t" or not _BARE_NUMBER.fullmatch(original, content_start, content_end):
            continue
        if not (
            _neighbour_is_cell(original, lines, kinds, index, -1) or _neighbour_is_cell(original, lines, kinds, index, 1)
        ):
            candidates.append((index, int(original[content_start:content_end])))
    for position, (index, number) in enumerate(candidates):
        in_run = any(
            abs(other_number - number) == 1 and abs(other_index - index) <= _ROW_RUN_DISTANCE
            for other_index, other_number in candidates[max(0, position - 1):position + 2]
            if other_index != index
        )
        if not in_run:
            kinds[index] = _PAGE
    return kinds


def _neighbour_is_cell(original: str, lines, kinds: list[int], index: int, step: int) -> bool:  # noqa: ANN001
    position = index + step
    while 0 <= position < len(lines):
        if kinds[position] == _TEXT:
            return original[lines[position][2]] == "\t"
        position += step
    return False


def _content(original: str, line: tuple[int, int, int, int, int]) -> str:
    return original[line[4]:line[3]].strip(" \u3000\t")


def is_tab_row(content: str) -> bool:
    """Two or more non-empty cells separated by tabs (kg.structure reads such a line as a row)."""
    return "\t" in content and sum(1 for cell in content.split("\t") if cell.strip()) >= 2


def _should_join(original: str, previous: tuple[int, int, int, int, int], current: tuple[int, int, int, int, int]) -> bool:
    """Is the break between two text lines a broken sentence rather than a new paragraph?"""
    if original[previous[2]] in "\t|" or original[current[2]] in "\t|":
        return False  # table cells and markdown table rows are never merged
    before = _content(original, previous)
    after = _content(original, current)
    if is_tab_row(before) or is_tab_row(after):
        return False  # a table row as HTML and Word tables are read: its cells joined by tabs
    if not before or not after or before[-1] in _TERMINAL:
        return False
    if NUMBERING_START.match(after) or LABEL_START.match(after) or _DATE_LINE.match(after):
        return False
    if _DISCLOSURE_LINE.match(after) or after[-1] in "：:" and len(after) < 120:
        return False
    if _TITLE_ENDING.search(before) or _DATE_LINE.match(before):
        return False
    if _ORGANISATION_LINE.match(before) and _ORGANISATION_LINE.match(after):
        return False  # a signature block of joint issuers, one per line
    if LABEL_START.match(before):
        # An unfinished field line (责任单位：…各) continues on a short list-like line.
        return "。" not in after and len(after) <= 60
    if "关于" in before and "。" not in before and "。" not in after and len(after) <= 60 and _TITLE_ENDING.search(after):
        return True  # a title wrapped after 关于…: 厦门市人民政府关于印发厦门市促进 / 若干措施的通知
    if len(before) < _SHORT_LINE:
        return False
    if NUMBERING_START.match(before) and "。" not in before and len(before) < 60:
        return False  # a heading
    return True


def _append_line_segments(original: str, start: int, end: int, segments: list[tuple[int, int]]) -> None:
    """Keep ``original[start:end]`` minus single spaces between Chinese characters."""
    if start >= end:
        return
    position = start
    for match in _INNER_SPACE.finditer(original, start, end):
        space = match.start()
        if original[space - 1] in _ORGANISATION_END:
            continue
        if space > position:
            segments.append((position, space))
        position = space + 1
    if end > position:
        segments.append((position, end))
