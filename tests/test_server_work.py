"""The server's worker pool (`unspun.server.work`): real worker processes, shedding, and recovery from a stuck or
dead worker. Standard-library callables stand in for an analysis, because they pickle into a spawned process."""

from __future__ import annotations

import asyncio
import operator
import os
import subprocess
import sys
import time

import pytest

from unspun.server import work
from unspun.server.work import Busy, HardTimeout, WorkerLost, WorkPool


@pytest.fixture
def pool():
    p = WorkPool(workers=1, queue_size=0)
    yield p
    p.shutdown()


def test_runs_in_another_process(pool) -> None:
    assert asyncio.run(pool.run(os.getpid)) != os.getpid()
    assert asyncio.run(pool.run(operator.add, 2, 3)) == 5
    assert pool.in_flight == 0


def test_sheds_at_once_when_every_slot_is_taken(pool) -> None:
    async def scenario():
        slow = asyncio.create_task(pool.run(time.sleep, 1.5))
        await asyncio.sleep(0)  # the slow call takes the only slot on its first step
        # "at once" without a clock: the refusal comes on the call's very first step, before it waits for anything
        # (it never queues for the slot, never reaches a worker)
        refused = pool.run(operator.add, 1, 1)
        with pytest.raises(Busy):
            refused.send(None)
        await slow

    asyncio.run(scenario())
    assert pool.in_flight == 0


def test_stuck_worker_is_killed_and_replaced(pool, monkeypatch) -> None:
    killed = []
    real_kill = work._kill
    monkeypatch.setattr(work, "_kill", lambda executor: (killed.append(executor), real_kill(executor)))

    async def scenario():
        first = await pool.run(os.getpid)
        stuck = pool._executor
        with pytest.raises(HardTimeout):
            await pool.run(time.sleep, 120, hard_limit=1.0)
        # the hard-kill path was taken, on the stuck executor, and a fresh one already stands in its place
        assert killed == [stuck] and pool._executor is not stuck
        second = await pool.run(os.getpid)
        return first, second

    # a hang guard only (the stuck call sleeps 120 s): the assertions are on what happened, not on how long it took
    first, second = asyncio.run(asyncio.wait_for(scenario(), 90))
    assert second != first  # a fresh worker process
    with pytest.raises(ProcessLookupError):
        os.kill(first, 0)  # and the stuck one is gone
    assert pool.in_flight == 0


def test_dead_worker_fails_its_request_and_the_pool_recovers(pool) -> None:
    async def scenario():
        with pytest.raises(WorkerLost):
            await pool.run(os._exit, 3)
        return await pool.run(operator.mul, 6, 7)

    assert asyncio.run(scenario()) == 42
    assert pool.in_flight == 0


def test_workers_split_the_cores() -> None:
    cores = os.cpu_count() or 1
    p = WorkPool(workers=2, queue_size=0)
    try:
        assert p.threads == max(1, cores // 2)
        env = asyncio.run(p.run(os.getenv, "UNSPUN_THREADS"))
        assert env == str(p.threads)
    finally:
        p.shutdown()


ORPHAN_SCRIPT = """
import asyncio, os, sys, time
from unspun.server.work import WorkPool
pool = WorkPool(workers=1, queue_size=0)
print(asyncio.run(pool.run(os.getpid)), flush=True)
time.sleep(600)
"""


def test_workers_exit_when_the_server_is_killed_outright() -> None:
    server = subprocess.Popen([sys.executable, "-c", ORPHAN_SCRIPT], stdout=subprocess.PIPE, text=True)
    try:
        worker = int(server.stdout.readline())
        os.kill(worker, 0)  # alive while the server is
    finally:
        server.kill()  # SIGKILL: no shutdown code runs
        server.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    pytest.fail(f"worker {worker} outlived its killed server")
