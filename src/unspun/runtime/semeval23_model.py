"""SemEval-2023 techniques at run time: two small heads over the states of the shipped technique encoder.

Why this shape (docs/taxonomies.md has the measurements): the 23-technique scheme is scored per paragraph, and the
shipped encoder's states already carry most of what is needed, so the model adds no encoder of its own:
- a token head gives every token 23 independent probabilities (one per technique; a token can carry several);
- a paragraph head reads, per paragraph, the max and the mean of the top 3 token probabilities of each technique
  plus 8 text features (length, title line, position, '?', '!', quotes, and how much of the paragraph's wording
  recurs elsewhere, the cue for Repetition), and gives the probability that the paragraph uses each technique.
A (paragraph, technique) whose probability reaches the threshold becomes span items: the runs of tokens where that
technique's token probability is high inside the paragraph, each scored with the paragraph's probability. So the
paragraph labels of `unspun semeval23 predict` are exactly the techniques of the Document's items in each paragraph.

Both heads are a matrix product each (numpy), applied to the same encoder pass as the 14-technique heads would
be: choosing this taxonomy costs no second encoder run, and leaving it off costs nothing at all.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from unspun.limits import check_time
from unspun.paragraphs import Paragraph, paragraphs
from unspun.runtime.technique_model import Detection, TechniqueModel, WordRuns, tidy_span

N_TEXT_FEATURES = 8
TOP = 3  # the paragraph head reads the mean of each technique's TOP best token probabilities
_WORD = re.compile(r"\w+")
_QUOTES = frozenset('"“”«»')


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -40, 40)))


@dataclass(slots=True)
class ParagraphHeads:
    """The two heads as numpy arrays: token head [H, K] (H = all members' states side by side), paragraph head
    [2K + N_TEXT_FEATURES, K]."""

    tok_w: np.ndarray
    tok_b: np.ndarray
    par_w: np.ndarray
    par_b: np.ndarray

    @classmethod
    def load(cls, path: str | Path) -> ParagraphHeads:
        with np.load(path) as z:
            return cls(*(z[k].astype(np.float32) for k in ("tok_w", "tok_b", "par_w", "par_b")))

    def save(self, path: str | Path) -> None:
        np.savez(path, tok_w=self.tok_w, tok_b=self.tok_b, par_w=self.par_w, par_b=self.par_b)

    def token_probs(self, states: list[np.ndarray]) -> np.ndarray:
        x = states[0] if len(states) == 1 else np.concatenate(states, axis=1)
        return _sigmoid(x @ self.tok_w + self.tok_b).astype(np.float32)

    def paragraph_probs(self, features: np.ndarray) -> np.ndarray:
        return _sigmoid(features @ self.par_w + self.par_b)


def token_ranges(offsets: np.ndarray, paras: list[Paragraph]) -> list[tuple[int, int]]:
    """For each paragraph, the tokens [i, j) that overlap it."""
    if len(offsets) == 0:
        return [(0, 0) for _ in paras]
    starts = np.array([p.start for p in paras], dtype=np.int64)
    ends = np.array([p.end for p in paras], dtype=np.int64)
    i = np.searchsorted(offsets[:, 1], starts, side="right")
    j = np.searchsorted(offsets[:, 0], ends, side="left")
    return [(int(a), int(max(a, b))) for a, b in zip(i, j)]


def text_features(text: str, paras: list[Paragraph], ranges: list[tuple[int, int]]) -> np.ndarray:
    """[P, 8]: log1p(tokens), title line, relative position, '?', '!', quotes, share of the paragraph's word
    trigrams that occur more than once in the text, log1p(how many do)."""
    words = [(m.start(), m.group().lower()) for m in _WORD.finditer(text)]
    grams = [(words[k][0], (words[k][1], words[k + 1][1], words[k + 2][1])) for k in range(len(words) - 2)]
    counts = Counter(g for _, g in grams)
    gram_starts = np.array([s for s, _ in grams], dtype=np.int64)
    repeated = np.array([counts[g] > 1 for _, g in grams], dtype=np.float64)
    cum = np.concatenate([[0.0], np.cumsum(repeated)])
    out = np.zeros((len(paras), N_TEXT_FEATURES), dtype=np.float32)
    last = max(1, len(paras) - 1)
    for k, (p, (i, j)) in enumerate(zip(paras, ranges)):
        if k % 1000 == 0:
            check_time()
        piece = text[p.start : p.end]
        a = int(np.searchsorted(gram_starts, p.start))
        b = int(np.searchsorted(gram_starts, p.end))
        n_rep = cum[b] - cum[a]
        out[k] = (math.log1p(j - i), float(p.number == 1), k / last, float("?" in piece), float("!" in piece),
                  float(any(c in _QUOTES for c in piece)), n_rep / (b - a) if b > a else 0.0, math.log1p(n_rep))
    return out


def paragraph_features(text: str, paras: list[Paragraph], offsets: np.ndarray, token_probs: np.ndarray) -> np.ndarray:
    """[P, 2K + 8]: each technique's max and top-3 mean token probability in the paragraph, then `text_features`."""
    k = token_probs.shape[1] if token_probs.ndim == 2 else 0
    ranges = token_ranges(offsets, paras)
    pooled = np.zeros((len(paras), 2 * k), dtype=np.float32)
    for n, (i, j) in enumerate(ranges):
        if j > i:
            part = token_probs[i:j]
            pooled[n, :k] = part.max(axis=0)
            top = part if j - i <= TOP else np.partition(part, j - i - TOP, axis=0)[-TOP:]
            pooled[n, k:] = top.mean(axis=0)
    return np.concatenate([pooled, text_features(text, paras, ranges)], axis=1)


@dataclass(slots=True)
class Analysis:
    """Everything one pass over a text gives: paragraphs, their technique probabilities, and the token scores."""

    paras: list[Paragraph]
    probs: np.ndarray  # [P, K]
    offsets: np.ndarray  # [n, 2]
    token_probs: np.ndarray  # [n, K]


class Semeval23Model:
    """The 23 techniques over a shipped technique model's encoder (`base`), with heads from `semeval23/`."""

    def __init__(self, base: TechniqueModel, heads: ParagraphHeads, config: dict) -> None:
        self.base = base
        self.heads = heads
        self.config = config
        self.techniques: list[str] = list(config["techniques"])
        self.min_score = float(config.get("min_score", 0.3))
        self.token_threshold = float(config.get("token_threshold", 0.3))
        self.join_gap = int(config.get("join_gap", 6))

    def encode(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(token offsets [n, 2], token probabilities [n, K]) over the whole text, piece by piece."""
        offsets, probs = [], []
        for _, off, states in self.base.encode_segments(text):
            if len(off):
                offsets.append(off.reshape(-1, 2))
                probs.append(self.heads.token_probs(states))
        if not offsets:
            return np.zeros((0, 2), dtype=np.int64), np.zeros((0, len(self.techniques)), dtype=np.float32)
        return np.concatenate(offsets), np.concatenate(probs)

    def analyse_encoded(self, text: str, offsets: np.ndarray, token_probs: np.ndarray) -> Analysis:
        paras = paragraphs(text)
        if not paras:
            return Analysis(paras, np.zeros((0, len(self.techniques))), offsets, token_probs)
        feats = paragraph_features(text, paras, offsets, token_probs)
        return Analysis(paras, self.heads.paragraph_probs(feats), offsets, token_probs)

    def analyse(self, text: str) -> Analysis:
        return self.analyse_encoded(text, *self.encode(text))

    def decode(self, text: str, found: Analysis, floor: float) -> list[Detection]:
        """Span items for every (paragraph, technique) scored at least `floor` (scores rounded first, as the
        14-technique model does, so every caller filters alike)."""
        out: list[Detection] = []
        words = WordRuns(text)
        ranges = token_ranges(found.offsets, found.paras)
        for p, (i, j), probs in zip(found.paras, ranges, found.probs):
            check_time()
            for k in np.flatnonzero(np.round(probs, 4) >= floor):
                score = round(float(probs[k]), 4)
                spans = self._runs(text, p, found.offsets[i:j], found.token_probs[i:j, k], words) if j > i else []
                if not spans:  # no token inside (a line of symbols): the paragraph itself, tidied
                    start, end = tidy_span(text, p.start, p.end, words)
                    spans = [(start, end, 0.0)] if end > start else []
                for start, end, mean in spans:
                    out.append(Detection(start, end, self.techniques[k], score, round(mean, 4), score))
        out.sort(key=lambda d: (d.start, d.end, -d.score, d.technique))
        return out

    def _runs(self, text: str, p: Paragraph, offsets: np.ndarray, probs: np.ndarray, words: WordRuns):
        """Runs of the paragraph's tokens at or above min(token_threshold, half the best token's probability), with
        runs fewer than `join_gap` tokens apart joined (fewer, whole-phrase spans: SemEval-2023 spans are often
        clauses). The best token always starts a run, so a paragraph label always has a span; spans stay inside
        the paragraph and are extended to whole words."""
        cut = min(self.token_threshold, 0.5 * float(probs.max()))
        above = np.flatnonzero(probs >= cut)
        runs: list[list[int]] = []
        for t in above:
            if runs and t - runs[-1][1] <= self.join_gap:
                runs[-1][1] = int(t)
            else:
                runs.append([int(t), int(t)])
        out: list[tuple[int, int, float]] = []
        for a, b in runs:
            start, end = tidy_span(text, max(p.start, int(offsets[a, 0])), min(p.end, int(offsets[b, 1])), words)
            start, end = max(start, p.start), min(end, p.end)
            mean = float(probs[a : b + 1].mean())
            if out and end > start and start < out[-1][1]:  # tidied to whole words, two runs can meet: one span
                out[-1] = (out[-1][0], max(end, out[-1][1]), max(mean, out[-1][2]))
            elif end > start:
                out.append((start, end, mean))
        return out

    def predict(self, text: str, *, floor: float | None = None) -> list[Detection]:
        """All span items scored at least `floor` (default: the model's min score)."""
        return self.decode(text, self.analyse(text), self.min_score if floor is None else floor)

    def paragraph_labels(self, text: str, *, floor: float | None = None) -> dict[int, list[str]]:
        """{paragraph number: techniques, most probable first} for every paragraph of the text (empty when none)."""
        floor = self.min_score if floor is None else floor
        found = self.analyse(text)
        out = {}
        for p, probs in zip(found.paras, found.probs):
            order = [k for k in np.argsort(-probs, kind="stable") if round(float(probs[k]), 4) >= floor]
            out[p.number] = [self.techniques[k] for k in order]
        return out


__all__ = ["Analysis", "N_TEXT_FEATURES", "ParagraphHeads", "Semeval23Model", "paragraph_features", "text_features",
           "token_ranges"]
