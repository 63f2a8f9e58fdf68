"""`unspun eval ptc|quotes|claims|semeval23`: score unspun against labelled corpora (mounted by the main CLI as
`app.add_typer(app, name="eval")`). The scorers live in `unspun.evaluation`; this module only reads, runs and prints.

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
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from unspun.datasets.ptc import load_article_folder
from unspun.errors import InputDataError, InputMissingError, ModelError, UnspunError, UsageError
from unspun.evaluation.ptc_scorer import Score, read_si, read_tc, score_full, score_si, score_tc
from unspun.runtime.models import DEFAULT_MODEL, MODELS

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


def _read(reader: Callable[..., Any], path: Path, what: str) -> Any:
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
    model: Annotated[str, typer.Option("--model", help="Model to run when no prediction file is given: fast or accurate.")] = DEFAULT_MODEL,
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
        from unspun.datasets.ptc_split import split as fixed_split

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
        if model not in MODELS:
            raise UsageError(f"unknown model {model!r}; choose {' or '.join(MODELS)}")
        from unspun.cli.progress import progress_bar

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


# --- unspun eval claims ------------------------------------------------------------------------------------------
# The claims model on the held-out ClaimBuster split and the held-out CheckThat! 2019 debates
# (`unspun.evaluation.claims`).


def _default_data() -> Path | None:
    root = os.environ.get("UNSPUN_SHARED_DATA")
    return Path(root) / "checkworthy" if root else None


def claims(
    data: Annotated[Path | None, typer.Option("--data", help="The checkworthy data folder (default: $UNSPUN_SHARED_DATA/checkworthy).")] = None,
    model_dir: Annotated[Path | None, typer.Option("--model-dir", help="A trained claims model folder (default: the shipped one).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Score the claims model on the held-out ClaimBuster split and the held-out CheckThat! 2019 debates."""
    from unspun.datasets.checkworthy import locate, split
    from unspun.evaluation.claims import evaluate
    from unspun.runtime.models import load_claims

    data = data or _default_data()
    if data is None:
        raise InputMissingError("give --data (the checkworthy folder) or set UNSPUN_SHARED_DATA")
    try:
        locate(data)
    except FileNotFoundError as exc:
        raise InputMissingError(str(exc)) from None
    model, _ = load_claims(str(model_dir) if model_dir else None)
    scores = evaluate(model, split(data))
    if as_json:
        typer.echo(json.dumps(scores))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"check-worthiness ({model.config.get('name')} {model.config.get('version')}, threshold {model.threshold})")
    for column in ("split", "precision", "recall", "F1", "AP", "mAP (debates)", "gold"):
        table.add_column(column, justify="right" if column != "split" else "left")
    titles = {"val": "validation (chose threshold)", "test": "ClaimBuster held-out", "ct19": "CT19 held-out debates"}
    for key, s in scores.items():
        table.add_row(titles[key], f"{s['precision']:.4f}", f"{s['recall']:.4f}", f"{s['f1']:.4f}",
                      f"{s['ap']:.4f}" if "ap" in s else "–", f"{s['map']:.4f}" if "map" in s else "–", str(s["gold"]))
    Console(file=sys.stdout).print(table)


# --- unspun eval semeval23 --------------------------------------------------------------------------------------
# `unspun eval semeval23`: paragraph-level micro- and macro-F1 of SemEval-2023 Task 3 (subtask 3).
#
# `unspun eval semeval23 --articles DIR --gold FILE [--pred FILE] [--json] [--model fast|accurate] [--split ...] [--bootstrap N]`
#
# The gold file (or folder, or several per-article files concatenated) names the paragraphs that are scored; only
# paragraphs of articles in `--articles` count (the others are dropped with a note). Without `--pred` the model's
# 23-technique heads are run on those articles. Scores are those of `unspun.evaluation.semeval23_scorer`.
#
# The shipped heads were fitted on all 371 SemEval-2023 training articles, so running them on those articles gives
# in-sample scores; the out-of-fold figures come from `unspun train semeval23 --cv-only` (see docs/taxonomies.md).
# `--split` keeps one part of unspun's fixed PTC split (the 2023 articles are PTC's, with the same ids).


def _read_paragraph_labels(path: Path, what: str) -> dict:
    from unspun.evaluation.semeval23_scorer import read_labels

    labels = _read(read_labels, path, what)
    from unspun.taxonomy import SEMEVAL23

    known = set(SEMEVAL23.names)
    for (a, n), ts in labels.items():
        for t in ts:
            if t not in known:
                raise InputDataError(f"{what}: article {a} paragraph {n}: unknown technique {t!r} (not one of the 23)")
    return labels


def _fixed_split(texts: dict[str, str], split: str) -> dict[str, str]:
    if split == "all":
        return texts
    from unspun.datasets.ptc_split import split as fixed_split

    train, dev, val = fixed_split(sorted(texts))
    parts = {"train": train, "dev": dev, "val": val, "unseen": dev + val}
    if split not in parts:
        raise UsageError(f"unknown split {split!r}; choose all, train, dev, val or unseen")
    keep = set(parts[split])
    return {k: v for k, v in texts.items() if k in keep}


def _semeval23_table(result: dict, intervals: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="SemEval-2023 Task 3, subtask 3 (paragraph level)")
    for column in ("measure", "value", "95% CI"):
        table.add_column(column, justify="right" if column != "measure" else "left")
    micro = result["micro"]
    for name, value in (("micro precision", micro["precision"]), ("micro recall", micro["recall"])):
        table.add_row(name, f"{value:.4f}", "")
    ci = intervals.get("micro")
    table.add_row("micro F1", f"{micro['f1']:.4f}", f"{ci[0]:.4f}–{ci[1]:.4f}" if ci else "")
    ci = intervals.get("macro")
    table.add_row("macro F1", f"{result['macro']['f1']:.4f}", f"{ci[0]:.4f}–{ci[1]:.4f}" if ci else "")
    per = Table(title=f"per technique ({result['paragraphs']} paragraphs)")
    for column in ("technique", "P", "R", "F1", "gold", "pred"):
        per.add_column(column, justify="right" if column != "technique" else "left")
    for t, s in result["per_technique"].items():
        per.add_row(t, f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}", str(s["gold"]), str(s["pred"]))
    console = Console(file=sys.stdout)
    console.print(table)
    console.print(per)


def semeval23(
    articles: Annotated[Path, typer.Option("--articles", help="Folder of article<ID>.txt files.")],
    gold: Annotated[Path, typer.Option("--gold", help="Gold paragraph labels: ID<TAB>PARAGRAPH<TAB>T1,T2,... (file or folder).")],
    pred: Annotated[Path | None, typer.Option("--pred", help="A `semeval23 predict` file to score instead of running the model.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    model: Annotated[str, typer.Option("--model", help="Model whose 23-technique heads run when no --pred is given: fast or accurate.")] = DEFAULT_MODEL,
    split: Annotated[str, typer.Option("--split", help="Score only these articles of unspun's fixed PTC split: all, train, dev, val or unseen (dev + val).")] = "all",
    bootstrap: Annotated[int, typer.Option("--bootstrap", min=0, help="Also give 95% intervals from N resamples of the articles (0: off).")] = 0,
) -> None:
    """Score SemEval-2023 subtask-3 predictions (or the installed heads) per paragraph: micro- and macro-F1."""
    from unspun.evaluation.semeval23_scorer import rows_of, score, score_rows_macro, score_rows_micro
    from unspun.taxonomy import SEMEVAL23

    texts = _fixed_split(load_article_folder(articles), split)
    gold_all = _read_paragraph_labels(gold, "gold labels")
    gold_labels = {k: v for k, v in gold_all.items() if k[0] in texts}
    dropped = {k[0] for k in gold_all} - set(texts)
    if dropped:
        typer.echo(f"note: gold labels: {len(gold_all) - len(gold_labels)} paragraphs of {len(dropped)} articles not "
                   "in the articles folder (or the split) were left out", err=True)
    scored = {a: texts[a] for a in dict.fromkeys(k[0] for k in gold_labels)}
    if pred is not None:
        predicted = _read_paragraph_labels(pred, "prediction file")
        missing = sum(1 for k in gold_labels if k not in predicted)
        if missing:
            typer.echo(f"note: {missing} gold paragraphs have no prediction row; they count as predicted empty", err=True)
    else:
        if model not in MODELS:
            raise UsageError(f"unknown model {model!r}; choose {' or '.join(MODELS)}")
        from unspun.cli.progress import progress_bar
        from unspun.stages.techniques import predict_semeval23

        typer.echo(f"running the {model} model's 23-technique heads on {len(scored)} articles", err=True)
        with progress_bar(len(scored), "scoring") as bar:
            task = bar.add_task("score", total=len(scored))
            predicted = predict_semeval23(scored, model, progress=lambda: bar.advance(task))
    result = score(predicted, gold_labels, SEMEVAL23.names).as_dict()
    intervals: dict[str, tuple[float, float]] = {}
    if bootstrap and scored:
        from unspun.evaluation.bootstrap import f1_interval

        pr = rows_of({k: v for k, v in predicted.items() if k in gold_labels})
        gr = rows_of(gold_labels)
        intervals["micro"] = f1_interval(score_rows_micro, pr, gr, sorted(scored), rounds=bootstrap)
        intervals["macro"] = f1_interval(score_rows_macro, pr, gr, sorted(scored), rounds=bootstrap)
        result["micro"]["f1_ci95"] = list(intervals["micro"])
        result["macro"]["f1_ci95"] = list(intervals["macro"])
    if as_json:
        typer.echo(json.dumps(result))
    else:
        _semeval23_table(result, intervals)


app.command("claims")(claims)
app.command("semeval23")(semeval23)


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
    from unspun.datasets.polnear import load_split

    if split not in ("dev", "tune"):
        raise UsageError("--split is dev or tune")
    if not (data / "dev" / "attributions").is_dir():
        raise InputMissingError(f"{data}: not a PolNeAR folder (no dev/attributions)")
    if split == "dev":
        articles = load_split(data, "dev")
    else:
        from unspun.datasets.polnear import split_train

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


__all__ = ["app", "claims", "ptc", "quotes", "semeval23"]
