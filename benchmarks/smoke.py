"""The whole pipeline over every text in the research data, each document under a watchdog.

    python benchmarks/smoke.py [--model accurate|fast] [--sets ptc,polnear,realworld] [--limit N] [--workers 2]
                               [--budget 10] [--watchdog 60] [--json FILE]

Why: the fuzzers never produced the shape of a real article that made a parse walk loop forever; real articles do.
This runs `unspun.analyze_file` on every PTC training article, every PolNeAR text (train and dev) and every
real-world dev page (the saved HTML for the web pages, the text for the PTC scrapes), one document at a time in
worker processes. A document that takes longer than `--watchdog` seconds is reported as HUNG and its worker is
killed and replaced, so one bad document never stops the run. It prints the ten slowest documents and exits 1 when
any document failed, hung, or took longer than `--budget` seconds (the target: none over 10 s).

The research data is read from `$UNSPUN_SHARED_DATA` (default `../shared/data`). Times are wall-clock seconds of
`analyze_file` in a warm worker (models loaded once per worker, not counted). The budget applies to the worker's CPU
seconds (every thread of it; ONNX runs on one thread here), which a busy machine does not inflate the way it
inflates wall-clock time: on 2 shared cores the same 34 kB article took 22.6 s of wall time beside other jobs and
3.7 s alone. Both are printed. The watchdog, which only catches hangs, is wall-clock.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import queue
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def inputs(shared: Path, sets: list[str]) -> list[tuple[str, Path]]:
    """(set name, path) for every document of the chosen sets, in a stable order."""
    found: list[tuple[str, Path]] = []
    if "ptc" in sets:
        found += [("ptc", p) for p in sorted((shared / "ptc" / "train" / "train-articles").glob("*.txt"))]
    if "polnear" in sets:
        for split in ("train", "dev", "test"):
            found += [("polnear", p) for p in sorted((shared / "polnear" / split / "text").glob("*.txt"))]
    if "realworld" in sets:
        root = shared / "realworld-dev"
        html = {p.name.removesuffix(".html"): p for p in (root / "html").glob("*.html")}
        for src in sorted((root / "src").glob("*.txt")):
            stem = src.name.removesuffix(".txt")
            found.append(("realworld", html.get(stem) or html.get(src.name) or src))
    return found


def _worker(model: str, jobs: mp.Queue, results: mp.Queue) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import unspun

    unspun.analyze_text("Warm-up: the minister said the plan was a disgrace.", model=model)  # load every model once
    results.put(("ready", os.getpid(), 0.0, None))
    while True:
        job = jobs.get()
        if job is None:
            return
        index, path = job
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            unspun.analyze_file(path, model=model, time_limit=0)
            error = None
        except Exception as exc:  # a documented data error is a result too; report it, keep going
            error = f"{type(exc).__name__}: {exc}"[:200]
        results.put(("done", index, (time.perf_counter() - t0, time.process_time() - c0), error))


class Slot:
    """One worker process with its own job queue, so a hung one can be killed without losing the others."""

    def __init__(self, ctx, model: str, results: mp.Queue) -> None:
        self.jobs = ctx.Queue()
        self.proc = ctx.Process(target=_worker, args=(model, self.jobs, results), daemon=True)
        self.proc.start()
        self.job: int | None = None
        self.since = 0.0
        self.ready = False

    def give(self, index: int, path: Path) -> None:
        self.job, self.since = index, time.perf_counter()
        self.jobs.put((index, str(path)))

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join()
        self.jobs.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default="accurate", choices=["fast", "accurate"])
    ap.add_argument("--sets", default="ptc,polnear,realworld", help="comma-separated: ptc, polnear, realworld")
    ap.add_argument("--limit", type=int, default=0, help="at most N documents per set (0: all)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--budget", type=float, default=10.0, help="seconds a document may take (exit 1 above it)")
    ap.add_argument("--watchdog", type=float, default=60.0, help="seconds before a document counts as hung")
    ap.add_argument("--json", help="write every document's time to this file")
    args = ap.parse_args()

    shared = Path(os.environ.get("UNSPUN_SHARED_DATA", REPO.parent / "shared" / "data"))
    sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    docs = inputs(shared, sets)
    if args.limit:
        per: dict[str, int] = {}
        docs = [d for d in docs if (per.__setitem__(d[0], per.get(d[0], 0) + 1) or per[d[0]] <= args.limit)]
    if not docs:
        print(f"no documents found under {shared} (set UNSPUN_SHARED_DATA)", file=sys.stderr)
        return 2
    os.environ["UNSPUN_THREADS"] = os.environ.get("UNSPUN_THREADS", "1")

    ctx = mp.get_context("spawn")
    results: mp.Queue = ctx.Queue()
    slots = [Slot(ctx, args.model, results) for _ in range(max(1, args.workers))]
    todo = list(range(len(docs)))[::-1]
    seconds: dict[int, float] = {}  # CPU seconds of the worker (all its threads) per document
    walls: dict[int, float] = {}
    errors: dict[int, str] = {}
    hung: list[int] = []
    t_start = time.perf_counter()
    last_report = t_start

    def feed(slot: Slot) -> None:
        if todo:
            i = todo.pop()
            slot.give(i, docs[i][1])
        else:
            slot.job = None

    while len(seconds) + len(hung) < len(docs):
        try:
            kind, index, took, error = results.get(timeout=1.0)
        except queue.Empty:
            kind = None
        now = time.perf_counter()
        if kind == "ready":
            slot = next((s for s in slots if s.proc.pid == index), None)
            if slot is not None:  # None: a worker killed before it said so
                slot.ready = True
                feed(slot)
        elif kind == "done":
            walls[index], seconds[index] = took
            if error:
                errors[index] = error
            slot = next(s for s in slots if s.job == index)
            feed(slot)
        for n, slot in enumerate(slots):
            if slot.job is not None and now - slot.since > args.watchdog:
                hung.append(slot.job)
                print(f"HUNG after {args.watchdog:.0f} s: {docs[slot.job][1]}", file=sys.stderr)
                slot.kill()
                slots[n] = Slot(ctx, args.model, results)
        if now - last_report > 30:
            done = len(seconds) + len(hung)
            print(f"  {done}/{len(docs)} documents, {now - t_start:.0f} s", file=sys.stderr)
            last_report = now
    for slot in slots:
        if slot.job is None and slot.proc.is_alive():
            slot.jobs.put(None)
        slot.proc.join(timeout=5)
        if slot.proc.is_alive():
            slot.kill()

    wall = time.perf_counter() - t_start
    ranked = sorted(seconds, key=seconds.get, reverse=True)
    over = [i for i in ranked if seconds[i] > args.budget]
    print(f"{len(docs)} documents ({', '.join(f'{s}: {sum(d[0] == s for d in docs)}' for s in sets)}), "
          f"model {args.model}, {args.workers} workers, {wall:.0f} s wall")
    print(f"hung (> {args.watchdog:.0f} s wall): {len(hung)}; over budget (> {args.budget:g} CPU s): {len(over)}; "
          f"errors: {len(errors)}")
    print("slowest ten (CPU seconds, wall seconds):")
    for i in ranked[:10]:
        size = docs[i][1].stat().st_size
        print(f"  {seconds[i]:6.2f} s  {walls[i]:6.2f} s  {size / 1000:7.1f} kB  {docs[i][0]:9s} {docs[i][1].name}")
    for i in hung:
        print(f"  HUNG      {docs[i][0]:9s} {docs[i][1].name}")
    for i, err in sorted(errors.items()):
        print(f"  error     {docs[i][0]:9s} {docs[i][1].name}: {err}")
    if args.json:
        Path(args.json).write_text(json.dumps(
            [{"set": docs[i][0], "path": str(docs[i][1]), "cpu_seconds": seconds.get(i), "wall_seconds": walls.get(i),
              "hung": i in hung,
              "error": errors.get(i)} for i in range(len(docs))], indent=1), encoding="utf-8")
    return 1 if hung or over or errors else 0


if __name__ == "__main__":
    sys.exit(main())
