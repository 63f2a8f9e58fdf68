"""`unspun train …`: reproducible training runs (needs the `[train]` extra)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from unspun.errors import InputMissingError, UsageError
from unspun.runtime.models import FAST, MODELS

app = typer.Typer(help="Train unspun's models (needs: pip install 'unspun\\[train]').", no_args_is_help=True)


class Encoder(str, Enum):
    minilm = "minilm"
    mpnet = "mpnet"


@app.command()
def techniques(
    data: Annotated[Path, typer.Option("--data", help="PTC folder with train/train-articles and train-v2-labels/.")],
    out: Annotated[Path, typer.Option("--out", help="Folder to write the model into.")],
    seed: Annotated[int, typer.Option("--seed", help="Seed for the split, the shuffling and the weights.")] = 13,
    encoder: Annotated[Encoder, typer.Option("--encoder", help="minilm (fast) or mpnet (accurate).")] = Encoder.minilm,
    epochs: Annotated[int | None, typer.Option("--epochs", min=1, help="Default: the encoder's recipe.")] = None,
    layers: Annotated[int | None, typer.Option("--layers", min=1, help="Keep only the encoder's first N layers (faster).")] = None,
    stride: Annotated[int, typer.Option("--stride", min=1, max=256, help="Run-time step between the 256-token windows (tuning and scores use it); larger is faster, with less context at window borders.")] = 192,
    lr: Annotated[float | None, typer.Option("--lr", min=0.0, help="Encoder learning rate (default: the encoder's recipe).")] = None,
    teacher: Annotated[Path | None, typer.Option("--teacher", help="A technique model folder whose soft targets are blended in (distillation).")] = None,
    teacher_weight: Annotated[float, typer.Option("--teacher-weight", min=0.0, max=1.0, help="Weight on the gold labels; the teacher gets the rest (1.0: gold only, the teacher labels --extra texts).")] = 0.5,
    extra: Annotated[Path | None, typer.Option("--extra", help="A folder of unlabelled .txt news articles for the teacher to label (self-training).")] = None,
    extra_limit: Annotated[int | None, typer.Option("--extra-limit", min=1, help="Use at most N of the --extra texts.")] = None,
    teacher_cache: Annotated[Path | None, typer.Option("--teacher-cache", help="A file that keeps the teacher's labels for the --extra texts, so a rerun (another seed, --layers, another machine) skips labelling; made on first use.")] = None,
    device: Annotated[str, typer.Option("--device", help="Where torch trains: cpu, or cuda on a machine with an NVIDIA GPU (export and tuning stay on the CPU).")] = "cpu",
) -> None:
    """Train the technique model on PTC, export it to int8 ONNX, tune on dev and report validation scores.

    An interrupted run resumes from OUT/checkpoint.pt when started again with the same arguments."""
    _require_train_extra()
    from unspun.datasets import ptc
    from unspun.training.techniques import run

    try:
        ptc.locate(data)
    except FileNotFoundError as exc:
        raise InputMissingError(str(exc)) from None
    if teacher_cache is not None and extra is None:
        raise UsageError("--teacher-cache keeps the teacher's labels of --extra texts: give --extra too")
    if teacher is not None and not (teacher / "config.json").is_file():
        raise InputMissingError(f"--teacher {teacher}: no config.json there (give a technique model folder)")
    config = run(data, out, seed=seed, encoder=encoder.value, epochs=epochs, layers=layers, stride=stride, lr=lr, teacher=teacher,
                 teacher_weight=teacher_weight, extra=extra, extra_limit=extra_limit, teacher_cache=teacher_cache, device=device)
    typer.echo(f"wrote {out}; validation: {config['scores']['val']}")


@app.command()
def quotes(
    data: Annotated[Path, typer.Option("--data", help="PolNeAR folder with train/ and dev/ (text + attributions).")],
    out: Annotated[Path, typer.Option("--out", help="Folder to write the model into.")],
    seed: Annotated[int, typer.Option("--seed", help="Seed for shuffling and the weights (the tuning split is fixed).")] = 13,
    epochs: Annotated[int, typer.Option("--epochs", min=1)] = 1,
    lr: Annotated[float, typer.Option("--lr", min=0.0, help="Encoder learning rate.")] = 8e-5,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Train on the first N articles only (smoke runs).")] = None,
    layers: Annotated[int | None, typer.Option("--layers", min=1, help="Keep only the encoder's first N layers (faster).")] = None,
    teacher: Annotated[Path | None, typer.Option("--teacher", help="A trained quote model folder whose tag probabilities the student also learns (distillation).")] = None,
    extra: Annotated[list[Path] | None, typer.Option("--extra", help="A folder of unlabelled .txt articles (recursive) the teacher labels; may be given more than once. Needs --teacher.")] = None,
    extra_limit: Annotated[int | None, typer.Option("--extra-limit", min=1, help="Use at most N articles of each --extra folder, evenly spaced.")] = None,
    soft_weight: Annotated[float, typer.Option("--soft-weight", min=0.0, max=1.0, help="With --teacher: the weight of the teacher's targets against gold on labelled articles.")] = 0.5,
) -> None:
    """Train the quote tagger on PolNeAR train, export it to int8 ONNX, tune decoding on a held-out part of train,
    and report PolNeAR dev scores."""
    _require_train_extra()
    from unspun.training.quotes import run

    if not (data / "train" / "attributions").is_dir():
        raise InputMissingError(f"{data}: not a PolNeAR folder (no train/attributions)")
    _check_distillation(teacher, extra)
    config = run(data, out, seed=seed, epochs=epochs, lr=lr, limit=limit, layers=layers, teacher=teacher,
                 extra=extra or [], extra_limit=extra_limit, soft_weight=soft_weight)
    typer.echo(f"wrote {out}; dev: {config['scores']['dev']}")


def _check_distillation(teacher: Path | None, extra: list[Path] | None) -> None:
    """The quote and claims students' --teacher / --extra: unlabelled texts need a teacher, and both are folders."""
    if extra and teacher is None:
        raise UsageError("--extra needs --teacher: unlabelled texts are labelled by a teacher model")
    for folder in [*(extra or []), *([teacher] if teacher else [])]:
        if not folder.is_dir():
            raise InputMissingError(f"{folder}: not a folder")


def _require_train_extra() -> None:
    """Fail with a usage error, not an ImportError, when torch/transformers are missing; never touch a model hub."""
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError:
        raise UsageError("training needs the train extra: pip install 'unspun[train]'") from None


@app.command()
def ensemble(
    data: Annotated[Path, typer.Option("--data", help="PTC folder (for the dev and validation articles).")],
    member: Annotated[list[Path], typer.Option("--member", help="A trained model folder; give two or more.")],
    out: Annotated[Path, typer.Option("--out", help="Folder to write the ensemble into.")],
) -> None:
    """Combine trained technique models into an ensemble (averaged probabilities); tune on dev, validate."""
    from unspun.training.techniques import ensemble as build

    if len(member) < 2:
        raise UsageError("give at least two --member folders")
    for m in member:
        if not (m / "config.json").is_file():
            raise InputMissingError(f"{m}: not a trained model folder (no config.json)")
    config = build(data, member, out)
    typer.echo(f"wrote {out}; validation: {config['scores']['val']}")


@app.command()
def tune(
    data: Annotated[Path, typer.Option("--data", help="PTC folder (for the dev and validation articles).")],
    model: Annotated[Path, typer.Option("--model", help="A trained technique model folder (one model or an ensemble).")],
) -> None:
    """Tune a trained technique model's decision settings on dev again, and validate it; weights are untouched."""
    from unspun.training.techniques import retune

    if not (model / "config.json").is_file():
        raise InputMissingError(f"{model}: not a trained model folder (no config.json)")
    config = retune(data, model)
    typer.echo(f"rewrote {model / 'config.json'}; validation: {config['scores']['val']}")


@app.command()
def semeval23(
    data: Annotated[Path, typer.Option("--data", help="The SemEval-2023 Task 3 English folder (with train/train-articles-subtask-3).")],
    model: Annotated[str, typer.Option("--model", help="The shipped technique model whose encoder the heads read: fast or accurate.")] = FAST,
    out: Annotated[Path | None, typer.Option("--out", help="Folder to write the heads into (default: the shipped model's semeval23/ folder).")] = None,
    folds: Annotated[int, typer.Option("--folds", min=2, help="Folds over the articles the encoder never saw.")] = 5,
    seed: Annotated[int, typer.Option("--seed", help="Seed for the folds and the heads' initialisation.")] = 13,
    bootstrap: Annotated[int, typer.Option("--bootstrap", min=0, help="Resamples of the articles for the 95% intervals.")] = 1000,
    cv_only: Annotated[bool, typer.Option("--cv-only", help="Print the out-of-fold figures only; write nothing.")] = False,
    cache: Annotated[Path, typer.Option("--cache", help="Where the encoder states are kept between runs.")] = Path("build/semeval23-states"),
) -> None:
    """Train the 23-technique (SemEval-2023) heads on a shipped model's encoder; print nested out-of-fold figures.

    numpy only: no torch, no GPU. The encoder states are computed once and cached (about 20 s for fast, 2 min for
    accurate on 2 cores); the cross-validation then fits 26 pairs of heads."""
    import json

    from unspun.training.semeval23 import run
    from unspun.datasets.semeval23 import locate

    if model not in MODELS:
        raise UsageError(f"unknown model {model!r}; choose {' or '.join(MODELS)}")
    try:
        locate(data)
    except FileNotFoundError as exc:
        raise InputMissingError(str(exc)) from None
    if out is None and not cv_only:
        from unspun.runtime.models import semeval23_dir

        out = semeval23_dir(model)
    config = run(data, model, None if cv_only else out, folds=folds, seed=seed, rounds=bootstrap, cache=cache)
    typer.echo(json.dumps({"min_score": config["min_score"], **config["scores"]}, indent=2))
    if not cv_only:
        typer.echo(f"wrote {out}", err=True)


@app.command()
def claims(
    data: Annotated[Path, typer.Option("--data", help="The checkworthy data folder (claimbuster/ and clef19/).")],
    out: Annotated[Path, typer.Option("--out", help="Folder to write the model into.")],
    seed: Annotated[int, typer.Option("--seed", help="Seed for the shuffling and the weights (the splits are fixed).")] = 13,
    epochs: Annotated[int, typer.Option("--epochs", min=1)] = 3,
    lr: Annotated[float, typer.Option("--lr", min=0.0, help="Encoder learning rate (the head uses 10x).")] = 5e-5,
    layers: Annotated[int | None, typer.Option("--layers", min=1, help="Keep only the encoder's first N layers (faster).")] = None,
    teacher: Annotated[Path | None, typer.Option("--teacher", help="A trained claims model folder whose probabilities label the --extra sentences (distillation).")] = None,
    extra: Annotated[list[Path] | None, typer.Option("--extra", help="A folder of unlabelled .txt articles (recursive); may be given more than once. Needs --teacher.")] = None,
    extra_limit: Annotated[int | None, typer.Option("--extra-limit", min=1, help="Use at most N articles of each --extra folder, evenly spaced.")] = None,
) -> None:
    """Train the check-worthiness classifier, export it to int8 ONNX, calibrate on validation, score held-out splits."""
    _require_train_extra()
    from unspun.datasets.checkworthy import locate
    from unspun.training.claims import run

    try:
        locate(data)
    except FileNotFoundError as exc:
        raise InputMissingError(str(exc)) from None
    _check_distillation(teacher, extra)
    config = run(data, out, seed=seed, epochs=epochs, lr=lr, layers=layers, teacher=teacher, extra=extra or [],
                 extra_limit=extra_limit)
    typer.echo(f"wrote {out}; held-out: {config['scores']['test']}; CT19 mAP {config['scores']['ct19']['map']}")
