"""Titles of works: a book, a film, a show, a website, an article.

- In quotation marks ("The article “Is the ferry service headed for cuts?” (Page A2)", "Re. “Rents will rise again,”
  Page B4"), such a string is no quote (nobody said it) but a document the author relies on, so the quotes stage
  skips it and the sources stage names a source after it.
- With or without quotation marks ("his new book, Jihadist Psychopath: How He Is Charming…", "the web-tv show, The
  Glazov Gang", "(via Geeks Are Sexy)"), the words of a title are the work's name, not the author's choice, so the
  technique model reports no technique inside one (`titles_of_works`)."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from unspun.runtime.quote_marks import CLOSE_MARKS, OPEN_MARKS

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


# A title without quotation marks: capitalised words, joined by short lower-case words ("United in Hate", "The
# History of Jihad From Muhammad to ISIS"), with an optional subtitle after a colon, where commas may join its
# words ("How He Is Charming, Seducing, and Devouring Us").
_CAP = r"[A-Z0-9][\w'’-]*(?:\.(?=\w)[\w'’-]*)?"  # "Kath.net", "DavidDuke.com"; never a sentence's full stop
_JOIN = r"(?:a|an|and|as|at|but|by|for|from|in|into|is|of|on|or|the|to|vs\.|with|&)"
_RUN = rf"{_CAP}(?:[ ]+(?:{_JOIN}[ ]+)*{_CAP})*"
_SUBTITLE = rf"{_CAP}(?:,?[ ]+(?:{_JOIN}[ ]+)*{_CAP})*"
_TITLE = rf"(?P<title>{_RUN}(?::[ ]+{_SUBTITLE})?)"
# What introduces one: a lower-case noun for a work after a determiner or a possessive, up to three words between
# ("his new book, …", "the Austrian Catholic website …", "a book titled …"); "author of" ("the author of the
# critically-acclaimed, …", but not "the author of the story, Luke Harding"); "(via …)", a post's source.
_WORK_NOUNS = (r"book|novel|memoir|biography|film|movie|documentary|show|sitcom|series|podcast|album|song|play|"
               r"musical|magazine|newspaper|blog|website|site|video game|painting|poem")
_DETERMINER = r"(?i:the|a|an|my|his|her|our|their|its|your|new|latest|debut|recent|\w+['’]s)"
_NAMED = r"(?:[ ,]+(?:is|was|titled|entitled|called|named))?[,:]?[ ]+"
_INTRODUCED = (
    re.compile(rf"\b{_DETERMINER}[ ]+(?:[\w-]+[ ]+){{0,3}}(?:{_WORK_NOUNS}){_NAMED}{_TITLE}"),
    re.compile(rf"\b(?:author|co-author|creator)[ ]+of[ ]+"
               rf"(?:(?!(?:story|study|report|article|paper|piece|letter|book|post|law|bill)\b)[a-z][\w-]*,?[ ]+){{0,2}}{_TITLE}"),
    re.compile(rf"\(via[ ]+{_TITLE}\)"),
)
# A person named after a work ("Martin's book, Cardinal Farrell, …") or a possessive ("his book, Wills' …") is
# no title.
_NOT_TITLE = re.compile(r"(?:Dr|Mr|Mrs|Ms|Cardinal|Archbishop|Bishop|Father|Pope|President|Senator|Sen|Rep|Gov|Judge|"
                        r"Professor|Prof|Sir|Lord|King|Queen|Prince)\b|.*['’]s?$", re.S)


def unquoted_titles(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each title of a work the text introduces as one ("her debut graphic novel Koko Be Good")."""
    out = []
    for pattern in _INTRODUCED:
        for m in pattern.finditer(text):
            if not _NOT_TITLE.match(m.group("title")):
                out.append(m.span("title"))
    return out


@lru_cache(maxsize=4)
def titles_of_works(text: str) -> tuple[tuple[int, int], ...]:
    """Every title of a work in the text, quoted (`cited_works`) or not (`unquoted_titles`), merged and sorted."""
    spans = sorted(cited_works(text) + unquoted_titles(text))
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((start, end) for start, end in merged)


def title_share(text: str, start: int, end: int) -> float:
    """The share of the non-space characters of [start, end) that lie inside titles of works (0.0 for none): a span
    the technique model found across a title's edge ("book, Globalist Thugs: How … Nation. It") is the title still."""
    titles = titles_of_works(text)
    total = sum(not c.isspace() for c in text[start:end])
    if not total or not titles:
        return 0.0
    k = max(0, bisect.bisect_right(titles, (start, len(text) + 1)) - 1)
    inside = 0
    for a, b in titles[k:]:
        if a >= end:
            break
        lo, hi = max(a, start), min(b, end)
        if lo < hi:
            inside += sum(not c.isspace() for c in text[lo:hi])
    return inside / total
