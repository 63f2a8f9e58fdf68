"""Evidence for technique detections (`unspun.stages.evidence`): repetitions, authorities and cue words, with exact offsets."""

from __future__ import annotations

import pytest

from unspun.stages import evidence
from unspun.document import Evidence
from unspun.taxonomy import NAMES


def span_of(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def assert_exact(text: str, items: list[Evidence]) -> None:
    for item in items:
        assert isinstance(item, Evidence)
        assert 0 <= item.start < item.end <= len(text)
        assert text[item.start : item.end] == item.text, item
        assert item.reason


# --- Repetition ---------------------------------------------------------------------------------------------------
REPEATED = (
    "Law and order. They promised Law and Order, and we got chaos.\n"
    "LAW AND\norder is what we need; lawful order is not the same. Law and orderly conduct is not it either. "
    "We want law and order!"
)


def test_repetition_lists_the_other_occurrences():
    start, end = span_of(REPEATED, "They promised Law and Order")
    start += len("They promised ")
    items = evidence.for_detection(REPEATED, start, end, "Repetition")
    assert_exact(REPEATED, items)
    texts = [i.text for i in items]
    # case-insensitive, any whitespace between the words, word-bounded ("lawful order", "orderly" do not count)
    assert texts == ["Law and order", "LAW AND\norder", "law and order"]
    assert [i.reason for i in items] == ["earlier occurrence", "later occurrence", "later occurrence"]
    # not the span itself
    assert all((i.start, i.end) != (start, end) for i in items)


def test_repetition_word_boundaries():
    text = "The war is over. The warning was clear. Postwar Europe. War! war-torn"
    start, end = span_of(text, "war")
    items = evidence.repetitions(text, start, end)
    assert_exact(text, items)
    assert [i.text for i in items] == ["War", "war"]
    assert items[1].start == text.index("war-torn")


def test_repetition_with_regex_characters_and_short_spans():
    text = "Is it (really) $100? Yes, (really) $100? I said (REALLY) $100?"
    start, end = span_of(text, "(really) $100?")
    items = evidence.repetitions(text, start, end)
    assert_exact(text, items)
    assert [i.text for i in items] == ["(really) $100?", "(REALLY) $100?"]
    assert evidence.repetitions("no no no", 0, 2) == []  # fewer than three characters: no evidence


def test_repetition_without_other_occurrences():
    text = "A unique phrase appears once."
    assert evidence.for_detection(text, 2, 15, "Repetition") == []


def test_repetition_is_capped():
    text = "again " * 50
    items = evidence.repetitions(text, 0, 5)
    assert len(items) == 10
    assert_exact(text, items)


# --- Appeal_to_Authority ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,span,expected",
    [
        ("Growth will collapse, according to the World Bank, which rarely errs.", "Growth will collapse",
         "according to the World Bank"),
        ("Dr. Jane Smith insists the vaccine is perfectly safe.",
         "Dr. Jane Smith insists the vaccine is perfectly safe", "Dr. Jane Smith"),
        ("The plan, experts agree, is a disaster.", "is a disaster", "experts"),
        ("This, leading scientists warn, means time is running out.", "time is running out", "leading scientists"),
        ("Johnson said the deal is the best ever made.", "the best ever made", "Johnson"),
        ("The plan will fail, Maria Gonzalez warned on Tuesday.", "The plan will fail", "Maria Gonzalez"),
        ("Prices will double, Professor Ann Lee told reporters.", "Prices will double", "Professor Ann Lee"),
        # a title's full stop is not a sentence end
        ("Dr. Jane Smith insists the vaccine is perfectly safe.", "perfectly safe", "Dr. Jane Smith"),
        ("The vaccine is perfectly safe, says Dr. Jane Smith of Harvard.", "The vaccine is perfectly safe",
         "Dr. Jane Smith"),
        # generic authorities at the start of a sentence
        ("Experts agree this policy is a disaster.", "a disaster", "Experts"),
        ("Leading scientists warn that time is running out.", "time is running out", "Leading scientists"),
    ],
)
def test_authority_found_in_the_sentence(text, span, expected):
    start, end = span_of(text, span)
    items = evidence.for_detection(text, start, end, "Appeal_to_Authority")
    assert_exact(text, items)
    assert expected in [i.text for i in items], [i.text for i in items]
    assert all(i.reason == "authority invoked" for i in items)


def test_authority_only_from_the_span_sentence():
    text = "The experts are often wrong. This plan, however, is a disaster. Professor Brown agrees."
    start, end = span_of(text, "a disaster")
    items = evidence.authority(text, start, end)
    assert items == []


def test_authority_trailing_punctuation_is_cleaned():
    text = "The economy is doomed, according to the IMF."
    start, end = span_of(text, "The economy is doomed")
    items = evidence.authority(text, start, end)
    assert_exact(text, items)
    assert [i.text for i in items] == ["according to the IMF"]


def test_authority_at_most_three():
    text = "Experts, scientists, doctors, researchers and economists all say it is safe."
    start, end = span_of(text, "it is safe")
    items = evidence.authority(text, start, end)
    assert len(items) == 3
    assert_exact(text, items)


# --- cue words ------------------------------------------------------------------------------------------------------
def test_black_and_white_cue():
    text = "They told us: either you support the bill or you hate your country. Then they left."
    start, end = span_of(text, "either you support the bill or you hate your country")
    items = evidence.for_detection(text, start, end, "Black-and-White_Fallacy")
    assert_exact(text, items)
    assert items and items[0].text == "either you support the bill or"
    assert items[0].reason == "cue words"


def test_whataboutism_cue():
    text = "Sure, the minister lied. But what about the opposition's lies?"
    start, end = span_of(text, "But what about the opposition's lies")
    items = evidence.for_detection(text, start, end, "Whataboutism,Straw_Men,Red_Herring")
    assert_exact(text, items)
    assert [i.text for i in items] == ["what about"]


def test_cues_only_inside_the_span():
    text = "What about the weather? The minister lied again."
    start, end = span_of(text, "The minister lied again")
    assert evidence.for_detection(text, start, end, "Whataboutism,Straw_Men,Red_Herring") == []


def test_no_cues_for_loaded_language():
    text = "These disgusting, vile traitors will always lie to everyone!"
    assert evidence.for_detection(text, 0, len(text), "Loaded_Language") == []
    assert evidence.for_detection(text, 0, len(text), "Name_Calling,Labeling") == []


@pytest.mark.parametrize(
    "technique,text,cue",
    [
        ("Doubt", "Is this so-called expert credible?", "so-called"),
        ("Flag-Waving", "Stand up for our nation and our freedom", "our nation"),
        ("Slogans", "Enough is enough!", "Enough is enough"),
        ("Bandwagon,Reductio_ad_hitlerum", "Everyone knows it; millions of voters agree", "Everyone"),
        ("Causal_Oversimplification", "Crime rose because of immigration", "because"),
        ("Exaggeration,Minimisation", "The worst deal ever, totally", "worst"),
        ("Thought-terminating_Cliches", "It is what it is, end of story", "It is what it is"),
    ],
)
def test_cue_words_per_technique(technique, text, cue):
    items = evidence.for_detection(text, 0, len(text), technique)
    assert_exact(text, items)
    assert cue in [i.text for i in items]
    assert len(items) <= 3


# --- every item has exact offsets, for every technique, on odd text ---------------------------------------------------
ODD = (
    "\ufeffAccording to the World Bank,\r\nDr. Jane Smith said: \"either we act or we perish\" — "
    "what about 😀 the rest?\r\n"
    "Experts agree. Law and order! LAW AND ORDER! Cafe\u0301 naïve e\u0301lite, law\u00a0and\u2003order."
)


@pytest.mark.parametrize("technique", NAMES)
def test_every_item_has_exact_offsets(technique):
    for start, end in [(0, len(ODD)), span_of(ODD, "Law and order"), span_of(ODD, "what about 😀 the rest?"),
                       span_of(ODD, "Cafe\u0301 naïve")]:
        items = evidence.for_detection(ODD, start, end, technique)
        assert_exact(ODD, items)


def test_repetition_across_unicode_whitespace():
    start, end = span_of(ODD, "Law and order")
    texts = [i.text for i in evidence.repetitions(ODD, start, end)]
    assert texts == ["LAW AND ORDER", "law\u00a0and\u2003order"]
