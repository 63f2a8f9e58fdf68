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
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from unspun.runtime.technique_model import segments

TAGS = ("O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-CON", "I-CON")
ROLES = ("SRC", "CUE", "CON")
DEFAULT_DECODING = {"outside_bias": 1.0, "min_content_chars": 12, "link_chars": 250}
_GAP_FILLER = re.compile(r"^[\s,.;:\-–—]*$")
OPEN_MARKS = "\"“„‟«‘‚‛「『'‹"
CLOSE_MARKS = "\"”“»’'」』›"


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


def role_segments(text: str, offsets: np.ndarray, probs: np.ndarray, outside_bias: float = 1.0) -> list[Segment]:
    """Contiguous runs of tokens with the same role; a B- tag starts a new run. Offsets are characters in `text`."""
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
    return _extend_words(text, out)


def _extend_words(text: str, segs: list[Segment]) -> list[Segment]:
    """Whole words only: a subword piece at an edge pulls in the rest of its word."""
    for s in segs:
        while s.start > 0 and text[s.start - 1].isalnum() and text[s.start].isalnum():
            s.start -= 1
        while s.end < len(text) and text[s.end].isalnum() and text[s.end - 1].isalnum():
            s.end += 1
    return segs


def _paragraph_of(text: str, pos: int) -> int:
    return text.count("\n\n", 0, pos)


def link(text: str, segs: list[Segment], *, min_content_chars: int = 12, link_chars: int = 250) -> list[Attribution]:
    """Group role segments into attributions (see the module docstring)."""
    contents = [s for s in segs if s.role == "CON"]
    cues = [s for s in segs if s.role == "CUE"]
    sources = [s for s in segs if s.role == "SRC"]
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
    for att in out:
        para = _paragraph_of(text, att.start)
        inside = [c for c in cues if att.start <= c.start and c.end <= att.end]
        near = inside or [c for c in cues if _paragraph_of(text, c.start) == para and _distance(att, c) <= link_chars]
        if near:
            cue = min(near, key=lambda c: _distance(att, c))
            att.cue = (cue.start, cue.end)
        anchor = att.cue or (att.start, att.end)
        cand = [s for s in sources if _paragraph_of(text, s.start) == para]
        if not cand:
            continue
        # a source belongs to the cue nearest to it: prefer this cue's own sources, then the nearest
        # (measured on the tuning articles; penalising sentence breaks or contents in between did worse)
        def rank(s: Segment):
            own = att.cue is not None and _nearest_cue(s, cues) == att.cue
            return (not own, _span_distance(anchor, (s.start, s.end)))

        best = min(cand, key=rank)
        if _span_distance(anchor, (best.start, best.end)) <= link_chars:
            att.source = (best.start, best.end)
    return out


def _nearest_cue(src: Segment, cues: list[Segment]) -> tuple[int, int] | None:
    if not cues:
        return None
    c = min(cues, key=lambda c: _span_distance((src.start, src.end), (c.start, c.end)))
    return (c.start, c.end)


def _split_quote(text: str, prev: Segment, nxt: Segment, cues: list[Segment], sources: list[Segment]) -> bool:
    gap = text[prev.end : nxt.start]
    if "\n\n" in gap or len(gap) > 120:
        return False
    if not gap.strip():
        return True  # one content the tagger broke in two
    first = text[prev.start : prev.end].rstrip()
    second = text[nxt.start : nxt.end].lstrip()
    if not (first[-1:] in CLOSE_MARKS and second[:1] in OPEN_MARKS):
        return False
    inner_cues = [s for s in cues if s.start >= prev.end and s.end <= nxt.start]
    inner_sources = [s for s in sources if s.start >= prev.end and s.end <= nxt.start]
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
            offsets, states = self.encode(text[a:b])
            out.append((offsets + a, softmax(states @ self.w + self.b)))
        return out

    def decode(self, text: str, tagged: list[tuple[np.ndarray, np.ndarray]], **settings) -> list[Attribution]:
        d = dict(self.decoding)
        d.update(settings)
        segs = [s for offsets, probs in tagged for s in role_segments(text, offsets, probs, d["outside_bias"])]
        return link(text, segs, min_content_chars=int(d["min_content_chars"]), link_chars=int(d["link_chars"]))

    def __call__(self, text: str) -> list[Attribution]:
        return self.decode(text, self.tag(text))
