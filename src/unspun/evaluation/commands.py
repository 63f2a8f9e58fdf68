"""`unspun eval`: score unspun against labelled corpora (mounted by the main CLI as `app.add_typer(app, name="eval")`).

`unspun eval ptc --articles DIR --gold-si FILE --gold-tc FILE [--pred FILE] [--pred-tc FILE] [--json]`

- `--pred` is a `ptc predict` file (`ID<TAB>TECHNIQUE<TAB>START<TAB>END`): its spans are scored for SI (techniques
  ignored) and its rows for the full task (span + technique).
- `--pred-tc` is a `ptc classify` file (the same rows, for the gold spans): scored for TC.
- Without either, the technique model is run: `ptc predict` on every article for SI and the full task, and
  `ptc classify` with the gold TC rows as template for TC, from one encoder pass per article. The model stage,
  `unspun.stages.techniques`, must provide `run_ptc(articles: dict[str, str], template: list[(id, start, end)],
  model) -> (predict rows, classify rows)`, rows being `(id, technique, start, end)`; while it does not, this
  raises `ModelError`.
- `--bootstrap N` adds a 95% interval to each F1, from N resamples of whole articles (`unspun.evaluation.bootstrap`).

Gold labels and files may be single files or folders of per-article `*.labels` files. Only the articles found in
`--articles` are scored (gold rows of other articles are dropped with a note on stderr), so a folder holding a
validation split scores that split. Every label must lie inside its article's text.

Metrics are those of `unspun.evaluation.ptc_scorer` (see its docstring). `--json` prints
`{"si": {precision, recall, f1}, "tc": {...}, "full": {...}}` with only the keys computed; otherwise a table.
Errors are raised as `UnspunError` subclasses; the main CLI turns them into exit codes (66 missing input,
65 malformed labels, 78 no model).
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from unspun.training.ptc import load_article_folder
from unspun.errors import UsageError, InputDataError, InputMissingError, ModelError, UnspunError
from unspun.evaluation.ptc_scorer import Score, read_si, read_tc, score_full, score_si, score_tc

app = typer.Typer(
    help="Score unspun against labelled corpora (PTC techniques, PolNeAR quotes, check-worthy claims).",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def _group() -> None:
    """Score unspun against labelled corpora (PTC / SemEval-2020 Task 11)."""


def _note(message: str) -> None:
    typer.echo(message, err=True)


def _require_file(path: Path, what: str) -> None:
    if not path.exists():
        raise InputMissingError(f"{what} not found: {path}")


def _read(reader: Callable[..., list], path: Path, what: str) -> list:
    _require_file(path, what)
    try:
        return reader(path)
    except OSError as exc:
        raise InputMissingError(f"cannot read {what} {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputDataError(f"{what} {path} is not UTF-8: {exc}") from exc
    except ValueError as exc:
        raise InputDataError(f"bad {what}: {exc}") from exc


def _check_offsets(rows: Sequence[Sequence[Any]], articles: dict[str, str], what: str) -> None:
    for row in rows:
        article_id, start, end = row[0], row[-2], row[-1]
        text = articles.get(article_id)
        if text is None:
            raise InputDataError(f"{what}: article {article_id} is not in the articles folder")
        if end > len(text):
            raise InputDataError(
                f"{what}: span {start}-{end} of article {article_id} ends beyond its text ({len(text)} characters)"
            )


def _restrict_gold(rows: list, articles: dict[str, str], what: str) -> list:
    kept = [row for row in rows if row[0] in articles]
    dropped_ids = {row[0] for row in rows if row[0] not in articles}
    if dropped_ids:
        _note(
            f"note: {what}: {len(rows) - len(kept)} rows of {len(dropped_ids)} articles not in the articles folder "
            "were left out"
        )
    return kept


def _technique_model() -> Callable[..., Any]:
    try:
        techniques = importlib.import_module("unspun.stages.techniques")
    except UnspunError:
        raise
    except ImportError as exc:
        raise ModelError(
            f"no technique model is installed yet (unspun.stages.techniques cannot be imported: {exc}); "
            "score a prediction file with --pred / --pred-tc instead"
        ) from exc
    run = getattr(techniques, "run_ptc", None)
    if not callable(run):
        raise ModelError(
            "no technique model is installed yet (unspun.stages.techniques has no run_ptc); "
            "score a prediction file with --pred / --pred-tc instead"
        )
    return run


def _print_table(scores: dict[str, Score], intervals: dict[str, tuple[float, float]] | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    titles = {"si": "SI (spans)", "tc": "TC (techniques, gold spans)", "full": "full (span + technique)"}
    table = Table(title="PTC / SemEval-2020 Task 11")
    table.add_column("task")
    columns = ["precision", "recall", "F1"] + (["F1 95% CI"] if intervals else []) + ["pred", "gold"]
    for column in columns:
        table.add_column(column, justify="right")
    for key, score in scores.items():
        cells = [f"{score.precision:.4f}", f"{score.recall:.4f}", f"{score.f1:.4f}"]
        if intervals:
            lo, hi = intervals[key]
            cells.append(f"{lo:.4f}–{hi:.4f}")
        table.add_row(titles[key], *cells, str(score.n_pred), str(score.n_gold))
    Console(file=sys.stdout).print(table)


@app.command("ptc")
def ptc(
    articles: Annotated[Path, typer.Option("--articles", help="Folder of article<ID>.txt files.")],
    gold_si: Annotated[Path, typer.Option("--gold-si", help="Gold SI labels: ID<TAB>START<TAB>END (file or folder).")],
    gold_tc: Annotated[
        Path, typer.Option("--gold-tc", help="Gold TC labels: ID<TAB>TECHNIQUE<TAB>START<TAB>END (file or folder).")
    ],
    pred: Annotated[
        Path | None, typer.Option("--pred", help="A `ptc predict` file, scored for SI and the full task.")
    ] = None,
    pred_tc: Annotated[Path | None, typer.Option("--pred-tc", help="A `ptc classify` file, scored for TC.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    model: Annotated[str, typer.Option("--model", help="Model to run when no prediction file is given: fast or accurate.")] = "accurate",
    split: Annotated[
        str, typer.Option("--split", help="Score only these articles of unspun's fixed by-article split of PTC train: all, train, dev or val.")
    ] = "all",
    bootstrap: Annotated[
        int, typer.Option("--bootstrap", min=0, help="Also give a 95% interval for each F1, from N resamples of the articles (0: off; 1000 is typical).")
    ] = 0,
) -> None:
    """Score predictions (or the installed technique model) on PTC for SI, TC and the full task.

    With --bootstrap N, each F1 also gets a 95% percentile interval over N resamples of whole articles, which shows
    how much of a difference between two runs the split's own noise could explain."""
    texts = load_article_folder(articles)
    if split != "all":
        from unspun.training.techniques_split import split as fixed_split

        parts = dict(zip(("train", "dev", "val"), fixed_split(sorted(texts))))
        if split not in parts:
            raise UsageError(f"unknown split {split!r}; choose all, train, dev or val")
        keep = set(parts[split])
        texts = {k: v for k, v in texts.items() if k in keep}
    gold_spans = _restrict_gold(_read(read_si, gold_si, "gold SI labels"), texts, "gold SI")
    gold_rows = _restrict_gold(_read(read_tc, gold_tc, "gold TC labels"), texts, "gold TC")
    _check_offsets(gold_spans, texts, "gold SI")
    _check_offsets(gold_rows, texts, "gold TC")

    predicted: list | None = None
    classified: list | None = None
    if pred is not None:
        predicted = _read(read_tc, pred, "prediction file")
        _check_offsets(predicted, texts, "prediction file")
    if pred_tc is not None:
        classified = _read(read_tc, pred_tc, "TC prediction file")
        _check_offsets(classified, texts, "TC prediction file")
    if pred is None and pred_tc is None:
        run = _technique_model()
        _note(f"running the technique model on {len(texts)} articles")
        if model not in ("fast", "accurate"):
            raise UsageError(f"unknown model {model!r}; choose fast or accurate")
        from unspun.ptc_commands import progress_bar

        with progress_bar(len(texts), "scoring") as bar:
            task = bar.add_task("score", total=len(texts))
            predicted, classified = run(texts, [(a, s, e) for a, _, s, e in gold_rows], model,
                                        progress=lambda: bar.advance(task))

    scores: dict[str, Score] = {}
    if predicted is not None:
        scores["si"] = score_si(predicted, gold_spans)
    if classified is not None:
        scores["tc"] = score_tc(classified, gold_rows)
    if predicted is not None:
        scores["full"] = score_full(predicted, gold_rows)

    intervals: dict[str, tuple[float, float]] = {}
    if bootstrap:
        from unspun.evaluation.bootstrap import f1_interval

        scorers = {"si": (score_si, predicted, gold_spans), "tc": (score_tc, classified, gold_rows),
                   "full": (score_full, predicted, gold_rows)}
        _note(f"bootstrap: {bootstrap} resamples of {len(texts)} articles")
        for key in scores:
            scorer, pred_rows, gold_here = scorers[key]
            intervals[key] = f1_interval(scorer, pred_rows, gold_here, sorted(texts), rounds=bootstrap)

    if as_json:
        out = {key: score.as_dict() for key, score in scores.items()}
        for key, (lo, hi) in intervals.items():
            out[key]["f1_ci95"] = [lo, hi]
        typer.echo(json.dumps(out))
    else:
        _print_table(scores, intervals)


from unspun.evaluation.claims import claims  # noqa: E402
from unspun.evaluation.semeval23 import semeval23  # noqa: E402

app.command("claims")(claims)
app.command("semeval23")(semeval23)

__all__ = ["app", "claims", "ptc", "semeval23"]


@app.command("quotes")
def quotes(
    data: Annotated[Path, typer.Option("--data", help="PolNeAR folder (with train/ and dev/).")],
    split: Annotated[str, typer.Option("--split", help="dev (reported) or tune (the held-out part of train used for decoding).")] = "dev",
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Score the shipped quote stage (tagger, decoding and speaker resolution) on PolNeAR.

    Content P/R/F1 (a match needs overlap ≥ 50% of the longer span) and speaker accuracy over matched contents,
    overall and for direct and indirect quotes (see `unspun.evaluation.quotes`). PolNeAR annotates attributions of
    words and of thoughts alike, so these score quotes and views together; `quotes only` scores the quotes list.
    """
    from unspun.evaluation.quotes import evaluate_stage
    from unspun.training.polnear import load_split

    if split not in ("dev", "tune"):
        raise UsageError("--split is dev or tune")
    if not (data / "dev" / "attributions").is_dir():
        raise InputMissingError(f"{data}: not a PolNeAR folder (no dev/attributions)")
    if split == "dev":
        articles = load_split(data, "dev")
    else:
        from unspun.training.quotes import split_train

        articles = split_train(load_split(data, "train"))[1]
    result = evaluate_stage(articles)
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    typer.echo(f"{len(articles)} articles ({split})")
    for key in ("content", "direct", "indirect"):
        s = result[key]
        typer.echo(f"{key:<9} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}  "
                   f"(pred {s['pred']}, gold {s['gold']}, matched {s['matched']})")
    s = result["quotes_only"]
    typer.echo(f"{'quotes only':<9} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}  "
               f"(pred {s['pred']}, gold {s['gold']}, matched {s['matched']})")
    typer.echo(f"speaker accuracy over matched contents: {result['speaker_accuracy']:.3f}")
