"""The Document: the analysed text, its metadata and every span kind, with JSON I/O (schema `unspun/1`).

Plain slotted dataclasses serialised by orjson: orjson encodes dataclasses natively in C, which keeps the
JSON path fast for corpus runs, and the classes stay cheap to build inside the stages' hot loops.
Every item with `start`/`end` has `text == doc.text[start:end]`; `Document.add` enforces this so no stage
can emit a span whose text disagrees with its offsets.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any, ClassVar

import orjson

from unspun.version import __version__

SCHEMA = "unspun/1"


@dataclass(slots=True)
class Evidence:
    """A piece of text that supports a detection, such as an earlier occurrence of a repeated phrase."""

    start: int
    end: int
    text: str
    reason: str


@dataclass(slots=True)
class Mention:
    """A place in the text that names a source or an actor."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class ActorLabel:
    """A label the text applies to an actor ("criminal regime"), with the technique it came from, if any."""

    start: int
    end: int
    text: str
    technique: str | None = None


@dataclass(slots=True)
class Removed:
    """A range that scrape cleanup flagged as junk. It stays in the text; it is only marked."""

    PREFIX: ClassVar[str] = "r"
    id: str
    start: int
    end: int
    text: str
    reason: str

    @property
    def label(self) -> str:
        return self.reason


@dataclass(slots=True)
class EmbeddedPost:
    """Evidence of an embedded social-media post, such as a screenshot caption naming an account."""

    PREFIX: ClassVar[str] = "p"
    id: str
    start: int
    end: int
    text: str
    account: str
    platform: str = "unknown"

    @property
    def label(self) -> str:
        return self.platform


@dataclass(slots=True)
class Link:
    """A hyperlink inside the article body (HTML input): its anchor text's offsets and its target."""

    PREFIX: ClassVar[str] = "l"
    id: str
    start: int
    end: int
    text: str
    url: str

    @property
    def label(self) -> str:
        return self.url


@dataclass(slots=True)
class Technique:
    """One (span, technique) detection. A span with two techniques is two items."""

    PREFIX: ClassVar[str] = "t"
    id: str
    start: int
    end: int
    text: str
    technique: str
    score: float
    definition_id: str
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.technique


@dataclass(slots=True)
class Quote:
    """A quote (direct, indirect, block or mixed) and who said it."""

    PREFIX: ClassVar[str] = "q"
    id: str
    start: int
    end: int
    text: str
    kind: str
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_resolved_from: str | None = None
    speaker_score: float | None = None  # P(speaker is right), calibrated; None when speaker is None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    score: float = 1.0
    parts: list[list[int]] = field(default_factory=list)
    source_id: str | None = None

    @property
    def label(self) -> str:
        return self.kind


@dataclass(slots=True)
class Claim:
    """A check-worthy factual claim and how the article sources it."""

    PREFIX: ClassVar[str] = "c"
    id: str
    start: int
    end: int
    text: str
    checkworthy: float
    sourcing: str
    quote_id: str | None = None
    source_id: str | None = None
    evidence_assertion: bool = False

    @property
    def label(self) -> str:
        return self.sourcing

    @property
    def score(self) -> float:
        return self.checkworthy


@dataclass(slots=True)
class View(Quote):
    """What the text says someone thinks, wants, knows or decides, as opposed to what they said ("Trump knew that
    he had the CIA over a barrel", "officials believe the deal is dead"). The quote tagger finds both, as PolNeAR
    annotates both; a cue that reports no words (see `unspun.lexicon.reports_speech`) makes a view, kept apart so
    a reader never takes it for a quote. Same fields as a quote; `speaker` is whose view it is."""

    PREFIX: ClassVar[str] = "v"


@dataclass(slots=True)
class Source:
    """Something the article leans on: an outlet, person, organisation, document, social post or link."""

    PREFIX: ClassVar[str] = "s"
    id: str
    name: str
    type: str
    named: bool = True
    mentions: list[Mention] = field(default_factory=list)
    url: str | None = None
    quote_ids: list[str] = field(default_factory=list)
    claim_ids: list[str] = field(default_factory=list)
    score: float | None = None  # P(the source is real), see unspun.runtime.item_scores; None when unscored

    @property
    def label(self) -> str:
        return self.type


@dataclass(slots=True)
class Actor:
    """A person, state, organisation or group, with the labels the text applies to it."""

    PREFIX: ClassVar[str] = "a"
    id: str
    name: str
    type: str
    mentions: list[Mention] = field(default_factory=list)
    labels: list[ActorLabel] = field(default_factory=list)
    quoted: bool = False
    score: float | None = None  # P(the actor is real), see unspun.runtime.item_scores; None when unscored

    @property
    def label(self) -> str:
        return self.type


@dataclass(slots=True)
class Metadata:
    title: str | None = None
    author: str | None = None
    date: str | None = None
    site: str | None = None
    url: str | None = None
    language: str | None = None


# list name -> item class, in the order the JSON writes them.
KINDS: dict[str, type] = {
    "removed": Removed,
    "embedded_posts": EmbeddedPost,
    "links": Link,
    "techniques": Technique,
    "quotes": Quote,
    "views": View,
    "claims": Claim,
    "sources": Source,
    "actors": Actor,
}
_KIND_OF_CLASS = {cls: name for name, cls in KINDS.items()}
# Nested item classes, by (kind, field name), for from_json.
_NESTED: dict[tuple[str, str], type] = {
    ("techniques", "evidence"): Evidence,
    ("sources", "mentions"): Mention,
    ("actors", "mentions"): Mention,
    ("actors", "labels"): ActorLabel,
}


class JunkEdges:
    """Spans without removed junk at their edges: "… over the attack [Jane Doe/ Example Wire]" keeps "… over the
    attack", and "© Provided by Example News The minister said …" keeps what follows the credit. A span with junk
    inside it, or covered by junk, has no trimmed form (None): stages skip it as before."""

    def __init__(self, text: str, junk: list[tuple[int, int]]) -> None:
        self.text, self.junk, self.starts = text, junk, [a for a, _ in junk]

    def trim(self, start: int, end: int) -> tuple[int, int] | None:
        i = max(0, bisect_left(self.starts, start) - 1)
        while i < len(self.junk) and self.junk[i][0] < end:
            a, b = self.junk[i]
            if a < end and start < b:
                if a > start and b >= end:
                    end = a
                elif a <= start and b < end:
                    start = b
                else:
                    return None
            i += 1
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return (start, end) if end - start >= 2 else None


@dataclass(slots=True)
class Document:
    """The analysed text plus everything unspun found in it. All offsets index `text`."""

    text: str
    source_type: str = "text"  # path | url | text | html
    source_value: str | None = None
    metadata: Metadata = field(default_factory=Metadata)
    models: dict[str, dict[str, Any]] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    embedded_posts: list[EmbeddedPost] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    techniques: list[Technique] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    views: list[View] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    unspun_version: str = __version__
    taxonomy: str = "ptc14"  # the technique scheme the `techniques` list uses: ptc14 | semeval23 (unspun.taxonomy)

    def add(self, cls: type, start: int | None = None, end: int | None = None, **fields: Any) -> Any:
        """Append an item of kind `cls` with the next id; for spans, take `text` from the document.

        Raises ValueError for offsets outside the text, so a stage bug cannot leak a bad span.
        """
        items = getattr(self, _KIND_OF_CLASS[cls])
        item_id = f"{cls.PREFIX}{len(items)}"
        if start is not None:
            if not (0 <= start < end <= len(self.text)):
                raise ValueError(f"span [{start}, {end}) is outside the text (length {len(self.text)})")
            item = cls(id=item_id, start=start, end=end, text=self.text[start:end], **fields)
        else:
            item = cls(id=item_id, **fields)
        items.append(item)
        return item

    def span(self, start: int, end: int) -> Mention:
        """A checked mention of `text[start:end]`, for nested items (mentions, evidence)."""
        if not (0 <= start < end <= len(self.text)):
            raise ValueError(f"span [{start}, {end}) is outside the text (length {len(self.text)})")
        return Mention(start, end, self.text[start:end])

    def is_removed(self, start: int, end: int) -> bool:
        """True when [start, end) overlaps a removed range; stages skip such text."""
        return any(r.start < end and start < r.end for r in self.removed)

    def junk_edges(self) -> JunkEdges:
        """A trimmer for spans with removed junk at an edge (see `JunkEdges`), built once per stage run."""
        return JunkEdges(self.text, sorted((r.start, r.end) for r in self.removed))

    def items(self):
        """Every item of every list, as (kind, item), in JSON order."""
        for name in KINDS:
            for item in getattr(self, name):
                yield name, item

    # --- JSON -----------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict. Item dataclasses are left as objects: orjson encodes them natively."""
        out: dict[str, Any] = {
            "schema": SCHEMA,
            "unspun_version": self.unspun_version,
            "source": {"type": self.source_type, "value": self.source_value},
            "text": self.text,
            "metadata": self.metadata,
            "models": self.models,
            "options": self.options,
            "taxonomy": self.taxonomy,
            "warnings": self.warnings,
        }
        for name in KINDS:
            out[name] = getattr(self, name)
        return out

    def to_json(self, *, indent: bool = False) -> bytes:
        return orjson.dumps(self.to_dict(), option=orjson.OPT_INDENT_2 if indent else 0)

    def to_plain(self) -> dict[str, Any]:
        """The JSON form as plain Python objects (dicts and lists), e.g. for schema checks."""
        return orjson.loads(self.to_json())

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        if data.get("schema") != SCHEMA:
            raise ValueError(f"not an {SCHEMA} document (schema={data.get('schema')!r})")
        doc = cls(
            text=data["text"],
            source_type=data["source"]["type"],
            source_value=data["source"]["value"],
            metadata=Metadata(**data["metadata"]),
            models=data.get("models", {}),
            options=data.get("options", {}),
            warnings=list(data.get("warnings", [])),
            unspun_version=data.get("unspun_version", __version__),
            taxonomy=data.get("taxonomy") or "ptc14",  # JSON written before taxonomies existed is PTC's 14
        )
        for name, item_cls in KINDS.items():
            items = []
            for raw in data.get(name, []):
                raw = dict(raw)
                for (kind, key), nested_cls in _NESTED.items():
                    if kind == name and key in raw:
                        raw[key] = [nested_cls(**n) for n in raw[key]]
                items.append(item_cls(**raw))
            setattr(doc, name, items)
        return doc

    @classmethod
    def from_json(cls, data: bytes | str) -> Document:
        return cls.from_dict(orjson.loads(data))


def asdict(item: Any) -> dict[str, Any]:
    """A dataclass item as a plain dict (for renderers that need to look inside)."""
    return dataclasses.asdict(item)
