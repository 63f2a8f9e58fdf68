"""SemEval-2020 Task 11 scorers on hand-made cases; every expected number is worked out in the comments.

All spans and labels here are invented; no corpus data is used.
"""

from __future__ import annotations

import random

import pytest

from unspun.evaluation.ptc_scorer import (
    format_tc_rows,
    merge_spans,
    read_si,
    read_tc,
    read_template,
    score_full,
    score_si,
    score_tc,
)

approx = pytest.approx


def _prf(score):
    return score.precision, score.recall, score.f1


# ---------------------------------------------------------------------------------------------------------------- SI


def test_si_perfect_match():
    gold = [("1", 0, 10), ("1", 20, 30), ("2", 3, 7)]
    # every predicted span lies fully inside one gold span of the same length: each term is 1
    assert _prf(score_si(gold, gold)) == (1.0, 1.0, 1.0)


def test_si_disjoint_and_touching_get_nothing():
    # [0,10) and [10,20) touch but share no character
    assert _prf(score_si([("1", 0, 10)], [("1", 10, 20)])) == (0.0, 0.0, 0.0)
    # same offsets in another article: no credit either
    assert _prf(score_si([("2", 0, 10)], [("1", 0, 10)])) == (0.0, 0.0, 0.0)


def test_si_half_overlap_partial_credit():
    # s=[0,10), t=[5,15): |s∩t|=5, P = 5/10, R = 5/10, F1 = 0.5
    assert _prf(score_si([("1", 0, 10)], [("1", 5, 15)])) == approx((0.5, 0.5, 0.5))
    # s=[0,10) inside t=[0,40): P = 10/10 = 1, R = 10/40 = 0.25, F1 = 2*0.25/1.25 = 0.4
    assert _prf(score_si([("1", 0, 10)], [("1", 0, 40)])) == approx((1.0, 0.25, 0.4))


def test_si_one_prediction_over_two_gold_spans():
    # s=[0,20), T={[0,5), [10,20)}: P = (5/20 + 10/20)/1 = 0.75; R = (5/5 + 10/10)/2 = 1; F1 = 1.5/1.75 = 6/7
    assert _prf(score_si([("1", 0, 20)], [("1", 0, 5), ("1", 10, 20)])) == approx((0.75, 1.0, 6 / 7))


def test_si_merges_overlapping_spans():
    # prediction [0,10) + [5,15) merges to [0,15), equal to the gold: 1.0, and |S| = 1
    score = score_si([("1", 0, 10), ("1", 5, 15)], [("1", 0, 15)])
    assert _prf(score) == (1.0, 1.0, 1.0)
    assert score.n_pred == 1
    # a chain [0,5) [4,10) [9,20) merges to [0,20)
    assert merge_spans([(9, 20), (0, 5), (4, 10)]) == [(0, 20)]
    # gold [0,10) + [5,20) merges to [0,20); s=[0,10): P = 10/10 = 1, R = 10/20 = 0.5, F1 = 2*0.5/1.5 = 2/3
    assert _prf(score_si([("1", 0, 10)], [("1", 0, 10), ("1", 5, 20)])) == approx((1.0, 0.5, 2 / 3))
    # duplicates count once: without merging P would be 2/1
    assert _prf(score_si([("1", 0, 10)], [("1", 0, 10), ("1", 0, 10)])) == (1.0, 1.0, 1.0)


def test_si_touching_spans_are_not_merged():
    assert merge_spans([(0, 5), (5, 10)]) == [(0, 5), (5, 10)]
    score = score_si([("1", 0, 5), ("1", 5, 10)], [("1", 0, 10)])
    # |S| = 2: P = (5/5 + 5/5)/2 = 1, R = (5/10 + 5/10)/1 = 1
    assert score.n_pred == 2
    assert _prf(score) == approx((1.0, 1.0, 1.0))


def test_si_multiple_articles():
    gold = [("a", 0, 10), ("b", 0, 10)]
    pred = [("a", 0, 10), ("b", 5, 10), ("c", 0, 4)]
    # |S| = 3, |T| = 2
    # P = (10/10 [a] + 5/5 [b] + 0 [c]) / 3 = 2/3
    # R = (10/10 [a] + 5/10 [b]) / 2 = 0.75
    # F1 = 2 * (2/3) * (3/4) / (2/3 + 3/4) = 1 / (17/12) = 12/17
    assert _prf(score_si(pred, gold)) == approx((2 / 3, 0.75, 12 / 17))
    # the result does not depend on row order
    shuffled = pred[:]
    random.Random(0).shuffle(shuffled)
    assert _prf(score_si(shuffled, list(reversed(gold)))) == approx((2 / 3, 0.75, 12 / 17))


def test_si_ignores_technique_column():
    pred = [("1", "Doubt", 0, 10), ("1", "Slogans", 5, 15)]  # merged to [0,15)
    assert _prf(score_si(pred, [("1", 0, 15)])) == (1.0, 1.0, 1.0)


def test_si_zero_length_span_counts_but_earns_nothing():
    # |S| = 2 ([5,5) and [0,10)); only [0,10) earns: P = 1/2, R = 1/1, F1 = 2/3
    assert _prf(score_si([("1", 5, 5), ("1", 0, 10)], [("1", 0, 10)])) == approx((0.5, 1.0, 2 / 3))


def test_si_empty_prediction_and_empty_gold():
    score = score_si([], [("1", 0, 10)])
    assert _prf(score) == (0.0, 0.0, 0.0)
    assert (score.n_pred, score.n_gold) == (0, 1)
    # predictions but no gold: P = 0/1, R undefined -> 0
    assert _prf(score_si([("1", 0, 10)], [])) == (0.0, 0.0, 0.0)
    assert _prf(score_si([], [])) == (0.0, 0.0, 0.0)


def test_si_rejects_backwards_span():
    with pytest.raises(ValueError):
        score_si([("1", 10, 5)], [("1", 0, 10)])


# ------------------------------------------------------------------------------------------------------ full task


def test_full_credit_only_within_the_same_technique():
    # span right, technique wrong: no credit for the full task, full credit for SI
    pred = [("1", "Slogans", 0, 10)]
    gold = [("1", "Doubt", 0, 10)]
    assert _prf(score_full(pred, gold)) == (0.0, 0.0, 0.0)
    assert _prf(score_si(pred, [("1", 0, 10)])) == (1.0, 1.0, 1.0)
    assert _prf(score_full(gold, gold)) == (1.0, 1.0, 1.0)


def test_full_merges_per_technique_not_across():
    gold = [("1", "Doubt", 0, 10), ("1", "Loaded_Language", 5, 15)]
    pred = [("1", "Doubt", 0, 10), ("1", "Loaded_Language", 0, 10)]
    # per (article, technique): gold Doubt [0,10), LL [5,15); pred Doubt [0,10), LL [0,10); |S| = |T| = 2
    # Doubt: |s∩t| = 10 -> P term 10/10, R term 10/10; LL: |[0,10)∩[5,15)| = 5 -> P term 5/10, R term 5/10
    # P = (1 + 0.5)/2 = 0.75, R = (1 + 0.5)/2 = 0.75, F1 = 0.75
    score = score_full(pred, gold)
    assert _prf(score) == approx((0.75, 0.75, 0.75))
    assert (score.n_pred, score.n_gold) == (2, 2)
    # for SI the same rows merge across techniques: gold [0,15), pred [0,10): P = 1, R = 10/15, F1 = 0.8
    si = score_si(pred, [(a, s, e) for a, _, s, e in gold])
    assert _prf(si) == approx((1.0, 2 / 3, 0.8))
    assert (si.n_pred, si.n_gold) == (1, 1)


def test_full_merges_overlaps_within_a_technique():
    # pred Doubt [0,6) + [4,10) -> [0,10) = gold: 1.0
    pred = [("1", "Doubt", 0, 6), ("1", "Doubt", 4, 10)]
    assert _prf(score_full(pred, [("1", "Doubt", 0, 10)])) == (1.0, 1.0, 1.0)


def test_full_empty_prediction():
    assert _prf(score_full([], [("1", "Doubt", 0, 10)])) == (0.0, 0.0, 0.0)


# ---------------------------------------------------------------------------------------------------------------- TC


def test_tc_perfect_and_accuracy():
    gold = [("1", "Doubt", 0, 10), ("1", "Slogans", 20, 30), ("2", "Repetition", 3, 9), ("2", "Doubt", 12, 15)]
    assert _prf(score_tc(gold, gold)) == (1.0, 1.0, 1.0)
    # one answer per gold row, 3 of 4 right: P = R = F1 = accuracy = 0.75
    pred = [("1", "Doubt", 0, 10), ("1", "Slogans", 20, 30), ("2", "Doubt", 3, 9), ("2", "Doubt", 12, 15)]
    score = score_tc(pred, gold)
    assert _prf(score) == approx((0.75, 0.75, 0.75))
    assert score.correct == 3


def test_tc_multiset_matching_on_duplicated_spans():
    gold = [("1", "Doubt", 0, 10), ("1", "Loaded_Language", 0, 10), ("1", "Slogans", 20, 30)]
    # span [0,10) has gold {Doubt, Loaded_Language}; predicting Doubt twice earns 1, not 2
    pred = [("1", "Doubt", 0, 10), ("1", "Doubt", 0, 10), ("1", "Slogans", 20, 30)]
    # correct = 1 + 1 = 2; P = 2/3, R = 2/3, F1 = 2/3
    score = score_tc(pred, gold)
    assert score.correct == 2
    assert _prf(score) == approx((2 / 3, 2 / 3, 2 / 3))
    # both labels, in any order: 3/3
    pred = [("1", "Loaded_Language", 0, 10), ("1", "Slogans", 20, 30), ("1", "Doubt", 0, 10)]
    assert _prf(score_tc(pred, gold)) == (1.0, 1.0, 1.0)


def test_tc_spans_match_exactly_and_unanswered_rows_are_skipped():
    gold = [("1", "Doubt", 0, 10), ("1", "Slogans", 20, 30)]
    # [0,11) is not the gold span [0,10): counts in |pred| with no credit; the "?" row is not a prediction
    pred = [("1", "Doubt", 0, 11), ("1", "?", 20, 30)]
    score = score_tc(pred, gold)
    # correct = 0, |pred| = 1, |gold| = 2
    assert (score.n_pred, score.n_gold, score.correct) == (1, 2, 0)
    assert _prf(score) == (0.0, 0.0, 0.0)
    # one right answer of two gold rows, one unanswered: P = 1/1, R = 1/2, F1 = 2/3
    pred = [("1", "Doubt", 0, 10), ("1", "?", 20, 30)]
    assert _prf(score_tc(pred, gold)) == approx((1.0, 0.5, 2 / 3))


def test_tc_empty_prediction():
    assert _prf(score_tc([], [("1", "Doubt", 0, 10)])) == (0.0, 0.0, 0.0)


def test_as_dict_shape():
    assert score_tc([], []).as_dict() == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


# ------------------------------------------------------------------------------------------------------------ readers


def test_readers_files_and_folders(tmp_path):
    si = tmp_path / "all-si.labels"
    si.write_text("7\t0\t5\r\n\n7\t8\t12\n", encoding="utf-8")
    assert read_si(si) == [("7", 0, 5), ("7", 8, 12)]

    folder = tmp_path / "per-article"
    folder.mkdir()
    (folder / "article8.task-flc-tc.labels").write_text("8\tDoubt\t1\t4\n", encoding="utf-8")
    (folder / "article7.task-flc-tc.labels").write_text("7\tName_Calling,Labeling\t0\t5\n", encoding="utf-8")
    (folder / "article9.task-flc-tc.labels").write_text("", encoding="utf-8")  # articles without spans
    (folder / "notes.txt").write_text("ignored", encoding="utf-8")
    assert read_tc(folder) == [("7", "Name_Calling,Labeling", 0, 5), ("8", "Doubt", 1, 4)]

    rows = [("7", "Doubt", 0, 5), ("7", "Slogans", 0, 5)]
    pred = tmp_path / "pred.txt"
    pred.write_text(format_tc_rows(rows), encoding="utf-8")
    assert read_tc(pred) == rows


def test_template_reader(tmp_path):
    template = tmp_path / "template.txt"
    template.write_text("7\t?\t0\t5\n7\t?\t0\t5\n7\t?\t9\t11\n", encoding="utf-8")
    assert read_template(template) == [("7", 0, 5), ("7", 0, 5), ("7", 9, 11)]
    with pytest.raises(ValueError, match="template"):
        read_tc(template)
    assert read_tc(template, allow_unknown=True)[0] == ("7", "?", 0, 5)


@pytest.mark.parametrize(
    "content",
    ["7\t0\n", "7\tDoubt\t0\t5\n", "7\tx\t5\n", "7\t9\t5\n", "7\t-1\t5\n"],
)
def test_si_reader_rejects_malformed_rows(tmp_path, content):
    path = tmp_path / "bad.labels"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match="bad.labels:1"):
        read_si(path)


def test_reader_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_si(tmp_path / "nope.labels")
