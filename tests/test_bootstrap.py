"""Article-level bootstrap intervals (unspun.evaluation.bootstrap), on hand-made corpora."""

from __future__ import annotations

import pytest

from unspun.evaluation.bootstrap import f1_interval
from unspun.evaluation.ptc_scorer import score_si, score_tc


def test_perfect_predictions_give_a_point_interval():
    gold = [(str(k), 0, 10) for k in range(20)]
    assert f1_interval(score_si, gold, gold, [str(k) for k in range(20)], rounds=200) == (1.0, 1.0)


def test_interval_brackets_the_score_and_reflects_article_spread():
    # 10 articles found exactly, 10 missed: every resample's F1 lies between 0 and 1, and the full-corpus score
    # (P = 1, R = 0.5, F1 = 2/3) lies inside the interval
    ids = [str(k) for k in range(20)]
    gold = [(a, 0, 10) for a in ids]
    pred = [(a, 0, 10) for a in ids[:10]]
    lo, hi = f1_interval(score_si, pred, gold, ids, rounds=500)
    assert 0.0 < lo < score_si(pred, gold).f1 < hi < 1.0


def test_wider_with_fewer_articles():
    def corpus(n):
        ids = [str(k) for k in range(n)]
        return ids, [(a, 0, 10) for a in ids], [(a, 0, 10) for a in ids[: n // 2]]

    small_ids, small_gold, small_pred = corpus(10)
    big_ids, big_gold, big_pred = corpus(200)
    lo_s, hi_s = f1_interval(score_si, small_pred, small_gold, small_ids, rounds=400)
    lo_b, hi_b = f1_interval(score_si, big_pred, big_gold, big_ids, rounds=400)
    assert hi_s - lo_s > 2 * (hi_b - lo_b)


def test_duplicated_articles_count_twice_and_results_are_seeded():
    # TC rows; one article always right, one always wrong: a resample's accuracy is the share of draws of "a"
    gold = [("a", "Doubt", 0, 5), ("b", "Doubt", 0, 5)]
    pred = [("a", "Doubt", 0, 5), ("b", "Slogans", 0, 5)]
    lo, hi = f1_interval(score_tc, pred, gold, ["a", "b"], rounds=300, seed=1)
    assert (lo, hi) == (0.0, 1.0)  # with 2 articles, both extremes (aa, bb) occur in 300 draws
    assert f1_interval(score_tc, pred, gold, ["a", "b"], rounds=300, seed=1) == (lo, hi)


def test_rows_outside_the_articles_are_ignored():
    gold = [("a", 0, 10), ("z", 0, 10)]
    pred = [("a", 0, 10)]
    assert f1_interval(score_si, pred, gold, ["a"], rounds=50) == (1.0, 1.0)


@pytest.mark.parametrize("kwargs", [{"rounds": 0}, {"level": 1.0}, {"level": 0.0}])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        f1_interval(score_si, [], [("a", 0, 1)], ["a"], **kwargs)
    with pytest.raises(ValueError):
        f1_interval(score_si, [], [], [])
