"""Who and what a text names, grouped into one cluster per referent: people, states, organisations, groups, outlets.

Both the sources and the actors stage need the same answer to "is 'Quill' the same as 'Governor Mara Quill'?" and
"is 'the Kremlin' Russia?", so it is worked out once per text (cached, like the parse it reads):
- spaCy's NER (PERSON, ORG, GPE, NORP) gives candidate mentions; the gazetteer (outlets, states, organisations)
  overrides it where they overlap, and a longer entity ("Latin America", "Voice of America") blocks a shorter alias;
- titles and possessives are stripped ("State Representative Dale Okafor's" → "Dale Okafor");
- a surname joins the one full name that ends with it; "Organisation for X (OX)" teaches the acronym;
- a capital ("Washington", "Moscow") stands for its state only when the text names that state another way too;
- demonyms: "Russian troops" is Russia, "Russians" is the group Russians; a few group nouns ("jihadists") too.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from unspun import gazetteer, lexicon
from unspun.ingest.text import heading_line
from unspun.runtime import nlp, offsets

PRONOUNS = frozenset(
    "i me my mine we us our ours you your yours he him his she her hers it its they them their theirs "
    "this that these those who whom whose which one someone somebody anyone".split()
)
# Leading words dropped from a person's name: honorifics, offices, ranks.
TITLES = frozenset(
    "mr mrs ms miss dr prof professor president vice prime minister gov governor sen senator rep representative "
    "state secretary general gen col lt sgt capt captain judge justice chancellor king queen prince princess sheikh "
    "ayatollah pope rev reverend sir dame lord lady mayor premier chairman chairwoman chair ceo director ambassador "
    "commissioner spokesman spokeswoman spokesperson deputy foreign defence defense senior former late attorney "
    "speaker leader commander admiral marshal colonel major sergeant lieutenant officer dean bishop cardinal rabbi "
    "imam sheik emir tsar czar dictator comrade congressman congresswoman councillor councilman councilwoman "
    "mp mep minister-president first lady acting interim us u.s. russian chinese ukrainian british french german".split()
)
# Group nouns that NER does not tag but articles treat as actors ("US-backed jihadists").
GROUP_NOUNS = {
    "jihadists": "Jihadists", "jihadist": "Jihadists", "islamists": "Islamists", "militants": "Militants",
    "rebels": "Rebels", "insurgents": "Insurgents", "separatists": "Separatists", "extremists": "Extremists",
    "terrorists": "Terrorists", "nazis": "Nazis", "neo-nazis": "Neo-Nazis", "fascists": "Fascists",
    "globalists": "Globalists", "oligarchs": "Oligarchs", "mercenaries": "Mercenaries",
    "millennials": "Millennials", "boomers": "Boomers", "illegals": "Illegal immigrants", "aliens": "Aliens",
    "immigrants": "Immigrants", "migrants": "Migrants",
}
# Where people post, not who they are: never an actor by themselves.
PLATFORM_NAMES = frozenset("twitter x facebook telegram instagram tiktok youtube reddit weibo linkedin".split())
_ENTITY_TYPES = {"PERSON": "person", "ORG": "organisation", "GPE": "state", "NORP": "group"}
_ADJECTIVAL = frozenset(("amod", "compound", "nmod", "npadvmod"))
_ACRONYM_AFTER = re.compile(r"\s*[(\[]\s*([A-Z][A-Za-z.&-]{1,9})\s*[)\]]")
_NON_WORD = re.compile(r"[^\w]+")


def clean(text: str, *, person: bool = False) -> str:
    """A name as written, without a leading article, a trailing possessive or, for people, leading titles."""
    name = text.strip().strip(",;:")
    name = re.sub(r"(?:['’]s|['’])$", "", name).strip()
    name = re.sub(r"^(?:the|The|THE)\s+", "", name)
    if person:
        words = name.split()
        while len(words) > 1 and words[0].lower().rstrip(".") in TITLES:
            words.pop(0)
        name = " ".join(words)
    return name


def key(text: str) -> str:
    """A comparison key: case-folded, dots dropped ("U.S." = "US"), punctuation as spaces, no leading "the"."""
    k = _NON_WORD.sub(" ", text.casefold().replace(".", "")).strip()
    return k[4:] if k.startswith("the ") else k


def is_pronoun(text: str) -> bool:
    return text.strip().casefold() in PRONOUNS


@dataclass(slots=True)
class Cluster:
    """One referent: its canonical name, type (person, state, organisation, group, outlet) and mentions."""

    name: str
    type: str
    mentions: list[tuple[int, int]] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    type: str
    name: str
    ckey: str  # cluster key
    metonym: bool = False


@dataclass(slots=True)
class Names:
    """All clusters of a text, with a lookup from a span or a free-text name to its cluster."""

    clusters: list[Cluster]
    _starts: list[int]
    _spans: list[tuple[int, int, int]]  # (start, end, cluster index), sorted
    _longest: int = 0

    def at(self, start: int, end: int) -> Cluster | None:
        """The cluster with a mention overlapping [start, end); the first one when several do."""
        # a mention starting before `start` can still overlap it: step back by the longest mention's length
        j = bisect_left(self._starts, start - self._longest)
        for s, e, c in self._spans[j:]:
            if s >= end:
                break
            if e > start:
                return self.clusters[c]
        return None

    def find(self, name: str | None) -> Cluster | None:
        """The cluster a free-text name (a quote's speaker) stands for, by key, gazetteer alias or surname."""
        if not name or is_pronoun(name):
            return None
        for candidate in (clean(name, person=True), clean(name)):
            k = key(candidate)
            hit = gazetteer.lookup(candidate)
            for c in self.clusters:
                if k in c.keys or (hit and hit[1] != "metonym" and key(hit[0].name) in c.keys):
                    return c
        surname = key(clean(name, person=True)).split()
        if surname:
            people = [c for c in self.clusters if c.type == "person" and key(c.name).split()[-1:] == surname[-1:]]
            if len(people) == 1:
                return people[0]
        return None


# Capitalised words that open a sentence and are never part of a name, which NER sometimes runs into the next one.
_LEAD_WORD = re.compile(
    r"(?:Which|What|Whose|Why|How|When|Where|Whom|Sorry|Oh|Hey|Thanks|Well|But|And|Or|If|Unlike|Meanwhile|Perhaps"
    r"|Maybe)\s+(?=[A-Z])")


def _core(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink an entity span to its name: no leading "the", no trailing possessive or punctuation."""
    m = re.match(r"(?:the|The|THE|a|an)\s+", text[start:end])  # "a Bureau of Land Management officer"
    if m and start + m.end() < end:
        start += m.end()
    m = _LEAD_WORD.match(text, start, end)
    if m and start + m.end() - m.start() < end:
        start += m.end() - m.start()  # "Which Clinton", "Sorry Hillary": a sentence's first word run into the name
    paren = text.find("(", start, end)
    if paren > start and ")" not in text[paren:end]:
        end = paren  # "World Health Organization (WHO": NER stopped inside the brackets; the name ends before them
    for _ in range(2):
        while end > start and text[end - 1] in " \t\r\n,;:'’\"":
            end -= 1
        if end > start and text[end - 1] == "." and "." not in text[max(start, end - 4) : end - 1]:
            end -= 1  # a sentence full stop, not the last dot of "U.S."
        for poss in ("'s", "’s"):
            if text.endswith(poss, start, end) and end - len(poss) > start:
                end -= len(poss)
    return start, end


def _adjectival(text: str, start: int, end: int) -> bool:
    found = offsets.head_token(text, start, end)
    if found is None:
        return False
    tok = found[1]
    return tok.dep_ in _ADJECTIVAL or tok.pos_ == "ADJ" or (tok.tag_ == "NNP" and tok.head.pos_ == "NOUN" and tok.head.i > tok.i)


def _candidates(text: str) -> list[tuple[int, int, int, object]]:
    """(start, end, priority, payload): gazetteer hits (priority 0) and NER entities (priority 1)."""
    out: list[tuple[int, int, int, object]] = [(m.start, m.end, 0, m) for m in gazetteer.find(text)]
    for start, end, label in nlp.entities(text):
        s, e = _core(text, start, end)
        if e > s and any(ch.isalpha() for ch in text[s:e]) and not lexicon.is_reference(text[s:e]):
            out.append((s, e, 1, label))
    return out


def _resolve_overlaps(cands: list[tuple[int, int, int, object]]) -> list[tuple[int, int, int, object]]:
    """Among overlapping candidates keep the longest (gazetteer first on ties), then the next that fits."""
    cands.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    kept: list[tuple[int, int, int, object]] = []
    group: list[tuple[int, int, int, object]] = []
    group_end = -1

    def flush() -> None:
        taken: list[tuple[int, int]] = []
        for c in sorted(group, key=lambda c: (-(c[1] - c[0]), c[2], c[0])):
            if all(c[1] <= s or c[0] >= e for s, e in taken):
                taken.append((c[0], c[1]))
                kept.append(c)

    for c in cands:
        if group and c[0] >= group_end:
            flush()
            group = []
        group_end = c[1] if not group else max(group_end, c[1])
        group.append(c)
    if group:
        flush()
    kept.sort(key=lambda c: c[0])
    return kept


def _mentions(text: str) -> list[_Mention]:
    out: list[_Mention] = []
    for start, end, _prio, payload in _resolve_overlaps(_candidates(text)):
        surface = text[start:end]
        if isinstance(payload, gazetteer.Match):
            entry, role = payload.entry, payload.role
            if role in ("adjective", "group"):
                if _adjectival(text, start, end):
                    out.append(_Mention(start, end, entry.kind, entry.name, "g:" + entry.name))
                else:
                    group = gazetteer.group_name(entry) or surface
                    out.append(_Mention(start, end, "group", group, "n:" + key(group)))
                continue
            kind = entry.kind
            out.append(_Mention(start, end, kind, entry.name, "g:" + entry.name, metonym=role == "metonym"))
            continue
        kind = _ENTITY_TYPES.get(payload)
        if kind is None or "\n" in surface:
            continue  # a date, a number, a place, a run across lines: it only blocks shorter aliases inside it
        if kind == "group" and _adjectival(text, start, end):
            continue  # "Islamist militants": the noun is the actor, not the adjective
        name = clean(surface, person=kind == "person")
        if not name or is_pronoun(name) or key(name) in TITLES or key(name) in PLATFORM_NAMES:
            continue  # "State" split off "State Representative", "Twitter" in "took to Twitter"
        if kind == "organisation" and gazetteer.looks_like_outlet(name):
            kind = "outlet"
        out.append(_Mention(start, end, kind, name, "n:" + key(name)))
    # group nouns that NER leaves untagged
    starts = [m.start for m in out]
    extra = []
    for offset, tok in nlp.tokens(text):
        canonical = GROUP_NOUNS.get(tok.lower_)
        if canonical and tok.pos_ in ("NOUN", "PROPN", "ADJ"):
            s = offsets.start_of(offset, tok)
            i = bisect_right(starts, s) - 1
            if i < 0 or out[i].end <= s:
                extra.append(_Mention(s, offsets.end_of(offset, tok), "group", canonical, "n:" + key(canonical)))
    out.extend(extra)
    out.sort(key=lambda m: m.start)
    return out


def _trim_heading_names(text: str, mentions: list[_Mention]) -> None:
    """ "Guard Jesus Campos Shot During …": in a Title Case heading NER runs a name into the next capitalised word;
    when the text names a person elsewhere with the first words of such a mention, the mention is cut back to them."""
    known = {tuple(m.name.split()) for m in mentions if m.type == "person" and len(m.name.split()) > 1
             and not heading_line(text, m.start)}
    for m in mentions:
        words = m.name.split()
        if m.type != "person" or len(words) < 3 or not heading_line(text, m.start):
            continue
        for k in range(len(words) - 1, 1, -1):
            if tuple(words[:k]) in known:
                cut = text.find(words[k - 1], m.start, m.end)
                if cut >= 0:
                    m.end, m.name, m.ckey = cut + len(words[k - 1]), " ".join(words[:k]), "n:" + key(" ".join(words[:k]))
                break


def _link_people(mentions: list[_Mention]) -> None:
    """Point surname-only and title variants at the full name they shorten (cluster keys are rewritten in place)."""
    full: dict[str, list[str]] = {}  # surname key -> full-name cluster keys, in text order
    first: dict[str, int] = {}  # cluster key -> first mention start
    for m in mentions:
        if m.type == "person" and len(m.name.split()) > 1:
            words = key(m.name).split()
            if not words:
                continue
            # "Vladimir Vladimirovich Putin" and "Vladimir Putin" are one person, and "Garcia Zarate" is the end of
            # "Jose Ines Garcia Zarate" (a name given once in full and later in part)
            same = [k for k in full.get(words[-1], []) if k.split(":", 1)[1].split()[:1] == words[:1]
                    or k.split(":", 1)[1].split()[-len(words):] == words]
            m.ckey = same[0] if same else m.ckey
            if m.ckey not in full.setdefault(words[-1], []):
                full[words[-1]].append(m.ckey)
            first.setdefault(m.ckey, m.start)
    for m in mentions:
        if len(m.name.split()) != 1 or m.type not in ("person", "organisation", "state"):
            continue
        if m.type != "person" and m.ckey.startswith("g:"):
            continue
        candidates = full.get(key(m.name), [])
        if len(candidates) == 1 or (candidates and m.type == "person"):
            # the most recent full name introduced before this mention, else the first one
            before = [c for c in candidates if first[c] < m.start]
            m.ckey = before[-1] if before else candidates[0]
            m.type = "person"


def _link_acronyms(text: str, mentions: list[_Mention]) -> None:
    aliases: dict[str, str] = {}
    for m in mentions:
        if m.type in ("organisation", "outlet") and len(m.name.split()) > 1:
            after = _ACRONYM_AFTER.match(text, m.end)
            if after:
                aliases[key(after.group(1))] = m.ckey
            initials = "".join(w[0] for w in m.name.split() if w[0].isupper())
            if len(initials) >= 2:
                aliases.setdefault(key(initials), m.ckey)
    for m in mentions:
        if m.type in ("organisation", "outlet") and m.name.isupper() and key(m.name) in aliases:
            m.ckey = aliases[key(m.name)]


# "Assata Shakur, born Joanne Chesimard", "Ellison, also known as Hakim Muhammad", "Jane Roe (née Doe)": the text
# says the two names are one person or body.
_ALIAS_BETWEEN = re.compile(
    r"\s*[,(]\s*(?:also known as|a\.?k\.?a\.?|born|formerly(?: known as)?|née|nee|then known as|known as"
    r"|whose real name is|real name|birth name|previously known as)\s+(?:as\s+)?$",
    re.IGNORECASE,
)


def _link_aliases(text: str, mentions: list[_Mention]) -> None:
    """Merge the cluster of a name introduced as another's alias into that name's cluster (keys rewritten)."""
    for a, b in zip(mentions, mentions[1:]):
        if a.type != b.type or a.ckey == b.ckey or b.start - a.end > 40:
            continue
        if _ALIAS_BETWEEN.match(text[a.end:b.start]):
            old = b.ckey
            for m in mentions:
                if m.ckey == old:
                    m.ckey = a.ckey


def _untagged_surnames(text: str, mentions: list[_Mention]) -> list[_Mention]:
    """Surnames NER missed ("later Okafor left"): a proper noun equal to the surname of exactly one full name."""
    owners: dict[str, set[str]] = {}
    for m in mentions:
        words = m.name.split()
        if m.type == "person" and len(words) > 1 and words[-1][:1].isupper():
            owners.setdefault(words[-1], set()).add(m.ckey)
    unique = {w: next(iter(k)) for w, k in owners.items() if len(k) == 1}
    if not unique:
        return mentions
    starts = [m.start for m in mentions]
    extra = []
    for offset, tok in nlp.tokens(text):
        ckey = unique.get(tok.text)
        if ckey is None or tok.pos_ != "PROPN":
            continue
        s = offsets.start_of(offset, tok)
        i = bisect_right(starts, s) - 1
        if i < 0 or mentions[i].end <= s:
            if i + 1 >= len(mentions) or mentions[i + 1].start >= s + len(tok.text):
                extra.append(_Mention(s, s + len(tok.text), "person", tok.text, ckey))
    return sorted(mentions + extra, key=lambda m: m.start)


@lru_cache(maxsize=4)
def names(text: str) -> Names:
    """Every named referent in `text`, one cluster each, in order of first mention (cached per text)."""
    mentions = _mentions(text)
    _trim_heading_names(text, mentions)
    _link_people(mentions)
    mentions = _untagged_surnames(text, mentions)
    _link_acronyms(text, mentions)
    _link_aliases(text, mentions)
    supported = {m.ckey for m in mentions if not m.metonym}
    clusters: dict[str, Cluster] = {}
    votes: dict[str, dict[str, int]] = {}
    for m in mentions:
        ckey, name, kind = m.ckey, m.name, m.type
        if m.metonym and ckey not in supported:
            # "Washington" with no other sign of the United States stays a place of its own
            name = clean(text[m.start:m.end])
            ckey, kind = "n:" + key(name), "state"
        c = clusters.get(ckey)
        if c is None:
            c = clusters[ckey] = Cluster(name=name, type=kind)
            votes[ckey] = {}
        elif kind == "person" and len(name.split()) > len(c.name.split()):
            c.name = name
        # NER may call one name a person here and an organisation there: the most frequent type wins
        votes[ckey][kind] = votes[ckey].get(kind, 0) + 1
        c.type = max(votes[ckey], key=lambda t: (votes[ckey][t], t == "person"))
        c.mentions.append((m.start, m.end))
        c.keys.add(key(name))
        c.keys.add(key(clean(text[m.start:m.end], person=kind == "person")))
    ordered = sorted(clusters.values(), key=lambda c: c.mentions[0][0])
    spans = sorted((s, e, i) for i, c in enumerate(ordered) for s, e in c.mentions)
    return Names(ordered, [s for s, _, _ in spans], spans, max((e - s for s, e, _ in spans), default=0))
