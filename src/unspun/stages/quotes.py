"""The quotes stage: direct, indirect, block and mixed quotes, with their cue and who said them.

A MiniLM tagger trained on PolNeAR (`unspun/models/quotes/`) marks source, cue and content tokens; decoding
joins split quotes and links each content to its cue and source (see `unspun.runtime.quote_model`). The parse then
checks who speaks: the subject of the cue's verb, where the linked source is its addressee, a clause about the speaker
or in another sentence (`unspun.stages.cue_subject`). Then the speaker mention is resolved to a canonical name from
the document's named entities (`unspun.stages.speakers`), and the quote's kind is read from its quotation marks and
cue. Removed junk is skipped.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from unspun import lexicon
from unspun.document import Document, Quote, View
from unspun.ingest import text as text_ingest
from unspun.runtime import nlp, offsets, titles
from unspun.runtime.models import load_quotes
from unspun.runtime.quote_marks import CLOSE_MARKS, OPEN_MARKS
from unspun.runtime.quote_model import Attribution, QuoteModel
from unspun.stages import reported
from unspun.stages.cue_subject import attribution
from unspun.stages.speakers import ANONYMOUS, GROUP_PRONOUNS, PERSON_PRONOUNS, EntityIndex, Resolution, resolve

_EDGE_PUNCT = " \t\n,.;:!?-–—"
_BLOCK_CUES = ("put it", "puts it", "wrote", "writes", "write")
RECENT_PERSON_CHARS = 800
_STANCE = lexicon.forms(lexicon.STANCE) | frozenset((w[:-1] if w.endswith("e") else w) + "ing" for w in lexicon.STANCE)
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
# "Nobody is saying the docks should be left to rot": a negated speaker reports no speech
NEGATED_SPEAKERS = frozenset({"nobody", "no one", "no-one", "none", "noone", "nothing", "no official", "no source"})
_NEGATED_HEADS = ("nobody ", "no one ", "no-one ", "none of ")


def _antecedent(text: str, span: tuple[int, int], index: EntityIndex) -> str | None:
    """The noun phrase a relative pronoun refers to ("One café owner, who …"), from the dependency parse."""
    from unspun.runtime.offsets import tokens_in

    found = tokens_in(text, *span)
    if found is None:
        return None
    offset, toks = found
    tok = toks[0]
    if tok.head.dep_ != "relcl":
        return None
    noun = tok.head.head
    left = min([noun.i] + [c.left_edge.i for c in noun.lefts])
    a, b = offset + noun.doc[left].idx, offset + noun.idx + len(noun.text)
    ents = [e for e in index.inside(a, b) if e.label in ("PERSON", "ORG", "GPE", "NORP")]
    if ents:
        return index.canonical(ents[-1].text, ents[-1].label)
    return text[a:b]


def _last_subject(text: str, start: int, end: int, describes) -> str | None:
    """The noun phrase of the last subject token in text[start:end) that `describes(tok)` accepts (a person
    described, not named), from the dependency parse, or None."""
    found = offsets.tokens_in(text, start, end) if end > start else None
    if found is None:
        return None
    offset, toks = found
    best = None
    for tok in toks:
        if tok.ent_type_ == "" and describes(tok):
            left = min([tok.i] + [c.left_edge.i for c in tok.lefts])
            a, b = offset + tok.doc[left].idx, offset + tok.idx + len(tok.text)
            if start <= a and b <= end:
                best = text[a:b]
    return best


def _described_speaker(text: str, start: int, end: int) -> str | None:
    """The last person described, not named, as the subject of a verb in text[start:end) ("One café owner, who
    asked not to be named, said …", "Hadvar's uncle … bats her into a cart"): who was last the subject, from the
    dependency parse; a singular person noun, since it stands for "he" or "she"."""
    return _last_subject(text, start, end, lambda tok: (
        tok.dep_ == "nsubj" and tok.pos_ == "NOUN" and tok.tag_ == "NN"
        and tok.text.lower() in lexicon.DESCRIBED_PERSON_NOUNS))


def kind_of(text: str, parts: list[tuple[int, int]], cue: str | None) -> str:
    """direct: the content is all inside quotation marks; mixed: it contains a quoted part; block: no marks and
    introduced by a colon or "as X puts it"; indirect: reported speech."""
    content = " ".join(text[s:e] for s, e in parts).strip(_EDGE_PUNCT)
    if not content:
        return "indirect"
    if content[0] in OPEN_MARKS and content[-1] in CLOSE_MARKS:
        return "direct"
    if any(c in content for c in "\"“”«»„「」"):
        return "mixed"
    cue_text = (cue or "").strip().lower()
    if cue_text.endswith(":") and "\n" in text[max(0, parts[0][0] - 3) : parts[0][0] + 1] or (
        any(cue_text.endswith(b) for b in _BLOCK_CUES) and len(content) > 200
    ):
        return "block"  # set off on its own line after a colon, or a long passage after "as X put it"
    return "indirect"


_AS_PUTS_IT = re.compile(r"\b[Aa]s ([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}|(?:he|she|they|one) ?\w*?) (?:puts|put|has put|once put) it,\s*")
# the words just before the colon must announce speech: "…, she said:", "the statement read in full:"
_BLOCK_INTRO = re.compile(
    r"\b(?:said|says|say|wrote|writes|read|reads|stated|states|declared|declares|added|adds|tweeted|posted|explained|"
    r"argued|warned|told \w+|in full|as follows|the following|statement|puts? it|"
    r"(?:[’']s|his|her|their) (?:argument|remarks|comments|words|testimony|speech|message|letter|post|tweet|response|"
    r"reply|answer|point|case))\W{0,3}$", re.IGNORECASE)
_ACCORDING_TO = re.compile(r"\baccording to\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?](?=[\"”’']?\s|[\"”’']?$)")


def rule_attributions(text: str, atts: list[Attribution]) -> list[Attribution]:
    """Quotes the tagger tends to miss, by rule: block quotes after a colon-ended paragraph, "As X puts it, …",
    "As X has argued, …", and the content of an "according to X" whose content the tagger left untagged. Each replaces tagger
    contents it overlaps."""
    found = [*_block_after_colon(text, atts), *_as_puts_it(text), *_as_x_says(text), *_according_to(text, atts)]
    if not found:
        return atts
    kept = [x for x in atts if not any(_overlaps(f, x.start, x.end) for f in found)]
    return sorted(kept + found, key=lambda x: x.start)


def _block_after_colon(text: str, atts: list[Attribution]) -> list[Attribution]:
    """A paragraph ending with ":" introduces the next paragraph, unquoted: a block quote. In a scrape with one
    line per paragraph and no blank lines, where the block ends is unknown: it takes the next line (and one more
    when that line is a short lead-in, "So let me make two points."), never a guess at more."""
    found = _block_after_colon_line(text, atts)
    for m in re.finditer(r":[ \t]*\n\s*\n", text):
        start = m.end()
        if start >= len(text) or text[start] in OPEN_MARKS:
            continue
        nxt = text.find("\n\n", start)
        end = len(text) if nxt < 0 else nxt
        intro_start = text.rfind("\n\n", 0, m.start()) + 1
        if end - start < 40 or m.start() - intro_start > 400 or not _BLOCK_INTRO.search(text, intro_start, m.start()):
            continue
        source = _last_source(atts, intro_start, m.start())
        found.append(Attribution(parts=[(start, end)], score=0.6, cue=(m.start(), m.start() + 1), source=source,
                                 extra={"kind": "block"}))
    return found


def _block_after_colon_line(text: str, atts: list[Attribution]) -> list[Attribution]:
    found = []
    for m in re.finditer(r":[ \t]*\n(?=[ \t]*[^\s\n])", text):
        start = m.end()
        if text[start] in OPEN_MARKS:
            continue
        intro_start = text.rfind("\n", 0, m.start()) + 1
        if m.start() - intro_start > 300 or not _BLOCK_INTRO.search(text, intro_start, m.start()):
            continue
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if end - start < 80 and end < len(text) and text[end + 1 : end + 2].strip():
            nxt = text.find("\n", end + 1)
            end = len(text) if nxt < 0 else nxt
        if end - start < 40:
            continue
        source = _last_source(atts, intro_start, m.start())
        if source is None:  # "Here's the crux of Greenwald's argument:"
            owner = _POSSESSOR.search(text, intro_start, m.start())
            source = owner.span(1) if owner else None
        found.append(Attribution(parts=[(start, end)], score=0.6, cue=(m.start(), m.start() + 1), source=source,
                                 extra={"kind": "block"}))
    return found


_POSSESSOR = re.compile(r"\b([A-Z][\w.-]+(?: [A-Z][\w.-]+){0,3})[’']s (?:\w+ ){0,2}\w+\W{0,3}$")


def _as_puts_it(text: str) -> list[Attribution]:
    """"As X puts it, …" up to the end of the sentence."""
    found = []
    for m in _AS_PUTS_IT.finditer(text):
        start = m.end()
        end_m = _SENTENCE_END.search(text, start)
        end = end_m.end() if end_m else len(text)
        if end - start >= 12:
            cue_at = m.group(0).rfind(" put")
            found.append(Attribution(parts=[(start, end)], score=0.6,
                                     cue=(m.start() + cue_at + 1, m.end() - 1), source=m.span(1), extra={"kind": "block"}))
    return found


def _as_x_says(text: str) -> list[Attribution]:
    """"As X argues, …", "as X has revealed, …", "As she urges in her book, …": an "as" clause whose verb reports
    speech gives the rest of the sentence as X's words, reported (the claims stage reads the same clause as a source).
    A verb that reports no speech ("As Smith walked in", "As Americans know") is no attribution."""
    found = []
    for m in _AS_X_SAYS.finditer(text):
        if m.group("verb") not in lexicon.STATEMENT_FORMS or m.group("verb") in ("put", "puts"):
            continue
        start = m.end()
        end_m = _SENTENCE_END.search(text, start)
        end = min(end_m.start() if end_m else len(text), _line_end(text, start))
        if end - start >= 12:
            found.append(Attribution(parts=[(start, end)], score=0.6, cue=m.span("verb"), source=m.span("name"),
                                     extra={"rule": True}))
    return found


def _line_end(text: str, pos: int) -> int:
    nl = text.find("\n", pos)
    return len(text) if nl < 0 else nl


def _according_to(text: str, atts: list[Attribution]) -> list[Attribution]:
    """"According to X, <content>.", "<content>, according to X." and "<con-, according to X, -tent>." (a
    parenthesis) when the tagger tagged no content; the parenthesis also when the tagger took only the words before
    it ("The professor, according to BuzzFeed News, failed …" → "The professor")."""
    found = []
    for att_cue in _ACCORDING_TO.finditer(text):
        a, b = att_cue.span()
        sent_start = max(text.rfind("\n", 0, a) + 1, _last_sentence_end(text, a))
        end_m = _SENTENCE_END.search(text, b)
        sent_end = end_m.start() if end_m else len(text)
        comma = text.find(",", b, sent_end)
        before = text.rfind(",", sent_start, a)
        if (a - sent_start > 3 and comma > 0 and text[sent_start:a].rstrip().endswith(",")
                and comma - b < 80 and sent_end - comma > 12 and _no_verb(text, sent_start, before)):
            # "<X>, according to Y, <Z>.": the content is X and Z, the source Y
            parts = [p for p in (_tidy(text, sent_start, before), _tidy(text, comma + 1, sent_end)) if p]
            if len(parts) == 2 and not any(_overlaps(x, sent_start, sent_end) for x in atts
                                           if not (x.cue and a <= x.cue[0] < b) and not (x.cue and sent_start <= x.cue[0] < sent_end)):
                found.append(Attribution(parts=parts, score=0.55, cue=(a, b), source=(b + 1, comma), extra={"rule": True}))
            continue
        if any(x.cue and x.cue[0] <= a < x.cue[1] for x in atts):
            continue
        if a - sent_start <= 3 and comma > 0:  # "According to X, content."
            source, content = (b + 1, comma), (comma + 1, sent_end)
        elif a - sent_start > 12 and text[sent_start:a].rstrip().endswith(","):  # "content, according to X."
            source, content = (b + 1, sent_end), (sent_start, before)
        else:
            continue
        # a tagger content whose own cue lies inside this one is a report nested in it ("…, after officials notified
        # Kinshasa of 21 cases, according to WHO"): the explicit "according to" still owns the sentence
        if content[1] - content[0] >= 12 and not any(
                _overlaps(x, *content) and not (x.cue and content[0] <= x.cue[0] < content[1]) for x in atts):
            found.append(Attribution(parts=[content], score=0.55, cue=(a, b), source=source, extra={"rule": True}))
    return found


def _no_verb(text: str, start: int, end: int) -> bool:
    """text[start:end] holds no verb, by the parse: a subject or a time phrase waiting for its clause ("The
    professor", "But the next day"), not a clause of its own."""
    found = offsets.tokens_in(text, start, end) if end > start else None
    return found is not None and not any(t.pos_ in ("VERB", "AUX") for t in found[1])


def _overlaps(att: Attribution, start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in att.parts)


def _last_source(atts: list[Attribution], start: int, end: int) -> tuple[int, int] | None:
    inside = [x.source for x in atts if x.source and start <= x.source[0] < end]
    return inside[-1] if inside else None


def _last_sentence_end(text: str, pos: int) -> int:
    last = 0
    for m in _SENTENCE_END.finditer(text, max(0, pos - 400), pos):
        last = m.end()
    return last


_PARAGRAPH_END = re.compile(r"[.!?][\"”’']?[ \t]*\r?\n(?=\s*[^\W\d_a-z])")  # and the next line starts a sentence


def _within_paragraph(text: str, parts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Indirect speech cut where a sentence ends at a line break: with no quotation marks to close it, what follows is
    the author's next paragraph ("… few logical possibilities.\nLike …"), not more of the report. A break inside a
    sentence (scrapes wrap lines anywhere) is no end."""
    out: list[tuple[int, int]] = []
    for s, e in parts:
        brk = _PARAGRAPH_END.search(text, s, e)
        if brk is not None:
            cut = _tidy(text, s, brk.start() + 1)
            if cut:
                out.append(cut)
            break
        out.append((s, e))
    return out or parts[:1]


_DOUBLE_OPEN = "“„«"
_DOUBLE_CLOSE = "”»"


def _mark_depth(text: str, start: int, end: int, depth: int = 0) -> list[tuple[int, int]]:
    """(position, depth after it) for each double quotation mark in text[start:end], from `depth` at `start`.
    A straight '"' opens when outside marks and closes when inside; single marks are skipped (they are apostrophes
    too often to count)."""
    out = []
    for i in range(start, end):
        c = text[i]
        if c in _DOUBLE_OPEN or c in _DOUBLE_CLOSE or c == '"':
            depth = _depth_after(c, depth)
            out.append((i, depth))
    return out


def _depth_after(mark: str, depth: int) -> int:
    """The quotation depth after one double mark: an opening mark, or a straight '"' outside marks, opens."""
    if mark in _DOUBLE_OPEN or (mark == '"' and depth == 0):
        return depth + 1
    return max(0, depth - 1)


class _LineMarks:
    """The double quotation marks of one text, read once, each with what `_mark_depth` from its line's start and
    `_within_marks` would count up to and including it. Both ask about the stretch from a line's start to a
    position, for every quote: on a text without line breaks (one line of megabytes) reading it each time was
    quadratic. Here each answer is two bisections."""

    _EVENT = re.compile("[\n" + _DOUBLE_OPEN + _DOUBLE_CLOSE + '"]')

    def __init__(self, text: str) -> None:
        self.breaks: list[int] = []  # positions of "\n"
        self.marks: list[int] = []  # positions of double marks
        self.after: list[tuple[int, int, int, int]] = []  # per mark: (depth, “ count, ” count, " count) since its line's start
        depth = opens = closes = straight = 0
        for m in self._EVENT.finditer(text):
            c = m.group()
            if c == "\n":
                self.breaks.append(m.start())
                depth = opens = closes = straight = 0
                continue
            depth = _depth_after(c, depth)
            opens += c == "“"
            closes += c == "”"
            straight += c == '"'
            self.marks.append(m.start())
            self.after.append((depth, opens, closes, straight))

    def before(self, pos: int) -> tuple[int, int, int, int]:
        """(depth, “, ”, ") over text[line start : pos]: all 0 when no mark precedes `pos` on its line."""
        i = bisect_left(self.marks, pos) - 1
        b = bisect_left(self.breaks, pos) - 1
        if i < 0 or (b >= 0 and self.marks[i] < self.breaks[b]):
            return 0, 0, 0, 0
        return self.after[i]


@lru_cache(maxsize=4)
def _line_marks(text: str) -> _LineMarks:
    return _LineMarks(text)


_NEXT_SENTENCE = re.compile(r"[.!?]?[ \t]+(?=[A-Z“\"])")


def _new_sentence_between(text: str, end: int, start: int, attribution: tuple[tuple[int, int] | None, ...]) -> bool:
    """The gap text[end:start] between two parts of a quote starts a new sentence and names neither the cue nor
    the speaker."""
    gap = text[end:start]
    if any(span and end <= span[0] < start for span in attribution):
        return False
    before = text[max(0, end - 2) : end]
    return any(c in ".!?" for c in before) and bool(re.match(r"[”»\"’']?\s+[A-Z]", gap))


def _closed_quotes(text: str, parts: list[tuple[int, int]],
                   attribution: tuple[tuple[int, int] | None, ...] = ()) -> list[tuple[int, int]]:
    """A quote with quotation marks ends where its marks close and the author goes on: at a line break outside the
    marks ('"You should go to Solitude."\nWow, dude'), or at a new sentence after the closing mark ('… not served.”
    Her brother was …'). What follows is kept only as a new part when it opens a new quotation ('… weak laws.”\n
    “In addition …'); the first part that does not ends the quote. Line breaks inside the marks (a quote of several
    paragraphs) are no end. Nor does a later part follow on when the text between begins a sentence that holds
    neither the cue nor the speaker (`attribution`): '“… not served.” Her brother Brad was “stunned …”' is
    someone else's."""
    depth = _line_marks(text).before(parts[0][0])[0]  # = _mark_depth from the line's start, read once per text
    out: list[tuple[int, int]] = []
    for s, e in parts:
        if out and _new_sentence_between(text, out[-1][1], s, attribution):
            return out
        after = dict(_mark_depth(text, s, e, depth))  # position of a mark -> depth after it
        cuts: list[tuple[int, int]] = []  # (end of a piece, start of the next)
        cur = depth
        for i in range(s, e):
            cur = after.get(i, cur)
            if cur:
                continue
            if text[i] == "\n":
                cuts.append((i, i + 1))
            elif i in after and (text[i - 1] in ".!?" or text[i + 1 : i + 2] in (".", "!", "?")):
                m = _NEXT_SENTENCE.match(text, i + 1)
                if m and m.end() < e:
                    cuts.append((m.start() + (text[m.start()] in ".!?"), m.end()))
        depth = cur
        starts = [s] + [b for _, b in cuts]
        ends = [a for a, _ in cuts] + [e]
        lead = None  # a first line with no sentence end, before the marks: a caption or heading the tagger ran on from
        for k, (ps, pe) in enumerate(zip(starts, ends)):
            piece = _tidy(text, ps, pe) if pe > ps else None
            if piece is None:
                continue
            if not out and k == 0 and len(starts) > 1 and not _mark_depth(text, ps, pe) and not re.search(
                    r"[.!?:;,\"”’')]\s*$", text[ps:pe]):
                lead = piece  # "Shutterstock\nA professor … “is not a country,” according to …"
                continue
            if k and text[piece[0]] not in _DOUBLE_OPEN + '"' and not (lead and k == 1):
                return out or parts[:1]  # the author's own words after the quote: it ends here
            out.append(piece)
    return out or parts[:1]


_MINOR_WORDS = frozenset("a an the of to in on at by for and or but nor with from as vs via into over is are be".split())


def _title_of_a_work(quoted: str) -> bool:
    """Text in quotation marks that reads as a title (a book, a film, a programme, a headline in Title Case): two to
    fifteen words, every word but the minor ones capitalised, no sentence inside."""
    inner = quoted.strip(" \t\r\n" + "".join(OPEN_MARKS) + "".join(CLOSE_MARKS)).rstrip(".,;:")
    words = re.findall(r"[^\W_][\w'’&-]*", inner)
    if not 2 <= len(words) <= 15 or re.search(r"[.!?]\s", inner):
        return False
    major = [w for w in words if w.lower() not in _MINOR_WORDS]
    return bool(major) and all(w[0].isupper() or w[0].isdigit() for w in major) and not inner.isupper()


def _heading_elsewhere(text: str, at: int, quote_start: int) -> bool:
    """The mention at `at` sits in a heading line other than the quote's own line."""
    same_line = "\n" not in text[min(at, quote_start) : max(at, quote_start)]
    return not same_line and text_ingest.heading_line(text, at)


def _paragraph_groups(text: str, parts: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """The parts of a split quote, one group per paragraph: '"…," said Ricardo Wong, director.\n"As part of …"' is
    two quotes by one speaker (as a reader and the annotation guides count them), and its span never swallows the
    attribution between them. Parts within one paragraph stay one quote ('"…," said X. "…"')."""
    groups = [[parts[0]]]
    for prev, part in zip(parts, parts[1:]):
        if "\n" in text[prev[1] : part[0]]:
            groups.append([part])
        else:
            groups[-1].append(part)
    return groups


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) widened to whole words and numbers: a span never starts or ends inside "5,000" or a word."""
    def inside(i: int) -> bool:
        if i <= 0 or i >= len(text):
            return False
        a, b = text[i - 1], text[i]
        return (a.isalnum() and b.isalnum()) or (
            a in ",." and b.isdigit() and i >= 2 and text[i - 2].isdigit()) or (
            b in ",." and a.isdigit() and i + 1 < len(text) and text[i + 1].isdigit())

    steps = 0
    while inside(start) and steps < 40:
        start, steps = start - 1, steps + 1
    steps = 0
    while inside(end) and steps < 40:
        end, steps = end + 1, steps + 1
    return start, end


_ACCOUNT_NOUNS = lexicon.STATEMENT_NOUNS | frozenset(
    "account accounts story stories version line position view views conclusion finding findings verdict ruling "
    "explanation excuse narrative theory message".split())


def _after_statement_noun(text: str, at: int) -> bool:
    """The word before `at` is a noun for something said ("the official account [was] that …")."""
    words = re.findall(r"[\w’'-]+", text[max(0, at - 40) : at])
    return bool(words) and words[-1].lower() in _ACCOUNT_NOUNS


_DOER_ENDINGS = ("ors", "ers", "ists", "ians", "ants", "ents")


def _described_group(text: str, start: int, end: int) -> str | None:
    """The last people described in the plural, not named, as a subject in text[start:end) ("administrators",
    "the parents"), from the parse: a plural common noun for people, with its modifiers."""
    return _last_subject(text, start, end, lambda tok: (
        tok.dep_ in ("nsubj", "nsubjpass") and tok.tag_ == "NNS"
        and (tok.lower_.endswith(_DOER_ENDINGS) or tok.lower_ in lexicon.DESCRIBED_PERSON_NOUNS
             or tok.lower_.rstrip("s") in lexicon.DESCRIBED_PERSON_NOUNS)))


def _has_word(text: str, start: int, end: int) -> bool:
    return any(ch.isalnum() for ch in text[start:end])


def _participle_of_thing(text: str, cue: tuple[int, int]) -> bool:
    """The cue is a past participle modifying a noun ("a megamerger announced Monday", "the plan unveiled last
    week"): the noun is what was announced, so the clause after it is the author's account of that thing."""
    found = offsets.head_token(text, *cue)
    if found is None:
        return False
    _, tok = found
    # a finite verb the parse took for a participle keeps its own subject, auxiliary or clause ("A poll found last
    # week that …", "Trump, who …, tweeted to say …"); a name is not what was announced
    return (tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.head.pos_ == "NOUN"
            and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "ccomp", "xcomp", "mark")
                        for c in tok.children))


def _tidy(text: str, start: int, end: int) -> tuple[int, int] | None:
    start, end = _whole_words(text, start, end)
    while start < end and text[start] in _EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCT:
        end -= 1
    return (start, end) if end > start else None


# A negation right before or inside the cue: "can't predict", "did not say", "never claimed".
_NEGATION = re.compile(r"\b(?:not|never|cannot)\b|n[’']t\b", re.IGNORECASE)
_NEGATED_BEFORE = re.compile(r"(?:\b(?:not|never|cannot)|n[’']t)\s+(?:[a-z]+ly\s+)?$", re.IGNORECASE)


def _marked(text: str, att: Attribution) -> bool:
    """The quote opens with a quotation mark: someone's words are given whatever the cue says."""
    return text[att.parts[0][0] : att.parts[0][1]].lstrip()[:1] in OPEN_MARKS or (
        att.parts[0][0] > 0 and text[att.parts[0][0] - 1] in OPEN_MARKS)


_NAME = r"[A-Z][\w.’'-]+(?: (?:[A-Z][\w.’'-]+|de|van|von|bin|al))*"
_AS_X_SAYS = re.compile(
    rf"(?<![\w-])[Aa]s (?P<name>{_NAME}|he|she|they) (?:(?:has|have|had|once|also|rightly|correctly|recently|"
    r"repeatedly|often) )*(?P<verb>[a-z]+)(?: (?:in|on|at|to) [^,.\n]{1,80})?,[ \t]*")
_TRAILING = re.compile(
    rf"[,.?!]?[”\"’']?[ \t]*(?:(?P<v1>[a-z]+)[ \t]+(?P<n1>{_NAME})|(?P<n2>{_NAME}|he|she|they)[ \t]+(?P<v2>[a-z]+))"
    r"[ \t]*[.,;]")


def _trailing_attribution(text: str, end: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """'“…,” Fa said.' / '“…,” said Jane Roe,': the (speaker, cue) spans right after a quotation's closing mark,
    when the verb is a statement verb. The tagger sometimes leaves such a plain attribution untagged."""
    m = _TRAILING.match(text, end)
    if m is None:
        return None
    name, verb = ("n1", "v1") if m.group("v1") else ("n2", "v2")
    if m.group(verb) not in lexicon.STATEMENT_FORMS:
        return None
    return m.span(name), m.span(verb)


def _unresolved(name: str | None, resolved_from: str | None, mention: str) -> bool:
    """A he/she/they that resolution gave back as itself: it stands for no one the text names."""
    word = mention.lower()
    return (resolved_from == "pronoun" and name is not None and name.lower() == word
            and (word in PERSON_PRONOUNS or word in GROUP_PRONOUNS))


def _within_marks(text: str, pos: int) -> bool:
    """`pos` lies inside quotation marks opened earlier on its line."""
    _, opens, closes, straight = _line_marks(text).before(pos)
    return opens > closes or straight % 2 == 1


def _author_speaks(text: str, cue: tuple[int, int]) -> bool:
    """The cue verb's grammatical subject is "I" or "we" (followed up a chain of conjoined verbs: "I went to the
    desk and asked")."""
    if not any(ch.isalpha() for ch in text[cue[0] : cue[1]]) or _within_marks(text, cue[0]):
        return False  # inside quotation marks "we" is the speaker's ("“Yes. We held four meetings …”")
    found = offsets.head_token(text, *cue)
    if found is None:
        return False
    tok = found[1]
    for _ in range(4):
        if tok.dep_ != "conj" or tok.head.i == tok.i:
            break
        tok = tok.head
    return tok.pos_ in ("VERB", "AUX") and any(c.dep_ == "nsubj" and c.lower_ in ("i", "we") and c.i < tok.i
                                               for c in tok.children)  # "says we're welcome": not its subject


def _continues(text: str, before: Quote, start: int) -> bool:
    """The quotation starting at `start` opens the paragraph right after the one that ends with `before`, a direct
    quote with a speaker, and nothing but its attribution lies between ('“…,” Fa said.\n“We also learned …”'):
    news style for one speaker's words running on over paragraphs."""
    if before.speaker is None or before.kind not in ("direct", "mixed") or start <= before.end:
        return False
    between = text[before.end : start]
    if between.count("\n") not in (1, 2) or len(between) > 80:
        return False
    tail, opening = between[: between.index("\n")], between[between.rindex("\n") + 1 :].strip()
    opens = bool(opening) or text[start : start + 1] in OPEN_MARKS  # the span may start at its mark or after it
    return opens and not any(mark in tail for mark in OPEN_MARKS) and all(c in OPEN_MARKS for c in opening)


def _not_speech(text: str, att: Attribution, index: EntityIndex) -> bool:
    """Tagger output that reports no speech: a negated speaker, or a bare colon after a word that can't speak
    (a headline such as "The Great Harbour Swindle: How Our Leaders Sold Out", against "Trump: we will win")."""
    if not att.source:
        return False
    mention = " ".join(text[att.source[0] : att.source[1]].lower().split())
    if mention in NEGATED_SPEAKERS or (mention + " ").startswith(_NEGATED_HEADS):  # "Nobody in Millbrook asked …"
        return True
    cue_start = att.cue[0] if att.cue else 0
    while cue_start > 0 and (text[cue_start - 1].isalnum() or text[cue_start - 1] in "’'"):
        cue_start -= 1  # the tagger may start a cue inside a word ("can’|t predict")
    if att.cue and att.extra.get("kind") != "block" and not _marked(text, att) and (
            _NEGATION.search(text, cue_start, att.cue[1])
            or _NEGATED_BEFORE.search(text[max(att.source[1], cue_start - 24) : cue_start])):
        return True  # "Scientists can't predict hurricanes …", "she did not say that …": no words are reported
    if att.extra.get("kind") == "block" or not att.cue or text[att.cue[0] : att.cue[1]].strip() != ":":
        return False
    if text[att.parts[0][0] : att.parts[0][1]].lstrip()[:1] in OPEN_MARKS:
        return False
    if any(e.label in ("PERSON", "ORG", "GPE", "NORP") for e in index.inside(*att.source)):
        return False
    words = mention.replace("’", "'").split()
    return not (words and (words[-1] in lexicon.PERSON_NOUNS or words[-1] in lexicon.ORG_NOUNS or words[-1] in PERSON_PRONOUNS
                           or ANONYMOUS.match(mention)))


# Who cannot be the source of a quote: the author and the reader ("I realised that …", "you might wait …"), and
# words that stand for nobody in particular ("anyone", "what", an unresolved "who").
_AUTHOR_OR_READER = frozenset("i me my we us our you your".split())
_NOT_SOURCES = _AUTHOR_OR_READER | frozenset(
    "one anyone anybody everyone everybody someone somebody all another else what who whom which that this these "
    "those it the a an".split()
)
# The tagger's score a quote needs when it has no config value: see `unspun.evaluation.quotes.tune_admission`.
DEFAULT_MIN_SCORE = 0.7


_FUNCTION_WORDS = frozenset(
    "of is are was were be been s the a an and or but to in on at by for from with as that this these those it its "
    "his her their our my your".split()
)


def _names_someone(speaker: str) -> bool:
    """A speaker string has at least one word of two or more letters that is not a function word."""
    return any(len(w) > 1 and w.isalpha() and w.lower() not in _FUNCTION_WORDS
               for w in re.findall(r"[^\W\d_]+", speaker.replace(".", "")))  # "U.S." is a name


def admitted(kind: str, mention: str | None, speaker: str | None, score: float, min_score: float,
             by_rule: bool = False) -> bool:
    """Whether tagger output is reported as a quote. It needs someone other than the author and the reader, a
    speaker for any quote not in quotation marks, and a tagger score of at least `min_score`, unless it hangs on an
    explicit cue (`by_rule`: "according to X, …"). Precision first: on real pages most of what PolNeAR's tagger
    finds beyond that is the author's own voice ("I realised that …"), a description ("a scathing critique of …")
    or text with no one speaking."""
    if kind == "block":
        return True  # set off after "… said:" or "as X put it", found by rule with its cue
    said_by = " ".join((mention or "").lower().split())
    if said_by in _AUTHOR_OR_READER:
        return False
    if said_by in _NOT_SOURCES and (speaker is None or " ".join(speaker.lower().split()) == said_by):
        return False  # an unresolved "who" or "it"; a resolved one names its antecedent
    if speaker is None and kind != "direct":
        return False
    return by_rule or score >= min_score  # "according to X, …" has its cue in plain sight


# A sentence ends between two words: a full stop after a lower-case word, then a capital ("possibilities. Like");
# "U.S. Senator" or "Dr. Smith" do not match.
_SENTENCE_BREAK = re.compile(r"[a-z]{2,}[.!?][\"”’)]*\s+[\"“‘(]*[A-Z]")


def _apart(text: str, speaker: tuple[int, int], cue: tuple[int, int], parts: list[tuple[int, int]]) -> bool:
    """The speaker mention comes after the cue, in a later sentence or line once the quoted words between them are
    set aside: it is then no subject of the cue, whatever the tagger linked. (A name in the sentence *before* the
    cue may be right: PolNeAR links "the president threatened" to the "Trump" named just before.)"""
    start, end = cue[1], speaker[0]
    if end <= start:
        return False
    between, pos = [], start
    for s, e in sorted(parts):
        if e <= pos or s >= end:
            continue
        between.append(text[pos:max(pos, s)])
        pos = max(pos, e)
    between.append(text[pos:end])
    gap = " ".join(between)  # a line break counts even inside what the tagger took for the quote
    return "\n" in text[start:end] or bool(_SENTENCE_BREAK.search(gap))


_LOCATIVE = re.compile(r"\b(?:in|at|near|from|inside|outside|across|throughout|around)\s+(?:the\s+)?$", re.IGNORECASE)


def _next_line_speaker(text: str, speaker: tuple[int, int], parts: list[tuple[int, int]]) -> bool:
    """The speaker mention comes after all the quoted words, on a later line that is no dash signature ("“…”\n—
    Mark Twain"): a later line introduces what follows it, not what came before."""
    end = parts[-1][1]
    if speaker[0] < end:
        return False
    gap = text[end : speaker[0]]
    if "\n" not in gap:
        return False
    line = gap[gap.rindex("\n") + 1 :].lstrip()
    return not line.startswith(("—", "–", "-", "―"))


def _a_place(index: EntityIndex, span: tuple[int, int], text: str = "") -> bool:
    """The mention lies in a place name (a street, a region) and names no person or organisation, or it is only a
    country or city after "in", "at", "from" ("the US embassy in China issued …" tagged as "China")."""
    ents = index.inside(*span)
    if any(e.label in ("PERSON", "ORG", "NORP") for e in ents):
        return False
    if any(e.label in ("FAC", "LOC") for e in ents):
        return True
    only = len(ents) == 1 and ents[0].label == "GPE" and not text[span[0] : span[1]].replace(ents[0].text, "").strip(
        " ’'s")  # the mention is the place itself, not "officials in Moscow"
    return bool(text) and only and bool(_LOCATIVE.search(text, max(0, ents[0].start - 12), ents[0].start))


def speaker_cells(resolved_from: str | None, kind: str, score: float, cue: str | None) -> tuple[str, ...]:
    """The calibration cells of a quote's speaker, finest first: how it was found, quotation marks or not, the
    tagger's confidence, and whether the cue reports words ("said") or not (a headline word, "regarding", none):
    the speaker of a quote hung on a word that reports no speech is a guess. Each coarser cell is the fallback."""
    marks = "marks" if kind in ("direct", "mixed", "block") else "nomarks"
    found = resolved_from or "none"
    said = "speech" if lexicon.reports_speech(cue) else "other"
    return f"{found}|{marks}|{'high' if score >= 0.9 else 'low'}|{said}", f"{found}|{said}", found


def speaker_probability(calibration: dict, resolved_from: str | None, kind: str, score: float,
                        cue: str | None = None) -> float | None:
    """The calibrated P(speaker right) for a quote, from the table that
    `unspun.evaluation.quotes.fit_speaker_calibration` fits: the finest cell with at least 20 quotes behind it
    (None when the table has no row for it)."""
    cells = speaker_cells(resolved_from, kind, score, cue)
    for key in cells:
        cell = calibration.get(key)
        if cell is not None and (cell["n"] >= 20 or key == cells[-1]):
            return cell["p"]
    return None


# "SALEM, Oregon — ", "DUNMORE — ", "LANDRY, March 14 - ": a wire story's dateline names where it was filed
_DATELINE = re.compile(
    r"^[ \t]*[A-Z][A-Z.'’ -]{1,40}(?:,[ \t]*[A-Z][\w.'’ -]{1,40}){0,2}(?:,?[ \t]*[A-Z][a-z]{2,8}\.? \d{1,2})?"
    r"[ \t]*(?:\([A-Za-z ]{1,20}\))?[ \t]*[-–—][ \t]",
    re.MULTILINE,
)


def _datelines(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _DATELINE.finditer(text)]


# A speaker span that opens with a preposition is an adverbial ("in the past", "on Monday"), never who speaks.
_PREPOSITIONAL = re.compile(r"(?:in|on|at|during|after|before|since|until|from|by)\s", re.IGNORECASE)


def _inside_any(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def _headline(doc: Document) -> tuple[int, int] | None:
    """The headline line, if the text starts with one (the first line that is not junk, short, with no full stop,
    or the line that equals the page's title). A headline is not a quote: "Operator reports rise in numbers" names
    no one speaking, and a tagger reading it runs on into the dateline below."""
    found = text_ingest.first_line(doc)
    if found is None:
        return None
    start, line = found
    body = line.strip()
    title = " ".join((doc.metadata.title or "").split())
    if (title and " ".join(body.split()) == title) or (
            len(body) <= 200 and not body.endswith((".", "!", "?", "”", '"')) and line.endswith("\n")):
        return start, start + len(line.rstrip("\r\n"))
    return None


NAME = "quotes"  # the stage contract (unspun.pipeline): its name, the stages it needs first, and run(doc)
REQUIRES: tuple[str, ...] = ()
READS_PARSE = True  # whether it reads the shared spaCy parse (`unspun.runtime.nlp.parse`)


def run(doc: Document) -> None:
    """Add a Quote for each attribution the tagger finds outside removed ranges."""
    model, info = load_quotes()
    doc.models["quotes"] = info
    add_quotes(doc, model, model.config.get("admission", {}).get("min_score", DEFAULT_MIN_SCORE),
               model.config.get("speaker_calibration", {}))


def add_quotes(doc: Document, model: QuoteModel, min_score: float, calibration: dict | None = None) -> None:
    """The stage with a given model, admission score and speaker calibration (tuning runs it with other values)."""
    text = doc.text
    if not text.strip():
        return
    atts: list[Attribution] = rule_attributions(text, model(text))
    headline = _headline(doc)
    if headline:
        atts = [a for a in atts if not headline[0] <= a.start < headline[1]]
    datelines = _datelines(text)
    # a dateline or a heading ("Policy Shortcomings") names no one a later "he" could stand for
    # nor does a name in junk (a poll's "Will Brett Kavanaugh be confirmed?", a related-story card)
    removed = sorted((r.start, r.end) for r in doc.removed)
    index = EntityIndex(text, [e for e in nlp.entities(text) if not _inside_any(datelines, e[0], e[1])
                               and not text_ingest.heading_line(text, e[0]) and not _inside_any(removed, e[0], e[1])])
    recent: tuple[int, str] | None = None  # (where, name) of the last person quoted
    edges = doc.junk_edges()
    for att in atts:
        # a part with no word in it (a lone quotation mark the tagger took for content) gives nobody's words
        parts = [p for p in (_tidy(text, s, e) for s, e in att.parts) if p and _has_word(text, *p)]
        if parts:  # junk at a quote's edge ("… the 'sonic attack' [Jane Doe/ Example Wire]") is cut off, not fatal
            parts[0] = edges.trim(*parts[0]) or parts[0]
            parts[-1] = edges.trim(*parts[-1]) or parts[-1]
        if not parts or doc.is_removed(parts[0][0], parts[-1][1]) or _not_speech(text, att, index):
            continue
        speaker = speaker_from = None
        # what the parse says of who speaks: "X told [Y]" is X's, "…, experts said" is the experts', whatever was linked
        speaker_span, att_cue = attribution(text, _tidy(text, *att.source) if att.source else None, att.cue, parts)
        if speaker_span and _heading_elsewhere(text, speaker_span[0], parts[0][0]):
            speaker_span = None  # "Policy Shortcomings" over a section: a heading names no one speaking below it
        if speaker_span and att_cue and _apart(text, speaker_span, att_cue, parts):
            speaker_span = None  # "… I had to admit that it left few possibilities.\nLike C.S. Lewis": another sentence
        if speaker_span and _next_line_speaker(text, speaker_span, parts):
            speaker_span = None  # '… “will continue to ensure …”\nFor his part, President Trump tweeted:': his next words
        if speaker_span and _a_place(index, speaker_span, text):
            speaker_span = None  # "Everyone I spoke to on Quay Street said …" tagged as "Street": no name beats a wrong one
        if speaker_span and _PREPOSITIONAL.match(text, speaker_span[0], speaker_span[1]):
            speaker_span = None  # "X himself has in the past appealed to …" tagged as "in the past": a time, not who
        if speaker_span and text[speaker_span[0] : speaker_span[1]].lower() in RELATIVE_PRONOUNS:
            # "…, who said …": the mention stays "who" (as annotators mark it); the name is what it hangs on
            speaker = _antecedent(text, speaker_span, index) or text[speaker_span[0] : speaker_span[1]]
            speaker_from = "pronoun"
        elif speaker_span:
            mention = text[speaker_span[0] : speaker_span[1]]
            person = recent[1] if recent and speaker_span[0] - recent[0] <= RECENT_PERSON_CHARS else None
            if mention.lower() in PERSON_PRONOUNS:
                # a person described since ("One café owner … said she …") is a nearer antecedent than one named
                paragraph = text.rfind("\n\n", 0, speaker_span[0]) + 2
                since = max(paragraph if paragraph > 1 else 0, recent[0] if recent else 0)
                person = _described_speaker(text, since, speaker_span[0]) or person
            group = None
            if mention.lower() == "they":
                # people described in the plural just before ("when administrators are confronted, they claim …")
                # are a nearer antecedent than a body named paragraphs back
                group = _described_group(text, max(0, text.rfind("\n", 0, speaker_span[0])), speaker_span[0])
            res = resolve(text, *speaker_span, index, recent_person=person)
            if group is not None:
                res = Resolution(group, "pronoun")
            speaker, speaker_from = res.name, res.resolved_from
            if res.resolved_from == "name" and (any(e.label == "PERSON" for e in index.inside(*speaker_span))
                                                or index.is_person(speaker)):
                recent = (speaker_span[1], speaker)
            elif (res.resolved_from == "pronoun" and speaker != mention
                  and mention.lower() in PERSON_PRONOUNS):  # "they" → a board is no antecedent for a later "she"
                recent = (speaker_span[1], speaker)
        cue_span = _tidy(text, *att_cue) if att_cue else None
        cue = text[cue_span[0] : cue_span[1]] if cue_span else None
        if att_cue and cue is None and text[att_cue[0]:att_cue[1]].strip():
            cue_span, cue = att_cue, text[att_cue[0] : att_cue[1]]  # a bare ":" cue
        explicit_cue = bool(att.extra.get("rule")) or bool(cue and _ACCORDING_TO.fullmatch(cue.strip()))
        kind = att.extra.get("kind") or kind_of(text, parts, cue)
        if kind in ("direct", "mixed"):
            parts = _closed_quotes(text, parts, (att_cue, att.source))  # the marks closed and the author went on: the quote ends there
            kind = att.extra.get("kind") or kind_of(text, parts, cue)
        if (kind == "indirect" and not explicit_cue and cue_span and _participle_of_thing(text, cue_span)
                and not text[parts[0][0] : parts[0][0] + 5].lower().startswith("that ")):
            continue  # "A megamerger announced Monday [would turn Pfizer into …]": what was announced, not who
        if (kind == "indirect" and not explicit_cue and lexicon.auxiliary_only(cue)
                and not (text[parts[0][0] : parts[0][0] + 5].lower().startswith("that ") and cue_span
                         and _after_statement_noun(text, cue_span[0]))):
            # "they are [required to oppose …]": a helper verb the tagger took for a report. With quotation marks the
            # marked words are still someone's ("Her brother Brad was “stunned that …”"), and "the official account
            # was that …" gives the account's content (but "one lesson I learned was that …" is the author's)
            continue
        if cue_span and kind != "block" and _author_speaks(text, cue_span):
            continue  # "I … asked the librarian, “Do you have …?”": the author's own words, whatever was tagged
        if kind == "indirect":
            parts = _within_paragraph(text, parts)  # reported speech ends where its paragraph does
        if speaker is not None and not _names_someone(speaker):
            speaker = speaker_from = speaker_span = None  # "of", "is", "s": a tagger slip, not a speaker
        mention = text[speaker_span[0] : speaker_span[1]] if speaker_span else None
        trail = _trailing_attribution(text, parts[-1][1]) if att_cue else None
        # "…, Nauert said.": the tagger's own cue is a plain statement verb with its speaker right after the words,
        # the most explicit attribution news has
        explicit = explicit_cue or bool(trail and trail[1][0] == att_cue[0] and speaker)
        if not admitted(kind, mention, speaker, att.score, min_score, by_rule=explicit):
            continue
        if mention and _unresolved(speaker, speaker_from, mention):
            speaker = speaker_from = None  # "he" with no one it can stand for: the mention stays, no name is made up
        # "Trump knew that …", "officials believe …": an attribution whose cue reports no words is a view, not a
        # quote. Direct quotes keep their marks' evidence that someone's words are given.
        if kind == "direct" and (_title_of_a_work(text[parts[0][0] : parts[-1][1]])
                                 or titles.cited_work(text, parts[0][0], parts[-1][1])):
            continue  # '"9 Steps to Successfully Counter Jihad"', 'Re. “Rates rise again,” Page B4': a title, not words said
        is_view = kind in ("indirect", "mixed") and not explicit and lexicon.reports_speech(cue) is False or (
            # "Trump described Iran's crimes in detail": a speech act's topic right after its verb, not its words
            kind == "indirect" and not explicit and cue_span is not None and not _STANCE.intersection(cue.lower().split())
            and cue_span[1] <= parts[0][0] and not text[cue_span[1] : parts[0][0]].strip(" \t,:")
            and not reported.reports_content(text, parts[0][0], parts[-1][1], cue))
        for group in _paragraph_groups(text, parts) if kind in ("direct", "mixed") else [parts]:
            if not any(_has_word(text, *p) for p in group):
                continue  # a closing mark left on its own once the quote was cut where its marks close
            group_kind = kind if len(group) == len(parts) else kind_of(text, group, cue)
            said_by, said_at, said_from, cue_at, cue_word = speaker, speaker_span, speaker_from, cue_span, cue
            trailing = _trailing_attribution(text, group[-1][1]) if speaker is None and group_kind == "direct" else None
            if trailing:  # '“…,” Fa said.' that the tagger left untagged, or tagged on a heading
                person = recent[1] if recent and trailing[0][0] - recent[0] <= RECENT_PERSON_CHARS else None
                res = resolve(text, *trailing[0], index, recent_person=person)
                said = text[trailing[0][0] : trailing[0][1]]
                if res.name and _names_someone(res.name) and not _unresolved(res.name, res.resolved_from, said):
                    said_by, said_at, said_from = res.name, trailing[0], res.resolved_from
                    cue_at, cue_word = trailing[1], text[trailing[1][0] : trailing[1][1]]
                    if res.resolved_from == "name" and index.is_person(res.name):
                        recent = (trailing[0][1], res.name)
            before = doc.quotes[-1] if doc.quotes else None
            if (said_by is None and said_at is None and group_kind == "direct" and before is not None
                    and _continues(text, before, group[0][0])):
                # a paragraph that is all quotation right after one attributed to someone: the same voice goes on
                said_by, said_from = before.speaker, before.speaker_resolved_from
                said_at = (before.speaker_start, before.speaker_end) if before.speaker_start is not None else None
            doc.add(
                View if is_view else Quote, group[0][0], group[-1][1],
                kind=group_kind,
                speaker=said_by,
                speaker_start=said_at[0] if said_at else None,
                speaker_end=said_at[1] if said_at else None,
                speaker_resolved_from=said_from,
                speaker_score=(speaker_probability(calibration or {}, said_from, group_kind, att.score, cue_word)
                               if said_by else None),
                cue=cue_word,
                cue_start=cue_at[0] if cue_at else None,
                cue_end=cue_at[1] if cue_at else None,
                score=round(att.score, 4),
                parts=[list(p) for p in group],
            )
