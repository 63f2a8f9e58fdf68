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


def test_a_scrape_with_one_paragraph_per_line_splits_at_each_line():
    # The parser runs a quote's closing line into the next paragraph's first sentence; a claim must not span both.
    text = ("The mayor wrote: “A shameful ruling for the harbour!\nNo wonder the town is angry.”\n"
            "Harbour worker Ana Ruiz, 41, has been fined three times.\nWhy?\nBecause the rules changed in 2019.")
    assert _texts(text) == [
        "The mayor wrote: “A shameful ruling for the harbour!",
        "No wonder the town is angry.”",
        "Harbour worker Ana Ruiz, 41, has been fined three times.",
        "Why?",
        "Because the rules changed in 2019.",
    ]


def test_a_line_that_runs_on_is_not_cut():
    # a lower-case next line, or a line ending in a comma or a word that needs more, continues the sentence
    text = ("Ruiz told the crowd at Harbour Now!\nthat the fines were unfair.\n"
            "The council, which met on\nMonday, voted to fine the\nHarbour Trust again,\nSmith said.")
    assert _texts(text) == [
        "Ruiz told the crowd at Harbour Now!\nthat the fines were unfair.",
        "The council, which met on\nMonday, voted to fine the\nHarbour Trust again,\nSmith said.",
    ]
