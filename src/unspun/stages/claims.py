"""The claims stage: check-worthy factual sentences, how the article sources them, and assertions about evidence.

Each sentence (spaCy's split, `unspun.runtime.nlp.sentences`) outside removed junk is scored by the
check-worthiness model (`unspun.runtime.claims_model`, loaded by `unspun.runtime.models`, a calibrated probability). Sentences at or above the
model's threshold (chosen on validation for the best F1) become `Claim` items. Each claim gets a `sourcing`:

- `attributed`: it overlaps a quote found by the quotes stage (`quote_id` names the best-overlapping one), or it
  carries its own attribution: "according to X", "as X puts it", or a speech verb with a subject ("X said",
  "reports say", "officials told reporters");
- `hedged`: no attribution, but a hedge ("allegedly", "reportedly", "it is claimed", "may have", ...);
- `asserted`: the author states it with no source.

`source_id` stays null here: the sources stage fills it.
"""

from __future__ import annotations

import bisect
import re

from unspun import lexicon
from unspun.document import Claim, Document
from unspun.limits import check_time
from unspun.runtime import nlp, offsets
from unspun.runtime.models import load_claims
from unspun.stages.reported import reports_content

# A claim is linked to a quote that covers at least this share of the sentence: a quote that covers the sentence
# carries the claim, while a short scare-quoted phrase inside the author's own sentence does not.
SENTENCE_SHARE = 0.3

_ATTRIBUTION = re.compile(
    r"\baccording\s+to\b|\bas\s+\w+(?:\s+\w+){0,3}\s+(?:puts?|put)\s+it\b|\b(?:as\s+)?(?:reported|cited|quoted)\s+by\b"
    r"|\bciting\b|\bin\s+the\s+words\s+of\b|\bsources?\s+(?:say|said|says|told|close\s+to)\b",
    re.IGNORECASE,
)
_FIRST_PERSON = frozenset({"i", "we"})
# Subjects that are no one's voice: "none of this explains why …", "this shows that …" is the author reasoning.
_NO_VOICE = frozenset({"this", "these", "those", "none", "nothing"})
_HEDGE = re.compile(
    r"\b(?:allegedly|alleged|reportedly|purportedly|supposedly|apparently|seemingly|ostensibly|possibly|perhaps"
    r"|probably|presumably|rumou?red|unconfirmed|unverified)\b"
    r"|\b(?:is|are|was|were)\s+(?:widely\s+|generally\s+|often\s+)?(?:considered|regarded\s+as)\b"
    r"|\b(?:the|as\s+the)\s+story\s+goes\b|\blegend\s+has\s+it\b"
    r"|\bit\s+(?:is|was|has\s+been)\s+(?:claimed|said|alleged|believed|thought|reported|rumou?red|suggested|understood)\b"
    r"|\b(?:is|are|was|were)\s+(?:said|believed|thought|alleged|reported|rumou?red|understood|claimed)\s+to\b"
    r"|\b(?:may|might|could)\s+(?:have|be)\b|\b(?:appears?|seems?)\s+to\b|\bit\s+(?:appears|seems)\b"
    r"|\b(?:claims|allegations|rumou?rs)\s+that\b",
    re.IGNORECASE,
)
_EVIDENCE_TALK = re.compile(
    r"\bno\s+(?:(?:hard|real|credible|concrete|solid|actual|verifiable|direct|such|shred\s+of|scrap\s+of)\s+)*(?:evidence|proof)\b"
    r"|\b(?:without|lack\s+of|absence\s+of|devoid\s+of)\s+(?:any\s+)?(?:(?:credible|real|hard)\s+)?(?:evidence|proof)\b"
    r"|\b(?:evidence|proof)\s+(?:has|have)\s+(?:not|never)\s+been\b"
    r"|\b(?:evidence|proof)\s+(?:clearly\s+)?(?:shows?|proves?|is\s+(?:clear|overwhelming|undeniable|irrefutable))\b"
    r"|\b(?:baseless|unfounded|unsubstantiated|debunked)\b",
    re.IGNORECASE,
)
# Confidence put in the place of a source. Such a phrase alone ("There is no doubt.", "Make no mistake.") claims
# nothing of its own, so it counts only in a sentence that says something besides it.
_CERTAINTY = re.compile(
    r"\bthere\s+(?:is|can\s+be)\s+(?:no|little)\s+doubt\b|\bno\s+doubt\s+(?:that|about)\b|\bbeyond\s+(?:any|a|all)\s+doubt\b"
    r"|\bit\s+is\s+(?:obvious|clear|evident|undeniable|indisputable|self-evident|certain|a\s+fact)\b"
    r"|\bit'?s\s+(?:obvious|clear|evident|undeniable|a\s+fact)\b"
    r"|\b(?:everyone|everybody|anyone|anybody)\s+(?:knows|can\s+see)\b|\b(?:we|you)\s+all\s+know\b"
    r"|\bno\s*(?:one|body)\s+(?:can|could|would)\s+(?:seriously\s+)?(?:deny|doubt|dispute)\b"
    r"|\b(?:clearly|obviously|undeniably|indisputably|irrefutably|unquestionably|evidently)\b"
    r"|\bthe\s+facts\s+(?:are\s+clear|speak\s+for\s+themselves)\b|\bgoes\s+without\s+saying\b|\bmake\s+no\s+mistake\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# Words that say nothing by themselves next to a confidence phrase ("There is no doubt about it at all.").
_FILLER = frozenset("""
a about absolutely all an and at be but can indeed is it it's its just me none of one quite really s simply so that
the there these they this those to us very was we were whatsoever you
""".split())


def evidence_assertion(sentence: str) -> bool:
    """True for sentences that talk about evidence or substitute confidence for sourcing.

    Such sentences ("no evidence has been produced", "it is obvious that ...", "everyone knows ...") are kept as
    claims even when the check-worthiness model scores them low: the model was trained on debate sentences worth
    fact-checking, and a sentence like "It is obvious who is behind this" carries no checkable number or event,
    yet it is exactly where an article asks for belief without a source, which readers need to see. A confidence
    phrase with nothing else in its sentence ("There is no doubt.") asserts nothing and does not count.
    """
    if _EVIDENCE_TALK.search(sentence):
        return True
    if not _CERTAINTY.search(sentence):
        return False
    rest = _CERTAINTY.sub(" ", sentence)
    return any(w.lower() not in _FILLER for w in _WORD.findall(rest))


def hedged(sentence: str, tokens: list | None = None, start: int = 0) -> bool:
    """Whether the sentence is reported with uncertainty. Given its tokens as (document offset, token) pairs and
    its own offset, a hedge counts only where it qualifies what the sentence states: not on a noun ("this alleged
    hero"), nor inside a subordinate part ("the guard, who was allegedly shot, is not registered")."""
    within = {tok.i for _, tok in tokens} if tokens else None
    for m in _HEDGE.finditer(sentence):
        tok = next((t for at, t in tokens if at == start + m.start()), None) if tokens else None
        if tok is not None and (tok.dep_ == "amod" or subordinate(tok.head if tok.dep_ == "advmod" else tok, within)):
            continue
        if _aside(sentence, m.start()):
            continue
        return True
    return False


# Words that open an adverbial clause: what it says is background to the sentence's statement, not the statement.
_SUBORDINATORS = re.compile(r"\b(?:even though|although|though|because|since|whereas|while|even if)\b", re.IGNORECASE)


def _aside(sentence: str, at: int) -> bool:
    """Whether the hedge at `at` sits in an aside the parse may miss: an appended noun phrase ("…, perhaps the most
    important of modern times"), a trailing adverbial clause ("…, even though … X allegedly dragged …"), or an
    opening one before the first comma ("Although X allegedly …, the plan went ahead")."""
    before = sentence[:at]
    if re.search(r",\s*$", before) and re.match(r"\w+\s+(?:the|a|an|one)\b", sentence[at:]):
        return True
    comma = before.rfind(",")
    sub = _SUBORDINATORS.search(before, comma + 1 if comma >= 0 else 0)
    if comma >= 0 and sub is not None and sentence[comma + 1 : sub.start()].strip() == "":
        return True
    first = _SUBORDINATORS.match(sentence.lstrip())
    return first is not None and "," in sentence and at < sentence.index(",")


# Dependencies that put a verb or noun inside a subordinate part of its sentence: an adverbial or adnominal clause
# ("before the cardinal warned the pope that …", "…, explaining that …"), a preposition's object ("precipitated by
# his announcement that …", "contrary to what the press is asserting").
_SUBORDINATE = frozenset({"advcl", "acl", "relcl", "pcomp", "pobj", "prep", "agent", "npadvmod", "amod"})


def _speech_word(tok) -> bool:
    return tok.lower_ in _CLAUSE_VERBS or tok.lower_ in lexicon.STATEMENT_NOUNS


def _as_clause(tok) -> bool:
    """"As the council has revealed, …": a parenthetical attribution of what the main clause states."""
    return tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children)


def subordinate(tok, within: set[int] | None = None) -> bool:
    """Whether `tok` (a cue) sits in a subordinate part of its sentence rather than in its main predication. Then
    what the sentence states (its main clause) is the author's, and a report inside it sources only itself. A
    subordinate clause that hangs on a speech verb or noun ("He added that …, noting that …", "a statement saying
    …") stays the speaker's, and so does "as X has revealed, …", a parenthetical attribution. `within` holds the
    indices of the sentence's tokens: a parse that ran past the sentence says nothing about it."""
    seen = 0
    while tok.head.i != tok.i and seen < 40:
        if within is not None and tok.head.i not in within:
            return False
        if _as_clause(tok):
            return False
        if tok.dep_ in _SUBORDINATE and not _speech_word(tok.head):
            return True
        if tok.dep_ in ("ccomp", "xcomp") and not _speech_word(tok.head):
            return True  # "… the first place I saw anyone say that …": a report inside the author's own statement
        tok, seen = tok.head, seen + 1
    return False


def _marked_share(text: str, start: int, end: int) -> float:
    """The share of text[start:end] inside double quotation marks."""
    inside, depth = 0, 0
    for c in text[start:end]:
        if c in "“«" or (c == '"' and depth == 0):
            depth = 1
        elif c in "”»\"":
            depth = 0
        elif depth:
            inside += 1
    return inside / max(end - start, 1)


def _main_cue(text: str, quote, within: set[int]) -> bool:
    """The quote's cue is part of the main predication of the sentence whose token indices are `within`, or it does
    not matter: "according to" and "as X put it" are attributions wherever they stand, and so are quotes that are
    mostly someone's words in quotation marks."""
    if quote.cue_start is None or quote.kind in ("direct", "block") or _ATTRIBUTION.search(quote.cue or ""):
        return True
    if _marked_share(text, quote.start, quote.end) >= 0.5:
        return True
    cue = offsets.tokens_in(text, quote.cue_start, quote.cue_end)
    if cue is None or not within:
        return True
    return not subordinate(cue[1].root, within)


def _carrying(doc: Document, start: int, end: int, within: set[int]) -> list:
    """The quotes that overlap [start, end) and can carry its claim: an indirect quote only when it reports content
    (`reports_content`, judged once per sentence for both checks below), and an indirect or mixed one only when its
    cue is the sentence's main predicate (`subordinate`; `within` holds the sentence's token indices)."""
    return [q for q in doc.quotes if q.start < end and start < q.end
            and (q.kind != "indirect" or reports_content(doc.text, q.start, q.end, q.cue))
            and (not start <= (q.cue_start or -1) < end or _main_cue(doc.text, q, within))
            and not _subordinate_report(doc.text, q, start, end, within)]


def _subordinate_report(text: str, quote, start: int, end: int, within: set[int]) -> bool:
    """The quote's words are the clause of a speech verb in a subordinate part of this sentence, whatever cue the
    tagger linked elsewhere: "X started a fund on Monday, explaining that he had been shot …" states the fund; the
    explanation is X's."""
    if quote.kind not in ("indirect", "mixed") or start <= (quote.cue_start or -1) < end or not within:
        return False
    found = offsets.tokens_in(text, quote.start, min(quote.end, end))
    if found is None:
        return False
    root = found[1].root
    head = root.head
    return (root.dep_ == "ccomp" and head.i != root.i and head.i in within and _speech_word(head)
            and subordinate(head, within))


def best_quote(quotes: list, start: int, end: int):
    """Of `quotes` (see `_carrying`), the one that overlaps [start, end) most (by its parts), if the overlap is big
    enough to count."""
    best, best_overlap = None, 0
    for q in quotes:
        parts = q.parts or [[q.start, q.end]]
        overlap = sum(max(0, min(end, b) - max(start, a)) for a, b in parts)
        if overlap >= SENTENCE_SHARE * (end - start) and overlap > best_overlap:
            best, best_overlap = q, overlap
    return best


class _Tokens:
    """The shared spaCy parse's tokens in document order, to look up a sentence's tokens by offset."""

    def __init__(self, text: str) -> None:
        self.items = [(offset + tok.idx, tok) for offset, tok in nlp.tokens(text)]
        self.starts = [s for s, _ in self.items]

    def pairs(self, start: int, end: int) -> list:
        """(document offset, token) for the tokens that start in [start, end)."""
        i = bisect.bisect_left(self.starts, start)
        j = bisect.bisect_left(self.starts, end)
        return self.items[i:j]


# Verbs whose subject is attributed what follows only when a clause follows ("the jury found that …", not "the
# jury found him not guilty"; "Warren called a meeting" is an act, "Warren called it a cover-up, …" is speech only
# with a clause): every statement verb of the lexicon, plus the claims list's verbs of belief.
_CLAUSE_VERBS = (lexicon.STATEMENT_FORMS | lexicon.CLAIM_REPORTING_FORMS) - lexicon.forms(lexicon.PHYSICAL)
_SAY = lexicon.forms(lexicon.SAYING)


def speech_attribution(tokens: list) -> bool:
    """A speech or report verb with an active subject that is not the author ("X said", "reports say"). A verb
    that can also name an act ("found", "called", "showed", "described") counts only with a clause after it, and
    none counts inside a subordinate part of the sentence ("Contrary to what the press is asserting, …")."""
    within = {t.i for t in tokens}
    for tok in tokens:
        word = tok.lower_
        if word in _CLAUSE_VERBS and tok.pos_ in ("VERB", "AUX"):
            clause = any(c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX") for c in tok.children)  # not "him guilty"
            subject = any(c.dep_ == "nsubj" and c.lower_ not in _FIRST_PERSON | _NO_VOICE for c in tok.children)
            if subject and (word in _SAY or clause or _as_clause(tok)) and not subordinate(tok, within):
                return True
    return False


def _cue_inside(quotes: list, start: int, end: int):
    """Of `quotes` (see `_carrying`), one whose cue and speaker mention both lie in [start, end): the sentence
    reports someone's words ("Rundle theorized in 2017 that Apple would do this"), however short the quoted part."""
    for q in quotes:
        if (q.cue_start is not None and q.speaker_start is not None and start <= q.cue_start < end
                and start <= q.speaker_start < end):
            return q
    return None


def sourcing_of(doc: Document, start: int, end: int, tokens: _Tokens) -> tuple[str, str | None]:
    """(sourcing, quote_id) for the sentence at [start, end)."""
    pairs = tokens.pairs(start, end)  # the sentence's tokens, looked up once for every check below
    words = [tok for _, tok in pairs]
    quotes = _carrying(doc, start, end, {tok.i for tok in words})
    quote = best_quote(quotes, start, end) or _cue_inside(quotes, start, end)
    if quote is not None:
        return "attributed", quote.id
    sentence = doc.text[start:end]
    if _ATTRIBUTION.search(sentence) or speech_attribution(words):
        return "attributed", None
    if hedged(sentence, pairs, start):
        return "hedged", None
    return "asserted", None


NAME = "claims"  # the stage contract (unspun.pipeline): its name, the stages it needs first, and run(doc)
REQUIRES: tuple[str, ...] = ("quotes",)
READS_PARSE = True  # whether it reads the shared spaCy parse (`unspun.runtime.nlp.parse`)


def run(doc: Document) -> None:
    """Add a Claim for each check-worthy sentence and each assertion about evidence; skip removed junk."""
    model, info = load_claims()
    doc.models["claims"] = dict(info)
    edges = doc.junk_edges()  # a sentence with junk at its edge ("… [Jane Doe/ Example Wire]") is kept without it
    spans = [span for s, e in nlp.sentences(doc.text) if (span := edges.trim(s, e)) is not None]
    if not spans:
        return
    scores = model.scores([doc.text[s:e] for s, e in spans], progress=lambda _: check_time())  # a 2 MB text: minutes
    tokens = _Tokens(doc.text)
    for (start, end), score in zip(spans, scores):
        about_evidence = evidence_assertion(doc.text[start:end])
        if score < model.threshold and not about_evidence:
            continue
        sourcing, quote_id = sourcing_of(doc, start, end, tokens)
        doc.add(Claim, start, end, checkworthy=round(float(score), 4), sourcing=sourcing, quote_id=quote_id,
                source_id=None, evidence_assertion=about_evidence)
