"""Which columns the human-readable outputs (Markdown, terminal) show for each span kind.

One table per kind, so that a new kind shows up in every human view by adding one entry here.
"""

from __future__ import annotations

import re
from typing import Any

TITLES = {
    "removed": "Removed as scrape junk",
    "embedded_posts": "Embedded posts",
    "links": "Links",
    "techniques": "Persuasion techniques",
    "quotes": "Quotes",
    "views": "Views (what the text says people think, want or know: not their words)",
    "claims": "Claims",
    "sources": "Sources",
    "actors": "Actors",
}


# A speaker whose calibrated probability of being right is under this is shown as unsure (about one in three or
# more such speakers is wrong), instead of hiding the doubt or the quote.
UNSURE_SPEAKER = 0.7


def unsure_speaker(quote) -> bool:
    return quote.speaker is not None and quote.speaker_score is not None and quote.speaker_score < UNSURE_SPEAKER


# Sources and actors carry `score` (the probability that the item is real) once their stages calibrate it; under
# this they are shown as unsure. Items without a score are shown as sure.
UNSURE_ITEM = 0.5


def unsure_item(item) -> bool:
    return _scored_under(item, UNSURE_ITEM)


def _scored_under(item, line: float) -> bool:
    score = getattr(item, "score", None)
    return isinstance(score, (int, float)) and score < line


def technique_sure_score(doc) -> float | None:
    """The score from which the document's technique model found an item more likely right than wrong (out of fold
    on PTC articles it never saw: `training.technique_decisions.sure_score`), or None when its model states none."""
    info = (getattr(doc, "models", None) or {}).get("techniques") or {}
    value = info.get("sure_score")
    return float(value) if isinstance(value, (int, float)) else None


def unsure_technique(item, sure: float | None) -> bool:
    """A technique item scored under the model's sure score: shown, but more likely wrong than right."""
    return sure is not None and _scored_under(item, sure)


def sure_text(sure: float) -> str:
    """A sure score as people read it: two decimals, three when it needs them (0.40, 0.375)."""
    return f"{sure:.2f}" if round(sure, 2) == round(sure, 6) else f"{sure:.3f}"


def unsure_technique_note(doc) -> str | None:
    """What "(unsure)" on a technique's score means, when the document has such an item."""
    sure = technique_sure_score(doc)
    if not any(unsure_technique(t, sure) for t in getattr(doc, "techniques", [])):
        return None
    return (f"scored under {sure_text(sure)}, where fewer than half of the model's detections lay on a persuasive "
            "span in PTC articles it never saw")


def tech_id(name: str, taxonomy_name: str | None = None) -> str:
    """The taxonomy's short id for a technique name (its CSS class suffix); a cleaned name for unknown ones."""
    from unspun.taxonomy import lookup

    try:
        return lookup(name, taxonomy_name).id
    except KeyError:
        return re.sub(r"[^a-z0-9_-]+", "-", name.lower())


def _span(item: Any) -> str:
    return f"{item.start}–{item.end}"


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _mentions(item: Any) -> str:
    return str(len(item.mentions))


COLUMNS: dict[str, list[tuple[str, Any]]] = {
    "removed": [("span", _span), ("reason", lambda i: i.reason), ("text", lambda i: i.text)],
    "embedded_posts": [("span", _span), ("platform", lambda i: i.platform), ("account", lambda i: i.account)],
    "links": [("span", _span), ("anchor", lambda i: i.text), ("url", lambda i: i.url)],
    "techniques": [
        ("span", _span),
        ("technique", lambda i: i.technique),
        ("score", lambda i: _score(i.score)),
        ("text", lambda i: i.text),
    ],
    "quotes": [
        ("span", _span),
        ("kind", lambda i: i.kind),
        ("speaker", lambda i: (i.speaker or "") + (" (unsure)" if unsure_speaker(i) else "")),
        ("text", lambda i: i.text),
    ],
    "views": [
        ("span", _span),
        ("whose", lambda i: (i.speaker or "") + (" (unsure)" if unsure_speaker(i) else "")),
        ("cue", lambda i: i.cue or ""),
        ("text", lambda i: i.text),
    ],
    "claims": [
        ("span", _span),
        ("sourcing", lambda i: i.sourcing),
        ("check-worthy", lambda i: _score(i.checkworthy)),
        ("text", lambda i: i.text),
    ],
    "sources": [
        ("name", lambda i: i.name),
        ("type", lambda i: i.type),
        ("named", lambda i: "yes" if i.named else "no"),
        ("mentions", _mentions),
        ("carries", lambda i: ", ".join(i.quote_ids + i.claim_ids)),
        ("url", lambda i: i.url or ""),
    ],
    "actors": [
        ("name", lambda i: i.name),
        ("type", lambda i: i.type),
        ("mentions", _mentions),
        ("quoted", lambda i: "yes" if i.quoted else "no"),
        ("labels", lambda i: ", ".join(label.text for label in i.labels)),
    ],
}


def shorten(value: str, width: int = 100) -> str:
    """One line, at most `width` characters, for tables."""
    flat = " ".join(value.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def cells(kind: str, item: Any, doc: Any = None) -> list[str]:
    """A row's cells; with `doc`, an unsure technique's score says so, as an unsure speaker does."""
    row = [shorten(str(fn(item))) for _, fn in COLUMNS[kind]]
    if kind == "techniques" and doc is not None and unsure_technique(item, technique_sure_score(doc)):
        row[headers(kind).index("score")] += " (unsure)"
    return row


def headers(kind: str) -> list[str]:
    return [name for name, _ in COLUMNS[kind]]


def technique_definitions(doc) -> list[tuple[str, str]]:
    """(technique, definition) for each technique found in the document, in order of first appearance."""
    from unspun.taxonomy import lookup

    seen: dict[str, str] = {}
    for t in doc.techniques:
        if t.technique not in seen:
            seen[t.technique] = lookup(t.technique, doc.taxonomy).definition
    return list(seen.items())
