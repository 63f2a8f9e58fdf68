"""The sources stage: everything the article leans on, one `Source` per outlet, person, organisation, document,
social post or link, with the quotes and claims that rest on it.

Where sources come from (all read from the one cached spaCy parse and `unspun.stages.names`):
- quote speakers (the quotes stage found them; this stage gives them a type and merges their aliases);
- reporting cues: the subject of a reporting verb ("NBC reports", "as Zero Hedge concludes", "officials said"),
  "according to X", "told CNN", "X's report";
- every mention of a known outlet or blog (gazetteer), since naming an outlet is citing it;
- documents: report, study, memo, court documents, a UN resolution; weaker nouns (data, letter, statement) only in
  a sourcing role ("according to the department's inventory", "the letter says");
- social posts: the ingest's `embedded_posts`, plus "tweeted", "in a Facebook post", "wrote on Telegram";
- hyperlinks (HTML input): one source per target URL, named by its domain, except links into the page's own site
  (navigation), share or follow buttons, home pages (a link on a university's name says who it is, not where a
  fact comes from; "via X" or "h/t X" on a home page is kept), licence statements and post images (t.co, pic.twitter.com); a link to one post
  (twitter.com/<handle>/status/<n>) is that post, the same source as the embedded post it shows.
A source is `named: false` when the text never names it: "officials said", "a senior official", "sources say",
"experts", "court documents".

Not sources (precision first: a doubtful item is dropped, not guessed): a quote whose cue reports no speech ("the
official account was that …") or an act ("found him not guilty", "called a meeting"; a clause after the verb makes it
a report), the one told ("promised embassy officials that …"), a group holding a view ("Catholics believe"), a
document that picks out none ("no study", "these documents of that era"), an unnamed thing inside a named speaker's
words ("X said video footage shows …"), the outlet where the article itself first appeared, and links on a byline, on
a name to that name's own page, or on a phrase that names no source ("a pre-existing definition"). Anaphors ("their
study", "the scientists") join the research work named before them.

The one cross-stage write (INTERFACES.md): `source_id` on the quotes and claims this stage links.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from unspun import lexicon
from unspun.document import Document, Mention, Source
from unspun.ingest.site import link_domain, site_of
from unspun.ingest.text import heading_line
from unspun.runtime import item_scores, nlp, offsets, titles
from unspun.stages import names as names_mod

# People the text does not name: their presence makes a source anonymous unless a name comes with them.
ANONYMOUS_NOUNS = frozenset(
    """official officials source sources expert experts analyst analysts observer observers critic critics insider
    insiders spokesperson spokesman spokeswoman aide aides diplomat diplomats people person someone witness witnesses
    resident residents researcher researchers scientist scientists investigator investigators officer officers
    commentator commentators adviser advisers advisor advisors lawmaker lawmakers legislator legislators employee
    employees staffer staffers member members activist activists doctor doctors economist economists specialist
    specialists authorities""".split()
)
# Institutions: a named source even without a proper noun ("the ministry said", "police said").
ORGANISATION_NOUNS = frozenset(
    """ministry department government police army military agency office embassy council committee court commission
    parliament company firm organisation organization administration authority campaign party navy regime junta
    cabinet secretariat prosecutors prosecutor prosecution union bank institute university hospital regulator
    operator watchdog board association bureau service group coalition alliance foundation charity network club
    federation consortium airline insurer utility tribunal senate congress assembly legislature inspectorate
    manufacturer""".split()
)
# Documents that are sources wherever they appear ("the memo", "a report by", "court documents").
DOCUMENT_NOUNS = frozenset(
    """report reports study studies survey surveys poll polls memo memos memorandum dossier indictment affidavit
    transcript transcripts document documents resolution resolutions cable cables filing filings""".split()
)
# Documents only when they carry the sourcing ("according to the inventory", "the letter says").
WEAK_DOCUMENT_NOUNS = frozenset(
    """statement statements letter letters data figures records analysis assessment audit findings inventory
    spreadsheet paper article book ruling lawsuit complaint testimony footage video release communique estimate
    estimates census investigation review research emails minutes budget database""".split()
)
_DOCUMENT_VERBS = frozenset("obtained reviewed seen cited published released leaked quoted".split())
PLATFORMS = {
    "twitter": "Twitter", "x": "X", "facebook": "Facebook", "telegram": "Telegram", "instagram": "Instagram",
    "tiktok": "TikTok", "youtube": "YouTube", "truth": "Truth Social", "gab": "Gab", "vk": "VK",
    "reddit": "Reddit", "weibo": "Weibo", "linkedin": "LinkedIn", "threads": "Threads", "bluesky": "Bluesky",
}
_EMBEDDED_PLATFORMS = {"twitter": "Twitter", "facebook": "Facebook", "instagram": "Instagram", "telegram": "Telegram"}
_POST_NOUNS = frozenset("post posts tweet tweets video message thread retweet livestream".split())
_TWEET_VERBS = frozenset("tweeted tweets tweet retweeted".split())
_POSTING_VERBS = frozenset("wrote writes posted posts said says shared announced claimed published took".split())
# Statement verbs with a common sense that reports nothing: finding or showing a thing, calling a meeting.
_ACT_SENSE_FORMS = lexicon.forms(frozenset("find show reveal indicate predict call label".split()))
_NAMING_FORMS = lexicon.forms(frozenset({"call", "label"}))
_SAYING_FORMS = lexicon.forms(lexicon.SAYING)
# Anaphora: a definite or possessive bare noun ("the study", "their study", "the scientists") stands for something
# named before. Research works may be called by each other's nouns ("a new research paper" … "their study"), and
# "the researchers" are the authors of one ("report" is not among them: it is as often a news report).
_ANAPHORIC = frozenset("the this that these those its their his her".split())
_RESEARCH_WORKS = frozenset("study paper research survey analysis".split())
_RESEARCH_AUTHORS = frozenset("researchers scientists authors".split())
_QUOTING_FORMS = lexicon.forms(frozenset({"quote", "cite"}))  # "quoted Smith as saying": the object is the speaker
_MAX_PHRASE = 10
_DETERMINERS = frozenset("a an the this that these those its his her their our my your some".split())


@dataclass(slots=True)
class _Found:
    """A source candidate before merging: where it is mentioned and what it carries."""

    key: str
    name: str
    type: str
    named: bool
    order: int
    mentions: list[tuple[int, int]] = field(default_factory=list)
    cue_spans: list[tuple[int, int]] = field(default_factory=list)  # mentions in a sourcing role (for claims)
    url: str | None = None
    quote_ids: list[str] = field(default_factory=list)
    # nouns of an earlier document that this item may stand for, when every mention of it is anaphoric ("their
    # study", "the scientists"); empty for an item mentioned in its own right
    refers_to: frozenset[str] = frozenset()


class _Sources:
    """Candidates merged by key, in order of first appearance."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.items: dict[str, _Found] = {}

    def add(self, key: str, name: str, type_: str, named: bool, span: tuple[int, int] | None, *,
            cue: bool = True, url: str | None = None, order: int | None = None,
            refers_to: frozenset[str] = frozenset()) -> _Found | None:
        if span is not None and (span[0] >= span[1] or self.doc.is_removed(*span) and type_ != "social_post"):
            return None
        found = self.items.get(key)
        if found is None:
            where = span[0] if span else (order if order is not None else len(self.doc.text))
            found = self.items[key] = _Found(key, name, type_, named, where, url=url, refers_to=refers_to)
        elif not refers_to:
            found.refers_to = frozenset()  # mentioned in its own right too
        if span is not None:
            found.order = min(found.order, span[0])
            if not any(s < span[1] and span[0] < e for s, e in found.mentions):
                found.mentions.append(span)
            if cue:
                found.cue_spans.append(span)
        return found


def _phrase(offset: int, head) -> tuple[int, int, list]:
    """The noun phrase a head token stands for, in document offsets, kept short (no long relative clauses), without
    the phrases coordinated with it ("the union" of "the union and the council": each is a source of its own)."""
    others = {t.i for c in head.rights if c.dep_ in ("conj", "cc", "preconj") for t in c.subtree}
    toks = [t for t in head.subtree if t.i not in others]
    if len(toks) > _MAX_PHRASE:
        toks = [t for t in toks if t.i <= head.i] + [
            t for c in head.rights if c.dep_ in ("prep", "appos", "compound") for t in c.subtree
        ][: _MAX_PHRASE]
        toks.sort(key=lambda t: t.i)
    while toks and (toks[-1].is_punct or toks[-1].dep_ in ("cc", "punct")):
        toks.pop()
    while toks and toks[0].is_punct:
        toks.pop(0)
    if not toks:
        return offsets.start_of(offset, head), offsets.end_of(offset, head), [head]
    return offsets.start_of(offset, toks[0]), offsets.end_of(offset, toks[-1]), toks


def _without_determiner(text: str, toks: list, offset: int) -> str:
    """The phrase text from its first content word ("a senior official" → "senior official")."""
    start_tok = next((t for t in toks if t.lower_ not in _DETERMINERS and not t.is_punct), toks[0])
    start = offsets.start_of(offset, start_tok)
    end = offsets.end_of(offset, toks[-1])
    return " ".join(text[start:end].split())


def _has_name(toks: list) -> bool:
    return any(t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") for t in toks)


def _looks_named(name: str) -> bool:
    """Whether a speaker string the parse could not place is a name: a capital after the first word ("Amira Osei",
    "Councillor Amira Osei"), not a description ("One café owner", "The board's defenders")."""
    words = name.split()
    return any(w[:1].isupper() for w in words[1:]) or (len(words) == 1 and words[0][:1].isupper())


def _names_apart(name: str, speaker: str | None) -> bool:
    """Whether a cluster's name and a quote's speaker share no word: the quotes stage resolved the speaker to
    someone other than the entity its span overlaps."""
    return not set(names_mod.key(name).split()) & set(names_mod.key(speaker or "").split())


def _reports(verb) -> bool:
    """Whether a reporting verb reports here. A verb that can also name an act or a result ("found", "showed",
    "predicted", "called") reports only with a clause after it ("the study found that …", not "the employee showed
    symptoms", "scientists can't predict hurricanes", "the jury found him not guilty", "Warren called a meeting"),
    or for "call" and "label" with what the thing is called ("called the plan a disaster")."""
    word = verb.lower_
    if word not in _ACT_SENSE_FORMS:
        return True
    if any(c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX") for c in verb.children):
        return True
    return word in _NAMING_FORMS and any(c.dep_ in ("oprd", "xcomp") for c in verb.children)


def _span_head(text: str, start: int, end: int):
    """(chunk offset, token) for the head of a speaker span: its syntactic root, or its last noun (else its last
    word) when the root is a determiner or a preposition ("the paper states", misparsed with "states" as the
    noun; "the official statement", where "the official" modifies a noun outside the span)."""
    found = offsets.tokens_in(text, start, end)
    if found is None:
        return None
    offset, span = found
    root = span.root
    if root.pos_ in ("DET", "ADP", "PUNCT", "CCONJ"):
        root = next((t for t in reversed(span) if t.pos_ in ("NOUN", "PROPN")), span[-1])
    return offset, root


def _cue_verb(text: str, start: int, end: int, word: str | None):
    """(chunk offset, token) for the word of a quote's cue that carries it (`lexicon.cue_verb`), or None."""
    found = offsets.tokens_in(text, start, end) if word else None
    tok = next((t for t in found[1] if t.lower_ == word), None) if found else None
    return (found[0], tok) if tok is not None else None


# Determiners and quantifiers that pick out no one document ("no study", "any report", "many such documents",
# "as so many of these documents seem to be"); the first four deny there is one to cite, even in a sourcing role.
_UNSPECIFIC = frozenset("no any every each such other another many most all few several some these those".split())
_NONE_OF_THEM = frozenset("no any every each".split())


def _unspecific(noun) -> bool:
    """Whether a document noun names no document in particular: a determiner from `_UNSPECIFIC` and no name or
    number ("no study has shown", "these seemingly orthodox documents of that period"; not "these 40 cables")."""
    return any(c.lower_ in _UNSPECIFIC for c in noun.lefts) and not _has_name(list(noun.subtree)) and not any(
        t.like_num for t in noun.subtree)


def _singular(word: str) -> str:
    """A plain English singular, enough to match "studies" with "study" and "papers" with "paper" (not "analysis")."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith(("ss", "is", "us")) else word


# Endings of nouns for doers ("defender", "organiser", "guitarist", "trainee", "chairman"): enough to keep an unknown
# noun a person; not enough to make it a source by itself.
_AGENT_ENDINGS = ("er", "or", "ist", "ian", "ant", "ent", "ee", "man", "men", "ers", "ors", "ists", "ians", "ants",
                  "ents", "ees")


def _person_noun(word: str) -> bool:
    """Whether a common noun names a person or people by role (the anonymous-source nouns, titles, trades)."""
    return word in ANONYMOUS_NOUNS or bool(lexicon.DESCRIBED_PERSON_NOUNS & {word, _singular(word)})


def _source_type(cluster_type: str) -> str:
    return {"person": "person", "outlet": "outlet"}.get(cluster_type, "organisation")


class _Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.text = doc.text
        self.names = names_mod.names(doc.text)
        self.out = _Sources(doc)
        self.cluster_keys: dict[int, str] = {id(c): f"c{i}" for i, c in enumerate(self.names.clusters)}
        # the page shows posts (embedded, or linked one by one): an unowned "the tweet" is one of them
        self.shows_posts = bool(doc.embedded_posts) or any(_STATUS.search(link.url) for link in doc.links)

    # --- one named or anonymous source from a span of text -------------------------------------------------------
    def from_cluster(self, cluster, span, *, cue=True):
        return self.out.add(self.cluster_keys[id(cluster)], cluster.name, _source_type(cluster.type), True, span, cue=cue)

    def from_phrase(self, offset: int, head, *, cue: bool = True):
        """A source from a noun phrase in a sourcing role (a reporting verb's subject, "according to" X)."""
        if head.pos_ == "PRON" or names_mod.is_pronoun(head.text):
            return None
        head_at = offsets.start_of(offset, head)
        if heading_line(self.text, head_at):
            return None  # "Policy Shortcomings" over a section: the parse runs on into the next line
        start, end, toks = _phrase(offset, head)
        if lexicon.is_reference(self.text[start:end]):
            return None  # "(Page B1, Jan. 15)": where in the paper, not who
        head_start, head_end = offsets.start_of(offset, head), offsets.end_of(offset, head)
        cluster = self.names.at(head_start, head_end)
        if cluster is not None and cluster.type not in ("group",):
            span = next(((s, e) for s, e in cluster.mentions if s < head_end and head_start < e), (head_start, head_end))
            return self.from_cluster(cluster, span, cue=cue)
        for child in head.children:  # "the regional rail operator Northline", "the spokesman, John Smith"
            if child.dep_ == "appos":
                s, e = offsets.start_of(offset, child), offsets.end_of(offset, child)
                named = self.names.at(s, e)
                if named is not None and named.type != "group":
                    span = next(((ms, me) for ms, me in named.mentions if ms < e and s < me), (s, e))
                    return self.from_cluster(named, span, cue=cue)
        word = head.lower_
        if cluster is not None and cluster.type == "group" and head.dep_ == "nsubj" and \
                head.head.lower_ in lexicon.MIND_FORMS:
            return None  # "Catholics believe …": a faith, a nation or a party holding a view, not telling anything
        if word in ANONYMOUS_NOUNS or (cluster is not None and cluster.type == "group"):
            person = next((self.names.at(offsets.start_of(offset, t), offsets.end_of(offset, t)) for t in toks
                           if t.ent_type_ == "PERSON"), None)
            if person is not None and person.type == "person":  # "the spokesman, John Smith"
                span = next((s, e) for s, e in person.mentions if start <= s < end)
                return self.from_cluster(person, span, cue=cue)
            name = _without_determiner(self.text, toks, offset)
            authors = word in _RESEARCH_AUTHORS and all(t.i == head.i or t.lower_ in _ANAPHORIC for t in toks) \
                and toks[0].lower_ in _ANAPHORIC  # "the scientists": the authors of a study already named
            return self.out.add("anon:" + names_mod.key(name), name, "person", False, (start, end), cue=cue,
                                refers_to=_RESEARCH_WORKS if authors else frozenset())
        if word in DOCUMENT_NOUNS or word in WEAK_DOCUMENT_NOUNS:
            return self.document(offset, head, cue=cue)
        if word in ORGANISATION_NOUNS:
            name = _without_determiner(self.text, toks, offset)
            return self.out.add("org:" + names_mod.key(name), name, "organisation", True, (start, end), cue=cue)
        if head.pos_ == "PROPN":  # a name NER missed
            name = names_mod.clean(self.text[start:end], person=True)
            kind = "person" if 1 < len(name.split()) <= 3 and name.istitle() else "organisation"
            return self.out.add(f"{kind}:" + names_mod.key(name), name, kind, True, (start, end), cue=cue)
        return None

    def document(self, offset: int, head, *, cue: bool = True):
        """A document source: the noun with its modifiers and a "by/from/of X" complement."""
        toks = [t for t in head.lefts if t.dep_ in ("amod", "compound", "nmod", "poss", "nummod", "det", "case")]
        toks = [t for left in toks for t in left.subtree] + [head]
        for right in head.rights:
            if right.dep_ == "prep" and right.lower_ in ("by", "from", "of", "on") and len(list(right.subtree)) <= 8:
                toks += list(right.subtree)
            elif right.dep_ in ("compound", "nummod", "appos") and len(list(right.subtree)) <= 3:
                toks += list(right.subtree)
        toks.sort(key=lambda t: t.i)
        start, end = offsets.start_of(offset, toks[0]), offsets.end_of(offset, toks[-1])
        name = _without_determiner(self.text, toks, offset)
        named = _has_name(toks) or any(t.like_num for t in toks)
        bare = all(t.i == head.i or t.dep_ == "det" for t in toks)
        if bare and toks[0].lower_ in ("the", "this", "that"):
            # "the report" after "a report by Amnesty": the same document, the latest one with that noun
            singular = head.lower_.rstrip("s")
            for found in reversed(list(self.out.items.values())):
                if found.type == "document" and any(w.rstrip("s") == singular for w in names_mod.key(found.name).split()):
                    return self.out.add(found.key, found.name, "document", found.named, (start, end), cue=cue)
        if head.lower_ == "resolution" and not named and bare:
            return None  # "a resolution to the crisis"
        if not named and any(t.lower_ in _NONE_OF_THEM for t in head.lefts):
            return None  # "no study has shown that …", "any report saying so": there is no such document to cite
        refers_to: frozenset[str] = frozenset()
        if all(t.i == head.i or t.lower_ in _ANAPHORIC for t in toks) and toks[0].lower_ in _ANAPHORIC:
            noun = _singular(head.lower_)  # "their study": a research work already named, if there is one
            refers_to = frozenset({noun}) | (_RESEARCH_WORKS if noun in _RESEARCH_WORKS else frozenset())
        return self.out.add("doc:" + names_mod.key(name), name, "document", named, (start, end), cue=cue,
                            refers_to=refers_to)

    def drop_hearsay(self, by_quote: dict[str, _Found]) -> None:
        """Drop an unnamed source that is only mentioned inside what a named source says ("Congressman X said video
        footage shows …", "she said a study found …"): the article relies on the speaker; the thing the speaker
        leans on has no identity of its own to check."""
        said = [(q.start, q.end) for q in self.doc.quotes if q.id in by_quote and by_quote[q.id].named]
        for key, found in list(self.out.items.items()):
            if found.named or found.quote_ids or found.type not in ("document", "person") or not found.mentions:
                continue
            if all(any(s <= ms and me <= e for s, e in said) for ms, me in found.mentions):
                del self.out.items[key]

    def resolve_anaphors(self) -> dict[str, _Found]:
        """Merge each item mentioned only anaphorically ("their study", "the scientists estimated") into the
        nearest document before it that it can stand for ("a new research paper"); returns old key → target.
        Without such a document the item stays as it is."""
        moved: dict[str, _Found] = {}
        items = self.out.items
        for found in sorted(items.values(), key=lambda f: f.order):
            if not found.refers_to or found.key in moved:
                continue
            before = [(max([s for s, _ in f.mentions if s < found.order] or [f.order]), f) for f in items.values()
                      if f.key != found.key and f.key not in moved and f.type == "document" and f.order < found.order
                      and {_singular(w) for w in names_mod.key(f.name).split()} & found.refers_to]
            if not before:
                continue
            target = max(before, key=lambda x: x[0])[1]
            for span in found.mentions:
                if not any(s < span[1] and span[0] < e for s, e in target.mentions):
                    target.mentions.append(span)
            target.cue_spans += found.cue_spans
            target.quote_ids += found.quote_ids
            target.url = target.url or found.url
            moved[found.key] = target
        for key in moved:
            del items[key]
        return moved

    # --- passes ---------------------------------------------------------------------------------------------------
    def quotes(self) -> dict[str, _Found]:
        """A source for each quote speaker; returns quote id → source candidate."""
        linked: dict[str, _Found] = {}
        for q in self.doc.quotes:
            span = None
            if q.speaker_start is not None and q.speaker_end is not None and q.speaker_start < q.speaker_end:
                span = (q.speaker_start, q.speaker_end)
            if not self.cites(q, span):
                continue
            mention_text = self.text[span[0]:span[1]] if span else ""
            head = span
            if span and "," in mention_text:  # "The jury of six men and six women, including three immigrants"
                head = (span[0], span[0] + mention_text.index(","))
            cluster = self.names.at(*head) if head and not names_mod.is_pronoun(mention_text) else None
            head_text = self.text[head[0] : head[1]] if head else ""
            if (cluster is not None and q.speaker_resolved_from == "description"
                    and names_mod.key(q.speaker or "") == names_mod.key(head_text)
                    and names_mod.key(cluster.name) != names_mod.key(head_text)):
                cluster = None  # "one ex-House aide said": the quotes stage found the aide speaking, not the House
            said = self.names.find(q.speaker)
            use_span = span if span and not names_mod.is_pronoun(mention_text) else None
            if cluster is not None and said is not None and _names_apart(cluster.name, q.speaker):
                # "Police Undersheriff Kevin McMahill" (the span's first name is not the speaker), "Bishop Davies
                # spoke at his Chrism Mass said" (the span is not the speaker at all): the quotes stage's speaker wins
                cluster = said
                use_span = next(((s, e) for s, e in said.mentions if span[0] <= s and e <= span[1]), None)
            cluster = cluster or said
            if cluster is None and span and head != span and not names_mod.is_pronoun(mention_text):
                named = self.names.at(head[1], span[1])  # "the city engineer, John Smith": an apposition names them
                cluster = named if named is not None and named.type == "person" else None
            found = None
            if cluster is not None:
                found = self.from_cluster(cluster, use_span)
                if found is not None and use_span is None and found.order > q.start:
                    found.order = q.start
            elif use_span is not None and q.speaker is not None:  # the quotes stage abstained: so does this one
                head = _span_head(self.text, *use_span)
                if head is not None:
                    found = self.from_phrase(*head) or self.post_noun(*head)
                noun = head[1].lower_ if head is not None and head[1].pos_ == "NOUN" else None
                if found is None and noun and not _person_noun(noun) and not noun.endswith(_AGENT_ENDINGS) \
                        and q.cue and lexicon.cue_verb(q.cue) not in _SAYING_FORMS | {":"}:
                    # "the business case estimated …", "according to a notice posted on its website": no saying verb
                    # and no word for a doer ("defender") makes an unknown noun a person; it is a thing that informs
                    found = self.document(*head)
                if found is None:
                    name = names_mod.clean(q.speaker or mention_text, person=True)
                    found = self.out.add("person:" + names_mod.key(name), name, "person", _looks_named(name), use_span)
            elif q.speaker and not names_mod.is_pronoun(q.speaker):
                name = names_mod.clean(q.speaker, person=True)
                found = self.out.add("person:" + names_mod.key(name), name, "person", _looks_named(name), None,
                                     order=q.start)
            if found is not None:
                found.quote_ids.append(q.id)
                linked[q.id] = found
        return linked

    def cites(self, q, span: tuple[int, int] | None) -> bool:
        """Whether a quote makes its speaker a source: quotation marks show the words were said; an indirect
        quote's cue reports speech ("said", "according to", no cue at all), not a state or an act ("the official
        account was", "are required to oppose"), or (where the cue came out garbled) a statement verb stands between
        speaker and words; an indirect quote's act verb has a clause after it ("found that …", not "found him not
        guilty", "called a meeting"); and the speaker span is a noun phrase of its own that is not the one told
        ("promised embassy officials that …", "the official account")."""
        head = _span_head(self.text, *span) if span else None
        if q.kind != "direct" and q.cue and lexicon.reports_speech(q.cue) is not True and not (
                span and self._statement_between(q, span)):
            return False  # a direct quote's marks speak for it; an indirect one needs a cue, or a statement verb
        verb, verb_at = None, -1
        if q.cue_start is not None and q.cue_end is not None:
            found = _cue_verb(self.text, q.cue_start, q.cue_end, lexicon.cue_verb(q.cue))
            if found is not None:
                verb, verb_at = found[1], offsets.start_of(*found)
        if q.kind == "indirect" and verb is not None and verb.pos_ in ("VERB", "AUX") and not _reports(verb):
            return False
        if head is not None:
            tok = head[1]
            if tok.pos_ == "ADJ":
                return False
            told = tok.dep_ in ("dobj", "dative") and offsets.start_of(head[0], tok.head) == verb_at
            if verb is not None and told and verb.lower_ not in _QUOTING_FORMS:
                return False
        return True

    def _statement_between(self, q, span: tuple[int, int]) -> bool:
        """Whether a statement verb stands between a quote's speaker and its words ("Marrow & Finch warned the
        ministry in a letter last month that …")."""
        start, end = (span[1], q.start) if span[1] <= q.start else (q.end, span[0])
        if not 0 < end - start <= 200:
            return False
        found = offsets.tokens_in(self.text, start, end)
        return found is not None and any(t.lower_ in lexicon.STATEMENT_FORMS and t.pos_ == "VERB" for t in found[1])

    def with_conjuncts(self, offset: int, head) -> None:
        """A source from a phrase in a sourcing role and one from each phrase coordinated with it ("according to WHO
        and Congo's government", "the ministry and two officials said")."""
        self.from_phrase(offset, head)
        for conj in head.conjuncts:
            self.from_phrase(offset, conj)

    def cues(self) -> None:
        """Reporting verbs, "according to", "told <outlet>", documents in sourcing roles, social-post cues."""
        for offset, tok in nlp.tokens(self.text):
            word = tok.lower_
            if word in lexicon.REPORTING_FORMS and tok.pos_ in ("VERB", "AUX") and _reports(tok) and not any(
                    c.dep_ in ("dobj", "dative") and c.lower_ in ("what", "whatever") for c in tok.children):
                # "to investigate what the Church said": the words are not given, so nothing rests on them
                for child in tok.children:
                    if child.dep_ == "nsubj":
                        self.with_conjuncts(offset, child)
                    elif child.dep_ == "agent":  # "as reported by Reuters"
                        for pobj in child.children:
                            if pobj.dep_ == "pobj":
                                self.with_conjuncts(offset, pobj)
                    elif child.dep_ == "dobj" and word in ("told", "tell", "tells"):
                        cluster = self.names.at(offsets.start_of(offset, child), offsets.end_of(offset, child))
                        if cluster is not None and cluster.type == "outlet":
                            self.from_phrase(offset, child)
                if word in _TWEET_VERBS:
                    self.social(offset, tok, tok, "Twitter")
            elif word == "according" and tok.i + 1 < len(tok.doc) and tok.nbor().lower_ == "to":
                for pobj in tok.nbor().children:
                    if pobj.dep_ == "pobj":
                        self.with_conjuncts(offset, pobj)
            elif tok.pos_ in ("NOUN", "PROPN") and word in DOCUMENT_NOUNS and any(
                    c.dep_ in ("det", "amod", "compound", "poss", "nummod", "prep") for c in tok.children) \
                    and not _unspecific(tok):
                self.document(offset, tok)  # a bare "reports" is too often a misparsed verb (headlines)
            elif tok.pos_ == "NOUN" and word in WEAK_DOCUMENT_NOUNS and tok.dep_ in ("dobj", "nsubjpass") and \
                    tok.head.lower_ in _DOCUMENT_VERBS:
                self.document(offset, tok)
            self.post_noun(offset, tok)
            if tok.dep_ == "pobj" and word in PLATFORMS and tok.text[:1].isupper() and tok.head.lower_ in ("on", "to") \
                    and tok.head.head.lower_ in _POSTING_VERBS:
                self.social(offset, tok.head.head, tok, PLATFORMS[word])

    def post_noun(self, offset: int, tok):
        """A social post named by its noun: "a Facebook post", "the tweet" (Twitter unless the text says which)."""
        word = tok.lower_
        if word not in _POST_NOUNS or tok.pos_ != "NOUN":
            return None
        platform = next((PLATFORMS[c.lower_] for c in tok.lefts if c.lower_ in PLATFORMS and
                         c.dep_ in ("compound", "amod", "nmod")), None)
        if platform or word in ("tweet", "tweets", "retweet"):
            return self.social(offset, tok, tok, platform or "Twitter", bare=not self.shows_posts)
        return None

    def social(self, offset: int, verb, cue_tok, platform: str, *, bare: bool = True) -> _Found | None:
        """A social post cue: the account is the posting verb's subject or the post's owner ("Trump's tweets") when
        there is one. Without an account, `bare` says whether the post is a source of its own: not where the page
        shows its posts ("Update: added the tweet" is one of those)."""
        governor = verb
        # spaCy makes a new Token object on each access, so compare positions, never identity; the root is its own
        # head, and a walk up a tree never takes more steps than the sentence has tokens.
        for _ in range(len(verb.doc)):
            if governor.pos_ in ("VERB", "AUX") or governor.head.i == governor.i:
                break
            governor = governor.head
        account, named = None, False
        for child in governor.children:
            if child.dep_ == "nsubj" and child.pos_ != "PRON":
                cluster = self.names.at(offsets.start_of(offset, child), offsets.end_of(offset, child))
                if cluster is None and not _person_noun(child.lower_) and child.lower_ not in ORGANISATION_NOUNS \
                        and child.ent_type_ not in ("PERSON", "ORG"):
                    continue  # "The release of the files will …", a misparsed "Added …": no one who posts
                toks = _phrase(offset, child)[2]
                account = cluster.name if cluster else _without_determiner(self.text, toks, offset)
                named = cluster is not None or _has_name(toks)
        if account is None and cue_tok.pos_ == "NOUN":  # "Mayor Ana Ruiz's tweet", "Trump tweet"
            owner = next((c for c in cue_tok.lefts if c.dep_ in ("poss", "compound") and c.pos_ == "PROPN"
                          and c.lower_ not in PLATFORMS), None)
            if owner is not None:
                cluster = self.names.at(offsets.start_of(offset, owner), offsets.end_of(offset, owner))
                phrase = self.text[slice(*_phrase(offset, owner)[:2])]
                account, named = cluster.name if cluster else names_mod.clean(phrase, person=True), True
        if account is None and not bare:
            return None
        if cue_tok.pos_ == "NOUN":  # "a Facebook post": the noun with what precedes it in its phrase
            first = min((t for t in cue_tok.subtree if t.i <= cue_tok.i), key=lambda t: t.i)
            start, end = offsets.start_of(offset, first), offsets.end_of(offset, cue_tok)
        else:
            start, end = offsets.start_of(offset, cue_tok), offsets.end_of(offset, cue_tok)
        name = f"{account} on {platform}" if account else f"{platform} post"
        key = "post:" + names_mod.key(platform) + ":" + names_mod.key(account or "").replace(" ", "")
        return self.out.add(key, name, "social_post", named, (start, end))

    def outlets(self) -> None:
        """Every mention of an outlet, except where the text says where the article itself was first published
        ("Originally published in the Jerusalem Post", "we are reprinting below his Breitbart article"): that
        outlet is the piece's publisher, like its author, not a source it relies on."""
        for cluster in self.names.clusters:
            if cluster.type == "outlet":
                for span in cluster.mentions:
                    if not self._provenance(*span):
                        self.from_cluster(cluster, span)

    def _provenance(self, start: int, end: int) -> bool:
        """Whether the sentence of [start, end) is a note on where the article first appeared (`_PROVENANCE`)."""
        found = offsets.tokens_in(self.text, start, end)
        if found is None:
            return False
        offset, span = found
        sent = span[0].sent
        return bool(_PROVENANCE.search(self.text[offsets.start_of(offset, sent[0]):offsets.end_of(offset, sent[-1])]))

    def cited_works(self) -> None:
        """A work the author cites by its title in quotation marks ("the paper titled “…”", "Re. “…”, Page A8")."""
        for start, end in titles.cited_works(self.text):
            name = self.text[start:end].strip().rstrip(",.;:")
            if name:
                self.out.add("doc:" + names_mod.key(name), name, "document", True, (start, start + len(name)))

    def embedded_posts(self) -> None:
        for post in self.doc.embedded_posts:
            platform = _EMBEDDED_PLATFORMS.get(post.platform)
            account = post.account.strip()
            at = post.text.find(account) if account else -1
            span = (post.start + at, post.start + at + len(account)) if at >= 0 else (post.start, post.end)
            handle = names_mod.key(account).replace(" ", "")
            key = "post:" + names_mod.key(platform or "") + ":" + handle
            name = f"{account} on {platform}" if platform else account or "social media post"
            self.out.add(key, name, "social_post", bool(account), span)

    def _speaker_at(self, start: int, end: int, by_quote: dict[str, _Found]) -> _Found | None:
        """The source of a quote whose words or cue the span [start, end) lies on."""
        for q in self.doc.quotes:
            found = by_quote.get(q.id)
            if found is None or found.type == "link":
                continue
            spans = [(q.start, q.end)]
            if q.cue_start is not None and q.cue_end is not None:
                spans.append((q.cue_start, q.cue_end))
            if any(s < end and start < e for s, e in spans):
                return found
        return None

    def links(self, by_quote: dict[str, _Found] | None = None) -> None:
        """One source per link out of the page. A link into the page's own site (its sections, tags, author page,
        "related" articles) is navigation, and a share or follow button is page furniture: neither is a source.
        A link on a quote's words or cue ("she said she would “seek …”", "Rundle theorized in 2017") shows where
        the speaker said it: it is the speaker's URL, not a second source."""
        own = link_domain(site_of(self.doc.metadata.url) or "")
        for link in self.doc.links:
            try:
                parts = urlsplit(link.url)
                if parts.scheme not in ("http", "https") or not parts.hostname:
                    continue
            except ValueError:  # "http://[not-an-address/": a malformed link leads nowhere
                continue
            domain = link_domain(parts.hostname)
            if own and (domain == own or domain.endswith("." + own)):
                continue
            if _SHARE_PATH.match(parts.path) or (domain in _SOCIAL_DOMAINS and not parts.query
                                                 and parts.path.strip("/").count("/") == 0):
                continue
            if not parts.path.strip("/") and not parts.query and not _CREDIT_BEFORE.search(
                    self.text, max(0, link.start - 16), link.start):
                continue  # a home page ("Manchester Metropolitan University" → mmu.ac.uk/) names, it informs not
            if _LICENCE.search(link.url) or domain in _IMAGE_HOSTS:
                continue  # a licence statement, or the image of a post embedded below (pic.twitter.com, t.co)
            status = _STATUS.match(f"{domain}{parts.path}")
            if status:  # one post: the same source as the embedded post and any "@handle on Twitter" caption
                handle = "@" + status.group("h")
                self.out.add("post:" + names_mod.key("Twitter") + ":" + names_mod.key(handle).replace(" ", ""),
                             f"{handle} on Twitter", "social_post", True, (link.start, link.end), url=link.url)
                continue
            speaker = self._speaker_at(link.start, link.end, by_quote or {}) or self._named_at(link.start, link.end)
            if speaker is not None:
                speaker.url = speaker.url or link.url
                continue
            if _BYLINE_BEFORE.search(self.text, max(0, link.start - 24), link.start):
                continue  # "Written by: <author>": the author is not a source
            if self._names_page(link.start, link.end, parts.path) or not self._anchor_cites(link.start, link.end):
                continue
            self.out.add("link:" + link.url, domain, "link", True, (link.start, link.end), url=link.url)

    def _named_at(self, start: int, end: int) -> _Found | None:
        """The source already found for the name a link's anchor is ("John Fa" → the person John Fa): the link says
        who they are, so it is their URL, not a second source."""
        cluster = self.names.at(start, end)
        found = self.out.items.get(self.cluster_keys[id(cluster)]) if cluster is not None else None
        if found is None:
            return None
        covered = sum(max(0, min(e, end) - max(s, start)) for s, e in cluster.mentions)
        return found if covered * 2 >= len(self.text[start:end].strip()) else None

    def _names_page(self, start: int, end: int, path: str) -> bool:
        """Whether a link on a name goes to that name's own page ("Paris Agreement" → …/the-paris-agreement,
        "Jane Roe" → …/staff/jane-roe, a Wikipedia article): like a home page, it says what the name is, not where
        a fact comes from."""
        found = offsets.tokens_in(self.text, start, end)
        if found is None or not all(t.pos_ == "PROPN" or t.is_punct or t.lower_ in _DETERMINERS or t.is_stop
                                    for t in found[1]) or not any(t.pos_ == "PROPN" for t in found[1]):
            return False
        name = {w for w in _URL_WORD.findall(self.text[start:end].lower()) if w not in _DETERMINERS}
        segment = next((x for x in reversed(path.split("/")) if x), "")
        slug = {w for w in _URL_WORD.findall(segment.lower()) if w not in _DETERMINERS}
        return bool(name) and name <= slug and len(slug - name) <= 1

    def _anchor_cites(self, start: int, end: int) -> bool:
        """Whether a link's anchor says it leads to a source: a name, a document, statement or post noun, a
        reporting verb, a whole line (a headline), or a pointer ("here", "this"). A common-noun phrase that says
        none of these ("a pre-existing definition") explains a term; it is not what the article relies on."""
        found = offsets.tokens_in(self.text, start, end)
        if found is None:
            return True
        toks = [t for t in found[1] if not t.is_punct and not t.is_space]
        line_start = self.text.rfind("\n", 0, start) + 1
        line_end = self.text.find("\n", end)
        line = self.text[line_start:line_end if line_end >= 0 else len(self.text)]
        if not toks or line.strip() == self.text[start:end].strip():
            return True
        for t in toks:
            word = t.lower_
            if t.pos_ in ("PROPN", "PRON", "NUM") or t.ent_type_ or word in _POINTERS:
                return True
            if word in DOCUMENT_NOUNS or word in WEAK_DOCUMENT_NOUNS or word in lexicon.STATEMENT_NOUNS or \
                    word in _POST_NOUNS or word in lexicon.STATEMENT_FORMS:
                return True
        return False


# Share and follow buttons: a link to a network's front page or to an account (twitter.com/ourpaper), or a share
# endpoint anywhere. A link to one post (twitter.com/<account>/status/<n>) stays a source.
_SOCIAL_DOMAINS = frozenset(
    "twitter.com x.com facebook.com instagram.com linkedin.com tiktok.com pinterest.com threads.net bsky.app".split()
)
# "via Example Blog", "(h/t Example)", "Source: Example": a home page given as where the story came from.
_CREDIT_BEFORE = re.compile(r"(?:\bvia|\bh/t|\bhat tip(?: to)?|\bsource:|\bcredit:|\bfrom)\s*$", re.IGNORECASE)
# "By Jane Roe", "Written by: Jane Roe", "Author: Jane Roe" just before a link: the byline.
_BYLINE_BEFORE = re.compile(r"(?:^|\n)\s*(?:(?:written|words|reporting|story)\s+)?(?:by|author)\s*:?\s*$",
                            re.IGNORECASE)
# A note on where the article itself appeared first: a line that opens with "Originally published", "First
# appeared", "Republished from", "Reprinted with permission", "Cross-posted from", or says "this article (was)
# first/originally published/appeared" or "we are (therefore) reprinting". Not "the study, first published in
# Nature, found …": there the journal is where a cited work appeared.
_PROVENANCE = re.compile(
    r"^\W*(?:(?:originally|first)\s+(?:published|appeared|posted|ran)|re-?published|re-?printed|cross-?posted)\b|"
    r"\bthis\s+(?:article|story|piece|post|column|essay|op-ed|commentary)\s+(?:was\s+|has\s+been\s+)?"
    r"(?:originally\s+|first\s+)?(?:published|appeared|posted)\b|"
    r"\bwe\b[^.\n]{0,25}?\b(?:re-?print|re-?publish)(?:ing)?\b", re.IGNORECASE | re.MULTILINE)
_URL_WORD = re.compile(r"[^\W_]+")
_POINTERS = frozenset("here this link source sources click these those".split())
_LICENCE = re.compile(r"creativecommons\.org/(?:licenses|publicdomain)/|/licen[cs]es?/?(?:$|[?#])", re.IGNORECASE)
_IMAGE_HOSTS = frozenset(("t.co", "pic.twitter.com", "pbs.twimg.com"))
_STATUS = re.compile(r"(?:twitter|x)\.com/(?P<h>[A-Za-z0-9_]{1,15})/status(?:es)?/\d+")
_SHARE_PATH = re.compile(r"/(?:intent/|share|sharer|sharing/|submit\b|dialog/share|pin/create)", re.IGNORECASE)


def _claim_source(doc: Document, claim, cue_starts: list[int], cue_index: list[tuple[int, int, _Found]]):
    """The source named in a sourcing role inside the claim ("according to X, ..."), else (unless the claims stage
    found it unsourced) in the claim's sentence."""
    found = _first_within(claim.start, claim.end, cue_starts, cue_index)
    if found is None and claim.sourcing != "asserted":
        parsed = offsets.tokens_in(doc.text, claim.start, claim.end)
        if parsed is not None:
            offset, span = parsed
            first, last = span[0].sent, span[-1].sent
            start, end = offsets.start_of(offset, first[0]), offsets.end_of(offset, last[-1])
            found = _first_within(start, end, cue_starts, cue_index)
    return found


def _first_within(start: int, end: int, cue_starts: list[int], cue_index: list[tuple[int, int, _Found]]):
    for s, e, found in cue_index[bisect_left(cue_starts, start):]:
        if s >= end:
            break
        if e <= end:
            return found
    return None


NAME = "sources"  # the stage contract (unspun.pipeline): its name, the stages it needs first, and run(doc)
REQUIRES: tuple[str, ...] = ("quotes", "claims")
READS_PARSE = True  # whether it reads the shared spaCy parse (`unspun.runtime.nlp.parse`)


def run(doc: Document) -> None:
    """Add `doc.sources` and fill `source_id` on the quotes and claims they carry."""
    doc.models["sources"] = nlp.model_info()
    if not doc.text.strip():
        return
    b = _Builder(doc)
    by_quote = b.quotes()
    b.cues()
    b.outlets()
    b.cited_works()
    b.embedded_posts()
    b.links(by_quote)
    moved = b.resolve_anaphors()
    by_quote = {qid: moved.get(found.key, found) for qid, found in by_quote.items()}
    b.drop_hearsay(by_quote)

    ordered = sorted(b.out.items.values(), key=lambda f: f.order)
    ids: dict[str, Source] = {}
    for found in ordered:
        mentions: list[Mention] = [doc.span(s, e) for s, e in sorted(found.mentions)]
        ids[found.key] = doc.add(Source, name=found.name, type=found.type, named=found.named, mentions=mentions,
                                 url=found.url, quote_ids=list(dict.fromkeys(found.quote_ids)), claim_ids=[])
    for q in doc.quotes:
        if q.id in by_quote:
            q.source_id = ids[by_quote[q.id].key].id

    quote_of = {q.id: q for q in doc.quotes}
    cue_index = sorted(((s, e, f) for f in ordered for s, e in f.cue_spans), key=lambda x: (x[0], x[1]))
    cue_starts = [s for s, _, _ in cue_index]
    for claim in doc.claims:
        found = None
        if claim.quote_id in by_quote:
            found = by_quote[claim.quote_id]
        if found is None:
            found = _claim_source(doc, claim, cue_starts, cue_index)
        if found is None:
            found = next((by_quote[q.id] for q in doc.quotes if q.id in by_quote and q.start < claim.end
                          and claim.start < q.end), None)
        if found is None:
            continue
        source = ids[found.key]
        claim.source_id = source.id
        if claim.id not in source.claim_ids:
            source.claim_ids.append(claim.id)
        if claim.quote_id and claim.quote_id in quote_of and quote_of[claim.quote_id].source_id is None:
            quote_of[claim.quote_id].source_id = source.id

    speaker_scores = {q.id: q.speaker_score for q in doc.quotes if q.speaker_score is not None}
    for source in doc.sources:
        source.score = item_scores.probability("sources", item_scores.source_features(source, speaker_scores))
