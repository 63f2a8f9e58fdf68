"""Titles of works cited in quotation marks: "The article “Is the ferry service headed for cuts?” (Page A2)",
"Re. “Rents will rise again,” Page B4". Such a string is no quote (nobody said it) but a document the author
relies on, so the quotes stage skips it and the sources stage names a source after it."""

from __future__ import annotations

import re

from unspun.runtime.quote_model import CLOSE_MARKS, OPEN_MARKS

# A quoted string named as a work: right after "Re." or a noun for a work ("The article “…”", "a column titled
# “…”"), or right before a page reference ("“…,” Page A8, Jan. 13").
_WORK_BEFORE = re.compile(
    r"(?:\bRe\b[.:]?|\b(?:article|story|editorial|column|op-ed|headline|book|film|movie|essay|piece|song|album|"
    r"documentary|podcast|episode|titled|entitled|headlined|named)[,:]?)\s*$",
    re.IGNORECASE,
)
_WORK_AFTER = re.compile(r"^[,.]?\s*\(?(?:page|pages|p\.|pp\.|section|sec\.)\s*[A-Z]?\d", re.IGNORECASE)


def cited_work(text: str, start: int, end: int) -> bool:
    """The quoted text at [start, end) is the title of a work the author cites, not words someone said."""
    open_at = start
    while open_at > 0 and text[open_at - 1] in OPEN_MARKS + " ":
        open_at -= 1
    close_at = end
    while close_at < len(text) and text[close_at] in CLOSE_MARKS + ",.?!":
        close_at += 1
    return bool(_WORK_BEFORE.search(text[max(0, open_at - 40) : open_at])
                or _WORK_AFTER.match(text[close_at : close_at + 20]))



_QUOTED = re.compile(r"[“\"]([^“”\"\n]{8,200})[”\"]")


def cited_works(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each cited title in the text, without its quotation marks."""
    return [m.span(1) for m in _QUOTED.finditer(text) if cited_work(text, *m.span(1))]
