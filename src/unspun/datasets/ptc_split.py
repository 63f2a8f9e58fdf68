"""unspun's fixed by-article split of the PTC training articles: train / dev (tuning) / val (reported only).

The split does not depend on the training seed, so models trained with different seeds (ensemble members) share
one dev and one validation set, and `unspun eval ptc --split val` scores exactly the articles the model card reports.
"""

from __future__ import annotations

from unspun.datasets import ptc

SPLIT_SEED = 13


def split(ids: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(train, dev, val) by article: 20% validation, then 12.5% of the rest for tuning; each sorted."""
    rest, val = ptc.split_articles(ids, val_fraction=0.2, seed=SPLIT_SEED)
    train_ids, dev = ptc.split_articles(rest, val_fraction=0.125, seed=SPLIT_SEED)
    return train_ids, dev, val
