"""Article-shaped mutations through the whole pipeline, in a child process with a deadline.

Byte fuzzing never produced the verbless embed lines of real pages that once hung the pipeline forever, so these
tests mutate real article-shaped text line by line (`fuzz/article.py`, seeded, so every run tries the same inputs)
and check each result: it finishes, it is a sound Document (`unspun.invariants.violations`), and nothing raises.
The child process has a hard deadline, so a hang fails the test instead of stalling the suite.
"""

from __future__ import annotations

import importlib.util
import json
import random
import subprocess
import sys

from conftest import EXAMPLES, REPO

_spec = importlib.util.spec_from_file_location("fuzz_article", REPO / "fuzz" / "article.py")
article = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(article)

_CHILD = r"""
import json, sys
from unspun import pipeline
from unspun.invariants import violations
out = []
for text in json.load(sys.stdin):
    doc = pipeline.analyze_text(text, model="fast", time_limit=60)
    out.append({"problems": violations(doc)[:3], "items": sum(len(getattr(doc, k)) for k in
               ("techniques", "quotes", "claims", "sources", "actors", "removed", "embedded_posts"))})
print(json.dumps(out))
"""


def _mutated(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    bases = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    bases += [p.read_text(encoding="utf-8") for p in sorted((REPO / "fuzz" / "seeds").glob("*.txt"))]
    return [article.mutate(rng.choice(bases), rng) for _ in range(count)]


def test_mutation_keeps_articles_article_shaped() -> None:
    """The mutator changes the text, keeps most of it, and is reproducible from its seed."""
    base = (EXAMPLES / "wire-report.txt").read_text(encoding="utf-8")
    a, b = article.mutate(base, random.Random(7), steps=3), article.mutate(base, random.Random(7), steps=3)
    assert a == b and a != base
    kept = set(base.splitlines()) & set(a.splitlines())
    assert len(kept) >= len(set(base.splitlines())) - 4


def test_every_line_of_furniture_through_the_pipeline() -> None:
    """Each furniture line alone between two paragraphs, then 24 seeded random mutations: all finish soundly."""
    lead = "The council voted on Monday to sell the harbour.\n\n"
    tail = "\n\nThe mayor said the sale was fair. Critics called it a disgrace.\n"
    texts = [lead + line + tail for line in article.FURNITURE] + _mutated(24, seed=20261206)
    proc = subprocess.run([sys.executable, "-c", _CHILD], input=json.dumps(texts), capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    results = json.loads(proc.stdout)
    assert len(results) == len(texts)
    assert [r["problems"] for r in results if r["problems"]] == []
    assert sum(r["items"] for r in results) > len(texts)  # the analysis ran, it did not just return empty documents
