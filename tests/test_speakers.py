"""Speaker resolution: names, pronouns and descriptions, on hand-written text with the real spaCy model."""

import pytest

from unspun.runtime import nlp
from unspun.stages.speakers import EntityIndex, resolve

TEXT = (
    "Senator Ted Cruz spoke in Houston on Monday. \"We will win,\" Cruz said. He added that the fight was not over. "
    "The Pentagon said the strike was lawful. The group, Amnesty International, disagreed. Officials said the plan "
    "was dead. The senator later denied it. His office declined to comment. The group said it would appeal. "
    "The spokesman said nothing."
)


@pytest.fixture(scope="module")
def index():
    return EntityIndex(TEXT, list(nlp.entities(TEXT)))


def _resolve(index, mention, after=0, **kw):
    """Resolve `mention`, found as the first words of its context (e.g. "Cruz said" resolves "Cruz")."""
    start = TEXT.index(mention, after)
    word = mention.split()[0] if mention.split()[0] not in ("The", "His") else " ".join(mention.split()[:2])
    return resolve(TEXT, start, start + len(word), index, **kw)


def test_surname_expands_to_the_full_name(index):
    r = _resolve(index, "Cruz said")
    assert (r.name, r.resolved_from) == ("Ted Cruz", "name")


def test_pronoun_takes_the_nearest_person(index):
    r = _resolve(index, "He added")
    assert (r.name, r.resolved_from) == ("Ted Cruz", "pronoun")


def test_pronoun_prefers_the_person_quoted_just_before(index):
    r = _resolve(index, "He added", recent_person="Jane Roe")
    assert r.name == "Jane Roe"


def test_named_organisation(index):
    r = _resolve(index, "The Pentagon")
    assert r.resolved_from == "name" and "Pentagon" in r.name


def test_anonymous_sources_stay_as_written(index):
    r = _resolve(index, "Officials")
    assert (r.name, r.resolved_from) == ("Officials", "description")


def test_title_description_needs_support_in_the_text(index):
    assert _resolve(index, "The senator").name == "Ted Cruz"
    # no earlier "spokesman X": the mention itself, not a guess
    assert _resolve(index, "The spokesman").name == "The spokesman"


def test_possessive_office_speaks_for_the_person(index):
    r = _resolve(index, "His office")
    assert (r.name, r.resolved_from) == ("Ted Cruz", "description")


def test_the_group_takes_the_nearest_organisation(index):
    r = _resolve(index, "The group", TEXT.index("The group said"))
    assert (r.name, r.resolved_from) == ("Amnesty International", "description")


def test_pronoun_with_no_antecedent_returns_the_mention():
    text = "She said it was fine."
    idx = EntityIndex(text, list(nlp.entities(text)))
    assert resolve(text, 0, 3, idx).name == "She"


@pytest.mark.parametrize("text, mention, expected", [
    # a group word used as an adjective is no speaker: the mention stays as written (a description)
    ("One café owner, who asked not to be named, said the rent had doubled.", "One café owner, who", "One café owner"),
    ("An American diplomat said the talks had stalled.", "An American diplomat", "An American diplomat"),
])
def test_a_group_word_before_a_common_noun_is_not_the_speaker(text, mention, expected):
    ents = list(nlp.entities(text))
    start = text.index(mention)
    r = resolve(text, start, start + len(mention), EntityIndex(text, ents))
    assert r.name == expected


def test_a_group_named_on_its_own_still_speaks():
    text = "The Democrats said the bill would pass."
    ents = list(nlp.entities(text))
    r = resolve(text, 0, len("The Democrats"), EntityIndex(text, ents))
    assert r.resolved_from == "name" and "Democrats" in r.name


def test_a_pronoun_skips_a_person_of_the_other_gender():
    from unspun.stages.speakers import EntityIndex, resolve

    text = ("Lena Okafor met Tom Reyes on Monday. Okafor said she was pleased. Reyes said he was not. "
            "Later, she added that talks would go on.")
    ents = [(0, 11, "PERSON"), (16, 25, "PERSON"), (37, 43, "PERSON"), (66, 71, "PERSON")]
    index = EntityIndex(text, ents)
    assert index.gender("Lena Okafor") == "f" and index.gender("Tom Reyes") == "m"
    k = text.index("she added")
    assert resolve(text, k, k + 3, index, recent_person="Tom Reyes").name == "Lena Okafor"


def test_a_title_gives_gender_and_no_evidence_blocks_nothing():
    from unspun.stages.speakers import EntityIndex

    text = "Mrs Ada Vance and Kim Lo arrived."
    index = EntityIndex(text, [(4, 13, "PERSON"), (18, 24, "PERSON")])
    assert index.gender("Ada Vance") == "f" and index.gender("Kim Lo") is None
    assert index.agrees("Kim Lo", "he") and index.agrees("Kim Lo", "she") and not index.agrees("Ada Vance", "he")


OTHER = (
    "The harbour inquiry opened on Monday. The debate centred on dredging. A guard says the gates were shut. "
    "Bishop Anselm Korr led the service. He spoke at his Easter Vigil and said the harbour must stay open. "
    "The fisherman said the nets were empty. The revised timeline showed the gates were open."
)


@pytest.fixture(scope="module")
def other():
    return EntityIndex(OTHER, list(nlp.entities(OTHER)))


def _mention(text, index, phrase, **kw):
    start = text.index(phrase)
    return resolve(text, start, start + len(phrase), index, **kw)


def test_a_named_thing_of_a_person_stands_for_that_person(other):
    r = _mention(OTHER, other, "his Easter Vigil", recent_person="Anselm Korr")
    assert (r.name, r.resolved_from) == ("Anselm Korr", "description")


def test_a_page_reference_is_no_speaker():
    text = 'The article "Rates to rise again" (Page B4, March 3) said rents would climb.'
    index = EntityIndex(text, list(nlp.entities(text)))
    start = text.index("Page B4")
    assert resolve(text, start, start + len("Page B4, March 3"), index).name is None
    assert all("Page" not in e.text for e in index.entities)


def test_a_surname_ner_missed_takes_the_full_name_given_before():
    text = "The study was led by John Fa of the forestry centre. Its maps are new, Fa said on Monday."
    index = EntityIndex(text, [e for e in nlp.entities(text) if text[e[0]:e[1]] != "Fa"])  # as if NER missed it
    start = text.index("Fa said")
    r = resolve(text, start, start + 2, index)
    assert (r.name, r.resolved_from) == ("John Fa", "name")


def test_a_one_word_name_tagged_person_once_is_a_person_everywhere():
    """NER labels a name it does not know differently from sentence to sentence ("Varek" as a place, a body and a
    person); "he" after the mislabelled mention is still that person, not the woman named before him."""
    text = ("I name my character Mira Sol. I follow the ranger, Varek. He points at the river. "
            "Varek nods. \"Thanks for your help,\" says Varek. Later he adds that the pass is closed.")
    ents = [(20, 28, "PERSON"), (51, 56, "GPE"), (82, 87, "ORG"), (123, 128, "PERSON")]
    assert [text[s:e] for s, e, _ in ents] == ["Mira Sol", "Varek", "Varek", "Varek"]
    index = EntityIndex(text, ents)
    k = text.index("He points")
    assert resolve(text, k, k + 2, index).name == "Varek"
    assert [e.label for e in index.entities] == ["PERSON"] * 4


def test_a_known_state_or_a_longer_name_keeps_its_labels():
    """Only a one-word name the gazetteer does not know is made one referent: "America" tagged PERSON by a slip
    stays a place elsewhere, and so does a longer group name ("Indigenous Peoples") that NER sometimes calls a person."""
    text = "America spoke. Indigenous Peoples manage land. America is large. Indigenous Peoples said so."
    ents = [(0, 7, "PERSON"), (15, 33, "PERSON"), (47, 54, "GPE"), (65, 83, "NORP")]
    assert [text[s:e] for s, e, _ in ents] == ["America", "Indigenous Peoples", "America", "Indigenous Peoples"]
    index = EntityIndex(text, ents)
    assert [e.label for e in index.entities] == ["PERSON", "PERSON", "GPE", "NORP"]


def test_a_statement_stands_for_the_name_right_before_it():
    """ "Trump tweet sent on Wednesday: “…”" with "tweet" as the mention: the speaker is whoever made the statement,
    named right before it, even where NER missed that name but the text gave it in full elsewhere."""
    text = "Mara Quill spoke on Monday. Quill tweet sent on Wednesday: “The vote is tomorrow.” The Harbour Board statement"
    index = EntityIndex(text, [(0, 10, "PERSON"), (87, 100, "ORG")])
    k = text.index("tweet")
    r = resolve(text, k, k + 5, index)
    assert (r.name, r.resolved_from) == ("Mara Quill", "description")
    k = text.index("statement")
    assert resolve(text, k, k + 9, index).name == "Harbour Board"
    # a statement with no name before it stays as written
    text = "On Monday a statement said the vote was delayed."
    k = text.index("statement")
    assert resolve(text, k, k + 9, EntityIndex(text, [])).name == "statement"


@pytest.mark.parametrize("text, mention, expected", [
    ("Later, said one ex-House aide, the men went home.", "one ex-House aide", "one ex-House aide"),
    ("An ex-Secret Service agent said so.", "An ex-Secret Service agent", "An ex-Secret Service agent"),
    ("The Harbour Board said so.", "The Harbour Board", "Harbour Board"),
])
def test_a_body_before_a_word_for_its_worker_is_not_the_speaker(text, mention, expected):
    """"one ex-House aide said": the aide speaks, not the House; a body named on its own still does."""
    ents = {"one ex-House aide": [(16, 24, "ORG")], "An ex-Secret Service agent": [(3, 20, "ORG")],
            "The Harbour Board": [(4, 17, "ORG")]}[mention]
    start = text.index(mention)
    r = resolve(text, start, start + len(mention), EntityIndex(text, ents))
    assert expected in r.name


def test_they_is_a_body_or_a_people_never_a_state_or_an_adjective():
    """"Madagascar … They say …" are its people, not the state; "Swedish prosecutors … they" are not "Swedish"."""
    text = "Families in Madagascar keep the ritual. They say they will go on. Swedish prosecutors met. They said no."
    ents = [(12, 22, "GPE"), (66, 73, "NORP")]
    assert [text[s:e] for s, e, _ in ents] == ["Madagascar", "Swedish"]
    index = EntityIndex(text, ents)
    k = text.index("They say")
    assert resolve(text, k, k + 4, index).name == "They"  # nothing it can stand for: the mention stays
    k = text.index("They said")
    assert resolve(text, k, k + 4, index).name == "They"
    # "it" may be a state, "they" a body
    text = "The Harbour Board met Norway. It said no. The Harbour Board voted. They said yes."
    index = EntityIndex(text, [(0, 17, "ORG"), (22, 28, "GPE"), (42, 59, "ORG")])
    k = text.index("It said")
    assert resolve(text, k, k + 2, index).name == "Norway"
    k = text.index("They said")
    assert resolve(text, k, k + 4, index).name.endswith("Harbour Board")


def test_the_government_is_a_states_and_a_qualified_one_says_whose_itself():
    text = "The Hammonds lived in Oregon. The Hammonds Ranch sued. The government said no. The federal government said no."
    index = EntityIndex(text, [(22, 28, "GPE"), (30, 48, "ORG")])
    k = text.index("The government")
    assert resolve(text, k, k + len("The government"), index).name == "Oregon"
    k = text.index("The federal government")
    assert resolve(text, k, k + len("The federal government"), index).name == "The federal government"


def test_a_name_ner_joined_across_a_comma_gives_the_piece_the_mention_covers():
    """"Above the video on Facebook, Zakkout praised Duke": NER tags "Facebook, Zakkout" as one ORG."""
    text = "Sofian Zakkout runs a group. Above the video on Facebook, Zakkout praised Duke."
    index = EntityIndex(text, [(0, 14, "PERSON"), (48, 65, "ORG")])
    assert text[48:65] == "Facebook, Zakkout"
    k = text.index("Zakkout praised")
    assert resolve(text, k, k + 7, index).name == "Sofian Zakkout"


def test_a_title_abbreviation_stands_for_the_person_introduced_with_the_title():
    text = "Inspector General Michael Horowitz testified. The IG said the texts were found in May."
    index = EntityIndex(text, [(18, 34, "PERSON"), (50, 52, "ORG")])
    assert text[50:52] == "IG"
    k = text.index("The IG")
    r = resolve(text, k, k + 6, index)
    assert (r.name, r.resolved_from) == ("Michael Horowitz", "description")
    text = "The IG said the texts were found in May."  # no one introduced with the title: the mention stays
    assert resolve(text, 0, 6, EntityIndex(text, [(4, 6, "ORG")])).name == "IG"


@pytest.mark.parametrize("text, ents, mention, expected", [
    ("The former apostolic nuncio to the United States has accused the pope.", [(31, 48, "GPE")],
     "The former apostolic nuncio to the United States", "The former apostolic nuncio to the United States"),
    ("A spokesman for the Harbour Board said no.", [(16, 33, "ORG")], "A spokesman for the Harbour Board",
     "A spokesman for the Harbour Board"),
    ("The ambassador to France, Jane Roe, said no.", [(18, 24, "GPE"), (26, 34, "PERSON")],
     "The ambassador to France, Jane Roe", "Jane Roe"),
])
def test_a_role_for_a_place_or_body_is_the_person_in_that_role(text, ents, mention, expected):
    for s, e, _ in ents:
        assert text[s:e] in mention
    start = text.index(mention)
    assert resolve(text, start, start + len(mention), EntityIndex(text, ents)).name == expected
