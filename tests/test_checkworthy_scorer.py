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


def test_best_threshold_by_hand():
    labels, scores = [1, 1, 0, 0, 1], [0.9, 0.8, 0.7, 0.2, 0.6]
    # threshold 0.2: 5 predicted, 3 right: P 3/5, R 1, F1 0.75
    #           0.6: 4 predicted, 3 right: P 3/4, R 1, F1 6/7 = 0.8571  <- best
    #           0.7: 3 predicted, 2 right: P 2/3, R 2/3, F1 0.6667
    #           0.8: 2 predicted, 2 right: P 1, R 2/3, F1 0.8
    #           0.9: 1 predicted, 1 right: P 1, R 1/3, F1 0.5
    assert best_threshold(labels, scores) == 0.6
    assert prf(labels, scores, 0.6)["f1"] == 0.8571
    assert prf(labels, scores, 0.8)["f1"] == 0.8
    assert best_threshold([], []) == 0.5  # nothing to choose from


def test_best_threshold_tie_goes_to_the_lower_threshold():
    labels, scores = [1, 0, 0, 1], [0.9, 0.5, 0.4, 0.1]
    # 0.1: 4 predicted, 2 right: P 1/2, R 1, F1 2/3;  0.4: P 1/3, R 1/2, F1 0.4;  0.5: P 1/2, R 1/2, F1 0.5;
    # 0.9: P 1, R 1/2, F1 2/3. 0.1 and 0.9 tie at 0.6667: the lower threshold wins.
    assert prf(labels, scores, 0.1)["f1"] == prf(labels, scores, 0.9)["f1"] == 0.6667
    assert best_threshold(labels, scores) == 0.1


def test_prf_counts_a_score_equal_to_the_threshold_as_positive():
    s = prf([1, 0], [0.5, 0.4999], 0.5)
    assert (s["precision"], s["recall"], s["f1"], s["predicted"]) == (1.0, 1.0, 1.0, 1)


def test_average_precision_ties_keep_input_order():
    # equal scores: the ranking keeps the input order, so a positive listed second sits at rank 2
    assert average_precision([0, 1], [0.5, 0.5]) == 0.5  # 1/2
    assert average_precision([1, 0], [0.5, 0.5]) == 1.0  # 1/1
    # positives at ranks 2 and 3 of [0.7 (neg), 0.7 (pos), 0.7 (pos), 0.1 (neg)]: (1/2 + 2/3) / 2 = 7/12
    assert average_precision([0, 1, 1, 0], [0.7, 0.7, 0.7, 0.1]) == pytest.approx(7 / 12)


def test_map_counts_a_debate_without_positives_as_zero():
    m, per = mean_average_precision([0, 0, 1, 0], [0.9, 0.1, 0.2, 0.8], ["b", "b", "a", "a"])
    # debate b has no positive: AP 0; debate a: its positive ranks 2nd: AP 1/2. mAP = (0 + 0.5) / 2
    assert per == {"b": 0.0, "a": 0.5} and list(per) == ["b", "a"] and m == 0.25
