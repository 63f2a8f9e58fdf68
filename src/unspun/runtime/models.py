"""The model registry: which models unspun ships, what they are called, where each lives, and what they say about
themselves (name, version, hashes) without loading them.

- The technique models are named `fast` and `accurate` (`MODELS`, `ModelName` for command-line options, the
  default `DEFAULT_MODEL`); the attribution (`quotes`) and check-worthiness (`claims`) models have one version each.
- Every folder is under `MODELS_DIR` (`unspun/models/`): `technique_dir(name)`, its 23-technique heads in
  `semeval23_dir(name)`, `QUOTES_DIR`, `CLAIMS_DIR`, `ATTRIBUTION_DIR` (item scores).
- `config(folder)` and `version(...)` read a model's config.json without loading it (the corpus' skip check, the
  server's /healthz).

Each model is loaded, once per process, by its runtime module through these folders: the technique models by
`stages.techniques.load` (`runtime.technique_model`), the 23-technique heads by `runtime.semeval23_model`, the
quote model by `stages.quotes.load` (`runtime.quote_model`), the claims model by `runtime.claims_model.load`.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

from unspun.runtime.model_files import MODELS_DIR

MODELS: tuple[str, ...] = ("fast", "accurate")  # the technique models
DEFAULT_MODEL = "accurate"
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
