"""The Document model: ids, offset checks and an exact JSON round trip."""

import orjson
import pytest

from unspun.document import (
    SCHEMA,
    Actor,
    ActorLabel,
    Claim,
    Document,
    EmbeddedPost,
    Evidence,
    Link,
    Metadata,
    Quote,
    Removed,
    Source,
    Technique,
)

TEXT = "Officials said the plan is a disaster. \"It will fail,\" said Ana Ruiz. IMG_1.jpg"


def full_document() -> Document:
    doc = Document(text=TEXT, source_type="text", metadata=Metadata(title="T", language="en"))
    doc.options = {"model": "fast", "min_score": None, "stages": []}
    doc.add(Removed, 70, 79, reason="image-filename")
    doc.add(EmbeddedPost, 70, 79, account="someone", platform="unknown")
    doc.add(Link, 0, 9, url="https://example.org/")
    doc.add(Technique, 28, 37, technique="Loaded_Language", score=0.8, definition_id="loaded_language",
            evidence=[Evidence(0, 9, "Officials", "authority invoked")])
    doc.add(Quote, 39, 53, kind="direct", speaker="Ana Ruiz", speaker_start=59, speaker_end=67,
            speaker_resolved_from="name", cue="said", cue_start=54, cue_end=58, score=0.9, parts=[[39, 53]])
    doc.add(Claim, 0, 38, checkworthy=0.4, sourcing="attributed", quote_id=None, source_id="s0")
    doc.add(Source, name="officials", type="person", named=False, mentions=[doc.span(0, 9)])
    doc.add(Actor, name="Ana Ruiz", type="person", mentions=[doc.span(59, 67)],
            labels=[ActorLabel(28, 37, "disaster", None)], quoted=True)
    return doc


def test_ids_are_prefix_plus_index():
    doc = full_document()
    doc.add(Removed, 0, 9, reason="layout-widget")
    assert [r.id for r in doc.removed] == ["r0", "r1"]
    assert doc.techniques[0].id == "t0" and doc.quotes[0].id == "q0" and doc.claims[0].id == "c0"
    assert doc.sources[0].id == "s0" and doc.actors[0].id == "a0" and doc.embedded_posts[0].id == "p0"
    assert doc.links[0].id == "l0"


def test_add_takes_text_from_document():
    doc = full_document()
    assert doc.techniques[0].text == TEXT[28:37]
    assert doc.removed[0].text == "IMG_1.jpg"


@pytest.mark.parametrize("start,end", [(-1, 3), (5, 5), (7, 3), (0, len(TEXT) + 1)])
def test_add_refuses_spans_outside_text(start, end):
    doc = Document(text=TEXT)
    with pytest.raises(ValueError):
        doc.add(Removed, start, end, reason="x")


def test_json_round_trip_is_exact():
    doc = full_document()
    data = doc.to_json()
    again = Document.from_json(data)
    assert again.to_json() == data
    assert again == doc
    plain = orjson.loads(data)
    assert plain["schema"] == SCHEMA
    assert list(plain)[:3] == ["schema", "unspun_version", "source"]


def test_from_json_refuses_other_schema():
    with pytest.raises(ValueError):
        Document.from_dict({"schema": "other/9", "text": ""})


def test_items_and_removed_check():
    doc = full_document()
    kinds = [k for k, _ in doc.items()]
    assert kinds[0] == "removed" and kinds[-1] == "actors"
    assert doc.is_removed(72, 75) and not doc.is_removed(0, 10)
