"""What the SemEval-2023 taxonomy costs `analyze`: the technique stage under ptc14 and semeval23, and before it existed.

    python benchmarks/taxonomy_speed.py [--model fast|accurate] [--before REF] [--articles DIR] [--limit 40]
                                        [--rounds 3] [--threads 2] [--json]

Three configurations, each timed in a fresh `python` process that loads the model first (untimed) and then runs
`unspun.analyze_text(text, model=..., stages=["techniques"])` over the same articles:
- **before**: the code of git revision `--before` (default HEAD), unpacked with `git archive` into a temporary
  folder (no git state changes): unspun as it was without the taxonomy;
- **ptc14**: this working tree, default taxonomy (the 14 techniques): must be within 10% of `before`;
- **semeval23**: this working tree with `taxonomy="semeval23"` (same encoder, the 23-technique heads).
The three run in turn, `--rounds` times, so that a changing background load hits them alike; each figure is the
median over rounds. Ratios are against `before`. Without git (or with `--before ''`) the first row is left out.

Articles default to the first `--limit` PTC training articles (`$UNSPUN_SHARED_DATA/ptc/train/train-articles`), else
`examples/*.txt`. Only the technique stage runs: the other stages do the same work under either taxonomy.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

WORKER = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
import unspun
texts = json.load(open(sys.argv[2], encoding="utf-8"))
kwargs = json.loads(sys.argv[3])
unspun.analyze_text("Warm-up: load the models.", **kwargs)
t0 = time.perf_counter()
for t in texts:
    unspun.analyze_text(t, **kwargs)
print(json.dumps({"seconds": time.perf_counter() - t0, "file": unspun.__file__}))
"""


def articles(folder: Path | None, limit: int) -> list[str]:
    if folder is None:
        data = Path(os.environ.get("UNSPUN_SHARED_DATA", REPO.parent / "shared" / "data"))
        folder = data / "ptc" / "train" / "train-articles"
    files = sorted(folder.glob("article*.txt")) if folder.is_dir() else []
    if not files:
        files = sorted((REPO / "examples").glob("*.txt"))
    return [f.read_text(encoding="utf-8") for f in files[:limit]]


def unpack(ref: str, into: Path) -> Path | None:
    """`git archive REF` of the repository's src/ into `into`; None without git or that revision."""
    try:
        archive = subprocess.run(["git", "-C", str(REPO), "archive", ref, "src"], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return into / "src"


def timed(src: Path, texts_file: Path, kwargs: dict, threads: int) -> float:
    env = dict(os.environ, UNSPUN_THREADS=str(threads), HF_HUB_OFFLINE="1")
    out = subprocess.run([sys.executable, "-c", WORKER, str(src), str(texts_file), json.dumps(kwargs)],
                         capture_output=True, text=True, env=env, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])["seconds"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="fast", choices=("fast", "accurate"))
    parser.add_argument("--before", default="HEAD", help="git revision for the 'before' row ('' to skip it)")
    parser.add_argument("--articles", type=Path)
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    texts = articles(args.articles, args.limit)
    base = {"model": args.model, "stages": ["techniques"]}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        texts_file = tmp_path / "texts.json"
        texts_file.write_text(json.dumps(texts), encoding="utf-8")
        configs = {}
        if args.before:
            before = unpack(args.before, tmp_path)
            if before is not None:
                configs["before"] = (before, base)
            else:
                print(f"note: no git revision {args.before!r}: the 'before' row is left out", file=sys.stderr)
        configs["ptc14"] = (REPO / "src", base)
        configs["semeval23"] = (REPO / "src", dict(base, taxonomy="semeval23"))
        times: dict[str, list[float]] = {name: [] for name in configs}
        for _ in range(args.rounds):
            for name, (src, kwargs) in configs.items():
                times[name].append(timed(src, texts_file, kwargs, args.threads))
    median = {name: statistics.median(v) for name, v in times.items()}
    ref = median.get("before", median["ptc14"])
    result = {
        "model": args.model, "articles": len(texts), "rounds": args.rounds, "load_average": os.getloadavg()[0],
        "rows": {name: {"seconds": round(s, 3), "articles_per_s": round(len(texts) / s, 2), "ratio": round(s / ref, 3),
                        "all_seconds": [round(x, 3) for x in times[name]]} for name, s in median.items()},
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{len(texts)} articles, model {args.model}, median of {args.rounds} rounds "
          f"(load average {result['load_average']:.2f})")
    for name, row in result["rows"].items():
        print(f"  {name:<10} {row['seconds']:7.2f} s  {row['articles_per_s']:6.2f} articles/s  "
              f"time ratio {row['ratio']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
