"""The technique stage: persuasion-technique spans with scores, definitions and evidence, under the Document's
taxonomy: PTC's 14 techniques (`ptc14`, the default) or SemEval-2023's 23 (`semeval23`).

Models ship inside the package (`unspun/models/<fast|accurate>/`): an int8 ONNX encoder, its tokenizer, the
heads and a config with the thresholds chosen on validation. The 23-technique heads sit in `semeval23/` inside the
same folder and read the same encoder's states (`unspun.runtime.semeval23_model`); they load only when a document
asks for that taxonomy. Everything loads once per process.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from unspun import evidence
from unspun.document import Document, Technique
from unspun.errors import ModelError
from unspun.runtime.model_files import MODELS_DIR
from unspun.runtime.model_files import RESTORE as _RESTORE
from unspun.runtime.model_files import sha256 as _sha256
from unspun.runtime.technique_model import Heads, TechniqueModel, distinct_labels
from unspun.taxonomy import SEMEVAL23, by_name, relation, to_ptc14

SEMEVAL23_DIR = "semeval23"  # the 23-technique heads, inside a shipped model's folder


def model_dir(name: str) -> Path:
    return MODELS_DIR / name


@lru_cache(maxsize=2)
def load(name: str) -> tuple[TechniqueModel, dict]:
    """The named model and its `models` entry ({name, version, sha256}); raises ModelError naming the bad file."""
    return load_folder(model_dir(name), name)


def load_folder(folder: Path, name: str | None = None) -> tuple[TechniqueModel, dict]:
    """A technique model from any folder in the shipped layout (training uses it to load a teacher)."""
    from unspun.runtime.encoder import onnx_encoder

    name = name or folder.name
    if not (folder / "config.json").is_file():
        raise ModelError(f"technique model {name!r}: {folder / 'config.json'} is missing; {_RESTORE}")
    current = folder / "config.json"  # the file being read, so a corrupt-file error can name it
    try:
        config = json.loads(current.read_text(encoding="utf-8"))
        # an ensemble lists its members as folders relative to its own (a member may be another shipped model)
        parts = [(folder / m).resolve() for m in config.get("members", [])] or [folder]
        members, hashes = [], []
        for part in parts:
            for f in (config.get("encoder_file", "encoder.int8.onnx"), "heads.npz", "tokenizer.json"):
                if not (part / f).is_file():
                    raise ModelError(f"technique model {name!r}: {part / f} is missing; {_RESTORE}")
            current = part / config.get("encoder_file", "encoder.int8.onnx")
            try:
                encoder, onnx_path = onnx_encoder(part, config)
            except Exception as exc:  # onnx_encoder reads the ONNX file, then the tokenizer
                if not type(exc).__module__.startswith("onnxruntime"):
                    current = part / "tokenizer.json"
                raise
            current = part / "heads.npz"
            members.append((encoder, Heads.load(current)))
            hashes.append(_sha256(onnx_path))
    except ModelError:
        raise
    except Exception as exc:  # corrupt JSON, ONNX, tokenizer or npz
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        raise ModelError(f"technique model {name!r}: {current} is corrupt ({detail}); {_RESTORE}") from None
    # one member: its encoder's hash; an ensemble: the hash of its members' hashes, in order
    sha = hashes[0] if len(hashes) == 1 else hashlib.sha256("".join(hashes).encode()).hexdigest()
    info = {"name": config.get("name", name), "version": str(config.get("version", "")), "sha256": sha}
    return TechniqueModel(members[0][0], members[0][1], config, more=members[1:]), info


@lru_cache(maxsize=2)
def load_semeval23(name: str):
    """The named model's 23-technique heads on its encoder, and their `models` entry; ModelError naming a bad file."""
    from unspun.runtime.semeval23_model import ParagraphHeads, Semeval23Model

    base, base_info = load(name)
    folder = model_dir(name) / SEMEVAL23_DIR
    current = folder / "config.json"
    for f in ("config.json", "heads.npz"):
        if not (folder / f).is_file():
            raise ModelError(f"technique model {name!r}: {folder / f} is missing (the semeval23 heads); {_RESTORE}")
    try:
        config = json.loads(current.read_text(encoding="utf-8"))
        current = folder / "heads.npz"
        heads = ParagraphHeads.load(current)
        if list(config["techniques"]) != list(SEMEVAL23.names) or heads.par_w.shape[1] != len(SEMEVAL23.names):
            raise ValueError("its technique list is not the semeval23 taxonomy")
    except Exception as exc:  # corrupt JSON or npz, or heads of another shape
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        raise ModelError(f"technique model {name!r}: {current} is corrupt ({detail}); {_RESTORE}") from None
    # the encoder and the heads together are the weights: hash both
    sha = hashlib.sha256((base_info["sha256"] + _sha256(folder / "heads.npz")).encode()).hexdigest()
    info = {"name": config.get("name", f"{name}-semeval23"), "version": str(config.get("version", "")), "sha256": sha}
    return Semeval23Model(base, heads, config), info


def _evidence_name(technique: str) -> str:
    """The evidence rules are keyed by PTC's names; a 2023 technique that is the same as a 2020 one uses its rules."""
    if technique in SEMEVAL23.names and relation(technique) == "same":
        return to_ptc14(technique)[0]
    return technique


NAME = "techniques"  # the stage contract (unspun.pipeline): its name, the stages it needs first, and run(doc)
REQUIRES: tuple[str, ...] = ()


def run(doc: Document) -> None:
    """Add one Technique item per (span, technique) scored at least the min score; skip removed junk. Under the
    semeval23 taxonomy the 23-technique heads give span items whose paragraph reaches the min score."""
    name = doc.options.get("model") or "accurate"
    semeval23 = doc.taxonomy == SEMEVAL23.name
    model, info = load_semeval23(name) if semeval23 else load(name)
    doc.models["techniques"] = info
    min_score = doc.options.get("min_score")
    if min_score is None:
        min_score = model.min_score
        doc.options["min_score"] = min_score
    lookup = SEMEVAL23.by_name if semeval23 else by_name
    for d in model.predict(doc.text, floor=min_score):
        if doc.is_removed(d.start, d.end):
            continue
        rules = _evidence_name(d.technique) if semeval23 else d.technique
        doc.add(
            Technique, d.start, d.end, technique=d.technique, score=d.score, definition_id=lookup(d.technique).id,
            evidence=evidence.for_detection(doc.text, d.start, d.end, rules),
        )


def predict_ptc(articles: dict[str, str], model: str = "accurate", min_score: float | None = None, progress=None):
    """`ptc predict` rows (id, technique, start, end) for each article, offsets into the raw file text."""
    return run_ptc(articles, None, model, min_score, progress)[0]


def classify_ptc(articles: dict[str, str], template, model: str = "accurate", progress=None):
    """`ptc classify` rows: the template's spans with a technique; a repeated span gets distinct techniques."""
    return run_ptc(articles, template, model, progress=progress, detect=False)[1]


def run_ptc(articles: dict[str, str], template, model: str = "accurate", min_score: float | None = None, progress=None,
            *, detect: bool = True) -> tuple[list, list]:
    """(`ptc predict` rows, `ptc classify` rows for `template`) from one encoder pass per article.

    `template` is rows (id, start, end), or None for no classification; `detect=False` skips span finding.
    Evaluation wants both, and encoding is nearly all of the cost, so it pays once.
    """
    tm, _ = load(model)
    threshold = tm.min_score if min_score is None else min_score
    by_article: dict[str, list[tuple[int, int]]] = {}
    for article_id, start, end in template or ():
        by_article.setdefault(article_id, []).append((start, end))
    predicted: list[tuple[str, str, int, int]] = []
    ranked: dict[tuple[str, int, int], list[str]] = {}
    for article_id, text in articles.items():
        wanted = by_article.get(article_id, [])
        if not detect and not wanted:
            continue
        unique = sorted(set(wanted))
        found, classes = tm.predict_and_classify(text, unique, floor=threshold, detect=detect)
        predicted += [(article_id, d.technique, d.start, d.end) for d in found]
        for span, techniques in zip(unique, classes):
            ranked[(article_id, *span)] = [t for t, _ in techniques]
        if progress is not None:
            progress()
    keys = [(article_id, start, end) for article_id, start, end in template or ()]
    classified = [(a, label, s, e) for (a, s, e), label in zip(keys, distinct_labels(keys, ranked.__getitem__))]
    return predicted, classified


def predict_semeval23(articles: dict[str, str], model: str = "accurate", min_score: float | None = None,
                      progress=None) -> dict[tuple[str, int], list[str]]:
    """{(article id, paragraph number): techniques} for every paragraph of every article (SemEval-2023 subtask 3),
    the techniques of the stage's span items in each paragraph, most probable first."""
    sm, _ = load_semeval23(model)
    out: dict[tuple[str, int], list[str]] = {}
    for article_id, text in articles.items():
        for number, labels in sm.paragraph_labels(text, floor=min_score).items():
            out[(article_id, number)] = labels
        if progress is not None:
            progress()
    return out
