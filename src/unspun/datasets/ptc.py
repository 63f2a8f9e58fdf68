"""Reader for the Propaganda Techniques Corpus (PTC, SemEval-2020 Task 11) directory layout, and by-article splits.

Layout (as released, and as staged under `shared/data/ptc/`):

- articles: a folder of `article<ID>.txt` files, read exactly as `open(path, encoding="utf-8", newline="").read()`
  so that the label offsets index the returned string (no newline translation; a BOM would stay);
- SI labels: `ID<TAB>START<TAB>END` rows, either in one file (`train-task-si.labels`) or in a folder of per-article
  files (`train-labels-task-si/article<ID>.task-si.labels`);
- TC labels: `ID<TAB>TECHNIQUE<TAB>START<TAB>END` rows, likewise one file (`train-task-flc-tc.labels`) or a folder
  (`train-labels-task-flc-tc/`). The SemEval-era names (`train-task1-SI.labels`, `...task2-TC.labels`) read the same.

Splits are by article, so no article contributes to both sides. They are deterministic: the ids are de-duplicated
and sorted, then shuffled with `random.Random(seed)`, so the same ids and seed give the same split on any machine.

Pure Python: no torch, no third-party imports.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Iterable
from os import PathLike
from pathlib import Path

SpanRow = tuple[str, int, int]
"""An SI row: (article_id, start, end)."""

TechniqueRow = tuple[str, str, int, int]
"""A TC / full-task row: (article_id, technique, start, end)."""

UNKNOWN_TECHNIQUE = "?"

ARTICLE_FILE = re.compile(r"^article(\d+)\.txt$")


def load_articles(directory: str | PathLike[str]) -> dict[str, str]:
    """`{article_id: text}` for every `article<ID>.txt` in `directory`, ordered by id (numerically).

    The id is the digits of the file name. Other files are ignored. `FileNotFoundError` / `NotADirectoryError`
    when `directory` is not a folder.
    """
    folder = Path(directory)
    if not folder.exists():
        raise FileNotFoundError(f"articles folder not found: {folder}")
    if not folder.is_dir():
        raise NotADirectoryError(f"not a folder: {folder}")
    found: list[tuple[str, Path]] = []
    for path in folder.iterdir():
        match = ARTICLE_FILE.match(path.name)
        if match and path.is_file():
            found.append((match.group(1), path))
    found.sort(key=lambda item: (int(item[0]), item[0]))
    articles: dict[str, str] = {}
    for article_id, path in found:
        with open(path, encoding="utf-8", newline="") as handle:
            articles[article_id] = handle.read()
    return articles


def load_spans(si_file: str | PathLike[str]) -> dict[str, list[tuple[int, int]]]:
    """SI labels as `{article_id: [(start, end), ...]}`, spans sorted; a file or a folder of `*.labels` files.

    Articles without any span (empty per-article files) are absent. Spans are returned as given (not merged).
    """
    grouped: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for article_id, start, end in read_si(si_file):
        grouped[article_id].append((start, end))
    return {k: sorted(v) for k, v in sorted(grouped.items(), key=_id_key)}


def load_techniques(tc_file: str | PathLike[str]) -> dict[str, list[tuple[str, int, int]]]:
    """TC labels as `{article_id: [(technique, start, end), ...]}`, sorted by (start, end, technique).

    Accepts one file or a folder of per-article `*.labels` files. A span with two techniques gives two entries.
    """
    grouped: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for article_id, technique, start, end in read_tc(tc_file):
        grouped[article_id].append((technique, start, end))
    return {k: sorted(v, key=lambda r: (r[1], r[2], r[0])) for k, v in sorted(grouped.items(), key=_id_key)}


def _id_key(item: tuple[str, object]) -> tuple[int, str]:
    article_id = item[0]
    return (int(article_id) if article_id.isdigit() else -1, article_id)


def _shuffled(ids: Iterable[str], seed: int) -> list[str]:
    ordered = sorted(set(ids))
    random.Random(seed).shuffle(ordered)
    return ordered


def split_articles(ids: Iterable[str], *, val_fraction: float = 0.2, seed: int = 13) -> tuple[list[str], list[str]]:
    """`(train_ids, val_ids)`, disjoint and together covering `ids`; each list sorted.

    The validation side gets `round(len(ids) * val_fraction)` articles (74 of 371 at 0.2).
    """
    if not 0.0 <= val_fraction <= 1.0:
        raise ValueError(f"val_fraction must be between 0 and 1, got {val_fraction}")
    shuffled = _shuffled(ids, seed)
    n_val = round(len(shuffled) * val_fraction)
    return sorted(shuffled[n_val:]), sorted(shuffled[:n_val])


def kfold(ids: Iterable[str], k: int = 5, seed: int = 13) -> list[tuple[list[str], list[str]]]:
    """`k` folds `(train_ids, val_ids)`.

    The validation sides are disjoint, cover `ids` and differ in size by at most 1; each list is sorted.
    """
    shuffled = _shuffled(ids, seed)
    if k < 2:
        raise ValueError(f"k must be at least 2, got {k}")
    if k > len(shuffled):
        raise ValueError(f"k={k} folds need at least {k} articles, got {len(shuffled)}")
    folds: list[tuple[list[str], list[str]]] = []
    for fold in range(k):
        val = set(shuffled[fold::k])
        folds.append((sorted(i for i in shuffled if i not in val), sorted(val)))
    return folds


__all__ = ["kfold", "load_articles", "load_spans", "load_techniques", "split_articles"]


def locate(data: str | PathLike[str]) -> tuple[Path, Path, Path]:
    """(articles dir, SI labels, TC labels) inside a PTC data folder such as `shared/data/ptc`.

    Prefers the final-release labels in `train-v2-labels/`; also accepts a folder that directly holds
    `train-articles/` and the label files.
    """
    root = Path(data)
    candidates = [root / "train" / "train-articles", root / "train-articles"]
    articles = next((c for c in candidates if c.is_dir()), None)
    if articles is None:
        raise FileNotFoundError(f"{root}: no train-articles folder (expected train/train-articles or train-articles)")
    for labels in (root / "train-v2-labels", root / "train", root):
        si, tc = labels / "train-task-si.labels", labels / "train-task-flc-tc.labels"
        if si.exists() and tc.exists():
            return articles, si, tc
        si, tc = labels / "train-task1-SI.labels", labels / "train-task2-TC.labels"
        if si.exists() and tc.exists():
            return articles, si, tc
    raise FileNotFoundError(f"{root}: no SI/TC label files found")


def load_article_folder(path: str | PathLike[str]) -> dict[str, str]:
    """`load_articles` for the command line: a missing folder or unreadable file is an `unspun.errors` error."""
    from unspun.errors import InputDataError, InputMissingError

    path = Path(path)
    if not path.exists():
        raise InputMissingError(f"articles folder not found: {path}")
    if not path.is_dir():
        raise InputMissingError(f"articles path is not a folder: {path}")
    try:
        articles = load_articles(path)
    except OSError as exc:
        raise InputMissingError(f"cannot read articles in {path}: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputDataError(f"an article in {path} is not UTF-8: {exc}") from exc
    if not articles:
        raise InputDataError(f"no article<ID>.txt files in {path}")
    return articles


# ---------------------------------------------------------------------------------------------------------------
# readers


def _label_files(path: str | PathLike[str]) -> list[Path]:
    p = Path(path)
    if p.is_dir():
        return sorted(f for f in p.iterdir() if f.is_file() and f.name.endswith(".labels"))
    if not p.exists():
        raise FileNotFoundError(f"label file not found: {p}")
    return [p]


def _rows(path: str | PathLike[str]) -> Iterable[tuple[Path, int, list[str]]]:
    for file in _label_files(path):
        with open(file, encoding="utf-8", newline="") as handle:
            for lineno, line in enumerate(handle, 1):
                line = line.rstrip("\r\n")
                if not line.strip():
                    continue
                fields = [f.strip() for f in line.split("\t")] if "\t" in line else line.split()
                yield file, lineno, fields


def _int(value: str, file: Path, lineno: int, what: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{file}:{lineno}: {what} {value!r} is not an integer") from None
    if number < 0:
        raise ValueError(f"{file}:{lineno}: {what} {number} is negative")
    return number


def _span(fields: list[str], file: Path, lineno: int) -> tuple[int, int]:
    start = _int(fields[-2], file, lineno, "start")
    end = _int(fields[-1], file, lineno, "end")
    if end < start:
        raise ValueError(f"{file}:{lineno}: end {end} is before start {start}")
    return start, end


def read_si(path: str | PathLike[str]) -> list[SpanRow]:
    """Rows `(article_id, start, end)` of an SI label file (`ID<TAB>START<TAB>END`) or folder of them."""
    rows: list[SpanRow] = []
    for file, lineno, fields in _rows(path):
        if len(fields) != 3:
            raise ValueError(f"{file}:{lineno}: expected 3 tab-separated fields (ID, START, END), got {len(fields)}")
        rows.append((fields[0], *_span(fields, file, lineno)))
    return rows


def read_tc(path: str | PathLike[str], *, allow_unknown: bool = False) -> list[TechniqueRow]:
    """Rows `(article_id, technique, start, end)` of a TC label / prediction file or folder of them.

    A `?` technique (a template row) is an error unless `allow_unknown`, in which case it is kept as `"?"`.
    """
    rows: list[TechniqueRow] = []
    for file, lineno, fields in _rows(path):
        if len(fields) != 4:
            raise ValueError(
                f"{file}:{lineno}: expected 4 tab-separated fields (ID, TECHNIQUE, START, END), got {len(fields)}"
            )
        technique = fields[1]
        if not technique:
            raise ValueError(f"{file}:{lineno}: empty technique")
        if technique == UNKNOWN_TECHNIQUE and not allow_unknown:
            raise ValueError(f"{file}:{lineno}: technique is '?' (a template row, not a prediction)")
        rows.append((fields[0], technique, *_span(fields, file, lineno)))
    return rows


def read_template(path: str | PathLike[str]) -> list[SpanRow]:
    """The spans of a TC template (`ID<TAB>?<TAB>START<TAB>END`), in file order, as `(article_id, start, end)`.

    Any technique column is accepted (a gold TC file works as a template); repeated spans are kept, since a span
    listed twice asks for two distinct techniques.
    """
    return [(article_id, start, end) for article_id, _, start, end in read_tc(path, allow_unknown=True)]


def format_tc_rows(rows: Iterable[TechniqueRow]) -> str:
    """Rows as `ID<TAB>TECHNIQUE<TAB>START<TAB>END` lines (the `ptc predict` / `classify` format)."""
    return "".join(f"{a}\t{t}\t{s}\t{e}\n" for a, t, s, e in rows)
