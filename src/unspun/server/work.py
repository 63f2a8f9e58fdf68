"""A bounded pool for analyses: CPU-bound work runs in threads off the event loop, and when every worker is
busy and the queue is full the caller is told at once (503 + Retry-After) instead of piling up requests.

Threads, not processes: the ONNX runtime and spaCy release the GIL in their inner loops, and threads share one
copy of the models (300-500 MB each) and the store's connection pool.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


class Busy(Exception):
    """Every worker is busy and the queue is full."""


class WorkPool:
    def __init__(self, workers: int, queue_size: int) -> None:
        self.capacity = workers + queue_size
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="unspun-analyse")
        self._lock = threading.Lock()
        self._in_flight = 0

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def try_acquire(self) -> bool:
        with self._lock:
            if self._in_flight >= self.capacity:
                return False
            self._in_flight += 1
            return True

    def release(self) -> None:
        with self._lock:
            self._in_flight -= 1

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run fn in a worker thread; raise Busy when there is no room, without waiting."""
        if not self.try_acquire():
            raise Busy()
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._executor, lambda: fn(*args, **kwargs))
        finally:
            self.release()

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
