"""`unspun eval semeval23`: paragraph-level micro- and macro-F1 of SemEval-2023 Task 3 (subtask 3).

`unspun eval semeval23 --articles DIR --gold FILE [--pred FILE] [--json] [--model fast|accurate] [--split ...] [--bootstrap N]`

The gold file (or folder, or several per-article files concatenated) names the paragraphs that are scored; only
paragraphs of articles in `--articles` count (the others are dropped with a note). Without `--pred` the model's
23-technique heads are run on those articles. Scores are those of `unspun.evaluation.semeval23_scorer`.

The shipped heads were fitted on all 371 SemEval-2023 training articles, so running them on those articles gives
in-sample scores; the out-of-fold figures come from `unspun train semeval23 --cv-only` (see docs/taxonomies.md).
`--split` keeps one part of unspun's fixed PTC split (the 2023 articles are PTC's, with the same ids).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from unspun.errors import InputDataError, InputMissingError, UsageError
from unspun.training.ptc import load_article_folder


def _read(path: Path, what: str) -> dict:
    from unspun.evaluation.semeval23_scorer import read_labels

    if not path.exists():
        raise InputMissingError(f"{what} not found: {path}")
    try:
        labels = read_labels(path)
    except OSError as exc:
        raise InputMissingError(f"cannot read {what} {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputDataError(f"{what} {path} is not UTF-8: {exc}") from exc
    except ValueError as exc:
        raise InputDataError(f"bad {what}: {exc}") from exc
    from unspun.taxonomy import SEMEVAL23

    known = set(SEMEVAL23.names)
    for (a, n), ts in labels.items():
        for t in ts:
            if t not in known:
                raise InputDataError(f"{what}: article {a} paragraph {n}: unknown technique {t!r} (not one of the 23)")
    return labels


def _split(texts: dict[str, str], split: str) -> dict[str, str]:
    if split == "all":
        return texts
    from unspun.training.techniques_split import split as fixed_split

    train, dev, val = fixed_split(sorted(texts))
    parts = {"train": train, "dev": dev, "val": val, "unseen": dev + val}
    if split not in parts:
        raise UsageError(f"unknown split {split!r}; choose all, train, dev, val or unseen")
    keep = set(parts[split])
    return {k: v for k, v in texts.items() if k in keep}


def _table(result: dict, intervals: dict) -> None:
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
    model: Annotated[str, typer.Option("--model", help="Model whose 23-technique heads run when no --pred is given: fast or accurate.")] = "accurate",
    split: Annotated[str, typer.Option("--split", help="Score only these articles of unspun's fixed PTC split: all, train, dev, val or unseen (dev + val).")] = "all",
    bootstrap: Annotated[int, typer.Option("--bootstrap", min=0, help="Also give 95% intervals from N resamples of the articles (0: off).")] = 0,
) -> None:
    """Score SemEval-2023 subtask-3 predictions (or the installed heads) per paragraph: micro- and macro-F1."""
    from unspun.evaluation.semeval23_scorer import rows_of, score, score_rows_macro, score_rows_micro
    from unspun.taxonomy import SEMEVAL23

    texts = _split(load_article_folder(articles), split)
    gold_all = _read(gold, "gold labels")
    gold_labels = {k: v for k, v in gold_all.items() if k[0] in texts}
    dropped = {k[0] for k in gold_all} - set(texts)
    if dropped:
        typer.echo(f"note: gold labels: {len(gold_all) - len(gold_labels)} paragraphs of {len(dropped)} articles not "
                   "in the articles folder (or the split) were left out", err=True)
    scored = {a: texts[a] for a in dict.fromkeys(k[0] for k in gold_labels)}
    if pred is not None:
        predicted = _read(pred, "prediction file")
        missing = sum(1 for k in gold_labels if k not in predicted)
        if missing:
            typer.echo(f"note: {missing} gold paragraphs have no prediction row; they count as predicted empty", err=True)
    else:
        if model not in ("fast", "accurate"):
            raise UsageError(f"unknown model {model!r}; choose fast or accurate")
        from unspun.ptc_commands import progress_bar
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
        _table(result, intervals)


__all__ = ["semeval23"]
