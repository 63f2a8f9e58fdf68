"""Training the SemEval-2023 heads (`unspun train semeval23`): numpy only, on the cached states of a shipped encoder.

Recipe (the measurements behind it are in docs/taxonomies.md):
1. encode the 371 articles once with the shipped technique model's encoder (`semeval23_cache`);
2. token head: 23 sigmoids per token, fitted on the gold spans (a token inside a span of technique k is positive for k);
3. paragraph head: 23 sigmoids per paragraph over the pooled token probabilities and text features
   (`unspun.runtime.semeval23_model.paragraph_features`, the code the run time calls), fitted on the paragraph labels;
4. one threshold on the paragraph probability, chosen for micro-F1.

Honest validation. The shipped encoders were fine-tuned on the PTC labels of 260 of these articles (unspun's fixed
split, `unspun.datasets.ptc_split`), and the 2023 labels of those articles are nearly the same spans renamed, so scores on
them are leaked. Figures are therefore k-fold over the 111 articles the encoders never saw (their dev and val
articles): each fold's heads are fitted on the 260 plus the other folds, and each fold's threshold is chosen by an
inner k-fold over the other folds' unseen articles only (nested), never on the articles it is scored on. The shipped
heads are then fitted on all 371 articles, with the threshold that is best over the out-of-fold predictions.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from unspun.evaluation.bootstrap import f1_interval
from unspun.evaluation.ptc_scorer import score_full
from unspun.evaluation.semeval23_scorer import ParagraphScore, rows_of, score, score_rows_macro, score_rows_micro
from unspun.paragraphs import paragraphs
from unspun.runtime.semeval23_model import Analysis, ParagraphHeads, Semeval23Model, paragraph_features
from unspun.runtime.technique_model import tokens_for
from unspun.taxonomy import SEMEVAL23
from unspun.datasets import ptc
from unspun.training.numpy_heads import fit
from unspun.training.semeval23_cache import cached_states
from unspun.datasets.semeval23 import Semeval23Data
from unspun.datasets.ptc_split import split

TECHNIQUES: tuple[str, ...] = SEMEVAL23.names
LICENCE = ("The heads are unspun's own weights. They were fitted on the SemEval-2023 Task 3 data, which its organisers "
           "license for research use only and which is not redistributed here; the encoder they read was trained on PTC "
           "(research use only). Treat the heads as research artefacts, like the models they extend.")
TOKEN_HEAD = {"l2": 1e-4, "epochs": 3, "lr": 2e-3, "batch": 2048}
PARAGRAPH_HEAD = {"l2": 1e-2, "epochs": 20, "lr": 3e-3, "batch": 512}
THRESHOLDS = tuple(round(0.1 + 0.025 * k, 3) for k in range(21))  # 0.1 … 0.6
TOKEN_THRESHOLD = 0.3  # span decoding inside a labelled paragraph; fixed (the 14-technique model's value), not tuned
JOIN_GAP = 6  # span decoding: runs of a technique fewer than this many tokens apart become one span


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


@dataclass
class Prepared:
    """One article ready for the heads: its states (members side by side), token and paragraph targets."""

    text: str
    offsets: np.ndarray
    states: np.ndarray  # [n, H]
    token_y: np.ndarray  # [n, K]
    paragraph_y: np.ndarray  # [P, K], rows in `paragraphs(text)` order


def prepare(data: Semeval23Data, states: dict) -> dict[str, Prepared]:
    out = {}
    k = {t: i for i, t in enumerate(TECHNIQUES)}
    for article_id, text in data.articles.items():
        offsets, members = states[article_id]
        x = members[0] if len(members) == 1 else np.concatenate(members, axis=1)
        ty = np.zeros((len(offsets), len(TECHNIQUES)), dtype=np.float32)
        for technique, start, end in data.spans.get(article_id, []):
            toks = tokens_for(offsets, start, end)
            if toks:
                ty[toks[0] : toks[1] + 1, k[technique]] = 1.0
        gold = data.paragraphs.get(article_id, {})
        paras = paragraphs(text)
        py = np.zeros((len(paras), len(TECHNIQUES)), dtype=np.float32)
        for row, p in enumerate(paras):
            for technique in gold.get(p.number, ()):
                py[row, k[technique]] = 1.0
        out[article_id] = Prepared(text, offsets, x, ty, py)
    return out


def _model(heads: ParagraphHeads | None, base=None, min_score: float = 0.3) -> Semeval23Model:
    config = {"techniques": list(TECHNIQUES), "min_score": min_score, "token_threshold": TOKEN_THRESHOLD,
              "join_gap": JOIN_GAP}
    return Semeval23Model(base, heads, config)


def analyse(heads: ParagraphHeads, prepared: dict[str, Prepared], ids: list[str]) -> dict[str, Analysis]:
    """The run-time analysis of each article from its cached states (what `Semeval23Model.analyse` computes)."""
    model = _model(heads)
    return {i: model.analyse_encoded(prepared[i].text, prepared[i].offsets, heads.token_probs([prepared[i].states]))
            for i in ids}


def fit_heads(prepared: dict[str, Prepared], ids: list[str], seed: int = 13) -> ParagraphHeads:
    """Token head on the tokens of `ids`, then the paragraph head on its (in-sample) token probabilities."""
    x = np.concatenate([prepared[i].states for i in ids])
    y = np.concatenate([prepared[i].token_y for i in ids])
    tok = fit(x, y, seed=seed, **TOKEN_HEAD)
    del x, y
    k = len(TECHNIQUES)
    empty = ParagraphHeads(tok.w, tok.b, np.zeros((2 * k + 8, k), np.float32), np.zeros(k, np.float32))
    feats, targets = [], []
    for i in ids:
        p = prepared[i]
        feats.append(paragraph_features(p.text, paragraphs(p.text), p.offsets, empty.token_probs([p.states])))
        targets.append(p.paragraph_y)
    par = fit(np.concatenate(feats), np.concatenate(targets), seed=seed, **PARAGRAPH_HEAD)
    return ParagraphHeads(tok.w, tok.b, par.w, par.b)


def labels_at(found: dict[str, Analysis], threshold: float) -> dict[tuple[str, int], list[str]]:
    """{(article, paragraph): techniques} for probabilities (rounded to 4 places, as the run time does) ≥ threshold."""
    out = {}
    for article_id, a in found.items():
        for p, probs in zip(a.paras, a.probs):
            out[(article_id, p.number)] = [TECHNIQUES[k] for k in np.flatnonzero(np.round(probs, 4) >= threshold)]
    return out


def gold_labels(prepared: dict[str, Prepared], ids: list[str]) -> dict[tuple[str, int], list[str]]:
    out = {}
    for i in ids:
        for p, y in zip(paragraphs(prepared[i].text), prepared[i].paragraph_y):
            out[(i, p.number)] = [TECHNIQUES[k] for k in np.flatnonzero(y)]
    return out


def best_threshold(found: dict[str, Analysis], gold: dict) -> float:
    """The threshold with the best micro-F1 (ties: the first, i.e. the lowest)."""
    best = max(THRESHOLDS, key=lambda t: (round(score(labels_at(found, t), gold).f1, 6), -t))
    return float(best)


def cross_validate(prepared: dict[str, Prepared], trained_on: list[str], unseen: list[str], *, folds: int = 5,
                   seed: int = 13) -> tuple[dict[str, Analysis], dict[str, float]]:
    """Out-of-fold analyses of the `unseen` articles and the threshold each article was labelled with (nested)."""
    found: dict[str, Analysis] = {}
    thresholds: dict[str, float] = {}
    for f, (rest, test) in enumerate(ptc.kfold(unseen, folds, seed=seed)):
        inner: dict[str, Analysis] = {}
        for rest_inner, held in ptc.kfold(rest, folds - 1, seed=seed):
            inner.update(analyse(fit_heads(prepared, trained_on + rest_inner, seed), prepared, held))
        threshold = best_threshold(inner, gold_labels(prepared, rest))
        found.update(analyse(fit_heads(prepared, trained_on + rest, seed), prepared, test))
        thresholds.update({i: threshold for i in test})
        log(f"fold {f + 1}/{folds}: threshold {threshold} (chosen on {len(rest)} other unseen articles)")
    return found, thresholds


def _labels_nested(found: dict[str, Analysis], thresholds: dict[str, float]) -> dict:
    out = {}
    for article_id, a in found.items():
        out.update(labels_at({article_id: a}, thresholds[article_id]))
    return out


def span_rows(found: dict[str, Analysis], prepared: dict[str, Prepared], thresholds: dict[str, float]) -> list:
    """Span items (`ptc predict` rows) of each article, decoded at its threshold, for a span-level figure."""
    model = _model(None)
    rows = []
    for article_id, a in found.items():
        for d in model.decode(prepared[article_id].text, a, thresholds[article_id]):
            rows.append((article_id, d.technique, d.start, d.end))
    return rows


def figures(pred: dict, gold: dict, ids: list[str], rounds: int) -> dict:
    """micro/macro F1 with 95% bootstrap intervals over articles."""
    s: ParagraphScore = score(pred, gold, TECHNIQUES)
    out = {"articles": len(ids), "paragraphs": s.n_paragraphs, "micro": {"precision": round(s.precision, 4),
           "recall": round(s.recall, 4), "f1": round(s.f1, 4)}, "macro": {"f1": round(s.macro_f1, 4)}}
    if rounds:
        pr, gr = rows_of(pred), rows_of(gold)
        out["micro"]["f1_ci95"] = [round(v, 4) for v in f1_interval(score_rows_micro, pr, gr, ids, rounds=rounds)]
        out["macro"]["f1_ci95"] = [round(v, 4) for v in f1_interval(score_rows_macro, pr, gr, ids, rounds=rounds)]
    return out


def evaluate_oof(prepared: dict[str, Prepared], data: Semeval23Data, trained_on: list[str], unseen: list[str],
                 val: list[str], *, folds: int, seed: int, rounds: int) -> tuple[dict, dict[str, Analysis]]:
    found, thresholds = cross_validate(prepared, trained_on, unseen, folds=folds, seed=seed)
    pred, gold = _labels_nested(found, thresholds), gold_labels(prepared, unseen)
    result = {"method": f"{folds}-fold by article over the {len(unseen)} articles the encoder never saw; heads fitted on "
                        f"the {len(trained_on)} encoder-training articles plus the other folds; each fold's threshold "
                        f"chosen by an inner {folds - 1}-fold over the other folds' unseen articles (nested)",
              "thresholds": sorted({thresholds[i] for i in unseen}),
              "oof": figures(pred, gold, unseen, rounds)}
    vset = set(val)
    result["oof_val_only"] = figures({k: v for k, v in pred.items() if k[0] in vset},
                                     {k: v for k, v in gold.items() if k[0] in vset}, val, rounds)
    gold_spans = [(i, t, s, e) for i in unseen for t, s, e in data.spans.get(i, [])]
    full = score_full(span_rows(found, prepared, thresholds), gold_spans)
    result["spans_full_task"] = {"precision": round(full.precision, 4), "recall": round(full.recall, 4),
                                 "f1": round(full.f1, 4)}
    return result, found


def _shipped(model_name: str) -> Path:
    from unspun.runtime.models import semeval23_dir

    return semeval23_dir(model_name).resolve()


def run(data_dir: Path, model_name: str, out: Path | None, *, folds: int = 5, seed: int = 13, rounds: int = 1000,
        cache: Path = Path("build/semeval23-states"), cv: bool = True) -> dict:
    """Cross-validate (unless `cv` is False), then fit the shipped heads on all articles and write `out`."""
    from unspun.runtime.models import load_techniques
    from unspun.datasets.semeval23 import load as load_data

    data = load_data(data_dir)
    base, info = load_techniques(model_name)
    t0 = time.time()
    states = cached_states(base, info["sha256"], data.articles, cache, progress=log)
    log(f"states of {len(states)} articles ready in {time.time() - t0:.0f}s (cache {cache})")
    prepared = prepare(data, states)
    del states
    ids = sorted(data.articles)
    trained_on, dev, val = split(ids)
    unseen = sorted(dev + val)
    config: dict = {
        "name": f"unspun-semeval23-heads-{model_name}",
        "version": time.strftime("%Y.%m.%d"),
        "taxonomy": "semeval23",
        "encoder": f"the shipped `{model_name}` technique model's encoder ({info['name']} {info['version']}), frozen",
        "encoder_sha256": info["sha256"],
        "techniques": list(TECHNIQUES),
        "token_threshold": TOKEN_THRESHOLD,
        "join_gap": JOIN_GAP,
    }
    if cv:
        scores, found = evaluate_oof(prepared, data, trained_on, unseen, val, folds=folds, seed=seed, rounds=rounds)
        config["min_score"] = best_threshold(found, gold_labels(prepared, unseen))
        config["scores"] = scores
        log(f"out-of-fold: {json.dumps(scores['oof'])}")
    else:
        config["min_score"] = 0.3
    config["training"] = {
        "seed": seed, "folds": folds, "articles": len(ids), "token_head": TOKEN_HEAD, "paragraph_head": PARAGRAPH_HEAD,
        "split": {"encoder_trained_on": len(trained_on), "unseen": len(unseen), "method": "unspun's fixed PTC split"},
        "data": "SemEval-2023 Task 3 subtask 3 English train, the 371 PTC-train articles (research use only; not shipped)",
        "licence": LICENCE,
        "command": f"unspun train semeval23 --data {data_dir} --model {model_name}"
                   + (f" --out {out}" if out is not None and out.resolve() != _shipped(model_name) else "")
                   + (f" --folds {folds}" if folds != 5 else "")
                   + (f" --seed {seed}" if seed != 13 else ""),
    }
    if out is not None:
        heads = fit_heads(prepared, ids, seed)
        out.mkdir(parents=True, exist_ok=True)
        heads.save(out / "heads.npz")
        config["heads_sha256"] = hashlib.sha256((out / "heads.npz").read_bytes()).hexdigest()
        (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    return config


__all__ = ["TECHNIQUES", "cross_validate", "evaluate_oof", "fit_heads", "prepare", "run"]
