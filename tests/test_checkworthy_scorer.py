"""Check-worthiness scores: P/R/F1 at a threshold, AP (CheckThat! definition), mAP over debates, best threshold."""

from __future__ import annotations

import pytest

from unspun.evaluation.checkworthy_scorer import average_precision, best_threshold, mean_average_precision, prf


def test_prf_counts_the_positive_class():
    s = prf([1, 0, 1, 0], [0.9, 0.8, 0.2, 0.1], 0.5)
    assert (s["precision"], s["recall"], s["f1"], s["predicted"], s["gold"]) == (0.5, 0.5, 0.5, 2, 2)
    assert prf([0, 0], [0.1, 0.2], 0.5)["f1"] == 0.0


def test_average_precision_by_hand():
    # positives at ranks 1 and 3: (1/1 + 2/3) / 2
    assert average_precision([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1]) == pytest.approx((1 + 2 / 3) / 2)
    assert average_precision([0, 0], [0.5, 0.4]) == 0.0
    assert average_precision([1, 1], [0.1, 0.2]) == 1.0


def test_map_averages_debates():
    m, per = mean_average_precision([1, 0, 0, 1], [0.9, 0.1, 0.9, 0.1], ["a", "a", "b", "b"])
    assert per == {"a": 1.0, "b": 0.5} and m == 0.75


def test_best_threshold_maximises_f1():
    labels, scores = [1, 1, 0, 0, 1], [0.9, 0.8, 0.7, 0.2, 0.6]
    t = best_threshold(labels, scores)
    assert prf(labels, scores, t)["f1"] == max(prf(labels, scores, x)["f1"] for x in scores)
