"""The reference rate the report's summary compares an article with: technique instances per 1,000 words that human
annotators marked in the PTC training articles (SemEval-2020 Task 11, final-release labels).

    python benchmarks/reference_rate.py [--check]

Writes `src/unspun/render/static/reference.json` (the pooled rate, the middle half of the per-article rates, the
counts and where they came from); `--check` recomputes and fails if the shipped file differs. Words are
`len(text.split())`, as in the report and the corpus store; instances are (span, technique) rows, as in a
Document's `techniques`. Reads `$UNSPUN_SHARED_DATA` (default `../shared/data`): research data, read here, never
copied into the repository; only the aggregate figures are written.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "src" / "unspun" / "render" / "static" / "reference.json"


def compute(data: Path) -> dict:
    sys.path.insert(0, str(REPO / "src"))
    from unspun.datasets import ptc

    articles = ptc.load_articles(data / "ptc" / "train" / "train-articles")
    labels = ptc.load_techniques(data / "ptc" / "train-v2-labels" / "train-task-flc-tc.labels")
    words = {k: len(text.split()) for k, text in articles.items()}
    total_words = sum(words.values())
    total = sum(len(labels.get(k, [])) for k in articles)
    rates = [1000.0 * len(labels.get(k, [])) / n for k, n in words.items() if n]
    q1, _, q3 = statistics.quantiles(rates, n=4)
    rate = round(1000.0 * total / total_words, 1)
    return {
        "taxonomy": "ptc14",
        "rate_per_1000_words": rate,
        "label": "PTC news articles",
        "detail": (f"what human annotators marked in the {len(articles)} news articles of the PTC training set "
                   f"(SemEval-2020 Task 11; half of the articles lie between {q1:.1f} and {q3:.1f})"),
        "articles": len(articles),
        "words": total_words,
        "instances": total,
        "quartiles": [round(q1, 1), round(q3, 1)],
        "computed_by": "benchmarks/reference_rate.py",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the shipped file differs from a fresh count")
    args = parser.parse_args()
    data = Path(os.environ.get("UNSPUN_SHARED_DATA", REPO.parent / "shared" / "data")).resolve()
    result = compute(data)
    text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print("reference.json is up to date" if same else "reference.json differs from a fresh count")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"{OUT.relative_to(REPO)}: {result['rate_per_1000_words']} per 1,000 words")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
