"""`unspun claims score`: check-worthiness scores for sentences, in the plain format evaluators use.

Input lines are `ID<TAB>SENTENCE`, split on the first tab, with no header and no quoting (a sentence may hold
more tabs). Output lines are `ID<TAB>SCORE`, SCORE = the calibrated probability of check-worthy, in input order.
Blank lines are skipped; a line without a tab or with an empty ID is a data error (exit 65) naming the line.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from unspun.errors import InputDataError

app = typer.Typer(help="Check-worthy claims: score sentences with the claims model.", no_args_is_help=True)
PROGRESS_MIN_LINES = 2000


@app.callback()
def _group() -> None:
    """Check-worthy claims: score sentences with the claims model."""


def parse_lines(text: str, name: str) -> list[tuple[str, str]]:
    """(id, sentence) pairs from `ID<TAB>SENTENCE` lines; raises InputDataError for a malformed line."""
    if text.startswith("\ufeff"):
        text = text[1:]
    rows = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.endswith("\r"):
            line = line[:-1]
        if not line.strip():
            continue
        if "\t" not in line:
            raise InputDataError(f"{name}: line {number}: no tab; expected ID<TAB>SENTENCE")
        key, sentence = line.split("\t", 1)
        if not key.strip():
            raise InputDataError(f"{name}: line {number}: empty ID; expected ID<TAB>SENTENCE")
        rows.append((key, sentence))
    return rows


def _scores(model, sentences: list[str]):
    if len(sentences) < PROGRESS_MIN_LINES:
        return model.scores(sentences)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("scoring"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("score", total=len(sentences))
        return model.scores(sentences, progress=lambda n: bar.advance(task, n))


@app.command()
def score(
    file: Annotated[str, typer.Argument(metavar="FILE|-", help="Lines ID<TAB>SENTENCE; - reads stdin.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write ID<TAB>SCORE lines here (atomically).")] = None,
    max_bytes: Annotated[
        int | None, typer.Option("--max-bytes", min=1, help="Input size limit in bytes (default 10 MB, or UNSPUN_MAX_BYTES).")
    ] = None,
) -> None:
    """Print ID<TAB>SCORE for each ID<TAB>SENTENCE line; SCORE is the probability that the sentence is check-worthy."""
    from unspun.ingest import reader
    from unspun.ingest.text import decode
    from unspun.limits import max_bytes as resolve_max_bytes
    from unspun.runtime.models import load_claims

    limit = resolve_max_bytes(max_bytes)
    data = reader.read_stdin(limit) if file == "-" else reader.read_path(file, limit)
    name = "stdin" if file == "-" else file
    try:
        text = decode(data, limit)
    except InputDataError as exc:
        raise InputDataError(f"{name}: {exc}") from None
    rows = parse_lines(text, name)
    model, _ = load_claims()
    scores = _scores(model, [s for _, s in rows]) if rows else []
    body = "".join(f"{key}\t{float(p):.6f}\n" for (key, _), p in zip(rows, scores)).encode("utf-8")
    if output is not None:
        from unspun.outfile import write_atomic

        write_atomic(output, body)
        return
    try:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
    except BrokenPipeError:
        sys.stderr.close()
