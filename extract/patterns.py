"""Small helpers shared by the rule-based components.

``trie_pattern`` turns a word list into one regular expression whose alternatives
share prefixes, so matching costs one branch per character instead of one try per
word (a plain ``a|b|c…`` alternation of hundreds of names is tried word by word at
every position).

>>> import re
>>> pattern = re.compile(trie_pattern(["财政局", "财政厅", "商务局", "财政"]))
>>> [m.group() for m in pattern.finditer("财政局、商务局和财政")]
['财政局', '商务局', '财政']
>>> trie_pattern([])
'(?!)'
"""

from __future__ import annotations

import bisect
import re
from typing import Iterable


def trie_pattern(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, preferring the longest at each position."""
    trie: dict = {}
    for word in words:
        if not word:
            continue
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    if not trie:
        return "(?!)"
    return _render(trie)


def _render(node: dict) -> str:
    ends_here = "" in node
    branches = [re.escape(char) + _render(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:
        # Longer continuations first, then the word ending here.
        return "(?:" + body + ")?"
    return body


#: ``doc.user_data`` key holding the doc's text. ``Doc.text`` joins every token on each
#: access (milliseconds for a long document), so components read it once through
#: ``doc_text`` and share it.
TEXT_KEY = "policykg_text"


def doc_text(doc) -> str:  # noqa: ANN001 - a spaCy Doc
    """``doc.text``, computed once per doc and cached in ``doc.user_data``.

    >>> import spacy
    >>> doc = spacy.blank("en")("a b")
    >>> doc_text(doc), doc.user_data[TEXT_KEY]
    ('a b', 'a b')
    """
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.text
        doc.user_data[TEXT_KEY] = text
    return text


class IntervalSet:
    """Fixed half-open intervals answering "does [start, end) overlap any?" in O(log n).

    >>> regions = IntervalSet([(10, 20), (0, 3)])
    >>> regions.overlaps(2, 4), regions.overlaps(3, 10), regions.contains(15)
    (True, False, True)
    """

    def __init__(self, intervals: list[tuple[int, int]]) -> None:
        ordered = sorted(intervals)
        self.starts = [s for s, _ in ordered]
        self.max_end: list[int] = []
        running = -1
        for _, end in ordered:
            running = max(running, end)
            self.max_end.append(running)

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self.starts, max(end, start + 1)) - 1
        return index >= 0 and self.max_end[index] > start

    def contains(self, position: int) -> bool:
        return self.overlaps(position, position + 1)
