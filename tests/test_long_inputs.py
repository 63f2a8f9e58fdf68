"""Long inputs, above all text without spaces: span tidying and quote decoding stay linear and honour the time limit.

Nothing here is timed. The linearity tests count what the code reads (characters, calls) on inputs of size n and 2n;
the time-limit tests give a deadline that has already passed and check that the error comes from inside the loops
over a long word. `benchmarks/long_inputs.py` measures the seconds.
"""

from __future__ import annotations

import random
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspun.errors import TimeLimitError
from unspun.limits import deadline
from unspun.runtime import quote_model, technique_model
from unspun.runtime.quote_model import TAGS, QuoteModel, Segment, _Paragraphs, _paragraph_of, _Spans, link
from unspun.runtime.technique_model import SEGMENT_CHARS, Heads, TechniqueModel, WordRuns, _in_word, tidy_span
from unspun.taxonomy import NAMES

H = 4


def letters(n: int, seed: int = 0) -> str:
    return "".join(random.Random(seed).choices("abcdefghijklmnopqrstuvwxyz", k=n))


# --- the char-by-char loops these replace (quadratic on a long word: each span rescanned it) -------------------------
def reference_tidy(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and _in_word(text, start - 1) and _in_word(text, start):
        start -= 1
    while end < len(text) and _in_word(text, end) and _in_word(text, end - 1):
        end += 1
    # a single ASCII letter inside a dotted abbreviation ("U.S.") takes all of it (at most 8 letters back)
    def single(k: int) -> bool:
        return (text[k].isascii() and text[k].isalpha() and (k == 0 or not text[k - 1].isalnum())
                and (k + 1 == len(text) or not text[k + 1].isalnum()))

    if start < end and single(start):
        s = start
        while s >= 2 and start - (s - 2) <= 16 and text[s - 1] == "." and single(s - 2):
            s -= 2
        start = s
    if start < end and single(end - 1):
        e = end
        while e + 2 < len(text) and text[e] == "." and single(e + 1) and text[e + 2] == ".":
            e += 2
        end = e + 1 if e > end else end
    while start < end and text[start] in " \t\r\n.,:;\u201d\u00bb":
        start += 1
    while end > start and text[end - 1] in " \t\r\n.,:;\u201c\u00ab":
        end -= 1
    # leading prepositions, each followed by a space or line break, one at a time
    while (m := re.match(r"([^\W\d_]+)\s", text[start:end])) and m.group(1).lower() in (
            "of", "or", "nor", "at", "on", "by", "from"):
        start += m.end(1)
        while start < end and text[start] in " \t\r\n.,:;\u201d\u00bb":
            start += 1
    while end > start and text[end - 1] in " \t\r\n.,:;\u201c\u00ab":
        end -= 1
    # then trailing function words, each after a space or line break, one at a time
    while (m := re.search(r"\s([^\W\d_]+)\Z", text[start:end])) and m.group(1).lower() in (
            "a", "an", "the", "of", "and", "or", "nor", "with", "at", "to", "in", "on", "for", "by", "from", "as"):
        end = start + m.start(1)
        while end > start and text[end - 1] in " \t\r\n.,:;\u201c\u00ab":
            end -= 1
    return start, end


def reference_extend(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return start, end


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(["aB9é٣_'’-‐ .,;\n", "a the of in”“ .\n-", "aBU.S ,\n-the"]).flatmap(lambda a: st.text(alphabet=a, min_size=1, max_size=40)), st.data())
def test_tidy_span_and_extend_words_match_the_char_by_char_loops(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(max(start, 1), len(text)))
    assert tidy_span(text, start, end) == reference_tidy(text, start, end)
    seg = Segment("CON", start, end, 1.0)
    quote_model._extend_words(text, [seg])
    assert (seg.start, seg.end) == reference_extend(text, start, end)


@pytest.mark.parametrize("text", ["a'" * 700 + "a", " " + "a’" * 700 + "a ", "'" + "ab'" * 500,
                                  "a" * 1000 + "''" + "a'" * 300 + "a", "x" * 257 + "'" + "y" * 300])
def test_words_longer_than_a_read_slice_with_apostrophes_at_its_edges(text):
    # WordRuns reads backwards in slices of 256, 512, …: an apostrophe at a slice's edge must not end the word early
    for k in range(0, len(text), 7):
        for a, b in [(k, k + 1), (k, min(len(text), k + 5))]:
            assert tidy_span(text, a, b) == reference_tidy(text, a, b), (a, b)


# --- linear: each word is read once, however many spans lie in it --------------------------------------------------
def tidy_every_few_chars(text: str) -> tuple[int, list[tuple[int, int]]]:
    words = WordRuns(text)
    spans = [tidy_span(text, a, a + 3, words) for a in range(1, len(text) - 4, 4)]
    return words.chars_read, spans


def test_tidying_spans_inside_one_long_word_reads_it_once():
    reads = []
    for n in (50_000, 100_000):
        read, spans = tidy_every_few_chars(letters(n))
        assert set(spans) == {(0, n)}
        assert read <= 3 * n  # the old loops read about n/4 spans × n characters
        reads.append(read)
    assert reads[1] <= 2.2 * reads[0]


def test_trimming_reads_a_bounded_part_of_each_span():
    """The trims look at a few characters at each edge, never along the span: spans that all grow into one long word
    (a text without spaces) must not each read it again."""

    class Counting(str):
        reads = 0

        def __getitem__(self, k):
            Counting.reads += 1
            return str.__getitem__(self, k)

    n = 4_000
    text = Counting(letters(n))
    words = WordRuns(text)
    spans = [tidy_span(text, a, a + 3, words) for a in range(1, n - 4, 4)]
    assert set(spans) == {(0, n)}
    assert Counting.reads <= 40 * len(spans)  # reading the word back per span would be about n per span


def test_tidying_spans_over_many_long_words_reads_each_once():
    text = " ".join(letters(997, seed=i) for i in range(100))
    read, spans = tidy_every_few_chars(text)
    assert read <= 3 * len(text)
    for a, b in spans[::50]:
        assert text[a:b] == text[a:b].strip() and " " not in text[a:b]


class ChunkEncoder:
    """Subword-like tokens of 4 characters; every state is ones, so (with the heads below) every token is marked."""

    def __call__(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        starts = np.arange(0, len(text), 4, dtype=np.int64)
        offsets = np.stack([starts, np.minimum(starts + 4, len(text))], axis=1)
        return offsets, np.ones((len(starts), H), dtype=np.float32)


def marking_model() -> TechniqueModel:
    rng = np.random.default_rng(0)
    heads = Heads(si_w=np.ones(H, dtype=np.float32), si_b=10.0,
                  tc_w=rng.normal(size=(3 * H + 2, len(NAMES))).astype(np.float32),
                  tc_b=np.zeros(len(NAMES), dtype=np.float32))
    return TechniqueModel(ChunkEncoder(), heads, {"techniques": list(NAMES), "token_threshold": 0.5})


def test_predict_on_text_without_spaces_reads_the_long_word_once(monkeypatch):
    """Every piece of a text without spaces yields the same span, the whole text: it is extended, and its words
    normalised, once for the text, not once per piece."""
    made: list[WordRuns] = []
    normalised: list[int] = []

    class Recorded(WordRuns):
        __slots__ = ()

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    real_normalise = technique_model._normalise

    def counted(s: str) -> str:
        normalised.append(len(s))
        return real_normalise(s)

    calls: list[str] = []

    def counting(name: str):
        real = getattr(technique_model, name)

        def wrapper(*args, **kwargs):
            calls.append(name)
            return real(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(technique_model, "WordRuns", Recorded)
    monkeypatch.setattr(technique_model, "_normalise", counted)
    for name in ("function_only", "name_like", "repetition_cue"):  # each reads the span's whole text
        monkeypatch.setattr(technique_model, name, counting(name))
    model = marking_model()
    for n in (5 * SEGMENT_CHARS, 10 * SEGMENT_CHARS):  # 5 and 10 pieces
        made.clear()
        normalised.clear()
        calls.clear()
        text = letters(n)
        found = model.predict(text, floor=0.0)
        assert found and {(d.start, d.end) for d in found} == {(0, n)}
        assert len(found) == len({d.technique for d in found})  # once, not once per piece
        assert sum(w.chars_read for w in made) <= 3 * n
        assert sum(normalised) <= n  # per piece, it was 2 × pieces × n
        # the span's own facts are read once for the text (per piece, the 2 MB benchmark grew 1.5× per MB)
        assert sorted(calls) == ["function_only", "name_like", "repetition_cue"]


def test_quote_decoding_reads_a_long_word_once(monkeypatch):
    made: list[WordRuns] = []

    class Recorded(WordRuns):
        __slots__ = ()

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(quote_model, "WordRuns", Recorded)
    model = QuoteModel(ChunkEncoder(), np.zeros((H, len(TAGS)), dtype=np.float32),
                       np.array([0, 0, 0, 0, 0, 0, 5], dtype=np.float32), {})  # every token I-CON
    for n in (5 * SEGMENT_CHARS, 10 * SEGMENT_CHARS):
        made.clear()
        text = letters(n)
        atts = model(text)
        assert [a.parts for a in atts] == [[(0, n)]]
        assert sum(w.chars_read for w in made) <= 3 * n


def quotes_in_one_paragraph(n: int) -> tuple[str, list[Segment]]:
    text, segs = "", []
    for i in range(n):
        piece = f"“Quote number {i} is long enough,” said Person{i} on Monday. "
        for sub, role in ((f"“Quote number {i} is long enough,”", "CON"), ("said", "CUE"), (f"Person{i}", "SRC")):
            a = len(text) + piece.index(sub)
            segs.append(Segment(role, a, a + len(sub), 0.9))
        text += piece
    return text, segs


def test_linking_many_quotes_in_one_paragraph_is_linear(monkeypatch):
    """Linking compared each content with every cue and source, and each source with every cue: quadratic in the
    quotes of a paragraph (a long text without blank lines is one paragraph)."""
    calls = [0]
    real = quote_model._span_distance

    def counted(a, b):
        calls[0] += 1
        return real(a, b)

    monkeypatch.setattr(quote_model, "_span_distance", counted)
    counts = []
    for n in (200, 400):
        calls[0] = 0
        text, segs = quotes_in_one_paragraph(n)
        atts = link(text, segs)
        assert len(atts) == n
        for i, att in enumerate(atts):
            assert text[att.source[0] : att.source[1]] == f"Person{i}"
            assert text[att.cue[0] : att.cue[1]] == "said"
        counts.append(calls[0])
    assert counts[1] <= 2.2 * counts[0]


def _ascending(xs: list[tuple[int, int]]) -> list[Segment]:
    """Segments as decoding gives them: starts and ends both ascending (overlaps and repeats allowed)."""
    out: list[Segment] = []
    for a, w in sorted(xs):
        out.append(Segment("CUE", a, max(a + w, out[-1].end if out else 0), 0.5))
    return out


ordered_segments = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 12)), max_size=12).map(_ascending)


@settings(max_examples=300, deadline=None)
@given(st.one_of(ordered_segments, st.lists(st.builds(lambda a, w: Segment("CUE", a, a + w, 0.5),
                                                       st.integers(0, 60), st.integers(0, 12)), max_size=12)),
       st.integers(0, 70), st.integers(1, 15), st.integers(0, 30))
def test_span_lookups_match_plain_scans(segs, a, width, d):
    """`_Spans` answers as the plain scans do: by bisection for ascending segments, else by scanning."""
    spans = _Spans(segs)
    b = a + width
    assert spans.within(a, b) == [s for s in segs if a <= s.start and s.end <= b]
    assert spans.touching(a - d, b + d) == [s for s in segs if s.end >= a - d and s.start <= b + d]
    brute = min(segs, key=lambda c: quote_model._span_distance((a, b), (c.start, c.end))) if segs else None
    assert spans.nearest(a, b) is brute


@given(st.text(alphabet="a\n", max_size=30))
def test_paragraph_lookup_matches_counting(text):
    paragraph = _Paragraphs(text)
    assert [paragraph(p) for p in range(len(text) + 1)] == [_paragraph_of(text, p) for p in range(len(text) + 1)]


# --- the time limit is checked inside --------------------------------------------------------------------------------
def test_an_expired_deadline_stops_tidy_span_inside_a_long_word():
    text = letters(1_000_000)
    words = WordRuns(text)
    with deadline(-1.0), pytest.raises(TimeLimitError) as raised:  # a deadline already past
        tidy_span(text, 500_000, 500_004, words)
    assert any(entry.name == "word_at" for entry in raised.traceback)
    assert words.chars_read == 0  # stopped before reading the word


def test_an_expired_deadline_stops_extend_words_inside_a_long_word():
    text = letters(1_000_000)
    offsets = np.array([[500_000, 500_004]], dtype=np.int64)
    probs = np.eye(len(TAGS))[[TAGS.index("B-CON")]]
    with deadline(-1.0), pytest.raises(TimeLimitError) as raised:
        quote_model.role_segments(text, offsets, probs)
    assert any(entry.name == "_extend_words" for entry in raised.traceback)


def test_an_expired_deadline_stops_quote_tagging_before_a_piece():
    calls = []
    model = QuoteModel(lambda piece: calls.append(piece) or ChunkEncoder()(piece),
                       np.zeros((H, len(TAGS)), dtype=np.float32), np.zeros(len(TAGS), dtype=np.float32), {})
    with deadline(-1.0), pytest.raises(TimeLimitError):
        model.tag(letters(3 * SEGMENT_CHARS))
    assert calls == []


def test_heading_checks_on_a_text_without_line_breaks_read_a_bounded_window(monkeypatch):
    """A scrape with no line breaks is one line of megabytes: asking whether each name sits on a heading line must not
    read the whole line each time (it did: 420 s per MB at 0.5 MB of one-line prose, 158 at 0.125)."""
    from unspun.ingest import text as text_ingest

    read: list[int] = []

    class Counting:
        def findall(self, s: str) -> list[str]:
            read.append(len(s))
            return real.findall(s)

    real = text_ingest._LETTERS
    monkeypatch.setattr(text_ingest, "_LETTERS", Counting())
    one_line = "The Ferry Chief said the plan was sound and the vote was close. " * 20_000  # 1.3 MB, no line break
    positions = range(0, len(one_line), len(one_line) // 50)
    assert not any(text_ingest.heading_line(one_line, p) for p in positions)
    assert sum(read) <= 50 * 2 * text_ingest.HEADING_LOOK
    # a short line still reads as a heading, at the start, the middle and the end of a text
    for text in ("Ferry Chief Quits Over Harbour Row\nThe chief quit.", "x.\nFerry Chief Quits Over Harbour Row\ny.",
                 "The chief quit.\nFerry Chief Quits Over Harbour Row"):
        assert text_ingest.heading_line(text, text.index("Chief"))
    assert not text_ingest.heading_line("a" * 5000 + "\nFerry Chief Quits", 10)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='a “”„«»"\n', max_size=60))
def test_quote_marks_read_once_per_text_match_reading_each_line(text):
    """`_closed_quotes` and `_within_marks` ask what the double marks from a line's start to a position add up to;
    the per-text index answers as reading the line would (it did, once per quote: quadratic on one-line text)."""
    from unspun.stages import quotes as stage

    index = stage._LineMarks(text)
    for pos in range(len(text) + 1):
        line = text.rfind("\n", 0, pos) + 1
        marks = stage._mark_depth(text, line, pos)
        piece = text[line:pos]
        assert index.before(pos) == (marks[-1][1] if marks else 0, piece.count("“"), piece.count("”"), piece.count('"'))


def test_quote_marks_of_one_line_text_are_indexed_once(monkeypatch):
    from unspun.stages import quotes as stage

    built: list[int] = []
    real_init = stage._LineMarks.__init__

    def counting(self, text):
        built.append(len(text))
        real_init(self, text)

    monkeypatch.setattr(stage._LineMarks, "__init__", counting)
    stage._line_marks.cache_clear()
    text = 'He said “we will win” and left. ' * 20_000  # 640 KB, one line
    inside = [stage._within_marks(text, p) for p in range(0, len(text), 997)]
    assert built == [len(text)] and any(inside) and not all(inside)


def test_a_credit_line_check_reads_a_bounded_window():
    from unspun.stages.actors import _credit_line

    assert _credit_line("A story.\n– Newsweek\nMore.", 11, 19)
    assert not _credit_line("Source: Reuters " + "word " * 1000, 8, 15)  # a line running on is no credit line
    assert _credit_line("x" * 5000 + "\nSource: Reuters", 5009, 5016)
