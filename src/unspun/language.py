"""Language identification, so non-English input is analysed but flagged with a warning.

A cheap English function-word ratio settles most inputs in microseconds; only text that does not look English
pays for py3langid (about 1 s to load its model once per process). The first 20,000 characters are enough.
"""

from __future__ import annotations

import re
from functools import lru_cache

SAMPLE = 20_000
_WORD = re.compile(r"[^\W\d_]+")
_ENGLISH = frozenset(
    "the of and to a in is that for it on was with as be by at this are from have not or but his her they he she "
    "we you an were which has had their been its will would said who more all there than can about also".split()
)


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    # py3langid 0.2.x (pinned: it works with numpy<2, which spaCy 3.7 needs) loads its bundled model by package path.
    return LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)


def detect(text: str) -> tuple[str | None, float]:
    """Return (ISO 639-1 code or None when there are too few letters to tell, confidence)."""
    sample = text[:SAMPLE]
    words = _WORD.findall(sample.lower())
    if len(words) < 3:
        return None, 0.0
    english = sum(w in _ENGLISH for w in words) / len(words)
    if english >= 0.15 and len(words) >= 8:
        return "en", round(min(0.99, 0.5 + english), 3)
    lang, prob = _identifier().classify(sample)
    return lang, round(float(prob), 3)


def warning_for(lang: str | None, prob: float) -> str | None:
    """The warning to attach when the text is confidently not English."""
    if lang is None or lang == "en" or prob < 0.8:
        return None
    return f"language: the text looks like '{lang}' (confidence {prob:.2f}); unspun's models are trained on English, so results may be unreliable"
