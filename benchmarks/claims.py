"""Speed of the claims model and the claims stage on this machine.

    python benchmarks/claims.py [--sentences N] [--threads 2] [--json]

The figures:

1. **model**: sentences/s of `unspun.runtime.models.load_claims()[0].scores(texts)` (tokenising, the int8 ONNX
   encoder run once per sentence, pooling, head, calibration) over N sentences: the held-out ClaimBuster
   and validation sentences when `$UNSPUN_SHARED_DATA/checkworthy` (default `../shared/data/checkworthy`) exists,
   else the sentences of `examples/*.txt`, repeated up to N. This is what `unspun claims score` spends per line.
2. **stage**: articles/s of `unspun.stages.claims.run(doc)` over `examples/*.txt`, with spaCy's parse already
   cached (the parse is shared by every stage and is measured with the pipeline, not here).

Threads (`--threads`, default 2) are set through `UNSPUN_THREADS`, which the ONNX session reads. Figures taken
while other work competes for the CPU are lower than the machine can do: the load average is printed with them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def sentences(n: int) -> tuple[list[str], str]:
    data = Path(os.environ.get("UNSPUN_SHARED_DATA", REPO.parent / "shared" / "data")) / "checkworthy"
    if data.exists():
        from unspun.datasets.checkworthy import split

        s = split(data)
        texts = [r.text for r in s.test + s.val]
        origin = "ClaimBuster held-out + validation sentences"
    else:
        from unspun.runtime import nlp

        texts = []
        for path in sorted((REPO / "examples").glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            texts.extend(text[a:b] for a, b in nlp.sentences(text))
        origin = "sentences of examples/*.txt"
    return (texts * (n // max(1, len(texts)) + 1))[:n], origin


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ["UNSPUN_THREADS"] = str(args.threads)

    from unspun.document import Document
    from unspun.runtime import models, nlp
    from unspun.stages import claims

    model, _ = models.load_claims()
    texts, origin = sentences(args.sentences)
    model.scores(texts[:64])  # warm-up
    t0 = time.perf_counter()
    model.scores(texts)
    model_s = time.perf_counter() - t0

    articles = [p.read_text(encoding="utf-8") for p in sorted((REPO / "examples").glob("*.txt"))]
    for text in articles:
        nlp.parse(text)
        claims.run(Document(text=text))  # warm-up, and the parse is cached
    rounds = 5
    t0 = time.perf_counter()
    for _ in range(rounds):
        for text in articles:
            claims.run(Document(text=text))
    stage_s = time.perf_counter() - t0

    result = {
        "model_sentences_per_s": round(len(texts) / model_s, 1),
        "sentences": len(texts),
        "sentences_from": origin,
        "stage_articles_per_s": round(rounds * len(articles) / stage_s, 2),
        "articles": len(articles),
        "threads": args.threads,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
