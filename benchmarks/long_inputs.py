"""Analysis time per MB on long inputs, with and without spaces: it must stay flat as the size doubles.

    python benchmarks/long_inputs.py [--sizes 0.25,0.5,1,2] [--kinds nospace,spaces] [--model fast|accurate]
                                     [--stages techniques,quotes,...] [--networks stand-in|real] [--json]

Each input goes through `pipeline.analyze_text` with every stage (or `--stages`), as `unspun analyze` runs it, and
the benchmark prints one line per size (seconds, seconds per MB) and, per kind, the ratio of the per-MB time at the
largest size to the one at the smallest. Linear code gives a ratio near 1 (noise on a busy shared machine: ±0.3);
quadratic code doubles the per-MB time with each doubling of the size (0.25 → 2 MB: a ratio of 8).

- **nospace**: random lowercase letters, no space or line break: one "word" of megabytes, which every span inside
  it extends to. Extending spans char by char took 12.8 s at 1 MB, 42.6 s at 2 MB and 405 s at 5 MB.
- **spaces**: prose, the benchmark articles (`benchmarks/articles.py`) in a seeded shuffle of their paragraphs.
- **oneline**: the same prose with every line break made a space: one line of megabytes, as a scrape or a PDF copy
  without line breaks gives. Checking whether each name sits on a heading line read the whole line per name: 158 s/MB
  at 0.125 MB, 420 s/MB at 0.5 MB; counting quotation marks from the line's start for every quote, and reading
  a credit line whole, grew too (now about 30 s/MB, as with line breaks).

The transformer networks (the technique encoders, the quote tagger, the claims scorer) run on CPU at about an hour
per MB of prose on 2 cores, so by default they are replaced by a stand-in that maps each token id to a fixed
vector: the span head fires on 1.5% of token ids (about as many spans as the real model finds in news) and always
on [UNK], which the quote tagger reads as quoted content. WordPiece makes a word over 100 characters one [UNK] per
40 KB piece, so text without spaces gets a span inside its one long word in every piece: the worst case, and what
the real networks did on the 1 MB input of the report. The tokenizers, windows, heads, span decoding, spaCy parse,
quote linking, evidence and every stage run for real, and that is where a super-linear cost hides (a network runs
fixed-size windows: linear by construction). `--networks real` runs the real ones.

Default sizes: 0.25, 0.5, 1 and 2 MB without spaces, 0.125 to 1 MB of prose and of one-line prose (the spaCy parse
alone takes ~30 s per MB on 2 cores); the whole run takes about 4 minutes. `--sizes 1,2,5` (the API accepts up to
5 MB) sets the sizes of every kind.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import time

import numpy as np

import articles  # benchmarks/articles.py: the shared article loader

MB = 1_000_000


def nospace_text(n: int, seed: int = 0) -> str:
    rng = random.Random(seed)
    return "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=n))


def prose_text(n: int, paragraphs: list[str], seed: int = 0) -> str:
    """About n characters of the given paragraphs in a seeded random order, a blank line between them."""
    rng = random.Random(seed)
    out, size = [], 0
    while size < n:
        p = rng.choice(paragraphs)
        out.append(p)
        size += len(p) + 2
    return "\n\n".join(out)[:n]


class _StandIn:
    """token ids [batch, width] → fixed states [batch, width, hidden]: a stand-in for a transformer network.

    Given technique heads, each state is set so that the span head fires on a share `fire` of the token ids (random
    states would mark half the tokens as persuasive: ten times the spans the real model finds in news), and always on
    `marked` (a token id)."""

    def __init__(self, hidden: int, seed: int, heads=None, fire: float = 0.015, marked: int | None = None) -> None:
        rng = np.random.default_rng(seed)
        self.table = rng.normal(size=(4096, hidden)).astype(np.float32)
        if heads is not None:
            w = heads.si_w.astype(np.float32)
            target = np.where(np.random.default_rng(0).random(len(self.table)) < fire, 3.0, -3.0).astype(np.float32)
            if marked is not None:
                target[marked % len(self.table)] = 3.0
            self.table -= np.outer((self.table @ w + heads.si_b - target) / (w @ w), w)

    def tag(self, token_id: int, w: np.ndarray, b: np.ndarray, tag: int) -> None:
        """Make the state of `token_id` give `tag` through a linear head (w [hidden, tags], b [tags])."""
        target = np.zeros(len(b), dtype=np.float64)
        target[tag] = 8.0
        self.table[token_id % len(self.table)] = w @ np.linalg.solve(w.T @ w, target - b)

    def __call__(self, input_ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return self.table[input_ids % len(self.table)]


class _StandInSession:
    """An onnxruntime session's `run` for the claims model, through a `_StandIn`."""

    def __init__(self, hidden: int) -> None:
        self.net = _StandIn(hidden, seed=3)

    def run(self, outputs, feeds):
        return [self.net(feeds["input_ids"], feeds["attention_mask"])]


def networks(model: str, stand_in: bool) -> None:
    """Load every model once (the loaders cache them), then give each its real network or a `_StandIn`.

    The stand-ins mark [UNK] as persuasive and as quoted content: WordPiece gives a word over 100 characters one
    [UNK] per piece, so in text without spaces every piece then yields a span inside the long word (the worst case,
    and what the real networks did on the 1 MB input of the report)."""
    from unspun.runtime import models
    from unspun.runtime.quote_model import TAGS

    tm, _ = models.load_techniques(model)
    qm, _ = models.load_quotes()
    cm, _ = models.load_claims()
    real = _REAL.setdefault("nets", ([e.run_batch for e, _ in tm.members], qm.encode.run_batch, cm.session))
    for k, (encoder, heads) in enumerate(tm.members):
        unk = encoder.tokenizer.token_to_id("[UNK]")
        encoder.run_batch = _StandIn(encoder.hidden, seed=k, heads=heads, marked=unk) if stand_in else real[0][k]
    if stand_in:
        qm.encode.run_batch = _StandIn(qm.encode.hidden, seed=2)
        qm.encode.run_batch.tag(qm.encode.tokenizer.token_to_id("[UNK]"), qm.w.astype(np.float64),
                                qm.b.astype(np.float64), TAGS.index("I-CON"))
    else:
        qm.encode.run_batch = real[1]
    cm.session = _StandInSession(len(cm.w)) if stand_in else real[2]


_REAL: dict = {}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", help="sizes in MB (10^6 characters), comma-separated (default: see above)")
    ap.add_argument("--kinds", default="nospace,spaces,oneline", help="nospace, spaces, oneline, comma-separated")
    ap.add_argument("--model", default="fast", choices=["fast", "accurate"])
    ap.add_argument("--stages", default=None, help="comma-separated stages (default: all)")
    ap.add_argument("--networks", default="stand-in", choices=["real", "stand-in"],
                    help="the transformer networks: stand-ins (default) or the real ones (an hour per MB of prose)")
    ap.add_argument("--articles", help="folder of .txt articles for the prose (see benchmarks/articles.py)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    os.environ["UNSPUN_THREADS"] = str(args.threads)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from unspun import pipeline

    default_sizes = {"nospace": "0.25,0.5,1,2", "spaces": "0.125,0.25,0.5,1", "oneline": "0.125,0.25,0.5,1"}
    kinds = [k.strip() for k in args.kinds.split(",")]
    if not kinds or set(kinds) - set(default_sizes):
        ap.error("--kinds takes nospace, spaces and oneline, comma-separated")
    stages = args.stages.split(",") if args.stages else None
    paragraphs = [p.strip() for t in articles.load(args.articles, 400) for p in re.split(r"\n\s*\n", t) if p.strip()]

    print(f"# model {args.model}, stages {args.stages or 'all'}, load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores")
    results = []
    for kind in kinds:
        stand_in = args.networks == "stand-in"
        networks(args.model, stand_in)
        # warm up: every model and the spaCy pipeline load once, and run once (not counted)
        pipeline.analyze_text(prose_text(5000, paragraphs) + " " + nospace_text(5000), model=args.model,
                              stages=stages, time_limit=0)
        print(f"# {kind}: {'stand-in' if stand_in else 'real'} networks", flush=True)
        per_mb = []
        sizes = sorted(float(s) for s in (args.sizes or default_sizes[kind]).split(","))
        for mb in sizes:
            n = int(mb * MB)
            text = nospace_text(n) if kind == "nospace" else prose_text(n, paragraphs)
            if kind == "oneline":
                text = text.replace("\n", " ")
            t0 = time.perf_counter()
            doc = pipeline.analyze_text(text, model=args.model, stages=stages, time_limit=0, max_bytes=8 * n + MB)
            seconds = time.perf_counter() - t0
            per_mb.append(seconds / mb)
            results.append({"kind": kind, "networks": "stand-in" if stand_in else "real", "mb": mb,
                            "seconds": round(seconds, 3), "s_per_mb": round(seconds / mb, 3),
                            "techniques": len(doc.techniques), "quotes": len(doc.quotes)})
            print(f"{kind:8s} {mb:6g} MB {seconds:8.2f} s {seconds / mb:8.2f} s/MB"
                  f"   ({len(doc.techniques)} techniques, {len(doc.quotes)} quotes)", flush=True)
        ratio = per_mb[-1] / per_mb[0]
        print(f"{kind:8s} per-MB time, {sizes[-1]:g} MB / {sizes[0]:g} MB: {ratio:.2f}"
              f"  ({'flat' if ratio < 1.5 else 'GROWING: super-linear?'})", flush=True)
        results.append({"kind": kind, "ratio_largest_smallest": round(ratio, 3)})
    if args.json:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
