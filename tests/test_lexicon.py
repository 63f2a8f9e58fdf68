"""The one lexicon of reporting verbs: which cue reports words, and the inflections the stages match."""

from __future__ import annotations

import pytest

from unspun import lexicon


@pytest.mark.parametrize("cue", ["said", "has also said", "told", "wrote", "according to", ":", "explained more",
                                 "pointed out", "warning", "announcement", "replied", "tweeted", "was quoted as saying",
                                 "said on Tuesday", "has been saying", "testified"])
def test_cues_that_report_words(cue: str) -> None:
    assert lexicon.reports_speech(cue) is True


@pytest.mark.parametrize("cue", ["knew", "believes", "decided", "wants", "is clearly worried about", "opened up the "
                                 "possibility", "is said", "was reported", "were suspected", "hoped", "sought",
                                 "idea", "turned his attention to", "hadn’t agreed to cast"])
def test_cues_that_report_no_words(cue: str) -> None:
    assert lexicon.reports_speech(cue) is False


def test_no_cue_is_no_judgement() -> None:
    assert lexicon.reports_speech(None) is None and lexicon.reports_speech("  ") is None


def test_forms_spell_out_inflections() -> None:
    forms = lexicon.forms(frozenset({"say", "deny", "admit", "note", "push"}))
    assert {"say", "says", "said", "saying", "deny", "denies", "denied", "admitted", "admitting", "noted",
            "noting", "pushes"} <= forms
    assert "says" in lexicon.STATEMENT_FORMS and "knew" in lexicon.MIND_FORMS
    assert not lexicon.STATEMENT_FORMS & {"knew", "believes", "decided"}


def test_finite_forms_leave_out_ing_and_participles() -> None:
    assert lexicon.finite(frozenset({"say", "write", "deny", "admit"})) == {
        "say", "says", "said", "write", "writes", "wrote", "deny", "denies", "denied", "admit", "admits", "admitted"}


def test_the_stages_reporting_verbs_come_from_the_statement_verbs() -> None:
    """The sources and claims stages' verbs are statement verbs, but for the two named on purpose; the claims
    stage's set is its own named variant, not a drifting copy."""
    assert lexicon.REPORTING - lexicon.STATEMENT == {"believe", "publish"}
    assert lexicon.CLAIM_REPORTING - lexicon.STATEMENT == {"believe"}
    assert {"says", "said", "told", "shown", "saying"} <= lexicon.CLAIM_REPORTING_FORMS <= lexicon.forms(
        lexicon.CLAIM_REPORTING) | {"shown"}
    assert {"telling", "written", "revealed"} <= lexicon.REPORTING_FORMS
    assert not {"telling", "revealed"} & lexicon.CLAIM_REPORTING_FORMS
    assert "testified" in lexicon.CLAIM_REPORTING_FORMS and "testified" not in lexicon.REPORTING_FORMS


def test_role_nouns_build_on_the_titles() -> None:
    assert lexicon.PERSON_NOUNS < lexicon.DESCRIBED_PERSON_NOUNS
    assert {"owner", "fisherman"} <= lexicon.DESCRIBED_PERSON_NOUNS and "leadership" in lexicon.OWNER_ROLE_NOUNS
