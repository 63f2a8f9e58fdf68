"""Scorers for SemEval-2020 Task 11 (the Propaganda Techniques Corpus, PTC); the label-file readers, which live in
`unspun.datasets.ptc`, are re-exported here.

Written from the task definition, in plain Python, so that unspun can be scored without the organisers' scripts.

Spans are character offsets into the article text, start inclusive, end exclusive; a span `[a, b)` stands for the
set of characters `{a, ..., b-1}` and its length `|s|` is `b - a`. Spans are compared only within the same article.

**SI (span identification)** -- `score_si(pred, gold)`, rows `(article_id, start, end)`.

1. Merging. Separately for the prediction and for the gold, and separately per article, spans that overlap are
   merged into one span (repeatedly, so chains of overlapping spans become one span). Two spans overlap when they
   share at least one character. Spans that only touch (`a.end == b.start`) share no character and stay separate,
   and duplicate spans count once.
2. With S the merged predicted spans and T the merged gold spans over the whole corpus:

       P = 1/|S| * sum_{s in S} sum_{t in T, same article} |s ∩ t| / |s|
       R = 1/|T| * sum_{s in S} sum_{t in T, same article} |s ∩ t| / |t|
       F1 = 2PR / (P + R), and 0 when P + R == 0.

   |S| and |T| are the numbers of merged spans in the whole corpus (micro-averaging over articles). P is 0 when
   S is empty and R is 0 when T is empty. Because each side is merged, the spans on one side are disjoint, so a
   predicted span can collect at most 1 in total from P however many gold spans it covers: P is the average share
   of a predicted span that lies inside gold, R the average share of a gold span that is covered.
3. Zero-length spans (`start == end`) cover no character: they are counted in |S| or |T| but can earn no credit.

**Full task (span + technique, the 2019 FLC task)** -- `score_full(pred, gold)`, rows
`(article_id, technique, start, end)`. The same formulas, with two changes: spans are merged per
`(article, technique)` (a Doubt span never merges with an overlapping Loaded_Language span), and a pair `(s, t)`
only contributes when `s` and `t` have the same technique (exact string equality).

**TC (technique classification given the gold spans)** -- `score_tc(pred, gold)`, rows
`(article_id, technique, start, end)`. Rows are matched by `(article_id, start, end)`. For each such key the
predicted labels and the gold labels are compared as multisets: a label counts as correct at most as many times as
it occurs in the gold rows of that key (a span with gold {Doubt, Loaded_Language} predicted as
{Doubt, Doubt} earns 1). With `correct` the total over all keys:

    P = correct / |pred|,  R = correct / |gold|,  F1 = 2PR / (P + R)   (micro-averaged)

Predicted rows whose technique is `None` or `"?"` (unanswered template rows) are not predictions and are left out
of |pred|. With exactly one answer per gold row, P = R = F1 = accuracy, the official TC measure.

**File formats.** Tab-separated, no header, one row per line: SI labels `ID<TAB>START<TAB>END`; TC labels and
`unspun ptc predict` / `classify` output `ID<TAB>TECHNIQUE<TAB>START<TAB>END`; TC templates are the same with
`?` as the technique. A line without a tab is split on whitespace (technique names contain no spaces). Blank lines
are skipped; a trailing `\\r` is tolerated. Every reader also accepts a directory, in which case all `*.labels` files
directly inside it are read in name order (the per-article label folders of the PTC release). Malformed rows raise
`ValueError` naming the file and line.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# The label files' rows and readers live with the corpus (unspun.datasets.ptc); they are part of this module's API too.
from unspun.datasets.ptc import (  # noqa: E402
    UNKNOWN_TECHNIQUE,
    SpanRow,
    TechniqueRow,
    format_tc_rows,
    read_si,
    read_tc,
    read_template,
)


@dataclass(frozen=True, slots=True)
class Score:
    """Precision, recall and F1 of one task, with the counts they were computed from.

    For SI and the full task `n_pred` / `n_gold` are the numbers of spans after merging; for TC they are row counts
    (answered predictions, gold rows) and `correct` is the number of correct labels.
    """

    precision: float
    recall: float
    f1: float
    n_pred: int
    n_gold: int
    correct: float | None = None

    def as_dict(self) -> dict[str, float]:
        """`{"precision", "recall", "f1"}`, the shape of `unspun eval ptc --json`."""
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, disjoint spans: overlapping spans (sharing at least one character) are merged; touching ones are not.

    Zero-length spans share no character with anything and are kept as they are (one per distinct position).
    """
    distinct = set(spans)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(s for s in distinct if s[1] > s[0]):
        if merged and start < merged[-1][1]:
            last_start, last_end = merged[-1]
            merged[-1] = (last_start, max(last_end, end))
        else:
            merged.append((start, end))
    merged.extend(s for s in distinct if s[1] <= s[0])
    return sorted(merged)


def _overlap_sums(pred: Sequence[tuple[int, int]], gold: Sequence[tuple[int, int]]) -> tuple[float, float]:
    """(Σ |s∩t|/|s|, Σ |s∩t|/|t|) over all pairs; both lists sorted by start and internally disjoint."""
    pred = [s for s in pred if s[1] > s[0]]  # zero-length spans never earn credit
    gold = [t for t in gold if t[1] > t[0]]
    p_terms: list[float] = []
    r_terms: list[float] = []
    i = j = 0
    while i < len(pred) and j < len(gold):
        ps, pe = pred[i]
        gs, ge = gold[j]
        inter = min(pe, ge) - max(ps, gs)
        if inter > 0:
            p_terms.append(inter / (pe - ps))
            r_terms.append(inter / (ge - gs))
        # advance whichever span ends first; its later partners cannot start before the other's end
        if pe <= ge:
            i += 1
        else:
            j += 1
    return math.fsum(p_terms), math.fsum(r_terms)


def _check_span(row: Sequence[object], start: int, end: int) -> None:
    if start < 0 or end < start:
        raise ValueError(f"invalid span {start}-{end} in row {tuple(row)!r}")


def _score_grouped(
    pred_groups: dict[object, list[tuple[int, int]]], gold_groups: dict[object, list[tuple[int, int]]]
) -> Score:
    merged_pred = {k: merge_spans(v) for k, v in pred_groups.items()}
    merged_gold = {k: merge_spans(v) for k, v in gold_groups.items()}
    n_pred = sum(len(v) for v in merged_pred.values())
    n_gold = sum(len(v) for v in merged_gold.values())
    p_terms: list[float] = []
    r_terms: list[float] = []
    for key, pred_spans in merged_pred.items():
        gold_spans = merged_gold.get(key)
        if gold_spans:
            p_sum, r_sum = _overlap_sums(pred_spans, gold_spans)
            p_terms.append(p_sum)
            r_terms.append(r_sum)
    precision = math.fsum(p_terms) / n_pred if n_pred else 0.0
    recall = math.fsum(r_terms) / n_gold if n_gold else 0.0
    return Score(precision, recall, _f1(precision, recall), n_pred, n_gold)


def score_si(pred: Iterable[Sequence], gold: Iterable[Sequence]) -> Score:
    """SemEval-2020 Task 11 SI score. Rows are `(article_id, start, end)`.

    Rows of four fields `(article_id, technique, start, end)` are accepted too, and their technique is ignored,
    so a `ptc predict` file can be scored for SI directly.
    """
    return _score_grouped(_group_spans(pred, with_technique=False), _group_spans(gold, with_technique=False))


def score_full(pred: Iterable[TechniqueRow], gold: Iterable[TechniqueRow]) -> Score:
    """Span + technique score (2019 FLC style). Rows are `(article_id, technique, start, end)`."""
    return _score_grouped(_group_spans(pred, with_technique=True), _group_spans(gold, with_technique=True))


def _group_spans(rows: Iterable[Sequence], *, with_technique: bool) -> dict[object, list[tuple[int, int]]]:
    groups: dict[object, list[tuple[int, int]]] = defaultdict(list)
    for row in rows:
        if len(row) == 3:
            if with_technique:
                raise ValueError(f"row {tuple(row)!r} has no technique; expected (article_id, technique, start, end)")
            article_id, start, end = row
            technique = None
        elif len(row) == 4:
            article_id, technique, start, end = row
        else:
            raise ValueError(f"row {tuple(row)!r} should have 3 or 4 fields")
        start, end = int(start), int(end)
        _check_span(row, start, end)
        key = (str(article_id), technique) if with_technique else str(article_id)
        groups[key].append((start, end))
    return groups


def score_tc(pred: Iterable[TechniqueRow], gold: Iterable[TechniqueRow]) -> Score:
    """Micro P/R/F1 of technique labels given the gold spans; labels of one span are matched as multisets."""
    pred_labels: dict[tuple[str, int, int], Counter[str]] = defaultdict(Counter)
    gold_labels: dict[tuple[str, int, int], Counter[str]] = defaultdict(Counter)
    n_pred = 0
    for article_id, technique, start, end in pred:
        if technique is None or technique == UNKNOWN_TECHNIQUE:
            continue
        pred_labels[(str(article_id), int(start), int(end))][technique] += 1
        n_pred += 1
    n_gold = 0
    for article_id, technique, start, end in gold:
        gold_labels[(str(article_id), int(start), int(end))][technique] += 1
        n_gold += 1
    correct = 0
    for key, labels in pred_labels.items():
        gold_here = gold_labels.get(key)
        if gold_here:
            correct += sum((labels & gold_here).values())
    precision = correct / n_pred if n_pred else 0.0
    recall = correct / n_gold if n_gold else 0.0
    return Score(precision, recall, _f1(precision, recall), n_pred, n_gold, correct)


__all__ = [
    "Score",
    "SpanRow",
    "TechniqueRow",
    "UNKNOWN_TECHNIQUE",
    "format_tc_rows",
    "merge_spans",
    "read_si",
    "read_tc",
    "read_template",
    "score_full",
    "score_si",
    "score_tc",
]
