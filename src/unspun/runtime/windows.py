"""Sliding windows over a long token sequence, and which window each token's output is taken from.

An article is longer than the encoder's window, so it is cut into overlapping windows. Each token's state is
taken from the window where it sits furthest from an edge, so every token sees context on both sides and
nothing is lost or double-counted at the borders.
"""

from __future__ import annotations

import numpy as np


def plan(n_tokens: int, size: int, stride: int) -> list[tuple[int, int]]:
    """Windows [start, end) covering tokens 0..n_tokens-1; the last one is aligned to the end."""
    if size <= 0 or stride <= 0 or stride > size:
        raise ValueError("need 0 < stride <= size")
    if n_tokens <= size:
        return [(0, n_tokens)]
    starts = list(range(0, n_tokens - size + 1, stride))
    if starts[-1] + size < n_tokens:
        starts.append(n_tokens - size)
    return [(s, s + size) for s in starts]


def owners(n_tokens: int, windows: list[tuple[int, int]]) -> np.ndarray:
    """For each token, the index of the window in which it is most central (largest distance to an edge)."""
    best = np.full(n_tokens, -1, dtype=np.int64)
    best_margin = np.full(n_tokens, -1, dtype=np.int64)
    for w, (start, end) in enumerate(windows):
        idx = np.arange(start, end)
        margin = np.minimum(idx - start, end - 1 - idx)
        take = margin > best_margin[start:end]
        best[start:end][take] = w
        best_margin[start:end][take] = margin[take]
    return best
