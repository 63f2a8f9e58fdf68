"""Line endings never change an analysis: the models see LF text, every offset still indexes the text as given.

A browser form sends CRLF, a Windows file has CRLF, an old Mac export has CR. The parser and the taggers treat
"\\r\\n" differently from "\\n" (spaCy makes extra whitespace tokens, sentence and paragraph rules look for "\\n\\n"),
so the same article gave other speakers and sources. `normalized(doc)` gives the code inside it the LF form of
`doc.text` with every existing item moved onto it, and on the way out puts the original text back and moves every
item (new ones included) back onto it. Nothing is cut or rewritten in what the user gets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np

from unspun.document import KINDS, Document

_CR = re.compile(r"\r\n?")
_NESTED = ("evidence", "mentions", "labels")


def to_lf(text: str) -> str:
    """`text` with CRLF and lone CR written as LF."""
    return _CR.sub("\n", text)


def _maps(text: str) -> tuple[np.ndarray, np.ndarray]:
    """(LF offset → original offset, original offset → LF offset), both with a sentinel for the end of the text."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    dropped = np.zeros(len(codes), dtype=bool)  # the "\n" of each "\r\n": its "\r" stands for the pair
    dropped[1:] = (codes[1:] == 10) & (codes[:-1] == 13)
    kept = ~dropped
    to_original = np.append(np.flatnonzero(kept), len(codes))
    to_lf_pos = np.concatenate(([0], np.cumsum(kept)))
    return to_original, to_lf_pos


def _move(doc: Document, where: Callable[[int], int], text: str) -> None:
    """Every offset of every item through `where`, and each span's text taken again from `text`."""
    for name in KINDS:
        for item in getattr(doc, name):
            _move_span(item, where, text)
            for nested in _NESTED:
                for sub in getattr(item, nested, ()) or ():
                    _move_span(sub, where, text)
            if hasattr(item, "parts"):  # a quote
                item.parts = [[where(a), where(b)] for a, b in item.parts]
                if item.speaker_start is not None:
                    item.speaker_start, item.speaker_end = where(item.speaker_start), where(item.speaker_end)
                if item.cue_start is not None:
                    item.cue_start, item.cue_end = where(item.cue_start), where(item.cue_end)
                    item.cue = text[item.cue_start : item.cue_end]


def _move_span(item: object, where: Callable[[int], int], text: str) -> None:
    start = getattr(item, "start", None)
    if start is None:
        return
    item.start, item.end = where(start), where(item.end)
    item.text = text[item.start : item.end]


@contextmanager
def normalized(doc: Document) -> Iterator[None]:
    """Inside: `doc.text` is LF-only and every item points into it. After: the text as given, items moved back."""
    original = doc.text
    if "\r" not in original:
        yield
        return
    to_original, to_lf_pos = _maps(original)
    lf = to_lf(original)
    _move(doc, lambda o: int(to_lf_pos[o]), lf)
    doc.text = lf
    try:
        yield
    finally:
        doc.text = original
        _move(doc, lambda o: int(to_original[o]), original)
