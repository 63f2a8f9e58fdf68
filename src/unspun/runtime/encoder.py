"""A windowed encoder: tokenise a whole text once, run the encoder over overlapping windows, stitch states.

`WindowedEncoder` takes any `run_batch(input_ids, attention_mask) -> states` function, so the ONNX runtime
and training's torch model share the tokenising, windowing and stitching code exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from unspun.runtime.threads import thread_count
from unspun.runtime.windows import owners, plan

RunBatch = Callable[[np.ndarray, np.ndarray], np.ndarray]


class WindowedEncoder:
    def __init__(self, tokenizer, run_batch: RunBatch, *, hidden: int, window: int, stride: int,
                 cls_id: int, sep_id: int, pad_id: int, batch_size: int = 8) -> None:
        tokenizer.no_truncation()
        tokenizer.no_padding()
        self.tokenizer = tokenizer
        self.run_batch = run_batch
        self.hidden = hidden
        self.window = window
        self.stride = stride
        self.cls_id, self.sep_id, self.pad_id = cls_id, sep_id, pad_id
        self.batch_size = batch_size

    def tokenize(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        enc = self.tokenizer.encode(text, add_special_tokens=False)
        ids = np.asarray(enc.ids, dtype=np.int64)
        offsets = np.asarray(enc.offsets, dtype=np.int64).reshape(-1, 2)
        return ids, offsets

    def window_batches(self, ids: np.ndarray):
        """Yield (window list, input_ids, attention_mask) batches with [CLS] … [SEP] around each window."""
        windows = plan(len(ids), self.window, self.stride)
        for b in range(0, len(windows), self.batch_size):
            chunk = windows[b : b + self.batch_size]
            width = max(e - s for s, e in chunk) + 2
            input_ids = np.full((len(chunk), width), self.pad_id, dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.int64)
            for r, (s, e) in enumerate(chunk):
                input_ids[r, 0] = self.cls_id
                input_ids[r, 1 : 1 + e - s] = ids[s:e]
                input_ids[r, 1 + e - s] = self.sep_id
                mask[r, : e - s + 2] = 1
            yield b, chunk, input_ids, mask

    def __call__(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(token char offsets [n, 2], token states [n, H]) for the whole text."""
        ids, offsets = self.tokenize(text)
        n = len(ids)
        states = np.zeros((n, self.hidden), dtype=np.float32)
        if n == 0:
            return offsets, states
        own = owners(n, plan(n, self.window, self.stride))
        for first, chunk, input_ids, mask in self.window_batches(ids):
            out = self.run_batch(input_ids, mask)
            for r, (s, e) in enumerate(chunk):
                idx = np.nonzero(own[s:e] == first + r)[0]
                states[s + idx] = out[r, 1 + idx]
        return offsets, states


def onnx_session(onnx_path: str | Path, threads: int | None = None):
    """A CPU onnxruntime session for a shipped model; threads default to `thread_count()`.

    The intra-op threads sleep between runs instead of spinning: onnxruntime's default keeps them busy-waiting after
    each run, and in the pipeline that spin competes with the stages that follow (spaCy, the one-thread claims
    scorer) for the same cores. Measured over 40 PTC articles (`benchmarks/pipeline.py`, alternating runs): 3.09
    and 3.22 articles/s with spinning, 3.54 and 3.53 without, at 11% less CPU; outputs are unchanged."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or thread_count()
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    return ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])


def onnx_encoder(model_dir: str | Path, config: dict, threads: int | None = None) -> tuple[WindowedEncoder, Path]:
    """Load a shipped encoder (int8 ONNX + tokenizer.json) from `model_dir`; returns it and the ONNX path."""
    from tokenizers import Tokenizer

    model_dir = Path(model_dir)
    onnx_path = model_dir / config.get("encoder_file", "encoder.int8.onnx")
    session = onnx_session(onnx_path, threads)
    output = session.get_outputs()[0].name

    def run_batch(input_ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return session.run([output], {"input_ids": input_ids, "attention_mask": mask})[0]

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    encoder = WindowedEncoder(
        tokenizer, run_batch, hidden=config["hidden"], window=config["window"], stride=config["stride"],
        cls_id=config["cls_id"], sep_id=config["sep_id"], pad_id=config["pad_id"],
        batch_size=config.get("batch_size", 8),
    )
    return encoder, onnx_path
