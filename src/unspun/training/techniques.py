"""Training the technique model (needs the `[train]` extra: torch, transformers, onnx).

Recipe, chosen from the measured lessons in the project notes:
- one encoder, two heads: a token head for span identification (SI) and a span head for the technique (TC),
  trained jointly on 256-token windows whose offsets shift every epoch (augmentation at no extra cost);
- class-weighted TC loss (rare techniques count more), document features for Repetition;
- the encoder is exported to ONNX, quantised to int8, and **all tuning and validation run on that int8 model**
  through the run-time code (`unspun.runtime`), so the figures describe exactly what ships;
- articles are split by article: train / dev (tuning: thresholds, temperature, calibration) / val (reported only).
"""

from __future__ import annotations

import json
import math
import os
import random
import shutil
import time
from pathlib import Path

import numpy as np

from unspun.datasets import ptc
from unspun.datasets.ptc_split import split
from unspun.evaluation.ptc_scorer import merge_spans, score_full, score_si, score_tc
from unspun.runtime.encoder import WindowedEncoder, onnx_encoder
from unspun.runtime.technique_model import (
    N_FEATURES,
    Heads,
    TechniqueModel,
    distinct_labels,
    softmax,
)
from unspun.taxonomy import NAMES
from unspun.training.common import ENCODERS, encoder_dir, fit_platt, fit_temperature, log
from unspun.training.optim import make_optimizer
from unspun.training.optim import step as optim_step
from unspun.training.technique_data import TECHNIQUES, Article, epoch_windows, prepare


# --- the torch model -----------------------------------------------------------------------------------------
def build_model(base: Path, hidden: int, n_tech: int, layers: int | None = None):
    import torch
    from torch import nn
    from transformers import AutoModel

    class TechniqueNet(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            extra = {"num_hidden_layers": layers} if layers else {}  # keep only the first N layers: faster
            self.encoder = AutoModel.from_pretrained(str(base), dtype=torch.float32, attention_probs_dropout_prob=0.0, **extra)
            self.dropout = nn.Dropout(0.1)
            self.si = nn.Linear(hidden, 1)
            self.tc = nn.Linear(3 * hidden + N_FEATURES, n_tech)

        def states(self, input_ids, mask):
            return self.encoder(input_ids=input_ids, attention_mask=mask).last_hidden_state

    torch.manual_seed(0)
    return TechniqueNet()


def class_mass(articles: list[Article], n: int) -> np.ndarray:
    """How much training signal each technique gets: gold spans count 1, a soft (teacher) target its probabilities."""
    mass = np.zeros(n, dtype=np.float64)
    for a in articles:
        for _, _, t, _ in a.spans:
            if np.ndim(t) == 0:
                mass[int(t)] += 1.0
            else:
                mass += np.asarray(t, dtype=np.float64)
    return mass


def tc_targets(labels: list, n: int):
    """Class indices when every target is a gold label; otherwise probability rows (gold ones one-hot)."""
    import torch

    if all(np.ndim(t) == 0 for t in labels):
        return torch.tensor([int(t) for t in labels])
    rows = np.zeros((len(labels), n), dtype=np.float32)
    for r, t in enumerate(labels):
        if np.ndim(t) == 0:
            rows[r, int(t)] = 1.0
        else:
            rows[r] = t
    return torch.from_numpy(rows)


CHECKPOINT_EVERY_S = 600.0  # a long CPU run loses at most this much work when it is stopped


def save_checkpoint(path: Path, state: dict) -> None:
    """Write the training state atomically: a run stopped mid-write keeps the previous checkpoint."""
    import torch

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def train(articles: list[Article], *, base: Path, hidden: int, epochs: int, lr: float, batch: int, window: int,
          seed: int, cls_id: int, sep_id: int, pad_id: int, layers: int | None = None,
          checkpoint: Path | None = None, device: str = "cpu"):
    """Fine-tune encoder + heads on `device` ("cpu", or "cuda" where torch sees a GPU); the model comes back on the
    CPU, ready to export. With `checkpoint`, the state is saved every CHECKPOINT_EVERY_S and at each epoch's
    end, and a run started again with the same arguments resumes where it stopped, on the same batches: an MPNet
    run takes several hours on 2 CPU cores, longer than one sitting."""
    import torch
    from torch import nn

    if device != "cpu" and not (device.startswith("cuda") and torch.cuda.is_available()):
        raise SystemExit(f"--device {device}: torch sees no such device here (torch {torch.__version__})")
    cuda = device.startswith("cuda")
    if cuda:
        torch.backends.cuda.matmul.allow_tf32 = True  # as the shipped students were trained (an H200, TF32)
    torch.manual_seed(seed)
    torch.set_num_threads(int(os.environ.get("UNSPUN_TRAIN_THREADS", 0)) or max(1, os.cpu_count() or 1))
    model = build_model(base, hidden, len(TECHNIQUES), layers).to(device)
    model.train()
    counts = class_mass(articles, len(TECHNIQUES))
    weights = (counts.sum() / np.maximum(counts, 1)) ** 0.5
    weights = torch.tensor(weights / weights.mean(), dtype=torch.float32, device=device)
    tc_loss = nn.CrossEntropyLoss(weight=weights, label_smoothing=0.05)
    bce = nn.BCEWithLogitsLoss(reduction="none")
    head_params = list(model.si.parameters()) + list(model.tc.parameters())
    rng = random.Random(seed)
    steps_per_epoch = math.ceil(len(epoch_windows(articles, window, random.Random(0))) / batch)
    total = steps_per_epoch * epochs
    optim, sched = make_optimizer(model.encoder.parameters(), head_params, lr, total)
    step, first_epoch, first_batch = 0, 0, 0
    signature = (len(articles), epochs, lr, batch, window, seed, layers)  # a checkpoint resumes only its own run
    if checkpoint is not None and checkpoint.exists():
        state = torch.load(checkpoint, weights_only=False, map_location=device)
        if state["signature"] != signature:
            raise SystemExit(f"{checkpoint} belongs to a run with other settings; delete it or use another --out")
        model.load_state_dict(state["model"])
        optim.load_state_dict(state["optim"])
        sched.load_state_dict(state["sched"])
        torch.set_rng_state(state["torch_rng"])
        if cuda and state.get("cuda_rng") is not None:
            torch.cuda.set_rng_state(state["cuda_rng"])
        rng.setstate(state["epoch_rng"])
        step, first_epoch, first_batch = state["step"], state["epoch"], state["batch"]
        log(f"resumed from {checkpoint}: epoch {first_epoch + 1}, step {step}/{total}")

    def snapshot(epoch: int, next_batch: int, epoch_rng) -> None:
        save_checkpoint(checkpoint, {
            "signature": signature,
            "model": model.state_dict(), "optim": optim.state_dict(), "sched": sched.state_dict(),
            "torch_rng": torch.get_rng_state(), "cuda_rng": torch.cuda.get_rng_state() if cuda else None,
            "epoch_rng": epoch_rng,
            "step": step, "epoch": epoch, "batch": next_batch,
        })
        log(f"checkpoint: epoch {epoch + 1}, step {step}/{total} -> {checkpoint}")

    last_save = time.time()
    for epoch in range(first_epoch, epochs):
        epoch_rng = rng.getstate()  # the epoch's batches are rebuilt from this state on resume
        wins = epoch_windows(articles, window, rng)
        t0, running = time.time(), 0.0
        start_batch = first_batch if epoch == first_epoch else 0
        for b in range(start_batch, len(wins), batch):
            chunk = wins[b : b + batch]
            width = max(e - s for _, s, e, _ in chunk) + 2
            ids = torch.full((len(chunk), width), pad_id, dtype=torch.long)
            mask = torch.zeros((len(chunk), width), dtype=torch.long)
            si_y = torch.zeros((len(chunk), width))
            si_m = torch.zeros((len(chunk), width))
            for r, (a, s, e, _) in enumerate(chunk):
                ids[r, 0] = cls_id
                ids[r, 1 : 1 + e - s] = torch.from_numpy(a.ids[s:e])
                ids[r, 1 + e - s] = sep_id
                mask[r, : e - s + 2] = 1
                si_y[r, 1 : 1 + e - s] = torch.from_numpy(a.si[s:e])
                si_m[r, 1 : 1 + e - s] = 1
            ids, mask, si_y, si_m = ids.to(device), mask.to(device), si_y.to(device), si_m.to(device)
            # fp32 on purpose: CPU bf16 autocast measured 20x slower than fp32 on these cores (no native bf16).
            states = model.dropout(model.states(ids, mask))
            si_logits = model.si(states).squeeze(-1)
            loss = (bce(si_logits, si_y) * si_m).sum() / si_m.sum()
            pooled, feats, labels = [], [], []
            for r, (_, _, _, inside) in enumerate(chunk):
                for i, j, t, f in inside:
                    part = states[r, 1 + i : 2 + j]
                    pooled.append(torch.cat([part.mean(0), states[r, 1 + i], states[r, 1 + j]]))
                    feats.append(f)
                    labels.append(t)
            if pooled:  # the span features go to the device once per batch, not once per span
                spans = torch.cat([torch.stack(pooled), torch.from_numpy(np.stack(feats)).to(device)], dim=1)
                loss = loss + tc_loss(model.tc(spans), tc_targets(labels, len(TECHNIQUES)).to(device))
            running += optim_step(model, optim, sched, loss)
            step += 1
            if step % 20 == 0:
                done = (b - start_batch) // batch + 1
                log(f"epoch {epoch + 1}/{epochs} step {step}/{total} loss {running / 20:.4f} ({(time.time() - t0) / done:.2f}s/step)")
                running = 0.0
            if checkpoint is not None and time.time() - last_save > CHECKPOINT_EVERY_S:
                snapshot(epoch, b + batch, epoch_rng)
                last_save = time.time()
        log(f"epoch {epoch + 1} done in {time.time() - t0:.0f}s")
        if checkpoint is not None:
            snapshot(epoch + 1, 0, rng.getstate())
            last_save = time.time()
    model.eval()
    return model.cpu()


# --- export ----------------------------------------------------------------------------------------------------
def export(model, out: Path, base: Path, hidden: int) -> dict:
    """Write the encoder (int8 ONNX, or fp32 when int8 would change it too much), tokenizer.json and heads.npz."""
    from unspun.training.onnx_export import export_encoder

    onnx_path = export_encoder(model.encoder, out, base, fallback_fp32=True)  # an MPNet teacher stays fp32
    heads = Heads(
        si_w=model.si.weight.detach().numpy()[0].astype(np.float32),
        si_b=float(model.si.bias.detach().numpy()[0]),
        tc_w=model.tc.weight.detach().numpy().T.astype(np.float32).copy(),
        tc_b=model.tc.bias.detach().numpy().astype(np.float32),
    )
    heads.save(out / "heads.npz")
    return {"hidden": hidden, "encoder_file": onnx_path.name}


# --- tuning and validation on the exported model ----------------------------------------------------------------
def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a < e and s < b for a, b in spans)


def _gold_si(ids, si) -> list[tuple[str, int, int]]:
    return [(i, s, e) for i in ids for s, e in si.get(i, [])]


def _gold_tc(ids, tc) -> list[tuple[str, str, int, int]]:
    return [(i, t, s, e) for i in ids for t, s, e in tc.get(i, [])]


def _detections(model: TechniqueModel, cache: dict, ids, floor: float = 0.02):
    """Detections per article, computed from cached encoder output: (start, end, technique, score, raw)."""
    out = {}
    for i in ids:
        text, pieces = cache[i]
        lower = text.lower()
        out[i] = [(s, e, t, sc, raw) for _, offsets, states in pieces
                  for s, e, t, sc, _, _, raw in model.detect_in_piece(text, lower, offsets, states, floor)]
    return out


def _score_detections(dets: dict, min_score: float, gold_si, gold_tc):
    pred_full = [(i, t, s, e) for i, ds in dets.items() for s, e, t, sc, _ in ds if sc >= min_score]
    pred_si = [(i, s, e) for i, t, s, e in pred_full]
    return score_si(pred_si, gold_si), score_full(pred_full, gold_tc)


def classify_gold(model: TechniqueModel, cache: dict, rows: list[tuple[str, str, int, int]]) -> list[tuple[str, str, int, int]]:
    """TC on gold spans; repeated spans get distinct techniques, best first (as `ptc classify` does)."""
    def ranked(key):
        i, s, e = key
        text, pieces = cache[i]
        return [model.techniques[k] for k in np.argsort(-model.span_technique_probs(text, pieces, s, e))]

    keys = [(i, s, e) for i, _, s, e in rows]
    return [(i, label, s, e) for (i, s, e), label in zip(keys, distinct_labels(keys, ranked))]


def _gold_logits(model: TechniqueModel, cache: dict, gold_rows) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Technique logits [spans, members, techniques] of gold spans, their labels, and their Repetition cue."""
    logits, labels, repeated = [], [], []
    for i, t, s, e in gold_rows:
        text, pieces = cache[i]
        span_logits, cue = model.span_technique_logits(text, pieces, s, e)
        if span_logits is not None:
            logits.append(span_logits)
            labels.append(model.techniques.index(t))
            repeated.append(cue[0])  # the earlier-occurrence flag (`repetition_cue`)
    return np.stack(logits), np.array(labels), np.array(repeated, dtype=np.float32)


def _evaluate(model, cache, ids, si, tc) -> dict:
    """SI, TC and full-task scores of the model on the articles `ids`, with its current decisions."""
    dets = _detections(model, cache, ids)
    s_si, s_full = _score_detections(dets, model.min_score, _gold_si(ids, si), _gold_tc(ids, tc))
    gold_rows = _gold_tc(ids, tc)
    s_tc = score_tc(classify_gold(model, cache, gold_rows), gold_rows)
    return {"si": s_si.as_dict(), "tc": s_tc.as_dict(), "full": s_full.as_dict()}


def training_log_prior(tc: dict, exclude: set[str], techniques=TECHNIQUES) -> list[float]:
    """log of each technique's share of the gold spans of the training articles (all but `exclude`), in the order
    of `techniques` (the model's list: the prior is added to its logits)."""
    techniques = list(techniques)
    counts = np.ones(len(techniques))  # add-one: no technique gets log 0
    for article_id, rows in tc.items():
        if article_id not in exclude:
            for t, _, _ in rows:
                counts[techniques.index(t)] += 1
    return [round(float(x), 4) for x in np.log(counts / counts.sum())]


def _fit_decision(model: TechniqueModel, logits: np.ndarray, labels: np.ndarray, repeated: np.ndarray) -> tuple[float, float]:
    """(prior_weight, repeat_bonus) with the best technique accuracy (= TC micro-F1) on gold dev spans; ties go to
    the smaller values."""
    best = None
    for weight in (0.0, 0.25, 0.5, 0.75, 1.0):
        for bonus in (0.0, 0.5, 1.0, 1.5, 2.0, 3.0):
            model.prior_weight, model.repeat_bonus = weight, bonus
            probs = softmax(model.adjusted(logits, repeated)).mean(axis=1)
            acc = float((probs.argmax(axis=1) == labels).mean())
            if best is None or acc > best[0] + 1e-9:
                best = (acc, weight, bonus)
    return best[1], best[2]


def tune_and_validate(model: TechniqueModel, articles: dict, si: dict, tc: dict, dev: list[str], val: list[str]) -> dict:
    """Choose every decision on dev + val together (`unspun.training.technique_decisions.tune`), and report what
    that is worth out of fold (the choosing cross-validated by article, 5 folds) beside the dev and val scores of
    the final choice (those are in-sample now: the out-of-fold figures are the honest ones)."""
    from unspun.training import technique_decisions as td

    t0 = time.time()
    cache = {i: (articles[i], list(model.encode_segments(articles[i]))) for i in dev + val}
    log(f"encoded {len(dev) + len(val)} dev+val articles with the exported model in {time.time() - t0:.0f}s")
    model.log_prior = np.asarray(training_log_prior(tc, set(dev) | set(val), model.techniques), dtype=np.float32)
    cv = td.cross_validate(model, cache, sorted(dev + val), si, tc)
    cv["final"].set_on(model)

    result = {"dev": _evaluate(model, cache, dev, si, tc), "val": _evaluate(model, cache, val, si, tc),
              "cross_validated": cv["figures"]}
    log(f"cross-validated over dev + val: {json.dumps(cv['figures']['out_of_fold'])}")
    return result


def tune_on_dev_only(model: TechniqueModel, articles: dict, si: dict, tc: dict, dev: list[str], val: list[str]) -> dict:
    """The former tuning, kept for comparison: every decision chosen on the 37 dev articles alone."""
    t0 = time.time()
    cache = {i: (articles[i], list(model.encode_segments(articles[i]))) for i in dev + val}
    log(f"encoded {len(dev) + len(val)} dev+val articles with the exported model in {time.time() - t0:.0f}s")
    gold_si_dev, gold_tc_dev = _gold_si(dev, si), _gold_tc(dev, tc)

    # 1. the technique decision, on gold dev spans: temperature (NLL), then class prior and Repetition cue (accuracy)
    logits, labels, repeated = _gold_logits(model, cache, gold_tc_dev)
    model.temperature = fit_temperature(logits, labels)
    model.log_prior = np.asarray(training_log_prior(tc, set(dev) | set(val), model.techniques), dtype=np.float32)
    model.prior_weight, model.repeat_bonus = _fit_decision(model, logits, labels, repeated)

    # 2. token threshold, span calibration and min score, jointly, for the best SI F1 on dev
    best = None
    merged_gold = {i: merge_spans(si.get(i, [])) for i in dev}
    for thr in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5):
        model.token_threshold = thr
        model.span_calibration = (1.0, 0.0)
        model.second_label = 1.01
        raw = _detections(model, cache, dev, floor=0.0)
        xs = np.array([r for ds in raw.values() for *_, r in ds])
        ys = np.array([float(_overlaps(merged_gold[i], s, e)) for i, ds in raw.items() for s, e, *_ in ds])
        if len(xs) < 5:
            continue
        model.span_calibration = fit_platt(xs, ys)
        dets = _detections(model, cache, dev)
        for min_score in np.arange(0.05, 0.61, 0.025):
            s_si, s_full = _score_detections(dets, float(min_score), gold_si_dev, gold_tc_dev)
            key = (s_si.f1, s_full.f1)
            if best is None or key > best[0]:
                best = (key, thr, model.span_calibration, round(float(min_score), 3))
    (_, model.token_threshold, model.span_calibration, model.min_score) = best

    # 3. a second technique for the same span, when the technique head is unsure, for the full task
    best_second = None
    for second in (0.2, 0.3, 0.4, 0.5, 1.01):
        model.second_label = second
        dets = _detections(model, cache, dev)
        _, s_full = _score_detections(dets, model.min_score, gold_si_dev, gold_tc_dev)
        if best_second is None or s_full.f1 > best_second[0]:
            best_second = (s_full.f1, second)
    model.second_label = best_second[1]

    result = {"dev": _evaluate(model, cache, dev, si, tc), "val": _evaluate(model, cache, val, si, tc)}
    log(f"tuned on dev: {json.dumps(result['dev'])}")
    log(f"validation: {json.dumps(result['val'])}")
    return result


def tuned_settings(model: TechniqueModel) -> dict:
    return {
        "token_threshold": model.token_threshold,
        "span_calibration": list(model.span_calibration),
        "temperature": model.temperature,
        "min_score": model.min_score,
        "second_label_prob": model.second_label,
        "prior_weight": model.prior_weight,
        "log_prior": [round(float(x), 4) for x in model.log_prior],
        "repeat_bonus": model.repeat_bonus,
        "repeat_bonus_later": model.repeat_bonus_later,
        # what the decisions were tuned under (off unless a gate was chosen: `benchmarks/technique_decisions.py`)
        "document_gate": {"share": model.gate_share, "threshold": model.gate_threshold, "weight": model.gate_weight},
    }


def _tune_on_split(model: TechniqueModel, data: Path) -> dict:
    """tune_and_validate on unspun's fixed dev and validation articles of the PTC folder `data`."""
    articles_dir, si_file, tc_file = ptc.locate(data)
    articles = ptc.load_articles(articles_dir)
    _, dev, val = split(sorted(articles))
    return tune_and_validate(model, articles, ptc.load_spans(si_file), ptc.load_techniques(tc_file), dev, val)


def ensemble(data: Path, members: list[Path], out: Path) -> dict:
    """Combine trained members (same tokenizer, same split) into one model; tune on dev, validate."""
    configs = [json.loads((m / "config.json").read_text()) for m in members]
    tokenizers = {(m / "tokenizer.json").read_bytes() for m in members}
    if len(tokenizers) != 1:
        raise SystemExit("ensemble members must share one tokenizer")
    if len({tuple(c.get("techniques", NAMES)) for c in configs}) != 1:
        raise SystemExit("ensemble members must share one technique list (config.json \"techniques\")")
    out.mkdir(parents=True, exist_ok=True)
    names = []
    for k, m in enumerate(members):
        target = out / f"m{k}"
        target.mkdir(exist_ok=True)
        for f in ("encoder.int8.onnx", "heads.npz", "tokenizer.json"):
            shutil.copy(m / f, target / f)
        names.append(target.name)
    base = {key: configs[0][key] for key in ("hidden", "window", "stride", "batch_size", "cls_id", "sep_id", "pad_id", "techniques", "encoder_file")}
    encoders = [onnx_encoder(out / n, base)[0] for n in names]
    heads = [Heads.load(out / n / "heads.npz") for n in names]
    tm = TechniqueModel(encoders[0], heads[0], base, more=list(zip(encoders[1:], heads[1:])))
    scores = _tune_on_split(tm, data)
    config = dict(base)
    config.update(tuned_settings(tm))
    config.update({
        "name": f"unspun-techniques-ensemble{len(members)}",
        "version": time.strftime("%Y.%m.%d"),
        "encoder": f"ensemble of {len(members)}: " + "; ".join(c["encoder"] + f" seed {c['training']['seed']}" for c in configs),
        "members": names,
        "member_training": [c["training"] for c in configs],
        "training": {"command": f"unspun train ensemble --data {data} --out {out} " + " ".join(f"--member {m}" for m in members)},
        "scores": scores,
    })
    shutil.copy(members[0] / "tokenizer.json", out / "tokenizer.json")
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    return config


def retune(data: Path, folder: Path) -> dict:
    """Tune an already trained model folder again on dev (after the tuning itself changed) and validate it; the
    trained weights are untouched, so this equals what a fresh training run's tuning step gives."""
    from unspun.runtime.models import load_technique_folder

    model = load_technique_folder(folder)[0]
    scores = _tune_on_split(model, data)
    config = json.loads((folder / "config.json").read_text())
    config.update(tuned_settings(model))
    config["scores"] = scores
    config.setdefault("training", {})["retune"] = f"unspun train tune --data {data} --model {folder}"
    (folder / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    return config


# --- the whole run ------------------------------------------------------------------------------------------
def run(data: Path, out: Path, *, seed: int = 13, encoder: str = "minilm", epochs: int | None = None,
        lr: float | None = None, batch: int | None = None, window: int = 256, stride: int = 192,
        limit: int | None = None, name: str | None = None, layers: int | None = None,
        teacher: Path | None = None, extra: Path | None = None, teacher_weight: float = 0.5,
        extra_limit: int | None = None, teacher_cache: Path | None = None, device: str = "cpu") -> dict:
    from tokenizers import Tokenizer

    spec = ENCODERS[encoder]
    epochs = epochs or spec["epochs"]
    lr = lr or spec["lr"]
    batch = batch or spec["batch"]
    base = encoder_dir(encoder)
    articles_dir, si_file, tc_file = ptc.locate(data)
    articles = ptc.load_articles(articles_dir)
    si = ptc.load_spans(si_file)
    tc = ptc.load_techniques(tc_file)
    ids = sorted(articles)
    if limit:
        ids = ids[:limit]
    train_ids, dev, val = split(ids)
    log(f"{len(train_ids)} train, {len(dev)} dev (tuning), {len(val)} validation articles; encoder {encoder}")

    tok = Tokenizer.from_file(str(base / "tokenizer.json"))
    cfg_base = json.loads((base / "config.json").read_text())
    cls_id = tok.token_to_id("[CLS]") if tok.token_to_id("[CLS]") is not None else tok.token_to_id("<s>")
    sep_id = tok.token_to_id("[SEP]") if tok.token_to_id("[SEP]") is not None else tok.token_to_id("</s>")
    pad_id = cfg_base.get("pad_token_id", 0) or 0
    windowed = WindowedEncoder(tok, None, hidden=spec["hidden"], window=window, stride=stride,
                               cls_id=cls_id, sep_id=sep_id, pad_id=pad_id)
    prepared = [prepare(i, articles[i], si.get(i, []), tc.get(i, []), windowed) for i in train_ids]
    n_extra = 0
    if teacher is not None:
        from unspun.training.distil import load_teacher, read_texts, soften, teacher_labelled

        if teacher_weight < 1.0:  # at 1.0 the labelled articles keep their gold targets: the teacher only labels --extra
            log(f"teacher {teacher}: blending its targets into {len(prepared)} training articles (weight on gold {teacher_weight})")
            taught = load_teacher(teacher)
            prepared = [soften(a, taught, teacher_weight) for a in prepared]
        if extra is not None:
            texts = read_texts(extra, extra_limit)
            prepared += teacher_labelled(texts, teacher, windowed, tokenizer=base / "tokenizer.json",
                                         cache=teacher_cache, progress=log)
            n_extra = len(texts)
    elif extra is not None:
        raise SystemExit("--extra needs --teacher: unlabelled texts are labelled by a teacher model")

    t0 = time.time()
    model = train(prepared, base=base, hidden=spec["hidden"], epochs=epochs, lr=lr, batch=batch, window=window,
                  seed=seed, cls_id=cls_id, sep_id=sep_id, pad_id=pad_id, layers=layers,
                  checkpoint=out / "checkpoint.pt", device=device)
    train_seconds = time.time() - t0
    exported = export(model, out, base, spec["hidden"])
    (out / "checkpoint.pt").unlink(missing_ok=True)  # over 1 GB for MPNet; the exported model replaces it
    config = {
        "name": name or f"unspun-techniques-{encoder}",
        "version": time.strftime("%Y.%m.%d"),
        "encoder": spec["label"] + (f", first {layers} layers" if layers else ""),
        "encoder_file": exported["encoder_file"],
        "hidden": spec["hidden"],
        "window": window,
        "stride": stride,
        "batch_size": 8,
        "cls_id": cls_id,
        "sep_id": sep_id,
        "pad_id": pad_id,
        "techniques": list(TECHNIQUES),
    }
    encoder_rt, _ = onnx_encoder(out, config)
    tm = TechniqueModel(encoder_rt, Heads.load(out / "heads.npz"), config)
    scores = tune_and_validate(tm, articles, si, tc, dev, val)
    config.update(tuned_settings(tm))
    config.update({
        "training": {
            "seed": seed, "epochs": epochs, "lr": lr, "batch": batch, "window": window, "layers": layers,
            "teacher": str(teacher) if teacher else None, "teacher_weight": teacher_weight if teacher else None,
            "extra_texts": n_extra,
            "split": {"train": len(train_ids), "dev": len(dev), "val": len(val), "method": "by article, seeded"},
            "train_seconds": round(train_seconds),
            "command": f"unspun train techniques --data {data} --out {out} --seed {seed} --encoder {encoder}"
                       + (f" --epochs {epochs}" if epochs != spec["epochs"] else "")
                       + (f" --layers {layers}" if layers else "")
                       + (f" --stride {stride}" if stride != 192 else "")
                       + (f" --lr {lr}" if lr != spec["lr"] else "")
                       + (f" --teacher {teacher} --teacher-weight {teacher_weight}" if teacher else "")
                       + (f" --extra {extra}" if extra else "") + (f" --extra-limit {extra_limit}" if extra_limit else "")
                       + (f" --teacher-cache {teacher_cache}" if teacher_cache and extra else "")
                       + (f" --device {device}" if device != "cpu" else ""),
            "device": device,
        },
        "scores": scores,
    })
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    return config
