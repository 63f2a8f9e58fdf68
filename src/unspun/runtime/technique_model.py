"""The technique model at run time: encoder states → span finding (SI) → technique per span (TC).

One encoder pass per article serves both tasks: a token head scores each token as part of a persuasive span,
and a span head classifies a span from the pooled token states (mean, first, last) plus two document-level
features (how often the span's words recur in the article, and the span's length). The heads are a few
matrices, applied here in numpy, so the same code runs on ONNX states at run time and on torch states during
training's validation: what is validated is exactly what ships.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from unspun.limits import check_time
from unspun.runtime.titles import title_share
from unspun.taxonomy import NAMES

# An encoder maps text to (token char offsets [n, 2], token states [n, H]) over the whole text.
EncodeFn = Callable[[str], tuple[np.ndarray, np.ndarray]]

N_FEATURES = 2
_TRIM = " \t\r\n.,:;"
# A span ends on a content word, never on one of these (PTC's gold spans end on one 0.5% of the time, the models'
# spans 5%: "defenseless in the", "all the wickedness of"), never starts with a closing quotation mark or ends with
# an opening one (the gold: 0 and 1 in 5,468).
_TRAILING_FUNCTION_WORDS = frozenset("a an the of and or nor with at to in on for by from as".split())
# Nor does it start on one of these: 0.7% of the gold spans do (of 0.18%, by 0.15%, at, on, or, nor, from), 1.8% of
# the models' candidate spans ("[of immortality]", "[of disappointed]"; out of fold on PTC's 111 unseen articles,
# mostly "of"). Articles, "and", "to", "in", "but" stay: the gold starts with them as often as the models do.
_LEADING_FUNCTION_WORDS = frozenset("of or nor at on by from".split())
_TRIM_START = _TRIM + "\u201d\u00bb"  # and closing quotation marks
_TRIM_END = _TRIM + "\u201c\u00ab"  # and opening ones
# Long inputs are processed in pieces cut at line breaks, so memory stays bounded for a 2 MB article.
SEGMENT_CHARS = 40_000


@dataclass(frozen=True, slots=True)
class Detection:
    start: int
    end: int
    technique: str
    score: float  # P(span is persuasive) × P(technique | span) (× the technique's weight, when the config has one)
    span_score: float  # calibrated P(span is persuasive)
    technique_prob: float


@dataclass(slots=True)
class Heads:
    """The trained heads as numpy arrays (see the module docstring)."""

    si_w: np.ndarray  # [H]
    si_b: float
    tc_w: np.ndarray  # [3H + N_FEATURES, T]
    tc_b: np.ndarray  # [T]

    @classmethod
    def load(cls, path: str | Path) -> Heads:
        with np.load(path) as z:
            return cls(z["si_w"].astype(np.float32), float(z["si_b"]), z["tc_w"].astype(np.float32), z["tc_b"].astype(np.float32))

    def save(self, path: str | Path) -> None:
        np.savez(path, si_w=self.si_w, si_b=np.float32(self.si_b), tc_w=self.tc_w, tc_b=self.tc_b)

    def si_probs(self, states: np.ndarray) -> np.ndarray:
        return _sigmoid(states @ self.si_w + self.si_b)

    def tc_logits(self, pooled: np.ndarray) -> np.ndarray:
        return pooled @ self.tc_w + self.tc_b


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -40, 40)))


def span_head_inputs(states: list[np.ndarray], probs: np.ndarray, spans: Sequence[tuple[int, int, int, int]]) -> np.ndarray:
    """[spans, H + 4]: what the span head reads of each (start, end, first token i, last token j) besides the run's
    mean token probability and the name flag: the token states averaged over the run (and over the members of an
    ensemble), the run's highest and lowest token probability, and the log of its length in tokens and in
    characters. Training (`training.technique_decisions`) and the run time both call this, so they read the same
    numbers."""
    rows = []
    for start, end, i, j in spans:
        mean = np.mean([s[i : j + 1].mean(axis=0) for s in states], axis=0)
        run = probs[i : j + 1]
        rows.append(np.concatenate([mean, [run.max(), run.min(), np.log1p(j - i + 1), np.log1p(end - start)]]))
    return np.array(rows, dtype=np.float64).reshape(len(rows), -1)


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    z = logits / temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def _normalise(s: str) -> str:
    return " ".join(s.lower().split())


def span_features(text_lower: str, span_text: str, n_tokens: int, *, needle: str | None = None) -> np.ndarray:
    """[log1p(other occurrences of the span's words in the text), log1p(tokens)/4]. `needle`: the span's text as
    `_normalise` gives it, when the caller has it already (then `span_text` is not read)."""
    needle = _normalise(span_text) if needle is None else needle
    count = text_lower.count(needle) if len(needle) >= 3 else 1
    return np.array([math.log1p(max(count - 1, 0)), math.log1p(n_tokens) / 4.0], dtype=np.float32)


def repeated_before(text_lower: str, span_text: str, start: int, *, needle: str | None = None) -> bool:
    """Whether the span's words occur earlier in the text (looking back at most 2 segments, so the cost stays linear).

    The strongest single cue for Repetition: 79% of gold Repetition spans have an earlier occurrence, against 11%
    of the other techniques' spans (measured on unspun's validation split). `needle` as for `span_features`.
    """
    needle = _normalise(span_text) if needle is None else needle
    return len(needle) >= 3 and text_lower.find(needle, max(0, start - 2 * SEGMENT_CHARS), start) >= 0


# Words that carry no persuasion on their own: a span made only of these ("a", "the", "it is", "We must") is never
# reported (on unspun's 111 unseen PTC articles, 73% of such predicted spans were false alarms; 7 of 1,581 gold spans
# are such).
FUNCTION_WORDS = frozenset("""
a an the of to in on at by for with from into onto upon about over under after before than as and or but nor so yet
is are was were be been being am it its it's this that these those there here he she they we you i me him her them us
my your his our their mine yours ours theirs who whom whose which what when where why how not no do does did done has
have had having will would can could shall should may might must if then also just very too s t
i'm you're we're they're he's she's that's there's i've we've they've don't doesn't didn't isn't aren't wasn't
weren't can't won't
""".split())
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")


def function_only(span_text: str) -> bool:
    """Whether the span has no word outside FUNCTION_WORDS (or no word at all)."""
    return all(w.lower().replace("\u2019", "'") in FUNCTION_WORDS for w in _WORD.findall(span_text))


_NAME_JOINERS = frozenset({"of", "the", "and", "de", "la", "von", "van", "du", "del", "for", "&"})


def name_like(text: str, start: int, end: int) -> float:
    """1.0 when the span reads as (part of) a name or a title: a name, a work, a product ("Fleabag", "Republic of",
    "My Country") rather than a word chosen for its effect: all its words are capitalised (joiners such as "of" aside),
    at least one is not in capitals throughout (an all-capitals phrase is shouting, not a name), it does not open a
    sentence as a single word, and its line is not a title-case headline. Else 0.0. A feature of the span
    calibration: its weight is learned on PTC, so a name that is itself the label ("Nazi") can still pass."""
    words = _WORD.findall(text[start:end])
    if not words or not any(w[0].isupper() for w in words):
        return 0.0
    if not all(w[0].isupper() or w.lower() in _NAME_JOINERS for w in words):
        return 0.0
    if all(w.isupper() for w in words if w[0].isupper()):
        return 0.0
    if len(words) == 1:
        before = text[max(0, start - 4) : start]
        if start == 0 or re.search(r"(?:^|[.!?:\n\"\u201c\u2018'(\[-])\s*$", before):
            return 0.0
    a = text.rfind("\n", max(0, start - 400), start) + 1
    b = text.find("\n", end, end + 400)
    line = _WORD.findall(text[a if a > 0 else max(0, start - 400) : b if b >= 0 else end + 400])
    content = [w for w in line if w.lower() not in FUNCTION_WORDS]
    ends = text[a if a > 0 else start : b if b >= 0 else len(text)].rstrip()
    if content and sum(w[0].isupper() for w in content) >= 0.7 * len(content) and not ends.endswith("."):
        return 0.0  # a headline in Title Case (no full stop at its end): capitals say nothing there
    return 1.0


TITLE_SHARE = 0.5  # a span with at least this share of its characters inside titles of works is dropped
GATE_SHARE = 0.05  # the share of a piece's tokens whose probabilities make its document evidence


_LONG_RUN = 512  # tokens: a span's score over a run longer than this comes from prefix sums (none in PTC's gold)


def _only_spaces(text: str, a: int, b: int) -> bool:
    """Whether text[a:b] is spaces or tabs alone (empty counts; a line break does not). Between two tidied runs of
    the model it means the run broke inside a word, since no token covers a space."""
    return all(ch in " \t\u00a0" for ch in text[a:b])


def document_evidence(probs: np.ndarray, share: float = GATE_SHARE) -> float:
    """How strongly the most persuasive-looking part of a piece reads as persuasion: the mean of its highest `share`
    token probabilities (at least one token; 0.0 for no token). The input of the document gate (see
    `TechniqueModel.gate`): ordinary reporting has a few loaded words, a propaganda piece a stretch of them."""
    n = len(probs)
    if n == 0:
        return 0.0
    k = max(1, int(math.ceil(share * n)))
    return float(np.partition(np.asarray(probs, dtype=np.float64), n - k)[n - k :].mean())


def _fuzzy(words: list[str]) -> re.Pattern:
    """The words, in order, separated by anything that is not a word character, case-insensitively."""
    return re.compile(r"(?<![^\W_])" + r"\W+".join(re.escape(w) for w in words) + r"(?![^\W_])", re.I)


@lru_cache(maxsize=4)
def _folded(text: str) -> str | None:
    """`text.casefold()` when it can stand in for a case-insensitive search at the same offsets, else None.

    Casefolding maps each character on its own, so when the length is kept every character maps to exactly one and
    offsets line up; every pair of characters `re.I` equates has the same casefold, except the dotted and dotless
    capital i ("İ", "ı"), checked over all of Unicode. Then a span's words can match `_fuzzy` in a stretch of the
    text only if each word's casefold occurs in the same stretch of the folded text."""
    if "\u0130" in text or "\u0131" in text:
        return None
    folded = text.casefold()
    return folded if len(folded) == len(text) else None


def repetition_cue(text: str, start: int, end: int) -> tuple[bool, bool]:
    """(earlier, later): whether the span's words occur again in the text before it, and after it (case, spaces and
    punctuation between the words ignored; at most 2 segments away either way, so the cost stays linear). Repetition
    is a relation between spans: this finds the other occurrences directly, and the technique head, given the cue,
    decides whether the repetition is persuasive.

    Most spans occur once: a plain substring check on the casefolded text rules them out before the pattern is
    compiled (compiling took half of this function's time, about 4% of the whole pipeline's)."""
    words = _WORD.findall(text[start:end])
    if not words or len(" ".join(words)) < 3:
        return False, False
    lo, hi = max(0, start - 2 * SEGMENT_CHARS), end + 2 * SEGMENT_CHARS
    folded = _folded(text)
    before = after = True
    if folded is not None:
        keys = [w.casefold() for w in words]
        before = all(folded.find(k, lo, start) >= 0 for k in keys)
        after = all(folded.find(k, end, hi) >= 0 for k in keys)
        if not (before or after):
            return False, False
    pattern = _fuzzy(words)
    earlier = before and pattern.search(text, lo, start) is not None
    later = after and pattern.search(text, end, hi) is not None
    return earlier, later


def pool(states: np.ndarray, i: int, j: int) -> np.ndarray:
    """Pooled representation of tokens i..j inclusive: mean, first, last."""
    part = states[i : j + 1]
    return np.concatenate([part.mean(axis=0), states[i], states[j]])


def tokens_for(offsets: np.ndarray, start: int, end: int) -> tuple[int, int] | None:
    """The first and last token overlapping [start, end), or None."""
    if len(offsets) == 0:
        return None
    i = int(np.searchsorted(offsets[:, 1], start, side="right"))
    j = int(np.searchsorted(offsets[:, 0], end, side="left")) - 1
    if i > j or i >= len(offsets):
        return None
    return i, j


_JOINERS = "'\u2019-\u2010\u2011"  # apostrophes and hyphens (not dashes): inside a word when letters flank them


def _in_word(text: str, k: int) -> bool:
    """A letter or digit, or an apostrophe or hyphen between two of them ("children's", "don’t", "right-wing",
    "anti-American"): the tokenizer splits words there, and a span must not start or end inside one. PTC's
    annotators marked whole compounds (4 of its 6,128 gold spans cut one); the models alone cut 14 of 299 spans on
    real pages ("right[-wing]", "[false]-[documented]")."""
    c = text[k]
    return c.isalnum() or (c in _JOINERS and 0 < k < len(text) - 1 and text[k - 1].isalnum() and text[k + 1].isalnum())


# A run of word characters read forwards from a word character ([^\W_] is exactly str.isalnum), and the same read
# on reversed text. With joiners: one counts when a letter or digit follows it in reading order (the one before
# it was read already; see `_in_word`).
_RUN = re.compile(r"[^\W_]*")
_RUN_JOINED = re.compile(r"(?:['\u2019\-\u2010\u2011](?=[^\W_]))?[^\W_]*(?:['\u2019\-\u2010\u2011][^\W_]+)*")
# Dotted abbreviations ("U.S.", "D.C."): single ASCII letters, each followed by a full stop.
_ABBREVIATION_AFTER = re.compile(r"(?:\.[A-Za-z](?![^\W_]))+\.")
_ABBREVIATION_BEFORE = re.compile(r"(?:(?<![^\W_])[A-Za-z]\.)+\Z")


def _letter(c: str) -> bool:
    return c.isascii() and c.isalpha()


class WordRuns:
    """The words of one text (maximal runs of word characters), found on demand, each at C speed and once.

    Extending spans to whole words char by char rescans a word for every span inside it: quadratic on text without
    spaces (one "word" of megabytes). Here each lookup reads its word with a regex from the position asked (forwards,
    and backwards on reversed slices of doubling size) and remembers the last word found, so spans asked for in text
    order cost O(text) in all. Words are `_in_word` runs, or with `joiners=False` runs of `str.isalnum`.
    """

    __slots__ = ("text", "joiners", "_pattern", "_last", "chars_read")

    def __init__(self, text: str, *, joiners: bool = True) -> None:
        self.text = text
        self.joiners = joiners
        self._pattern = _RUN_JOINED if joiners else _RUN
        self._last = (0, 0)
        self.chars_read = 0  # characters read by the regexes (tests check that it grows linearly)

    def in_word(self, k: int) -> bool:
        return _in_word(self.text, k) if self.joiners else self.text[k].isalnum()

    def joined(self, k: int) -> bool:
        """Whether the characters at k - 1 and k belong to one word (a span edge at k would cut it)."""
        return 0 < k < len(self.text) and self.in_word(k - 1) and self.in_word(k)

    def word_at(self, k: int) -> tuple[int, int]:
        """[start, end) of the word holding position k, which must be a word character (`in_word`)."""
        a, b = self._last
        if a <= k < b:
            return a, b
        text, pattern = self.text, self._pattern
        check_time()  # the per-document time limit, once per word read
        end = pattern.match(text, k).end()
        self.chars_read += end - k
        start, step = k, 256
        while start > 0:
            check_time()
            lo = max(0, start - step)
            back = text[lo:start][::-1]
            n = pattern.match(back).end()
            self.chars_read += len(back)
            start -= n
            if n < len(back):
                # the character before `start` ends the word, unless it is a joiner at the slice's edge whose
                # letter before it was not in the slice: read on from there
                if not (start - 1 == lo and lo > 0 and self.in_word(start - 1)):
                    break
            step *= 2
        self._last = (start, end)
        return start, end


def tidy_span(text: str, start: int, end: int, words: WordRuns | None = None) -> tuple[int, int]:
    """Extend to whole words, then trim spaces and .,:; at the edges (the gold spans were cleaned that way), a
    closing quotation mark at the start, an opening one at the end, a few prepositions at the start ("of") and
    function words at the end.

    Pass one `WordRuns(text)` for all the spans of a text, in text order: then the whole text costs O(its length),
    however long its words (see `WordRuns`).
    """
    if words is None:
        words = WordRuns(text)
    if words.joined(start):
        start = words.word_at(start)[0]
    if words.joined(end):
        end = words.word_at(end)[1]
    # an edge inside a dotted abbreviation takes all of it ("the U|.S." → "the U.S."; the trim below then drops the
    # last full stop, as in the gold spans: "D.C")
    if start < end and _letter(text[start]) and (start + 1 == len(text) or not text[start + 1].isalnum()):
        if m := _ABBREVIATION_BEFORE.search(text, max(0, start - 16), start):
            start = m.start()
    if start < end and _letter(text[end - 1]) and (end < 2 or not text[end - 2].isalnum()):
        if m := _ABBREVIATION_AFTER.match(text, end):
            end = m.end()
    # the trims read only characters of the span as given (extension adds word characters, never these), and the
    # spans of a text are disjoint token runs: linear in all
    while start < end and text[start] in _TRIM_START:
        start += 1
    while end > start and text[end - 1] in _TRIM_END:
        end -= 1
    while True:
        while start < end and text[start] in _TRIM_START:
            start += 1
        k = start  # the first word, read at most 5 letters on (the longest of these has 4): linear
        while k < end and k - start < 5 and text[k].isalpha():
            k += 1
        # followed by a space, so (the end being trimmed) by more of the span
        if not (start < k < end and text[k].isspace() and text[start:k].lower() in _LEADING_FUNCTION_WORDS):
            break
        start = k
    while True:
        while end > start and text[end - 1] in _TRIM_END:
            end -= 1
        k = end  # the last word, read back at most 5 letters (the longest function word has 4): linear
        while k > start and end - k < 5 and text[k - 1].isalpha():
            k -= 1
        if not (start < k < end and text[k - 1].isspace() and text[k:end].lower() in _TRAILING_FUNCTION_WORDS):
            return start, end
        end = k


def segments(text: str, limit: int = SEGMENT_CHARS) -> list[tuple[int, int]]:
    """Cut text into pieces of at most ~limit characters, at line breaks where possible."""
    if limit <= 0:
        raise ValueError("limit must be positive")
    out, start, n = [], 0, len(text)
    while start < n:
        end = min(n, start + limit)
        if end < n:
            cut = text.rfind("\n", start + limit // 2, end)
            if cut > start:
                end = cut + 1
        out.append((start, end))
        start = end
    return out


class _SpanFacts(NamedTuple):
    """What a span's own text gives, whichever piece found it."""

    needle: str  # its normalised text (`span_features`)
    function_words: bool  # `function_only`
    name: float  # `name_like`
    cue: tuple[bool, bool]  # `repetition_cue`: (earlier, later)
    title: bool  # mostly inside a title of a work (`titles.title_share` at least TITLE_SHARE)


def _span_facts(text: str, start: int, end: int, memo: dict[tuple[int, int], _SpanFacts]) -> _SpanFacts:
    """A span's facts, read once per text: `memo` holds them by (start, end) for all the pieces of one text (see
    `TechniqueModel.detect_in_piece`)."""
    facts = memo.get((start, end))
    if facts is None:
        span = text[start:end]
        facts = memo[(start, end)] = _SpanFacts(_normalise(span), function_only(span), name_like(text, start, end),
                                                repetition_cue(text, start, end),
                                                title_share(text, start, end) >= TITLE_SHARE)
    return facts


class TechniqueModel:
    """Finds persuasion-technique spans in a text and names their techniques.

    It holds one or more members (an encoder and its heads). Members share one tokenizer; with several (an
    ensemble), the token probabilities and the technique probabilities are averaged over members.
    """

    def __init__(self, encode: EncodeFn, heads: Heads, config: dict, *, more: Sequence[tuple[EncodeFn, Heads]] = ()) -> None:
        self.members: list[tuple[EncodeFn, Heads]] = [(encode, heads), *more]
        self.encode = encode
        self.heads = heads
        self.config = config
        self.techniques: list[str] = list(config.get("techniques", NAMES))
        self.temperature = float(config.get("temperature", 1.0))
        self.token_threshold = float(config.get("token_threshold", 0.5))
        self.min_score = float(config.get("min_score", 0.3))
        self.second_label = float(config.get("second_label_prob", 0.35))
        # a weight of at most 1 per technique on a found item's score (absent: 1). Measured out of fold, not shipped
        # (model card): on PTC the F1-optimal weights differ from fold to fold and cost SI.
        self.technique_weights: dict[str, float] = {k: float(v) for k, v in config.get("technique_weights", {}).items()}
        # (a, b) or (a, b, c, d): P(span) = sigmoid(a·raw + b + c·density + d·name_like), where raw is the span's mean
        # token probability and density the mean token probability of the whole piece (the document, for an article
        # under 40,000 characters): a document-level prior, so a text that reads as ordinary reporting lights up less.
        self.span_calibration = tuple(config.get("span_calibration", (1.0, 0.0)))
        # The span head, when the config has one, replaces that calibration: a logistic model of "the span overlaps
        # a persuasive span" over the run's mean token probability, the name flag and `span_head_inputs` (what the
        # encoder's states say about the whole run), fitted on PTC articles the encoder never saw, so it learns what
        # the model's own false alarms look like on unseen text. Weights in the standardised inputs' units are folded
        # into plain ones when it is written, so this is one dot product per span. Measured, not shipped (model card).
        head = config.get("span_head")
        self.span_head = None if not head else (np.asarray(head["weights"], dtype=np.float64), float(head["bias"]))
        # The document gate, a prior on top of the calibration: weight × min(0, evidence − threshold) is added to a
        # span's log-odds, where evidence is `document_evidence` of its piece. It lowers every span of a text whose
        # strongest stretch still reads as ordinary reporting, and leaves texts over the threshold alone.
        # A span that reads as a name or a title (`name_like`) may carry only these techniques, those where the name
        # itself is the label ("Arch Deceiver", "Make America Great Again"); none when absent (no filter). Never
        # "Plague" of a game's title as Loaded_Language, nor "American" as Flag-Waving in a plain sentence.
        labels = config.get("name_labels")
        self.name_labels = None if labels is None else frozenset(labels)
        gate = config.get("document_gate") or {}
        self.gate_share = float(gate.get("share", GATE_SHARE))
        self.gate_threshold = float(gate.get("threshold", 0.0))
        self.gate_weight = float(gate.get("weight", 0.0))
        # never report a span made only of function words ("a", "the", "it is")
        self.drop_function_only = bool(config.get("drop_function_only", True))
        # Technique decision, tuned on dev: training weighted classes by frequency^-0.5, so adding back
        # prior_weight × log(training prior) restores the class balance that micro-F1 rewards; a span whose words
        # occurred earlier gets repeat_bonus on the Repetition logit.
        self.prior_weight = float(config.get("prior_weight", 0.0))
        self.log_prior = np.asarray(config.get("log_prior", np.zeros(len(self.techniques))), dtype=np.float32)
        self.repeat_bonus = float(config.get("repeat_bonus", 0.0))
        # the same for a span whose words recur only later in the article (its first occurrence)
        self.repeat_bonus_later = float(config.get("repeat_bonus_later", 0.0))
        # Spans the model finds itself (not given spans, as in `ptc classify`) add this to the Repetition logit. The
        # bonus above is tuned for labelling gold spans, where a recurring phrase is often Repetition; on found spans
        # it turned loaded words that recur into Repetition items that were right 7% of the time (out of fold on
        # PTC's 111 unseen articles). Chosen with the min score for the best full-task F1 (0 when absent).
        self.detect_repeat_offset = float(config.get("detect_repeat_offset", 0.0))
        self._repetition = self.techniques.index("Repetition") if "Repetition" in self.techniques else None

    # --- building blocks, also used by training's validation -----------------------------------------
    def encode_piece(self, text: str, a: int, b: int) -> tuple[np.ndarray, list[np.ndarray]]:
        """(token offsets into `text`, [states of each member]) for text[a:b]."""
        piece = text[a:b]
        offsets, first = self.members[0][0](piece)
        states = [first] + [encode(piece)[1] for encode, _ in self.members[1:]]
        return (offsets + a if len(offsets) else offsets), states

    def encode_segments(self, text: str):
        """Yield (segment start, token offsets into `text`, [states of each member]) for each piece of the text."""
        for a, b in segments(text):
            check_time()  # the per-document time limit, once per segment
            offsets, states = self.encode_piece(text, a, b)
            yield a, offsets, states

    @staticmethod
    def haystack(text_lower: str, offsets: np.ndarray) -> str:
        """Where to count a span's recurrences: the whole text, or for very long texts only the current piece
        (keeps the cost linear: counting over 2 MB for each of thousands of spans would take many seconds)."""
        if len(text_lower) <= 4 * SEGMENT_CHARS or len(offsets) == 0:
            return text_lower
        return text_lower[int(offsets[0, 0]) : int(offsets[-1, 1])]

    def si_probs(self, states: list[np.ndarray]) -> np.ndarray:
        return np.mean([heads.si_probs(s) for (_, heads), s in zip(self.members, states)], axis=0)

    def technique_logits(self, states: list[np.ndarray], i: int, j: int, feats: np.ndarray) -> np.ndarray:
        """[members, techniques] logits for tokens i..j."""
        return self.technique_logits_many(states, [(i, j)], feats[None])[0]

    def technique_logits_many(self, states: list[np.ndarray], spans: Sequence[tuple[int, int]], feats: np.ndarray) -> np.ndarray:
        """[spans, members, techniques] logits for many token ranges at once: one matrix product per member rather
        than one per span (thousands of tiny BLAS calls cost more than the product, and their threads spin
        against the encoder's)."""
        return np.stack([heads.tc_logits(np.stack([np.concatenate([pool(s, i, j), f]) for (i, j), f in zip(spans, feats)]))
                         for (_, heads), s in zip(self.members, states)], axis=1)

    def gate(self, evidence: float | np.ndarray) -> float | np.ndarray:
        """The document gate's term in a span's log-odds (0 when off or when the evidence reaches the threshold)."""
        if not self.gate_weight:
            return 0.0 * np.asarray(evidence, dtype=np.float64)
        return self.gate_weight * np.minimum(0.0, np.asarray(evidence, dtype=np.float64) - self.gate_threshold)

    def calibrate_span(self, raw: float, density: float = 0.0, name: float = 0.0, evidence: float = 1.0) -> float:
        a, b, *rest = self.span_calibration
        c, d = (list(rest) + [0.0, 0.0])[:2]
        return float(_sigmoid(np.float64(a * raw + b + c * density + d * name) + self.gate(evidence)))

    def span_head_logits(self, states: list[np.ndarray], probs: np.ndarray, found, facts) -> np.ndarray:
        """The span head's log-odds for found spans (start, end, i, j, raw), before the document gate."""
        w, b = self.span_head
        x = np.c_[[raw for *_, raw in found], [float(facts[(s, e)].name) for s, e, *_ in found],
                  span_head_inputs(states, probs, [(s, e, i, j) for s, e, i, j, _ in found])]
        return x @ w + b

    def cues(self, text: str, spans) -> np.ndarray:
        """[spans, 2]: the Repetition cue (earlier, later) of each (start, end) span (`repetition_cue`)."""
        return np.array([repetition_cue(text, s, e) for s, e in spans], dtype=np.float32).reshape(-1, 2)

    def candidate_spans(self, text: str, offsets: np.ndarray, probs: np.ndarray, threshold: float,
                        words: WordRuns | None = None):
        """Runs of tokens scored ≥ threshold → (start, end, first token, last token, mean token prob of the run).

        `words`: one `WordRuns(text)` shared by all the pieces of a text keeps whole-word extension linear."""
        out, runs = [], []  # runs: the first token of the run behind each span
        content: list[bool | None] = []  # whether each span has a word outside FUNCTION_WORDS (None: not read yet)
        prefix = None  # prefix sums of probs, made when a run gets long
        words = words if words is not None else WordRuns(text)
        above = probs >= threshold
        n = len(probs)
        i = 0
        while i < n:
            if not above[i]:
                i += 1
                continue
            j = i
            while j + 1 < n and above[j + 1]:
                j += 1
            start, end = tidy_span(text, int(offsets[i, 0]), int(offsets[j, 1]), words)
            run = i
            has_content: bool | None = None
            touching = False
            if out and end > start and start >= out[-1][1] and _only_spaces(text, out[-1][1], start):
                # the word's first token was under the threshold ("our heritage and our |children|'s"): tidied, the
                # halves touch with only spaces between. One span, unless either half is function words alone
                # ("saddened" and "and"), which would only add a word that `function_only` drops anyway. Each
                # span's text is read at most once for this (`content`), so a text costs linear time.
                if content[-1] is None:
                    content[-1] = not function_only(text[out[-1][0] : out[-1][1]])
                has_content = not function_only(text[start:end])
                touching = has_content and content[-1]
            if out and end > start and (start < out[-1][1] or touching):
                # a token under the threshold inside a word ("children|'|s") split the run; tidied, the two
                # halves overlap (or touch, above): one span, scored over all its tokens
                start, end, run = out[-1][0], max(end, out[-1][1]), runs.pop()
                has_content = True if touching or content[-1] else None
                out.pop()
                content.pop()
            # the span's score is the mean over the run the model found; its technique is pooled over the tokens of
            # the span as reported (tidying adds the rest of a word and drops trailing function words), as
            # `classify` pools a span it is given
            tokens = tokens_for(offsets, start, end) if end > start else None
            if tokens is not None:
                if j + 1 - run <= _LONG_RUN:
                    score = float(probs[run : j + 1].mean())
                else:  # a chain of merged runs: prefix sums keep the text linear however many merge
                    if prefix is None:
                        prefix = np.concatenate(([0.0], np.cumsum(probs, dtype=np.float64)))
                    score = float((prefix[j + 1] - prefix[run]) / (j + 1 - run))
                out.append((start, end, *tokens, score))
                runs.append(run)
                content.append(has_content)
            i = j + 1
        return out

    def detect_in_piece(self, text: str, text_lower: str, offsets: np.ndarray, states: list[np.ndarray], floor: float,
                        words: WordRuns | None = None, memo: dict[tuple[int, int], _SpanFacts] | None = None):
        """Detections in one encoded piece: (start, end, technique, score, span prob, technique prob, raw).

        For all the pieces of one text, pass one `WordRuns(text)` and one dict `memo` (what each span's own text
        gives, by (start, end): `_span_facts`): a word longer than a piece (text without spaces) then gives every
        piece the same span, and its text is read once, not once per piece (quadratic)."""
        out = []
        memo = {} if memo is None else memo
        if len(offsets) == 0:
            return out
        probs = self.si_probs(states)
        hay = self.haystack(text_lower, offsets)
        found = self.candidate_spans(text, offsets, probs, self.token_threshold, words)
        facts = {(start, end): _span_facts(text, start, end, memo) for start, end, *_ in found}
        if self.drop_function_only:
            found = [f for f in found if not facts[(f[0], f[1])].function_words]
        found = [f for f in found if not facts[(f[0], f[1])].title]  # a work's name is not the author's wording
        if not found:
            return out
        density = float(probs.mean())  # the document-level prior's input (see span_calibration)
        evidence = document_evidence(probs, self.gate_share) if self.gate_weight else 1.0  # the document gate's
        feats = np.stack([span_features(hay, "", j - i + 1, needle=facts[(start, end)].needle)
                          for start, end, i, j, _ in found])
        cue = np.array([facts[(start, end)].cue for start, end, *_ in found], dtype=np.float32).reshape(-1, 2)
        logits = self.technique_logits_many(states, [(i, j) for _, _, i, j, _ in found], feats)
        all_probs = softmax(self.adjusted(logits, cue[:, 0], cue[:, 1], found=True)).mean(axis=1)
        uses_name = self.span_head is not None or (len(self.span_calibration) > 3 and self.span_calibration[3] != 0)
        head_logits = self.span_head_logits(states, probs, found, facts) if self.span_head is not None else None
        for n, ((start, end, i, j, raw), tech_probs) in enumerate(zip(found, all_probs)):
            name = facts[(start, end)].name if uses_name or self.name_labels is not None else 0.0
            if head_logits is None:
                p_span = self.calibrate_span(raw, density, name if uses_name else 0.0, evidence)
            else:
                p_span = float(_sigmoid(np.float64(head_logits[n]) + self.gate(evidence)))
            order = np.argsort(-tech_probs)
            for rank, k in enumerate(order[:3]):
                p = float(tech_probs[k])
                if rank > 0 and p < self.second_label:
                    break
                if name and self.name_labels is not None and self.techniques[k] not in self.name_labels:
                    continue  # a name or a title carries no technique but its own label
                score = round(p_span * p * self.technique_weights.get(self.techniques[k], 1.0), 4)  # rounded before
                # the floor check, so every caller filters alike
                if score >= floor:
                    out.append((start, end, self.techniques[k], score, p_span, p, raw))
        return out

    def span_technique_logits(self, text: str, pieces: list, start: int, end: int) -> tuple[np.ndarray | None, bool]:
        """For a given span, from already-encoded pieces (segment start, offsets, states): its [members, techniques]
        logits (None when no token covers it) and its Repetition cue (earlier, later: `repetition_cue`)."""
        text_lower = text.lower()
        repeated = repetition_cue(text, start, end)
        piece = None
        for p in pieces:  # the piece whose segment contains the span's start
            if p[0] <= start:
                piece = p
        logits = self._span_logits(text, text_lower, piece[1], piece[2], start, end) if piece else None
        return logits, repeated

    def span_technique_probs(self, text: str, pieces: list, start: int, end: int) -> np.ndarray:
        """Technique probabilities for a given span, from already-encoded pieces."""
        logits, (earlier, later) = self.span_technique_logits(text, pieces, start, end)
        return self._probs(logits, earlier, later)

    def adjusted(self, logits: np.ndarray, repeated: bool | np.ndarray = False,
                 later: bool | np.ndarray = False, found: bool = False) -> np.ndarray:
        """Logits [..., members, techniques] → what the softmax reads: temperature-scaled, plus the tuned prior and
        the Repetition cue (`repeated`: the words occur earlier; `later`: they occur only later; each one flag, or
        one per leading item); `found`: spans the model found itself get `detect_repeat_offset` on Repetition."""
        z = logits / self.temperature + self.prior_weight * self.log_prior
        if found and self._repetition is not None and self.detect_repeat_offset:
            z[..., self._repetition] += self.detect_repeat_offset
        if self._repetition is not None and (self.repeat_bonus or self.repeat_bonus_later):
            earlier = np.asarray(repeated, dtype=np.float32)
            bonus = self.repeat_bonus * earlier + self.repeat_bonus_later * np.asarray(later, dtype=np.float32) * (1 - earlier)
            z[..., self._repetition] += bonus.reshape(bonus.shape + (1,) * (z.ndim - 1 - bonus.ndim))
        return z

    def _probs(self, logits: np.ndarray | None, repeated: bool = False, later: bool = False) -> np.ndarray:
        if logits is None:
            return np.full(len(self.techniques), 1.0 / len(self.techniques))
        return softmax(self.adjusted(logits, repeated, later)).mean(axis=0)

    def _span_logits(self, text: str, text_lower: str, offsets: np.ndarray, states: list[np.ndarray],
                     start: int, end: int) -> np.ndarray | None:
        toks = tokens_for(offsets, start, end)
        if toks is None:
            return None
        i, j = toks
        feats = span_features(self.haystack(text_lower, offsets), text[start:end], j - i + 1)
        return self.technique_logits(states, i, j, feats)

    # --- public API ------------------------------------------------------------------------------------
    def predict(self, text: str, *, floor: float = 0.05) -> list[Detection]:
        """All (span, technique) detections scored at least `floor`; callers filter by their min score."""
        return self.predict_and_classify(text, (), floor=floor)[0]

    def classify(self, text: str, spans: Sequence[tuple[int, int]]) -> list[list[tuple[str, float]]]:
        """For each given span, all techniques with their probabilities, best first."""
        return self.predict_and_classify(text, spans, detect=False)[1]

    def predict_and_classify(self, text: str, spans: Sequence[tuple[int, int]], *, floor: float = 0.05,
                             detect: bool = True) -> tuple[list[Detection], list[list[tuple[str, float]]]]:
        """`predict` and `classify` from one encoder pass per piece (evaluation needs both, and the encoder is
        nearly all of the cost). One piece is in memory at a time; a given span belongs to the piece it starts in."""
        text_lower = text.lower()
        words, memo = WordRuns(text), {}  # one for all pieces (see `detect_in_piece`)
        found: list[Detection] = []
        results: list[list[tuple[str, float]]] = [[] for _ in spans]
        for a, b in segments(text):
            todo = [k for k, (start, _) in enumerate(spans) if a <= start < b]
            if not detect and not todo:
                continue
            check_time()  # the per-document time limit, once per segment
            offsets, states = self.encode_piece(text, a, b)
            if detect:
                detected = self.detect_in_piece(text, text_lower, offsets, states, floor, words, memo)
                for start, end, tech, score, p_span, p, _ in detected:
                    found.append(Detection(start, end, tech, score, round(p_span, 4), round(p, 4)))
            for k in todo:
                start, end = spans[k]
                earlier, later = repetition_cue(text, start, end)
                probs = self._probs(self._span_logits(text, text_lower, offsets, states, start, end), earlier, later)
                order = np.argsort(-probs)
                results[k] = [(self.techniques[t], float(probs[t])) for t in order]
        for k, (start, _) in enumerate(spans):  # spans that start outside the text
            if not results[k]:
                results[k] = [(self.techniques[t], float(p)) for t, p in enumerate(self._probs(None))]
        found.sort(key=lambda d: (d.start, d.end, -d.score))
        # one detection per (span, technique), the best: a word longer than a piece (text without spaces) gives
        # every piece the same span, which would repeat it (and its evidence) once per 40 KB
        unique: dict[tuple[int, int, str], Detection] = {}
        for d in found:
            unique.setdefault((d.start, d.end, d.technique), d)
        return list(unique.values()), results


def distinct_labels(keys: Sequence, ranked: Callable[[object], Sequence[str]]) -> list[str]:
    """One label per key, in order: a key seen for the k-th time gets its k-th best label (the PTC rule for a
    span that carries several techniques: repeated template rows get distinct techniques, best first)."""
    seen: dict = {}
    out = []
    for key in keys:
        k = seen.get(key, 0)
        seen[key] = k + 1
        options = ranked(key)
        out.append(options[min(k, len(options) - 1)])
    return out
