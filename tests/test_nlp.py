"""The shared spaCy parse (unspun.runtime.nlp): sentence spans in document offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

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


def _attributes(doc) -> list[tuple]:
    return [(t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_, t.head.i, t.ent_type_, t.is_sent_start) for t in doc]


def test_cached_attribute_rules_set_exactly_what_spacys_ruler_sets():
    """`runtime.attribute_rules` replaces the attribute_ruler's Matcher with a per-token cache; every attribute the
    stages read (POS, morphology, lemma exceptions, tag, dependency) must stay what spaCy's own ruler gives. Run on the
    bundled articles, plus lines that reach the ruler's rarer patterns: two-token ones (existential "there is",
    "y'all", "ain't") and regular expressions ("nothin'")."""
    import warnings

    import spacy

    from unspun.runtime import attribute_rules

    ours = nlp.load()
    assert "attribute_ruler" in ours.pipe_names and "match" in vars(ours.get_pipe("attribute_ruler"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = spacy.load(ours.path, exclude=list(nlp._DISABLE))
    assert "match" not in vars(theirs.get_pipe("attribute_ruler"))  # spaCy's own Matcher
    examples = Path(__file__).resolve().parent.parent / "examples"
    texts = [p.read_text(encoding="utf-8") for p in sorted(examples.glob("*.txt"))]
    texts.append("There is no way y'all ain't coming. There are nothin' but problems, and it got worse. "
                 "Did he do it? He has done it, and she had had enough.   \n\n  It gets better; he'd said so.")
    assert len(texts) >= 4
    for text in texts:
        a, b = ours(text), theirs(text)
        assert [t.text for t in a] == [t.text for t in b]
        assert _attributes(a) == _attributes(b)
    # the cache saw the rare patterns, so the test covers them
    rules = attribute_rules._Rules(theirs.get_pipe("attribute_ruler"))
    assert rules.ok and rules.multi and any(isinstance(c, dict) and "REGEX" in c
                                            for e in theirs.get_pipe("attribute_ruler").patterns
                                            for p in e["patterns"] for t in p for c in t.values())


def _shape(chunks) -> list:
    return [(c.offset, [(t.idx, t.text, t.pos_, t.dep_, t.head.i, t.ent_type_) for t in c.doc]) for c in chunks]


def test_a_prefetched_parse_is_the_parse(monkeypatch):
    monkeypatch.setenv("UNSPUN_THREADS", "2")
    text = "The minister said on Monday that the harbour would close. Critics called it a swindle.\n\nNobody agreed."
    nlp.clear()
    nlp.prefetch(text)
    assert text in nlp._pending  # started on the background thread
    first = nlp.parse(text)
    assert text not in nlp._pending  # read once, then cached like any parse
    assert nlp.parse(text) is first
    nlp.clear()
    assert _shape(nlp.parse(text)) == _shape(first)


def test_no_prefetch_without_a_spare_core(monkeypatch):
    monkeypatch.setenv("UNSPUN_THREADS", "1")  # corpus workers: one per core
    nlp.prefetch("One core, nothing spare.")
    assert "One core, nothing spare." not in nlp._pending


def test_no_prefetch_for_a_text_longer_than_one_chunk(monkeypatch):
    monkeypatch.setenv("UNSPUN_THREADS", "2")
    long_text = "word " * (nlp.CHUNK_CHARS // 5 + 1)
    nlp.prefetch(long_text)  # it could not be stopped, and a failing process would wait for it
    assert long_text not in nlp._pending


def test_a_prefetched_parse_keeps_the_time_limit(monkeypatch):
    import time

    from unspun.errors import TimeLimitError
    from unspun.limits import deadline

    monkeypatch.setenv("UNSPUN_THREADS", "2")
    text = "A text parsed after its document's time ran out. " * 3
    nlp.clear()
    with deadline(0.001):
        time.sleep(0.01)
        nlp.prefetch(text)  # the background thread runs in this context, so under this deadline
    with pytest.raises(TimeLimitError):
        nlp.parse(text)
    nlp.forget(text)
