"""The actors stage: the people, states, organisations and groups an article talks about, how it labels them, and
whether it lets them speak.

Actors are the clusters of `unspun.stages.names` (spaCy NER plus the gazetteer and aliasing: "the US", "Washington",
"the Trump administration" → United States when the text names the US; a surname → the full name). Labels come from
two places, both read off the one cached parse:
- Name_Calling,Labeling and Loaded_Language technique spans that target the actor: the span covers a mention, or
  sits on it syntactically (a modifier of it, its appositive, the predicate of "X is a Y", "the regime in X",
  "X's regime", "its criminal Prime Minister" with "its" → the nearest earlier state or organisation);
- attributive phrases with the same shapes found by the parser ("US-backed Jihadists", "the corrupt regime in Kiev"),
  kept when they carry an evaluative word; these have `technique: null`.
`quoted` is true when some quote's speaker is the actor.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter
from functools import lru_cache

from unspun import lexicon
from unspun.document import Actor, ActorLabel, Document
from unspun.ingest.text import heading_line, line_around
from unspun.runtime import item_scores, nlp, offsets
from unspun.stages import names as names_mod

LABEL_TECHNIQUES = frozenset(("Name_Calling,Labeling", "Name_Calling-Labeling", "Loaded_Language"))  # ptc14 and semeval23 names
_TYPES = {"person": "person", "state": "state", "organisation": "organisation", "group": "group", "outlet": "organisation"}
# Adjectives that describe without judging; any other lower-case adjective on an actor counts as a label.
NEUTRAL_ADJECTIVES = frozenset(
    """former new current late senior top local national federal foreign domestic public official main other own same
    many several few various certain such large small big young old first last next previous recent early later
    military political economic international regional western eastern northern southern central prime chief deputy
    acting interim general joint major minor entire whole full united allied neighbouring neighboring respective
    leading key high higher highest low long short total possible potential likely future past present elected
    incoming outgoing sitting rival opposition ruling governing legal civil social regular special additional more
    most less much only different similar armed conservative liberal progressive democratic republican global
    powerful influential wealthy rich poor small-town rural urban annual daily weekly monthly nearby related
    respective individual personal private independent overseas russian american chinese following""".split()
)
# Nouns that frame their referent by themselves ("the regime in Kiev", "the Kiev junta").
LOADED_NOUNS = frozenset(
    """regime regimes junta dictator dictators dictatorship tyrant tyrants tyranny thug thugs puppet puppets butcher
    butchers warmonger warmongers terrorist terrorists criminal criminals gangster gangsters mafia cabal clique
    propagandist propagandists mob occupier occupiers invader invaders aggressor aggressors oppressor oppressors stooge
    stooges lackey lackeys cronies despot despots autocrat autocrats strongman henchmen traitor traitors liar liars
    crook crooks fraud fanatics zealots radicals extremists illegal illegals nut nutjob lunatic lunatics maniac
    maniacs scum loser losers coward cowards hypocrite hypocrites idiot idiots moron morons shill shills
    presstitutes felon felons killer killers murderer murderers rapist rapists spy spies thief thieves creature
    creatures patsy patsies pawn pawns dupe dupes""".split()
)
# Nouns for a person that an evaluative word can turn into a label ("the infamous security guard").
PERSON_HEADS = frozenset(
    """guard hero man woman officer agent official leader president senator journalist reporter activist attorney
    lawyer suspect defendant gunman shooter immigrant migrant politician candidate judge prosecutor
    congressman congresswoman minister spokesman spokeswoman""".split()
)
_DEFINITE = frozenset(("the", "this", "that"))
# Loaded nouns for a body or a system, not a person ("the regime"): never a description of someone named before.
_NOT_PEOPLE = frozenset("regime regimes junta dictatorship tyranny mafia cabal clique mob cronies henchmen".split())
_HYPHEN_PARTICIPLES = frozenset(
    "backed funded led sponsored controlled installed armed trained supported run linked affiliated aligned tied "
    "inspired allied".split())
# Verbs that pin a description on their object ("they call Assange a traitor", "branded him a liar").
_NAMING_VERBS = frozenset(
    "call calls called calling label labels labelled labeled brand brands branded dub dubs dubbed deem deems deemed "
    "consider considers considered".split())
# Verbs whose subject rules its object ("the authoritarian theocrats that rule Iran").
_RULING_VERBS = frozenset(
    "rule rules ruled run runs ran govern governs governed control controls controlled lead leads led dominate "
    "dominates dominated".split())
# Nouns for the people or the rulers of a state ("the repressive leaders of X", "the secular people of X").
_MEMBERS_OF = lexicon.OWNER_ROLE_NOUNS | frozenset("people peoples citizens population rulers theocrats".split())
_COPULAS = frozenset("is are was were be been being remains remain remained seems seem seemed 's 're became become becomes".split())
_GOVERNMENT_PREPS = frozenset(("in", "of"))
_POSSESSIVE = {"its": ("state", "organisation", "outlet", "group"), "their": ("state", "organisation", "outlet", "group"),
               "his": ("person",), "her": ("person",), "him": ("person",),
               "them": ("state", "organisation", "outlet", "group")}
# Verbs that turn their object into what follows ("would render him an unofficial protector of …").
_MAKING_VERBS = frozenset("make makes made making render renders rendered rendering".split())


def _evaluative(tok) -> bool:
    """An adjective or "X-backed" participle that judges rather than describes."""
    if tok.dep_ != "amod" and tok.dep_ != "acomp":
        return False
    if tok.pos_ == "ADJ":
        lower = tok.text[:1].islower() or tok.is_sent_start  # "Leftwing journalist X" opens its sentence
        return lower and tok.lower_ not in NEUTRAL_ADJECTIVES and not tok.ent_type_ and not tok.like_num
    if tok.pos_ == "VERB" and tok.lower_ in _HYPHEN_PARTICIPLES:
        return any(t.text == "-" for t in tok.subtree)
    return False


class _Labeller:
    def __init__(self, doc: Document, names: names_mod.Names) -> None:
        self.doc = doc
        self.text = doc.text
        self.names = names
        self.spans = sorted((s, e, c) for c, cl in enumerate(names.clusters) for s, e in cl.mentions)
        self.starts = [s for s, _, _ in self.spans]
        self.index = {id(c): i for i, c in enumerate(names.clusters)}
        self.skip: set[int] = set()  # clusters that are no actors: never the referent of a pronoun or description

    def cluster_of(self, offset: int, tok) -> int | None:
        c = self.names.at(offsets.start_of(offset, tok), offsets.end_of(offset, tok))
        return None if c is None else self.index[id(c)]

    def referent(self, offset: int, pronoun) -> int | None:
        """The nearest earlier mention compatible with a possessive pronoun ("its" → a state or organisation)."""
        wanted = _POSSESSIVE.get(pronoun.lower_)
        if not wanted:
            return None
        at = offsets.start_of(offset, pronoun)
        i = bisect_left(self.starts, at) - 1
        while i >= 0 and at - self.spans[i][0] < 1000:
            c = self.spans[i][2]
            if self.names.clusters[c].type in wanted and c not in self.skip:
                return c
            i -= 1
        return None

    def owner(self, offset: int, noun) -> int | None:
        """Whose is this noun phrase: "X's regime", "the X regime", "the regime in X", "its regime"."""
        for child in noun.children:
            if child.dep_ == "poss":
                found = self.cluster_of(offset, child)
                if found is None and child.pos_ == "PRON":
                    found = self.referent(offset, child)
                if found is not None:
                    return found
            if child.dep_ == "compound":
                found = self.cluster_of(offset, child)
                if found is not None:
                    return found
            if child.dep_ == "appos":
                found = self.cluster_of(offset, child)
                if found is not None:
                    return found
        if noun.lower_ in LOADED_NOUNS:
            for child in noun.children:
                if child.dep_ == "prep" and child.lower_ in _GOVERNMENT_PREPS:
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            found = self.cluster_of(offset, pobj)
                            if found is not None:
                                return found
        return None

    def target(self, start: int, end: int) -> int | None:
        """The actor a technique span is about, by the shapes in the module docstring, else by overlap."""
        parsed = offsets.tokens_in(self.text, start, end)
        if parsed is None:
            return None
        offset, span = parsed
        tok = span.root
        for _ in range(4):
            found = self.cluster_of(offset, tok)
            if found is not None:
                return found
            if tok.pos_ in ("NOUN", "PROPN"):
                found = self.owner(offset, tok)
                if found is not None:
                    return found
            if tok.dep_ in ("attr", "acomp") and tok.head.lower_ in _COPULAS:
                subject = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
                if subject is None:
                    return None
                found = self.cluster_of(offset, subject)
                return found if found is not None else self.owner(offset, subject)
            if tok.dep_ in ("amod", "compound", "nmod", "appos", "advmod", "npadvmod", "conj") and tok.head.i != tok.i:
                tok = tok.head
                continue
            if tok.dep_ == "pobj" and tok.head.lower_ == "as" and tok.head.dep_ == "prep":
                # "Huma Abedin serving as the right-hand woman of X", "X, known as the butcher": the one who serves
                verb = tok.head.head
                who = verb.head if verb.dep_ in ("acl", "relcl") else next(
                    (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if who is not None:
                    found = self.cluster_of(offset, who)
                    if found is not None:
                        return found
            break
        # a mention inside the span ("the Kremlin's lies")
        i = bisect_left(self.starts, start)
        if i < len(self.spans) and self.spans[i][1] <= end:
            return self.spans[i][2]
        return None

    def attributive(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """(label start, label end, actor) for the attributive phrases around one mention."""
        found_head = offsets.head_token(self.text, start, end)
        if found_head is None:
            return []
        offset, head = found_head
        actor = self.cluster_of(offset, head)
        if actor is None:
            return []
        out: list[tuple[int, int, int]] = []

        def phrase(noun, *, through=None) -> tuple[int, int] | None:
            """From the first evaluative or loaded word before `noun` to `noun` (or to `through`)."""
            mods = [c for c in noun.lefts if _evaluative(c)]
            loaded = noun.lower_ in LOADED_NOUNS
            if not mods and not loaded:
                return None
            first = min((t for m in mods for t in m.subtree), key=lambda t: t.i, default=noun)
            if not mods:
                first = min((c for c in noun.lefts if c.dep_ in ("compound", "amod")), key=lambda t: t.i, default=noun)
            last = through if through is not None and through.i > noun.i else noun
            return offsets.start_of(offset, first), offsets.end_of(offset, last)

        # "US-backed Jihadists", "the corrupt Kremlin", "Leftwing journalist X" (on the role noun before a name)
        mods = [c for c in head.lefts if _evaluative(c)]
        mods += [m for c in head.lefts if c.dep_ == "compound" and c.pos_ == "NOUN" for m in c.lefts if _evaluative(m)]
        if mods:
            out.append((*_judging_span(offset, head, mods), actor))
        parent = head.head
        # "the corrupt regime in Kiev", "the repressive leaders of X"
        if head.dep_ == "pobj" and parent.lower_ in _GOVERNMENT_PREPS and (
                parent.head.lower_ in LOADED_NOUNS or (parent.lower_ == "of" and parent.head.lower_ in _MEMBERS_OF)):
            noun = parent.head
            span = phrase(noun, through=head)
            if span:
                out.append((*span, actor))
        # "the Kiev regime", "Russia's criminal regime", "Assad, the butcher"; but "Iran's illicit missile programme"
        # judges the programme, not Iran: the owned noun must be a body or people standing for the owner
        if (head.dep_ in ("compound", "poss") and parent.pos_ in ("NOUN", "PROPN") and parent.i != head.i
                and (parent.lower_ in LOADED_NOUNS or parent.lower_ in lexicon.OWNER_ROLE_NOUNS)):
            span = phrase(parent)
            if span:
                out.append((min(span[0], start), span[1], actor))
        if head.dep_ == "appos" or any(c.dep_ == "appos" for c in head.children):
            nouns = [parent] if head.dep_ == "appos" else [c for c in head.children if c.dep_ == "appos"]
            for noun in nouns:
                if self.cluster_of(offset, noun) is None:
                    span = phrase(noun)
                    if span:
                        out.append((*span, actor))
        out.extend(self.examples_of(offset, head, actor, phrase))
        # "they call X a traitor"
        if head.dep_ == "dobj" and parent.lower_ in _NAMING_VERBS:
            for pred in parent.children:
                if pred.dep_ in ("oprd", "attr", "xcomp") and pred.pos_ == "NOUN" and pred.i > head.i:
                    span = phrase(pred)
                    if span:
                        out.append((*span, actor))
        # "the authoritarian theocrats that rule X"
        if head.dep_ == "dobj" and parent.lower_ in _RULING_VERBS and parent.dep_ == "relcl":
            span = phrase(parent.head, through=head)
            if span:
                out.append((*span, actor))
        # "Putin is a ruthless dictator", "the regime is corrupt"
        if head.dep_ == "nsubj" and parent.lower_ in _COPULAS:
            for pred in parent.children:
                if pred.dep_ == "attr" and pred.pos_ in ("NOUN", "PROPN") and self.cluster_of(offset, pred) is None:
                    span = phrase(pred)
                    if span:
                        out.append((*span, actor))
                elif pred.dep_ == "acomp" and _evaluative(pred):
                    out.append((offsets.start_of(offset, pred), offsets.end_of(offset, pred), actor))
        return out

    def examples_of(self, offset: int, head, actor: int, phrase) -> list[tuple[int, int, int]]:
        """ "creatures like X", "Brotherhood front groups such as X and Y": the class a name is given as an example of
        labels it when the class judges (an evaluative or loaded word) or ties it to another actor."""
        root = head
        while root.dep_ == "conj" and root.head.i != root.i:
            root = root.head
        prep = root.head
        if root.dep_ == "nsubj" and prep.dep_ == "pcomp":  # "individuals like X serving as …"
            root, prep = prep, prep.head
        if root.dep_ not in ("pobj", "pcomp") or not (prep.lower_ == "like" or (prep.lower_ == "as" and any(
                c.lower_ == "such" for c in prep.children))):
            return []
        noun = prep.head
        if noun.pos_ != "NOUN" or noun.i > root.i:
            return []
        span = phrase(noun)
        ties = [c for c in noun.lefts if c.dep_ in ("compound", "nmod", "amod")
                and self.cluster_of(offset, c) not in (None, actor)]
        if span is None and ties:
            first = min((t for c in ties for t in c.subtree), key=lambda t: t.i)
            span = offsets.start_of(offset, first), offsets.end_of(offset, noun)
        return [(*span, actor)] if span else []

    def person_called(self, start: int, end: int) -> int | None:
        """The person a labelling span that ends in a loaded noun for a person refers back to ("they needed a
        patsy"), as for a description; None for any other span."""
        words = _LETTERS.findall(self.text[start:end].lower())
        if not words or words[-1] not in LOADED_NOUNS or words[-1] in _NOT_PEOPLE:
            return None
        return self.described_person(start, words[-1])

    def described_person(self, at: int, noun: str, window: int = 1500) -> int | None:
        """Who a description before `at` refers back to: among the people mentioned in the `window` characters before
        it, the one the text has called by that noun ("security guard Jesus Campos" → "the infamous security
        guard"), else the one mentioned most often in the whole article (the story's protagonist)."""
        i = bisect_left(self.starts, at) - 1
        seen: set[int] = set()
        while i >= 0 and at - self.spans[i][0] < window:
            c = self.spans[i][2]
            if self.names.clusters[c].type == "person" and c not in self.skip:
                seen.add(c)
            i -= 1
        if not seen:
            return None
        text = self.text

        def rank(c: int) -> tuple[int, int]:  # only the 40 characters around each mention are lowered
            mentions = self.names.clusters[c].mentions
            called = any(noun in text[max(0, s - 40):s].lower() or noun in text[e:e + 40].lower() for s, e in mentions)
            return int(called), len(mentions)

        scores = {c: rank(c) for c in seen}
        best = max(seen, key=scores.__getitem__)
        ranked = sorted(scores.values(), reverse=True)
        if len(ranked) > 1 and ranked[0] == ranked[1]:
            return None  # two people fit as well: no label beats a label on the wrong one
        return best

    def descriptions(self) -> list[tuple[int, int, int]]:
        """ "the criminal illegal", "this alleged hero", "The infamous security guard": a definite singular description
        that judges (a loaded noun for a person, or an evaluative word on a noun for a person) and names no one
        refers back to a person named before it (see `described_person`); its judging words label that person."""
        out = []
        for offset, tok in nlp.tokens(self.text):
            if tok.pos_ != "NOUN" or tok.tag_ != "NN":
                continue
            # "the Mexican national and career criminal": a second noun shares the first one's article
            phrase_head = tok.head if tok.dep_ == "conj" and tok.head.pos_ == "NOUN" else tok
            if phrase_head.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj", "attr", "poss", "appos", "ROOT"):
                continue
            det = next((c for c in phrase_head.lefts if c.dep_ == "det"), None)
            if det is None or det.lower_ not in _DEFINITE:
                continue
            mods = [c for c in tok.lefts if _evaluative(c)]
            if not ((tok.lower_ in LOADED_NOUNS and tok.lower_ not in _NOT_PEOPLE)
                    or (mods and tok.lower_ in PERSON_HEADS)):
                continue
            if self._names_someone(offset, phrase_head):
                continue  # "the fascist president of the Philippines" names its actor
            actor = self.described_person(offsets.start_of(offset, det), tok.lower_)
            if actor is None:
                continue
            out.append((*_judging_span(offset, tok, mods), actor))
        return out

    def _names_someone(self, offset: int, noun) -> bool:
        """Whether a noun phrase names an actor itself: in its words up to the noun or in an "of" phrase ("the
        president of X"); a place after "at" or "in" ("the guard at the X Hotel") says where, not who."""
        toks = [t for t in noun.subtree if t.i <= noun.i and not (t.dep_ == "amod" and t.head.i == noun.i)]
        toks += [t for c in noun.children if c.dep_ in ("prep", "conj") and (c.dep_ == "conj" or c.lower_ == "of")
                 for t in c.subtree if not (t.dep_ == "amod" and t.head.i == c.i)]
        for t in toks:  # a demonym on the noun ("the Mexican national") says where from, not who
            start, end = offsets.start_of(offset, t), offsets.end_of(offset, t)
            if any(s < end and start < e for s, e, _ in self.spans[max(0, bisect_left(self.starts, start) - 1):
                                                                     bisect_left(self.starts, end)]):
                return True
        return False

    def named_pronouns(self) -> list[tuple[int, int, int]]:
        """ "they call him a traitor", "would render him an unofficial protector": a judging noun pinned on an object
        pronoun labels the pronoun's referent (the nearest earlier fitting actor, as for "its")."""
        out = []
        for offset, tok in nlp.tokens(self.text):
            if tok.lower_ not in ("him", "her", "them"):
                continue
            if tok.dep_ == "nsubj" and tok.head.pos_ == "NOUN" and tok.head.dep_ in ("ccomp", "xcomp", "oprd"):
                pred, verb = tok.head, tok.head.head  # "make her a reckless gambler" parsed as a small clause
            elif tok.dep_ in ("dobj", "dative"):
                verb = tok.head
                pred = next((c for c in verb.children if c.i > tok.i and c.pos_ == "NOUN"
                             and c.dep_ in ("oprd", "attr", "xcomp", "dobj")), None)
            else:
                continue
            if not (verb.lower_ in _NAMING_VERBS or verb.lower_ in _MAKING_VERBS):
                continue
            label = self._pronoun_label(offset, tok, pred) if pred is not None else None
            if label is not None:
                out.append(label)
        return out

    def _pronoun_label(self, offset: int, pronoun, noun) -> tuple[int, int, int] | None:
        """(start, end, actor): the judging words on `noun` ("reckless gambler", "criminal Prime Minister") as a
        label of the pronoun's referent, when the noun is loaded or carries an evaluative word."""
        mods = [c for c in noun.lefts if _evaluative(c)]
        if not mods and noun.lower_ not in LOADED_NOUNS:
            return None
        actor = self.referent(offset, pronoun)
        return None if actor is None else (*_judging_span(offset, noun, mods), actor)

    def possessive_phrases(self) -> list[tuple[int, int, int]]:
        """ "its criminal Prime Minister": an evaluative phrase owned by a pronoun, labelling the pronoun's referent."""
        out = []
        for offset, tok in nlp.tokens(self.text):
            if tok.dep_ != "poss" or tok.lower_ not in _POSSESSIVE:
                continue
            noun = tok.head
            if noun.lower_ not in LOADED_NOUNS and noun.lower_ not in lexicon.OWNER_ROLE_NOUNS and noun.pos_ != "PROPN":
                continue  # "its coastal routes" says nothing about the owner
            label = self._pronoun_label(offset, tok, noun)
            if label is not None:
                out.append(label)
        return out


def _judging_span(offset: int, noun, mods: list) -> tuple[int, int]:
    """From the first word of the judging modifiers on `noun` (or the noun itself) to the noun, in text offsets."""
    first = min((t for m in mods for t in m.subtree), key=lambda t: t.i, default=noun)
    return offsets.start_of(offset, first), offsets.end_of(offset, noun)


def _speaker_actors(doc: Document, names: names_mod.Names) -> set[int]:
    quoted: set[int] = set()
    for q in doc.quotes:
        cluster = None
        if q.speaker_start is not None and q.speaker_end is not None and q.speaker_start < q.speaker_end:
            if not names_mod.is_pronoun(doc.text[q.speaker_start:q.speaker_end]):
                cluster = names.at(q.speaker_start, q.speaker_end)
        cluster = cluster or names.find(q.speaker)
        if cluster is not None:
            quoted.add(id(cluster))
    return quoted


# Prepositions that make their object a place where something happens, not a participant ("a rally in Fremont").
_LOCATIVE = frozenset("in at near from across throughout into inside outside around to via".split())
_SUBJECT_DEPS = frozenset(("nsubj", "nsubjpass", "poss"))
# Nouns for a place: a name that only modifies or completes one is a place too ("the town of X", "the X area").
PLACE_NOUNS = frozenset(
    """town towns city cities village villages province provinces region regions area areas district districts
    county counties country countries capital suburb suburbs neighbourhood neighborhood island islands valley
    municipality""".split()
)


def _place_role(tok, depth: int = 0) -> bool:
    """Whether a mention says where: the object of a locative preposition ("in X"), the name of a place noun ("the
    town of X", "the X area") so placed, a list item or "X, Kansas" sharing its first item's role, or a dateline's
    state ("KANSAS CITY, Mo.")."""
    while tok.dep_ in ("conj", "appos", "nmod") and tok.head.i != tok.i:
        if tok.dep_ == "appos" and tok.head.text.isupper() and len(tok.head.text) > 1:
            return True
        tok = tok.head
    if tok.dep_ == "pobj":
        prep = tok.head
        return prep.lower_ in _LOCATIVE or (prep.lower_ == "of" and prep.head.lower_ in PLACE_NOUNS)
    if tok.dep_ in ("compound", "amod") and tok.head.lower_ in PLACE_NOUNS and depth < 2:
        return _place_role(tok.head, depth + 1)
    return False


def roles(text: str, mentions: list[tuple[int, int]]) -> tuple[bool, bool]:
    """(acts, place_only): whether some mention is a subject or possessor, and whether every mention is the object
    of a locative preposition. What an actor does or owns makes it a participant; a town named only as where
    something happened is scenery."""
    acts, place_only = False, bool(mentions)
    for s, e in mentions:
        found = offsets.head_token(text, s, e)
        if found is None:
            place_only = False
            continue
        tok = found[1]
        if tok.dep_ in _SUBJECT_DEPS or (tok.dep_ == "pobj" and tok.head.dep_ == "agent"):
            acts = True
        if not _place_role(tok) and tok.dep_ != "compound":
            place_only = False
    return acts, place_only


_LETTERS = re.compile(r"[^\W\d_]{2,}")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”]\s+|\n\s*)$")


def _implausible(text: str, name: str, mentions: list[tuple[int, int]]) -> bool:
    """A cluster NER made out of something that is no actor (known outlets and group nouns are never checked): a
    name with no word of two letters ("n’t", "W]e"), a capitalised common word ("Hate", "Challenge") seen only where
    every word is capitalised (a sentence's first word, a heading) or only once, while the text also uses it in
    lower case, or a name found only in headings ("Jesus Campos Shot" from a Title Case headline)."""
    words = _LETTERS.findall(name)
    if not words or any(c in name for c in "[]{}<>|=_"):
        return True
    if all(heading_line(text, s) for s, _ in mentions):
        return len(words) > 1 or len(mentions) == 1
    if len(words) == 1 and len(name.split()) == 1:
        low = name.lower()
        starts_only = all(_SENTENCE_START.search(text, max(0, s - 3), s) or heading_line(text, s) for s, _ in mentions)
        # a word capitalised once where the text also writes it in lower case ("the Pass" beside "a pass") is a
        # common word dressed up, as is one capitalised only where every word is
        once = len(mentions) == 1 and not name.isupper()
        if (starts_only or once) and low in _words_of(text):
            return True
    return False


@lru_cache(maxsize=4)
def _words_of(text: str) -> frozenset[str]:
    """The text's words as written (hyphenated ones whole), once per text."""
    return frozenset(re.findall(r"[\w-]+", text))


_LIST_DEPS = frozenset(("conj", "appos"))
_CLIMB_DEPS = frozenset(("pobj", "prep", "amod", "appos", "acl"))


def _list_items(tok) -> tuple[object, list]:
    """The root and the items of the coordinated names `tok` belongs to ("Yemen, Syria and Lebanon")."""
    root = tok
    while root.dep_ in _LIST_DEPS and root.head.i != root.i and root.head.pos_ == "PROPN":
        root = root.head
    items, stack = [], [root]
    while stack:
        t = stack.pop()
        items.append(t)
        stack.extend(c for c in t.children if c.dep_ in _LIST_DEPS and c.pos_ == "PROPN")
    return root, items


def listed_in_passing(text: str, mentions: list[tuple[int, int]]) -> bool:
    """Whether a name is given once, as one item of a list of three or more names that does not act (is not the
    subject of its clause, nor hangs from one: "senators like A, B and C, who opposed …" act; "countries including
    A, B and C" or "think about A, B and C" are examples, not participants)."""
    if len(mentions) != 1:
        return False
    found = offsets.head_token(text, *mentions[0])
    if found is None:
        return False
    root, items = _list_items(found[1])
    if len(items) < 3:
        return False
    t = root
    for _ in range(4):
        if t.dep_ in ("nsubj", "nsubjpass"):
            return False
        if t.dep_ not in _CLIMB_DEPS or t.head.i == t.i:
            break
        t = t.head
    return True


# Nouns for what carries news: an outlet named with one of them is credited, not acting ("a report by X").
_CITING_NOUNS = frozenset(
    """report reports article articles story stories photo photos picture pictures image images video videos
    interview interviews piece op-ed column editorial survey poll analysis investigation broadcast segment
    programme program podcast headline affiliate footage""".split()
)
_TELLING = frozenset("told tell tells telling said say says saying spoke speaking talking talked".split())
_PUBLISHING = frozenset("published reported quoted cited obtained appeared aired broadcast posted first".split())


def _citing(tok, *, outlet: bool = True) -> bool:
    """Whether a mention of an outlet only credits it: "according to X", "told X", "X reported", "a report by X",
    "published in X", "a X article". For a body that is no outlet (`outlet` False) only the publishing shapes
    count ("a paper published in X", "a report by X"): "according to the institute" may still make it an actor."""
    head = tok.head
    if tok.dep_ == "pobj":
        gov = head.head
        if outlet and head.lower_ == "to" and gov.lower_ in ("according", *_TELLING):
            return True
        return head.lower_ in ("in", "by") and (gov.lower_ in _CITING_NOUNS or gov.lower_ in _PUBLISHING)
    if not outlet:
        return False
    if tok.dep_ in ("dobj", "dative"):
        return head.lower_ in _TELLING or head.lower_ in _PUBLISHING
    if tok.dep_ in ("nsubj", "nsubjpass"):
        return head.lower_ in lexicon.REPORTING_FORMS or head.lower_ in _PUBLISHING
    if tok.dep_ in ("compound", "poss") and head.i != tok.i:
        return head.lower_ in _CITING_NOUNS or (tok.dep_ == "compound" and _citing(head))  # "told Fox news"
    return False


def _credit_line(text: str, start: int, end: int) -> bool:
    """A line that holds nothing but the outlet's name and credit words ("– Newsweek", "Source: Reuters"). Such a
    line is short: one running on more than HEADING_LOOK characters either side is none (`line_around`: a text
    without line breaks is not read whole for each outlet named in it)."""
    bounds = line_around(text, start, end)
    if bounds is None:
        return False
    a, b = bounds
    rest = (text[a:start] + " " + text[end:b]).lower()
    return all(w in _CREDIT_WORDS for w in _LETTERS.findall(rest))


_CREDIT_WORDS = frozenset(
    "source sources via credit photo image courtesy of by originally published in the from".split())


_DOMAIN = re.compile(r"\.(?:com|org|net|co\.uk|info|news)$", re.IGNORECASE)


def cited_only(text: str, name: str, kind: str, mentions: list[tuple[int, int]]) -> bool:
    """Whether every mention credits the body as where information came from: then it is a source (the sources
    stage lists it), not an actor the article is about. A web address ("Bloomberg.com") is an outlet too."""
    outlet = kind == "outlet" or bool(_DOMAIN.search(name))
    for s, e in mentions:
        found = offsets.head_token(text, s, e)
        if found is None or not (_citing(found[1], outlet=outlet) or (outlet and _credit_line(text, s, e))):
            return False
    return bool(mentions)


# Nouns for a made thing: a name they introduce or govern is a title ("games like Fortnite", "the app X").
WORK_NOUNS = frozenset(
    """game games film films movie movies book books novel novels album albums song songs app apps software
    encyclical encyclicals series show shows episode episodes ebook ebooks journal journals video-game videogame
    videogames console consoles device devices phone phones feature features update updates expansion""".split()
)
_TITLE_ENTITIES = frozenset(("PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE"))
_QUOTES_OPEN = "\"“‘'«"
_QUOTES_CLOSE = "\"”’'»"


def _quoted_term(text: str, start: int, end: int) -> bool:
    """A mention inside quotation marks of its own (“Mysterium Fidei,”, the “Countering Violent Extremism”): a title
    or a term, not a participant."""
    while start < end and text[start] in _QUOTES_OPEN:
        start += 1
    before = text[max(0, start - 1):start]
    after = text[end:end + 2].lstrip(",.;:")
    return bool(before) and before in _QUOTES_OPEN and after[:1] in _QUOTES_CLOSE


_RELEASING = frozenset("release releases released releasing publish publishes published launch launches launched "
                       "unveil unveils unveiled issue issues issued".split())
_MAKERS = frozenset("author authors co-author writer director producer composer creator developer".split())
_TOOL_VERBS = frozenset("use uses used using download downloads downloaded downloading install installs installed "
                        "installing play plays played playing".split())


def _work_context(tok) -> bool:
    """ "games like X", "the game X", "X, the app", "the X app", "apps using X", "playing X": the name is governed by
    a noun for a made thing, or is what someone uses or plays."""
    head = tok.head
    if tok.dep_ == "dobj" and head.lower_ in _TOOL_VERBS:
        return True
    if tok.dep_ == "pobj" and head.lower_ == "of" and head.head.lower_ in _MAKERS:
        return True  # "the author of X": a book
    if tok.dep_ == "dobj" and head.lower_ in _RELEASING and any(c.dep_ == "poss" for c in tok.children):
        return True  # "NOAA released its Winter Outlook": what a body releases as its own is a product
    if tok.dep_ == "pobj" and head.lower_ in ("like", "as", "including") and head.head.lower_ in WORK_NOUNS:
        return True
    if tok.dep_ in ("appos", "compound", "nmod") and head.lower_ in WORK_NOUNS:
        return True
    return any(c.dep_ in ("appos", "compound") and c.lower_ in WORK_NOUNS for c in tok.children)


_LOWER_PHRASE_BEFORE = re.compile(r"(?:^|\s)[a-z][\w-]*\s+[a-z][\w-]*\s*\($")


def common_term(text: str, name: str, mentions: list[tuple[int, int]]) -> bool:
    """Whether a name is no name at all: it has no capital letter ("patsy", "magician": a NER slip), or it is an
    acronym the text defines for a lower-case phrase ("Ebola virus disease (EVD)": a term, not a body)."""
    if not any(c.isupper() for c in name):
        return True
    return name.isupper() and any(_LOWER_PHRASE_BEFORE.search(text, max(0, s - 60), s) for s, _ in mentions)


_PRONOUN_WORDS = frozenset("our we you your my me their them his its".split())
_TRAILING_FUNCTION_WORDS = frozenset("and or of the for to with".split())
_CHAPTER_VERSE = re.compile(r"\s\d{1,3}:\d{1,3}(?:[-–]\d{1,3})?\b")
_CLOCK_BEFORE = re.compile(r"(?:\d[.:]?\d*\s*(?:a\.m\.|p\.m\.|am|pm)|\d{1,2}:\d{2})\s*$", re.IGNORECASE)
# Nouns an agent's name may modify and still act through ("the EBMUD plan", "FBI agents", "a Reuters report").
_AGENT_THINGS = (lexicon.STATEMENT_NOUNS | lexicon.DESCRIBED_PERSON_NOUNS | lexicon.ORG_NOUNS | lexicon.OWNER_ROLE_NOUNS
                 | frozenset("""plan plans proposal proposals policy policies decision decisions bill bills programme
                 program programs campaign campaigns investigation investigations report reports operation operations
                 agent agents officials staff members employees spokesperson chief head""".split()))


def no_name(text: str, name: str, mentions: list[tuple[int, int]]) -> bool:
    """Whether NER's "name" is a phrase, not a name: it holds a pronoun ("CLOSE OUR SOUTHERN BORDER", "Devouring
    Us", "the Sacrifice of His Body") or a possessive ("X’s Long Telegram"), the tagger reads every mention as a
    common noun ("Header Image:", "Death Row"), or every mention only modifies a noun for a thing ("the Challenge
    system", "Illusion spells": a kind of thing, not a participant)."""
    words = name.split()
    if not words:
        return True
    if any(w.lower() in _PRONOUN_WORDS or w in ("Us", "us") for w in words):
        return True
    if words[-1] in _TRAILING_FUNCTION_WORDS or re.match(r"(?:non|anti|pro|pre|post)-", name):
        return True  # "iPhone XS and", "non-Illusion": a run past the name, or a word built on one
    if re.search(r"\w['’]s\s+\w", name):
        return True  # "George Kennan’s Long Telegram": a thing someone owns, not the owner
    heads = [offsets.head_token(text, s, e) for s, e in mentions]
    toks = [h[1] for h in heads if h is not None]
    if not toks or len(toks) < len(heads):
        return False
    if all(t.tag_ in ("NN", "NNS") for t in toks):
        return True
    if all(t.dep_ == "acomp" or (t.dep_ == "conj" and (t.head.dep_ == "acomp" or any(
            c.dep_ == "acomp" for c in t.head.children))) for t in toks):
        return True  # "it is racist and Islamophobic": the parser joins it to the adjective (or to its verb)
    if all(t.dep_ in ("compound", "nmod") and t.head.pos_ in ("NOUN", "PROPN") and t.head.text.islower()
           and t.head.lower_ not in _AGENT_THINGS for t in toks):
        return True
    return all(_CLOCK_BEFORE.search(text, max(0, s - 12), s) for s, _ in mentions)  # "5 p.m. UTC": a time zone


@lru_cache(maxsize=4)
def _title_surfaces(text: str) -> frozenset[str]:
    """The words NER calls a product, a work, an event, a law or a language anywhere in the text (once per text)."""
    return frozenset(text[s:e] for s, e, label in nlp.entities(text) if label in _TITLE_ENTITIES)


def title_like(text: str, name: str, kind: str, mentions: list[tuple[int, int]]) -> bool:
    """Whether a cluster is a title of a work or a product rather than an actor: NER itself calls the same words a
    product or a work somewhere in the text, every mention sits in its own quotation marks (a group in scare
    quotes, the "Millennials", is still a group) or is governed by a noun for a made thing."""
    surfaces = {text[s:e] for s, e in mentions} | {name}
    if surfaces & _title_surfaces(text):
        return True
    if kind != "group" and all(_quoted_term(text, s, e) for s, e in mentions):
        return True
    heads = [offsets.head_token(text, s, e) for s, e in mentions]
    return all(h is not None and _work_context(h[1]) for h in heads)


def importance(actor: Actor, acts: bool) -> tuple[float, int]:
    """How central an actor is (GUIDE: most important first): quoted and labelled actors, those that act and those
    the text names often come first, and a likely real one (its `score`) before a doubtful one; ties keep the
    order of first mention."""
    weight = math.log1p(len(actor.mentions)) * 2 + 2.0 * actor.quoted + 1.5 * bool(actor.labels) + 1.0 * acts
    return -(weight + 3.0 * (actor.score if actor.score is not None else 0.5)), actor.mentions[0].start


MAX_ACTORS = 25


def _line_at(text: str, pos: int) -> str:
    a = text.rfind("\n", 0, pos) + 1
    b = text.find("\n", pos)
    return text[a:b if b >= 0 else len(text)].strip()


@lru_cache(maxsize=4)
def _repeated_lines(text: str) -> frozenset[str]:
    """Lines of 20 characters or more that the text repeats three times or more, when all such lines together
    stay under a fifth of the text (a widget repeats; a text that repeats itself throughout is just long)."""
    counts = Counter(line.strip() for line in text.split("\n") if len(line.strip()) >= 20)
    repeated = {line: n for line, n in counts.items() if n >= 3}
    if sum(n * len(line) for line, n in repeated.items()) > 0.2 * len(text):
        return frozenset()
    return frozenset(repeated)


def boilerplate_only(text: str, mentions: list[tuple[int, int]]) -> bool:
    """Whether every mention sits in a line the text repeats word for word (see `_repeated_lines`): a widget (a
    poll's question, a share box), not the article."""
    repeated = _repeated_lines(text)
    return bool(mentions) and bool(repeated) and all(_line_at(text, s) in repeated for s, _ in mentions)


def not_an_actor(doc: Document, cluster: names_mod.Cluster, quoted: bool) -> bool:
    """Whether a cluster is no actor whatever labels it gets (a NER slip, a title, a credited outlet, a term), so
    that a description is never pinned on it ("the career criminal" on the "Sauer" of "a Sig Sauer pistol")."""
    spans = [(s, e) for s, e in cluster.mentions if not doc.is_removed(s, e)]
    if not spans:
        return True
    text, name, kind = doc.text, cluster.name, cluster.type
    named_kind = kind in ("person", "state", "organisation")
    if named_kind and not quoted and _implausible(text, name, spans):
        return True
    if boilerplate_only(text, spans):
        return True
    if named_kind and len(name.split()) == 1 and all(heading_line(text, s) for s, _ in spans):
        return True  # a word of a heading ("Policy Shortcomings") even when the quotes stage made it a speaker
    if kind in ("outlet", "organisation") and cited_only(text, name, kind, spans):
        return True  # an outlet only credited is a source (the sources stage lists it), not an actor
    if title_like(text, name, kind, spans) or (kind == "person" and any(c.isdigit() for c in name)):
        return True  # a game, a film, an app or an encyclical
    if all(_CHAPTER_VERSE.match(text, e) for _, e in spans):
        return True  # "(Proverbs 6:17)", "Romans 1:18": a citation of a book's chapter and verse, not a participant
    return named_kind and (common_term(text, name, spans) or no_name(text, name, spans))


NAME = "actors"  # the stage contract (unspun.pipeline): its name, the stages it needs first, and run(doc)
REQUIRES: tuple[str, ...] = ("techniques", "quotes")
READS_PARSE = True  # whether it reads the shared spaCy parse (`unspun.runtime.nlp.parse`)


def run(doc: Document) -> None:
    """Add `doc.actors`: one item per referent, with its mentions, labels and whether it is quoted."""
    doc.models["actors"] = nlp.model_info()
    if not doc.text.strip():
        return
    names = names_mod.names(doc.text)
    quoted = _speaker_actors(doc, names)
    labeller = _Labeller(doc, names)
    labeller.skip = {i for i, c in enumerate(names.clusters) if not_an_actor(doc, c, id(c) in quoted)}
    labels: dict[int, dict[tuple[int, int, str | None], ActorLabel]] = {}

    def add(actor: int, start: int, end: int, technique: str | None) -> None:
        if start >= end or doc.is_removed(start, end):
            return
        own = labels.setdefault(actor, {})
        if technique is None and any(s < end and start < e for s, e, t in own if t is not None):
            return  # the technique span already labels this place
        if technique is not None:
            for k in [k for k in own if k[2] is None and k[0] < end and start < k[1]]:
                del own[k]
        m = doc.span(start, end)
        own.setdefault((start, end, technique), ActorLabel(m.start, m.end, m.text, technique))

    for t in sorted(doc.techniques, key=lambda t: (t.start, t.end)):
        if t.technique in LABEL_TECHNIQUES:
            actor = labeller.target(t.start, t.end)
            if actor in labeller.skip:
                actor = labeller.person_called(t.start, t.end)  # NER took "a patsy" for a name
            if actor is not None:
                add(actor, t.start, t.end, t.technique)
    for cluster in names.clusters:
        for s, e in cluster.mentions:
            for ls, le, actor in labeller.attributive(s, e):
                add(actor, ls, le, None)
    for ls, le, actor in labeller.possessive_phrases() + labeller.named_pronouns():
        add(actor, ls, le, None)
    for ls, le, actor in labeller.descriptions():
        add(actor, ls, le, None)

    found: list[tuple[Actor, bool]] = []
    for i, cluster in enumerate(names.clusters):
        mentions = [doc.span(s, e) for s, e in cluster.mentions if not doc.is_removed(s, e)]
        if not mentions:
            continue
        own = sorted(labels.get(i, {}).values(), key=lambda lab: (lab.start, lab.end))
        if i in labeller.skip:
            continue
        spans = [(m.start, m.end) for m in mentions]
        acts, place_only = roles(doc.text, spans)
        if place_only and _TYPES[cluster.type] in ("state", "person") and not own and id(cluster) not in quoted:
            continue  # a town named only as where something happened is scenery (a "person" so placed, a NER slip)
        if not own and id(cluster) not in quoted and listed_in_passing(doc.text, spans):
            continue  # one example among several ("countries including A, B and C")
        actor = Actor(id="", name=cluster.name, type=_TYPES[cluster.type], mentions=mentions, labels=own,
                      quoted=id(cluster) in quoted)
        actor.score = item_scores.probability("actors", item_scores.actor_features(actor, acts, place_only))
        found.append((actor, acts))
    found.sort(key=lambda f: importance(*f))
    for actor, _ in found[:MAX_ACTORS]:
        doc.add(Actor, name=actor.name, type=actor.type, mentions=actor.mentions, labels=actor.labels,
                quoted=actor.quoted, score=actor.score)
