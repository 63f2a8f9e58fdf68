"""The SemEval-2023 taxonomy: the 23 exact names in 6 families, texts, readable colours, and the map to and from
PTC's 14 (every name of both schemes is mapped, to names that exist)."""

from __future__ import annotations

import re

import pytest

from conftest import shared_data
from test_taxonomy import _relative_luminance

from unspun import taxonomy
from unspun.taxonomy import NAMES, PTC14, SEMEVAL23

# SemEval-2023 Task 3's techniques_subtask3.txt, character for character
SEMEVAL_2023_NAMES = [
    "Appeal_to_Authority", "Appeal_to_Popularity", "Appeal_to_Values", "Appeal_to_Fear-Prejudice", "Flag_Waving",
    "Causal_Oversimplification", "False_Dilemma-No_Choice", "Consequential_Oversimplification", "Straw_Man",
    "Red_Herring", "Whataboutism", "Slogans", "Appeal_to_Time", "Conversation_Killer", "Loaded_Language", "Repetition",
    "Exaggeration-Minimisation", "Obfuscation-Vagueness-Confusion", "Name_Calling-Labeling", "Doubt",
    "Guilt_by_Association", "Appeal_to_Hypocrisy", "Questioning_the_Reputation",
]
FAMILIES = {
    "attack_on_reputation": {"Name_Calling-Labeling", "Guilt_by_Association", "Doubt", "Appeal_to_Hypocrisy",
                             "Questioning_the_Reputation"},
    "justification": {"Flag_Waving", "Appeal_to_Authority", "Appeal_to_Popularity", "Appeal_to_Values",
                      "Appeal_to_Fear-Prejudice"},
    "simplification": {"Causal_Oversimplification", "False_Dilemma-No_Choice", "Consequential_Oversimplification"},
    "distraction": {"Straw_Man", "Red_Herring", "Whataboutism"},
    "call": {"Slogans", "Conversation_Killer", "Appeal_to_Time"},
    "manipulative_wording": {"Loaded_Language", "Obfuscation-Vagueness-Confusion", "Exaggeration-Minimisation",
                             "Repetition"},
}


def test_twenty_three_exact_names_in_six_families():
    assert sorted(SEMEVAL23.names) == sorted(SEMEVAL_2023_NAMES)
    assert len(set(SEMEVAL23.names)) == 23
    assert [f for f, _ in SEMEVAL23.families] == list(FAMILIES)
    for family, members in FAMILIES.items():
        assert {t.name for t in SEMEVAL23.family_members(family)} == members


def test_names_match_the_task_file_when_present():
    path = shared_data() / "semeval2023-task3-en" / "train" / "techniques_subtask3.txt"
    if not path.exists():
        pytest.skip(f"research data not found at {path} (set UNSPUN_SHARED_DATA); skipping")
    listed = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert listed == SEMEVAL_2023_NAMES


def test_get_and_the_default():
    assert taxonomy.get() is PTC14 and taxonomy.get("ptc14") is PTC14 and taxonomy.get("semeval23") is SEMEVAL23
    assert PTC14.names == NAMES  # the 14 keep their names, ids and order
    assert taxonomy.TAXONOMY_NAMES == ("ptc14", "semeval23")
    with pytest.raises(KeyError):
        taxonomy.get("ptc18")


def test_ids_unique_across_taxonomies_and_lookups():
    ids = [t.id for t in PTC14.techniques] + [t.id for t in SEMEVAL23.techniques]
    assert len(ids) == len(set(ids)) == 37
    for t in SEMEVAL23.techniques:
        assert re.fullmatch(r"s23_[a-z][a-z_]*[a-z]", t.id), t.id
        assert SEMEVAL23.by_name(t.name) is t and SEMEVAL23.by_id(t.id) is t and taxonomy.by_id(t.id) is t
    assert taxonomy.by_id("doubt").name == "Doubt" and taxonomy.by_id("s23_doubt") is SEMEVAL23.by_name("Doubt")
    # six names are in both schemes; lookup takes the document's taxonomy first
    shared = set(NAMES) & set(SEMEVAL23.names)
    assert shared == {"Appeal_to_Authority", "Causal_Oversimplification", "Doubt", "Loaded_Language", "Repetition",
                      "Slogans"}
    for name in shared:
        assert taxonomy.lookup(name, "semeval23") is SEMEVAL23.by_name(name)
        assert taxonomy.lookup(name) is PTC14.by_name(name)
    assert taxonomy.lookup("Straw_Man").id == "s23_straw_man"  # a name of one scheme is found from the other
    with pytest.raises(KeyError):
        taxonomy.lookup("Straw Man")
    with pytest.raises(KeyError):
        SEMEVAL23.by_name("Name_Calling,Labeling")  # the 2020 spelling is not a 2023 name


def test_definitions_examples_and_colours():
    techniques = SEMEVAL23.techniques
    assert len({t.definition for t in techniques}) == 23 and len({t.example for t in techniques}) == 23
    for t in techniques:
        assert len(t.definition.split()) >= 8 and len(t.example.split()) >= 3 and t.definition != t.example
    assert len({t.colour.upper() for t in techniques}) == 23
    dark = _relative_luminance("#222222")
    for t in techniques:
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", t.colour)
        assert (_relative_luminance(t.colour) + 0.05) / (dark + 0.05) >= 4.5, t.name
    # a technique that is the same in both schemes keeps its colour, so a reader switching schemes sees the same tint
    for name in set(NAMES) & set(SEMEVAL23.names):
        assert SEMEVAL23.by_name(name).colour == PTC14.by_name(name).colour


def test_every_name_of_both_schemes_is_mapped():
    for name in SEMEVAL23.names:
        targets = taxonomy.to_ptc14(name)
        assert set(targets) <= set(NAMES), name
        assert taxonomy.relation(name) in ("same", "split", "nearest", "none")
        assert bool(targets) == (taxonomy.relation(name) != "none"), name
    assert [n for n in SEMEVAL23.names if taxonomy.relation(n) == "none"] == ["Obfuscation-Vagueness-Confusion"]
    for name in NAMES:
        back = taxonomy.from_ptc14(name)
        assert back, name  # every one of the 14 has at least one 2023 counterpart
        assert set(back) <= set(SEMEVAL23.names)
        for other in back:
            assert name in taxonomy.to_ptc14(other)  # the two directions agree
    assert set(taxonomy.from_ptc14("Whataboutism,Straw_Men,Red_Herring")) == {
        "Whataboutism", "Straw_Man", "Red_Herring", "Appeal_to_Hypocrisy"}
    assert set(taxonomy.from_ptc14("Bandwagon,Reductio_ad_hitlerum")) == {"Appeal_to_Popularity", "Guilt_by_Association"}
    assert taxonomy.to_ptc14("False_Dilemma-No_Choice") == ("Black-and-White_Fallacy",)
    assert taxonomy.to_ptc14("Conversation_Killer") == ("Thought-terminating_Cliches",)
    # a "same" technique maps to exactly one
    for name in SEMEVAL23.names:
        if taxonomy.relation(name) == "same":
            assert len(taxonomy.to_ptc14(name)) == 1
    with pytest.raises(KeyError):
        taxonomy.to_ptc14("Loaded Language")
    with pytest.raises(KeyError):
        taxonomy.from_ptc14("Straw_Man")
