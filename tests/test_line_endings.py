"""Line endings never change an analysis (INTERFACES.md): LF, CRLF and CR give the same items, with offsets
into each text as given.

Before this, a browser form's CRLF gave "We consulted widely…" to the speaker "town" instead of Victor Lund, and
Helen Marsh's quote to "its quarterly report". Every example runs here in all three forms, with the default
(`accurate`) model and with `fast`.
"""

from __future__ import annotations

import pytest

from conftest import EXAMPLES, REPO, assert_offsets, read_original
from unspun import analyze_text
from unspun.document import Document, Removed, Technique
from unspun.invariants import violations
from unspun.line_endings import normalized, to_lf

TEXTS = sorted(EXAMPLES.glob("*.txt")) + [REPO / "fuzz" / "seeds" / "verbless-post-lines.txt"]
ENDINGS = {"crlf": "\r\n", "cr": "\r"}


def _items(doc: Document) -> list[tuple]:
    """Every item as the fields a reader sees, its text written with LF so the three forms compare."""
    rows = []
    for kind, item in doc.items():
        text = to_lf(getattr(item, "text", "") or "")
        speaker = getattr(item, "speaker", None)
        nested = [to_lf(m.text) for name in ("mentions", "labels", "evidence") for m in getattr(item, name, [])]
        rows.append((kind, item.id, text, item.label, speaker, getattr(item, "name", None), nested,
                     round(float(item.score), 4) if isinstance(getattr(item, "score", None), float) else None))
    return rows


@pytest.mark.parametrize("model", ["accurate", "fast"])
@pytest.mark.parametrize("path", TEXTS, ids=[p.name for p in TEXTS])
def test_same_items_for_every_line_ending(path, model) -> None:
    lf = to_lf(read_original(path))
    want = analyze_text(lf, model=model)
    assert want.quotes or want.techniques or want.removed  # the comparison is not between two empty documents
    for name, ending in ENDINGS.items():
        text = lf.replace("\n", ending)
        got = analyze_text(text, model=model)
        assert got.text == text  # nothing rewritten
        assert violations(got) == [], name
        assert_offsets(got.to_plain())
        assert _items(got) == _items(want), name


def test_offsets_move_onto_lf_and_back() -> None:
    """Inside `normalized` the items point into the LF text; after it, into the text as given, ids unchanged."""
    text = "Head\r\n\r\nHe said \"no\".\rEnd\r\n"
    doc = Document(text=text)
    doc.add(Removed, 0, 6, reason="test")  # "Head\r\n": the span ends after the pair
    doc.add(Technique, 16, 20, technique="Loaded_Language", score=0.5, definition_id="x")  # '"no"'
    with normalized(doc):
        assert doc.text == "Head\n\nHe said \"no\".\nEnd\n"
        assert (doc.removed[0].start, doc.removed[0].end, doc.removed[0].text) == (0, 5, "Head\n")
        assert doc.techniques[0].text == '"no"'
        doc.add(Technique, 19, 23, technique="Slogans", score=0.4, definition_id="y")  # "\nEnd" in the LF text
    assert doc.text == text
    assert (doc.removed[0].start, doc.removed[0].end) == (0, 6)
    assert [(t.id, t.start, t.end, t.text) for t in doc.techniques] == [("t0", 16, 20, '"no"'), ("t1", 21, 25, "\rEnd")]


def test_text_without_carriage_returns_is_untouched() -> None:
    doc = Document(text="One.\nTwo.\n")
    doc.add(Removed, 0, 4, reason="test")
    with normalized(doc):
        assert doc.text == "One.\nTwo.\n"
    assert (doc.removed[0].start, doc.removed[0].end) == (0, 4)
