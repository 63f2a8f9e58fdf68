"""`unspun eval claims`: the claims model on unspun's held-out check-worthiness splits.

Scores the ClaimBuster held-out split (P/R/F1 of the check-worthy class at the model's threshold, AP) and the
held-out CheckThat! 2019 debates (mAP over debates, AP per debate). The validation split, which chose the
threshold and the calibration, is printed too, marked as such. Splits: `unspun.training.checkworthy`.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from unspun.errors import InputMissingError
from unspun.evaluation.checkworthy_scorer import average_precision, mean_average_precision, prf


def evaluate(model, splits) -> dict:
    """Scores of `model` (a ClaimsModel) on the validation, ClaimBuster test and CT19 test splits."""
    result = {}
    for name, rows in (("val", splits.val), ("test", splits.test)):
        labels = [r.label for r in rows]
        scores = model.scores([r.text for r in rows])
        result[name] = {**prf(labels, scores, model.threshold), "ap": round(average_precision(labels, scores), 4)}
    rows = splits.ct19_test
    labels = [r.label for r in rows]
    scores = model.scores([r.text for r in rows])
    m, per = mean_average_precision(labels, scores, [r.group for r in rows])
    result["ct19"] = {"map": m, "per_debate": per, **prf(labels, scores, model.threshold)}
    return result


def _default_data() -> Path | None:
    root = os.environ.get("UNSPUN_SHARED_DATA")
    return Path(root) / "checkworthy" if root else None


def claims(
    data: Annotated[Path | None, typer.Option("--data", help="The checkworthy data folder (default: $UNSPUN_SHARED_DATA/checkworthy).")] = None,
    model_dir: Annotated[Path | None, typer.Option("--model-dir", help="A trained claims model folder (default: the shipped one).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Score the claims model on the held-out ClaimBuster split and the held-out CheckThat! 2019 debates."""
    from unspun.runtime.claims_model import load
    from unspun.training.checkworthy import locate, split

    data = data or _default_data()
    if data is None:
        raise InputMissingError("give --data (the checkworthy folder) or set UNSPUN_SHARED_DATA")
    try:
        locate(data)
    except FileNotFoundError as exc:
        raise InputMissingError(str(exc)) from None
    model = load(str(model_dir) if model_dir else None)
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
