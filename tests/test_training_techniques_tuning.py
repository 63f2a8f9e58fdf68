"""The technique decision tuned on dev (`unspun.training.techniques`): the class prior and the Repetition cue.

Pure numpy, so these run without the `[train]` extra (the training module imports torch only inside functions).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from unspun.runtime.technique_model import Heads, TechniqueModel
from unspun.taxonomy import NAMES
from unspun.training.common import fit_temperature
from unspun.training.techniques import _fit_decision, training_log_prior, tuned_settings

T = len(NAMES)
REP = NAMES.index("Repetition")
LOADED = NAMES.index("Loaded_Language")


def _model() -> TechniqueModel:
    heads = Heads(np.zeros(4, np.float32), 0.0, np.zeros((14, T), np.float32), np.zeros(T, np.float32))
    return TechniqueModel(lambda text: (np.zeros((0, 2)), np.zeros((0, 4))), heads, {"techniques": list(NAMES)})


def test_training_log_prior_counts_only_training_articles():
    tc = {"1": [("Loaded_Language", 0, 4)] * 3 + [("Doubt", 5, 9)], "2": [("Doubt", 0, 3)] * 50}
    prior = np.exp(training_log_prior(tc, exclude={"2"}))
    assert prior.sum() == pytest.approx(1.0, abs=1e-3)
    assert prior[LOADED] == pytest.approx(4 / (4 + T), abs=1e-3)  # 3 spans + 1 (add-one) over 4 spans + 14
    assert prior[NAMES.index("Doubt")] == pytest.approx(2 / (4 + T), abs=1e-3)  # article 2 is excluded
    assert min(prior) > 0


def test_fit_decision_learns_the_repetition_cue():
    """Spans whose gold label is Repetition all carry the cue, but the head prefers Loaded_Language for them."""
    rng = np.random.default_rng(0)
    n = 200
    labels = np.where(np.arange(n) % 4 == 0, REP, LOADED)
    repeated = (labels == REP).astype(np.float32)
    logits = rng.normal(scale=0.1, size=(n, 1, T)).astype(np.float32)
    logits[:, 0, LOADED] += 1.0  # the head always leans to Loaded_Language
    model = _model()
    model.log_prior = np.zeros(T, np.float32)
    weight, bonus = _fit_decision(model, logits, labels, repeated)
    assert bonus >= 1.5
    probs = np.stack([model._probs(logits[k], bool(repeated[k])) for k in range(n)])
    assert (probs.argmax(axis=1) == labels).mean() == 1.0


def test_fit_decision_keeps_zero_when_nothing_helps():
    """Logits that already classify every span: ties go to the smallest prior weight and bonus."""
    labels = np.arange(60) % T
    logits = np.eye(T, dtype=np.float32)[labels][:, None, :] * 10
    model = _model()
    model.log_prior = np.log(np.full(T, 1 / T, dtype=np.float32))
    assert _fit_decision(model, logits, labels, np.zeros(60, np.float32)) == (0.0, 0.0)


def test_fit_temperature_sharpens_underconfident_logits():
    labels = np.arange(100) % T
    logits = (np.eye(T, dtype=np.float32)[labels] * 0.5)[:, None, :]  # right, but with low confidence
    assert fit_temperature(logits, labels) == 0.5  # the sharpest allowed


def test_tuned_settings_round_trip_through_config():
    model = _model()
    model.prior_weight, model.repeat_bonus = 0.5, 2.0
    model.log_prior = np.log(np.full(T, 1 / T, dtype=np.float32))
    settings = tuned_settings(model)
    again = TechniqueModel(model.encode, model.heads, {"techniques": list(NAMES), **settings})
    assert (again.prior_weight, again.repeat_bonus) == (0.5, 2.0)
    np.testing.assert_allclose(again.log_prior, model.log_prior, atol=1e-4)


# --- `unspun train tune` ----------------------------------------------------------------------------------------------
def test_tune_refuses_a_folder_without_config(tmp_path):
    from typer.testing import CliRunner

    from unspun.cli.train import app

    from unspun.errors import InputMissingError

    result = CliRunner().invoke(app, ["tune", "--data", str(tmp_path), "--model", str(tmp_path)])
    assert isinstance(result.exception, InputMissingError)  # the main CLI maps it to exit code 66
    assert "no config.json" in str(result.exception)


def test_tune_reproduces_the_shipped_fast_settings(tmp_path):
    """Tuning the shipped `fast` weights again on the PTC dev + val articles gives the shipped decision settings
    and cross-validated scores: the model card's numbers come from the files in the package.

    Tolerances, because onnxruntime's int8 kernels differ between CPUs (AVX-512 VNNI against AVX2 round
    differently), so token scores differ in the last digits and the Platt fit on them moves a little (seen on two
    machines: span_calibration [10.65, -5.00] against the shipped [10.99, -5.11]). Data-derived settings must be
    equal; fitted ones may move by 5% or one step of their search grid; every F1 within 0.015."""
    import json
    import shutil

    from conftest import require_shared

    from unspun.training.techniques import retune

    data = require_shared("ptc")
    shipped = Path(__file__).resolve().parents[1] / "src" / "unspun" / "models" / "fast"
    folder = tmp_path / "fast"
    shutil.copytree(shipped, folder)
    config = retune(data, folder)
    want = json.loads((shipped / "config.json").read_text())
    assert config["log_prior"] == pytest.approx(want["log_prior"], abs=1e-4)  # counted from the training labels
    # The token threshold chosen on all 111 sits on a flat ridge: since names and titles carry only their own label
    # (issue 17), 0.3 and 0.4 give nearly the same full-task F1, and the fp32 states of a retune pick 0.3 where the
    # benchmark's fp16 cache picks 0.4 (out of fold both give the same F1 to 0.0002, checked below). The calibration
    # is fitted per threshold, so it is compared only when the thresholds agree.
    assert abs(config["token_threshold"] - want["token_threshold"]) <= 0.1 + 1e-9
    if config["token_threshold"] == want["token_threshold"]:
        assert config["span_calibration"] == pytest.approx(want["span_calibration"], rel=0.05)
    assert config["document_gate"] == want["document_gate"]  # what ships is what was tuned under (off for fast)
    grid_step = {"min_score": 0.025, "temperature": 0.05, "second_label_prob": 0.1,
                 "prior_weight": 0.25, "repeat_bonus": 0.5, "repeat_bonus_later": 0.5}
    for key, step in grid_step.items():
        assert abs(config[key] - want[key]) <= step + 1e-9, (key, config[key], want[key])
    # the figures the card reports: the decisions cross-validated over dev + val (benchmarks/technique_decisions.py)
    got_cv, want_cv = config["scores"]["cross_validated"], want["scores"]["cross_validated"]
    for task in ("si", "tc", "full"):
        assert got_cv["out_of_fold"][task]["f1"] == pytest.approx(want_cv["out_of_fold"][task]["f1"], abs=0.015)


# --- one source of technique names ------------------------------------------------------------------------------------
def _permuted_model() -> TechniqueModel:
    """A model whose config lists the techniques in reverse order and whose TC head always prefers output 0 (by 5
    logits over the others); every token gets a 4-dimensional state of zeros."""
    import re

    def encode(text):
        spans = [m.span() for m in re.finditer(r"\S+", text)]
        return np.asarray(spans, dtype=np.int64).reshape(-1, 2), np.zeros((len(spans), 4), np.float32)

    bias = np.zeros(T, np.float32)
    bias[0] = 5.0
    heads = Heads(np.zeros(4, np.float32), 0.0, np.zeros((14, T), np.float32), bias)
    return TechniqueModel(encode, heads, {"techniques": list(reversed(NAMES))})


def test_training_writes_the_taxonomy_list_and_the_shipped_models_carry_it():
    import json

    from unspun.training.techniques import TECHNIQUES

    assert TECHNIQUES == NAMES
    models = Path(__file__).resolve().parents[1] / "src" / "unspun" / "models"
    for name in ("fast", "accurate"):
        assert json.loads((models / name / "config.json").read_text())["techniques"] == list(TECHNIQUES), name


def test_tuning_names_outputs_with_the_models_own_list():
    from unspun.training.techniques import _gold_logits, classify_gold

    model = _permuted_model()
    text = "The so-called experts have failed us again."
    cache = {"1": (text, list(model.encode_segments(text)))}
    rows = [("1", "Doubt", 4, 20), ("1", "Loaded_Language", 21, 42)]
    # output 0 wins, and output 0 is the model's first technique: the last of the taxonomy's list
    assert classify_gold(model, cache, rows) == [("1", NAMES[-1], 4, 20), ("1", NAMES[-1], 21, 42)]
    logits, labels, repeated = _gold_logits(model, cache, rows)
    assert logits.shape == (2, 1, T) and logits[0, 0, 0] == 5.0
    # gold labels index the model's list: Doubt is NAMES[5], so output T - 1 - 5 of the reversed list
    assert labels.tolist() == [T - 1 - NAMES.index("Doubt"), T - 1 - LOADED]
    assert [model.techniques[k] for k in labels] == ["Doubt", "Loaded_Language"]


def test_log_prior_follows_the_models_list():
    tc = {"1": [("Loaded_Language", 0, 4)] * 3 + [("Doubt", 5, 9)]}
    model = _permuted_model()
    prior = np.exp(training_log_prior(tc, exclude=set(), techniques=model.techniques))
    assert prior[model.techniques.index("Loaded_Language")] == pytest.approx(4 / (4 + T), abs=1e-3)
    assert prior[model.techniques.index("Doubt")] == pytest.approx(2 / (4 + T), abs=1e-3)
    assert prior[0] == pytest.approx(1 / (4 + T), abs=1e-3)  # Whataboutism…: no span, add-one only


def test_teacher_distribution_is_rearranged_into_the_training_order():
    from unspun.training.distil import training_order

    teacher = _permuted_model()
    probs = np.arange(T, dtype=np.float32)  # the teacher's output k has value k
    out = training_order(probs, teacher)
    # the student's class k is NAMES[k], which is the teacher's output T - 1 - k
    assert out.tolist() == [float(T - 1 - k) for k in range(T)]
    assert training_order(probs, _model()) is probs  # same list: nothing to do
    stranger = TechniqueModel(teacher.encode, teacher.heads, {"techniques": ["Made_Up", *NAMES[1:]]})
    with pytest.raises(SystemExit, match="Made_Up"):
        training_order(probs, stranger)
