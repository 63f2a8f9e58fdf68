"""Multi-label heads (independent sigmoids) trained in plain numpy with Adam: no torch needed.

Why numpy: the SemEval-2023 heads sit on frozen encoder states, so what is trained is a linear layer or a small
MLP over a few hundred thousand rows at most. numpy does that in seconds on two cores, with the same arithmetic the
run time applies, and training them then needs neither the `[train]` extra nor a GPU.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -40, 40)))


@dataclass
class Standardiser:
    """Feature scaling fitted on training rows (mean 0, sd 1); folded into the head's weights before shipping."""

    mean: np.ndarray
    scale: np.ndarray

    @classmethod
    def fit(cls, x: np.ndarray) -> Standardiser:
        mean = x.mean(axis=0)
        sd = x.std(axis=0)
        return cls(mean.astype(np.float32), np.where(sd > 1e-6, 1.0 / np.maximum(sd, 1e-6), 1.0).astype(np.float32))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return (x - self.mean) * self.scale


@dataclass
class LinearHead:
    """logits = x @ w + b, with any standardisation already folded into w and b."""

    w: np.ndarray  # [F, K]
    b: np.ndarray  # [K]

    def logits(self, x: np.ndarray) -> np.ndarray:
        return x @ self.w + self.b


@dataclass
class MlpHead:
    """logits = relu(x @ w1 + b1) @ w2 + b2 (standardisation folded into w1, b1)."""

    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray

    def logits(self, x: np.ndarray) -> np.ndarray:
        return np.maximum(x @ self.w1 + self.b1, 0.0) @ self.w2 + self.b2


class _Adam:
    def __init__(self, params: list[np.ndarray], lr: float) -> None:
        self.params, self.lr, self.t = params, lr, 0
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]

    def step(self, grads: list[np.ndarray]) -> None:
        self.t += 1
        b1, b2 = 0.9, 0.999
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * g * g
            p -= self.lr * (m / (1 - b1**self.t)) / (np.sqrt(v / (1 - b2**self.t)) + 1e-8)


def _batches(n: int, batch: int, rng: np.random.Generator):
    order = rng.permutation(n)
    for i in range(0, n, batch):
        yield order[i : i + batch]


def fit(x: np.ndarray, y: np.ndarray, *, hidden: int = 0, l2: float = 1e-4, epochs: int = 30, lr: float = 3e-3,
        batch: int = 512, seed: int = 13, pos_weight: np.ndarray | None = None,
        row_weight: np.ndarray | None = None) -> LinearHead | MlpHead:
    """Fit K sigmoid outputs to targets `y` [N, K] in [0, 1] (binary cross-entropy, L2 on the weights).

    `hidden` > 0 adds one ReLU layer of that width. `pos_weight` [K] up-weights positives per output; `row_weight`
    [N] weights whole rows. Deterministic for a given seed. The returned head takes raw (unscaled) features.
    """
    x = np.asarray(x, dtype=np.float32)
    y = np.asarray(y, dtype=np.float32)
    n, f = x.shape
    k = y.shape[1]
    scaler = Standardiser.fit(x)
    xs = scaler(x)
    rng = np.random.default_rng(seed)
    pw = np.ones(k, np.float32) if pos_weight is None else np.asarray(pos_weight, np.float32)
    rw = np.ones(n, np.float32) if row_weight is None else np.asarray(row_weight, np.float32)
    if hidden:
        w1 = (rng.standard_normal((f, hidden)) * np.sqrt(2.0 / f)).astype(np.float32)
        b1 = np.zeros(hidden, np.float32)
        w2 = (rng.standard_normal((hidden, k)) * np.sqrt(1.0 / hidden)).astype(np.float32)
        b2 = np.zeros(k, np.float32)
        params = [w1, b1, w2, b2]
    else:
        w = np.zeros((f, k), np.float32)
        b = np.zeros(k, np.float32)
        params = [w, b]
    prior = np.clip(y.mean(axis=0), 1e-4, 1 - 1e-4)
    params[-1][:] = np.log(prior / (1 - prior))  # start at the base rate: fewer steps to a good fit
    opt = _Adam(params, lr)
    for _ in range(epochs):
        for idx in _batches(n, batch, rng):
            xb, yb, wb = xs[idx], y[idx], rw[idx][:, None]
            if hidden:
                h_pre = xb @ params[0] + params[1]
                h = np.maximum(h_pre, 0.0)
                logits = h @ params[2] + params[3]
            else:
                logits = xb @ params[0] + params[1]
            p = sigmoid(logits)
            # d(weighted BCE)/d logits: pw*y*(p-1) + (1-y)*p
            g = (pw * yb * (p - 1.0) + (1.0 - yb) * p) * wb / len(idx)
            if hidden:
                gw2 = h.T @ g + l2 * params[2]
                gb2 = g.sum(axis=0)
                gh = (g @ params[2].T) * (h_pre > 0)
                gw1 = xb.T @ gh + l2 * params[0]
                gb1 = gh.sum(axis=0)
                opt.step([gw1, gb1, gw2, gb2])
            else:
                opt.step([xb.T @ g + l2 * params[0], g.sum(axis=0)])
    # fold the standardisation into the first layer: (x - m) * s @ W + b = x @ (s[:, None] * W) + (b - (m * s) @ W)
    first = params[0]
    w_raw = (scaler.scale[:, None] * first).astype(np.float32)
    b_raw = (params[1] - (scaler.mean * scaler.scale) @ first).astype(np.float32)
    if hidden:
        return MlpHead(w_raw, b_raw, params[2].astype(np.float32), params[3].astype(np.float32))
    return LinearHead(w_raw, b_raw)


__all__ = ["LinearHead", "MlpHead", "Standardiser", "fit", "sigmoid"]
