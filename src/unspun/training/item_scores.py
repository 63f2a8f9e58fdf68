"""Fit the source and actor confidence model (`unspun.runtime.item_scores`) on unspun's own labelled articles.

    python -m unspun.training.item_scores [--gold tests/data/gold] [--write]

Each gold article (`NAME.txt` + `NAME.json`, see tests/data/gold/README.md: invented articles written and labelled
for unspun) is analysed with the shipped pipeline; a predicted source or actor is *real* when its name, or one of
its first mentions, matches a gold name on content words (the gold corpus's own rule). An L2-regularised logistic
regression is fitted per kind by Newton's method (a few dozen features at most, so numpy is enough). The figures
printed are leave-one-article-out: each article is scored by a model fitted on the others.

With `--write` the weights go to `models/attribution/item_scores.json`, with the data, the counts and the command.
Research data is not used, so the weights can ship.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from pathlib import Path

import numpy as np

from unspun.runtime import item_scores

_STOP = {"the", "a", "an", "of", "for", "its", "his", "her", "their", "our", "on", "by", "in", "at", "to", "and", "s"}
L2 = 1.0


def _words(name: str) -> set[str]:
    name = name.lower().replace("\u2019", "'").replace("'s ", " ").replace("'s", "")
    return {w for w in re.findall(r"[\w&-]+", name) if w not in _STOP}


def _same(predicted: str, gold: str) -> bool:
    p, g = _words(predicted), _words(gold)
    return bool(p) and bool(g) and (p <= g or g <= p)


def _gold_names(items: list[dict]) -> list[list[str]]:
    return [[n] if isinstance(n, str) else list(n) for n in (it["name"] for it in items)]


def rows(gold_dir: Path) -> dict[str, list[tuple[str, list[float], bool]]]:
    """(article, features, real) for every predicted source and actor of every gold article."""
    import unspun
    from unspun.stages.actors import roles

    os.environ["UNSPUN_UNSCORED_ITEMS"] = "1"  # the features may have changed since the stored weights
    item_scores.weights.cache_clear()

    out: dict[str, list[tuple[str, list[float], bool]]] = {"sources": [], "actors": []}
    for label_file in sorted(gold_dir.glob("*.json")):
        text = label_file.with_suffix(".txt").read_text(encoding="utf-8")
        gold = json.loads(label_file.read_text(encoding="utf-8"))
        doc = unspun.analyze_text(text)
        speaker_scores = {q.id: q.speaker_score for q in doc.quotes if q.speaker_score is not None}
        for kind, items in (("sources", doc.sources), ("actors", doc.actors)):
            golds = _gold_names(gold.get(kind, []))
            for item in items:
                cands = [item.name] + [m.text for m in item.mentions[:3]]
                real = any(_same(c, g) for names in golds for g in names for c in cands)
                if kind == "sources":
                    feats = item_scores.source_features(item, speaker_scores)
                else:
                    acts, place_only = roles(doc.text, [(m.start, m.end) for m in item.mentions])
                    feats = item_scores.actor_features(item, acts, place_only)
                out[kind].append((label_file.stem, feats, real))
    return out


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2) -> np.ndarray:
    """Logistic regression weights (the bias, feature 0, is not penalised)."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -40, 40)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-6)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def held_out(data: list[tuple[str, list[float], bool]]) -> dict[str, float]:
    """Leave-one-article-out: precision of all items against items scored >= UNSURE_BELOW, and the Brier score."""
    arts = sorted({a for a, _, _ in data})
    probs, ys = [], []
    for art in arts:
        train = [(f, r) for a, f, r in data if a != art]
        test = [(f, r) for a, f, r in data if a == art]
        w = fit(np.array([f for f, _ in train]), np.array([float(r) for _, r in train]))
        for f, r in test:
            probs.append(1.0 / (1.0 + np.exp(-float(np.dot(w, f)))))
            ys.append(float(r))
    p, y = np.array(probs), np.array(ys)
    kept = p >= item_scores.UNSURE_BELOW
    return {
        "items": int(len(y)), "real": int(y.sum()),
        "precision_all": round(float(y.mean()), 3),
        "precision_scored_sure": round(float(y[kept].mean()) if kept.any() else 0.0, 3),
        "share_sure": round(float(kept.mean()), 3),
        "brier": round(float(((p - y) ** 2).mean()), 4),
        "brier_constant": round(float(((y.mean() - y) ** 2).mean()), 4),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=Path(__file__).resolve().parents[3] / "tests" / "data" / "gold")
    ap.add_argument("--write", action="store_true", help="write models/attribution/item_scores.json")
    args = ap.parse_args(argv)
    data = rows(args.gold)
    table: dict[str, object] = {
        "about": "P(item is real) for sources and actors; see unspun.runtime.item_scores",
        "fitted_on": "tests/data/gold (unspun's own invented, hand-labelled articles)",
        "command": "python -m unspun.training.item_scores --write",
        "l2": L2,
    }
    for kind, names in item_scores.FEATURE_NAMES.items():
        x = np.array([f for _, f, _ in data[kind]])
        y = np.array([float(r) for _, _, r in data[kind]])
        w = fit(x, y)
        table[kind] = {"features": names, "weights": [round(float(v), 4) for v in w],
                       "leave_one_article_out": held_out(data[kind])}
        print(kind, json.dumps(table[kind]["leave_one_article_out"]))
    os.environ.pop("UNSPUN_UNSCORED_ITEMS", None)
    item_scores.weights.cache_clear()
    if args.write:
        item_scores.WEIGHTS_FILE.parent.mkdir(parents=True, exist_ok=True)
        item_scores.WEIGHTS_FILE.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {item_scores.WEIGHTS_FILE}")


if __name__ == "__main__":
    main()
