"""A bounded pool of analysis worker processes: the event loop only parses, sheds and stores.

Why processes, not threads: between ONNX calls the analysis is Python (spaCy, decoding) that holds the GIL, so an
analysing thread starved the event loop and a shed request waited a second or more for its 503. In worker
processes the loop stays free and answers at once. Each worker loads its own copy of the models (300-500 MB) and
runs ONNX on `cpu_count // workers` threads, so one worker puts every core on one article (lowest latency) and N
workers split the cores between N articles.

When every worker is busy and `queue_size` requests already wait, `run` raises `Busy` at once (503 +
Retry-After). A worker that dies (killed for memory, a crash in native code), or that runs past the hard
deadline when the pipeline's own time check could not fire, is killed and the pool replaced as a whole (the
standard pool cannot replace one worker alone, so analyses running beside it fail too); those requests fail with a
clear error and the server goes on.

`shutdown` stops the workers and waits for the executor to let go of its queues, so their semaphores are released
before the process exits: uvicorn re-raises SIGTERM with its default action once it has shut down, which kills
the process without running exit handlers, and anything still registered then is reported by multiprocessing's
resource tracker as leaked.
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from unspun.orphans import exit_with_parent

T = TypeVar("T")


class Busy(Exception):
    """Every worker is busy and the queue is full."""


class WorkerLost(Exception):
    """The worker process running this request died or was killed."""


class HardTimeout(Exception):
    """The worker ran past the hard deadline and was killed."""


def _init_worker(threads: int, parent: int) -> None:
    """In each worker: its share of the cores, a lower priority than the event loop, and no Ctrl-C of its own."""
    exit_with_parent(parent)
    os.environ["UNSPUN_THREADS"] = str(threads)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which then stops the pool
    try:
        os.nice(5)  # the event loop answers (and sheds) before a worker gets the core
    except (OSError, AttributeError):  # no os.nice on Windows
        pass


class WorkPool:
    def __init__(self, workers: int, queue_size: int) -> None:
        self.workers = workers
        self.capacity = workers + queue_size
        self.threads = max(1, (os.cpu_count() or 1) // workers)
        self._lock = threading.Lock()
        self._in_flight = 0
        self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        # spawn, not fork: the server process runs threads (uvicorn, the ONNX runtime) that fork would copy mid-state
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_init_worker, initargs=(self.threads, os.getpid()))

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def full(self) -> bool:
        """No room now (a hint for shedding early; `try_acquire` is the real check)."""
        return self._in_flight >= self.capacity

    def try_acquire(self) -> bool:
        with self._lock:
            if self._in_flight >= self.capacity:
                return False
            self._in_flight += 1
            return True

    def release(self) -> None:
        with self._lock:
            self._in_flight -= 1

    async def run(self, fn: Callable[..., T], *args: Any, hard_limit: float | None = None, **kwargs: Any) -> T:
        """Run the picklable fn in a worker process; raise Busy at once when there is no room.

        `hard_limit` (seconds) kills the worker if the call has not returned by then: HardTimeout.
        """
        if not self.try_acquire():
            raise Busy()
        try:
            return await self._submit(fn, args, kwargs, hard_limit)
        finally:
            self.release()

    async def _submit(self, fn: Callable[..., T], args: tuple, kwargs: dict, hard_limit: float | None) -> T:
        executor = self._executor
        try:
            future = asyncio.wrap_future(executor.submit(functools.partial(fn, *args, **kwargs)))
            if not hard_limit:
                return await future
            try:
                return await asyncio.wait_for(future, hard_limit)
            except asyncio.TimeoutError:
                self._replace(executor)
                raise HardTimeout() from None
        except BrokenProcessPool:
            self._replace(executor)
            raise WorkerLost() from None

    async def warm_up(self, fn: Callable[..., T], *args: Any) -> list[T]:
        """Run fn once per worker at start-up, so each loads its models before the first request."""
        return list(await asyncio.gather(*(self._submit(fn, args, {}, None) for _ in range(self.workers))))

    def _replace(self, executor: ProcessPoolExecutor) -> None:
        """Kill the workers of a broken or stuck executor and start a fresh one (once, however many callers ask)."""
        with self._lock:
            if self._executor is not executor:
                return
            self._executor = self._new_executor()
        _kill(executor)

    def shutdown(self, grace_s: float = 2.0) -> None:
        """Stop every worker (idle ones exit; one still busy after `grace_s` is killed) and release the queues."""
        with self._lock:
            executor = self._executor
        _stop(executor, grace_s)


def _stop(executor: ProcessPoolExecutor, grace_s: float) -> None:
    processes = list((getattr(executor, "_processes", None) or {}).values())
    manager = getattr(executor, "_executor_manager_thread", None)
    executor.shutdown(wait=False, cancel_futures=True)  # idle workers get their exit sentinel
    deadline = time.monotonic() + grace_s
    for proc in processes:
        proc.join(max(0.0, deadline - time.monotonic()))
        if proc.is_alive():
            proc.kill()
            proc.join(5)
    if manager is not None:
        manager.join(10)  # it holds the call and result queues (5 semaphores) until every worker has gone


def _kill(executor: ProcessPoolExecutor) -> None:
    processes = list((getattr(executor, "_processes", None) or {}).values())
    for proc in processes:
        if proc.is_alive():
            proc.kill()
    executor.shutdown(wait=False, cancel_futures=True)
