"""How likely a source or an actor is real: a small logistic model over the evidence that produced the item.

Why: the sources and actors stages find items by several routes of very different reliability. An embedded post or
a link out of the page is certainly something the article leans on; a one-word name that appears once, found only
as the subject of "said", is often a tagger slip ("Shortcomings", "coos"). INTERFACES.md asks every source and
actor to carry `score`, the probability that the item is real, so that a reader sees the doubtful ones as unsure
instead of re-checking every row.

The weights are fitted by `unspun.training.item_scores` on unspun's own hand-labelled articles (tests/data/gold)
and stored in `models/attribution/item_scores.json`; they are measured, not written by hand. A missing file gives
no score (None) rather than a made-up one.
"""

from __future__ import annotations

import json
import math
import os
import re
from functools import lru_cache
from typing import Any

from unspun.runtime.models import ATTRIBUTION_DIR

WEIGHTS_FILE = ATTRIBUTION_DIR / "item_scores.json"

SOURCE_TYPES = ("person", "organisation", "outlet", "document", "social_post", "link")
ACTOR_TYPES = ("person", "state", "organisation", "group")
UNSURE_BELOW = 0.5
"""Items scored under this are shown as unsure: more likely wrong than right."""

_WORD = re.compile(r"[^\W\d_]+")


def _name_features(name: str) -> list[float]:
    words = _WORD.findall(name)
    return [
        1.0 if len(words) <= 1 else 0.0,                      # one word: "Policy", "coos", "Illusion"
        1.0 if name[:1].islower() else 0.0,                   # starts lower case: a description, not a name
        1.0 if any(c.isdigit() for c in name) else 0.0,       # "Page A8", "2015 federal authorities"
        1.0 if len(words) > 4 else 0.0,                       # a long phrase rather than a name
    ]


def source_features(source: Any, speaker_scores: dict[str, float]) -> list[float]:
    """Features of a `Source` (see `FEATURE_NAMES["sources"]`); `speaker_scores` maps quote id → speaker_score."""
    quoted = [speaker_scores[q] for q in source.quote_ids if q in speaker_scores]
    return [
        1.0,
        *[1.0 if source.type == t else 0.0 for t in SOURCE_TYPES],
        1.0 if source.named else 0.0,
        math.log1p(len(source.mentions)),
        1.0 if source.quote_ids else 0.0,
        max(quoted) if quoted else 0.0,
        1.0 if source.claim_ids else 0.0,
        *_name_features(source.name),
    ]


def actor_features(actor: Any, acts: bool, place_only: bool) -> list[float]:
    """Features of an `Actor` (see `FEATURE_NAMES["actors"]`): `acts` when some mention is a subject or possessor,
    `place_only` when every mention is where something happens ("in Fremont")."""
    return [
        1.0,
        *[1.0 if actor.type == t else 0.0 for t in ACTOR_TYPES],
        math.log1p(len(actor.mentions)),
        1.0 if actor.labels else 0.0,
        1.0 if actor.quoted else 0.0,
        1.0 if acts else 0.0,
        1.0 if place_only else 0.0,
        *_name_features(actor.name),
    ]


_NAME_FEATURES = ["one_word", "lower_case", "has_digit", "long_phrase"]
FEATURE_NAMES: dict[str, list[str]] = {
    "sources": ["bias", *[f"type={t}" for t in SOURCE_TYPES], "named", "log_mentions", "quoted",
                "best_speaker_score", "has_claims", *_NAME_FEATURES],
    "actors": ["bias", *[f"type={t}" for t in ACTOR_TYPES], "log_mentions", "labelled", "quoted", "acts", "place_only",
               *_NAME_FEATURES],
}


@lru_cache(maxsize=1)
def weights() -> dict[str, Any] | None:
    """The fitted weights, or None when the file is missing (then items carry no score)."""
    if not WEIGHTS_FILE.is_file() or os.environ.get("UNSPUN_UNSCORED_ITEMS") == "1":
        return None  # no file, or refitting (unspun.training.item_scores), where the old weights may not fit
    data = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    for kind, names in FEATURE_NAMES.items():
        if data.get(kind, {}).get("features") != names:
            raise ValueError(f"{WEIGHTS_FILE}: the {kind} features do not match this version of unspun; refit them "
                             "with `python -m unspun.training.item_scores --write`")
    return data


def probability(kind: str, features: list[float], table: dict[str, Any] | None = None) -> float | None:
    """P(item is real) under the fitted logistic model for `kind` ("sources" or "actors")."""
    table = table if table is not None else weights()
    if table is None:
        return None
    w = table[kind]["weights"]
    z = sum(a * b for a, b in zip(w, features))
    return round(1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z)))), 4)
