"""`unspun ptc predict|classify`: the SemEval-2020 Task 11 file formats, for benchmarking against PTC.

Offsets index each `article<ID>.txt` exactly as Python reads it (UTF-8, no newline translation).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from unspun.cli.progress import progress_bar
from unspun.datasets.ptc import load_article_folder
from unspun.errors import InputDataError, InputMissingError
from unspun.runtime.models import DEFAULT_MODEL, ModelName

app = typer.Typer(help="PTC (SemEval-2020 Task 11) predictions in the task's file formats.", no_args_is_help=True)


def _write(rows, output: Path) -> None:
    from unspun.evaluation.ptc_scorer import format_tc_rows
    from unspun.outfile import write_atomic

    write_atomic(output, format_tc_rows(rows).encode("utf-8"))


@app.command()
def predict(
    articles_dir: Annotated[Path, typer.Argument(metavar="ARTICLES_DIR", help="Folder of article<ID>.txt files.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Write ID<TAB>TECHNIQUE<TAB>START<TAB>END rows here.")],
    model: Annotated[ModelName, typer.Option("--model", help="fast or accurate.")] = ModelName(DEFAULT_MODEL),
    min_score: Annotated[float | None, typer.Option("--min-score", min=0.0, max=1.0, help="Default: the model's own.")] = None,
) -> None:
    """Detect technique spans in every article: one row per (span, technique)."""
    from unspun.stages.techniques import predict_ptc

    articles = load_article_folder(articles_dir)
    with progress_bar(len(articles), "predicting") as bar:
        task = bar.add_task("predict", total=len(articles))
        rows = predict_ptc(articles, model.value, min_score, progress=lambda: bar.advance(task))
    _write(rows, output)


@app.command()
def classify(
    template: Annotated[Path, typer.Argument(metavar="TEMPLATE", help="Rows ID<TAB>?<TAB>START<TAB>END.")],
    articles_dir: Annotated[Path, typer.Argument(metavar="ARTICLES_DIR", help="Folder of article<ID>.txt files.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Write the rows with techniques here.")],
    model: Annotated[ModelName, typer.Option("--model", help="fast or accurate.")] = ModelName(DEFAULT_MODEL),
) -> None:
    """Name the technique of each span in a template; repeated spans get distinct techniques, best first."""
    from unspun.evaluation.ptc_scorer import read_template
    from unspun.stages.techniques import classify_ptc

    if not template.is_file():
        raise InputMissingError(f"{template}: no such file")
    try:
        spans = read_template(template)
    except ValueError as exc:
        raise InputDataError(str(exc)) from None
    articles = load_article_folder(articles_dir)
    missing = sorted({a for a, _, _ in spans} - set(articles))
    if missing:
        raise InputDataError(f"{template}: rows for articles not in {articles_dir}: {', '.join(missing[:5])}")
    for a, s, e in spans:
        if not (0 <= s < e <= len(articles[a])):
            raise InputDataError(f"{template}: span {s}-{e} is outside article {a} ({len(articles[a])} characters)")
    with progress_bar(len({a for a, _, _ in spans}), "classifying") as bar:
        task = bar.add_task("classify", total=len({a for a, _, _ in spans}))
        rows = classify_ptc(articles, spans, model.value, progress=lambda: bar.advance(task))
    _write(rows, output)
