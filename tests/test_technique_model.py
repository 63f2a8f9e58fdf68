"""The run-time technique model (`unspun.runtime.technique_model`) with a fake encoder and small random heads.

The fake encoder is deterministic and vectorised (fast on 2 MB): tokens are runs of word characters or single
punctuation marks, and a token's state depends only on its characters, so a repeated paragraph gives the same
states every time. No ONNX model is needed.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspun.runtime.technique_model import (
    SEGMENT_CHARS,
    Detection,
    Heads,
    TechniqueModel,
    repeated_before,
    segments,
    tidy_span,
    tokens_for,
)
from unspun.taxonomy import NAMES

H = 8
_TABLE = np.random.default_rng(1).normal(size=(1024, H)).astype(np.float32)
_SPACE_ABOVE_ASCII = np.array(
    [0x85, 0xA0, 0x1680, *range(0x2000, 0x200C), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF]
)


def _kinds(cp: np.ndarray) -> np.ndarray:
    """0 = space or control, 1 = word character, 2 = punctuation (one token each)."""
    ascii_kind = np.full(128, 2, dtype=np.int8)
    ascii_kind[:33] = 0
    ascii_kind[127] = 0
    for ch in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_":
        ascii_kind[ord(ch)] = 1
    kind = np.ones(len(cp), dtype=np.int8)
    low = cp < 128
    kind[low] = ascii_kind[cp[low]]
    kind[np.isin(cp, _SPACE_ABOVE_ASCII) | ((cp >= 0x80) & (cp < 0xA0))] = 0
    return kind


class FakeEncoder:
    """text → (offsets [n, 2], states [n, H]); records the length of every text it is given."""

    def __init__(self) -> None:
        self.lengths: list[int] = []

    def __call__(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        self.lengths.append(len(text))
        if not text:
            return np.zeros((0, 2), dtype=np.int64), np.zeros((0, H), dtype=np.float32)
        cp = np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.int64)
        kind = _kinds(cp)
        word = kind == 1
        prev = np.concatenate([[False], word[:-1]])
        nxt = np.concatenate([word[1:], [False]])
        w_start = np.nonzero(word & ~prev)[0]
        w_end = np.nonzero(word & ~nxt)[0] + 1
        p_start = np.nonzero(kind == 2)[0]
        starts = np.concatenate([w_start, p_start])
        ends = np.concatenate([w_end, p_start + 1])
        order = np.argsort(starts, kind="stable")
        offsets = np.stack([starts[order], ends[order]], axis=1).astype(np.int64)
        key = (cp[offsets[:, 0]] * 31 + cp[offsets[:, 1] - 1] * 7 + (offsets[:, 1] - offsets[:, 0])) % len(_TABLE)
        return offsets, _TABLE[key]


def random_heads(bias: float = 0.0) -> Heads:
    rng = np.random.default_rng(0)
    return Heads(
        si_w=rng.normal(size=H).astype(np.float32),
        si_b=bias,
        tc_w=rng.normal(size=(3 * H + 2, len(NAMES))).astype(np.float32),
        tc_b=rng.normal(size=len(NAMES)).astype(np.float32),
    )


def make_model(threshold: float = 0.5, **config) -> TechniqueModel:
    cfg = {"techniques": list(NAMES), "token_threshold": threshold, "temperature": 1.0, "min_score": 0.3,
           "second_label_prob": 0.2, "span_calibration": [4.0, -2.0], **config}
    return TechniqueModel(FakeEncoder(), random_heads(), cfg)


def check_detections(text: str, found: list[Detection], model: TechniqueModel, floor: float) -> None:
    """The invariants every detection list must satisfy."""
    keys = set()
    for d in found:
        assert isinstance(d, Detection)
        assert 0 <= d.start < d.end <= len(text), d
        assert d.technique in NAMES, d
        for p in (d.score, d.span_score, d.technique_prob):
            assert 0.0 <= p <= 1.0 and np.isfinite(p), d
        assert d.score >= floor
        assert d.score == pytest.approx(d.span_score * d.technique_prob, abs=1e-3)
        # tidy: whole words, nothing to trim at the edges
        span = text[d.start : d.end]
        assert span == span.strip(" \t\r\n.,:;"), span
        assert not (d.start > 0 and text[d.start - 1].isalnum() and text[d.start].isalnum()), "starts inside a word"
        assert not (d.end < len(text) and text[d.end - 1].isalnum() and text[d.end].isalnum()), "ends inside a word"
        key = (d.start, d.end, d.technique)
        assert key not in keys, f"duplicate (span, technique): {key}"
        keys.add(key)
    assert found == sorted(found, key=lambda d: (d.start, d.end, -d.score))
    # the best technique of a span comes first; further ones only when probable enough
    by_span: dict[tuple[int, int], list[Detection]] = {}
    for d in found:
        by_span.setdefault((d.start, d.end), []).append(d)
    for dets in by_span.values():
        assert len(dets) <= 3
        probs = [d.technique_prob for d in dets]
        assert probs == sorted(probs, reverse=True)
        assert all(p >= model.second_label - 1e-4 for p in probs[1:])


# --- tidy_span ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,start,end,expected",
    [
        ("Hello world, friends", 2, 8, "Hello world"),  # extends to whole words, trims the comma
        ("Hello world, friends", 0, 12, "Hello world"),  # trims a trailing comma
        ("  spaced out.  ", 0, 15, "spaced out"),  # trims spaces and the full stop
        (";:,.word.,:;", 0, 12, "word"),
        ("a terrible, horrible deal", 5, 6, "terrible"),  # one character inside a word → the word
        ("Stop the steal!", 0, 15, "Stop the steal!"),  # '!' is not trimmed
        ("word", 0, 4, "word"),
        ("x", 0, 1, "x"),
        ("pre-war years", 4, 7, "pre-war"),  # a hyphenated compound is one word (PTC's annotators marked them whole)
        ("a right-wing owner", 7, 12, "right-wing"),  # a span starting at the hyphen
        ("false-documented illegals", 0, 5, "false-documented"),
        ("so - not", 0, 2, "so"),  # a spaced hyphen joins nothing
        ("an 11th-hour deal", 3, 7, "11th-hour"),
        ("how the U.S. treats", 4, 9, "the U.S"),  # a dotted abbreviation is whole (its last full stop trimmed)
        ("in U.S. troops", 5, 6, "U.S"),
        ("Washington, D.C. A", 12, 13, "D.C"),
        ("the night.What we", 4, 9, "night"),  # a missing space after a sentence joins nothing
        ("Mr. Smith", 0, 2, "Mr"),
        ("defenseless in the face", 0, 18, "defenseless"),  # trailing function words go, one after another
        ("all the wickedness of the Church", 0, 21, "all the wickedness"),  # leading articles stay (as in the gold)
        ("medicine of immortality", 9, 23, "immortality"),  # a leading "of" goes (the gold: 0.18% of spans)
        ("kind of disappointed atheism", 5, 20, "disappointed"),
        ("read by or from them all", 5, 24, "them all"),  # one after another
        ("and political it", 0, 16, "and political it"),  # "and" stays: the gold starts with it as often
        ("of course", 0, 2, "of"),  # a span of one word keeps it (the function-word filter drops it later)
        ("offer on", 0, 8, "offer"),  # "of" only as a whole word
        ("stop it now", 0, 7, "stop it"),  # pronouns stay ("Stop it")
        ("the", 0, 3, "the"),  # a span of one word keeps it
        ("weapons of mass destruction", 0, 11, "weapons"),
        ("“strategies” that render", 11, 24, "that render"),  # no closing quotation mark first
        ("so-called “experts”", 0, 11, "so-called"),  # no opening one last
        ("Zürich café", 1, 3, "Zürich"),  # non-ASCII letters are word characters
        ("line one\r\nline two", 5, 12, "one\r\nline"),
        ("our children's future", 13, 21, "children's future"),  # a span starting after the apostrophe
        ("our children\u2019s future", 4, 12, "children\u2019s"),  # ending before it (curly apostrophe)
        ("the 'elite' lie", 5, 10, "elite"),  # quotation marks are not inside a word
    ],
)
def test_tidy_span(text, start, end, expected):
    s, e = tidy_span(text, start, end)
    assert text[s:e] == expected


@pytest.mark.parametrize("text,start,end", [("a , . b", 2, 5), ("   ", 0, 3), ("x\n\n y", 1, 4)])
def test_tidy_span_of_nothing_is_empty(text, start, end):
    s, e = tidy_span(text, start, end)
    assert s == e


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab .,;:\n!é-", min_size=1, max_size=40), st.data())
def test_tidy_span_properties(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    s, e = tidy_span(text, start, end)
    assert 0 <= s <= e <= len(text)
    if e > s:
        assert text[s] not in " \t\r\n.,:;" and text[e - 1] not in " \t\r\n.,:;"
        assert not (s > 0 and text[s - 1].isalnum() and text[s].isalnum())
        assert not (e < len(text) and text[e - 1].isalnum() and text[e].isalnum())


# --- tokens_for ---------------------------------------------------------------------------------------------------
def test_tokens_for():
    # "alpha beta, gamma": alpha [0,5) beta [6,10) , [10,11) gamma [12,17)
    offsets = np.array([[0, 5], [6, 10], [10, 11], [12, 17]])
    assert tokens_for(offsets, 0, 5) == (0, 0)
    assert tokens_for(offsets, 0, 17) == (0, 3)
    assert tokens_for(offsets, 3, 8) == (0, 1)  # partial overlap on both sides
    assert tokens_for(offsets, 6, 11) == (1, 2)
    assert tokens_for(offsets, 11, 17) == (3, 3)  # the space before gamma belongs to no token
    assert tokens_for(offsets, 5, 6) is None  # only the space between alpha and beta
    assert tokens_for(offsets, 17, 20) is None  # after the last token
    assert tokens_for(np.zeros((0, 2), dtype=np.int64), 0, 3) is None


# --- segments -----------------------------------------------------------------------------------------------------
def test_segments_small_text_is_one_piece():
    assert segments("short text") == [(0, 10)]
    assert segments("") == []


def test_segments_cut_after_newlines():
    text = ("x" * 30 + "\n") * 10
    pieces = segments(text, limit=100)
    assert all(text[b - 1] == "\n" for _, b in pieces[:-1])
    assert all(b - a <= 100 for a, b in pieces)
    assert "".join(text[a:b] for a, b in pieces) == text


def test_segments_without_newlines_cut_at_the_limit():
    text = "word " * 100
    assert segments(text, limit=64)[:2] == [(0, 64), (64, 128)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab \n", max_size=300), st.integers(1, 60))
def test_segments_properties(text, limit):
    pieces = segments(text, limit)
    # the pieces tile the text exactly: contiguous, non-empty, in order
    assert "".join(text[a:b] for a, b in pieces) == text
    pos = 0
    for a, b in pieces:
        assert a == pos and b > a
        assert b - a <= limit
        pos = b
        if b < len(text):
            # where the second half of the window has a newline, the piece ends just after the last one
            window = text[a + limit // 2 : a + limit]
            last_nl = text.rfind("\n", a + limit // 2, a + limit)
            if "\n" in window and last_nl > a:
                assert b == last_nl + 1
    assert pos == len(text)


# --- candidate_spans ----------------------------------------------------------------------------------------------
def test_candidate_spans_on_hand_made_probabilities():
    model = make_model()
    text = "Alpha beta, gamma delta. Epsilon"
    offsets, _ = FakeEncoder()(text)
    assert [text[s:e] for s, e in offsets] == ["Alpha", "beta", ",", "gamma", "delta", ".", "Epsilon"]
    probs = np.array([0.9, 0.7, 0.8, 0.2, 0.6, 0.9, 0.1])
    spans = model.candidate_spans(text, offsets, probs, 0.5)
    # the tokens are those of the span as reported (the comma and the full stop are trimmed); the score is the run's
    assert [(text[s:e], i, j) for s, e, i, j, _ in spans] == [("Alpha beta", 0, 1), ("delta", 4, 4)]
    assert spans[0][4] == pytest.approx(0.8)  # mean of 0.9, 0.7, 0.8
    assert spans[1][4] == pytest.approx(0.75)
    # the threshold is inclusive; a run of punctuation alone (the full stop at 0.9) tidies to nothing and is dropped
    assert [text[s:e] for s, e, *_ in model.candidate_spans(text, offsets, probs, 0.9)] == ["Alpha"]
    assert model.candidate_spans(text, offsets, probs, 0.95) == []


def test_candidate_spans_extend_subwords_and_drop_punctuation_only_runs():
    model = make_model()
    text = "unbelievable , really"
    offsets = np.array([[0, 2], [2, 9], [9, 12], [13, 14], [15, 21]])  # un ##believ ##able , really
    probs = np.array([0.0, 0.9, 0.0, 0.9, 0.0])
    spans = model.candidate_spans(text, offsets, probs, 0.5)
    assert [(text[s:e], i, j) for s, e, i, j, _ in spans] == [("unbelievable", 0, 2)]  # pooled over the whole word
    assert spans[0][4] == pytest.approx(0.9)  # scored by the run the model found


def test_candidate_spans_split_inside_a_word_become_one_span():
    """The apostrophe token under the threshold splits the run, but both halves tidy into "children's": one span."""
    model = make_model()
    text = "our children's future"
    offsets = np.array([[0, 3], [4, 12], [12, 13], [13, 14], [15, 21]])  # our children ' s future
    probs = np.array([0.9, 0.9, 0.1, 0.9, 0.9])
    spans = model.candidate_spans(text, offsets, probs, 0.5)
    assert [(text[s:e], i, j) for s, e, i, j, _ in spans] == [("our children's future", 0, 4)]
    assert spans[0][4] == pytest.approx(0.74)  # the mean over every token of the span, the one under the threshold too


def test_candidate_spans_split_at_a_words_first_token_become_one_span():
    """ "children" under the threshold splits the run before it; "'s" extends to the whole word, so the two tidied
    spans touch with a space between: one span. A line break between them, or a half that is function words alone,
    keeps them apart."""
    model = make_model()
    text = "betray our children's future"
    offsets = np.array([[0, 6], [7, 10], [11, 19], [19, 20], [20, 21], [22, 28]])  # betray our children ' s future
    probs = np.array([0.9, 0.9, 0.1, 0.9, 0.9, 0.9])
    spans = model.candidate_spans(text, offsets, probs, 0.5)
    assert [(text[s:e], i, j) for s, e, i, j, _ in spans] == [("betray our children's future", 0, 5)]
    assert spans[0][4] == pytest.approx((0.9 * 5 + 0.1) / 6)  # the mean over all its tokens, "children" too

    lines = "betray our\nchildren's future"
    spans = model.candidate_spans(lines, offsets, probs, 0.5)
    assert [lines[s:e] for s, e, *_ in spans] == ["betray our", "children's future"]

    text = "saddened and shocked"
    offsets = np.array([[0, 8], [9, 12], [13, 20]])
    spans = model.candidate_spans(text, offsets, np.array([0.9, 0.9, 0.1]), 0.5)
    # "and" alone is not joined to "saddened" across nothing: "saddened and" would end on a function word
    assert [text[s:e] for s, e, *_ in spans] == ["saddened"]
    text = "the “wicked” liars"
    offsets = np.array([[0, 3], [4, 5], [5, 11], [11, 12], [13, 18]])
    spans = model.candidate_spans(text, offsets, np.array([0.9, 0.1, 0.9, 0.1, 0.9]), 0.5)
    # a quotation mark between the runs is not a space: two spans
    assert [text[s:e] for s, e, *_ in spans] == ["the", "wicked", "liars"]


# --- predict ----------------------------------------------------------------------------------------------------
ARTICLE = (
    "The so-called experts have failed us again, and everyone knows it. Either we act now or we lose everything!\n"
    "According to the World Bank, the economy grew by 2% last year; critics said the figures were a disgrace.\n\n"
    "What about the billions wasted on consultants? Nobody is saying that. Make our country great again!\n"
)

ODD_TEXTS = {
    "one_word": "Disgraceful",
    "one_word_punct": "Disgraceful!",
    "no_sentence_punctuation": "they lied to us and they will lie again and again and nobody will stop them " * 20,
    "arabic": "قال الوزير إن الإصلاح سيكلف مليارات الدولارات، وهذا أمر مخز. " * 5,
    "cjk": "政府は改革が必要だと述べた。批評家はこれを恥だと呼んだ。" * 5,
    "cyrillic_greek": "Министр сказал: это позор. Ο υπουργός είπε ότι είναι ντροπή.",
    "control": "alpha\x00beta\x07 gamma\x1b[0m delta\x0b\x0c epsilon\x7f zeta\x85",
    "emoji_bom_crlf": "\ufeffGreat 😀 news\r\nfor 👩‍👩‍👧 families\r\n🇫🇷 today!\r\n",
    "combining": "Cafe\u0301 in Zu\u0308rich; the re\u0301sume\u0301 was na\u0308ive.",
    "whitespace_only": " \t\r\n \u00a0\u2003 ",
    "punctuation_only": "... ,,, ;;; !!! ???",
    "empty": "",
}


@pytest.mark.parametrize("threshold", [0.0, 0.5])
@pytest.mark.parametrize("name", sorted(ODD_TEXTS) + ["article"])
def test_predict_gives_valid_detections(name, threshold):
    text = ARTICLE if name == "article" else ODD_TEXTS[name]
    model = make_model(threshold)
    found = model.predict(text, floor=0.0)
    check_detections(text, found, model, floor=0.0)
    offsets, _ = FakeEncoder()(text)
    if threshold == 0.0 and any(ch.isalnum() for ch in text):
        # every token is above a threshold of 0, so all tokens (tidied) form one span
        assert {(d.start, d.end) for d in found} == {tidy_span(text, int(offsets[0, 0]), int(offsets[-1, 1]))}


def test_predict_floor_filters():
    model = make_model(0.3)
    everything = model.predict(ARTICLE, floor=0.0)
    assert everything
    scores = sorted({d.score for d in everything})
    # between two reported scores: a floor equal to a reported (rounded) score is compared with the unrounded one
    cut = (scores[len(scores) // 2] + scores[len(scores) // 2 + 1]) / 2
    kept = model.predict(ARTICLE, floor=cut)
    assert kept == [d for d in everything if d.score >= cut]


def test_predict_is_deterministic():
    assert make_model().predict(ARTICLE, floor=0.0) == make_model().predict(ARTICLE, floor=0.0)


def test_predict_on_a_2mb_article_is_bounded():
    """2 MB of a repeated paragraph: the encoder sees pieces of at most SEGMENT_CHARS, memory stays small."""
    # make the spans sparse, as in a real article: only the best-scoring word of ARTICLE fires, and the paragraph
    # is ARTICLE plus ~20 KB of filler words that score lower (span_features counts each span's words over the
    # whole text, so a dense span every few words would make this test slow, not the code under test wrong)
    offsets, states = FakeEncoder()(ARTICLE)
    probs = make_model().heads.si_probs(states)
    is_word = np.array([ARTICLE[s:e].isalnum() for s, e in offsets])
    threshold = float(probs[is_word].max())
    vocab = ("minister report year economy market rate people city week budget council plan vote court police school "
             "hospital road water energy price tax bank river street").split()
    _, vocab_states = FakeEncoder()(" ".join(vocab))
    filler = [w for w, p in zip(vocab, make_model().heads.si_probs(vocab_states)) if p < threshold]
    assert len(filler) >= 5
    line = " ".join(filler) + ".\n"
    paragraph = ARTICLE + line * (20_000 // len(line))
    text = paragraph * (2_000_000 // len(paragraph) + 1)
    assert len(text) >= 2_000_000
    model = make_model(threshold=threshold)
    tracemalloc.start()
    try:
        found = model.predict(text, floor=0.0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found
    assert max(model.encode.lengths) <= SEGMENT_CHARS
    assert len(model.encode.lengths) >= len(text) // SEGMENT_CHARS
    # text.lower() of 2 M characters alone costs up to ~24 MB transiently; encoding the whole text in one go would
    # add ~18 MB per 400 K characters with this fake encoder (≈ 90 MB here)
    assert peak < 48_000_000, f"peak {peak / 1e6:.1f} MB"
    check_detections(text, found[:2000], model, floor=0.0)
    assert all(0 <= d.start < d.end <= len(text) for d in found)
    # the same paragraph gives the same detections in every copy
    first = [(d.start, d.end, d.technique) for d in found if d.end <= len(paragraph)]
    second = [(d.start - len(paragraph), d.end - len(paragraph), d.technique)
              for d in found if len(paragraph) <= d.start and d.end <= 2 * len(paragraph)]
    assert first and first == second


def test_predict_across_hard_segment_cuts():
    """A long text without newlines is cut mid-text; detections stay valid and unique."""
    words = "nobody will stop them because everyone agrees with the so called experts "
    text = (words * 1200)[: SEGMENT_CHARS * 2 + 777]
    model = make_model(0.5)
    found = model.predict(text, floor=0.0)
    assert len(model.encode.lengths) == 3
    check_detections(text, found, model, floor=0.0)


# --- ensembles ------------------------------------------------------------------------------------------------------
def test_ensemble_of_identical_members_equals_the_single_model():
    single = make_model(0.5)
    cfg = dict(single.config)
    twin = TechniqueModel(FakeEncoder(), random_heads(), cfg, more=[(FakeEncoder(), random_heads())])
    assert twin.predict(ARTICLE, floor=0.0) == single.predict(ARTICLE, floor=0.0)
    spans = [(4, 25), (69, 75)]
    for a, b in zip(twin.classify(ARTICLE, spans), single.classify(ARTICLE, spans)):
        assert [t for t, _ in a] == [t for t, _ in b]
        assert [p for _, p in a] == pytest.approx([p for _, p in b], abs=1e-6)


def test_ensemble_averages_members():
    cfg = dict(make_model(0.5).config)
    base = random_heads()
    other = Heads(si_w=-base.si_w, si_b=0.5, tc_w=base.tc_w[:, ::-1].copy(), tc_b=np.zeros(len(NAMES), np.float32))
    pair = TechniqueModel(FakeEncoder(), random_heads(), cfg, more=[(FakeEncoder(), other)])
    _, _, states = next(pair.encode_segments(ARTICLE))
    assert len(states) == 2
    expected = (random_heads().si_probs(states[0]) + other.si_probs(states[1])) / 2
    np.testing.assert_allclose(pair.si_probs(states), expected, rtol=1e-6)
    for name in ("article", "control", "arabic", "one_word"):
        text = ARTICLE if name == "article" else ODD_TEXTS[name]
        check_detections(text, pair.predict(text, floor=0.0), pair, floor=0.0)


def test_batched_span_logits_equal_one_span_at_a_time():
    """detect_in_piece scores all candidate spans of a piece in one product per member; the result is what the
    per-span path (used for given spans) gives, for each member of an ensemble."""
    cfg = dict(make_model(0.5).config)
    base = random_heads()
    other = Heads(si_w=-base.si_w, si_b=0.5, tc_w=base.tc_w[:, ::-1].copy(), tc_b=np.ones(len(NAMES), np.float32))
    pair = TechniqueModel(FakeEncoder(), base, cfg, more=[(FakeEncoder(), other)])
    _, offsets, states = next(pair.encode_segments(ARTICLE))
    ranges = [(0, 0), (2, 7), (5, 5), (10, len(offsets) - 1)]
    feats = np.random.default_rng(3).normal(size=(len(ranges), 2)).astype(np.float32)
    many = pair.technique_logits_many(states, ranges, feats)
    assert many.shape == (len(ranges), 2, len(NAMES))
    for k, (i, j) in enumerate(ranges):
        np.testing.assert_allclose(many[k], pair.technique_logits(states, i, j, feats[k]), rtol=1e-5, atol=1e-5)


# --- classify ---------------------------------------------------------------------------------------------------
def test_classify_ranks_all_techniques():
    model = make_model()
    spans = [(4, 25), (69, 75), (0, 3), (ARTICLE.index("Make"), len(ARTICLE) - 1)]
    results = model.classify(ARTICLE, spans)
    assert len(results) == len(spans)
    for ranked in results:
        assert sorted(t for t, _ in ranked) == sorted(NAMES)
        probs = [p for _, p in ranked]
        assert probs == sorted(probs, reverse=True)
        assert sum(probs) == pytest.approx(1.0, abs=1e-5)
        assert all(0.0 <= p <= 1.0 for p in probs)


def test_classify_agrees_with_predict():
    """For spans predict found, classify gives the same best technique and probability (same pooling)."""
    text = "they lied to us and they will lie again and again and nobody will stop them " * 5
    model = make_model(0.5)
    found = model.predict(text, floor=0.0)
    best: dict[tuple[int, int], Detection] = {}
    for d in found:
        best.setdefault((d.start, d.end), d)
    assert best
    spans = list(best)
    for span, ranked in zip(spans, model.classify(text, spans)):
        assert ranked[0][0] == best[span].technique
        assert ranked[0][1] == pytest.approx(best[span].technique_prob, abs=1e-4)


def test_predict_and_classify_equals_the_two_calls_with_one_encoding_per_piece(monkeypatch):
    """Evaluation's single pass gives exactly what predict and classify give apart, and encodes each piece once."""
    import functools

    from unspun.runtime import technique_model

    monkeypatch.setattr(technique_model, "segments", functools.partial(technique_model.segments, limit=300))
    text = ("They lied to us again.\nThe radical mob wants chaos.\n" * 12) + "Last line."
    model = make_model(0.4)
    spans = [(0, 4), (30, 41), (len(text) - 10, len(text)), (5, 400)]
    calls = []
    real = model.members[0][0]
    model.members[0] = (lambda piece: calls.append(len(piece)) or real(piece), model.members[0][1])
    found, classes = model.predict_and_classify(text, spans, floor=0.05)
    assert len(calls) == len(technique_model.segments(text)) == 3
    assert found == model.predict(text, floor=0.05)
    assert classes == model.classify(text, spans)
    calls.clear()
    assert model.predict_and_classify(text, [], detect=False) == ([], [])
    assert calls == []  # nothing to do: nothing encoded


@pytest.mark.parametrize("name", sorted(ODD_TEXTS))
def test_classify_odd_texts(name):
    text = ODD_TEXTS[name]
    model = make_model()
    spans = [(0, len(text))] if text else []
    spans += [(0, 1), (len(text) // 2, len(text))] if len(text) > 1 else []
    results = model.classify(text, spans)
    assert len(results) == len(spans)
    for ranked in results:
        assert len(ranked) == len(NAMES)
        assert sum(p for _, p in ranked) == pytest.approx(1.0, abs=1e-5)


def test_classify_span_without_tokens_is_uniform():
    model = make_model()
    text = "alpha     beta"
    ranked = model.classify(text, [(6, 9)])[0]  # only spaces
    assert all(p == pytest.approx(1 / len(NAMES)) for _, p in ranked)
    assert model.classify("", [(0, 0)])[0][0][1] == pytest.approx(1 / len(NAMES))


# --- the technique decision: class prior and the Repetition cue ----------------------------------------------------
@pytest.mark.parametrize(
    "text,span,last,expected",
    [
        ("Crooked Hillary lied. Crooked   Hillary lied again.", "Crooked   Hillary", True, True),  # spaces normalised
        ("Crooked Hillary lied. Crooked Hillary lied again.", "Crooked Hillary", False, False),  # the first occurrence
        ("the deal, the DEAL", "DEAL", True, True),  # case-insensitive
        ("a b a b", "b", True, False),  # under 3 characters: too common to count
        ("unique words only", "words", True, False),
    ],
)
def test_repeated_before(text, span, last, expected):
    start = text.rindex(span) if last else text.index(span)
    assert repeated_before(text.lower(), span, start) is expected


def test_repeated_before_looks_back_a_bounded_distance():
    far = "slogan " + "x" * (2 * SEGMENT_CHARS) + " slogan"
    assert not repeated_before(far.lower(), "slogan", far.rindex("slogan"))
    near = "slogan " + "x" * 100 + " slogan"
    assert repeated_before(near.lower(), "slogan", near.rindex("slogan"))


def test_adjusted_adds_prior_and_repetition_bonus():
    rep = NAMES.index("Repetition")
    prior = np.log(np.linspace(1, 2, len(NAMES)) / np.linspace(1, 2, len(NAMES)).sum())
    model = make_model(temperature=2.0, prior_weight=0.5, log_prior=prior.tolist(), repeat_bonus=1.5)
    logits = np.arange(2 * len(NAMES), dtype=np.float32).reshape(2, len(NAMES))  # [members, techniques]
    plain = logits / 2.0 + 0.5 * prior
    np.testing.assert_allclose(model.adjusted(logits, False), plain, rtol=1e-6)
    bumped = model.adjusted(logits, True)
    np.testing.assert_allclose(np.delete(bumped, rep, axis=1), np.delete(plain, rep, axis=1), rtol=1e-6)
    np.testing.assert_allclose(bumped[:, rep], plain[:, rep] + 1.5, rtol=1e-6)
    # one flag per span for a batch [spans, members, techniques]
    batch = np.stack([logits, logits])
    out = model.adjusted(batch, np.array([0.0, 1.0]))
    np.testing.assert_allclose(out[0], plain, rtol=1e-6)
    np.testing.assert_allclose(out[1], bumped, rtol=1e-6)
    np.testing.assert_array_equal(logits, np.arange(2 * len(NAMES)).reshape(2, len(NAMES)))  # input untouched


def test_repetition_bonus_turns_a_repeated_phrase_into_repetition():
    """With a large bonus, the second occurrence of a phrase is classified Repetition and the first is not."""
    text = "They call it a witch hunt. It is a witch hunt, nothing more."
    first = text.index("witch hunt")
    second = text.index("witch hunt", first + 1)
    spans = [(first, first + 10), (second, second + 10)]
    model = make_model(repeat_bonus=50.0)
    plain = make_model()
    got = model.classify(text, spans)
    assert got[1][0][0] == "Repetition"
    assert got[0] == plain.classify(text, spans)[0]  # no earlier occurrence: unchanged
    found = {(d.start, d.end): d for d in model.predict(text, floor=0.0)}
    for (start, end), d in found.items():
        if repeated_before(text.lower(), text[start:end], start):
            assert d.technique == "Repetition"
