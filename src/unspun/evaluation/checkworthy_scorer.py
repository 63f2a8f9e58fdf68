"""Check-worthiness scores: positive-class P/R/F1 at a threshold, average precision, and mAP over debates.

AP is the CheckThat! definition: rank by score (ties keep input order), average the precision at the rank of
every positive over all positives. mAP averages AP over groups (debates), as CheckThat! 2019 task 1 reported it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def prf(labels: Sequence[int], scores: Sequence[float], threshold: float) -> dict:
    """Precision, recall and F1 of the positive class when score >= threshold counts as positive."""
    y = np.asarray(labels, dtype=int)
    p = np.asarray(scores, dtype=float) >= threshold
    tp = int((p & (y == 1)).sum())
    n_pred, n_gold = int(p.sum()), int((y == 1).sum())
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "threshold": round(float(threshold), 4), "predicted": n_pred, "gold": n_gold}


def average_precision(labels: Sequence[int], scores: Sequence[float]) -> float:
    y = np.asarray(labels, dtype=int)
    if y.sum() == 0:
        return 0.0
    order = np.argsort(-np.asarray(scores, dtype=float), kind="stable")
    hits = y[order]
    ranks = np.nonzero(hits)[0] + 1
    return float((np.arange(1, len(ranks) + 1) / ranks).mean())


def mean_average_precision(labels: Sequence[int], scores: Sequence[float], groups: Sequence[str]) -> tuple[float, dict]:
    """mAP over groups, and AP per group."""
    y, s, g = np.asarray(labels), np.asarray(scores, dtype=float), np.asarray(groups)
    per = {str(k): round(average_precision(y[g == k], s[g == k]), 4) for k in dict.fromkeys(groups)}
    return (round(float(np.mean(list(per.values()))), 4) if per else 0.0), per


def best_threshold(labels: Sequence[int], scores: Sequence[float]) -> float:
    """The threshold (one of the scores, rounded to 3 places) with the best positive-class F1."""
    candidates = sorted({round(float(x), 3) for x in scores})
    best = max(candidates, key=lambda t: (prf(labels, scores, t)["f1"], -t)) if candidates else 0.5
    return float(best)
