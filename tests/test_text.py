"""Plain-text ingest: strict UTF-8, refusals with one message each, and the headline guess."""

import pytest

from unspun.errors import InputDataError
from unspun.ingest.text import decode, from_text

LIMIT = 10_000


def test_decode_keeps_everything():
    raw = "\ufeffTitle\r\nBody — with “quotes” and émoji 🙂\r".encode()
    assert decode(raw, LIMIT) == raw.decode("utf-8")


@pytest.mark.parametrize("raw,words", [(b"caf\xe9", "UTF-8"), (b"x" * (LIMIT + 1), "over the limit")])
def test_decode_refuses(raw, words):
    with pytest.raises(InputDataError, match=words):
        decode(raw, LIMIT)


@pytest.mark.parametrize(
    "text,words",
    [("", "empty"), (" \n\t ", "empty"), ("a\x00" * 100, "binary"), ("bad \ud800 surrogate", "surrogate")],
)
def test_from_text_refuses(text, words):
    with pytest.raises(InputDataError, match=words):
        from_text(text, max_bytes=LIMIT)


def test_title_is_the_first_headline_like_line_after_junk():
    doc = from_text("3 columns\n\nCouncil votes to close library\n\nThe council voted on Monday.", max_bytes=LIMIT)
    assert doc.metadata.title == "Council votes to close library"
    assert doc.text.startswith("3 columns")  # junk is marked, not cut


def test_no_title_when_the_text_starts_with_a_sentence():
    assert from_text("The council voted on Monday to close it.\nMore.", max_bytes=LIMIT).metadata.title is None
