"""Where the span-identification (SI) errors are: the model, or the decoding that turns token scores into spans?

    python benchmarks/si_decoding.py [--model fast|accurate] [--model-dir DIR] [--data DIR] [--split dev] [--json]

Run on unspun's dev (tuning) split by default: every choice this study informs is made there, never on validation.
It encodes the split's articles once and prints:

1. **shipped**: SI precision/recall/F1 with the model's own decoding and min score.
2. **candidates**: the runs of tokens at the model's token threshold, before any filtering: how many there are,
   the share that touch no gold span (false alarms), the share of a touching candidate that lies inside gold, and
   the **oracle** SI F1 had every false alarm been dropped. Oracle ≫ shipped means the loss is in *which* runs to
   keep; touching candidates that sit mostly inside gold mean the boundaries are not the problem.
3. **decoding variants**: the best SI F1 over a grid of hysteresis thresholds (a run of tokens above `low` is kept
   when its max or mean reaches `high`), merging runs across short gaps inside a sentence, and smoothing the token
   scores, keeping each run as a span. A small gain means the decoding is near what these token scores allow.
4. **reranker**: whether a learned filter separates false alarms from true candidates better than the mean token
   score. An L2 logistic regression over 16 span features (token-score statistics, length, the technique head's
   distribution and confidence, position in the sentence and article, quotation marks, capitals), cross-validated by
   article within the split (5 folds): ROC AUC for "touches gold" and the best SI F1 over thresholds, against the
   same for the mean token score alone.

Needs only the runtime install (numpy, onnxruntime) and the PTC data (`--data`, default
`$UNSPUN_SHARED_DATA/ptc`, with UNSPUN_SHARED_DATA defaulting to `../shared/data` beside the repository).
Exit codes: 0 done, 2 usage, 66 no data, 78 model missing or corrupt.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
EX_NOINPUT = 66
EX_CONFIG = 78
_SENTENCE = re.compile(r"[.!?\n]")


def _shared_data() -> Path:
    root = Path(os.environ.get("UNSPUN_SHARED_DATA", "../shared/data"))
    return root if root.is_absolute() else (REPO / root).resolve()


def coverage(span: tuple[int, int], gold: list[tuple[int, int]]) -> float:
    """Share of the span's characters inside the (merged, disjoint) gold spans."""
    s, e = span
    return sum(max(0, min(e, b) - max(s, a)) for a, b in gold) / (e - s)


def decode(model, text: str, offsets: np.ndarray, probs: np.ndarray, low: float, high: float, gap: int, agg: str,
           smooth: int) -> list[tuple[int, int]]:
    """Spans from token scores: the model's own runs ≥ low (`TechniqueModel.candidate_spans`) whose max/mean
    reaches high, merged across gaps ≤ `gap` characters with no sentence end between them."""
    if smooth:
        kernel = np.ones(2 * smooth + 1) / (2 * smooth + 1)
        probs = np.convolve(np.pad(probs, smooth, mode="edge"), kernel, mode="valid")
    spans: list[tuple[int, int]] = []
    for s, e, i, j, mean in model.candidate_spans(text, offsets, probs, low):
        if (probs[i : j + 1].max() if agg == "max" else mean) < high:
            continue
        if spans and s - spans[-1][1] <= gap and not _SENTENCE.search(text, spans[-1][1], s):
            spans[-1] = (spans[-1][0], max(e, spans[-1][1]))
        else:
            spans.append((s, e))
    return spans


def features(model, text: str, lower: str, offsets: np.ndarray, states: list, probs: np.ndarray, found: list) -> np.ndarray:
    """One row of span features per candidate (start, end, first token, last token, mean token score)."""
    from unspun.runtime.technique_model import repeated_before, softmax, span_features

    feats = np.stack([span_features(lower, text[s:e], j - i + 1) for s, e, i, j, _ in found])
    repeated = np.array([repeated_before(lower, text[s:e], s) for s, e, *_ in found])
    logits = model.technique_logits_many(states, [(i, j) for _, _, i, j, _ in found], feats)
    tech = softmax(model.adjusted(logits, repeated)).mean(axis=1)
    rows = []
    for (s, e, i, j, mean), f, t in zip(found, feats, tech):
        run = probs[i : j + 1]
        line_start = text.rfind("\n", 0, s) + 1
        sentence_start = max(line_start, max(text.rfind(c, line_start, s) for c in ".!?") + 1)
        words = text[s:e].split()
        rows.append([
            mean, run.max(), run.min(), j - i + 1, np.log(e - s),
            probs[i - 1] if i > 0 else 0.0, probs[j + 1] if j + 1 < len(probs) else 0.0,
            f[0], t.max(), -(t * np.log(t + 1e-9)).sum(),
            float(s - sentence_start <= 1), float(line_start == 0), s / len(text),
            float(any(q in text[s:e] for q in "\"“”")),
            sum(w[:1].isupper() for w in words) / max(1, len(words)), float(bool(repeated[len(rows)])),
        ])
    return np.asarray(rows, dtype=np.float64)


def logistic_fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, iters: int = 30) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method on standardised features (with an intercept)."""
    w = np.zeros(x.shape[1] + 1)
    xb = np.hstack([x, np.ones((len(x), 1))])
    reg = np.full(len(w), l2)
    reg[-1] = 0.0
    for _ in range(iters):
        p = 1 / (1 + np.exp(-np.clip(xb @ w, -30, 30)))
        grad = xb.T @ (p - y) + reg * w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + np.diag(reg) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """ROC AUC by the rank-sum formula (ties share their mean rank)."""
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    k = 0
    while k < len(scores):
        m = k
        while m + 1 < len(scores) and sorted_scores[m + 1] == sorted_scores[k]:
            m += 1
        ranks[order[k : m + 1]] = (k + m) / 2 + 1
        k = m + 1
    pos = labels.sum()
    neg = len(labels) - pos
    return float((ranks[labels == 1].sum() - pos * (pos + 1) / 2) / (pos * neg)) if pos and neg else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", choices=("fast", "accurate"), default="accurate")
    parser.add_argument("--model-dir", type=Path, help="A technique model folder instead of a shipped model.")
    parser.add_argument("--data", type=Path, default=None, help="PTC folder (default: $UNSPUN_SHARED_DATA/ptc).")
    parser.add_argument("--split", choices=("dev", "val"), default="dev")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(REPO / "src"))
    from unspun.errors import ModelError
    from unspun.evaluation.ptc_scorer import merge_spans, score_si
    from unspun.runtime.models import load_technique_folder, load_techniques
    from unspun.datasets import ptc
    from unspun.datasets.ptc_split import split

    data = args.data or _shared_data() / "ptc"
    try:
        articles_dir, si_file, _ = ptc.locate(data)
    except FileNotFoundError as exc:
        print(f"no PTC data: {exc}", file=sys.stderr)
        return EX_NOINPUT
    try:
        model = load_technique_folder(args.model_dir)[0] if args.model_dir else load_techniques(args.model)[0]
    except ModelError as exc:
        print(str(exc), file=sys.stderr)
        return EX_CONFIG
    articles = ptc.load_articles(articles_dir)
    gold_spans = ptc.load_spans(si_file)
    ids = dict(zip(("train", "dev", "val"), split(sorted(articles))))[args.split]
    gold = [(i, s, e) for i in ids for s, e in gold_spans.get(i, [])]

    t0 = time.time()
    pieces = {i: list(model.encode_segments(articles[i])) for i in ids}
    print(f"encoded {len(ids)} {args.split} articles in {time.time() - t0:.0f} s", file=sys.stderr)

    shipped = [(i, s, e) for i in ids for _, off, st in pieces[i]
               for s, e, _, sc, *_ in model.detect_in_piece(articles[i], articles[i].lower(), off, st, model.min_score)]
    rows, x, y, groups = [], [], [], []
    for i in ids:
        text, lower = articles[i], articles[i].lower()
        merged_gold = merge_spans(gold_spans.get(i, []))
        for _, off, st in pieces[i]:
            probs = model.si_probs(st)
            found = model.candidate_spans(text, off, probs, model.token_threshold)
            if not found:
                continue
            x.append(features(model, text, lower, off, st, probs, found))
            for s, e, *_ in found:
                rows.append((i, s, e))
                y.append(coverage((s, e), merged_gold))
                groups.append(i)
    x, y = np.vstack(x), np.asarray(y)
    touches = (y > 0).astype(float)
    result: dict = {"model": str(args.model_dir or args.model), "split": args.split, "articles": len(ids)}
    result["shipped"] = score_si(shipped, gold).as_dict()
    result["candidates"] = {
        "token_threshold": model.token_threshold, "count": len(rows), "no_gold_share": float(1 - touches.mean()),
        "inside_gold_share_when_touching": float(y[y > 0].mean()),
        "all_f1": score_si(rows, gold).f1,
        "oracle_f1": score_si([r for r, t in zip(rows, touches) if t], gold).f1,
    }

    def best_threshold_f1(scores: np.ndarray) -> float:
        return max(score_si([r for r, s in zip(rows, scores) if s >= t], gold).f1
                   for t in np.quantile(scores, np.linspace(0, 0.98, 50)))

    variants = []
    for low in (0.2, 0.25, 0.3, 0.35, 0.4, 0.5):
        for high in (0.0, 0.4, 0.5, 0.6, 0.7):
            for gap in (0, 3, 10, 25):
                for agg in ("max", "mean"):
                    for smooth in (0, 1):
                        if (high and high < low) or (high == 0 and agg == "mean"):
                            continue
                        pred = [(i, s, e) for i in ids for _, off, st in pieces[i]
                                for s, e in decode(model, articles[i], off, model.si_probs(st), low, high, gap, agg, smooth)]
                        variants.append((score_si(pred, gold).f1, {"low": low, "high": high, "gap": gap, "agg": agg, "smooth": smooth}))
    variants.sort(key=lambda v: -v[0])
    result["decoding"] = {"variants": len(variants), "best_f1": variants[0][0], "best": variants[0][1]}

    article_ids = sorted(set(groups))
    fold_of = {a: k % 5 for k, a in enumerate(article_ids)}
    folds = np.array([fold_of[g] for g in groups])
    oof = np.zeros(len(rows))
    for k in range(5):
        train, test = folds != k, folds == k
        mu, sd = x[train].mean(axis=0), x[train].std(axis=0) + 1e-9
        w = logistic_fit((x[train] - mu) / sd, touches[train])
        xt = (x[test] - mu) / sd
        oof[test] = 1 / (1 + np.exp(-(np.hstack([xt, np.ones((len(xt), 1))]) @ w)))
    result["reranker"] = {
        "features": x.shape[1], "folds": 5,
        "auc_mean_token_score": auc(x[:, 0], touches), "auc_reranker": auc(oof, touches),
        "f1_mean_token_score": best_threshold_f1(x[:, 0]), "f1_reranker": best_threshold_f1(oof),
    }

    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    c, d, r = result["candidates"], result["decoding"], result["reranker"]
    print(f"SI on {args.split} ({len(ids)} articles), model {result['model']}")
    print(f"  shipped decoding          F1 {result['shipped']['f1']:.3f} (P {result['shipped']['precision']:.3f}, R {result['shipped']['recall']:.3f})")
    print(f"  candidates at {c['token_threshold']:.2f}         {c['count']} runs; {c['no_gold_share']:.0%} touch no gold span; "
          f"a touching run is {c['inside_gold_share_when_touching']:.0%} inside gold")
    print(f"  all candidates            F1 {c['all_f1']:.3f}")
    print(f"  oracle (false alarms out) F1 {c['oracle_f1']:.3f}")
    print(f"  best of {d['variants']} decodings    F1 {d['best_f1']:.3f} {d['best']}")
    print(f"  filter by mean score      AUC {r['auc_mean_token_score']:.3f}, best F1 {r['f1_mean_token_score']:.3f}")
    print(f"  learned reranker (5-fold) AUC {r['auc_reranker']:.3f}, best F1 {r['f1_reranker']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
