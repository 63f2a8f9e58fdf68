"""Document offsets ↔ tokens of the one cached spaCy parse (`unspun.runtime.nlp.parse`).

Long texts are parsed in chunks, so a token's document offset is its chunk's offset plus `token.idx`. These helpers
hide that arithmetic so that stages can go from a span in `doc.text` to the token that heads it and back.
"""

from __future__ import annotations

from bisect import bisect_right

from unspun.runtime import nlp


def start_of(offset: int, tok) -> int:
    return offset + tok.idx


def end_of(offset: int, tok) -> int:
    return offset + tok.idx + len(tok.text)


def chunk_at(text: str, char: int):
    """The parsed chunk that holds document offset `char`, or None for an empty text."""
    chunks = nlp.parse(text)
    if not chunks:
        return None
    if len(chunks) == 1:
        return chunks[0]
    i = bisect_right([c.offset for c in chunks], char) - 1
    return chunks[max(i, 0)]


def tokens_in(text: str, start: int, end: int):
    """(chunk offset, spaCy Span) covering [start, end), expanded to whole tokens; None when it holds no token."""
    chunk = chunk_at(text, start)
    if chunk is None:
        return None
    doc = chunk.doc
    if len(doc) == 0:
        return None
    last = doc[-1]
    local_end = min(end - chunk.offset, last.idx + len(last.text))  # never doc.text: it is rebuilt on each access
    span = doc.char_span(start - chunk.offset, local_end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return chunk.offset, span


def head_token(text: str, start: int, end: int):
    """(chunk offset, token) for the syntactic head of [start, end): the token whose head lies outside it."""
    found = tokens_in(text, start, end)
    if found is None:
        return None
    offset, span = found
    return offset, span.root
