"""The 23-technique heads at run time (`unspun.runtime.semeval23_model`) on a fake encoder, and the numpy trainer.

What must hold whatever the weights: every span lies inside one paragraph and indexes the text, a paragraph's labels
are exactly the techniques of the items in it, the features are those the heads were trained on, and an empty or
blank text gives nothing.
"""

from __future__ import annotations

import numpy as np
import pytest

from test_technique_model import FakeEncoder, H, random_heads

from unspun.paragraphs import paragraphs
from unspun.runtime.semeval23_model import (
    N_TEXT_FEATURES,
    ParagraphHeads,
    Semeval23Model,
    paragraph_features,
    text_features,
    token_ranges,
)
from unspun.runtime.technique_model import TechniqueModel
from unspun.taxonomy import NAMES, SEMEVAL23
from unspun.training.numpy_heads import fit, sigmoid

K = len(SEMEVAL23.names)
TEXT = ("A title for the piece\n\nThe council rammed through its disastrous scheme overnight. Shame on them!\n\n"
        "\n\"We listened,\" the chair said. Did they really?\nClean streets, safe streets! Clean streets, safe streets!")


def make_model(bias: float = 0.0, floor: float = 0.3) -> Semeval23Model:
    rng = np.random.default_rng(3)
    base = TechniqueModel(FakeEncoder(), random_heads(), {"techniques": list(NAMES)})
    heads = ParagraphHeads(rng.normal(size=(H, K)).astype(np.float32), np.zeros(K, np.float32),
                           rng.normal(size=(2 * K + N_TEXT_FEATURES, K)).astype(np.float32),
                           np.full(K, bias, np.float32))
    return Semeval23Model(base, heads, {"techniques": list(SEMEVAL23.names), "min_score": floor,
                                        "token_threshold": 0.3, "join_gap": 2})


def test_items_lie_in_their_paragraph_and_labels_match_items():
    model = make_model()
    found = model.predict(TEXT)
    assert found, "random heads find something in this text"
    paras = paragraphs(TEXT)
    for d in found:
        assert 0 <= d.start < d.end <= len(TEXT)
        assert TEXT[d.start:d.end] == TEXT[d.start:d.end].strip(" \t\r\n.,:;")
        assert d.technique in SEMEVAL23.names and 0 <= d.score <= 1 and d.score >= model.min_score
        inside = [p for p in paras if p.start <= d.start and d.end <= p.end]
        assert len(inside) == 1, d  # never across a line break
    labels = model.paragraph_labels(TEXT)
    assert set(labels) == {p.number for p in paras} == {1, 3, 6, 7}
    for p in paras:
        items = {d.technique for d in found if p.start <= d.start and d.end <= p.end}
        assert set(labels[p.number]) == items, p
    # most probable first
    analysis = model.analyse(TEXT)
    for p, probs in zip(analysis.paras, analysis.probs):
        shown = [SEMEVAL23.names.index(t) for t in labels[p.number]]
        assert list(probs[shown]) == sorted(probs[shown], reverse=True)


def test_floor_and_min_score():
    model = make_model()
    everything = model.predict(TEXT, floor=0.0)
    # at floor 0 every paragraph gets every technique
    assert {(d.technique) for d in everything} == set(SEMEVAL23.names)
    assert len(model.predict(TEXT, floor=1.01)) == 0
    assert all(d.score >= 0.5 for d in model.predict(TEXT, floor=0.5))


@pytest.mark.parametrize("text", ["", "\n\n  \n", "...\n"])
def test_empty_blank_and_tokenless_texts(text):
    model = make_model(bias=5.0, floor=0.1)
    for d in model.predict(text):
        assert 0 <= d.start < d.end <= len(text)
    assert set(model.paragraph_labels(text)) == {p.number for p in paragraphs(text)}


def test_features():
    paras = paragraphs(TEXT)
    offsets, _ = FakeEncoder()(TEXT)
    ranges = token_ranges(offsets, paras)
    for p, (i, j) in zip(paras, ranges):
        assert j > i
        assert offsets[i, 0] >= p.start and offsets[j - 1, 1] <= p.end
    tf = text_features(TEXT, paras, ranges)
    assert tf.shape == (4, N_TEXT_FEATURES)
    assert tf[0, 1] == 1.0 and tf[1:, 1].tolist() == [0, 0, 0]  # the title line
    assert tf[1, 4] == 1.0  # '!'
    assert tf[2, 3] == 1.0 and tf[2, 5] == 1.0  # '?' and quotes
    assert tf[3, 6] == pytest.approx(4 / 6) and tf[1, 6] == 0.0  # 4 of the slogan line's 6 trigrams recur
    probs = np.random.default_rng(0).random((len(offsets), K)).astype(np.float32)
    feats = paragraph_features(TEXT, paras, offsets, probs)
    i, j = ranges[1]
    assert np.allclose(feats[1, :K], probs[i:j].max(axis=0))
    assert np.allclose(feats[1, K:2 * K], np.sort(probs[i:j], axis=0)[-3:].mean(axis=0))


def test_heads_round_trip(tmp_path):
    heads = make_model().heads
    heads.save(tmp_path / "heads.npz")
    again = ParagraphHeads.load(tmp_path / "heads.npz")
    for a, b in zip((heads.tok_w, heads.tok_b, heads.par_w, heads.par_b),
                    (again.tok_w, again.tok_b, again.par_w, again.par_b)):
        assert np.array_equal(a, b)


@pytest.mark.parametrize("hidden", [0, 8])
def test_numpy_trainer_learns_a_separable_rule_and_folds_the_scaling(hidden):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2000, 5)).astype(np.float32) * [1, 10, 0.1, 1, 1] + [0, 50, 0, 0, 0]
    y = np.stack([(x[:, 0] > 0), (x[:, 1] > 50)], axis=1).astype(np.float32)
    head = fit(x, y, hidden=hidden, epochs=30, l2=1e-5, lr=1e-2, seed=1)
    acc = ((sigmoid(head.logits(x)) > 0.5) == (y > 0.5)).mean()
    assert acc > 0.97  # on raw features: the standardisation is inside the weights
    again = fit(x, y, hidden=hidden, epochs=30, l2=1e-5, lr=1e-2, seed=1)
    assert np.array_equal(head.logits(x[:5]), again.logits(x[:5]))  # deterministic
