"""Encoder states of the SemEval-2023 articles, computed once with a shipped technique model and kept on disk.

Why: the SemEval-2023 heads are trained on the frozen states of the shipped encoder (the one `unspun analyze` runs),
so encoding is the only costly step, and every fold of the cross-validation and every head variant reuse it. The
cache lives under `build/` (git-ignored), one `.npz` per article, keyed by the model's hash and the text's hash, so
a changed model or text is never read stale. States are stored in float16 (half the disk); heads train in float32.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import numpy as np

from unspun.runtime.technique_model import TechniqueModel


def _text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def encode_article(model: TechniqueModel, text: str) -> tuple[np.ndarray, list[np.ndarray]]:
    """(token offsets [n, 2], [states [n, H] per member]) over the whole text, exactly as the run time encodes it."""
    offsets, states = [], None
    for _, off, sts in model.encode_segments(text):
        offsets.append(off.reshape(-1, 2))
        states = [s.reshape(len(off), -1) for s in sts] if states is None else [
            np.concatenate([a, s.reshape(len(off), -1)]) for a, s in zip(states, sts)]
    if states is None:  # an empty text
        hidden = model.config.get("hidden", 0)
        return np.zeros((0, 2), dtype=np.int64), [np.zeros((0, hidden), np.float32) for _ in model.members]
    return np.concatenate(offsets), states


def cached_states(model: TechniqueModel, model_sha: str, articles: dict[str, str], cache_dir: Path,
                  progress: Callable[[str], None] | None = None) -> dict[str, tuple[np.ndarray, list[np.ndarray]]]:
    """`{article_id: (offsets, [float32 states per member])}`, encoding only what the cache lacks."""
    folder = Path(cache_dir) / model_sha[:16]
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    todo = 0
    for k, (article_id, text) in enumerate(articles.items()):
        path = folder / f"{article_id}-{_text_key(text)}.npz"
        if path.exists():
            with np.load(path) as z:
                n = int(z["members"])
                out[article_id] = (z["offsets"].astype(np.int64), [z[f"s{m}"].astype(np.float32) for m in range(n)])
            continue
        offsets, states = encode_article(model, text)
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, offsets=offsets.astype(np.int32), members=np.int32(len(states)),
                 **{f"s{m}": s.astype(np.float16) for m, s in enumerate(states)})
        tmp.replace(path)
        out[article_id] = (offsets.astype(np.int64), [s.astype(np.float32) for s in states])
        todo += 1
        if progress is not None and todo % 25 == 0:
            progress(f"encoded {todo} articles ({k + 1}/{len(articles)})")
    return out


__all__ = ["cached_states", "encode_article"]
