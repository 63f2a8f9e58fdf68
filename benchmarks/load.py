"""Load on `unspun serve`: many concurrent clients against one server on loopback, for a bounded time.

    python benchmarks/load.py [--seconds 60] [--clients 50] [--model fast] [--workers 1] [--queue-size 8] [--json]

1. Measures the single-process pipeline (`pipeline.analyze_text`, one article after another, models warm) for
   `--baseline-seconds`, in this process, before the server starts, so the two figures share the machine state.
2. Starts `unspun serve --model fast` on a free 127.0.0.1 port with a fresh SQLite store, waits for /healthz.
3. Runs `--clients` asyncio clients (httpx) for `--seconds`: each posts a PTC-length article to /api/v1/analyze,
   waits for the answer, and posts the next. A 503 (shed: every worker busy and the queue full) must carry
   `Retry-After`; the client then waits 0.5-1.5 s before trying again (a polite client, not a spinning one).
4. Sends a few bodies over 5 MB and checks they get 413 without waiting for a worker.

Every request's text is unique (a numbered line is appended), so no cache (spaCy parse, store) flatters the
figures. Figures: throughput (accepted analyses/s) and its ratio to the single-process pipeline, p50/p99 latency of
accepted requests, the count and p99 latency of shed requests, other errors, and the oversized requests' status
and time. Targets (issue 7, PTC-length articles, 2 cores): 0 other errors, accepted p99 < 2 s, shed p99 < 100 ms,
throughput >= 85% of the single process. Articles default to `$UNSPUN_SHARED_DATA/ptc/train/train-articles`
(UNSPUN_SHARED_DATA defaults to `../shared/data`), else `examples/*.txt`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import articles  # benchmarks/articles.py: the shared article loader

import httpx



def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc): shows how much of the wall time it actually ran."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def single_process(texts: list[str], model: str, seconds: float) -> dict:
    """Articles/s of the bare pipeline in one process, models warm, each text unique."""
    from unspun import pipeline

    pipeline.analyze_text(texts[0] + "\nwarm-up", model=model)
    cpu0 = cpu_seconds(os.getpid())
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds or n < 3:
        pipeline.analyze_text(f"{texts[n % len(texts)]}\nBaseline run {n}.", model=model)
        n += 1
    elapsed = time.perf_counter() - start
    return {"articles": n, "seconds": round(elapsed, 2), "articles_per_s": round(n / elapsed, 2),
            "cpu_s": round(cpu_seconds(os.getpid()) - cpu0, 1)}


def start_server(args, port: int, db: str, log) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "unspun", "serve", "--host", "127.0.0.1", "--port", str(port), "--db", db,
           "--model", args.model, "--workers", str(args.workers), "--queue-size", str(args.queue_size)]
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"unspun serve exited with {proc.returncode}; see {log.name}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    proc.terminate()
    sys.exit(f"unspun serve did not answer /healthz in 180 s; see {log.name}")


async def load(base: str, texts: list[str], args) -> dict:
    accepted: list[float] = []
    shed: list[float] = []
    errors: dict[str, int] = {}
    shed_without_retry_after = 0
    counter = 0
    deadline = time.monotonic() + args.seconds
    limits = httpx.Limits(max_connections=args.clients + 10, max_keepalive_connections=args.clients + 10)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=httpx.Timeout(300.0)) as client:

        async def one_client(rng: random.Random) -> None:
            nonlocal counter, shed_without_retry_after
            while time.monotonic() < deadline:
                counter += 1
                body = {"text": f"{rng.choice(texts)}\nLoad request {counter}.", "options": {"model": args.model}}
                t0 = time.perf_counter()
                try:
                    r = await client.post("/api/v1/analyze", json=body)
                except httpx.HTTPError as exc:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                    continue
                took = time.perf_counter() - t0
                if r.status_code == 200:
                    accepted.append(took)
                elif r.status_code == 503:
                    shed.append(took)
                    if not r.headers.get("retry-after", "").isdigit():
                        shed_without_retry_after += 1
                    await asyncio.sleep(rng.uniform(0.5, 1.5))
                else:
                    key = f"{r.status_code} {r.json().get('error', {}).get('code', '?') if r.content else ''}".strip()
                    errors[key] = errors.get(key, 0) + 1

        start = time.perf_counter()
        await asyncio.gather(*(one_client(random.Random(i)) for i in range(args.clients)))
        elapsed = time.perf_counter() - start

        # oversized bodies, sent while nothing else runs: 413 at once, no worker taken
        big = {"text": "x" * (5 * 1024 * 1024 + 100)}
        oversized = []
        for _ in range(3):
            t0 = time.perf_counter()
            r = await client.post("/api/v1/analyze", json=big)
            oversized.append({"status": r.status_code, "ms": round((time.perf_counter() - t0) * 1000, 1)})
    return {
        "elapsed_s": round(elapsed, 2),
        "accepted": len(accepted),
        "throughput_per_s": round(len(accepted) / elapsed, 2),
        "accepted_p50_s": _round(_pct(accepted, 0.5), 3),
        "accepted_p99_s": _round(_pct(accepted, 0.99), 3),
        "shed": len(shed),
        "shed_p99_ms": _round(_pct(shed, 0.99) and _pct(shed, 0.99) * 1000, 1),
        "shed_without_retry_after": shed_without_retry_after,
        "other_errors": sum(errors.values()),
        "error_kinds": errors,
        "oversized": oversized,
    }


def _round(x: float | None, digits: int) -> float | None:
    return None if x is None else round(x, digits)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--model", default="fast", choices=["fast", "accurate"])
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--queue-size", type=int, default=8)
    ap.add_argument("--baseline-seconds", type=float, default=20)
    ap.add_argument("--articles")
    ap.add_argument("--limit", type=int, default=100)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    texts = articles.load(args.articles, args.limit)
    print(f"single-process pipeline for {args.baseline_seconds:g} s ...", file=sys.stderr)
    baseline = single_process(texts, args.model, args.baseline_seconds)
    with tempfile.TemporaryDirectory(prefix="unspun-load-") as tmp:
        port = _free_port()
        with open(Path(tmp) / "serve.log", "w") as log:
            print(f"starting unspun serve on 127.0.0.1:{port} ...", file=sys.stderr)
            proc = start_server(args, port, f"sqlite:///{tmp}/load.db", log)
            try:
                print(f"{args.clients} clients for {args.seconds:g} s ...", file=sys.stderr)
                cpu0 = cpu_seconds(proc.pid)
                figures = asyncio.run(load(f"http://127.0.0.1:{port}", texts, args))
                figures["server_cpu_s"] = round(cpu_seconds(proc.pid) - cpu0, 1)
            finally:
                proc.terminate()
                proc.wait(timeout=30)
    result = {
        "model": args.model, "clients": args.clients, "seconds": args.seconds, "workers": args.workers,
        "queue_size": args.queue_size, "mean_chars": round(sum(map(len, texts)) / len(texts)),
        "single_process": baseline, **figures,
        "throughput_ratio": round(figures["throughput_per_s"] / baseline["articles_per_s"], 3),
        # CPU seconds per accepted article: independent of what else runs on the machine (shedding included)
        "cpu_s_per_article": {"single_process": round(baseline["cpu_s"] / baseline["articles"], 2),
                              "server": round(figures["server_cpu_s"] / max(1, figures["accepted"]), 2)},
        "cpus": os.cpu_count(), "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{args.clients} clients, {figures['elapsed_s']} s, model {args.model}, workers {args.workers}, "
          f"queue {args.queue_size}, mean {result['mean_chars']} chars per article")
    print(f"accepted: {figures['accepted']} ({figures['throughput_per_s']}/s; single process "
          f"{baseline['articles_per_s']}/s; ratio {result['throughput_ratio']:.0%}, target >= 85%)")
    print(f"accepted latency: p50 {figures['accepted_p50_s']} s, p99 {figures['accepted_p99_s']} s (target < 2 s)")
    print(f"shed (503 + Retry-After): {figures['shed']}, p99 {figures['shed_p99_ms']} ms (target < 100 ms); "
          f"without Retry-After: {figures['shed_without_retry_after']}")
    print(f"other errors: {figures['other_errors']} {figures['error_kinds'] or ''}")
    print("oversized (> 5 MB): " + ", ".join(f"{o['status']} in {o['ms']} ms" for o in figures["oversized"]))
    print(f"CPU time: server {figures['server_cpu_s']} s over {figures['elapsed_s']} s; single process "
          f"{baseline['cpu_s']} s over {baseline['seconds']} s (low shares mean other work took the cores)")
    print(f"CPU s per article: single process {result['cpu_s_per_article']['single_process']}, "
          f"server {result['cpu_s_per_article']['server']}")
    print(f"load average after: {result['load_average_after']}")


if __name__ == "__main__":
    main()
