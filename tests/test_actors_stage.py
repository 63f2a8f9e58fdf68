"""The actors stage on hand-written sentences: aliasing, surnames, labels (technique spans and parse), quoted flag."""

from __future__ import annotations

import functools

import pytest

from conftest import assert_offsets
from unspun.document import Document, Quote, Removed, Technique
from unspun.render import markdown, tsv
from unspun.runtime import nlp
from unspun.stages import actors


def _run(doc: Document) -> Document:
    actors.run(doc)
    assert_offsets(doc.to_plain())
    return doc


def _actor(doc: Document, name: str):
    hits = [a for a in doc.actors if a.name == name]
    assert len(hits) == 1, [(a.name, a.type) for a in doc.actors]
    return hits[0]


def _technique(doc: Document, part: str, technique: str) -> None:
    start = doc.text.index(part)
    doc.add(Technique, start, start + len(part), technique=technique, score=0.9, definition_id="x")


def test_us_aliases_are_one_state_when_the_text_names_the_us():
    text = ("The United States sent a new envoy. Washington wants a deal by spring, and the Trump administration "
            "has said so twice. America will not wait, a US diplomat added.")
    doc = _run(Document(text=text))
    us = _actor(doc, "United States")
    assert us.type == "state"
    assert [m.text for m in us.mentions] == ["United States", "Washington", "Trump administration", "America", "US"]


def test_a_capital_alone_stays_a_place():
    text = "Washington was cold and wet on Monday, and the ferries to the islands were cancelled."
    doc = _run(Document(text=text))
    assert all(a.name != "United States" for a in doc.actors)
    assert _actor(doc, "Washington").type == "state"


def test_russia_moscow_kremlin_and_demonyms():
    text = ("Russia closed the border. Moscow blamed the weather, and the Kremlin said nothing more. "
            "Russian troops stayed put while Russians queued at the crossing.")
    doc = _run(Document(text=text))
    russia = _actor(doc, "Russia")
    assert [m.text for m in russia.mentions] == ["Russia", "Moscow", "Kremlin", "Russian"]
    russians = _actor(doc, "Russians")
    assert russians.type == "group" and [m.text for m in russians.mentions] == ["Russians"]


def test_surname_joins_the_full_name_and_titles_are_dropped():
    text = ("State Representative Dale Okafor spoke first. Later Okafor left the hall, and Mr. Okafor's aide "
            "stayed. Priya Ramanathan did not attend.")
    doc = _run(Document(text=text))
    okafor = _actor(doc, "Dale Okafor")
    assert okafor.type == "person" and [m.text for m in okafor.mentions] == ["Dale Okafor", "Okafor", "Okafor"]
    assert _actor(doc, "Priya Ramanathan").type == "person"


def test_labels_from_technique_spans():
    text = "Putin is a ruthless dictator. The Kiev junta is a gang of thugs, and Ukraine knows it."
    doc = Document(text=text)
    _technique(doc, "ruthless dictator", "Name_Calling,Labeling")
    _technique(doc, "gang of thugs", "Loaded_Language")
    _technique(doc, "knows it", "Doubt")  # not a labelling technique: ignored
    _run(doc)
    putin = _actor(doc, "Putin")
    assert [(lab.text, lab.technique) for lab in putin.labels] == [("ruthless dictator", "Name_Calling,Labeling")]
    ukraine = _actor(doc, "Ukraine")
    assert ("gang of thugs", "Loaded_Language") in [(lab.text, lab.technique) for lab in ukraine.labels]
    assert all(lab.technique != "Doubt" for a in doc.actors for lab in a.labels)


def test_technique_span_covering_a_mention_labels_its_head():
    text = "The US-backed Jihadists shelled the market again."
    doc = Document(text=text)
    _technique(doc, "US-backed Jihadists", "Name_Calling,Labeling")
    _run(doc)
    jihadists = _actor(doc, "Jihadists")
    assert jihadists.type == "group"
    assert [(lab.text, lab.technique) for lab in jihadists.labels] == [("US-backed Jihadists", "Name_Calling,Labeling")]
    assert _actor(doc, "United States").labels == []


def test_attributive_labels_from_the_parse():
    text = ("The US-backed Jihadists shelled the town. Ukraine watched as its criminal Prime Minister fled. "
            "The corrupt regime in Kiev denied everything.")
    doc = _run(Document(text=text))
    assert [(lab.text, lab.technique) for lab in _actor(doc, "Jihadists").labels] == [("US-backed Jihadists", None)]
    ukraine = [lab.text for lab in _actor(doc, "Ukraine").labels]
    assert "criminal Prime Minister" in ukraine and "corrupt regime in Kiev" in ukraine
    # neutral modifiers are not labels
    plain = _run(Document(text="The former Soviet republic and the new French government met in Geneva."))
    assert all(not a.labels for a in plain.actors)


def test_quoted_flag_by_span_and_by_name():
    text = ('Dale Okafor runs the roads office. "We fixed it," Okafor said. The mayor, Lena Ortiz, was not asked. '
            "He added that Ortiz had no comment.")
    doc = Document(text=text)
    start = text.index("We fixed it")
    speaker = text.index("Okafor said")
    doc.add(Quote, start, start + 11, kind="direct", speaker="Dale Okafor", speaker_start=speaker,
            speaker_end=speaker + 6)
    start = text.index("Ortiz had no comment")
    he = text.index("He added")
    doc.add(Quote, start, start + 20, kind="indirect", speaker="Dale Okafor", speaker_start=he, speaker_end=he + 2)
    _run(doc)
    assert _actor(doc, "Dale Okafor").quoted is True
    assert _actor(doc, "Lena Ortiz").quoted is False


def test_removed_ranges_are_skipped():
    text = "Reuters covered the vote.\nClick to share on Facebook\nThe council met in Leeds."
    doc = Document(text=text)
    start = text.index("Click")
    doc.add(Removed, start, start + len("Click to share on Facebook"), reason="share-buttons")
    _run(doc)
    assert all("Facebook" not in m.text for a in doc.actors for m in a.mentions)


@pytest.mark.parametrize("text", ["", " \n\t ", ".", "ok then", "no names here at all, just words.", "\u00ab \u201e\u201c"])
def test_odd_text_gives_valid_output(text):
    doc = _run(Document(text=text))
    assert all(a.type in ("person", "state", "organisation", "group") for a in doc.actors)


def test_huge_text_spans_parse_chunks(monkeypatch):
    """A long text is parsed in chunks; mentions in every chunk keep document offsets. Small chunks keep it fast."""
    monkeypatch.setattr(nlp, "chunk_bounds", functools.partial(nlp.chunk_bounds, limit=4000))
    para = ("The Kremlin said Moscow would respond. Dale Okafor, a senior aide, said the US-backed Jihadists "
            "retreated. Okafor later left.\n\n")
    text = para * (30_000 // len(para) + 1)
    assert len(nlp.parse(text)) > 5
    doc = _run(Document(text=text))
    okafor = _actor(doc, "Dale Okafor")
    copies = text.count(para)
    assert len(okafor.mentions) >= 2 * copies - 2  # mentions found in every parse chunk
    assert okafor.mentions[-1].start > 29_000
    assert [lab.text for lab in _actor(doc, "Jihadists").labels][-1] == "US-backed Jihadists"


def test_outputs_show_actors():
    doc = _run(Document(text="NATO met in Brussels while the European Union argued."))
    assert [a.type for a in doc.actors] == ["organisation", "organisation"]
    assert _actor(doc, "European Union").mentions[0].text == "Brussels"
    assert "## Actors" in markdown.render([doc])
    rows = [r.split("\t") for r in tsv.render([doc]).splitlines()[1:]]
    # most important first: the European Union is named twice ("Brussels" stands for it), NATO once
    assert rows[0][1:3] == ["actors", "a0"] and rows[0][5] == "organisation" and rows[0][7] == "European Union"
    assert doc.models["actors"]["name"].startswith("spacy/")


def test_a_town_named_only_as_where_things_happened_is_no_actor():
    text = ("Mayor Lena Okafor opened the new ferry terminal on Monday. The ceremony took place in Dunmore Falls, "
            "and the first boat left from Port Ellery at noon. Okafor said the service would run every hour.")
    doc = _run(Document(text=text))
    names = [a.name for a in doc.actors]
    assert "Lena Okafor" in names
    assert "Dunmore Falls" not in names and "Port Ellery" not in names


def test_a_place_that_acts_or_is_labelled_stays_an_actor():
    text = ("Talks were held in Norvania on Monday. Norvania rejected the offer the next day, "
            "and its corrupt regime in Norvania closed the border.")
    doc = _run(Document(text=text))
    assert any(a.name == "Norvania" for a in doc.actors), [(a.name, a.type) for a in doc.actors]


def test_every_actor_carries_a_score_between_0_and_1():
    text = ("Mayor Lena Okafor opened the new ferry terminal on Monday. The Harbour Board said it would pay for "
            "two more boats. Okafor said the service would run every hour.")
    doc = _run(Document(text=text))
    assert doc.actors
    for actor in doc.actors:
        assert actor.score is not None and 0.0 <= actor.score <= 1.0
    # a named person who acts and speaks is more likely real than nothing: the model must not be a constant
    assert len({a.score for a in doc.actors}) > 1


def test_a_judging_description_labels_the_person_it_refers_back_to():
    text = ("Dock guard Milo Varga was hailed after the fire at Pier 9. Reporters asked about Varga again on Friday. "
            "Yet no one has seen this supposed hero since, and the mysterious guard has not spoken to the press.")
    doc = _run(Document(text=text))
    labels = [lab.text for lab in _actor(doc, "Milo Varga").labels]
    assert any("mysterious guard" in t for t in labels), labels


def test_a_description_is_not_pinned_on_someone_when_two_people_fit():
    text = "Maria Lopez met John Smith at the port on Monday. The infamous official left early."
    doc = _run(Document(text=text))
    assert not any(lab.text.endswith("official") for a in doc.actors for lab in a.labels)


def test_a_regime_is_no_description_of_a_person():
    text = "Senator Tom Reyes spoke on Monday. He said the regime would fall, and the brutal regime knows it."
    doc = _run(Document(text=text))
    assert not any("regime" in lab.text for a in doc.actors for lab in a.labels if a.name == "Tom Reyes")


def test_a_name_given_as_another_names_alias_is_one_actor():
    text = ("Keith Ellison, also known as Keith Hakim, spoke on Monday. Ellison denied the story. Hakim said nothing "
            "else. Tom Reyes, born in Madrid, left in 1990, and Maria Lopez stayed.")
    doc = _run(Document(text=text))
    ellison = _actor(doc, "Keith Ellison")
    assert {m.text for m in ellison.mentions} >= {"Keith Ellison", "Keith Hakim", "Ellison", "Hakim"}
    assert all("Reyes" not in m.text for m in ellison.mentions)  # "born in Madrid" names a place, not an alias


def test_capitalised_common_words_and_headline_fragments_are_no_actors():
    from unspun.stages.actors import _implausible

    text = ("Ferry Chief Quits Over Harbour Row\n\nHate is a strong word, the mayor said. But hate is what the "
            "crowd felt, and Lena Okafor said so twice. Okafor will stay.")
    at = text.index("Hate")
    assert _implausible(text, "Hate", [(at, at + 4)])  # a sentence's first word, used in lower case elsewhere
    at = text.index("Ferry Chief")
    assert _implausible(text, "Ferry Chief Quits", [(at, at + 17)])  # only in the headline
    assert _implausible(text, "n’t", [(0, 3)]) and _implausible(text, "W]e", [(0, 3)])
    at = text.index("Lena Okafor")
    assert not _implausible(text, "Lena Okafor", [(at, at + 11), (text.index("Okafor will"), text.index(" will"))])


def test_a_judged_thing_an_actor_owns_is_no_label_of_the_actor():
    text = ("Norvania's illicit missile programme grew last year. Norvania's corrupt regime denied it, and "
            "Norvania's brutal leaders stayed silent.")
    doc = _run(Document(text=text))
    labels = [lab.text for a in doc.actors if a.name == "Norvania" for lab in a.labels]
    assert not any("programme" in t for t in labels), labels
    assert any("regime" in t for t in labels) and any("leaders" in t for t in labels), labels


def test_a_name_given_once_in_a_list_of_examples_is_no_actor():
    text = ("Premier Ada Voss signed the fisheries pact on Tuesday. Boats will sell to countries including Norway, "
            "Chile, Kenya and Peru. Voss said the pact would double exports.")
    doc = _run(Document(text=text))
    names = [a.name for a in doc.actors]
    assert "Ada Voss" in names
    assert not {"Chile", "Kenya", "Peru"} & set(names), names


def test_a_list_that_acts_keeps_its_names():
    text = ("Senators like Laura Quint, Peter Hale and Susan Marsh voted against the harbour bill on Friday. "
            "The vote was close.")
    names = [a.name for a in _run(Document(text=text)).actors]
    assert {"Laura Quint", "Peter Hale", "Susan Marsh"} <= set(names), names


def test_an_outlet_only_credited_is_a_source_not_an_actor():
    text = ("Mayor Lena Okafor resigned on Monday, according to the Harbour Times. Okafor told the Daily Bugle "
            "that she was tired of the fight over the ferry.")
    names = [a.name for a in _run(Document(text=text)).actors]
    assert "Lena Okafor" in names
    assert not [n for n in names if "Times" in n or "Bugle" in n], names


def test_an_outlet_that_acts_stays_an_actor():
    text = "The Harbour Times sued Mayor Lena Okafor over the ferry contract. Okafor called the suit baseless."
    names = [a.name for a in _run(Document(text=text)).actors]
    assert "Harbour Times" in names, names


def test_a_title_in_its_own_quotation_marks_is_no_actor():
    text = ("The ministry dropped its “Safer Harbours Compact” on Monday. Minister Ana Ruiz said the "
            "“Safer Harbours Compact” had cost too much.")
    names = [a.name for a in _run(Document(text=text)).actors]
    assert "Ana Ruiz" in names
    assert not [n for n in names if "Compact" in n], names


def test_a_game_named_after_games_like_is_no_actor():
    text = ("Vexel Studios said its season pass copies games like Fortnite. Vexel Studios will release the pass "
            "in May.")
    names = [a.name for a in _run(Document(text=text)).actors]
    assert "Fortnite" not in names, names


def test_actors_are_capped_and_the_most_named_come_first():
    people = [f"{first} {last}" for first, last in zip(
        "Ada Ben Cal Dee Eli Fay Gus Hal Ian Joy Kai Lea Max Ned Oda Pia Quin Rex Sol Tia Uma Vic Wes Xia Yul Zed Amo "
        "Bea".split(),
        "Abbot Barlow Carver Dunmore Ellery Fairley Garner Hollis Ingram Jarvis Kettle Lorne Merrow Norcott Osgood "
        "Pellow Quarry Rendle Stroud Tolley Upton Varley Wexley Yarrow Zouch Ambler Birtle Calloway".split())]
    text = " ".join(f"{p} voted for the harbour plan on Monday." for p in people)
    text += " " + " ".join(f"Later {people[-1]} spoke again." for _ in range(3))
    doc = _run(Document(text=text))
    assert len(doc.actors) == actors.MAX_ACTORS
    assert doc.actors[0].name.endswith("Calloway"), [a.name for a in doc.actors[:3]]  # named four times


def _labels(doc: Document, name: str) -> list[str]:
    return [lab.text for lab in _actor(doc, name).labels]


def test_naming_verbs_pin_their_complement_on_the_object():
    doc = _run(Document(text="For years the tabloids would call Mara Quill a traitor. Mara Quill ignored them."))
    assert any("traitor" in lab for lab in _labels(doc, "Mara Quill"))


def test_judging_words_on_the_rulers_or_people_of_a_state_label_it():
    doc = _run(Document(text="The minister never criticised the brutal leaders of Venezuela at the summit."))
    assert any("brutal leaders" in lab for lab in _labels(doc, "Venezuela"))
    doc = _run(Document(text="The plan drives a wedge between the corrupt theocrats that rule Iran and its people."))
    assert any("corrupt theocrats" in lab for lab in _labels(doc, "Iran"))


def test_the_class_a_name_is_an_example_of_labels_it():
    text = ("The council keeps funding Hamas front groups such as the Harbour Aid Trust. "
            "Mara Quill listened to cowards like Dale Okafor.")
    doc = _run(Document(text=text))
    assert any("cowards" in lab for lab in _labels(doc, "Dale Okafor"))


def test_a_loaded_description_after_a_name_labels_that_person():
    text = ("Tomas Brenner, 41, has been convicted six times. The city refused to hand the felon over to federal "
            "agents, and the killer's lawyer called the verdict fair.")
    doc = _run(Document(text=text))
    labels = _labels(doc, "Tomas Brenner")
    assert "felon" in labels and "killer" in labels, labels


def test_a_generation_named_as_a_group_keeps_its_labels():
    doc = _run(Document(text='The cartoon mocks the myth of the lazy, narcissistic "Millennials," and it went viral.'))
    assert any("lazy" in lab for lab in _labels(doc, "Millennials"))


def test_the_end_of_a_full_name_is_the_same_person():
    text = ("Mexican national Luis Alberto Ortega Ruiz was arrested on Monday. Later Ortega Ruiz told the court "
            "he was innocent.")
    doc = _run(Document(text=text))
    people = [a for a in doc.actors if "Ruiz" in a.name]
    assert len(people) == 1 and len(people[0].mentions) == 2, [(a.name, len(a.mentions)) for a in doc.actors]


def test_places_named_as_where_something_happened_are_no_actors():
    text = ("Two cases were confirmed in the market town of Castlebar. A third was found in the Ballykeel area. "
            "A man was arrested in Millbrook, Kansas. Health Minister Ada Voss said more tests would follow.")
    names = [a.name for a in _run(Document(text=text)).actors]
    assert "Ada Voss" in names
    assert not {"Castlebar", "Ballykeel", "Millbrook"} & set(names), names


def test_an_acronym_for_a_common_phrase_is_a_term_not_a_body():
    text = ("Marburg virus disease (MVD) was first seen in 1967. The World Health Organization (WHO) said on "
            "Tuesday that it would send a team.")
    names = [a.name for a in _run(Document(text=text)).actors]
    assert "MVD" not in names and any("World Health Organization" in n for n in names), names


def test_a_web_outlet_or_journal_only_published_in_is_no_actor():
    text = ("A study published in Frontiers found the forests shrinking, according to a report by Harbourwatch.com. "
            "Professor Ada Voss led the study.")
    names = [a.name for a in _run(Document(text=text)).actors]
    assert "Ada Voss" in names
    assert not {"Frontiers", "Harbourwatch.com"} & set(names), names


def test_an_example_that_is_the_subject_of_a_clause_still_takes_its_class():
    doc = _run(Document(text="We need no more Kremlin-linked advisers like Dale Okafor serving in the cabinet."))
    assert any("linked advisers" in lab for lab in _labels(doc, "Dale Okafor"))


def test_a_judging_noun_pinned_on_a_pronoun_labels_its_referent():
    text = "Senator Mara Quill backed the deal. Critics say that would make her a reckless gambler with public money."
    doc = _run(Document(text=text))
    assert any("reckless gambler" in lab for lab in _labels(doc, "Mara Quill"))


def test_a_heading_that_runs_a_name_into_the_next_word_is_cut_back():
    text = ("Harbour Guard Tomas Brenner Shot During Ferry Riot Raises Questions\n\n"
            "The infamous harbour guard at the ferry terminal was not on the roster.\n"
            "Tomas Brenner, who the police keep changing their story about, is still missing.")
    doc = _run(Document(text=text))
    brenner = _actor(doc, "Tomas Brenner")
    assert len(brenner.mentions) == 2
    assert any("infamous" in lab.text for lab in brenner.labels)


def test_phrases_that_ner_took_for_names_are_no_actors():
    text = ("Header Image: Fishermen have worked the Dunmore coast for centuries.\n"
            "Governor Ada Voss wrote: “I will call up the Guard and CLOSE OUR HARBOUR GATES!”\n"
            "Players can now buy Illusion spells with the new Challenge system, Voss's office said.")
    names = [a.name for a in _run(Document(text=text)).actors]
    assert "Ada Voss" in names
    assert not [n for n in names if n in ("Header Image", "Illusion", "Challenge") or "OUR" in n], names


def test_a_word_capitalised_once_but_written_in_lower_case_elsewhere_is_no_actor():
    text = ("Vexel Studios said the season pass costs ten dollars. Rewards come faster the farther you get into the "
            "Pass, Vexel Studios added.")
    names = [a.name for a in _run(Document(text=text)).actors]
    assert "Pass" not in names, names


def test_software_that_apps_use_is_no_actor():
    text = ("Vexel Studios makes apps using DepthKit. The studio's newest game uses DepthKit too, Vexel Studios said.")
    names = [a.name for a in _run(Document(text=text)).actors]
    assert "DepthKit" not in names, names


def test_a_time_zone_a_brand_and_a_released_product_are_no_actors():
    text = ("Mayor Ada Voss said the new season starts at 10:00 a.m. (5 p.m. UTC) on Monday. Last October the "
            "weather agency released its Harbour Outlook. Police found a Sig Sauer .40 caliber pistol, Voss said.")
    names = [a.name for a in _run(Document(text=text)).actors]
    assert "Ada Voss" in names
    assert not {"UTC", "Harbour Outlook", "Sauer", "Sig Sauer"} & set(names), names


def test_a_description_is_never_pinned_on_a_name_that_is_no_actor():
    text = ("Tomas Brenner was deported five times. In May the criminal illegal picked up a Sig Sauer .40 caliber "
            "pistol and fired it.\nThe foreign national and career criminal enjoyed every right of the courts.")
    doc = _run(Document(text=text))
    assert any("criminal" in lab for lab in _labels(doc, "Tomas Brenner"))
    assert not [a for a in doc.actors if "Sauer" in a.name]


def test_a_thing_someone_owns_is_not_that_someone():
    text = ("The analysis should be as thorough as Ada Voss’s Harbour Memorandum was in its day. "
            "Minister Tomas Brenner said he agreed.")
    names = [a.name for a in _run(Document(text=text)).actors]
    assert "Tomas Brenner" in names and not [n for n in names if "Memorandum" in n], names


def test_what_an_author_wrote_is_no_actor():
    text = "Tomas Brenner is the author of the acclaimed United in Fear, a history of the harbour strikes."
    names = [a.name for a in _run(Document(text=text)).actors]
    assert "Tomas Brenner" in names and "United" not in names and "United in Fear" not in names, names


def test_a_heading_word_or_a_predicate_adjective_is_no_actor():
    text = ("Funding Shortcomings\n“We find that the money never arrived,” the report says.\n"
            "Critics say it is “cruel” and Islamophobic to ask, Senator Ada Voss said.")
    doc = Document(text=text)
    start = text.index("Shortcomings")
    doc.add(Quote, text.index("We find"), text.index(" the money") + 20, speaker="Shortcomings",
            speaker_start=start, speaker_end=start + len("Shortcomings"), kind="direct", cue="says")
    names = [a.name for a in _run(doc).actors]
    assert "Ada Voss" in names
    assert not {"Shortcomings", "Islamophobic"} & set(names), names


def test_a_labelling_span_on_a_false_name_goes_to_the_person_it_means():
    text = ("Tomas Brenner was arrested within hours. But to avoid detection, they needed a patsy, which is the "
            "term that Brenner used himself.")
    doc = Document(text=text)
    _technique(doc, "patsy", "Name_Calling,Labeling")
    doc = _run(doc)
    assert "patsy" not in [a.name for a in doc.actors]  # NER tags the word as a person
    assert "patsy" in _labels(doc, "Tomas Brenner")


def test_names_only_in_a_repeated_widget_line_are_no_actors():
    poll = "Will Ada Voss be re-elected to the Harbour Council?\n"
    text = ("Mayor Tomas Brenner opened the ferry terminal on Monday.\ntake our poll - story continues below\n"
            + poll * 3 + "Brenner said the ferry would run hourly from June, with a night service at weekends.\n"
            "The terminal cost four million pounds and took three years to build, the council's report says.\n"
            "Fares will rise in spring, and commuters from the outer islands fear they will be priced out.\n"
            "A second berth is planned for 2027 if the first year's passenger numbers meet the forecast.\n"
            "Local traders welcomed the opening and said the quay had been empty for most of the decade.\n"
            "The old ferry, in service since 1979, will be sold to a museum on the mainland next year.\n"
            "Harbour staff will move into the new building once the ticket hall is finished in August.\n")
    names = [a.name for a in _run(Document(text=text)).actors]
    assert "Tomas Brenner" in names
    assert not [n for n in names if "Voss" in n or "Council" in n], names


def test_a_book_cited_by_chapter_and_verse_is_no_actor():
    text = ("Pastor Ada Voss told the congregation that 58 million babies have been murdered since 1973 under the "
            "guise of choice (Proverbs 6:17). How true Scripture is when it declares that the wicked will perish "
            "(Romans 1:18; Galatians 6:7), and John Calvin said the same.")
    names = [a.name for a in _run(Document(text=text)).actors]
    assert "Proverbs" not in names and "Galatians" not in names, names
    assert "Ada Voss" in names and "John Calvin" in names, names


def test_a_name_ner_cut_inside_its_brackets_ends_before_them():
    """NER tags "the World Health Organization (WHO" (the closing bracket left out): the name is the part before
    the brackets, one actor with the later "World Health Organization" mentions."""
    text = ("Five cases have already been identified in eastern Uganda, the World Health Organization (WHO) has "
            "confirmed.\\nThe World Health Organization sent a team on Monday.")
    names = [a.name for a in _run(Document(text=text)).actors]
    assert "World Health Organization" in names and not any("(" in n for n in names), names


def test_a_sentence_opening_word_ner_ran_into_a_name_is_not_part_of_it():
    """NER tags "Sorry Hillary" as one person: the name is "Hillary", never "Sorry Hillary"."""
    text = "Sorry Hillary, the voters have spoken. Hillary Clinton conceded on Monday in New York."
    names = [a.name for a in _run(Document(text=text)).actors]
    assert not any(n.startswith("Sorry") for n in names), names


def test_a_label_after_serving_as_goes_to_the_one_who_serves():
    """"Mara Quill serving as the lapdog of Dale Okafor": the label is Quill's, not Okafor's (the name inside it)."""
    text = "Critics point to people like Mara Quill serving as the lapdog of Dale Okafor in the harbour deal."
    doc = Document(text=text)
    _technique(doc, "the lapdog of Dale Okafor", "Name_Calling,Labeling")
    _run(doc)
    assert [lb.text for lb in _actor(doc, "Mara Quill").labels] == ["the lapdog of Dale Okafor"]
    assert not [a for a in doc.actors if a.name == "Dale Okafor" and a.labels]
