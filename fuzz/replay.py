"""Run every seed (the big generated ones included) once through each fuzz target, timing each.

`python fuzz/replay.py [--big]`. libFuzzer mutates only small inputs; this pass proves the big ones (100,000-level
nesting, 5 MB attributes, with --big a 50 MB single line) end in a result or a clear error, within the time limit.
Prints one line per (seed, target) that fails or is slow, then a count; exits 1 on any failure.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import seeds  # noqa: E402
from harness import TARGETS  # noqa: E402

SLOW = 60.0  # seconds: longer than this for one input counts as a hang


def main() -> int:
    tried = failures = hangs = 0
    hand = {name for name, _ in seeds.hand_written()}
    for name, data in seeds.all_seeds(big="--big" in sys.argv[1:]):
        # each seed through its own ingest; the whole pipeline (slow) for the hand-written and the big seeds
        chosen = ["html" if name.endswith(".html") else "text"]
        if name in hand or len(data) > 1_000_000:
            chosen.append("pipeline")
        for target_name in chosen:
            target = TARGETS[target_name]
            started = time.monotonic()
            tried += 1
            try:
                target(data)
            except Exception as exc:  # the finding: print it and go on
                failures += 1
                print(f"FAIL {target_name} {name}: {type(exc).__name__}: {exc}"[:500], flush=True)
            took = time.monotonic() - started
            if took > SLOW:
                hangs += 1
                print(f"SLOW {target_name} {name}: {took:.1f} s", flush=True)
    print(f"replay: {tried} seed runs, {failures} crashes, {hangs} hangs")
    return 1 if failures or hangs else 0


if __name__ == "__main__":
    sys.exit(main())
