"""The SemEval-2023 subtask-3 scorer on hand-made cases, and its file readers."""

from __future__ import annotations

import pytest

from unspun.evaluation.semeval23_scorer import (
    format_rows,
    read_labels,
    read_template,
    rows_of,
    score,
    score_rows_macro,
    score_rows_micro,
)

GOLD = {
    ("1", 1): ["Loaded_Language"],
    ("1", 3): [],
    ("1", 5): ["Doubt", "Loaded_Language"],
    ("2", 1): ["Slogans"],
}


def test_perfect_and_empty():
    s = score(GOLD, GOLD)
    assert (s.precision, s.recall, s.f1, s.macro_f1) == (1.0, 1.0, 1.0, 1.0)
    assert s.n_gold == 4 and s.n_paragraphs == 4
    empty = score({}, GOLD)
    assert (empty.precision, empty.recall, empty.f1, empty.macro_f1) == (0.0, 0.0, 0.0, 0.0)


def test_micro_over_pairs_and_macro_over_techniques():
    pred = {
        ("1", 1): ["Loaded_Language"],  # right
        ("1", 3): ["Loaded_Language"],  # wrong
        ("1", 5): ["Doubt"],  # right; Loaded_Language missed
        ("2", 1): ["Flag_Waving"],  # wrong; Slogans missed (Flag_Waving is never gold)
        ("9", 1): ["Doubt"],  # a paragraph the gold does not list: ignored
    }
    s = score(pred, GOLD)
    # pairs: 4 predicted, 4 gold, 2 right
    assert (s.precision, s.recall, s.f1) == (0.5, 0.5, 0.5)
    # per technique: Loaded_Language P 1/2 R 1/2 -> 0.5; Doubt 1.0; Slogans 0; Flag_Waving 0 (predicted, never gold)
    assert s.macro_f1 == pytest.approx((0.5 + 1.0 + 0.0 + 0.0) / 4)
    assert s.per_technique["Flag_Waving"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "gold": 0, "pred": 1}


def test_techniques_with_neither_gold_nor_predictions_stay_out_of_macro():
    names = ["Loaded_Language", "Doubt", "Slogans", "Appeal_to_Time"]
    s = score(GOLD, GOLD, names)
    assert s.macro_f1 == 1.0  # Appeal_to_Time never occurs: not counted as 0, nor as 1
    assert list(s.per_technique) == names and s.per_technique["Appeal_to_Time"]["gold"] == 0


def test_duplicates_and_missing_paragraphs():
    s = score({("1", 1): ["Loaded_Language", "Loaded_Language"]}, GOLD)  # a repeated label counts once
    assert s.n_pred == 1 and s.precision == 1.0 and s.recall == 0.25


def test_row_scorers_match_the_map_scorer():
    pred = {("1", 1): ["Loaded_Language"], ("1", 5): ["Doubt", "Repetition"], ("2", 1): []}
    full = score(pred, GOLD)
    assert score_rows_micro(rows_of(pred), rows_of(GOLD)).f1 == pytest.approx(full.f1)
    assert score_rows_macro(rows_of(pred), rows_of(GOLD)).f1 == pytest.approx(full.macro_f1)


def test_files(tmp_path):
    a = tmp_path / "article1-labels-subtask-3.txt"
    a.write_text("1\t1\tLoaded_Language\n1\t3\t\n1\t5\tDoubt,Loaded_Language\r\n", encoding="utf-8")
    b = tmp_path / "article2-labels-subtask-3.txt"
    b.write_text("2\t1\tSlogans\n2\t2\n\n", encoding="utf-8")  # a row with no third column at all
    (tmp_path / "article2-labels-subtask-3.txt.template").write_text("2\t1\tignored text\n", encoding="utf-8")
    labels = read_labels(tmp_path)  # a folder: every file but the templates
    assert labels == {("1", 1): ("Loaded_Language",), ("1", 3): (), ("1", 5): ("Doubt", "Loaded_Language"),
                      ("2", 1): ("Slogans",), ("2", 2): ()}
    joined = tmp_path / "all.txt"
    joined.write_text(a.read_text() + b.read_text(), encoding="utf-8")  # per-article files concatenated
    assert read_labels(joined) == labels
    assert read_template(tmp_path / "article2-labels-subtask-3.txt.template") == [("2", 1, "ignored text")]
    assert format_rows([("1", 1, ["Doubt", "Slogans"]), ("1", 3, [])]) == "1\t1\tDoubt,Slogans\n1\t3\t\n"


@pytest.mark.parametrize("line", ["1", "1\tx\tDoubt", "1\t0\tDoubt", "\t1\tDoubt"])
def test_bad_rows(tmp_path, line):
    f = tmp_path / "bad.txt"
    f.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.txt:1"):
        read_labels(f)
