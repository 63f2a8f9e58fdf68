"""Input limits shared by the CLI, the API and the corpus runner."""

from __future__ import annotations

import os

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
API_MAX_BYTES = 5 * 1024 * 1024


def max_bytes(explicit: int | None = None) -> int:
    """The input size limit: an explicit value, else `UNSPUN_MAX_BYTES`, else 10 MB."""
    if explicit is not None:
        return explicit
    env = os.environ.get("UNSPUN_MAX_BYTES")
    if env:
        try:
            return int(env)
        except ValueError:
            pass
    return DEFAULT_MAX_BYTES
