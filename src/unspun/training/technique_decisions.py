"""Choosing a technique model's decision parameters from its encoder output (numpy only; no torch).

The trained encoder and heads stay fixed. What is chosen here, for a set of tuning articles:
- the technique decision on gold spans: softmax temperature (NLL), then class-prior weight and the two Repetition
  bonuses (the span's words occur earlier / only later: `repetition_cue`), for the best TC micro-F1 with PTC's rule
  for repeated spans (distinct labels, best first);
- span finding: token threshold, the span calibration (a logistic fit of "the span overlaps a gold span" on its mean
  token probability, optionally with the piece's mean token probability, a document-level prior, and `name_like`),
  and the min score, for the best full-task F1 (span and technique: what a reported item is; then SI F1);
- the second-label probability, for the best full-task F1.

`Tables` holds, per token threshold, every candidate span of every article with what the decisions read (mean token
probability, document density, name flag, technique logits, Repetition cue), so a whole grid search and a k-fold
cross-validation cost numpy time, not encoder time. `apply` turns decisions into `ptc predict` rows exactly as the
run-time code (`TechniqueModel.detect_in_piece`) does; a test checks that they agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from unspun.evaluation.ptc_scorer import merge_spans, score_full, score_si, score_tc
from unspun.runtime.technique_model import (
    GATE_SHARE,
    TITLE_SHARE,
    TechniqueModel,
    WordRuns,
    _normalise,
    distinct_labels,
    document_evidence,
    function_only,
    name_like,
    softmax,
    span_features,
    span_head_inputs,
)
from unspun.runtime.titles import title_share
from unspun.training.common import fit_temperature

THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
MIN_SCORES = tuple(round(float(x), 3) for x in np.arange(0.05, 0.61, 0.025))
PRIOR_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5)
REPEAT_BONUSES = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0)
LATER_BONUSES = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)
SECOND_LABELS = (0.2, 0.3, 0.4, 0.5, 1.01)
DETECT_REPEAT_OFFSETS = (0.0, -1.0, -2.0, -4.0, -8.0)
# which inputs the span calibration reads, besides the span's mean token probability; "head" is the span head
# (raw, name and `span_head_inputs`: the run's pooled encoder states), fitted by `fit_span_head`
CALIBRATIONS = {"plain": (), "name": ("name",), "density": ("density",), "density+name": ("density", "name"),
                "head": ("name", "pooled")}
HEAD_L2 = (100.0, 300.0, 1000.0, 3000.0)  # the span head's ridge, chosen by inner cross-fitting (log loss)
HEAD_FOLDS = 4


@dataclass
class Decisions:
    temperature: float = 1.0
    prior_weight: float = 0.0
    repeat_bonus: float = 0.0
    repeat_bonus_later: float = 0.0
    detect_repeat_offset: float = 0.0  # on found spans only (`TechniqueModel.detect_repeat_offset`)
    token_threshold: float = 0.3
    span_calibration: tuple = (1.0, 0.0)
    min_score: float = 0.3
    second_label_prob: float = 0.35
    calibration: str = "plain"
    # the document gate (`TechniqueModel.gate`): (threshold, weight) on `document_evidence`; weight 0 is off
    gate_threshold: float = 0.0
    gate_weight: float = 0.0
    # the span head (weights, bias, ridge) when calibration == "head"; it replaces span_calibration
    span_head: tuple | None = None
    # per-technique weights (at most 1) on found items' scores, when tuned (`tune_weights`); absent means 1
    technique_weights: dict = field(default_factory=dict)
    # what the span decisions are chosen for (`f1_key`): "full" (full-task F1, then SI F1) or "si" (the reverse)
    objective: str = "full"
    # the score from which an item is more likely right than wrong, out of fold (`sure_score`); None: not measured
    sure_score: float | None = None

    def settings(self) -> dict:
        return {"token_threshold": self.token_threshold, "span_calibration": [round(float(x), 4) for x in self.span_calibration],
                "temperature": self.temperature, "min_score": self.min_score, "second_label_prob": self.second_label_prob,
                "prior_weight": self.prior_weight, "repeat_bonus": self.repeat_bonus,
                "repeat_bonus_later": self.repeat_bonus_later, "detect_repeat_offset": self.detect_repeat_offset,
                "technique_weights": dict(self.technique_weights), "sure_score": self.sure_score,
                "document_gate": {"share": GATE_SHARE, "threshold": self.gate_threshold, "weight": self.gate_weight},
                "span_head": None if self.span_head is None else {
                    "inputs": "mean token probability of the run, name_like, span_head_inputs (mean token state, "
                              "highest and lowest token probability, log tokens, log characters)",
                    "l2": self.span_head[2], "bias": float(self.span_head[1]),
                    "weights": [float(f"{x:.6g}") for x in self.span_head[0]]}}

    def set_on(self, model: TechniqueModel) -> None:
        model.temperature, model.prior_weight = self.temperature, self.prior_weight
        model.repeat_bonus, model.repeat_bonus_later = self.repeat_bonus, self.repeat_bonus_later
        model.detect_repeat_offset = self.detect_repeat_offset
        model.token_threshold, model.span_calibration = self.token_threshold, tuple(self.span_calibration)
        model.min_score, model.second_label = self.min_score, self.second_label_prob
        model.technique_weights = dict(self.technique_weights)
        model.gate_share, model.gate_threshold, model.gate_weight = GATE_SHARE, self.gate_threshold, self.gate_weight
        model.span_head = None if self.span_head is None else (np.asarray(self.span_head[0], np.float64), float(self.span_head[1]))


@dataclass
class Candidates:
    """Every candidate span at one token threshold: parallel arrays, one entry per span."""

    article: list = field(default_factory=list)
    start: list = field(default_factory=list)
    end: list = field(default_factory=list)
    raw: list = field(default_factory=list)
    density: list = field(default_factory=list)
    name: list = field(default_factory=list)
    logits: list = field(default_factory=list)
    cue: list = field(default_factory=list)
    evidence: list = field(default_factory=list)  # the piece's `document_evidence` (the document gate's input)
    pooled: list = field(default_factory=list)  # `span_head_inputs` per span (the span head's input)

    def freeze(self) -> Candidates:
        n = len(self.article)
        self.article = np.array(self.article, dtype=object)
        self.start, self.end = np.array(self.start, dtype=np.int64), np.array(self.end, dtype=np.int64)
        self.raw, self.density = np.array(self.raw), np.array(self.density)
        self.evidence = np.array(self.evidence, dtype=np.float64)
        self.name = np.array(self.name)
        self.logits = np.stack(self.logits) if n else np.zeros((0, 1, 1), np.float32)
        self.cue = np.array(self.cue, dtype=np.float32).reshape(-1, 2)
        self.pooled = np.array(self.pooled, dtype=np.float32).reshape(n, -1) if n else np.zeros((0, 0), np.float32)
        return self

    def subset(self, ids: set[str]) -> np.ndarray:
        return np.array([a in ids for a in self.article], dtype=bool)

    @classmethod
    def concat(cls, parts: list[Candidates]) -> Candidates:
        """One table of the candidates of several frozen tables (of the same model and token threshold)."""
        out = cls()
        for name in ("article", "start", "end", "raw", "density", "name", "evidence"):
            setattr(out, name, np.concatenate([getattr(p, name) for p in parts]) if parts else np.zeros(0))
        out.cue = np.concatenate([p.cue for p in parts]) if parts else np.zeros((0, 2), np.float32)
        kept = [p.logits for p in parts if len(p.article)]
        out.logits = np.concatenate(kept) if kept else np.zeros((0, 1, 1), np.float32)
        pooled = [getattr(p, "pooled", None) for p in parts if len(p.article)]
        # tables cached before the span head existed have no pooled inputs: the head cannot score them
        ok = pooled and all(isinstance(x, np.ndarray) and x.ndim == 2 for x in pooled)
        out.pooled = np.concatenate(pooled) if ok else (np.zeros((0, 0), np.float32) if not pooled else None)
        return out


def candidates(model: TechniqueModel, cache: dict, ids, threshold: float) -> Candidates:
    """The run-time span finding at `threshold` over cached encoder output ({id: (text, pieces)})."""
    out = Candidates()
    for i in ids:
        text, pieces = cache[i]
        lower, words = text.lower(), WordRuns(text)
        for _, offsets, states in pieces:
            if len(offsets) == 0:
                continue
            probs = model.si_probs(states)
            found = model.candidate_spans(text, offsets, probs, threshold, words)
            if model.drop_function_only:
                found = [f for f in found if not function_only(text[f[0] : f[1]])]
            found = [f for f in found if title_share(text, f[0], f[1]) < TITLE_SHARE]  # as the run time
            if not found:
                continue
            hay = model.haystack(lower, offsets)
            feats = np.stack([span_features(hay, "", j - k + 1, needle=_normalise(text[s:e])) for s, e, k, j, _ in found])
            logits = model.technique_logits_many(states, [(k, j) for _, _, k, j, _ in found], feats)
            cue = model.cues(text, [(s, e) for s, e, *_ in found])
            density = float(probs.mean())
            evidence = document_evidence(probs)
            pooled = span_head_inputs(states, probs, [(s, e, k, j) for s, e, k, j, _ in found])
            for (s, e, _, _, raw), lg, c, x in zip(found, logits, cue, pooled):
                out.article.append(i)
                out.start.append(s)
                out.end.append(e)
                out.raw.append(raw)
                out.density.append(density)
                out.evidence.append(evidence)
                out.name.append(name_like(text, s, e))
                out.logits.append(lg)
                out.cue.append(c)
                out.pooled.append(x)
    return out.freeze()


def _features(c: Candidates, kind: str, mask=slice(None)) -> np.ndarray:
    if "pooled" in CALIBRATIONS[kind] and c.pooled is None:
        raise ValueError("these candidates were cached before the span head existed: delete the cache and rebuild")
    return np.column_stack([c.raw[mask]] + [getattr(c, f)[mask] for f in CALIBRATIONS[kind]])


def _fit_standardised(x: np.ndarray, y: np.ndarray, l2: float) -> tuple[np.ndarray, float]:
    """A ridge logistic fit on standardised inputs, returned as plain (weights, bias) on the raw inputs."""
    mu, sd = x.mean(axis=0), x.std(axis=0) + 1e-6
    w = fit_logistic((x - mu) / sd, y, l2=l2)
    weights = w[:-1] / sd
    return weights, float(w[-1] - mu @ weights)


def fit_span_head(x: np.ndarray, y: np.ndarray, groups: np.ndarray, l2s=HEAD_L2, k: int = HEAD_FOLDS) -> tuple:
    """The span head: (weights, bias, ridge) fitted on all of x, with the ridge that gives the lowest log loss when
    each group (article) is predicted by a fit on the other folds; and those cross-fitted log-odds, so that what is
    chosen from the head's scores (token threshold, min score) is chosen on scores it was not fitted on."""
    parts = folds(sorted(set(groups)), k, seed=5)
    best = None
    for l2 in l2s:
        z = np.zeros(len(y))
        for part in parts:
            test = np.isin(groups, part)
            w, b = _fit_standardised(x[~test], y[~test], l2)
            z[test] = x[test] @ w + b
        loss = float(np.mean(np.logaddexp(0.0, z) - y * z))
        if best is None or loss < best[0] - 1e-9:
            best = (loss, l2, z)
    _, l2, z = best
    w, b = _fit_standardised(x, y, l2)
    return (w, b, l2), z


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-3) -> np.ndarray:
    """Weights [features..., bias] of p = sigmoid(x·w + b) by Newton's method (a small ridge keeps it finite)."""
    xb = np.concatenate([x, np.ones((len(x), 1))], axis=1)
    w = np.zeros(xb.shape[1])
    w[0] = 1.0
    for _ in range(100):
        p = 1 / (1 + np.exp(-np.clip(xb @ w, -30, 30)))
        g = xb.T @ (p - y) + l2 * np.r_[w[:-1], 0]
        h = (xb * (p * (1 - p) + 1e-9)[:, None]).T @ xb + l2 * np.eye(len(w))
        step = np.linalg.solve(h, g)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def calibration_tuple(w: np.ndarray, kind: str) -> tuple:
    """The config's span_calibration: (a, b) or (a, b, c_density, d_name)."""
    a, b = float(w[0]), float(w[-1])
    extra = dict(zip(CALIBRATIONS[kind], (float(v) for v in w[1:-1])))
    if not extra:
        return (round(a, 4), round(b, 4))
    return (round(a, 4), round(b, 4), round(extra.get("density", 0.0), 4), round(extra.get("name", 0.0), 4))


def gate_term(evidence: np.ndarray, threshold: float, weight: float) -> np.ndarray:
    """The document gate's log-odds term, as `TechniqueModel.gate` computes it."""
    return weight * np.minimum(0.0, np.asarray(evidence, dtype=np.float64) - threshold)


def span_probs(c: Candidates, calibration: tuple, mask=slice(None), gate: tuple = (0.0, 0.0), head: tuple | None = None,
               logit: np.ndarray | None = None) -> np.ndarray:
    """The calibrated span probability of the candidates under `mask`, with the document gate (threshold, weight):
    from the span head (weights, bias, …) when given, else the calibration; `logit` (log-odds for every candidate)
    overrides both."""
    if logit is not None:
        z = np.asarray(logit, dtype=np.float64)[mask]
    elif head is not None:
        z = _features(c, "head", mask) @ np.asarray(head[0], np.float64) + head[1]
    else:
        a, b, *rest = calibration
        cd, dn = (list(rest) + [0.0, 0.0])[:2]
        z = a * c.raw[mask] + b + cd * c.density[mask] + dn * c.name[mask]
    if gate[1]:
        z = z + gate_term(c.evidence[mask], *gate)
    return 1 / (1 + np.exp(-np.clip(z, -40, 40)))


def tech_probs(model: TechniqueModel, d: Decisions, logits: np.ndarray, cue: np.ndarray, found: bool = False) -> np.ndarray:
    """Technique probabilities as the run time gives them: `found` for spans the model found (`ptc predict`,
    `analyze`), not for given ones (`ptc classify`)."""
    d.set_on(model)
    if len(logits) == 0:
        return np.zeros((0, len(model.techniques)))
    return softmax(model.adjusted(logits, cue[:, 0], cue[:, 1], found=found)).mean(axis=1)


def apply(model: TechniqueModel, d: Decisions, c: Candidates, mask=None, floor: float | None = None,
          span_logit: np.ndarray | None = None) -> list[tuple]:
    """`ptc predict` rows (article, technique, start, end) for the candidates under `mask`, as the run time gives
    (`span_logit`: see `scored_rows`)."""
    mask = np.ones(len(c.article), dtype=bool) if mask is None else mask
    floor = d.min_score if floor is None else floor
    scores, rows = scored_rows(model, d, c, mask, span_logit)
    return list(shown_rows(scores, rows, floor))


def shown_rows(scores, rows: list, floor: float) -> dict[tuple, float]:
    """{row: score} of the rows scored at least `floor`, in order; a row given twice keeps its first score."""
    shown: dict[tuple, float] = {}
    for score, row in zip(scores, rows):
        if score >= floor:
            shown.setdefault(row, float(score))
    return shown


def scored_rows(model: TechniqueModel, d: Decisions, c: Candidates, mask,
                span_logit: np.ndarray | None = None) -> tuple[np.ndarray, list]:
    """(score of every (candidate, technique) option, its row) for a min-score sweep. `span_logit`: the span
    head's cross-fitted log-odds for every candidate, for choosing on scores the head was not fitted on."""
    idx = np.flatnonzero(mask)
    p_span = span_probs(c, d.span_calibration, idx, (d.gate_threshold, d.gate_weight), d.span_head, span_logit)
    probs = tech_probs(model, d, c.logits[idx], c.cue[idx], found=True)
    scores, rows = [], []
    for n, k in enumerate(idx):
        order = np.argsort(-probs[n])
        for rank, t in enumerate(order[:3]):
            p = float(probs[n, t])
            if rank > 0 and p < d.second_label_prob:
                break
            if c.name[k] and model.name_labels is not None and model.techniques[t] not in model.name_labels:
                continue  # as the run time: a name or a title carries no technique but its own label
            scores.append(round(float(p_span[n]) * p * d.technique_weights.get(model.techniques[t], 1.0), 4))
            rows.append((c.article[k], model.techniques[t], int(c.start[k]), int(c.end[k])))
    return np.array(scores), rows


# --- the technique decision on gold spans ------------------------------------------------------------------------
@dataclass
class Gold:
    """Gold TC rows with their logits [n, members, T], label index, Repetition cue [n, 2]."""

    rows: list
    logits: np.ndarray
    labels: np.ndarray
    cue: np.ndarray
    keys: list  # (article, start, end) per row


def gold_table(model: TechniqueModel, cache: dict, rows) -> Gold:
    logits, labels, cue, kept = [], [], [], []
    memo: dict = {}
    for row in rows:
        i, t, s, e = row
        if (i, s, e) not in memo:
            text, pieces = cache[i]
            memo[(i, s, e)] = model.span_technique_logits(text, pieces, s, e)
        lg, c = memo[(i, s, e)]
        if lg is None:
            lg = np.zeros((len(model.members), len(model.techniques)), np.float32)
        logits.append(lg)
        labels.append(model.techniques.index(t))
        cue.append(c)
        kept.append(row)
    return Gold(kept, np.stack(logits), np.array(labels), np.array(cue, dtype=np.float32).reshape(-1, 2),
                [(i, s, e) for i, _, s, e in kept])


def classify(model: TechniqueModel, d: Decisions, g: Gold, mask=None) -> list[tuple]:
    """`ptc classify` rows for the gold rows under `mask`: repeated spans get distinct labels, best first."""
    idx = np.flatnonzero(np.ones(len(g.rows), bool) if mask is None else mask)
    probs = tech_probs(model, d, g.logits[idx], g.cue[idx])
    ranked = {g.keys[k]: [model.techniques[t] for t in np.argsort(-probs[n])] for n, k in enumerate(idx)}
    keys = [g.keys[k] for k in idx]
    return [(i, label, s, e) for (i, s, e), label in zip(keys, distinct_labels(keys, ranked.__getitem__))]


def tune_technique(model: TechniqueModel, d: Decisions, g: Gold, mask) -> None:
    """Temperature (NLL), then prior weight and Repetition bonuses (TC micro-F1, ties to the smaller values)."""
    d.temperature = fit_temperature(g.logits[mask], g.labels[mask])
    gold_rows = [g.rows[k] for k in np.flatnonzero(mask)]
    best = None
    for weight in PRIOR_WEIGHTS:
        for bonus in REPEAT_BONUSES:
            for later in LATER_BONUSES:
                d.prior_weight, d.repeat_bonus, d.repeat_bonus_later = weight, bonus, later
                f1 = score_tc(classify(model, d, g, mask), gold_rows).f1
                if best is None or f1 > best[0] + 1e-9:
                    best = (f1, weight, bonus, later)
    _, d.prior_weight, d.repeat_bonus, d.repeat_bonus_later = best


# --- span finding -------------------------------------------------------------------------------------------------
def overlaps_gold(c: Candidates, si: dict) -> np.ndarray:
    """1.0 for each candidate whose span overlaps a gold span of its article, else 0.0."""
    return overlaps_rows([(i, None, s, e) for i, s, e in zip(c.article, c.start, c.end)], si)


def overlaps_rows(rows: list, si: dict) -> np.ndarray:
    """1.0 for each (article, technique, start, end) row whose span overlaps a gold span of its article, else 0.0."""
    merged: dict = {}
    out = np.zeros(len(rows))
    for n, (i, _, s, e) in enumerate(rows):
        if i not in merged:
            merged[i] = merge_spans(si.get(i, []))
        out[n] = any(a < e and s < b for a, b in merged[i])
    return out


def isotonic(y: np.ndarray) -> np.ndarray:
    """The non-decreasing least-squares fit to `y` (pool adjacent violators), for values already in score order."""
    sums, counts = [], []
    for v in np.asarray(y, dtype=np.float64):
        sums.append(v)
        counts.append(1)
        while len(sums) > 1 and sums[-2] * counts[-1] > sums[-1] * counts[-2]:
            last_sum, last_count = sums.pop(), counts.pop()
            sums[-1] += last_sum
            counts[-1] += last_count
    return np.repeat(np.array(sums) / np.array(counts), counts)


def sure_score(scores: np.ndarray, right: np.ndarray) -> float | None:
    """The lowest score from which an item is more likely right than wrong: where a non-decreasing fit of `right`
    (1 when the item lies on a gold span) on the item's score first reaches one half, rounded up to 0.025 so that
    the config states a plain number. None when it never does. Renderers mark items under it as unsure; which
    items are shown stays the min score's choice."""
    scores, right = np.asarray(scores, dtype=np.float64), np.asarray(right, dtype=np.float64)
    if len(scores) == 0:
        return None
    order = np.argsort(scores, kind="stable")
    fit = isotonic(right[order])
    reached = np.flatnonzero(fit >= 0.5)
    if len(reached) == 0:
        return None
    return round(float(np.ceil(scores[order][reached[0]] / 0.025 - 1e-9) * 0.025), 3)


def tune_spans(model: TechniqueModel, d: Decisions, tables: dict, ys: dict, ids: set[str], si: dict, tc: dict,
               kinds=("plain",)) -> None:
    """Token threshold, calibration kind and fit, min score (best `f1_key` for `d.objective`); then the Repetition
    offset on found spans with the min score again (ties keep no offset); then the second label."""
    gold_si, gold_tc = gold_lists(ids, si, tc)
    best = None
    d.second_label_prob = 1.01
    for thr, c in tables.items():
        mask = c.subset(ids)
        if mask.sum() < 5:
            continue
        for kind in kinds:
            head, logit = None, None
            if kind == "head":  # chosen on cross-fitted log-odds; the head fitted on all `ids` is what ships
                head, z = fit_span_head(_features(c, kind, mask), ys[thr][mask], c.article[mask])
                logit = np.zeros(len(c.article))
                logit[mask] = z
                d.span_calibration = (1.0, 0.0)
            else:
                w = fit_logistic(_features(c, kind, mask), ys[thr][mask])
                d.span_calibration = calibration_tuple(w, kind)
            d.span_head = head
            key, min_score = best_min_score(model, d, c, mask, gold_si, gold_tc, logit)
            if best is None or key > best[0]:
                best = (key, thr, d.span_calibration, min_score, kind, head, logit)
    _, d.token_threshold, d.span_calibration, d.min_score, d.calibration, d.span_head, logit = best
    c = tables[d.token_threshold]
    mask = c.subset(ids)
    best_offset = None
    for offset in DETECT_REPEAT_OFFSETS:
        d.detect_repeat_offset = offset
        key, min_score = best_min_score(model, d, c, mask, gold_si, gold_tc, logit)
        if best_offset is None or key > best_offset[0]:
            best_offset = (key, offset, min_score)
    _, d.detect_repeat_offset, d.min_score = best_offset
    best2 = None
    for second in SECOND_LABELS:
        d.second_label_prob = second
        f1 = score_full(apply(model, d, c, mask, span_logit=logit), gold_tc).f1
        if best2 is None or f1 > best2[0]:
            best2 = (f1, second)
    d.second_label_prob = best2[1]


TECHNIQUE_WEIGHTS = (1.0, 0.85, 0.7, 0.55, 0.4)


def tune_weights(model: TechniqueModel, d: Decisions, tables: dict, ids: set[str], si: dict, tc: dict,
                 rounds: int = 2) -> None:
    """Per-technique weights (from TECHNIQUE_WEIGHTS) on found items' scores, after every other decision: coordinate
    ascent over the techniques, most rows first, for full-task F1 then SI F1 (ties keep the weight nearer 1), and
    the min score again after each round."""
    gold_si, gold_tc = gold_lists(ids, si, tc)
    c = tables[d.token_threshold]
    mask = c.subset(ids)
    d.technique_weights = {}
    base, rows = scored_rows(model, d, c, mask)
    techs = [r[1] for r in rows]

    def key(weights: dict, floor: float) -> tuple:
        # the unweighted scores were rounded once already: close to, not always equal to, `scored_rows` with weights
        scores = np.round(base * np.array([weights.get(t, 1.0) for t in techs]), 4) if len(rows) else base
        return f1_key(rows, scores, floor, gold_si, gold_tc, d.objective)

    best = key({}, d.min_score)
    for _ in range(rounds):
        for tech in sorted(set(techs), key=lambda t: (-techs.count(t), t)):
            for w in TECHNIQUE_WEIGHTS:
                trial = {**d.technique_weights, tech: w}
                k = key(trial, d.min_score)
                if k > best:
                    best, d.technique_weights = k, trial
        for floor in MIN_SCORES:
            k = key(d.technique_weights, floor)
            if k > best:
                best, d.min_score = k, floor
    d.technique_weights = {t: w for t, w in sorted(d.technique_weights.items()) if w != 1.0}


def tune(model: TechniqueModel, tables: dict, ys: dict, gold: Gold, ids, si: dict, tc: dict, kinds=("plain",),
         gate: tuple = (0.0, 0.0), weights: bool = False, objective: str = "full") -> Decisions:
    """All decisions, chosen on the articles `ids` only, under a given document gate (threshold, weight): the span
    calibration is fitted without it (it is a prior on top), the min score and second label are chosen with it.
    `weights`: per-technique weights too (`tune_weights`; measured, not shipped). `objective`: see `f1_key`."""
    ids = set(ids)
    d = Decisions(gate_threshold=float(gate[0]), gate_weight=float(gate[1]), objective=objective)
    tune_technique(model, d, gold, np.array([k[0] in ids for k in gold.keys], dtype=bool))
    tune_spans(model, d, tables, ys, ids, si, tc, kinds)
    if weights:
        tune_weights(model, d, tables, ids, si, tc)
    return d


def build_tables(model: TechniqueModel, cache: dict, ids, si: dict, thresholds=THRESHOLDS) -> tuple[dict, dict]:
    tables = {thr: candidates(model, cache, ids, thr) for thr in thresholds}
    return tables, {thr: overlaps_gold(c, si) for thr, c in tables.items()}


_WORDS = re.compile(r"\w+")


def words(text: str) -> int:
    return len(_WORDS.findall(text))


def folds(ids, k: int, seed: int = 17) -> list[list[str]]:
    """`k` folds by article, seeded."""
    import random

    order = sorted(ids)
    random.Random(seed).shuffle(order)
    return [sorted(order[f::k]) for f in range(k)]


def per_technique(classified, gold_tc, techniques) -> dict:
    """TC precision and recall per technique on gold spans (a right label: the span carries that gold label)."""
    out = {}
    for t in techniques:
        pred = [r for r in classified if r[1] == t]
        left: dict = {}
        n_gold = 0
        for r in gold_tc:
            if r[1] == t:
                left[(r[0], r[2], r[3])] = left.get((r[0], r[2], r[3]), 0) + 1
                n_gold += 1
        right = 0
        for r in pred:
            if left.get((r[0], r[2], r[3]), 0) > 0:
                left[(r[0], r[2], r[3])] -= 1
                right += 1
        out[t] = {"gold": n_gold, "predicted": len(pred), "precision": round(right / len(pred), 4) if pred else 0.0,
                  "recall": round(right / n_gold, 4) if n_gold else 0.0}
    return out


# --- the document gate --------------------------------------------------------------------------------------------
GATE_THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
GATE_WEIGHTS = (2.5, 5.0, 10.0, 20.0, 40.0)
GATE_BUDGET = 0.01  # the most SI or full-task F1 (on the tuning articles) the gate may cost


def gold_lists(ids, si: dict, tc: dict) -> tuple[list, list]:
    """The gold SI spans (article, start, end) and TC rows (article, technique, start, end) of the articles `ids`."""
    ids = sorted(set(ids))
    return ([(i, s, e) for i in ids for s, e in si.get(i, [])],
            [(i, t, s, e) for i in ids for t, s, e in tc.get(i, [])])


def f1_key(rows: list, scores, floor: float, gold_si: list, gold_tc: list, objective: str = "full") -> tuple[float, float]:
    """What every span decision here is chosen by, for the rows scored at least `floor`: (full-task F1, SI F1) for
    the objective "full", (SI F1, full-task F1) for "si"."""
    pred = [r for r, sc in zip(rows, scores) if sc >= floor]
    full, si = score_full(pred, gold_tc).f1, score_si(pred, gold_si).f1
    return (si, full) if objective == "si" else (full, si)


def best_min_score(model: TechniqueModel, d: Decisions, c: Candidates, mask, gold_si, gold_tc,
                   span_logit: np.ndarray | None = None) -> tuple:
    """(`f1_key`, min score) at the min score with the best `f1_key` for `d.objective` (as `tune_spans`)."""
    scores, rows = scored_rows(model, d, c, mask, span_logit)
    best = None
    for min_score in MIN_SCORES:
        key = f1_key(rows, scores, min_score, gold_si, gold_tc, d.objective)
        if best is None or key > best[0]:
            best = (key, min_score)
    return best


def rate(rows, n_words: int) -> float:
    """Reported items per 1,000 words."""
    return round(1000 * len(rows) / max(n_words, 1), 3)


def choose_gate(model: TechniqueModel, d: Decisions, tables: dict, ids, si: dict, tc: dict, ordinary: dict,
                ordinary_words: int, budget: float = GATE_BUDGET) -> tuple[tuple, list]:
    """The document gate (threshold, weight): of the gates whose SI and full-task F1 on the articles `ids` (min score
    re-chosen for each) stay within `budget` of no gate, the one that reports the fewest items per 1,000 words on
    `ordinary` ({token threshold: Candidates} of ordinary news texts, `ordinary_words` words in all; used as a rate,
    never as labels). `d`: the other decisions, chosen on `ids` without a gate (left unchanged). Also returns the
    table of every gate tried."""
    ids = set(ids)
    gold_si, gold_tc = gold_lists(ids, si, tc)
    c, o = tables[d.token_threshold], ordinary[d.token_threshold]
    mask, everything = c.subset(ids), np.ones(len(o.article), dtype=bool)
    trial = Decisions(**{**d.__dict__})
    tried = []
    for threshold, weight in [(0.0, 0.0)] + [(t, w) for t in GATE_THRESHOLDS for w in GATE_WEIGHTS]:
        trial.gate_threshold, trial.gate_weight = threshold, weight
        key, min_score = best_min_score(model, trial, c, mask, gold_si, gold_tc)
        full, si_f1 = key[::-1] if trial.objective == "si" else key
        n_ptc = len(apply(model, trial, c, mask, floor=min_score))
        n_ord = len(apply(model, trial, o, everything, floor=min_score))
        tried.append({"threshold": threshold, "weight": weight, "full_f1": round(full, 4), "si_f1": round(si_f1, 4),
                      "min_score": min_score, "items_tuning": n_ptc, "ordinary_per_1000_words": rate(range(n_ord), ordinary_words)})
    base = tried[0]
    ok = [t for t in tried if t["full_f1"] >= base["full_f1"] - budget and t["si_f1"] >= base["si_f1"] - budget]
    best = min(ok, key=lambda t: (t["ordinary_per_1000_words"], t["weight"], t["threshold"]))
    return (best["threshold"], best["weight"]), tried


def cross_validate(model: TechniqueModel, cache: dict, held, si: dict, tc: dict, *, k: int = 5, rounds: int = 1000,
                   kinds=("plain", "name"), extra=(), gate: tuple = (0.0, 0.0), tables=None, weights: bool = False,
                   objective: str = "full") -> dict:
    """Decisions chosen on k-1 folds and applied to the k-th, pooled: out-of-fold SI/TC/full with 95% bootstrap
    intervals over articles, TC per technique; and the decisions chosen on all of `held` (`final`, what ships).
    `extra`: more cached texts (no gold) to run the final decisions over (their rows come back in `extra_rows`).
    `gate`: the document gate (threshold, weight) every fold's decisions are chosen under. `tables`: the
    `build_tables` result for `held + extra`, when the caller has it already."""
    from unspun.evaluation.bootstrap import f1_interval

    held = sorted(held)
    tables, ys = tables or build_tables(model, cache, held + sorted(extra), si)
    gold_si, gold_rows = gold_lists(held, si, tc)
    gold = gold_table(model, cache, gold_rows)
    pred, classified, chosen, shown = [], [], [], {}
    for test in folds(held, k):
        test_set = set(test)
        d = tune(model, tables, ys, gold, sorted(set(held) - test_set), si, tc, kinds, gate, weights, objective)
        chosen.append(d.settings() | {"calibration": d.calibration})
        c = tables[d.token_threshold]
        fold_shown = shown_rows(*scored_rows(model, d, c, c.subset(test_set)), d.min_score)  # what `apply` gives
        pred += list(fold_shown)
        shown.update(fold_shown)
        classified += classify(model, d, gold, np.array([key[0] in test_set for key in gold.keys], dtype=bool))

    def figure(scorer, p, g):
        s = scorer(p, g)
        lo, hi = f1_interval(scorer, p, g, held, rounds=rounds)
        return {"precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4),
                "f1_95": [round(lo, 4), round(hi, 4)]}

    final = tune(model, tables, ys, gold, held, si, tc, kinds, gate, weights, objective)
    right, shown_scores = overlaps_rows(list(shown), si), np.array(list(shown.values()))
    final.sure_score = sure_score(shown_scores, right)
    sure = shown_scores >= (final.sure_score if final.sure_score is not None else np.inf)
    c = tables[final.token_threshold]
    final.set_on(model)
    return {
        "final": final,
        "pred": pred,
        "shipped_rows": apply(model, final, c, c.subset(set(held))),
        "extra_rows": apply(model, final, c, c.subset(set(extra))) if extra else [],
        "figures": {
            "articles": len(held),
            "folds": k,
            "calibrations_tried": list(kinds),
            "out_of_fold": {"si": figure(score_si, pred, gold_si), "tc": figure(score_tc, classified, gold_rows),
                            "full": figure(score_full, pred, gold_rows)},
            "out_of_fold_tc_per_technique": per_technique(classified, gold_rows, model.techniques),
            "fold_decisions": chosen,
            "decisions": final.settings() | {"calibration": final.calibration},
            # items shown out of fold: how many lie on a gold span (any technique), all of them and those marked sure
            "out_of_fold_items": {"items": len(shown), "on_a_span": round(float(right.mean()), 4) if len(right) else None,
                                  "sure_score": final.sure_score, "sure_items": int(sure.sum()),
                                  "sure_on_a_span": round(float(right[sure].mean()), 4) if sure.any() else None},
        },
    }
