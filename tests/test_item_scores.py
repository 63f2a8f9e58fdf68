"""The source and actor confidence model: the shipped weights match the features, and the fit does what it says."""

from __future__ import annotations

import numpy as np

from unspun.runtime import item_scores
from unspun.training.item_scores import fit


def test_shipped_weights_match_the_feature_lists():
    table = item_scores.weights()
    assert table is not None, "models/attribution/item_scores.json is missing"
    for kind, names in item_scores.FEATURE_NAMES.items():
        assert len(table[kind]["weights"]) == len(names)
        held = table[kind]["leave_one_article_out"]
        assert held["brier"] <= held["brier_constant"]  # the fit beats always answering the base rate


def test_probability_is_none_without_weights(monkeypatch, tmp_path):
    monkeypatch.setattr(item_scores, "WEIGHTS_FILE", tmp_path / "missing.json")
    item_scores.weights.cache_clear()
    try:
        assert item_scores.probability("actors", [1.0] * len(item_scores.FEATURE_NAMES["actors"])) is None
    finally:
        item_scores.weights.cache_clear()


def test_fit_learns_the_direction_of_a_feature():
    rng = np.random.default_rng(0)
    x1 = rng.normal(size=400)
    y = (x1 + 0.3 * rng.normal(size=400) > 0).astype(float)
    w = fit(np.column_stack([np.ones(400), x1, rng.normal(size=400)]), y)
    assert w[1] > 2.0 and abs(w[2]) < 0.5


def test_a_one_word_lower_case_name_scores_below_a_full_name():
    class Item:
        type, named, mentions, quote_ids, claim_ids = "person", True, [object()] * 3, [], []

    full, slip = Item(), Item()
    full.name, slip.name = "Lena Okafor", "coos"
    slip.named, slip.mentions = False, [object()]
    p_full = item_scores.probability("sources", item_scores.source_features(full, {}))
    p_slip = item_scores.probability("sources", item_scores.source_features(slip, {}))
    assert p_full > p_slip
