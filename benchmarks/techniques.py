"""Speed and memory of the technique stage on this machine, measured in one run.

    python benchmarks/techniques.py [--model fast|accurate] [--model-dir DIR] [--articles DIR] [--limit 75]
                                    [--threads 2] [--cold-runs 1] [--json] [--check]

The figures:

1. **stage**: articles/s and tokens/s of the technique stage, `unspun.runtime.models.load_techniques(name)[0].predict(text)`
   (tokenising, the ONNX encoder over overlapping windows, stitching, the SI/TC heads, span finding, features),
   over the articles of `--articles`. Tokens are the encoder's tokens (the MiniLM/MPNet word pieces), summed
   over the pieces the model cuts long texts into.
2. **encoder**: the same for the encoder pass alone, over the same pieces and windows: `model.encode`, the
   `WindowedEncoder` (tokenising, ONNX session, stitching); for an ensemble, every member's encoder
   (`model.encode_segments`). **ratio** = stage time / encoder time: what the heads,
   span finding and document features add on top of the encoder (1.0 = nothing). Stage and encoder are timed
   article by article, alternately, so that a changing background load hits both alike.
3. **cold start**: wall time of a fresh `python -c` that imports unspun, loads the model and analyses one short
   text with it (interpreter start included): what a one-off `unspun analyze` pays before its first result.
4. **peak RSS**: the largest resident set of this process (`resource.getrusage(...).ru_maxrss`, in MB) after
   the whole run: the model, the ONNX session's buffers and the biggest article's working memory.

Targets (PTC-length articles, ~5,700 characters / ~1,300 tokens each, on the 2-core reference machine):

| model    | stage articles/s | ratio stage/encoder | cold start | peak RSS  |
|----------|------------------|---------------------|------------|-----------|
| fast     | ≥ 8              | ≤ 1.3               | ≤ 3 s      | ≤ 1 GB    |
| accurate | ≥ 1              | –                   | –          | ≤ 1.5 GB  |

With `--model-dir` the targets of `--model` apply (fast unless given). `--check` exits 1 when a target is missed.

Articles default to `$UNSPUN_SHARED_DATA/ptc/train/train-articles` (UNSPUN_SHARED_DATA defaults to `../shared/data`
beside the repository), else the repository's `examples/*.txt`. Threads (`--threads`, default 2) are set through
`UNSPUN_THREADS`, which the ONNX session reads. Figures taken while other work competes for the CPU (training, say)
are lower than the machine can do: the load average is printed with them.

Exit codes: 0 done, 1 a target missed under `--check`, 2 usage, 66 no articles, 78 model missing or corrupt.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHORT_TEXT = "Either we act now or we lose everything, the so-called experts said. What about the rest of us?"
TARGETS = {
    "fast": {"articles_per_s": 8.0, "ratio": 1.3, "cold_start_s": 3.0, "peak_rss_mb": 1024.0},
    "accurate": {"articles_per_s": 1.0, "peak_rss_mb": 1536.0},
}
EX_NOINPUT = 66
EX_CONFIG = 78


# --- inputs ---------------------------------------------------------------------------------------------------------
def default_articles() -> Path:
    shared = Path(os.environ.get("UNSPUN_SHARED_DATA", REPO.parent / "shared" / "data"))
    ptc = shared / "ptc" / "train" / "train-articles"
    return ptc if ptc.is_dir() else REPO / "examples"


def read_articles(folder: Path, limit: int) -> list[tuple[str, str]]:
    """(name, text) of the first `limit` *.txt files, read exactly as unspun reads text files."""
    out = []
    for path in sorted(folder.glob("*.txt"))[:limit]:
        with open(path, encoding="utf-8", newline="") as fh:
            out.append((path.name, fh.read()))
    return out


# --- the model --------------------------------------------------------------------------------------------------------
def load_from_dir(folder: Path, threads: int):
    """A TechniqueModel from any folder laid out like a shipped model.

    That is config.json plus the ONNX encoder, heads.npz and tokenizer.json, either in the folder itself or, for an
    ensemble, in the member subfolders that config.json lists under "members". The same parts as
    `unspun.runtime.models.load_technique_folder` (onnx_encoder + Heads.load + TechniqueModel), with a thread count of
    its own, for models that are not (yet) shipped in the package.
    """
    from unspun.errors import ModelError
    from unspun.runtime.encoder import onnx_encoder
    from unspun.runtime.technique_model import Heads, TechniqueModel

    if not (folder / "config.json").is_file():
        raise ModelError(f"technique model in {folder}: {folder / 'config.json'} is missing")
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        parts = [folder / m for m in config.get("members", [])] or [folder]
        members = []
        for part in parts:
            for name in (config.get("encoder_file", "encoder.int8.onnx"), "heads.npz", "tokenizer.json"):
                if not (part / name).is_file():
                    raise ModelError(f"technique model in {folder}: {part / name} is missing")
            encoder, _ = onnx_encoder(part, config, threads=threads)
            members.append((encoder, Heads.load(part / "heads.npz")))
    except ModelError:
        raise
    except Exception as exc:  # corrupt JSON, ONNX or npz
        raise ModelError(f"technique model in {folder} is corrupt ({type(exc).__name__}: {exc})") from None
    info = {"name": config.get("name", folder.name), "version": str(config.get("version", "")), "path": str(folder),
            "members": len(members)}
    return TechniqueModel(members[0][0], members[0][1], config, more=members[1:]), info


def load_model(args):
    if args.model_dir:
        return load_from_dir(Path(args.model_dir), args.threads)
    from unspun.runtime import models

    model, info = models.load_techniques(args.model)
    return model, dict(info, path=str(models.technique_dir(args.model)))


def cold_start_code(args) -> str:
    """The `python -c` program: import unspun, load the model, analyse one short text."""
    if args.model_dir:
        # the same loader as in this process (this file's load_from_dir), imported by path
        load = (
            "import importlib.util\n"
            "from pathlib import Path\n"
            f"spec = importlib.util.spec_from_file_location('unspun_benchmark', {str(Path(__file__).resolve())!r})\n"
            "bench = importlib.util.module_from_spec(spec)\n"
            "spec.loader.exec_module(bench)\n"
            f"model = bench.load_from_dir(Path({str(Path(args.model_dir).resolve())!r}), {args.threads})[0]\n"
        )
    else:
        load = f"from unspun.runtime import models\nmodel = models.load_techniques({args.model!r})[0]\n"
    # the child reports its own peak RSS from /proc (VmHWM): getrusage in or about a child started with vfork/exec
    # also counts the parent's memory at the time of the fork
    report = (
        "import re\n"
        "try:\n"
        "    print(re.search(r'VmHWM:\\s*(\\d+)', open('/proc/self/status').read()).group(1))\n"
        "except Exception:\n"
        "    print('')\n"
    )
    return f"import unspun\n{load}model.predict({SHORT_TEXT!r})\n{report}"


def cold_start(args, env: dict) -> tuple[float, float | None]:
    """Wall seconds of one fresh interpreter, and its own peak RSS in MB (None where /proc is not available)."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", cold_start_code(args)], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"cold-start subprocess failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}")
    last = proc.stdout.strip().splitlines()[-1:] or [""]
    return seconds, (int(last[0]) / 1024 if last[0].isdigit() else None)


def _mb(maxrss: int) -> float:
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024  # bytes on macOS, KB on Linux


# --- measuring --------------------------------------------------------------------------------------------------------
class SessionTimer:
    """Wraps the encoders' run_batch (every member of an ensemble) to add up the time spent in the ONNX sessions."""

    def __init__(self, model) -> None:
        self.seconds = 0.0
        self.windows = 0
        for encoder, _ in getattr(model, "members", [(model.encode, None)]):
            inner = getattr(encoder, "run_batch", None)
            if inner is not None:
                encoder.run_batch = self._wrap(inner)

    def _wrap(self, inner):
        def run_batch(input_ids, mask):
            t0 = time.perf_counter()
            try:
                return inner(input_ids, mask)
            finally:
                self.seconds += time.perf_counter() - t0
                self.windows += len(input_ids)

        return run_batch


def encoder_pass(model, text: str) -> int:
    """The encoder(s) alone over the same pieces predict() uses; returns the number of tokens."""
    return sum(len(offsets) for _, offsets, _ in model.encode_segments(text))


def measure(model, articles: list[tuple[str, str]]) -> dict:
    # warm up once: first-call allocations and the session's lazy initialisation stay out of the timings
    model.predict(articles[0][1])
    encoder_pass(model, articles[0][1])

    timer = SessionTimer(model)
    stage_s, enc_s, stage_session_s, enc_session_s, tokens, detections = [], [], 0.0, 0.0, 0, 0
    windows = 0
    for _, text in articles:
        timer.seconds = 0.0
        t0 = time.perf_counter()
        found = model.predict(text)
        stage_s.append(time.perf_counter() - t0)
        stage_session_s += timer.seconds
        detections += len(found)

        timer.seconds, timer.windows = 0.0, 0
        t0 = time.perf_counter()
        tokens += encoder_pass(model, text)
        enc_s.append(time.perf_counter() - t0)
        enc_session_s += timer.seconds
        windows += timer.windows
    n = len(articles)
    stage_total, enc_total = sum(stage_s), sum(enc_s)
    return {
        "articles": n,
        "chars": sum(len(t) for _, t in articles),
        "tokens": tokens,
        "windows": windows,
        "detections": detections,
        "stage": {
            "seconds": round(stage_total, 3),
            "articles_per_s": round(n / stage_total, 2),
            "tokens_per_s": round(tokens / stage_total),
            "median_article_s": round(statistics.median(stage_s), 4),
            "max_article_s": round(max(stage_s), 4),
            "session_seconds": round(stage_session_s, 3),
        },
        "encoder": {
            "seconds": round(enc_total, 3),
            "articles_per_s": round(n / enc_total, 2),
            "tokens_per_s": round(tokens / enc_total),
            "session_seconds": round(enc_session_s, 3),
        },
        "ratio": round(stage_total / enc_total, 3),
    }


def verdicts(result: dict, targets: dict) -> dict:
    got = {
        "articles_per_s": (result["stage"]["articles_per_s"], ">="),
        "ratio": (result["ratio"], "<="),
        "cold_start_s": (result["cold_start"]["seconds"], "<="),
        "peak_rss_mb": (result["peak_rss_mb"], "<="),
    }
    out = {}
    for key, target in targets.items():
        value, op = got[key]
        ok = value >= target if op == ">=" else value <= target
        out[key] = {"value": value, "target": f"{op} {target:g}", "ok": ok}
    return out


def table(result: dict) -> str:
    v = result["targets"]

    def mark(key):
        return f"{v[key]['target']:>8}  {'ok' if v[key]['ok'] else 'MISSED'}" if key in v else ""

    s, e = result["stage"], result["encoder"]
    cold = result["cold_start"]
    lines = [
        f"technique stage benchmark: model {result['model']['name']} {result['model']['version']} "
        f"({result['model']['path']}"
        + (f", {result['model']['members']} members)" if result["model"].get("members", 1) > 1 else ")"),
        f"  {result['articles']} articles from {result['articles_dir']}: "
        f"{result['chars'] / result['articles']:.0f} chars, "
        f"{result['tokens'] / result['articles']:.0f} tokens each on average; {result['windows']} encoder windows",
        f"  threads {result['threads']}, {result['cpus']} CPUs, load average {result['load_average_before']} before "
        f"/ {result['load_average_after']} after",
        "",
        f"  {'figure':<26}{'value':>14}  {'target':>8}",
        f"  {'stage articles/s':<26}{s['articles_per_s']:>14.2f}  {mark('articles_per_s')}",
        f"  {'stage tokens/s':<26}{s['tokens_per_s']:>14,}",
        f"  {'encoder articles/s':<26}{e['articles_per_s']:>14.2f}",
        f"  {'encoder tokens/s':<26}{e['tokens_per_s']:>14,}",
        f"  {'ratio stage / encoder':<26}{result['ratio']:>14.3f}  {mark('ratio')}",
        f"  {'cold start (s)':<26}{cold['seconds']:>14.2f}  {mark('cold_start_s')}",
        f"  {'peak RSS (MB)':<26}{result['peak_rss_mb']:>14.0f}  {mark('peak_rss_mb')}",
        "",
        f"  stage {s['seconds']:.2f} s (ONNX session {s['session_seconds']:.2f} s), encoder pass {e['seconds']:.2f} s "
        f"(ONNX session {e['session_seconds']:.2f} s); median article {s['median_article_s'] * 1000:.0f} ms, "
        f"slowest {s['max_article_s'] * 1000:.0f} ms; {result['detections']} detections",
    ]
    if cold.get("child_peak_rss_mb"):
        lines.append(f"  cold-start process peak RSS {cold['child_peak_rss_mb']:.0f} MB; runs {cold['runs']}")
    return "\n".join(lines)


# --- main -------------------------------------------------------------------------------------------------------------
def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Speed and memory of unspun's technique stage (see the module docstring).")
    p.add_argument("--model", choices=("fast", "accurate"), default="fast", help="shipped model (default fast)")
    p.add_argument("--model-dir", help="load a TechniqueModel from this folder instead of the shipped one")
    p.add_argument("--articles", type=Path, default=None,
                   help="folder of *.txt articles "
                        "(default $UNSPUN_SHARED_DATA/ptc/train/train-articles, else examples/)")
    p.add_argument("--limit", type=int, default=75, help="number of articles (default 75)")
    p.add_argument("--threads", type=int, default=2, help="ONNX runtime threads (default 2)")
    p.add_argument("--cold-runs", type=int, default=1, help="cold-start runs; the fastest is reported (default 1)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = p.parse_args(argv)
    if args.limit < 1 or args.threads < 1 or args.cold_runs < 1:
        p.error("--limit, --threads and --cold-runs must be at least 1")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    # before anything loads onnxruntime: the session reads UNSPUN_THREADS when it is created
    os.environ["UNSPUN_THREADS"] = str(args.threads)
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
    from unspun.errors import ModelError

    folder = args.articles if args.articles is not None else default_articles()
    articles = read_articles(folder, args.limit) if folder.is_dir() else []
    if not articles:
        print(f"no *.txt articles in {folder}", file=sys.stderr)
        return EX_NOINPUT

    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    t0 = time.perf_counter()
    try:
        model, info = load_model(args)
    except ModelError as exc:
        print(str(exc), file=sys.stderr)
        return EX_CONFIG
    load_s = time.perf_counter() - t0

    result = {"model": info, "articles_dir": str(folder), "threads": args.threads, "cpus": os.cpu_count(),
              "load_average_before": load_before, "model_load_s": round(load_s, 3)}
    result.update(measure(model, articles))

    env = dict(os.environ, UNSPUN_THREADS=str(args.threads))
    runs, child_rss = [], None
    for _ in range(args.cold_runs):
        seconds, rss = cold_start(args, env)
        runs.append(round(seconds, 3))
        child_rss = rss or child_rss
    result["cold_start"] = {"seconds": min(runs), "runs": runs, "child_peak_rss_mb": child_rss and round(child_rss, 1)}
    result["peak_rss_mb"] = round(_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss), 1)
    result["load_average_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    result["targets"] = verdicts(result, TARGETS[args.model])

    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(table(result))
    missed = [k for k, v in result["targets"].items() if not v["ok"]]
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
