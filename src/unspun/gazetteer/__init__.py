"""Known names that spaCy's NER gets wrong or splits: news outlets and blogs, states and big organisations.

NER tags "Zero Hedge" as a person and splits "Moon of Alabama" in two; it cannot know that "the Kremlin" is Russia.
Two small tab-separated files hold the names (`outlets.tsv`, `actors.tsv`); this module loads them once and
finds them in a text with one compiled regex. Matching is case-sensitive on whole words, so "the sun" is not
The Sun.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent

# Words that make an unknown organisation name look like a news outlet ("the Millbrook Herald").
_MEDIA_WORDS = re.compile(
    r"\b(Times|Post|News|Newspaper|Journal|Herald|Tribune|Gazette|Daily|Telegraph|Guardian|Observer|Chronicle|"
    r"Magazine|Monitor|Radio|TV|Television|Broadcasting|Press|Wire|Newswire|Blog|Examiner|Courier|Dispatch|"
    r"Standard|Express|Mirror|Inquirer|Digest|Weekly|Media|Review|Report|Podcast|Substack|Channel|Bulletin)\b"
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One known name. `kind` is outlet, state or organisation."""

    kind: str
    name: str


@dataclass(frozen=True, slots=True)
class Match:
    """A gazetteer hit in a text. `role` says how the words refer: alias, metonym, adjective or group."""

    start: int
    end: int
    entry: Entry
    role: str


def _rows(filename: str):
    for line in (_HERE / filename).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def _split(cell: str) -> list[str]:
    return [a.strip() for a in cell.split("|") if a.strip()]


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[Entry, str]]:
    """Every surface form → (entry, role). Outlets first, so an outlet name wins over an actor alias."""
    forms: dict[str, tuple[Entry, str]] = {}
    for cols in _rows("outlets.tsv"):
        entry = Entry("outlet", cols[0].strip())
        for form in [entry.name, *_split(cols[1] if len(cols) > 1 else "")]:
            forms.setdefault(form, (entry, "alias"))
            if form.startswith("The "):
                forms.setdefault(form[4:], (entry, "alias"))
    for cols in _rows("actors.tsv"):
        cols += [""] * (6 - len(cols))
        entry = Entry(cols[0].strip(), cols[1].strip())
        for form in [entry.name, *_split(cols[2])]:
            forms.setdefault(form, (entry, "alias"))
        for form in _split(cols[3]):
            forms.setdefault(form, (entry, "metonym"))
        for form in _split(cols[4]):
            forms.setdefault(form, (entry, "adjective"))
        for form in _split(cols[5]):
            forms.setdefault(form, (entry, "group"))
            _GROUPS.setdefault(entry, form)
    return forms


_GROUPS: dict[Entry, str] = {}


def group_name(entry: Entry) -> str | None:
    """The demonym plural for a state's people ("Russians"), or None."""
    _table()
    return _GROUPS.get(entry)


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    forms = sorted(_table(), key=len, reverse=True)  # longest first: "New York Times" before "Times"
    alternation = "|".join(re.escape(f) for f in forms)
    # Whole words: no letter/digit on either side. A trailing "." in an alias ("U.S.") ends the match itself.
    return re.compile(rf"(?<![\w@#])(?:{alternation})(?![\w])")


def find(text: str) -> list[Match]:
    """Every known name in `text`, longest match first at each place, in text order."""
    table = _table()
    return [Match(m.start(), m.end(), *table[m.group()]) for m in _pattern().finditer(text)]


def lookup(name: str) -> tuple[Entry, str] | None:
    """The entry and role for an exact surface form, or None."""
    name = name.strip()
    if name.startswith(("the ", "The ")) and name not in _table():
        name = name[4:]
    return _table().get(name)


def looks_like_outlet(name: str) -> bool:
    """True for an unknown organisation name that reads like a newspaper, broadcaster or blog."""
    return bool(_MEDIA_WORDS.search(name))
