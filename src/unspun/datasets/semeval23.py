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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path

from unspun.datasets.ptc import load_articles, read_tc

Key = tuple[str, int]  # (article id, paragraph number)


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


# --- files ----------------------------------------------------------------------------------------------------
def _files(path: str | PathLike[str]) -> list[Path]:
    p = Path(path)
    if p.is_dir():
        return sorted(f for f in p.iterdir() if f.is_file() and not f.name.endswith(".template"))
    if not p.exists():
        raise FileNotFoundError(f"label file not found: {p}")
    return [p]


def _rows(path: str | PathLike[str]):
    for file in _files(path):
        with open(file, encoding="utf-8", newline="") as handle:
            for lineno, line in enumerate(handle, 1):
                line = line.rstrip("\r\n")
                if not line.strip():
                    continue
                fields = line.split("\t", 2)
                if len(fields) < 2 or not fields[0].strip():
                    raise ValueError(f"{file}:{lineno}: expected ID<TAB>PARAGRAPH<TAB>..., got {line[:80]!r}")
                try:
                    number = int(fields[1])
                except ValueError:
                    raise ValueError(f"{file}:{lineno}: paragraph number {fields[1]!r} is not an integer") from None
                if number < 1:
                    raise ValueError(f"{file}:{lineno}: paragraph numbers start at 1, got {number}")
                yield file, lineno, fields[0].strip(), number, fields[2] if len(fields) > 2 else ""


def read_labels(path: str | PathLike[str]) -> dict[Key, tuple[str, ...]]:
    """`{(article_id, paragraph): techniques}` from a gold or prediction file (or folder), in file order."""
    out: dict[Key, list[str]] = {}
    for _, _, article_id, number, third in _rows(path):
        labels = out.setdefault((article_id, number), [])
        for t in third.split(","):
            t = t.strip()
            if t and t not in labels:
                labels.append(t)
    return {k: tuple(v) for k, v in out.items()}


def read_template(path: str | PathLike[str]) -> list[tuple[str, int, str]]:
    """`(article_id, paragraph, text)` rows of a `.template` file (or of every file in a folder), in file order."""
    return [(article_id, number, text) for _, _, article_id, number, text in _rows(path)]


def format_rows(rows: Iterable[tuple[str, int, Sequence[str]]]) -> str:
    """The subtask-3 file: `ID<TAB>PARAGRAPH<TAB>T1,T2,...` per row, the third column empty when there is none."""
    return "".join(f"{a}\t{n}\t{','.join(ts)}\n" for a, n, ts in rows)


__all__ = ["Key", "Semeval23Data", "format_rows", "load", "locate", "read_labels", "read_template"]
