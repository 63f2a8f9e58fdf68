"""The technique taxonomy: exact SemEval-2020 Task 11 names, stable ids, texts and readable, distinct colours."""

from __future__ import annotations

import dataclasses
import re

import pytest

from unspun import taxonomy
from unspun.taxonomy import NAMES, TECHNIQUES, TechniqueInfo, by_id, by_name

# the 14 labels of SemEval-2020 Task 11, character for character
SEMEVAL_2020_NAMES = {
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
}


def test_fourteen_exact_names():
    assert len(TECHNIQUES) == 14
    assert set(NAMES) == SEMEVAL_2020_NAMES
    assert len(set(NAMES)) == 14
    assert NAMES == tuple(t.name for t in TECHNIQUES)


def test_ids_unique_and_short():
    ids = [t.id for t in TECHNIQUES]
    assert len(set(ids)) == 14
    for technique_id in ids:
        assert re.fullmatch(r"[a-z][a-z_]*[a-z]", technique_id), technique_id
    assert by_name("Loaded_Language").id == "loaded_language"


def test_definitions_and_examples_present():
    for t in TECHNIQUES:
        assert len(t.definition.split()) >= 8, t.name
        assert len(t.example.split()) >= 3, t.name
        assert t.definition != t.example
    assert len({t.definition for t in TECHNIQUES}) == 14
    assert len({t.example for t in TECHNIQUES}) == 14


def _relative_luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_colours_unique_and_readable_with_dark_text():
    colours = [t.colour for t in TECHNIQUES]
    for colour in colours:
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", colour), colour
    assert len({c.upper() for c in colours}) == 14
    dark_text = _relative_luminance("#222222")
    for t in TECHNIQUES:
        contrast = (_relative_luminance(t.colour) + 0.05) / (dark_text + 0.05)
        assert contrast >= 4.5, (t.name, t.colour, contrast)  # WCAG AA for normal text


def test_lookups():
    for t in TECHNIQUES:
        assert by_name(t.name) is t
        assert by_id(t.id) is t
    with pytest.raises(KeyError):
        by_name("Loaded Language")
    with pytest.raises(KeyError):
        by_id("nope")


def test_records_are_frozen():
    t = TECHNIQUES[0]
    assert isinstance(t, TechniqueInfo)
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.name = "x"  # type: ignore[misc]
    assert taxonomy.__doc__ and "SemEval" in taxonomy.__doc__
