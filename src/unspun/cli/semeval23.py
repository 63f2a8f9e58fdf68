"""`unspun semeval23 predict`: SemEval-2023 Task 3 (subtask 3) predictions in the task's file format.

One row per template paragraph, in the template's order: `ID<TAB>PARAGRAPH<TAB>T1,T2,...` (the third column empty
when the paragraph has no technique). Paragraphs are the article's lines as the template numbers them (1-based,
blank lines counted but not listed; see `unspun.paragraphs`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from unspun.cli.progress import progress_bar
from unspun.datasets.ptc import load_article_folder
from unspun.errors import InputDataError, InputMissingError
from unspun.runtime.models import DEFAULT_MODEL, ModelName

app = typer.Typer(help="SemEval-2023 Task 3 (subtask 3) predictions in the task's file format.", no_args_is_help=True)


@app.callback()
def _group() -> None:
    """SemEval-2023 Task 3 (subtask 3): persuasion techniques per paragraph, 23-technique taxonomy."""


def read_template_checked(template: Path, articles: dict[str, str]) -> list[tuple[str, int, str]]:
    """The template's rows; every article must be in `articles` (InputDataError otherwise)."""
    from unspun.evaluation.semeval23_scorer import read_template

    if not template.is_file():
        raise InputMissingError(f"{template}: no such file")
    try:
        rows = read_template(template)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputDataError(f"{template}: {exc}") from None
    missing = sorted({a for a, _, _ in rows} - set(articles))
    if missing:
        raise InputDataError(f"{template}: rows for articles not in the articles folder: {', '.join(missing[:5])}")
    return rows


@app.command()
def predict(
    articles_dir: Annotated[Path, typer.Argument(metavar="ARTICLES_DIR", help="Folder of article<ID>.txt files.")],
    template: Annotated[Path, typer.Option("--template", help="The subtask-3 .template file (ID<TAB>PARAGRAPH<TAB>TEXT rows).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Write ID<TAB>PARAGRAPH<TAB>T1,T2,... rows here.")],
    model: Annotated[ModelName, typer.Option("--model", help="fast or accurate (their 23-technique heads).")] = ModelName(DEFAULT_MODEL),
    min_score: Annotated[float | None, typer.Option("--min-score", min=0.0, max=1.0, help="Default: the heads' own.")] = None,
) -> None:
    """Label every template paragraph with the SemEval-2023 techniques found in it."""
    from unspun.evaluation.semeval23_scorer import format_rows
    from unspun.outfile import write_atomic
    from unspun.paragraphs import paragraphs
    from unspun.stages.techniques import predict_semeval23

    articles = load_article_folder(articles_dir)
    rows = read_template_checked(template, articles)
    wanted = {a: articles[a] for a in dict.fromkeys(a for a, _, _ in rows)}
    with progress_bar(len(wanted), "predicting") as bar:
        task = bar.add_task("predict", total=len(wanted))
        labels = predict_semeval23(wanted, model.value, min_score, progress=lambda: bar.advance(task))
    differ = 0
    for a, n, text in rows:
        lines = {p.number: p for p in paragraphs(wanted[a])}
        p = lines.get(n)
        if p is None or wanted[a][p.start : p.end].strip() != text.strip():
            differ += 1
    if differ:
        typer.echo(f"note: {differ} template paragraphs do not match their article's line (edited text?); "
                   "their rows are written with the labels of that line number", err=True)
    write_atomic(output, format_rows((a, n, labels.get((a, n), [])) for a, n, _ in rows).encode("utf-8"))
