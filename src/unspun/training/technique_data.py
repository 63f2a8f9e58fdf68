"""The technique model's training examples: the technique list (its class order) and an article tokenised with
its token (SI) labels and gold spans (TC). Shared by the training recipe (`training.techniques`) and distillation
(`training.distil`)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import numpy as np

from unspun.runtime.encoder import WindowedEncoder
from unspun.runtime.technique_model import span_features, tokens_for
from unspun.taxonomy import NAMES

# One source of technique names. A new model is trained on the taxonomy's list, in its order: class k of the TC
# head is TECHNIQUES[k], and the list is written into the model's config ("techniques"). Everything that reads a
# trained model's outputs (tuning, validation, a teacher's soft labels) names output k with that model's own list,
# `model.techniques[k]`, which is the list the run-time code reads from the config; never by position in NAMES.
TECHNIQUES: tuple[str, ...] = NAMES


@dataclass
class Article:
    id: str
    text: str
    ids: np.ndarray
    offsets: np.ndarray
    si: np.ndarray  # token labels 0/1
    spans: list[tuple[int, int, int, np.ndarray]] = field(default_factory=list)  # (tok_i, tok_j, technique, feats)


def prepare(article_id: str, text: str, si_spans, tc_rows, encoder: WindowedEncoder) -> Article:
    ids, offsets = encoder.tokenize(text)
    si = np.zeros(len(ids), dtype=np.float32)
    for s, e in si_spans:
        toks = tokens_for(offsets, s, e)
        if toks:
            si[toks[0] : toks[1] + 1] = 1.0
    lower = text.lower()
    spans = []
    for tech, s, e in tc_rows:
        toks = tokens_for(offsets, s, e)
        if toks:
            feats = span_features(lower, text[s:e], toks[1] - toks[0] + 1)
            spans.append((toks[0], toks[1], TECHNIQUES.index(tech), feats))
    return Article(article_id, text, ids, offsets, si, spans)


def epoch_windows(articles: list[Article], size: int, rng: random.Random):
    """Non-overlapping windows with a random phase per article and epoch; spans fully inside each window."""
    out = []
    for a in articles:
        n = len(a.ids)
        phase = rng.randrange(size) if n > size else 0
        starts = [0] + list(range(phase, n, size)) if phase else list(range(0, n, size))
        bounds = [(s, min(n, e)) for s, e in zip(starts, starts[1:] + [n]) if e > s]
        for s, e in bounds:
            inside = [(i - s, j - s, t, f) for i, j, t, f in a.spans if i >= s and j < e]
            out.append((a, s, e, inside))
    rng.shuffle(out)
    return out
