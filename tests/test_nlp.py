"""The shared spaCy parse (unspun.runtime.nlp): sentence spans in document offsets."""

from __future__ import annotations

from unspun.runtime import nlp


def _texts(text: str) -> list[str]:
    spans = list(nlp.sentences(text))
    for start, end in spans:
        assert 0 <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
    assert spans == sorted(spans)
    return [text[s:e] for s, e in spans]


def test_a_headline_without_a_full_stop_is_its_own_sentence():
    text = ("The Great Harbour Swindle: How Our Leaders Sold Out Port Ellery\n\n"
            "For years, the people of Port Ellery have been told to trust the experts. Well, the experts have spoken.")
    assert _texts(text) == [
        "The Great Harbour Swindle: How Our Leaders Sold Out Port Ellery",
        "For years, the people of Port Ellery have been told to trust the experts.",
        "Well, the experts have spoken.",
    ]


def test_blank_lines_with_spaces_and_crlf_split_but_a_wrapped_line_does_not():
    text = "Rail numbers rise\r\n \r\nThe operator said numbers rose 7 percent in the\nthree months to March."
    assert _texts(text) == ["Rail numbers rise", "The operator said numbers rose 7 percent in the\nthree months to March."]


def test_offsets_survive_leading_and_trailing_whitespace():
    text = "\n\n  One sentence here.  \n\n\n Another one there. \n"
    assert _texts(text) == ["One sentence here.", "Another one there."]
