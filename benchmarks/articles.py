"""The articles the benchmarks run on: PTC training articles when the research data is beside the repository
(`$UNSPUN_SHARED_DATA`, default `../shared/data`), else the repository's own `examples/*.txt`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def load(folder: str | None, limit: int) -> list[str]:
    """Up to `limit` article texts from `folder` (or the default above), sorted by file name; exits when none."""
    if folder:
        root = Path(folder)
    else:
        shared = Path(os.environ.get("UNSPUN_SHARED_DATA", REPO.parent / "shared" / "data"))
        root = shared / "ptc" / "train" / "train-articles"
        if not root.is_dir():
            root = REPO / "examples"
    files = sorted(root.glob("*.txt"))[:limit]
    if not files:
        sys.exit(f"no .txt articles in {root}")
    return [f.read_text(encoding="utf-8") for f in files]
