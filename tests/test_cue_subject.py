"""Who the parse says is speaking (`unspun.stages.cue_subject`), on hand-written sentences: each case where the
tagger's source cannot be the speaker of its cue, and the cases where it must stay."""

import pytest

from unspun.stages import cue_subject


def _at(text: str, fragment: str) -> tuple[int, int]:
    start = text.index(fragment)
    return start, start + len(fragment)


def _speaker(text: str, source: str | None, cue: str, content: str) -> str | None:
    """The mention `grammatical_speaker` keeps, given the tagger's source, cue and content as fragments of `text`."""
    span = cue_subject.grammatical_speaker(text, _at(text, source) if source else None, _at(text, cue),
                                           [_at(text, content)])
    return text[span[0]:span[1]] if span else None


@pytest.mark.parametrize("text, source, cue, content, speaker", [
    # whom the words were for, or where they appeared, is no speaker: the cue verb's subject is
    ("Ana Reyes told the Daily Courier on Monday that the plant would close.", "the Daily Courier", "told",
     "that the plant would close", "Ana Reyes"),
    ("Mayor Lin Baker wrote in the Valley Gazette that the budget was a mistake.", "the Valley Gazette", "wrote",
     "that the budget was a mistake", "Mayor Lin Baker"),
    # ... also on a verb the cue's participle hangs on
    ("Dan Okoro emailed volunteers on Friday, telling them the count would start early.", "volunteers", "telling",
     "the count would start early", "Dan Okoro"),
])
def test_an_addressee_or_a_medium_is_no_speaker(text, source, cue, content, speaker):
    assert _speaker(text, source, cue, content) == speaker


def test_a_name_in_a_clause_about_the_subject_is_no_speaker():
    text = "Tom Hale, whose union endorsed Greta Voss in May, said the strike would go on."
    assert _speaker(text, "Greta Voss", "said", "the strike would go on") == "Tom Hale"
    # inside an apposition to the subject as well: "the head of a group that backs [Greta Voss]"
    text = "Dina Cole, the head of a group that backs Greta Voss, said the vote was rigged."
    assert _speaker(text, "Greta Voss", "said", "the vote was rigged") == "Dina Cole, the head of a group"


def test_an_apposition_naming_the_subject_stays_the_speaker():
    text = "A spokesman for the mayor, Mike Rand, said the vote was rigged."
    assert _speaker(text, "Mike Rand", "said", "the vote was rigged") == "Mike Rand"


def test_a_phrase_between_the_subject_and_its_verb_is_no_speaker():
    text = "Rita Moss, citing figures from the Harbour Board, said the port had lost money."
    assert _speaker(text, "the Harbour Board", "said", "the port had lost money") == "Rita Moss"


def test_a_name_in_another_sentence_gives_way_to_the_subject_of_the_cue():
    text = "Lena Park disagreed. “We are not done,” she said."
    assert _speaker(text, "Lena Park", "said", "“We are not done,”") == "she"


def test_a_missing_source_is_the_subject_of_the_cue():
    text = "Ana Reyes told the Daily Courier on Monday that the plant would close."
    assert _speaker(text, None, "told", "that the plant would close") == "Ana Reyes"


@pytest.mark.parametrize("text, source, cue, content", [
    # the tagger's source is the subject already
    ("“The plan is dead,” said Vera Holm.", "Vera Holm", "said", "“The plan is dead,”"),
    # "according to X" names the source, never an addressee
    ("“We need more time,” Ana Reyes said, according to the Daily Courier.", "the Daily Courier", "said",
     "“We need more time,”"),
    # the author ("I told Mark Lane …") is no speaker to put in the tagger's place
    ("I told Mark Lane that the deal was off for good.", "Mark Lane", "told", "that the deal was off for good"),
])
def test_the_tagger_source_stays_where_the_parse_gives_no_better_speaker(text, source, cue, content):
    assert _speaker(text, source, cue, content) == source


@pytest.mark.parametrize("text, cue, content", [
    ("It is said that the mayor will resign before the summer.", "is said", "that the mayor will resign"),
    ("She spoke of what is called “the quiet years” in her book.", "is called", "“the quiet years”"),
])
def test_a_passive_or_a_placeholder_has_no_subject_that_speaks(text, cue, content):
    assert cue_subject.cue_subject(text, _at(text, cue), [_at(text, content)]) is None


def test_a_subject_on_another_line_is_no_subject():
    # a parse may run a headline into the line below it: a subject across a line break is never taken
    text = "Fresh floods kill two in Loreto\nThe weather office\nsaid on Tuesday that two towns were flooded."
    assert cue_subject.cue_subject(text, _at(text, "said"), [_at(text, "that two towns were flooded")]) is None


def test_the_object_of_a_verb_of_asking_is_who_is_to_act():
    text = "Paul Marsh pressed Ivan Petrov to sign the agreement before the summit."
    assert _speaker(text, "Ivan Petrov", "to sign", "the agreement before the summit") == "Ivan Petrov"


def test_a_relative_clause_is_left_out_of_the_subject_mention():
    text = "Tom Hale, who has led the union since 2010, said the strike would go on."
    span = cue_subject.cue_subject(text, _at(text, "said"), [_at(text, "the strike would go on")])
    assert text[span[0]:span[1]] == "Tom Hale"


def test_the_statement_verb_that_governs_the_content_reports_it():
    text = "Schools in the valley will stay closed, the district said on Tuesday."
    content = [_at(text, "Schools in the valley will stay closed")]
    verb = cue_subject.reporting_verb(text, _at(text, "stay closed"), content)
    assert verb is not None and text[verb[0]:verb[1]] == "said"
    speaker, cue = cue_subject.attribution(text, _at(text, "Schools"), _at(text, "stay closed"), content)
    assert text[speaker[0]:speaker[1]] == "the district" and text[cue[0]:cue[1]] == "said"
    # a cue that reports words itself is kept
    text = "Ana Reyes said the plant would close, the paper reported."
    assert cue_subject.reporting_verb(text, _at(text, "said"), [_at(text, "the plant would close")]) is None


def test_according_to_names_the_source_of_what_a_cue_that_reports_no_words_tells():
    text = "The council will raise fees next year, according to the budget office."
    found = cue_subject.according_to(text, _at(text, "will raise"), [_at(text, "fees next year")])
    assert text[found[0]:found[1]] == "the budget office"
    # words said stay the speaker's: "“…,” Reyes said, according to the paper" is still Reyes's quote
    text = "“We need more time,” Ana Reyes said, according to the Daily Courier."
    assert cue_subject.according_to(text, _at(text, "said"), [_at(text, "“We need more time,”")]) is None
