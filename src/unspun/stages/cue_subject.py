"""Who a cue's grammar says is speaking: the subject of the cue's verb, from the shared dependency parse.

The quote tagger marks source words, and decoding links each content to the source nearest its cue. Nearest is not
who speaks: in "Whitman told The Star-Ledger last week she would …" or "Trump wrote to Roffman: …" the nearest name
is whom the words were addressed to, or where they appeared; in "Shelton, the president of a union which endorsed
Sanders, said …" it sits in a relative clause about the speaker; in '“…,” he said.' after 'Rubio disagreed.' it lies
in another sentence. The parse knows better: the speaker of "X told Y that …" is the subject of "told", and the words
a cue reports belong to its own sentence. This module finds that subject (`cue_subject`) and decides when it replaces
the tagger's source (`grammatical_speaker`). When the tagger's cue reports no words at all, the parse may show the
verb that does ("…, political experts said": `reporting_verb`), or an "according to" that names the source
(`according_to`). `attribution` puts the three together for the quotes stage.
"""

from __future__ import annotations

from dataclasses import dataclass

from unspun import lexicon
from unspun.runtime import offsets

# Dependents of a verb, right of it, that name whom the words were for, where or when they were said, or what was
# said: "told [the AP]", "wrote [in National Review]", "argued [that …]", "went on [to say]". None of them is the
# speaker while the verb has a subject of its own.
ADDRESSEE_DEPS = frozenset({"dobj", "dative", "prep", "ccomp", "xcomp"})
# Dependents of a verb, left of it, that can come between its subject and it: "X, [citing data from Y], said",
# "X, [in a statement released by Y], said", "X [last week] said". Each says how or when, never who.
INTERJECTED_DEPS = frozenset({"prep", "advcl", "npadvmod"})
# "according to X", "criticism from X" name a source, never whom the words were for
_SOURCE_PREPOSITIONS = frozenset({"according", "from"})
# Subjects that stand for no one who speaks: the author or the reader ("we", "you"), and words that only hold a
# place ("it seems", "there is", "this shows") or ask ("what").
_NO_SPEAKER = frozenset("i me we us you it there this what".split())
# How a verb passes its subject down to the cue: "said X and [added]", "…, [saying]", "went on [to say]"
_SHARES_SUBJECT = frozenset({"conj", "advcl", "xcomp"})
_VERB_POS = ("VERB", "AUX")
_NOUN_POS = ("NOUN", "PROPN")
_EDGE = " \t\n,;:-–—"
_CLAUSES = ("relcl", "acl")  # a relative or participial clause: "who said …", "backing Bush"


@dataclass(frozen=True, slots=True)
class CueGrammar:
    """The verbs from the cue's own up to the one whose subject it shares, that subject's whole phrase (`full`) and
    the mention made of it (`mention`: the phrase without a relative or participial clause after its noun)."""

    verbs: tuple
    subject: object  # the spaCy token
    offset: int
    full: tuple[int, int]
    mention: tuple[int, int]


def _span(off: int, tok) -> tuple[int, int]:
    return off + tok.left_edge.idx, off + tok.right_edge.idx + len(tok.right_edge.text)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _cue_verb(text: str, cue: tuple[int, int]):
    """(chunk offset, token) of the verb the cue belongs to: the cue's head, or the verb it hangs on, at most three
    steps up: a word that only goes with a verb ("[on] Tuesday", a ":" after "wrote", "reportedly"), or a noun in
    a phrase on the verb ("said in a [statement]", "told the [AP]", "found no fault with Trump's [criticism]": PolNeAR,
    like a reader, credits the view to the one who holds it)."""
    found = offsets.head_token(text, *cue)
    if found is None:
        return None
    off, tok = found
    for _ in range(3):
        if tok.pos_ in _VERB_POS or tok.head.i == tok.i:
            break
        tok = tok.head
    return (off, tok) if tok.pos_ in _VERB_POS else None


def _subject_chain(verb):
    """(verbs, subject): the nominal subject of `verb`, or of the verb it hangs on when it has none (a participle, a
    second verb, an infinitive, a verb after a preposition take their subject from there), with the verbs passed on
    the way. "pressed Yanukovych [to sign]" stops at "pressed": its object is who is to sign (object control), so
    the subject is that object. A passive gives none."""
    chain = [verb]
    tok = verb
    for _ in range(4):
        for child in tok.children:
            if child.dep_ == "nsubj":
                return chain, child
            if child.dep_ == "nsubjpass":
                return chain, None  # "what is [called] X": a passive's subject is what was said, not who said it
        if tok.dep_ == "pcomp" and tok.head.dep_ == "prep" and tok.head.head.pos_ in _VERB_POS:
            tok = tok.head.head  # "responded by [saying]", "defended it by [citing]"
            chain.append(tok)
            continue
        if tok.dep_ not in _SHARES_SUBJECT or tok.head.i == tok.i:
            return chain, None
        if tok.dep_ == "xcomp":
            controller = [c for c in tok.head.children if c.dep_ == "dobj" and c.i < tok.i]
            if controller:
                return chain, controller[0]
        tok = tok.head
        chain.append(tok)
    return chain, None


def _mention(text: str, off: int, subj) -> tuple[int, int]:
    """The subject's phrase up to a relative or participial clause after its noun ("Podesta[, who said the project
    was vetted …]", "One such document[, obtained by The Post]"), which says something else about the speaker. A
    pronoun keeps its clause: "those who back him" is the mention, "those" alone names no one."""
    start, end = _span(off, subj)
    if subj.pos_ in _NOUN_POS:
        clauses = [t.left_edge for t in subj.subtree if t.dep_ in _CLAUSES and t.i > subj.i]
        if clauses:
            first = min(clauses, key=lambda t: t.i)
            end = off + first.idx
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def cue_grammar(text: str, cue: tuple[int, int], parts: list[tuple[int, int]]) -> CueGrammar | None:
    """The cue's verbs and subject, or None: no verb, no subject, a subject that names no speaker, or one that lies in
    the quoted words or on another line than the verb."""
    found = _cue_verb(text, cue)
    if found is None:
        return None
    off, verb = found
    chain, subj = _subject_chain(verb)
    if subj is None or subj.lower_ in _NO_SPEAKER or subj.pos_ in _VERB_POS:
        return None  # a verb as subject is a misparse ("Hadvar [hacks] the wolf down, then turns to me")
    full = _span(off, subj)
    here = off + verb.idx
    between = text[min(full[0], here) : max(full[1], here)]
    if "\n" in between or any(_overlaps(full, p) for p in parts):
        return None  # a parse that runs a headline into the next line gives it no subject there
    mention = _mention(text, off, subj)
    if mention[1] <= mention[0]:
        return None
    return CueGrammar(tuple(chain), subj, off, full, mention)


def cue_subject(text: str, cue: tuple[int, int], parts: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The mention of the cue verb's subject (see `cue_grammar`), or None."""
    found = cue_grammar(text, cue, parts)
    return found.mention if found else None


def _addressed(grammar: CueGrammar, span: tuple[int, int]) -> bool:
    """The mention at `span` lies in a verb's object or complement to its right ("told [the AP]", "emailed
    [supporters], telling them"), on the way from the cue's verb to its subject."""
    below = None
    for verb in grammar.verbs:
        for child in verb.rights:
            if below is not None and child.i <= below.i <= child.right_edge.i:
                continue  # the branch the cue's own verb hangs in
            if (child.dep_ in ADDRESSEE_DEPS and child.lower_ not in _SOURCE_PREPOSITIONS
                    and _overlaps(_span(grammar.offset, child), span)):
                return True
        below = verb
    return False


def _in_clause(grammar: CueGrammar, span: tuple[int, int]) -> bool:
    """The mention at `span` lies in the subject's phrase but outside its mention: in a relative or participial
    clause about the subject ("Shelton, the head of a union which endorsed [Sanders], said"), not in an apposition
    to the subject, which names it ("The head of the PAC backing Bush, [Mike Murphy], said")."""
    if not _overlaps(grammar.full, span) or _overlaps(grammar.mention, span):
        return False
    off = grammar.offset
    for child in grammar.subject.children:
        if child.dep_ == "appos" and _overlaps(_span(off, child), span):
            return any(t.dep_ in _CLAUSES and _overlaps(_span(off, t), span) for t in child.subtree)
    return True


def _interjected(grammar: CueGrammar, span: tuple[int, int]) -> bool:
    """The mention at `span` lies in a phrase set between the subject and its verb ("Salceda, citing data from [the
    State Department], said")."""
    for verb in grammar.verbs:
        for child in verb.lefts:
            child_span = _span(grammar.offset, child)
            if (child.dep_ in INTERJECTED_DEPS and child.lower_ not in _SOURCE_PREPOSITIONS
                    and child_span[0] >= grammar.full[1] and _overlaps(child_span, span)):
                return True
    return False


def _elsewhere(grammar: CueGrammar, span: tuple[int, int]) -> bool:
    """The mention at `span` starts outside the sentence of the cue's verb."""
    sent = grammar.verbs[0].sent
    return not (grammar.offset + sent.start_char <= span[0] < grammar.offset + sent.end_char)


def grammatical_speaker(text: str, source: tuple[int, int] | None, cue: tuple[int, int] | None,
                        parts: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The speaker mention to use for a content: the tagger's `source`, unless the cue's verb has a subject and the
    source is missing, lies in the quoted words, sits in a clause about that subject ("Shelton, …, which endorsed
    [Sanders], said"), is a verb's addressee or medium ("told [WEEI]", "said [in an interview]"), is set between the
    subject and its verb ("X, in a statement released by [the campaign], said"), or lies in another sentence than the
    cue ('Rubio disagreed. “…,” he said.' linked to "Rubio"). Then the subject speaks."""
    if cue is None or not text[cue[0] : cue[1]].strip():
        return source
    grammar = cue_grammar(text, cue, parts)
    if grammar is None or (source is not None and _overlaps(grammar.mention, source)):
        return source
    if (source is None or any(_overlaps(source, p) for p in parts) or _in_clause(grammar, source)
            or _addressed(grammar, source) or _interjected(grammar, source) or _elsewhere(grammar, source)):
        return grammar.mention
    return source


def reporting_verb(text: str, cue: tuple[int, int] | None, parts: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The statement verb the content is the clausal complement of ("His positions … have hurt him, political experts
    [said]"; "Her comments speak to …, [said] O'Hanlon"), when the tagger's cue is missing or reports no words
    ("more arduous task wooing", "also"): the tagger then tied the content to the wrong cue, and the verb that
    governs it in the parse is the one that reports it. None when the cue reports speech, or no such verb lies
    outside the content."""
    if cue is not None and lexicon.reports_speech(text[cue[0] : cue[1]]):
        return None
    found = offsets.tokens_in(text, *parts[0])
    if found is None:
        return None
    off, words = found
    root = words.root
    verb = root.head
    if root.dep_ != "ccomp" or verb.lower_ not in lexicon.STATEMENT_FORMS or verb.pos_ not in _VERB_POS:
        return None
    span = (off + verb.idx, off + verb.idx + len(verb.text))
    if any(_overlaps(span, p) for p in parts) or (cue is not None and _overlaps(span, cue)):
        return None
    return span


def according_to(text: str, cue: tuple[int, int] | None, parts: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The source an "according to" phrase on the cue's clause names ("Clinton drew deep support among women, according
    to [exit polls]"), when the cue reports no words: what "drew support" tells is the exit polls' finding, not
    something Clinton said. A cue that reports speech keeps its own speaker ('“…,” Walker said, according to an AP
    account': the words are still Walker's)."""
    if cue is None or lexicon.reports_speech(text[cue[0] : cue[1]]) is not False:
        return None
    found = _cue_verb(text, cue)
    if found is None:
        return None
    off, clause = found
    for _ in range(4):  # up to the clause's own verb: "plans [to vote]", "said and [added]"
        if clause.dep_ not in _SHARES_SUBJECT or clause.head.i == clause.i:
            break
        clause = clause.head
    for child in clause.children:
        if child.dep_ == "prep" and child.lower_ == "according":
            objects = [t for t in child.subtree if t.dep_ == "pobj"]
            if objects:
                span = _mention(text, off, objects[0])
                if span[1] > span[0] and not any(_overlaps(span, p) for p in parts):
                    return span
    return None


def attribution(text: str, source: tuple[int, int] | None, cue: tuple[int, int] | None,
                parts: list[tuple[int, int]]) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """(speaker mention, cue) for a content, from the tagger's `source` and `cue` and the parse: the verb that
    reports the content when the tagger's cue reports nothing (`reporting_verb`), then the source an "according to"
    names (`according_to`), else the subject of the cue's verb where the tagger's source cannot be the speaker
    (`grammatical_speaker`)."""
    reported = reporting_verb(text, cue, parts)
    if reported is not None:
        cue, source = reported, cue_subject(text, reported, parts) or source
    return according_to(text, cue, parts) or grammatical_speaker(text, source, cue, parts), cue
