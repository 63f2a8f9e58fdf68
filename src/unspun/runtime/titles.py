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
# What introduces one:
# - a lower-case noun for a work after a determiner or a possessive, up to three words between ("his new book, …",
#   "the Austrian Catholic website …", "a book titled …"). Nouns that are also verbs or places need more: "show" a
#   kind of show right before it ("the web-tv show, …", "ABC's TV show …"; not "recent polls show Clinton"), "site"
#   a word between ("the conservative site …"; not "was the site Saturday of …"), "play" the determiner right
#   before it ("her play, …");
# - "author of", with at most an article and one adjective between ("the author of the critically-acclaimed, …",
#   not "the author of the story, Luke Harding" nor "the author of that boast, Muhammad Ali");
# - "(via …)", a post's source.
_WORK_NOUNS = (r"book|novel|memoir|biography|film|movie|documentary|sitcom|series|podcast|album|song|musical|"
               r"magazine|newspaper|blog|website|video game|painting|poem")
_SHOW_KINDS = r"(?:tv|TV|television|radio|talk|game|web|web-tv|comedy|news|reality|cooking|variety|hit|late-night)"
_DETERMINER = r"(?P<det>(?i:the|a|an|my|his|her|our|their|its|your|new|latest|debut|recent|\w+['’]s))"
_NAMED = r"(?P<sep>(?:[ ,]+(?:is|was|titled|entitled|called|named))?[,:]?[ ]+)"
_INTRODUCED = (
    re.compile(rf"\b{_DETERMINER}[ ]+(?P<mid>(?:[\w-]+[ ]+){{0,3}})(?:{_WORK_NOUNS}|(?P<kind>{_SHOW_KINDS})[ -]show){_NAMED}{_TITLE}"),
    re.compile(rf"\b{_DETERMINER}[ ]+(?P<mid>(?:[\w-]+[ ]+){{1,3}})site{_NAMED}{_TITLE}"),
    re.compile(rf"\b{_DETERMINER}[ ]+(?P<mid>)play{_NAMED}{_TITLE}"),
    re.compile(rf"\b(?:author|co-author|creator)[ ]+of[ ]+(?:(?:the|a|an|his|her|their)[ ]+)?"
               rf"(?:(?:[a-z]+-[a-z]+|[a-z]+(?:ed|ing)),?[ ]+)?{_TITLE}"),
    re.compile(rf"\(via[ ]+{_TITLE}\)"),
)
# A person named after a work ("Martin's book, Cardinal Farrell, …"), a possessive ("his book, Wills' …") or a day
# ("Hugh Hewitt's radio show Thursday") is no title.
_NOT_TITLE = re.compile(r"(?:Dr|Mr|Mrs|Ms|Cardinal|Archbishop|Bishop|Father|Pope|President|Senator|Sen|Rep|Gov|Judge|"
                        r"Professor|Prof|Sir|Lord|King|Queen|Prince)\b|.*['’]s?$|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day$", re.S)
_ARTICLES = frozenset({"the", "a", "an"})


def _introduced(m: re.Match) -> bool:
    """Whether a match introduces a title. After a noun for a work and a bare comma, the next capitalised words are
    often the clause's subject: always after an article right before the noun ("In the book, Byrne …", "the author of
    the book, Mitchell Zuckoff"), and after a possessive when they are one plain word ("On his website, Sanders …",
    "With her film, DuVernay …"). So a comma alone introduces a title only after a possessive or a qualifier, and
    only one of two words or more, or with a dot or a digit ("his new book, Jihadist Psychopath", "his website,
    Infowars.com"); "The book, titled, …" names it outright."""
    title = m.group("title")
    if _NOT_TITLE.match(title):
        return False
    groups = m.groupdict()
    if groups.get("det") is None or "," not in groups["sep"] or re.search(r"[a-z]", groups["sep"]):
        return True
    mid = groups["mid"].split()
    before = (mid[-1] if mid else groups["det"]).lower()
    if before in _ARTICLES and not groups.get("kind"):
        return False
    return " " in title or bool(re.search(r"[.\d]", title))


def unquoted_titles(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each title of a work the text introduces as one ("her debut graphic novel Koko Be Good")."""
    return [m.span("title") for pattern in _INTRODUCED for m in pattern.finditer(text) if _introduced(m)]


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
    if not titles:  # most texts: no span is read
        return 0.0
    total = sum(not c.isspace() for c in text[start:end])
    if not total:
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
