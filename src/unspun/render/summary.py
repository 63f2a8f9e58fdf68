"""The report's "at a glance" box: what a reader decides from in ten seconds, counted from the Document.

Why here and not in a stage: these are display tallies of items the stages already produced (counts, shares, the
rate per 1,000 words), like the charts' counts; nothing is inferred. Words are `len(text.split())`, the same count
the corpus store and `unspun corpus stats` use, so a report's rate and the dashboard's rates agree.

The reference rate comes from `static/reference.json`, written by `benchmarks/reference_rate.py` from the PTC
training gold (never typed in by hand), or, on the server, from the analyses stored there.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from unspun.document import Document
from unspun.render.columns import (UNSURE_SPEAKER, tech_id, technique_sure_score, unsure_item, unsure_speaker,
                                   unsure_technique)

REFERENCE_FILE = Path(__file__).resolve().parent / "static" / "reference.json"
CHECKWORTHY = 0.5  # the claims model's probability from which a claim counts as check-worthy in the summary
TOP = 5  # entries per list
PLACES = 8  # numbered links to places in the text, per entry


@dataclass(frozen=True, slots=True)
class Reference:
    """A rate to compare the article with, and what it is."""

    rate: float
    label: str
    detail: str
    taxonomy: str | None = None  # the taxonomy the rate was counted in (None: any)


@dataclass(slots=True)
class Entry:
    """One line of a summary list: a name, a count, and the anchors of its places in the text."""

    name: str
    count: int
    places: list[str]
    note: str = ""
    unsure: bool = False
    key: str = ""  # a technique id, for its swatch


@dataclass(slots=True)
class Summary:
    words: int
    techniques: int
    rate: float
    references: list[Reference]
    top_techniques: list[Entry]
    quotes: int
    named: int
    anonymous: int
    unsure: int
    unattributed: int
    quoted_share: float  # share of the words that sit inside a quote
    speakers: list[Entry]
    checkworthy: int
    asserted: int
    asserted_places: list[str]
    sources: list[Entry]
    named_sources: int
    actors: int
    labelled: int  # actors with at least one label
    labelled_actors: list[Entry]
    other_actors: list[Entry] = field(default_factory=list)
    sure_techniques: int | None = None  # techniques scored at least that; None when the model states none

    @property
    def asserted_share(self) -> float | None:
        return self.asserted / self.checkworthy if self.checkworthy else None


@lru_cache(maxsize=1)
def shipped_reference() -> Reference | None:
    """The PTC reference rate shipped with unspun (None if the file is missing)."""
    try:
        data = json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Reference(rate=float(data["rate_per_1000_words"]), label=data["label"], detail=data["detail"],
                     taxonomy=data.get("taxonomy"))


MIN_CORPUS_DOCUMENTS = 20  # fewer stored analyses than this make no reference


def corpus_reference(documents: int, words: int, techniques: int, taxonomy: str | None = None) -> Reference | None:
    """The rate over the analyses stored on a server (under `taxonomy`), when there are enough to mean something."""
    if documents < MIN_CORPUS_DOCUMENTS or not words:
        return None
    return Reference(rate=1000.0 * techniques / words, label="this server's analyses",
                     detail=f"over all {documents:,} analyses stored on this server ({words:,} words)", taxonomy=taxonomy)


def words(text: str) -> int:
    return len(text.split())


def _quoted_words(doc: Document) -> int:
    """Words inside the union of the quote spans (overlapping quotes counted once)."""
    spans = sorted((q.start, q.end) for q in doc.quotes)
    total, cur_start, cur_end = 0, None, -1
    for s, e in spans + [(len(doc.text) + 1, len(doc.text) + 1)]:
        if cur_start is not None and s > cur_end:
            total += words(doc.text[cur_start:cur_end])
            cur_start = None
        if cur_start is None:
            cur_start, cur_end = s, e
        else:
            cur_end = max(cur_end, e)
    return total


def summarize(doc: Document, prefix: str, references: list[Reference] | None = None) -> Summary:
    """The figures and lists of the summary box; `prefix` makes the anchors (`{prefix}-{item id}`)."""
    n_words = words(doc.text)
    taxonomy = getattr(doc, "taxonomy", None) or "ptc14"
    refs = [r for r in (references if references is not None else [shipped_reference()])
            if r is not None and (r.taxonomy is None or r.taxonomy == taxonomy)]

    by_tech: dict[str, list[Any]] = defaultdict(list)
    for t in sorted(doc.techniques, key=lambda t: t.start):
        by_tech[t.technique].append(t)
    top = sorted(by_tech.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:TOP]
    top_techniques = [Entry(name.replace("_", " "), len(items), [f"{prefix}-{t.id}" for t in items[:PLACES]],
                            key=tech_id(name, taxonomy)) for name, items in top]

    sure = technique_sure_score(doc)
    sure_techniques = None if sure is None else sum(not unsure_technique(t, sure) for t in doc.techniques)
    sources = {s.id: s for s in doc.sources}
    named = anonymous = unsure = unattributed = 0
    per_speaker: dict[str, list[Any]] = defaultdict(list)
    for q in sorted(doc.quotes, key=lambda q: q.start):
        if q.speaker is None:
            unattributed += 1
            continue
        per_speaker[q.speaker].append(q)
        source = sources.get(q.source_id) if q.source_id else None
        if unsure_speaker(q):
            unsure += 1
        elif source is not None and not source.named:
            anonymous += 1
        else:
            named += 1
    speakers = [Entry(name, len(qs), [f"{prefix}-{q.id}" for q in qs[:PLACES]],
                      unsure=all(unsure_speaker(q) for q in qs))
                for name, qs in sorted(per_speaker.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:TOP]]

    worthy = sorted((c for c in doc.claims if c.checkworthy >= CHECKWORTHY), key=lambda c: c.start)
    asserted = [c for c in worthy if c.sourcing == "asserted"]

    def carried(s) -> int:
        return len(s.quote_ids) + len(s.claim_ids)

    leaned = sorted(doc.sources, key=lambda s: (-carried(s), -len(s.mentions), s.name))[:TOP]
    source_entries = []
    for s in leaned:
        anchors = [f"{prefix}-{s.id}-mention{i}" for i in range(len(s.mentions))]
        parts = [p for p in (_plural(len(s.quote_ids), "quote"), _plural(len(s.claim_ids), "claim")) if p]
        note = s.type + ("" if s.named else ", unnamed") + (f" · {', '.join(parts)}" if parts else "")
        source_entries.append(Entry(s.name, carried(s), anchors[:PLACES], note=note, unsure=unsure_item(s)))

    labelled = sorted((a for a in doc.actors if a.labels), key=lambda a: (-len(a.labels), a.name))[:TOP]
    labelled_actors = [Entry(a.name, len(a.labels), [f"{prefix}-{a.id}-label{i}" for i in range(len(a.labels))][:PLACES],
                             note="; ".join(dict.fromkeys(label.text for label in a.labels)), unsure=unsure_item(a))
                       for a in labelled]
    # with no label anywhere, the actors mentioned most
    others = [] if labelled else sorted(doc.actors, key=lambda a: (-len(a.mentions), a.name))[:TOP]
    other_actors = [Entry(a.name, len(a.mentions), [f"{prefix}-{a.id}-mention{i}" for i in range(len(a.mentions))][:PLACES],
                          note=a.type, unsure=unsure_item(a)) for a in others]

    return Summary(
        words=n_words, techniques=len(doc.techniques), rate=1000.0 * len(doc.techniques) / n_words if n_words else 0.0,
        references=refs, top_techniques=top_techniques, sure_techniques=sure_techniques,
        quotes=len(doc.quotes), named=named, anonymous=anonymous, unsure=unsure, unattributed=unattributed,
        quoted_share=_quoted_words(doc) / n_words if n_words else 0.0, speakers=speakers,
        checkworthy=len(worthy), asserted=len(asserted), asserted_places=[f"{prefix}-{c.id}" for c in asserted],
        sources=source_entries, named_sources=sum(1 for s in doc.sources if s.named),
        actors=len(doc.actors), labelled=sum(1 for a in doc.actors if a.labels), labelled_actors=labelled_actors,
        other_actors=other_actors,
    )


def _plural(n: int, word: str) -> str:
    return "" if not n else f"{n} {word}{'' if n == 1 else 's'}"


__all__ = ["CHECKWORTHY", "Entry", "Reference", "Summary", "UNSURE_SPEAKER", "corpus_reference", "shipped_reference",
           "summarize"]
