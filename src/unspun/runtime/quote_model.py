"""The quote-attribution tagger at run time: encoder states → BIO tags for source, cue and content → attributions.

The tagger (MiniLM fine-tuned on PolNeAR) marks every token as part of a source, a cue or a content. Decoding
turns the tags into attributions: role segments, then split quotes joined (`"…," said X. "…"` is one content in
two parts), then each content linked to its nearest cue and that cue's nearest source in the same paragraph.
The decoding settings (how much to favour "outside", the smallest content) are tuned on a held-out part of
PolNeAR train, never on the reported dev split.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from unspun.limits import check_time
from unspun.runtime.quote_marks import CLOSE_MARKS, OPEN_MARKS
from unspun.runtime.technique_model import WordRuns, segments

TAGS = ("O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-CON", "I-CON")
ROLES = ("SRC", "CUE", "CON")
DEFAULT_DECODING = {"outside_bias": 1.0, "min_content_chars": 12, "link_chars": 250}
_GAP_FILLER = re.compile(r"^[\s,.;:\-–—]*$")


@dataclass(slots=True)
class Segment:
    role: str  # SRC | CUE | CON
    start: int
    end: int
    score: float


@dataclass(slots=True)
class Attribution:
    """One decoded attribution: content parts, plus its cue and source (each None when not found)."""

    parts: list[tuple[int, int]]
    score: float
    cue: tuple[int, int] | None = None
    source: tuple[int, int] | None = None
    extra: dict = field(default_factory=dict)

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]


def softmax(x: np.ndarray) -> np.ndarray:
    z = x - x.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def role_segments(text: str, offsets: np.ndarray, probs: np.ndarray, outside_bias: float = 1.0,
                  words: WordRuns | None = None) -> list[Segment]:
    """Contiguous runs of tokens with the same role; a B- tag starts a new run. Offsets are characters in `text`.

    Pass one `WordRuns(text, joiners=False)` for all the pieces of a text (see `_extend_words`)."""
    if len(offsets) == 0:
        return []
    p = probs.copy()
    p[:, 0] *= outside_bias
    role_p = np.stack([p[:, 0], p[:, 1] + p[:, 2], p[:, 3] + p[:, 4], p[:, 5] + p[:, 6]], axis=1)
    role = role_p.argmax(axis=1)  # 0 = O, 1 = SRC, 2 = CUE, 3 = CON
    begins = np.zeros(len(role), dtype=bool)
    for r in (1, 2, 3):
        b_idx, i_idx = 2 * r - 1, 2 * r
        begins |= (role == r) & (p[:, b_idx] > p[:, i_idx])
    out: list[Segment] = []
    i, n = 0, len(role)
    while i < n:
        r = role[i]
        if r == 0:
            i += 1
            continue
        j = i + 1
        while j < n and role[j] == r and not begins[j]:
            j += 1
        start, end = int(offsets[i, 0]), int(offsets[j - 1, 1])
        if end > start:
            out.append(Segment(ROLES[r - 1], start, end, float(role_p[i:j, r].mean())))
        i = j
    return _extend_words(text, out, words)


def _extend_words(text: str, segs: list[Segment], words: WordRuns | None = None) -> list[Segment]:
    """Whole words only: a subword piece at an edge pulls in the rest of its word.

    Words are runs of `str.isalnum` characters, read by `words` (one for the whole text, segments in text order):
    linear in the text however long its words, and checking the time limit as it reads them."""
    if words is None:
        words = WordRuns(text, joiners=False)
    for s in segs:
        if words.joined(s.start):
            s.start = words.word_at(s.start)[0]
        if words.joined(s.end):
            s.end = words.word_at(s.end)[1]
    return segs


def _paragraph_of(text: str, pos: int) -> int:
    return text.count("\n\n", 0, pos)


class _Paragraphs:
    """`_paragraph_of` for many positions of one text: the breaks found once, then a bisection per position (counting
    from the start for each segment was O(text) per call, and `link` asks for every content × cue × source)."""

    def __init__(self, text: str) -> None:
        # str.count counts non-overlapping "\n\n" from the left, as finditer finds them; one ends before pos when it
        # lies wholly in text[:pos]
        self._ends = [m.end() for m in re.finditer("\n\n", text)]

    def __call__(self, pos: int) -> int:
        return bisect_right(self._ends, pos)


class _Spans:
    """Segments of one role, in list order, with lookups by position.

    Decoding gives segments in text order, their starts and their ends both ascending (whole-word extension keeps
    the order): then each lookup is a bisection. For any other list (a caller's own), each lookup scans the list.
    Either way the answers, and their order, are those of the plain scans `link` used to do for every content, which
    made it quadratic in the number of segments (seconds for a long text with thousands of quotes).
    """

    def __init__(self, segs: list[Segment]) -> None:
        self.segs = segs
        self.starts = [s.start for s in segs]
        self.ends = [s.end for s in segs]
        self.ordered = (all(a <= b for a, b in zip(self.starts, self.starts[1:]))
                        and all(a <= b for a, b in zip(self.ends, self.ends[1:]))
                        and all(s.start < s.end for s in segs))

    def __len__(self) -> int:
        return len(self.segs)

    def within(self, lo: int, hi: int) -> list[Segment]:
        """The segments with lo <= start and end <= hi."""
        if self.ordered:
            return self.segs[bisect_left(self.starts, lo) : bisect_right(self.ends, hi)]
        return [s for s in self.segs if lo <= s.start and s.end <= hi]

    def touching(self, lo: int, hi: int) -> list[Segment]:
        """The segments with end >= lo and start <= hi: all those within d characters of a span [a, b) when
        lo = a - d and hi = b + d."""
        if self.ordered:
            return self.segs[bisect_left(self.ends, lo) : bisect_right(self.starts, hi)]
        return [s for s in self.segs if s.end >= lo and s.start <= hi]

    def nearest(self, a: int, b: int) -> Segment | None:
        """The first segment at the smallest `_span_distance` from [a, b) (a < b)."""
        if not self.segs:
            return None
        if not self.ordered:
            return min(self.segs, key=lambda c: _span_distance((a, b), (c.start, c.end)))
        # in list order the distance falls (segments ending by a), is 0 (overlapping), then rises (starting from b)
        p = bisect_right(self.ends, a)  # segs[:p] end by a
        q = bisect_left(self.starts, b)  # segs[q:] start from b; q >= p, as every segment has start < end
        best: list[tuple[int, int]] = []
        if p > 0:
            best.append((a - self.ends[p - 1], bisect_left(self.ends, self.ends[p - 1])))
        if q > p:
            best.append((0, p))
        if q < len(self.segs):
            best.append((self.starts[q] - b, q))
        return self.segs[min(best)[1]]


def link(text: str, segs: list[Segment], *, min_content_chars: int = 12, link_chars: int = 250) -> list[Attribution]:
    """Group role segments into attributions (see the module docstring)."""
    contents = [s for s in segs if s.role == "CON"]
    cues = _Spans([s for s in segs if s.role == "CUE"])
    sources = _Spans([s for s in segs if s.role == "SRC"])
    # 1. join split quotes: “…,” said X. “…” is one content in two parts. Only when the first run ends with a
    #    closing mark, the second opens with one, and the gap holds one cue (and at most one source) and punctuation.
    groups: list[list[Segment]] = []
    for c in contents:
        if groups and _split_quote(text, groups[-1][-1], c, cues, sources):
            groups[-1].append(c)
        else:
            groups.append([c])
    out: list[Attribution] = []
    for g in groups:
        parts = _merge_adjacent(text, [(s.start, s.end) for s in g])
        if sum(e - s for s, e in parts) < min_content_chars:
            continue
        score = float(np.average([s.score for s in g], weights=[s.end - s.start for s in g]))
        out.append(Attribution(parts=parts, score=score))
    # 2. each content's cue: inside its gaps first, else the nearest one in the same paragraph
    paragraph = _Paragraphs(text)
    own_sources: dict[tuple[int, int], list[Segment]] | None = None  # cue → the sources it is nearest to, in order
    for att in out:
        para = paragraph(att.start)
        inside = cues.within(att.start, att.end)
        near = inside or [c for c in cues.touching(att.start - link_chars, att.end + link_chars)
                          if paragraph(c.start) == para and _distance(att, c) <= link_chars]
        if near:
            cue = min(near, key=lambda c: _distance(att, c))
            att.cue = (cue.start, cue.end)
        anchor = att.cue or (att.start, att.end)
        # a source belongs to the cue nearest to it: prefer this cue's own sources, then the nearest
        # (measured on the tuning articles; penalising sentence breaks or contents in between did worse)
        own: list[Segment] = []
        if att.cue is not None:
            if own_sources is None:
                own_sources = {}
                for src in sources.segs:
                    nearest = cues.nearest(src.start, src.end)
                    if nearest is not None:
                        own_sources.setdefault((nearest.start, nearest.end), []).append(src)
            own = [s for s in own_sources.get(att.cue, ()) if paragraph(s.start) == para]
        # with no own source, the nearest in the paragraph; a source beyond link_chars is never linked
        cand = own or [s for s in sources.touching(anchor[0] - link_chars, anchor[1] + link_chars)
                       if paragraph(s.start) == para]
        if not cand:
            continue
        best = min(cand, key=lambda s: _span_distance(anchor, (s.start, s.end)))
        if _span_distance(anchor, (best.start, best.end)) <= link_chars:
            att.source = (best.start, best.end)
    return out


def _split_quote(text: str, prev: Segment, nxt: Segment, cues: _Spans, sources: _Spans) -> bool:
    gap = text[prev.end : nxt.start]
    if "\n\n" in gap or len(gap) > 120:
        return False
    if not gap.strip():
        return True  # one content the tagger broke in two
    first = text[prev.start : prev.end].rstrip()
    second = text[nxt.start : nxt.end].lstrip()
    if not (first[-1:] in CLOSE_MARKS and second[:1] in OPEN_MARKS):
        return False
    inner_cues = cues.within(prev.end, nxt.start)
    inner_sources = sources.within(prev.end, nxt.start)
    if len(inner_cues) != 1 or len(inner_sources) > 1:
        return False
    rest = gap
    for s in sorted(inner_cues + inner_sources, key=lambda s: -s.start):
        rest = rest[: s.start - prev.end] + rest[s.end - prev.end :]
    return bool(_GAP_FILLER.match(rest))


def _merge_adjacent(text: str, parts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(parts):
        if merged and not text[merged[-1][1] : s].strip():
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _span_distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    if a[1] <= b[0]:
        return b[0] - a[1]
    if b[1] <= a[0]:
        return a[0] - b[1]
    return 0


def _distance(att: Attribution, seg: Segment) -> int:
    return min(_span_distance(p, (seg.start, seg.end)) for p in att.parts)


class QuoteModel:
    """The shipped tagger: `model(text)` returns decoded attributions with character offsets into `text`."""

    def __init__(self, encode, head_w: np.ndarray, head_b: np.ndarray, config: dict) -> None:
        self.encode = encode
        self.w = head_w
        self.b = head_b
        self.config = config
        self.decoding = dict(DEFAULT_DECODING)
        self.decoding.update(config.get("decoding", {}))

    @classmethod
    def load(cls, folder: str | Path) -> QuoteModel:
        from unspun.runtime.encoder import onnx_encoder

        folder = Path(folder)
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        encoder, _ = onnx_encoder(folder, config)
        with np.load(folder / "head.npz") as z:
            w, b = z["w"].astype(np.float32), z["b"].astype(np.float32)
        return cls(encoder, w, b, config)

    def tag(self, text: str) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per piece of the text: (token offsets into `text`, tag probabilities [tokens, 7])."""
        out = []
        for a, b in segments(text):
            check_time()  # the per-document time limit, once per segment
            offsets, states = self.encode(text[a:b])
            out.append((offsets + a, softmax(states @ self.w + self.b)))
        return out

    def decode(self, text: str, tagged: list[tuple[np.ndarray, np.ndarray]], **settings) -> list[Attribution]:
        d = dict(self.decoding)
        d.update(settings)
        words = WordRuns(text, joiners=False)  # one for all pieces: whole-word extension stays linear
        segs = [s for offsets, probs in tagged
                for s in role_segments(text, offsets, probs, d["outside_bias"], words)]
        return link(text, segs, min_content_chars=int(d["min_content_chars"]), link_chars=int(d["link_chars"]))

    def __call__(self, text: str) -> list[Attribution]:
        return self.decode(text, self.tag(text))
