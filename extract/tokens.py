"""Tokens without segmenting the whole document.

Every PolicyKG component finds its matches on characters and keeps their exact offsets
(``char_start``/``char_end``); the tokens of the ``Doc`` only serve to hold spans. How
``Doc.char_span(..., alignment_mode="expand")`` behaves depends only on where the
whitespace is, which spaCy turns into the same tokens and trailing spaces whatever the
words between (``spacy.util.get_words_and_spaces``). So ``whitespace_doc`` makes the Doc
from the runs of non-space characters — no jieba — and the one component that reads
jieba's words (industries: the word before …产业) asks ``JiebaTokens`` for the words
around an offset, which segments only the block holding it. jieba segments each run of
``jieba.re_han_default`` characters on its own, so those words are the words
``nlp.make_doc`` gives for the whole text.

>>> import spacy
>>> nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
>>> text = "发展数字经济， 推动 低空经济\\n\\n  和 AI产业"
>>> [t.text for t in whitespace_doc(nlp, text)]
['发展数字经济，', '推动', '低空经济', '\\n\\n  ', '和', 'AI产业']
>>> full = nlp.make_doc(text)
>>> tokens = JiebaTokens(text, nlp.tokenizer.jieba_seg)
>>> starts = [t.idx for t in full]
>>> all(tokens.token(i) == (full[t].idx, full[t].idx + len(full[t]))
...     for i in range(len(text)) for t in [bisect.bisect_right(starts, i) - 1])
True
>>> all(tokens.previous_start(t.idx) == full[t.i - 1].idx for t in full if t.i > 0)
True
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces
from spacy.vocab import Vocab

#: The characters jieba segments as one block (``jieba.re_han_default``); every other
#: character is a word of its own.
_JIEBA_BLOCK = re.compile("[\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+")


def jieba_segmenter(nlp: Language) -> Any | None:
    """The jieba module behind ``nlp``'s tokenizer (spaCy's Chinese tokenizer with the
    jieba segmenter), else None."""
    return getattr(nlp.tokenizer, "jieba_seg", None)


def whitespace_doc(nlp: Language, text: str) -> Doc:
    """A Doc of ``text`` whose tokens are its runs of non-space characters; its
    whitespace tokens and trailing spaces are those of ``nlp.make_doc(text)``.

    It has a vocabulary of its own: nearly every run is a string seen once, which
    ``nlp.vocab`` would keep (with its lexical attributes) for the life of the process."""
    words, spaces = get_words_and_spaces(text.split(), text)
    return Doc(Vocab(), words=words, spaces=spaces)


class JiebaTokens:
    """The words of ``nlp.make_doc(text)`` (jieba) around given offsets, each block of
    ``_JIEBA_BLOCK`` characters segmented once, when first asked for."""

    def __init__(self, text: str, segmenter: Any) -> None:
        self.text = text
        self.segmenter = segmenter
        self.block_starts: list[int] | None = None
        self.block_ends: list[int] = []
        self.words: dict[int, list[int]] = {}  # block start → word starts (and the block end)

    def _block(self, offset: int) -> tuple[int, int] | None:
        if self.block_starts is None:
            blocks = [m.span() for m in _JIEBA_BLOCK.finditer(self.text)]
            self.block_starts = [start for start, _ in blocks]
            self.block_ends = [end for _, end in blocks]
        index = bisect.bisect_right(self.block_starts, offset) - 1
        if index >= 0 and offset < self.block_ends[index]:
            return self.block_starts[index], self.block_ends[index]
        return None

    def token(self, offset: int) -> tuple[int, int]:
        """(start, end) of the token holding the character at ``offset`` (for the trailing
        space of a word: that word, as ``Doc.char_span`` counts it)."""
        text = self.text
        if text[offset].isspace():
            # Whitespace between words is a token of its own, except a single space right
            # after a word, which is that word's trailing space (``get_words_and_spaces``).
            run, end = offset, offset + 1
            while run > 0 and text[run - 1].isspace():
                run -= 1
            while end < len(text) and text[end].isspace():
                end += 1
            if run > 0 and text[run] == " ":
                if offset == run:
                    return self.token(run - 1)
                run += 1
            return run, end
        block = self._block(offset)
        if block is None:
            return offset, offset + 1
        start, end = block
        starts = self.words.get(start)
        if starts is None:
            starts = [start]
            for word in self.segmenter.cut(text[start:end], cut_all=False):
                if word:
                    starts.append(starts[-1] + len(word))
            self.words[start] = starts
        index = bisect.bisect_right(starts, offset) - 1
        return starts[index], starts[index + 1]

    def previous_start(self, offset: int) -> int | None:
        """Where the token before the one starting at ``offset`` starts (None at 0)."""
        return self.token(offset - 1)[0] if offset > 0 else None
