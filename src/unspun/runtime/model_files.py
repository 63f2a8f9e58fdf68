"""Where shipped models live, and the checks every model loader shares (hashes, the restore hint)."""

from __future__ import annotations

import hashlib
from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
RESTORE = "reinstall unspun (pip install --force-reinstall unspun) or restore the folder from git"


def sha256(path: Path) -> str:
    """The file's SHA-256, recorded in `doc.models` so every stored analysis names the exact weights."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
