"""Reader for the SemEval-2023 Task 3 (subtask 3, English) data folder, as staged under `shared/data/semeval2023-task3-en`.

Layout (the organisers' release, filtered to the 371 PTC-train articles, see its PROVENANCE.md):
- `train/train-articles-subtask-3/article<ID>.txt`: the articles (read exactly, like PTC's);
- `train/train-labels-subtask-3-spans/article<ID>-labels-subtask-3.txt`: span rows `ID<TAB>TECHNIQUE<TAB>START<TAB>END`;
- `train/train-labels-subtask-3/article<ID>-labels-subtask-3.txt`: paragraph rows `ID<TAB>LINE<TAB>T1,T2,...`
  (and `.template` files with the paragraph text in the third column);
- `train/techniques_subtask3.txt`: the 23 technique names.

The data is research-only: it is read at training and evaluation time and never copied into the repository or a model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from unspun.evaluation.ptc_scorer import read_tc
from unspun.evaluation.semeval23_scorer import read_labels
from unspun.training.ptc import load_articles


@dataclass
class Semeval23Data:
    """Articles, gold spans and gold paragraph labels, by article id."""

    articles: dict[str, str]
    spans: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict)  # (technique, start, end)
    paragraphs: dict[str, dict[int, set[str]]] = field(default_factory=dict)  # line number -> techniques
    techniques_file: Path | None = None


def locate(data: str | Path) -> Path:
    """The folder that holds `train-articles-subtask-3/`: `data` itself or `data/train`."""
    root = Path(data)
    for folder in (root / "train", root):
        if (folder / "train-articles-subtask-3").is_dir():
            return folder
    raise FileNotFoundError(f"{root}: no train-articles-subtask-3 folder (expected train/train-articles-subtask-3)")


def load(data: str | Path) -> Semeval23Data:
    """Everything in the folder; articles without a span file or label file simply have none."""
    folder = locate(data)
    articles = load_articles(folder / "train-articles-subtask-3")
    spans: dict[str, list[tuple[str, int, int]]] = {}
    span_dir = folder / "train-labels-subtask-3-spans"
    if span_dir.is_dir():
        for f in sorted(span_dir.glob("article*-labels-subtask-3.txt")):
            for article_id, technique, start, end in read_tc(f):
                spans.setdefault(article_id, []).append((technique, start, end))
    paragraphs: dict[str, dict[int, set[str]]] = {}
    label_dir = folder / "train-labels-subtask-3"
    if label_dir.is_dir():
        for (article_id, number), techniques in read_labels(label_dir).items():
            paragraphs.setdefault(article_id, {})[number] = set(techniques)
    names = folder / "techniques_subtask3.txt"
    return Semeval23Data(articles, spans, paragraphs, names if names.is_file() else None)


__all__ = ["Semeval23Data", "load", "locate"]
