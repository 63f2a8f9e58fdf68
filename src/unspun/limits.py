"""Input limits shared by the CLI, the API and the corpus runner."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

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


# --- per-document time limit ---------------------------------------------------------------------------------------
# Why cooperative: a hard kill (signals, threads) does not work inside server worker threads and would leave
# models half-used. Instead the pipeline sets a deadline for the current document (a ContextVar, so threads and
# tasks each have their own) and the long loops call `check_time()` between pieces of work: between stages, per
# encoder segment, per spaCy chunk. `pipeline.run` sets it around the stages; ingest itself (`ingest.load`) is
# bounded by the size and nesting limits, and a URL's fetch by its own timeout.
DEFAULT_TIME_LIMIT = 600.0

_deadline: ContextVar[tuple[float, float] | None] = ContextVar("unspun_deadline", default=None)


def time_limit(explicit: float | None = None) -> float | None:
    """Seconds allowed per document: an explicit value, else `UNSPUN_TIME_LIMIT`, else 600; 0 or less means none."""
    value: float | None = explicit
    if value is None:
        env = os.environ.get("UNSPUN_TIME_LIMIT")
        try:
            value = float(env) if env else DEFAULT_TIME_LIMIT
        except ValueError:
            value = DEFAULT_TIME_LIMIT
    return value if value > 0 else None


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Run the body under a per-document deadline; a nested deadline never extends the one around it."""
    outer = _deadline.get()
    current = outer
    if seconds is not None:
        mine = (time.monotonic() + seconds, seconds)
        current = mine if outer is None or mine[0] < outer[0] else outer
    token = _deadline.set(current)
    try:
        yield
    finally:
        _deadline.reset(token)


def check_time() -> None:
    """Raise TimeLimitError when the current document's deadline has passed; free when none is set."""
    current = _deadline.get()
    if current is not None and time.monotonic() > current[0]:
        from unspun.errors import TimeLimitError

        raise TimeLimitError(
            f"analysis took longer than the limit of {current[1]:g} s per document (see --time-limit, UNSPUN_TIME_LIMIT)"
        )
