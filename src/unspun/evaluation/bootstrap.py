"""Confidence intervals for corpus scores by resampling articles (the percentile bootstrap).

Why articles and not spans: spans of one article are not independent (one author, one topic, one annotator), so
a validation split of 74 articles carries far less evidence than its ~1,200 spans suggest. Resampling whole articles
with replacement gives an interval that reflects that, and tells a reader whether a difference between two models
(or between a model and a target) is larger than the split's own noise.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from unspun.evaluation.ptc_scorer import Score

Scorer = Callable[[Iterable[Sequence], Iterable[Sequence]], Score]


def _by_article(rows: Iterable[Sequence], id_field: int = 0) -> dict[str, list[tuple]]:
    grouped: dict[str, list[tuple]] = defaultdict(list)
    for row in rows:
        grouped[str(row[id_field])].append(tuple(row))
    return grouped


def _renamed(rows: list[tuple], name: str) -> list[tuple]:
    return [(name, *row[1:]) for row in rows]


def f1_interval(scorer: Scorer, pred: Iterable[Sequence], gold: Iterable[Sequence], articles: Sequence[str], *,
                rounds: int = 1000, level: float = 0.95, seed: int = 13) -> tuple[float, float]:
    """The `level` percentile interval of `scorer(pred, gold).f1` over `rounds` resamples of `articles`.

    Each resample draws len(articles) articles with replacement; an article drawn twice counts as two articles
    (its rows are copied under a new id), so every score formula stays as it is. Rows of articles outside
    `articles` are ignored. Deterministic for a given seed.
    """
    if rounds < 1:
        raise ValueError("rounds must be at least 1")
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1")
    ids = sorted({str(a) for a in articles})
    if not ids:
        raise ValueError("no articles to resample")
    pred_by, gold_by = _by_article(pred), _by_article(gold)
    rng = random.Random(seed)
    values = []
    for _ in range(rounds):
        sample_pred: list[tuple] = []
        sample_gold: list[tuple] = []
        for k, article in enumerate(rng.choices(ids, k=len(ids))):
            name = f"{k}:{article}"
            sample_pred += _renamed(pred_by.get(article, []), name)
            sample_gold += _renamed(gold_by.get(article, []), name)
        values.append(scorer(sample_pred, sample_gold).f1)
    values.sort()
    tail = (1 - level) / 2
    lo = values[min(len(values) - 1, int(tail * len(values)))]
    hi = values[max(0, min(len(values) - 1, int((1 - tail) * len(values)) - 1))]
    return lo, hi
