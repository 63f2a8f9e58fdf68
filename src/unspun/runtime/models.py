"""The model registry: the one place that knows which models unspun ships, what they are called, where each lives,
how each is loaded (once per process), and what each says about itself (name, version, hashes, /healthz).

- Names: the technique models are `FAST` and `ACCURATE` (`MODELS`; `DEFAULT_MODEL` when a caller names none;
  `ModelName` for command-line options); the attribution (`quotes`) and check-worthiness (`claims`) models have
  one version each.
- Folders: everything under `MODELS_DIR` (`unspun/models/`): `technique_dir(name)`, its 23-technique heads in
  `semeval23_dir(name)`, `QUOTES_DIR`, `CLAIMS_DIR`, `ATTRIBUTION_DIR` (the item-score weights).
- Loading: `load_techniques(name)`, `load_semeval23(name)`, `load_quotes()`, `load_claims()`, each cached, each
  returning (model, its `doc.models` entry {name, version, sha256}); `load_technique_folder(folder)` reads any
  folder in the shipped layout without caching it (training's teacher, a tuning run). A missing or corrupt file is
  a ModelError naming the file and the fix (exit code 78).
- Without loading: `config(folder)`, `version(...)` and `semeval23_info(...)` read config.json only (the corpus'
  skip check, the server's /healthz).

The model classes (`runtime.technique_model`, `semeval23_model`, `quote_model`, `claims_model`) only compute; they
never look for a folder of their own.
"""

from __future__ import annotations

import hashlib
import json
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from unspun.errors import ModelError

if TYPE_CHECKING:
    from unspun.runtime.claims_model import ClaimsModel
    from unspun.runtime.quote_model import QuoteModel
    from unspun.runtime.semeval23_model import Semeval23Model
    from unspun.runtime.technique_model import TechniqueModel

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
RESTORE = "reinstall unspun (pip install --force-reinstall unspun) or restore the folder from git"

FAST = "fast"
ACCURATE = "accurate"
MODELS: tuple[str, ...] = (FAST, ACCURATE)  # the technique models
DEFAULT_MODEL = ACCURATE
# The same names as a str Enum, for the command-line options of every command that takes --model.
ModelName = Enum("ModelName", {m: m for m in MODELS}, type=str)

SEMEVAL23_DIR = "semeval23"  # the 23-technique heads, inside a technique model's folder
QUOTES_DIR = MODELS_DIR / "quotes"
CLAIMS_DIR = MODELS_DIR / "claims"
ATTRIBUTION_DIR = MODELS_DIR / "attribution"


def technique_dir(name: str) -> Path:
    """The folder of a technique model (`fast`, `accurate`, or any folder name under `MODELS_DIR`)."""
    return MODELS_DIR / name


def semeval23_dir(name: str) -> Path:
    """The folder of a technique model's 23-technique heads."""
    return technique_dir(name) / SEMEVAL23_DIR


def sha256(path: Path) -> str:
    """The file's SHA-256, recorded in `doc.models` so every stored analysis names the exact weights."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# --- what a model says about itself, without loading it ----------------------------------------------------
def config(folder: Path) -> dict | None:
    """A model folder's config.json, or None when it is missing or unreadable (the loaders report those)."""
    try:
        return json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def version(name: str, taxonomy: str | None = None) -> str | None:
    """The version a Document records in `models.techniques` for this technique model (its 23-technique heads'
    under `semeval23`), read from the config without loading the model."""
    found = config(semeval23_dir(name) if taxonomy == "semeval23" else technique_dir(name))
    if found is None or found.get("version") is None:
        return None
    return str(found["version"])


def semeval23_info(name: str | None) -> dict:
    """/healthz's entry for the 23-technique heads that `--taxonomy semeval23` would use with model `name`."""
    found = config(semeval23_dir(name or DEFAULT_MODEL))
    if found is None:
        return {}
    return {"techniques_semeval23": {"name": found.get("name"), "version": str(found.get("version", "")),
                                     "heads_sha256": found.get("heads_sha256")}}


def _info(config: dict, default_name: str, sha: str) -> dict:
    """A model's `doc.models` entry."""
    return {"name": config.get("name", default_name), "version": str(config.get("version", "")), "sha256": sha}


def _detail(exc: Exception) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:300]


# --- loading ----------------------------------------------------------------------------------------------
@lru_cache(maxsize=2)
def load_techniques(name: str) -> tuple[TechniqueModel, dict]:
    """The named technique model and its `models` entry ({name, version, sha256}); ModelError naming the bad file."""
    return load_technique_folder(technique_dir(name), name)


def load_technique_folder(folder: Path, name: str | None = None) -> tuple[TechniqueModel, dict]:
    """A technique model from any folder in the shipped layout, not cached (training loads a teacher with it)."""
    from unspun.runtime.encoder import onnx_encoder
    from unspun.runtime.technique_model import Heads, TechniqueModel

    folder = Path(folder)
    name = name or folder.name
    if not (folder / "config.json").is_file():
        raise ModelError(f"technique model {name!r}: {folder / 'config.json'} is missing; {RESTORE}")
    current = folder / "config.json"  # the file being read, so a corrupt-file error can name it
    try:
        config = json.loads(current.read_text(encoding="utf-8"))
        # an ensemble lists its members as folders relative to its own (a member may be another shipped model)
        parts = [(folder / m).resolve() for m in config.get("members", [])] or [folder]
        members, hashes = [], []
        for part in parts:
            for f in (config.get("encoder_file", "encoder.int8.onnx"), "heads.npz", "tokenizer.json"):
                if not (part / f).is_file():
                    raise ModelError(f"technique model {name!r}: {part / f} is missing; {RESTORE}")
            current = part / config.get("encoder_file", "encoder.int8.onnx")
            try:
                encoder, onnx_path = onnx_encoder(part, config)
            except Exception as exc:  # onnx_encoder reads the ONNX file, then the tokenizer
                if not type(exc).__module__.startswith("onnxruntime"):
                    current = part / "tokenizer.json"
                raise
            current = part / "heads.npz"
            members.append((encoder, Heads.load(current)))
            hashes.append(sha256(onnx_path))
    except ModelError:
        raise
    except Exception as exc:  # corrupt JSON, ONNX, tokenizer or npz
        raise ModelError(f"technique model {name!r}: {current} is corrupt ({_detail(exc)}); {RESTORE}") from None
    # one member: its encoder's hash; an ensemble: the hash of its members' hashes, in order
    sha = hashes[0] if len(hashes) == 1 else hashlib.sha256("".join(hashes).encode()).hexdigest()
    info = _info(config, name, sha)
    if isinstance(config.get("sure_score"), (int, float)):  # renderers mark items scored under it as unsure
        info["sure_score"] = float(config["sure_score"])
    return TechniqueModel(members[0][0], members[0][1], config, more=members[1:]), info


@lru_cache(maxsize=2)
def load_semeval23(name: str) -> tuple[Semeval23Model, dict]:
    """The named model's 23-technique heads on its encoder, and their `models` entry; ModelError naming a bad file."""
    from unspun.runtime.semeval23_model import ParagraphHeads, Semeval23Model
    from unspun.taxonomy import SEMEVAL23

    base, base_info = load_techniques(name)
    folder = semeval23_dir(name)
    current = folder / "config.json"
    for f in ("config.json", "heads.npz"):
        if not (folder / f).is_file():
            raise ModelError(f"technique model {name!r}: {folder / f} is missing (the semeval23 heads); {RESTORE}")
    try:
        config = json.loads(current.read_text(encoding="utf-8"))
        current = folder / "heads.npz"
        heads = ParagraphHeads.load(current)
        if list(config["techniques"]) != list(SEMEVAL23.names) or heads.par_w.shape[1] != len(SEMEVAL23.names):
            raise ValueError("its technique list is not the semeval23 taxonomy")
    except Exception as exc:  # corrupt JSON or npz, or heads of another shape
        raise ModelError(f"technique model {name!r}: {current} is corrupt ({_detail(exc)}); {RESTORE}") from None
    # the encoder and the heads together are the weights: hash both
    sha = hashlib.sha256((base_info["sha256"] + sha256(folder / "heads.npz")).encode()).hexdigest()
    return Semeval23Model(base, heads, config), _info(config, f"{name}-semeval23", sha)


@lru_cache(maxsize=1)
def load_quotes() -> tuple[QuoteModel, dict]:
    """The attribution (quote) tagger and its `models` entry; ModelError naming a missing or corrupt file."""
    from unspun.runtime.quote_model import QuoteModel

    folder = QUOTES_DIR
    for f in ("config.json", "encoder.int8.onnx", "head.npz", "tokenizer.json"):
        if not (folder / f).is_file():
            raise ModelError(f"quote model: {folder / f} is missing; {RESTORE}")
    try:
        model = QuoteModel.load(folder)
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except Exception as exc:
        raise ModelError(f"quote model in {folder} is corrupt ({type(exc).__name__}: {exc}); {RESTORE}") from None
    return model, _info(config, "quotes", sha256(folder / "encoder.int8.onnx"))


@lru_cache(maxsize=2)
def load_claims(folder: str | None = None) -> tuple[ClaimsModel, dict]:
    """The shipped check-worthiness model (or the one in `folder`) and its `models` entry; ModelError names a
    missing or corrupt file."""
    from unspun.runtime.claims_model import ClaimsModel

    path = Path(folder) if folder else CLAIMS_DIR
    for name in ("config.json", "tokenizer.json", "head.npz"):
        if not (path / name).is_file():
            raise ModelError(f"claims model: {path / name} is missing; {RESTORE}")
    try:
        model = ClaimsModel(path)
    except Exception as exc:  # corrupt JSON, ONNX, npz or tokenizer; or the ONNX file is missing
        raise ModelError(f"claims model in {path} is missing a file or corrupt ({type(exc).__name__}: {exc}); {RESTORE}") from None
    return model, _info(model.config, "unspun-claims", sha256(model.onnx_path))
