"""Soft targets from a teacher technique model: distil a large model into a small one, or self-train on unlabelled news.

The teacher is any shipped-format model folder (int8 ONNX, heads, config; an ensemble too), run through the run-time
code. Teacher and student need not share a tokenizer (MPNet's BPE against MiniLM's WordPiece): the teacher's token
probabilities are projected onto characters, and from characters onto the student's tokens.

- On a labelled article, the targets blend gold and teacher: `w * gold + (1 - w) * teacher`, for the tokens (SI)
  and for the technique of each gold span (TC).
- On an unlabelled text, the teacher's token probabilities are the SI targets, and each span it detects (calibrated
  span probability at least `min_span`) is a TC example whose target is the teacher's technique distribution.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path

import numpy as np

from unspun.runtime.technique_model import TechniqueModel, span_features, tokens_for


def load_teacher(folder: Path) -> TechniqueModel:
    """A technique model folder as shipped (`encoder.int8.onnx`, `heads.npz`, `config.json`, `tokenizer.json`)."""
    from unspun.runtime.models import load_technique_folder

    return load_technique_folder(Path(folder))[0]


def char_probs(teacher: TechniqueModel, text: str) -> tuple[np.ndarray, list]:
    """Per character, the teacher's probability that it lies inside a persuasive span (the max over the teacher's
    tokens covering it; 0 between tokens), and the encoded pieces for reuse."""
    probs = np.zeros(len(text), dtype=np.float32)
    pieces = list(teacher.encode_segments(text))
    for _, offsets, states in pieces:
        for (s, e), q in zip(offsets, teacher.si_probs(states)):
            if e > s:
                probs[s:e] = np.maximum(probs[s:e], q)
    return probs, pieces


def token_targets(probs: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Each student token's SI target: the mean of the character probabilities it covers."""
    out = np.zeros(len(offsets), dtype=np.float32)
    for k, (s, e) in enumerate(offsets):
        if e > s:
            out[k] = float(probs[s:e].mean())
    return out


def training_order(probs: np.ndarray, teacher: TechniqueModel) -> np.ndarray:
    """A teacher's technique distribution, which follows the teacher's own list (`teacher.techniques`, from its
    config), rearranged into the order the student is trained in (`unspun.training.technique_data.TECHNIQUES`)."""
    from unspun.training.technique_data import TECHNIQUES

    names = list(teacher.techniques)
    if names == list(TECHNIQUES):
        return probs
    unknown = sorted(set(names) - set(TECHNIQUES))
    if unknown:
        raise SystemExit(f"the teacher names techniques the student is not trained on: {', '.join(unknown)}")
    out = np.zeros(len(TECHNIQUES), dtype=probs.dtype)
    for k, name in enumerate(names):
        out[TECHNIQUES.index(name)] = probs[k]
    return out


def one_hot(k: int, n: int) -> np.ndarray:
    v = np.zeros(n, dtype=np.float32)
    v[k] = 1.0
    return v


def soften(article, teacher: TechniqueModel, weight: float):
    """A labelled training article with gold and teacher targets blended (`weight` on gold)."""
    probs, pieces = char_probs(teacher, article.text)
    article.si = (weight * article.si + (1 - weight) * token_targets(probs, article.offsets)).astype(np.float32)
    from unspun.training.technique_data import TECHNIQUES

    n = len(TECHNIQUES)  # gold labels are indices into the training list; the teacher's are rearranged to match
    spans = []
    for i, j, t, feats in article.spans:
        start, end = int(article.offsets[i, 0]), int(article.offsets[j, 1])
        taught = teacher.span_technique_probs(article.text, pieces, start, end)
        taught = training_order(taught, teacher).astype(np.float32)
        gold = one_hot(t, n) if np.isscalar(t) or np.ndim(t) == 0 else np.asarray(t, dtype=np.float32)
        spans.append((i, j, weight * gold + (1 - weight) * taught, feats))
    article.spans = spans
    return article


def pseudo_article(article_id: str, text: str, teacher: TechniqueModel, encoder, *, min_span: float = 0.5):
    """An unlabelled text, labelled by the teacher (soft targets throughout)."""
    from unspun.training.technique_data import Article

    ids, offsets = encoder.tokenize(text)
    probs, pieces = char_probs(teacher, text)
    lower = text.lower()
    spans = []
    seen: set[tuple[int, int]] = set()
    for _, t_offsets, states in pieces:
        for start, end, _tech, _score, p_span, _p, _raw in teacher.detect_in_piece(text, lower, t_offsets, states, floor=0.0):
            if (start, end) in seen or p_span < min_span:
                continue
            seen.add((start, end))
            toks = tokens_for(offsets, start, end)
            if toks is None:
                continue
            i, j = toks
            dist = training_order(teacher.span_technique_probs(text, pieces, start, end), teacher).astype(np.float32)
            spans.append((i, j, dist, span_features(lower, text[start:end], j - i + 1)))
    return Article(article_id, text, ids, offsets, token_targets(probs, offsets), spans)


def read_texts(folder: Path, limit: int | None = None) -> list[tuple[str, str]]:
    """(id, text) of the `.txt` files under `folder` (recursively), in name order; with a limit, evenly spaced over
    that order (file names often start with the outlet, so the first N would be one outlet's articles)."""
    files = sorted(Path(folder).rglob("*.txt"))
    if limit and limit < len(files):
        files = [files[k * len(files) // limit] for k in range(limit)]
    if not files:
        raise SystemExit(f"no .txt files under {folder}")
    return [(f"extra:{f.relative_to(folder)}", f.read_text(encoding="utf-8", errors="replace")) for f in files]


def cache_key(teacher: Path, tokenizer: Path, min_span: float) -> str:
    """What the labels depend on: the teacher's config (its tuned settings and training record) and heads, the
    student's tokenizer and the span threshold. Not the teacher's encoder file: it can be 400 MB, and a machine that
    trains from a complete cache need not have it."""
    h = hashlib.sha256()
    for name in ("config.json", "heads.npz"):
        f = Path(teacher) / name
        h.update(f.read_bytes() if f.is_file() else b"-")
    h.update(Path(tokenizer).read_bytes())
    h.update(repr(min_span).encode())
    return h.hexdigest()


def teacher_labelled(texts: list[tuple[str, str]], teacher: Path, encoder, *, tokenizer: Path, cache: Path | None = None,
                     min_span: float = 0.5, progress: Callable[[str], None] = print) -> list:
    """The teacher's soft labels for unlabelled texts, as training articles, reusing `cache` where it has them.

    Labelling is the slow part of a distillation run (about 2 s a text for the MPNet teacher on 2 cores) and
    reruns with another seed, layer count or machine need the same labels: the cache (a pickle: load only caches
    you made) holds them by text hash, is saved every 50 texts, and is discarded when the teacher, the student's
    tokenizer or `min_span` changed. The teacher model is loaded only when some text is missing from the cache, so
    a complete cache trains a student on a machine that does not have the teacher."""
    key = cache_key(teacher, tokenizer, min_span)
    stored: dict = {}
    if cache is not None and Path(cache).is_file():
        with open(cache, "rb") as fh:
            saved = pickle.load(fh)
        if saved.get("key") == key:
            stored = saved["articles"]
        else:
            progress(f"{cache}: made with another teacher, tokenizer or threshold; labelling again")

    def save() -> None:
        tmp = Path(cache).with_suffix(".tmp")
        with open(tmp, "wb") as fh:
            pickle.dump({"key": key, "articles": stored}, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache)

    digests = [hashlib.sha1(text.encode("utf-8")).hexdigest() for _, text in texts]
    missing = [k for k, d in enumerate(digests) if d not in stored]
    if missing:
        progress(f"teacher {teacher}: labelling {len(missing)} of {len(texts)} texts ({len(texts) - len(missing)} cached)")
        model = load_teacher(teacher)
        for n, k in enumerate(missing, 1):
            text_id, text = texts[k]
            stored[digests[k]] = pseudo_article(text_id, text, model, encoder, min_span=min_span)
            if n % 50 == 0 or n == len(missing):
                progress(f"teacher labelled {n}/{len(missing)} texts")
                if cache is not None:
                    save()
    else:
        progress(f"teacher labels for all {len(texts)} texts from {cache}")
    out = []
    for (text_id, _), d in zip(texts, digests):
        article = stored[d]
        article.id = text_id
        out.append(article)
    return out
