"""Who a source mention stands for: a canonical name from a name, a pronoun or a description, or nothing.

The quote tagger finds the mention that introduces a quote ("Caddell", "he", "the group", "his office",
"officials"). This module maps it to a canonical name using the document's named entities: a surname expands
to the fullest earlier form of the name, a pronoun takes the nearest compatible named entity before it, and a
description ("the group", "the senator") takes one only when the text supports it. When nothing fits, the
mention itself is returned, because a missing name is better than a wrong one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from unspun import gazetteer, lexicon
from unspun.lexicon import ORG_NOUNS, PERSON_NOUNS

PERSON_PRONOUNS = frozenset("he she him his her hers himself herself".split())
GROUP_PRONOUNS = frozenset("they them their it its we our us".split())
SELF_PRONOUNS = frozenset("i me my".split())
ANONYMOUS = re.compile(
    r"^(?:(?:some|many|several|two|three|other|senior|top|unnamed|anonymous|former|current|western|u\.?s\.?|us|"
    r"american|administration|government|military|intelligence|security|white house|police|party|campaign|"
    r"informed|knowledgeable|diplomatic)\s+)*"
    r"(?:officials?|sources?|aides?|insiders?|experts?|analysts?|critics?|observers?|people|persons?|diplomats?|"
    r"advisers?|advisors?|staffers?|witnesses?|residents?|reports?|studies|polls?|someone|one)\b",
    re.IGNORECASE,
)
# Gender as the text itself shows it: a title before a name, or the first singular pronoun after a mention in
# the same sentence ("Lena Okafor said she …"). Votes over all mentions of a name; no name list is consulted.
_MASCULINE = frozenset("he him his himself".split())
_FEMININE = frozenset("she her hers herself".split())
_TITLE_GENDER = {"mr": "m", "sir": "m", "mrs": "f", "ms": "f", "miss": "f", "madam": "f", "lady": "f"}
_PRONOUN_AFTER = re.compile(r"[^.!?\n]{0,80}?\b(he|him|his|himself|she|her|hers|herself)\b", re.IGNORECASE)
_TITLE_BEFORE = re.compile(r"\b(mr|mrs|ms|miss|sir|madam|lady)\.?\s*$", re.IGNORECASE)
_PERSONISH = ("PERSON",)
_WORKER_NOUNS = lexicon.DESCRIBED_PERSON_NOUNS | frozenset(
    """aide aides agent agents official officials staffer staffers spokesman spokeswoman spokesperson insider insiders
    employee employees source sources adviser advisers advisor advisors jury panel nuncio envoy envoys observer
    observers expert experts analyst analysts""".split())
_GROUPISH = ("ORG", "GPE", "NORP")
# "the former apostolic nuncio to …", "a senior spokesman for …": an article, lower-case words, a role noun, a preposition
_ROLE_OF = re.compile(r"(?:the|a|an|one|another|The|A|An|One|Another)\s+(?:[a-z][\w-]*\s+){0,3}?([a-z]+)\s+(?:to|for|of|at|with)\s")
_POSSESSIVE = re.compile(r"[’']s$")


@dataclass(frozen=True, slots=True)
class Resolution:
    name: str | None
    resolved_from: str | None  # name | pronoun | description | None


@dataclass(frozen=True, slots=True)
class Entity:
    start: int
    end: int
    label: str
    text: str


class EntityIndex:
    """The document's named entities, sorted, with surname → full-name canonical forms for people."""

    def __init__(self, text: str, entities: list[tuple[int, int, str]]) -> None:
        ents = []
        for s, e, label in sorted(entities):
            surface = _POSSESSIVE.sub("", text[s:e].strip())
            if surface and not lexicon.is_reference(surface):
                ents.append(Entity(s, e, label, surface))
        ents = _one_sense(ents)
        self.entities = ents
        self.starts = [e.start for e in ents]
        self.full_names: dict[str, str] = {}
        for ent in ents:
            if ent.label == "PERSON":
                words = ent.text.split()
                last = words[-1].lower()
                if len(words) > len(self.full_names.get(last, "").split()):
                    self.full_names[last] = ent.text
        self._gender_votes: dict[str, list[int]] = {}
        for ent in ents:
            if ent.label == "PERSON":
                votes = self._gender_votes.setdefault(self.canonical(ent.text, ent.label), [0, 0])
                title = _TITLE_BEFORE.search(text, max(0, ent.start - 8), ent.start)
                if title:
                    votes[0 if _TITLE_GENDER[title.group(1).lower()] == "m" else 1] += 2
                after = _PRONOUN_AFTER.match(text, ent.end)
                if after:
                    votes[0 if after.group(1).lower() in _MASCULINE else 1] += 1

    def gender(self, name: str) -> str | None:
        """"m", "f" or None for a canonical person name, by the text's own evidence (see _PRONOUN_AFTER); None when
        the evidence is absent or split evenly."""
        votes = self._gender_votes.get(name)
        if not votes or votes[0] == votes[1]:
            return None
        return "m" if votes[0] > votes[1] else "f"

    def is_person(self, name: str) -> bool:
        """Whether a canonical name is one NER tagged as a person somewhere in the text."""
        return name in self._gender_votes

    def agrees(self, name: str, pronoun: str) -> bool:
        """Whether a person name can be what a he/she pronoun refers to: no evidence counts as agreement."""
        word = pronoun.lower()
        want = "m" if word in _MASCULINE else "f" if word in _FEMININE else None
        known = self.gender(name)
        return want is None or known is None or known == want

    def canonical(self, ent_text: str, label: str) -> str:
        text = _POSSESSIVE.sub("", ent_text.strip())
        if label == "PERSON":
            words = text.split()
            if words:
                full = self.full_names.get(words[-1].lower())
                if full and len(full.split()) >= len(words):
                    return full
        return text

    def inside(self, start: int, end: int) -> list[Entity]:
        i = bisect_right(self.starts, start) - 1
        out = []
        for ent in self.entities[max(0, i) :]:
            if ent.start >= end:
                break
            if ent.start < end and start < ent.end:
                out.append(ent)
        return out

    def before(self, pos: int, labels: tuple[str, ...], window: int = 1500, pronoun: str | None = None,
               skip=None) -> Entity | None:
        """The nearest entity with one of `labels` that ends before `pos`, within `window` characters (and, for a
        person pronoun, whose known gender agrees with it), passing over those `skip(ent)` rejects."""
        i = bisect_right(self.starts, pos) - 1
        while i >= 0:
            ent = self.entities[i]
            if ent.end <= pos and ent.label in labels:
                if pos - ent.end > window:
                    return None
                agrees = pronoun is None or ent.label != "PERSON" or self.agrees(
                    self.canonical(ent.text, ent.label), pronoun)
                if agrees and not (skip and skip(ent)):
                    return ent
            i -= 1
        return None


def _one_sense(ents: list[Entity]) -> list[Entity]:
    """A one-word name NER tagged as a person once is that person wherever else it tagged the same word as a place
    or a body: one name, one referent within an article. The small NER model labels a name it does not know (a
    fictional character, a rare surname) differently from sentence to sentence ("Hadvar" as GPE, ORG and PERSON
    in one story), and a "he" after a mislabelled mention would otherwise skip that person for an earlier one.
    Longer names are left alone ("Indigenous Peoples" is sometimes tagged PERSON), and so is a word the gazetteer
    knows as a state or organisation ("Jordan", "Washington")."""
    people = {e.text for e in ents if e.label == "PERSON" and " " not in e.text and gazetteer.lookup(e.text) is None}
    return [Entity(e.start, e.end, "PERSON", e.text) if e.label in ("ORG", "GPE", "NORP") and e.text in people else e
            for e in ents]


_PLURAL_PRONOUNS = frozenset("they them their".split())
_SINGULAR_PRONOUNS = frozenset("it its".split())


def _group_antecedent(text: str, start: int, index: EntityIndex, pronoun: str) -> Entity | None:
    """The nearest body a group pronoun can stand for: "they" a body or a people ("the Swedes", an organisation),
    never a state ("Madagascar … They say" are its people, not the state) nor a people's adjective before a noun
    ("Swedish prosecutors"); "it" a body or a state; "we" any of them. Within 1,500 characters."""
    labels = ("ORG", "NORP") if pronoun in _PLURAL_PRONOUNS else ("ORG", "GPE") if pronoun in _SINGULAR_PRONOUNS \
        else _GROUPISH
    return index.before(start, labels, skip=lambda ent: ent.label == "NORP" and _modifier(
        text, ent, min(len(text), ent.end + 40)))


_TITLE_ABBREVIATIONS = {"IG": "inspector general", "AG": "attorney general", "DA": "district attorney",
                        "SECDEF": "secretary of defense"}


def _titled_person(text: str, start: int, index: EntityIndex, title: str) -> str | None:
    """The last person before `start` whose name follows `title` ("Inspector General Michael Horowitz",
    "Attorney General Jeff Sessions"), as a canonical name, or None."""
    for ent in reversed([e for e in index.entities if e.end <= start and e.label == "PERSON"]):
        if " ".join(text[max(0, ent.start - 40) : ent.start].lower().split()).endswith(title):
            return index.canonical(ent.text, ent.label)
    return None


def _comma_piece(text: str, ent: Entity, start: int, end: int) -> str | None:
    """The comma-separated piece of an entity's text that overlaps text[start:end], trimmed, or None."""
    pos = ent.start
    for piece in text[ent.start : ent.end].split(","):
        a, b = pos, pos + len(piece)
        pos = b + 1
        if a < end and start < b:
            return _POSSESSIVE.sub("", piece.strip()) or None
    return None


def _owner_before(text: str, start: int, index: EntityIndex) -> Entity | None:
    """The person or body named right before `start`, as a compound or a possessive ("Trump tweet", "Trump's
    statement"), or None."""
    ent = index.before(start, _PERSONISH + ("ORG", "GPE"), window=4)
    if ent is not None and text[ent.end : start].strip().lower() in ("", "'s", "’s", "s"):
        return ent
    # NER missed it ("Trump tweet sent on …" at a line's start): a surname of a person named elsewhere in full
    word = re.search(r"([A-Z][\w’'-]+?)(?:[’']s)?\s+$", text[max(0, start - 40) : start])
    full = index.full_names.get(word.group(1).lower()) if word else None
    return Entity(start - len(word.group(0)), start, "PERSON", full) if full else None


def _modifier(text: str, ent: Entity, head_end: int) -> bool:
    """A nationality or group word used as an adjective before a common noun ("One café owner", "an American
    diplomat"), or a body before a word for someone who works there ("a Pentagon aide", "an ex-Secret Service
    agent"): the speaker is the noun's referent, not the group the word names."""
    rest = text[ent.end : head_end].split()
    if ent.label == "NORP":
        return bool(rest) and rest[0][:1].islower()
    # "one ex-House aide", "an ex-Secret Service agent": a body naming where a person works; the person speaks
    return (ent.label in ("ORG", "GPE") and bool(rest) and rest[-1][:1].islower() and len(rest) <= 2
            and rest[-1].lower().rstrip(",") in _WORKER_NOUNS)


def resolve(text: str, start: int, end: int, index: EntityIndex, *, recent_person: str | None = None) -> Resolution:
    """Resolve the mention text[start:end] (see the module docstring)."""
    mention = text[start:end].strip()
    if not mention or lexicon.is_reference(mention):
        return Resolution(None, None)  # nothing, or "Page A8, Jan. 13": a letter page cites where, not who
    # "The mayor, who spoke to the board" / "the city engineer, John Smith": the head is before the first comma;
    # an apposition after it may name the speaker, a relative clause may not.
    comma = text.find(",", start, end)
    head_end = comma if comma > start else end
    tail = text[head_end + 1 : end].strip().lower() if head_end < end else ""
    inside = [e for e in index.inside(start, head_end) if e.label in _PERSONISH + _GROUPISH
              and not _modifier(text, e, head_end)]
    first = text[start:head_end].split(maxsplit=1)
    owner = first[0].lower() if len(first) == 2 else ""
    named_things = index.inside(start, head_end)
    if owner in ("his", "her") and named_things and not any(e.label == "PERSON" for e in named_things):
        # "his Chrism Mass said", "her Foundation's statement": a named thing of a person stands for that person
        person = recent_person
        if person is None:  # the nearest person; else a body NER took for one ("Bishop Davies" as an ORG)
            ent = index.before(start, _PERSONISH, pronoun=owner) or index.before(start, ("ORG",), window=300)
            person = index.canonical(ent.text, ent.label) if ent else None
        return Resolution(person, "description" if person else None)
    apposition = tail and not tail.startswith(("who", "which", "that", "whose", "whom"))
    head_words = text[start:head_end].lower().split()
    if apposition and inside and not any(e.label == "PERSON" for e in inside) and head_words and (
            head_words[0] in ("a", "an", "the") and len(head_words) > 1 and head_words[1] in PERSON_NOUNS):
        # "A lawyer for Cascade Ridge, Martin Okonjo": the role belongs to the person the apposition names
        person = [e for e in index.inside(head_end, end) if e.label == "PERSON"]
        if person:
            inside = person
    region = next((e for e in index.inside(head_end, end) if e.label == "GPE"), None)
    city_region = region is not None and not text[head_end + 1 : region.start].strip()  # "Redmond, Washington,"
    if inside and (city_region or all(e.label == "GPE" for e in inside)) and head_end < end:
        # "Redmond, Washington, Chief Executive Satya Nadella": a dateline or a place before the name; a place is
        # never a speaker when the mention goes on to name a person or a body
        later = [e for e in index.inside(head_end, end) if e.label in ("PERSON", "ORG")]
        if later:
            inside = later
    if not inside and apposition:
        inside = [e for e in index.inside(head_end, end) if e.label == "PERSON"]
    role = _ROLE_OF.match(text, start, head_end)
    if (role and role.group(1).lower() in _WORKER_NOUNS and inside and not any(e.label == "PERSON" for e in inside)
            and all(e.start >= role.end(1) for e in inside)):
        # "the former apostolic nuncio to the United States", "a spokesman for the ministry": the person in that
        # role speaks, not the place or body the role is for
        return Resolution(_POSSESSIVE.sub("", text[start:head_end].strip()), "description")
    if len(inside) == 1 and inside[0].text.upper() in _TITLE_ABBREVIATIONS and inside[0].label != "PERSON":
        # "the IG said", "the AG said in a statement": the person the text introduced with that title
        person = _titled_person(text, start, index, _TITLE_ABBREVIATIONS[inside[0].text.upper()])
        if person is not None:
            return Resolution(person, "description")
    if inside:
        best = max(inside, key=lambda e: (e.label == "PERSON", e.end - e.start))
        ordered = sorted(inside, key=lambda e: e.start)
        coordinated = any(re.search(r"\s(?:and|&)\s", text[x.end : y.start]) for x, y in zip(ordered, ordered[1:]))
        if coordinated and (ordered[0].label == "PERSON" or best.label != "PERSON"):
            # "according to WHO and Congo's government", "Smith and Jones said": the first named stands for all
            # (the sources stage lists each), not the longest name
            best = ordered[0]
        if "," in text[best.start : best.end] and not (start <= best.start and best.end <= head_end):
            # NER joined two names across a comma ("Above the video on Facebook, Zakkout praised …" as one ORG):
            # the mention names the piece it covers
            piece = _comma_piece(text, best, start, head_end)
            if piece:
                label = "PERSON" if piece.split()[-1].lower() in index.full_names else best.label
                return Resolution(index.canonical(piece, label), "name")
        return Resolution(index.canonical(best.text, best.label), "name")
    if head_end < end:
        mention = text[start:head_end].strip()
    surname = _POSSESSIVE.sub("", mention)
    if surname[:1].isupper() and " " not in surname and len(surname) > 1:
        full = index.full_names.get(surname.lower())  # "Fa said" where NER missed "Fa": "John Fa" named before
        if full and full != surname and any(e.text == full and e.end <= start for e in index.entities):
            return Resolution(full, "name")
    words = mention.lower().replace("’", "'").split()
    head = words[-1] if words else ""
    if len(words) == 1 and head in lexicon.STATEMENT_NOUNS:
        # "Trump tweet sent on Wednesday: “…”", "the Kremlin statement said": a statement stands for whoever made it,
        # the name right before it
        owner = _owner_before(text, start, index)
        if owner is not None:
            return Resolution(index.canonical(owner.text, owner.label), "description")
    if len(words) == 1 and head in PERSON_PRONOUNS:
        if recent_person and index.agrees(recent_person, head):  # the person quoted just before, in news prose
            return Resolution(recent_person, "pronoun")
        ent = index.before(start, _PERSONISH, pronoun=head)
        return Resolution(index.canonical(ent.text, ent.label) if ent else mention, "pronoun")
    if len(words) == 1 and head in GROUP_PRONOUNS:
        ent = _group_antecedent(text, start, index, head)
        return Resolution(index.canonical(ent.text, ent.label) if ent else mention, "pronoun")
    if len(words) == 1 and head in SELF_PRONOUNS:
        return Resolution(recent_person or mention, "pronoun")
    if ANONYMOUS.match(mention):
        return Resolution(mention, "description")
    if words and words[0] in ("his", "her") and head in ORG_NOUNS:
        # "his office", "her campaign": speaks for the person named before
        if recent_person:
            return Resolution(recent_person, "description")
        ent = index.before(start, _PERSONISH)
        return Resolution(index.canonical(ent.text, ent.label) if ent else mention, "description")
    if head in ORG_NOUNS:
        if head in ("administration", "government"):
            # "the government" is a state's; "the federal government" or "the Oregon government" says whose itself
            ent = None if len(words) > 2 or words[0] not in ("the", "its", "their") else index.before(start, ("GPE",))
        else:
            ent = index.before(start, ("ORG",))
        return Resolution(index.canonical(ent.text, ent.label) if ent else mention, "description")
    if head in PERSON_NOUNS:
        # "the senator" → an earlier person introduced with that title ("Senator Ted Cruz", "senator Ted Cruz")
        for ent in reversed([e for e in index.entities if e.end <= start and e.label == "PERSON"][-20:]):
            if head in text[max(0, ent.start - 40) : ent.start].lower().split()[-3:]:
                return Resolution(index.canonical(ent.text, ent.label), "description")
        return Resolution(mention, "description")
    return Resolution(mention, "description")
