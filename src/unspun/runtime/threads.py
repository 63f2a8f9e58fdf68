"""How many threads unspun's models may use, and numpy's BLAS held to one while a document is analysed.

`thread_count()` is what every ONNX session and the claims scorer take: `UNSPUN_THREADS` (corpus workers and server
workers set their share of the cores), else every core.

`one_blas_thread()` runs numpy's BLAS (OpenBLAS in the numpy wheels) on one thread. unspun's own BLAS products are
small (a head over token states, a calibration), and OpenBLAS's worker threads busy-wait after each one: in the
pipeline that spin took the cores from spaCy and the encoders. Over 40 PTC articles (`benchmarks/pipeline.py`) it
cut the CPU per article by a fifth (0.48-0.49 s to 0.39-0.43 s). `pipeline.run` holds it for one document only, so a
program that imports unspun keeps its own BLAS threads for its own work.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache


def thread_count() -> int:
    """Threads a model may use: $UNSPUN_THREADS, else every core."""
    return int(os.environ.get("UNSPUN_THREADS", 0)) or (os.cpu_count() or 1)


@lru_cache(maxsize=1)
def _controller():
    import numpy  # noqa: F401  (loads numpy's BLAS, so that the controller finds it)
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


_lock = threading.Lock()
_holders = 0
_limiter = None


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """A context in which the BLAS libraries loaded in this process run on one thread. Analyses running at once in
    several threads share one limit: the first to enter sets it, the last to leave restores the caller's setting."""
    global _holders, _limiter
    with _lock:
        if _holders == 0:
            _limiter = _controller().limit(limits=1, user_api="blas")
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _limiter is not None:
                _limiter.restore_original_limits()
                _limiter = None
