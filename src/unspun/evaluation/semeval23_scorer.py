"""Scorer for SemEval-2023 Task 3, subtask 3 (persuasion techniques per paragraph), from the task definition, in
plain Python. The file readers live in `unspun.datasets.semeval23` and are re-exported here.

**Files.** Tab-separated, no header, one row per paragraph: gold labels and predictions are
`ARTICLE_ID<TAB>PARAGRAPH<TAB>T1,T2,...` (the third column empty, or missing, when the paragraph has no technique);
templates are `ARTICLE_ID<TAB>PARAGRAPH<TAB>TEXT`. PARAGRAPH is the 1-based line number in the article (see
`unspun.paragraphs`). A path may be one file, several files concatenated into one, or a folder, whose files are all
read in name order (the `.template` files of a label folder are skipped). Rows for the same paragraph are joined.
Malformed rows raise `ValueError` naming the file and line.

**Scores.** Each paragraph carries a set of techniques, so the unit is the pair (paragraph, technique). Over the
paragraphs of the gold file (a gold paragraph with no prediction counts as predicted empty; predicted paragraphs
that are not in the gold are ignored):

    micro:  P = |pred ∩ gold| / |pred|,  R = |pred ∩ gold| / |gold|,  F1 = 2PR / (P + R)   (pairs over all paragraphs)
    macro:  the mean over techniques of each technique's F1 (its pairs only)

micro-F1 is the task's official measure. A technique that never occurs in the gold and is never predicted has no
F1 of its own and is left out of the macro mean (the organisers' scorer, with sklearn's `zero_division=1`, would
count it as 1.0, which raises macro-F1 by about 0.04 for each such technique; of the 23, four never occur in the
English training data). A technique predicted but absent from the gold counts with F1 = 0. Division by zero gives 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

# The files' readers live with the corpus (unspun.datasets.semeval23); they are part of this module's API too.
from unspun.datasets.semeval23 import Key, format_rows, read_labels, read_template  # noqa: E402


@dataclass(frozen=True, slots=True)
class ParagraphScore:
    """micro P/R/F1 over (paragraph, technique) pairs, macro-F1 over techniques, and the per-technique figures."""

    precision: float
    recall: float
    f1: float  # micro-F1, the official measure (named f1 so that `evaluation.bootstrap` can resample it)
    macro_f1: float
    n_paragraphs: int
    n_pred: int
    n_gold: int
    per_technique: dict[str, dict[str, float]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "micro": {"precision": self.precision, "recall": self.recall, "f1": self.f1},
            "macro": {"f1": self.macro_f1},
            "paragraphs": self.n_paragraphs, "pred_pairs": self.n_pred, "gold_pairs": self.n_gold,
            "per_technique": self.per_technique,
        }


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def score(pred: Mapping[Key, Iterable[str]], gold: Mapping[Key, Iterable[str]],
          techniques: Sequence[str] | None = None) -> ParagraphScore:
    """Score predictions against gold, both `{(article_id, paragraph): techniques}`. With `techniques`, the per-technique
    table lists exactly those (in that order; macro still skips the ones with neither gold nor predictions)."""
    tp: dict[str, int] = {}
    n_pred: dict[str, int] = {}
    n_gold: dict[str, int] = {}
    for key, gold_labels in gold.items():
        g = set(gold_labels)
        p = set(pred.get(key, ()))
        for t in g:
            n_gold[t] = n_gold.get(t, 0) + 1
        for t in p:
            n_pred[t] = n_pred.get(t, 0) + 1
        for t in g & p:
            tp[t] = tp.get(t, 0) + 1
    total_tp, total_pred, total_gold = sum(tp.values()), sum(n_pred.values()), sum(n_gold.values())
    precision = total_tp / total_pred if total_pred else 0.0
    recall = total_tp / total_gold if total_gold else 0.0
    names = list(techniques) if techniques is not None else sorted(set(n_gold) | set(n_pred))
    per: dict[str, dict[str, float]] = {}
    macro = []
    for t in names:
        c, np_, ng = tp.get(t, 0), n_pred.get(t, 0), n_gold.get(t, 0)
        p_t = c / np_ if np_ else 0.0
        r_t = c / ng if ng else 0.0
        per[t] = {"precision": p_t, "recall": r_t, "f1": _f1(p_t, r_t), "gold": ng, "pred": np_}
        if ng or np_:
            macro.append(per[t]["f1"])
    for t in set(n_gold) | set(n_pred):  # labels outside `techniques` still count in macro
        if t not in per:
            c, np_, ng = tp.get(t, 0), n_pred.get(t, 0), n_gold.get(t, 0)
            macro.append(_f1(c / np_ if np_ else 0.0, c / ng if ng else 0.0))
    return ParagraphScore(precision, recall, _f1(precision, recall), sum(macro) / len(macro) if macro else 0.0,
                          len(gold), total_pred, total_gold, per)


def rows_of(labels: Mapping[Key, Iterable[str]]) -> list[tuple[str, int, str]]:
    """`(article_id, paragraph, technique)` rows, one per positive pair (for `evaluation.bootstrap`)."""
    return [(a, n, t) for (a, n), ts in sorted(labels.items()) for t in sorted(set(ts))]


def _from_rows(rows: Iterable[Sequence]) -> dict[Key, set[str]]:
    out: dict[Key, set[str]] = {}
    for a, n, t in rows:
        out.setdefault((str(a), int(n)), set()).add(t)
    return out


def score_rows_micro(pred: Iterable[Sequence], gold: Iterable[Sequence]) -> ParagraphScore:
    """`score` on positive-pair rows (paragraphs without labels need no row: they add nothing to micro-F1)."""
    gold_map = _from_rows(gold)
    pred_map = _from_rows(pred)
    for key in pred_map:  # a predicted paragraph with no gold row has empty gold here
        gold_map.setdefault(key, set())
    return score(pred_map, gold_map)


@dataclass(frozen=True, slots=True)
class _Macro:
    f1: float


def score_rows_macro(pred: Iterable[Sequence], gold: Iterable[Sequence]) -> _Macro:
    """Macro-F1 of `score_rows_micro`, as `.f1` (for `evaluation.bootstrap.f1_interval`)."""
    return _Macro(score_rows_micro(pred, gold).macro_f1)


__all__ = ["ParagraphScore", "format_rows", "read_labels", "read_template", "rows_of", "score", "score_rows_macro",
           "score_rows_micro"]
