"""unspun's fixed check-worthiness splits: deterministic, and nothing held out leaks into training."""

from __future__ import annotations

from conftest import require_shared
from unspun.datasets import checkworthy
from unspun.datasets.checkworthy import CT19_TEST_DEBATES, bucket, normalise, split


def test_bucket_is_stable_and_spread():
    assert bucket(23782) == bucket("23782")
    counts = [0] * 100
    for i in range(20000):
        counts[bucket(i)] += 1
    assert min(counts) > 120


def test_normalise():
    assert normalise("  Thank\tyou.\n") == normalise("thank you.")


def test_splits_hold_out_honestly():
    data = require_shared("checkworthy")
    s = split(data)
    assert split(data).summary() == s.summary()
    train_ids = {r.id for r in s.train}
    held_texts = {normalise(r.text) for r in s.test + s.val + s.ct19_test}
    assert not train_ids & {r.id for r in s.test + s.val}
    assert not held_texts & {normalise(r.text) for r in s.train}
    assert {r.group for r in s.ct19_test} == set(CT19_TEST_DEBATES)
    # about 15% / 10% of train.json
    total = len(checkworthy._read_json(data / checkworthy.TRAIN_JSON))
    assert 0.13 < len(s.test) / total < 0.17 and 0.08 < len(s.val) / total < 0.12
