"""The check-worthiness model at run time: sentences → calibrated P(check-worthy).

A fine-tuned MiniLM encoder (int8 ONNX) gives token states; they are mean-pooled over the attention mask and a
linear head (`head.npz`, applied in numpy) gives a logit; Platt scaling (`calibration` in config.json, fitted on
the validation split) turns the logit into a probability. Training validates through this same class on the
exported file, so the reported scores are those of what ships. Loaded once per process by the registry
(`unspun.runtime.models.load_claims`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -40, 40)))


def mean_pool(states: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean of the token states where mask is 1 (how all-MiniLM-L6-v2 pools; training does the same in torch)."""
    m = mask[..., None].astype(states.dtype)
    return (states * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1.0)


class ClaimsModel:
    """Scores sentences for check-worthiness. `threshold` is the cut chosen on validation for the best F1."""

    def __init__(self, folder: str | Path, threads: int | None = None) -> None:
        from tokenizers import Tokenizer

        from unspun.runtime.encoder import onnx_session
        from unspun.runtime.threads import thread_count

        folder = Path(folder)
        self.folder = folder
        self.config: dict = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.onnx_path = folder / self.config.get("model_file", "model.onnx")
        # one thread per run: a sentence alone is too small a product to split (measured on 1,592 PTC sentences:
        # the same wall time on 1 or 2 threads, twice the CPU on 2). The cores are used by scoring several
        # sentences at once instead, each still alone in its run (`logits`).
        self.session = onnx_session(self.onnx_path, 1)
        self.workers = max(1, threads or thread_count())
        self.output = self.session.get_outputs()[0].name
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.max_length = int(self.config.get("max_length", 64))
        self.tokenizer.enable_truncation(max_length=self.max_length)
        self.tokenizer.no_padding()
        with np.load(folder / "head.npz") as z:
            self.w = z["w"].astype(np.float32)
            self.b = float(z["b"])
        a, b = self.config.get("calibration", (1.0, 0.0))
        self.calibration = (float(a), float(b))
        self.threshold = float(self.config.get("threshold", 0.5))

    def logits(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Raw head logits, one per text, each text run on its own.

        The int8 encoder quantises its activations with one scale per batch (onnxruntime's dynamic quantisation),
        so in a batch a sentence's score moved with its neighbours and their padding: by 0.1 logit on average
        and up to 1.1 for the same sentence in another article (1.3% of PTC sentences crossed the threshold).
        Alone, a sentence always gets the same score, in `analyze` as in `claims score`. An article's sentences,
        mixed in length, lose their padding and run no slower (1,592 PTC sentences: 4.1 s against 4.6 s batched)."""
        out = np.zeros(len(texts), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch(list(texts))
        if self.workers == 1 or len(encodings) == 1:
            for i, encoding in enumerate(encodings):
                out[i] = self._logit(encoding.ids)
                if progress is not None:
                    progress(1)
            return out
        # onnxruntime runs one session from several threads at once and releases the GIL while it runs; blocks of
        # sentences keep `progress` (the time limit) in this thread and bound the work left when it raises
        block = 16 * self.workers
        with ThreadPoolExecutor(self.workers) as pool:
            for b in range(0, len(encodings), block):
                ids = [e.ids for e in encodings[b : b + block]]
                for i, logit in enumerate(pool.map(self._logit, ids), start=b):
                    out[i] = logit
                    if progress is not None:
                        progress(1)
        return out

    def _logit(self, token_ids: list[int]) -> float:
        ids = np.asarray([token_ids], dtype=np.int64)
        mask = np.ones_like(ids)
        states = self.session.run([self.output], {"input_ids": ids, "attention_mask": mask})[0]
        return float(mean_pool(states, mask)[0] @ self.w + self.b)

    def calibrate(self, logits: np.ndarray) -> np.ndarray:
        a, b = self.calibration
        return _sigmoid(a * np.asarray(logits, dtype=np.float64) + b)

    def scores(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Calibrated P(check-worthy) for each text, in [0, 1]."""
        return self.calibrate(self.logits(texts, progress))
