"""Reading the PolNeAR attribution corpus (brat standoff): each attribution as (content parts, cue parts, source parts).

The corpus lives in ../shared/data/polnear (research use only, never shipped). FORMAT.md there describes the files;
this reader follows it: the content of an attribution is the union of its Content and Content2 spans, events
without content are skipped, and continuation lines of a record (a newline inside a span) are re-joined.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

_RECORD = re.compile(r"^[TE#]\d+\t")

Parts = list[tuple[int, int]]


@dataclass
class Attribution:
    content: Parts
    cue: Parts = field(default_factory=list)
    source: Parts = field(default_factory=list)


@dataclass
class Article:
    stem: str
    annotator: str
    text: str
    attributions: list[Attribution]


def read_ann(path: Path) -> list[Attribution]:
    """The attributions of one .ann file, parts sorted by offset."""
    records: list[str] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if _RECORD.match(line) or not records:
            records.append(line)
        else:
            records[-1] += "\n" + line
    spans: dict[str, tuple[str, Parts]] = {}
    events: list[list[tuple[str, str]]] = []
    for rec in records:
        if rec.startswith("T"):
            tid, spec, _ = rec.split("\t", 2)
            label, _, ranges = spec.partition(" ")
            parts = [(int(a), int(b)) for a, b in (r.split() for r in ranges.split(";"))]
            spans[tid] = (label, parts)
        elif rec.startswith("E"):
            _, args = rec.split("\t", 1)
            events.append([tuple(a.split(":", 1)) for a in args.split()])
    out = []
    for args in events:
        content: Parts = []
        cue: Parts = []
        source: Parts = []
        for role, tid in args:
            if tid not in spans:
                continue
            if role.startswith("Content"):
                content += spans[tid][1]
            elif role == "Cue":
                cue += spans[tid][1]
            elif role == "Source":
                source += spans[tid][1]
        if content:
            out.append(Attribution(sorted(content), sorted(cue), sorted(source)))
    return out


def load_split(root: Path, split: str, *, one_per_article: bool = True) -> list[Article]:
    """Articles of `split` (train|dev). With `one_per_article`, multi-annotated articles keep their first
    annotator's file (sorted by id), so no article counts twice; annotations are never merged."""
    folder = Path(root) / split
    seen: set[str] = set()
    out = []
    for ann in sorted((folder / "attributions").glob("*.ann")):
        stem, _, annotator = ann.stem.rpartition("_")
        if one_per_article and stem in seen:
            continue
        seen.add(stem)
        text = (folder / "text" / f"{stem}.txt").read_text(encoding="utf-8")
        # open(..., newline="") semantics: the corpus has no \r, so read_text is exact here.
        out.append(Article(stem, annotator, text, read_ann(ann)))
    return out


SPLIT_SEED = 13
TUNE_ARTICLES = 60


def split_train(articles: list[Article]) -> tuple[list[Article], list[Article]]:
    """(train, tune): a seeded, by-article hold-out of TUNE_ARTICLES from PolNeAR train."""
    order = sorted(articles, key=lambda a: a.stem)
    random.Random(SPLIT_SEED).shuffle(order)
    tune = sorted(order[:TUNE_ARTICLES], key=lambda a: a.stem)
    train = sorted(order[TUNE_ARTICLES:], key=lambda a: a.stem)
    return train, tune
