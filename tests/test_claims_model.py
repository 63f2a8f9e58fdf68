"""The shipped check-worthiness model through the run-time class: loading, one run per sentence, calibrated scores, errors."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from unspun.errors import ModelError
from unspun.runtime import models
from unspun.runtime.claims_model import ClaimsModel, mean_pool

FACTUAL = [
    "Unemployment rose to 12 percent in March, the highest level since 1983.",
    "The United States spent $700 billion on defence in 2017, more than the next seven countries combined.",
    "Crime in our cities has gone up 40 percent over the last four years.",
]
NOT_FACTUAL = [
    "Thank you all so much, it is great to be here tonight.",
    "I think we need to come together as a nation.",
    "Good evening and welcome to the debate.",
]


@pytest.fixture(scope="module")
def model() -> ClaimsModel:
    return models.load_claims()[0]


def test_loads_once_with_its_settings(model):
    assert models.load_claims()[0] is model
    assert 0.0 < model.threshold < 1.0
    a, _ = model.calibration
    assert a > 0  # calibration keeps the ranking
    info = models.load_claims()[1]
    assert info["name"] and info["version"] and len(info["sha256"]) == 64
    # one sentence per run is too small to split across threads: one thread per run, the same scores, half the CPU
    assert model.session.get_session_options().intra_op_num_threads == 1


def test_scores_are_probabilities_in_input_order(model):
    texts = FACTUAL + NOT_FACTUAL
    scores = model.scores(texts)
    assert scores.shape == (len(texts),) and np.all((scores >= 0) & (scores <= 1))
    order = [4, 0, 5, 2, 1, 3]
    assert np.allclose(model.scores([texts[i] for i in order]), scores[order], atol=1e-6)  # rows never mix up
    # a sentence's score never depends on the sentences scored with it (int8 activations are quantised with one
    # scale per run, so every sentence runs alone): the same bits alone, among others, or after a long one
    singles = np.array([model.scores([t])[0] for t in texts])
    assert np.array_equal(scores, singles)
    assert model.scores(["word " * 200, texts[0]])[1] == scores[0]
    assert min(scores[:3]) > max(scores[3:])
    assert all(s >= model.threshold for s in scores[:3]) and all(s < model.threshold for s in scores[3:])


def test_sentences_scored_on_several_threads_get_the_same_bits_in_the_same_order():
    # the cores score several sentences at once, each still alone in its run: nothing may change but the wall time
    texts = (FACTUAL + NOT_FACTUAL) * 7 + ["word " * 80, "", "Short one."]  # more than one block of sentences
    one = ClaimsModel(models.CLAIMS_DIR, threads=1)
    three = ClaimsModel(models.CLAIMS_DIR, threads=3)
    assert (one.workers, three.workers) == (1, 3)
    seen = []
    assert np.array_equal(one.logits(texts), three.logits(texts, progress=seen.append))
    assert sum(seen) == len(texts)


def test_calibration_is_monotonic_and_progress_counts_every_text(model):
    logits = model.logits(FACTUAL + NOT_FACTUAL)
    probs = model.calibrate(logits)
    assert np.array_equal(np.argsort(logits), np.argsort(probs))
    seen = []
    model.scores(["x"] * 150, progress=seen.append)
    assert sum(seen) == 150


def test_odd_inputs(model):
    assert model.scores([]).shape == (0,)
    scores = model.scores(["", "   ", "🙂", "word " * 2000, "Die Arbeitslosigkeit stieg auf 12 Prozent."])
    assert np.all(np.isfinite(scores)) and np.all((scores >= 0) & (scores <= 1))


def test_mean_pool_ignores_padding():
    states = np.array([[[1.0, 2.0], [3.0, 4.0], [100.0, 100.0]]], dtype=np.float32)
    mask = np.array([[1, 1, 0]])
    assert np.allclose(mean_pool(states, mask), [[2.0, 3.0]])


def test_missing_or_corrupt_files_are_model_errors(tmp_path):
    with pytest.raises(ModelError, match="missing"):
        models.load_claims(str(tmp_path))
    for f in models.CLAIMS_DIR.iterdir():
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "model.onnx").write_bytes(b"not an onnx file")
    with pytest.raises(ModelError, match="corrupt"):
        models.load_claims(str(tmp_path))
