"""Load on `unspun serve`: many concurrent clients against one server on loopback, for a bounded time.

    python benchmarks/load.py [--seconds 60] [--clients 50] [--model fast] [--workers 1] [--queue-size 0] [--stages S] [--json]

1. Measures the single-process pipeline (`pipeline.analyze_text`, one article after another, models warm) for
   `--baseline-seconds`, in this process, before the server starts, so the two figures share the machine state.
2. Starts `unspun serve --model fast` on a free 127.0.0.1 port with a fresh SQLite store, waits for /healthz.
3. Runs `--clients` asyncio clients for `--seconds` (a bare HTTP/1.1 keep-alive client on asyncio streams: httpx
   cost about 5 ms of CPU per request, which on 2 cores took the cores from the server it measures): each posts a PTC-length article to /api/v1/analyze,
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


def single_process(texts: list[str], model: str, seconds: float, stages: list[str] | None) -> dict:
    """Articles/s of the bare pipeline in one process, models warm, each text unique."""
    from unspun import pipeline

    pipeline.analyze_text(texts[0] + "\nwarm-up", model=model, stages=stages)
    cpu0 = cpu_seconds(os.getpid())
    n, start, took = 0, time.perf_counter(), []
    rng = random.Random(0)
    while time.perf_counter() - start < seconds or n < 3:
        t0 = time.perf_counter()
        pipeline.analyze_text(f"{rng.choice(texts)}\nBaseline run {n}.", model=model, stages=stages)
        took.append(time.perf_counter() - t0)
        n += 1
    elapsed = time.perf_counter() - start
    # the analysis alone: what an accepted request cannot beat, whatever the server does
    return {"articles": n, "seconds": round(elapsed, 2), "articles_per_s": round(n / elapsed, 2),
            "p50_s": _round(_pct(took, 0.5), 3), "p99_s": _round(_pct(took, 0.99), 3),
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


class Connection:
    """One keep-alive HTTP/1.1 connection: just enough client to post JSON and read the answer, cheaply."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
        for attempt in (1, 2):  # the server may have closed an idle connection: reconnect once
            try:
                if self.writer is None:
                    self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
                head = (f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
                self.writer.write(head.encode() + body)
                await self.writer.drain()
                status_line = await self.reader.readline()
                if not status_line:
                    raise ConnectionResetError("closed")
                status = int(status_line.split()[1])
                headers = {}
                while (line := await self.reader.readline()) not in (b"\r\n", b""):
                    key, _, value = line.decode("latin-1").partition(":")
                    headers[key.strip().lower()] = value.strip()
                content = await self.reader.readexactly(int(headers.get("content-length", 0)))
                if headers.get("connection", "").lower() == "close":
                    self.close()
                return status, headers, content
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def load(host: str, port: int, texts: list[str], args) -> dict:
    accepted: list[float] = []
    shed: list[float] = []
    errors: dict[str, int] = {}
    shed_without_retry_after = 0
    counter = 0
    deadline = time.monotonic() + args.seconds
    options = {"model": args.model, **({"stages": args.stages} if args.stages else {})}
    bodies = [json.dumps({"text": t, "options": options}) for t in texts]

    async def one_client(rng: random.Random) -> None:
        nonlocal counter, shed_without_retry_after
        conn = Connection(host, port)
        while time.monotonic() < deadline:
            counter += 1
            body = rng.choice(bodies)  # the text made unique: a numbered line goes before its closing quote
            cut = body.index('", "options"')
            body = f"{body[:cut]}\\nLoad request {counter}.{body[cut:]}".encode()
            t0 = time.perf_counter()
            try:
                status, headers, content = await conn.post("/api/v1/analyze", body)
            except (OSError, asyncio.IncompleteReadError) as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                continue
            took = time.perf_counter() - t0
            if status == 200:
                accepted.append(took)
            elif status == 503:
                shed.append(took)
                if not headers.get("retry-after", "").isdigit():
                    shed_without_retry_after += 1
                await asyncio.sleep(rng.uniform(0.5, 1.5))
            else:
                try:
                    code = json.loads(content).get("error", {}).get("code", "?")
                except ValueError:
                    code = "?"
                errors[f"{status} {code}"] = errors.get(f"{status} {code}", 0) + 1
        conn.close()

    start = time.perf_counter()
    await asyncio.gather(*(one_client(random.Random(i)) for i in range(args.clients)))
    elapsed = time.perf_counter() - start

    # oversized bodies, sent while nothing else runs: 413 at once, no worker taken
    big = json.dumps({"text": "x" * (5 * 1024 * 1024 + 100)}).encode()
    oversized = []
    for _ in range(3):
        conn = Connection(host, port)
        t0 = time.perf_counter()
        status, _, _ = await conn.post("/api/v1/analyze", big)
        oversized.append({"status": status, "ms": round((time.perf_counter() - t0) * 1000, 1)})
        conn.close()
    return {
        "elapsed_s": round(elapsed, 2),
        "accepted": len(accepted),
        "throughput_per_s": round(len(accepted) / elapsed, 2),
        "accepted_p50_s": _round(_pct(accepted, 0.5), 3),
        "accepted_p99_s": _round(_pct(accepted, 0.99), 3),
        "shed": len(shed),
        "shed_p50_ms": _round(_pct(shed, 0.5) and _pct(shed, 0.5) * 1000, 1),
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
    ap.add_argument("--queue-size", type=int, default=0)
    ap.add_argument("--baseline-seconds", type=float, default=30)
    ap.add_argument("--articles")
    ap.add_argument("--limit", type=int, default=100)
    ap.add_argument("--stages", help="comma-separated stages (default: all), for the server and the baseline alike")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    texts = articles.load(args.articles, args.limit)
    print(f"single-process pipeline for {args.baseline_seconds:g} s ...", file=sys.stderr)
    args.stages = [x.strip() for x in args.stages.split(",")] if args.stages else None
    baseline = single_process(texts, args.model, args.baseline_seconds, args.stages)
    with tempfile.TemporaryDirectory(prefix="unspun-load-") as tmp:
        port = _free_port()
        with open(Path(tmp) / "serve.log", "w") as log:
            print(f"starting unspun serve on 127.0.0.1:{port} ...", file=sys.stderr)
            proc = start_server(args, port, f"sqlite:///{tmp}/load.db", log)
            try:
                print(f"{args.clients} clients for {args.seconds:g} s ...", file=sys.stderr)
                cpu0, me0 = cpu_seconds(proc.pid), cpu_seconds(os.getpid())
                figures = asyncio.run(load("127.0.0.1", port, texts, args))
                figures["server_cpu_s"] = round(cpu_seconds(proc.pid) - cpu0, 1)
                figures["clients_cpu_s"] = round(cpu_seconds(os.getpid()) - me0, 1)
            finally:
                proc.terminate()
                proc.wait(timeout=30)
    result = {
        "model": args.model, "stages": args.stages or "all", "clients": args.clients, "seconds": args.seconds, "workers": args.workers,
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
    print(f"{args.clients} clients, {figures['elapsed_s']} s, model {args.model}, stages {result['stages']}, workers {args.workers}, "
          f"queue {args.queue_size}, mean {result['mean_chars']} chars per article")
    print(f"accepted: {figures['accepted']} ({figures['throughput_per_s']}/s; single process "
          f"{baseline['articles_per_s']}/s; ratio {result['throughput_ratio']:.0%}, target >= 85%)")
    print(f"accepted latency: p50 {figures['accepted_p50_s']} s, p99 {figures['accepted_p99_s']} s (target < 2 s); "
          f"the analysis alone, single process: p50 {baseline['p50_s']} s, p99 {baseline['p99_s']} s")
    print(f"shed (503 + Retry-After): {figures['shed']}, p50 {figures['shed_p50_ms']} ms, p99 {figures['shed_p99_ms']} ms (target < 100 ms); "
          f"without Retry-After: {figures['shed_without_retry_after']}")
    print(f"other errors: {figures['other_errors']} {figures['error_kinds'] or ''}")
    print("oversized (> 5 MB): " + ", ".join(f"{o['status']} in {o['ms']} ms" for o in figures["oversized"]))
    print(f"CPU time: server {figures['server_cpu_s']} s, clients {figures['clients_cpu_s']} s over {figures['elapsed_s']} s; single process "
          f"{baseline['cpu_s']} s over {baseline['seconds']} s (low shares mean other work took the cores)")
    print(f"CPU s per article: single process {result['cpu_s_per_article']['single_process']}, "
          f"server {result['cpu_s_per_article']['server']}")
    print(f"load average after: {result['load_average_after']}")


if __name__ == "__main__":
    main()
