"""The quotes stage with the shipped tagger, on hand-written articles: each quote kind, speakers, odd input."""

import pytest

from conftest import assert_offsets
from unspun.document import Document
from unspun.runtime.models import load_quotes
from unspun.stages import quotes


def _run(text: str) -> Document:
    doc = Document(text=text)
    quotes.run(doc)
    assert_offsets(doc.to_plain())
    return doc


def _find(doc: Document, fragment: str):
    found = [q for q in doc.quotes if fragment in q.text]
    assert found, f"no quote containing {fragment!r} in {[q.text for q in doc.quotes]}"
    return found[0]


def test_direct_quote_with_named_speaker():
    doc = _run('The mayor, Jane Roe, spoke on Monday. "We will rebuild every school that was lost," Roe said.')
    q = _find(doc, "We will rebuild")
    assert q.kind == "direct"
    assert q.speaker == "Jane Roe" and q.speaker_resolved_from == "name"
    assert doc.text[q.speaker_start:q.speaker_end] == "Roe"
    assert q.cue == "said"
    assert doc.models["quotes"]["sha256"]


def test_curly_split_quote_is_one_quote_in_two_parts():
    doc = _run("“The bridge is safe,” said John Smith, the city engineer. “We tested it twice last month.”")
    q = _find(doc, "The bridge is safe")
    assert len(q.parts) == 2 and "tested it twice" in doc.text[q.parts[1][0]:q.parts[1][1]]
    assert q.speaker == "John Smith"


@pytest.mark.parametrize("sentence, fragment, speaker", [
    ("Senator Mary Jones said that the budget would be balanced by next year.", "budget would be balanced", "Mary Jones"),
    ("According to the World Health Organization, the outbreak has peaked in the region.", "outbreak has peaked", "World Health Organization"),
    ("Governor Tom Baker told reporters the state would not raise taxes this year.", "not raise taxes", "Tom Baker"),
    ("The defence minister, Ana Silva, warned that the border was no longer secure.", "border was no longer secure", "Ana Silva"),
])
def test_indirect_speech(sentence, fragment, speaker):
    q = _find(_run(sentence), fragment)
    assert q.kind == "indirect"
    assert speaker in (q.speaker or "")


def test_pronoun_speaker_resolves_to_the_person_named_before():
    doc = _run("Maria Lopez, the union's president, spoke to workers on Friday. "
               "She said the strike would continue until the company agreed to talks.")
    q = _find(doc, "strike would continue")
    assert q.speaker == "Maria Lopez" and q.speaker_resolved_from == "pronoun"
    assert doc.text[q.speaker_start:q.speaker_end] == "She"


def test_anonymous_source_keeps_the_mention():
    q = _find(_run("Officials said the talks had collapsed after two days of meetings."), "talks had collapsed")
    assert q.speaker == "Officials"


def test_block_quote_after_a_colon():
    doc = _run("The statement from the ministry read in full:\n\nThe ministry rejects every allegation made in the "
               "report and will take legal action against its authors, who have spread lies about our work for years.")
    q = _find(doc, "rejects every allegation")
    assert q.kind in ("block", "indirect")


def test_no_quotation_marks_at_all_is_fine():
    doc = _run("The river rose by two metres overnight. Roads were closed in the valley.")
    assert all(q.end <= len(doc.text) for q in doc.quotes)


@pytest.mark.parametrize("text", [
    'He said "this never ends.',                              # unbalanced
    '"She told me \'run\' and I ran," Tom said.',              # nested
    "« Nous resterons », a déclaré le ministre. „Wir bleiben“, sagte sie. 「我们会留下」他说。",  # other scripts
    '"' + "This line is part of one very long quote.\n" * 500 + '" said the author.',  # a 500-line quote
    '"' + "An article that is one long quote from start to end. " * 40 + '"',
    "",
    "   \n\n  ",
])
def test_odd_quoting_gives_valid_output(text):
    doc = _run(text)
    for q in doc.quotes:
        assert q.kind in ("direct", "indirect", "block", "mixed")
        assert all(0 <= s < e <= len(text) for s, e in q.parts)


def test_removed_ranges_are_skipped():
    from unspun.document import Removed

    text = '"Buy our product now," said the advert. "The war is over," the general said.'
    doc = Document(text=text)
    doc.add(Removed, 0, 39, reason="layout-widget")
    quotes.run(doc)
    assert all(q.start >= 39 for q in doc.quotes)


def test_as_x_puts_it_is_a_block_quote():
    doc = _run("The reform failed. As Paul Newman puts it, the whole scheme was built on sand from the start.")
    q = _find(doc, "the whole scheme was built on sand")
    assert q.kind == "block" and q.speaker == "Paul Newman" and q.cue == "puts it"


def test_according_to_at_the_end_of_the_sentence():
    doc = _run("Unemployment fell to its lowest level in a decade last month, according to the Labour Ministry.")
    q = _find(doc, "Unemployment fell")
    assert q.kind == "indirect" and "Labour Ministry" in (q.speaker or "")


def test_as_x_argues_gives_the_rest_of_the_sentence_as_reported_words():
    doc = _run("The plan is failing. As Maria Lindqvist has argued in The Quiet Harbour, the council needs a port "
               "strategy before it sells any more land. The vote is on Friday.")
    q = _find(doc, "the council needs a port strategy")
    assert q.kind == "indirect" and q.speaker == "Maria Lindqvist" and q.cue == "argued"
    assert "vote is on Friday" not in q.text


@pytest.mark.parametrize("text", [
    "As Maria Lindqvist walked in, the council was voting on the port strategy for next year.",
    "As Americans know, the council has voted on the port strategy every year since 1990.",
])
def test_an_as_clause_that_reports_no_speech_is_no_quote(text):
    assert quotes._as_x_says(text) == []


def test_according_to_owns_a_sentence_with_a_report_nested_in_it():
    """'<X, after officials notified the capital of Y>, according to Z': the tagger's weak inner report
    ("notified") is part of what Z says, not a reason to drop Z's attribution."""
    text = ("Two samples came back positive. The samples were gathered after health officials in Tarn Province "
            "notified the capital on May 3 of about 21 cases of a fever, including 17 deaths, according to the "
            "Regional Health Agency and the national government.\nWhat is the fever?")
    doc = _run(text)
    q = _find(doc, "The samples were gathered")
    assert "Regional Health Agency" in q.speaker and q.speaker_resolved_from == "name"


def test_coordinated_speakers_take_the_first_named():
    from unspun.stages.speakers import EntityIndex, resolve

    text = "according to WHO and Congo's government"
    index = EntityIndex(text, [(13, 16, "ORG"), (21, 26, "GPE")])
    assert resolve(text, 13, len(text), index).name == "WHO"
    # not coordinated: the longest (or the person) as before
    text = "Redmond, Washington, Chief Executive Satya Nadella"
    index = EntityIndex(text, [(0, 7, "GPE"), (9, 19, "GPE"), (37, 50, "PERSON")])
    assert resolve(text, 0, len(text), index).name == "Satya Nadella"


def test_a_plain_name_said_after_the_words_is_explicit():
    """'<words>, Nauert said.' needs no tagger confidence: the statement verb and its speaker follow the words."""
    doc = Document(text="The state department spokeswoman, Heather Nauert, confirmed the case on Friday.\nThe worker "
                        "started feeling \"a variety of symptoms\" in late 2017 that lasted through April this year, "
                        "Nauert said.\nThe worker was sent home.")
    quotes.add_quotes(doc, load_quotes()[0], min_score=0.99)  # no tagger score reaches this
    q = _find(doc, "The worker started feeling")
    assert q.speaker == "Heather Nauert" and q.cue == "said"


def test_a_cue_of_helper_verbs_reports_no_one():
    from unspun import lexicon

    assert lexicon.auxiliary_only("are") and lexicon.auxiliary_only("won") and lexicon.auxiliary_only("has been")
    assert not lexicon.auxiliary_only("has said") and not lexicon.auxiliary_only(":") and not lexicon.auxiliary_only(None)


def test_an_indirect_quote_hung_on_a_helper_verb_is_dropped_but_marked_words_stay():
    """What the tagger sometimes outputs on real pages, given to the stage as it is (the tagger itself does not
    reliably make this slip on a short text): "they [are] <required to oppose …>" with "are" as the cue."""
    from unspun.runtime.quote_model import Attribution

    text = ("Senators Ann Roe and Bo Carr opposed the deal and may now feel that, as opponents of the government, "
            "they are required to oppose any change to the review act.\nHer brother Brad was “stunned that they "
            "couldn’t even get him on using the weapon.”\nAfter the arrest, the official account was that this was a "
            "lone gunman who acted for no reason at all.")

    def span(phrase, upto=None):
        a = text.index(phrase)
        return (a, a + len(phrase)) if upto is None else (a, text.index(upto, a) + len(upto))

    tagged = [
        Attribution(parts=[span("required to oppose", "review act")], score=0.86, cue=span("are"),
                    source=span("they are")[:1] + (span("they are")[0] + 4,)),
        Attribution(parts=[span("“stunned", "weapon.”")], score=0.98, cue=span("was “")[:1] + (span("was “")[0] + 3,),
                    source=span("Her brother Brad")),
        Attribution(parts=[span("that this was", "at all")], score=0.9, cue=span("was that")[:1]
                    + (span("was that")[0] + 3,), source=span("the official account")),
    ]
    doc = Document(text=text)
    quotes.add_quotes(doc, lambda _: tagged, min_score=0.7)
    assert not [q for q in doc.quotes if "required to oppose" in q.text]
    assert _find(doc, "stunned that they")
    assert _find(doc, "this was a lone gunman")
    # "X was that …" gives someone's words only when X is something said: "one lesson I learned early was that …"
    text = "One lesson of legislative analysis that I learned early was that the terms used are of utmost importance."
    tagged = [Attribution(parts=[(text.index("that the terms"), len(text) - 1)], score=0.9,
                          cue=(text.index("was that"), text.index("was that") + 3), source=(0, 10))]
    doc = Document(text=text)
    quotes.add_quotes(doc, lambda _: tagged, min_score=0.7)
    assert not doc.quotes


def _tagged(text, content, cue, source, score=0.9):
    from unspun.runtime.quote_model import Attribution

    def span(phrase):
        a = text.index(phrase)
        return (a, a + len(phrase))

    return Attribution(parts=[span(content)], score=score, cue=span(cue) if cue else None,
                       source=span(source) if source else None)


def test_a_participle_on_a_thing_reports_nobody_but_a_misparsed_verb_still_does():
    """ "A megamerger announced Monday [would turn …]": the merger is what was announced, so what follows is the
    author's. "A poll found last week that …" (the parse may take "found" for a participle too) keeps its clause."""
    text = ("A $160 billion megamerger announced Monday would turn the harbour company into an Irish firm.\n"
            "A Quinnipiac University poll found last week that the mayor would beat her rival 46 to 40 percent.")
    tagged = [_tagged(text, "would turn the harbour company into an Irish firm", "announced Monday",
                      "A $160 billion megamerger"),
              _tagged(text, "that the mayor would beat her rival 46 to 40 percent", "found last week",
                      "A Quinnipiac University poll")]
    doc = Document(text=text)
    quotes.add_quotes(doc, lambda _: tagged, min_score=0.7)
    assert not [q for q in doc.quotes + doc.views if "Irish firm" in q.text]
    assert [q for q in doc.quotes + doc.views if "would beat her rival" in q.text]
    assert quotes._participle_of_thing(text, (text.index("announced"), text.index("announced") + 9))


def test_a_lone_quotation_mark_is_no_quote():
    text = 'The mayor spoke at length. "We will rebuild," she said.\n\n"'
    tagged = [_tagged(text, "We will rebuild", "said", "she"), _tagged(text, '\n\n"', None, None)]
    tagged[1].parts = [(len(text) - 1, len(text))]
    doc = Document(text=text)
    quotes.add_quotes(doc, lambda _: tagged, min_score=0.7)
    assert len(doc.quotes) == 1 and "We will rebuild" in doc.quotes[0].text


def test_a_caption_line_before_a_quote_is_not_its_start_and_according_to_may_be_a_parenthesis():
    """A photo-credit line the tagger ran on from ("Getty Images\nA lecturer … “is not a town,” according to …") is
    not the quote; "<subject>, according to X, <rest of the clause>" gives both pieces, not the subject alone."""
    text = ("Harbour towns are towns.\nJust so we're all clear.\nGetty Images\nA lecturer at Millbrook College failed "
            "one of his student's essays because the lecturer wrongly thought Port Ellery \"is not a town,\" according "
            "to a report in the Millbrook Ledger.\nPort Ellery is, in fact, a town.\nThe lecturer, according to the "
            "Ledger, failed the essay because \"Port Ellery is a harbour; not a town,\" which is wrong.\n")
    doc = _run(text)
    first = _find(doc, "A lecturer at Millbrook College")
    assert "Getty" not in first.text and "Ledger" in first.speaker
    second = _find(doc, "The lecturer")
    assert len(second.parts) == 2 and "failed the essay" in second.text and "Ledger" in second.speaker
    # a source with a clause of its own after it is no parenthesis: the content ends before "according to"
    assert quotes._no_verb(text, text.index("The lecturer"), text.index(", according to the Ledger"))
    assert not quotes._no_verb(text, 0, text.index("\nJust"))


def test_kinds_from_quotation_marks():
    text = 'x "all quoted" y'
    assert quotes.kind_of(text, [(2, 14)], "said") == "direct"
    text = 'he called it "a farce" and left'
    assert quotes.kind_of(text, [(0, len(text))], "said") == "mixed"
    assert quotes.kind_of("plain reported words", [(0, 20)], "said") == "indirect"


# --- tagger output that reports no speech, and speakers that are no speakers --------------------------------------
def _index(text: str):
    from unspun.runtime import nlp
    from unspun.stages.speakers import EntityIndex

    return EntityIndex(text, list(nlp.entities(text)))


def _att(text: str, source: str, cue: str, content: str):
    from unspun.runtime.quote_model import Attribution

    def span(part):
        start = text.index(part)
        return (start, start + len(part))

    return Attribution(parts=[span(content)], score=0.7, cue=span(cue), source=span(source))


@pytest.mark.parametrize("text, source, cue, content, expected", [
    # a headline's colon after a common noun introduces no speech
    ("The Great Harbour Swindle: How Our Leaders Sold Out Port Ellery", "Swindle", ":",
     "How Our Leaders Sold Out Port Ellery", True),
    # … but after a name it does, and so do quotation marks and titles
    ("Angela Merkel: Europe must stand together on migration", "Angela Merkel", ":",
     "Europe must stand together on migration", False),
    ('The verdict: "Europe must stand together on migration"', "verdict", ":",
     '"Europe must stand together on migration"', False),
    ("The senator: we will not vote for this bill", "senator", ":", "we will not vote for this bill", False),
    # a negated speaker reports nothing
    ("Nobody is saying the docks should be left to rot.", "Nobody", "is saying", "the docks should be left to rot", True),
    ("No one said the plan was perfect.", "No one", "said", "the plan was perfect", True),
    ("Nobody in Millbrook asked for a glass footbridge.", "Nobody in Millbrook", "asked for", "a glass footbridge", True),
    ("Lund said the plan was perfect.", "Lund", "said", "the plan was perfect", False),
])
def test_not_speech(text, source, cue, content, expected):
    assert quotes._not_speech(text, _att(text, source, cue, content), _index(text)) is expected


def test_negated_speaker_gives_no_quote():
    doc = _run("Nobody is saying the docks should be left to rot. Critics say the board ignored the town.")
    assert not [q for q in doc.quotes if "left to rot" in q.text]


def test_bundled_example_headline_is_no_quote_and_a_street_is_no_speaker():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "examples" / "opinion-loaded.txt").read_text(encoding="utf-8")
    doc = _run(text)
    assert not [q for q in doc.quotes if "How Our Leaders" in q.text]
    assert all(q.speaker not in ("Swindle", "Street", "Quay Street", "Nobody") for q in doc.quotes)
    assert _index(text).inside(text.index("Street"), text.index("Street") + 6)  # the place name is an entity
    assert quotes._a_place(_index(text), (text.index("Quay Street"), text.index("Quay Street") + 11))


def test_a_group_pronoun_is_no_antecedent_for_she():
    doc = _run("The Harbour Renewal Board met on Monday. They said the docks would be sold to developers. "
               "A café owner was angry. She said she had already started looking for premises in another town.")
    q = _find(doc, "looking for premises")
    assert q.speaker != "Harbour Renewal Board"


def test_she_after_a_described_speaker_is_that_person():
    """In the bundled example, "One café owner, who asked not to be named, said she had … "They have made up their
    minds," she said": the description is a nearer antecedent than the councillor named two paragraphs before."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "examples" / "opinion-loaded.txt").read_text(encoding="utf-8")
    doc = _run(text)
    q = _find(doc, "They have made up their minds")
    assert q.speaker == "One café owner" and q.speaker_resolved_from == "pronoun"
    assert doc.text[q.speaker_start:q.speaker_end] == "she"
    assert _find(doc, "This deal was written").speaker == "Councillor Amira Osei"


def test_described_speaker_is_the_last_person_noun_subject():
    """Who was last the subject, whatever the verb: 'One café owner … sold the shop. "…," she said' is the owner;
    a thing or a named body as the subject is no described person."""
    text = "The report said the bridge was safe. One café owner, who asked not to be named, sold the shop."
    assert quotes._described_speaker(text, 0, len(text)) == "One café owner"
    text = "The report said the bridge was safe. The council sold the shop."
    assert quotes._described_speaker(text, 0, len(text)) is None
    text = "Her uncle slowly reaches for his mace and bats the bandit into a cart."
    assert quotes._described_speaker(text, 0, len(text)) == "Her uncle"
    text = "A local fisherman told reporters the harbour was silting up."
    assert quotes._described_speaker(text, 0, len(text)) == "A local fisherman"
    # it stands for "he" or "she": several people described are no antecedent
    text = "Two local scientists told reporters the harbour was silting up."
    assert quotes._described_speaker(text, 0, len(text)) is None


# --- what is not a quote on real pages (hand-written in the shapes seen there) ------------------------------------
def test_a_headline_is_no_quote_even_when_it_runs_into_the_dateline():
    text = ("Ferry operator reports record summer after new crossings\n\n"
            "SALEM, June 2 - The ferry operator Bluewake said on Monday that it carried 1.2 million passengers.\n")
    doc = _run(text)
    assert all(q.start > text.index("\n") for q in doc.quotes), [q.text for q in doc.quotes]
    assert _find(doc, "1.2 million").speaker == "Bluewake"


@pytest.mark.parametrize("text", [
    "I realised that the council had never read the plan. Nobody told me that it would cost so much.\n",
    "We believe that the harbour should stay public, and we think that most readers agree.\n",
    "You might think that the new road is a good idea. You would be wrong about that.\n",
])
def test_the_author_and_the_reader_are_not_speakers(text):
    doc = _run(text)
    assert [(q.text, q.speaker) for q in doc.quotes] == []


def test_indirect_speech_needs_a_speaker():
    """"It was reported that …" names no one: reported as no quote, not as a quote by nobody."""
    doc = _run("It was reported that the mill would close in spring, and it is understood that talks have failed.\n")
    assert all(q.speaker is not None or q.kind == "direct" for q in doc.quotes)


def test_admission_rule_itself():
    admitted = quotes.admitted
    assert not admitted("indirect", "I", "I", 0.99, 0.7)
    assert not admitted("indirect", "you", None, 0.99, 0.7)
    assert not admitted("indirect", None, None, 0.99, 0.7)
    assert not admitted("indirect", "who", "who", 0.99, 0.7)  # a "who" that names no antecedent
    assert admitted("indirect", "who", "Jane Roe", 0.99, 0.7)
    assert admitted("direct", None, None, 0.9, 0.7)  # words in quotation marks, speaker unknown
    assert not admitted("indirect", "the minister", "the minister", 0.5, 0.7)
    assert admitted("indirect", "the minister", "the minister", 0.5, 0.7, by_rule=True)  # "according to the minister"
    assert admitted("block", None, None, 0.1, 0.7)


def test_speaker_score_is_calibrated_and_null_without_a_speaker():
    """speaker_score comes from the shipped calibration table (PolNeAR tuning split): a name in a quoted sentence
    is more often right than a description with no quotation marks, and a quote with no speaker has no score."""
    from unspun.render.columns import unsure_speaker

    doc = _run('"We will rebuild every school," Jane Roe said on Monday. The ministry said the budget was too small. '
               '"Nothing is settled," one resident said.')
    for q in doc.quotes:
        assert (q.speaker_score is None) == (q.speaker is None)
        assert q.speaker_score is None or 0.0 <= q.speaker_score <= 1.0
    named = _find(doc, "rebuild every school")
    assert named.speaker == "Jane Roe" and named.speaker_score >= 0.85
    cal = load_quotes()[0].config["speaker_calibration"]
    assert quotes.speaker_probability(cal, "name", "direct", 0.95, "said") > quotes.speaker_probability(
        cal, "description", "indirect", 0.95, "said")
    # a speaker hung on a word that reports no speech ("regarding", a headline word, no cue) is a guess
    assert quotes.speaker_probability(cal, "name", "direct", 0.95, "said") > quotes.speaker_probability(
        cal, "name", "direct", 0.95, "regarding")
    assert quotes.speaker_probability({}, "name", "direct", 0.95) is None
    assert not unsure_speaker(named)


@pytest.mark.parametrize("speaker, names", [
    ("of", False), ("is", False), ("s", False), ("the", False), ("W]e", False),
    ("Helen Marsh", True), ("officials", True), ("U.S.", True), ("NBC", True), ("some", True),
])
def test_a_speaker_must_name_someone(speaker, names):
    """Tagger slips such as "of" or "is" as the speaker are dropped (the quote then needs quotation marks)."""
    assert quotes._names_someone(speaker) is names


def test_a_dateline_place_is_never_the_speaker():
    """"the court said" after a dateline resolves to the court, not to the city the story was filed from."""
    text = ("Court blocks forest sale\n\n"
            "TALLIS, Oregon — A state appeals court on Wednesday blocked the sale of public forest to a timber company. "
            "The court said the land board had not given the public enough notice before its vote.\n")
    doc = _run(text)
    q = _find(doc, "had not given the public enough notice")
    assert q.speaker is not None and "TALLIS" not in q.speaker and "Oregon" not in q.speaker


def test_a_role_with_an_apposition_is_the_person_it_names():
    """"A lawyer for Cascade Ridge, Martin Okonjo, said …": the speaker is the lawyer, not the company."""
    doc = _run("A lawyer for Cascade Ridge, Martin Okonjo, said the company was disappointed and was reviewing the "
               "ruling.\n")
    assert _find(doc, "was disappointed").speaker == "Martin Okonjo"


# --- quotes and views: words said against thoughts, plans and knowledge (hand-written, in the shapes of real pages) ---
def test_an_attributed_belief_is_a_view_not_a_quote():
    doc = _run("The harbour master, Lena Okafor, met the council on Monday. Okafor believes that the old pier will "
               "collapse within a decade. She said that repairs would cost at least 4 million pounds.")
    assert any("repairs would cost" in q.text for q in doc.quotes), [q.text for q in doc.quotes]
    assert not any("old pier will" in q.text for q in doc.quotes), [q.text for q in doc.quotes]
    view = [v for v in doc.views if "old pier will" in v.text]
    assert view, [(v.text, v.cue) for v in doc.views]
    assert view[0].id.startswith("v") and "Okafor" in view[0].speaker


def test_what_someone_knew_or_decided_is_not_a_quote():
    doc = _run("Senator Tom Reyes knew that the deal was already dead. The committee decided to delay the vote "
               "until spring. Reyes told reporters that he would vote against it.")
    texts = [q.text for q in doc.quotes]
    assert any("vote against it" in t for t in texts), texts
    assert not any("already dead" in t or "delay the vote" in t for t in texts), texts


def test_a_place_before_the_name_is_never_the_speaker():
    doc = _run("Harbour Software is based in Redmond. Redmond, Washington, Chief Executive Satya Nadella said on "
               "Monday that the company would hire 500 engineers.")
    q = _find(doc, "would hire 500 engineers")
    assert q.speaker == "Satya Nadella"


def test_reported_speech_ends_with_its_paragraph():
    from unspun.stages.quotes import _within_paragraph

    text = "The mayor admitted that the plan left few options.\nLike most towns, we must now wait.\n"
    start = text.index("that the plan")
    assert _within_paragraph(text, [(start, len(text) - 1)]) == [(start, text.index(".\nLike"))]
    wrapped = "Reyes told the crowd at Harbour Now!\nthat the ferry would run all winter.\n"
    start = wrapped.index("the crowd")
    assert _within_paragraph(wrapped, [(start, len(wrapped) - 1)]) == [(start, len(wrapped) - 1)]


def test_a_quote_split_across_paragraphs_is_one_quote_per_paragraph():
    from unspun.stages.quotes import _paragraph_groups

    text = ('“The ferries will run,” said Lena Okafor, the harbour master.\n“We have the crews,” she added. '
            '“And the fuel.”')
    a = (0, text.index(",” said") + 1)
    b = (text.index("“We have"), text.index(",” she") + 2)
    c = (text.index("“And"), len(text))
    assert _paragraph_groups(text, [a, b, c]) == [[a], [b, c]]
    doc = _run(text)
    first = _find(doc, "The ferries will run")
    assert "said Lena Okafor" not in first.text and first.speaker == "Lena Okafor"


def test_a_heading_above_a_quote_is_not_its_speaker():
    from unspun.ingest.text import heading_line
    from unspun.stages.quotes import _heading_elsewhere

    text = ("The study was published on Monday.\nPolicy Shortcomings\n“We found that most plans ignore local rights,” "
            "the lead author said.")
    assert heading_line(text, text.index("Policy")) and not heading_line(text, text.index("The study"))
    assert _heading_elsewhere(text, text.index("Policy"), text.index("“We found"))
    assert not _heading_elsewhere(text, text.index("the lead author"), text.index("“We found"))
    doc = _run(text)
    assert all(q.speaker != "Policy" for q in doc.quotes), [(q.speaker, q.text) for q in doc.quotes]


@pytest.mark.parametrize("quoted, title", [
    ('"9 Steps to Successfully Counter Jihad"', True), ("“Countering Violent Extremism.”", True),
    ("“Make Harbour Towns Great Again”", True), ('"We will rebuild every school that was lost,"', False),
    ("“The ferry will run,”", False), ("“NO WAY,”", False), ("“Yes.”", False),
])
def test_titles_in_quotation_marks_are_not_quotes(quoted: str, title: bool) -> None:
    from unspun.stages.quotes import _title_of_a_work

    assert _title_of_a_work(quoted) is title


def test_a_quoted_book_title_is_not_a_quote():
    doc = _run('Her new book, "Nine Steps to Fixing the Harbour", is out on Monday. "We will rebuild every school," '
               "Jane Roe said.")
    assert not any("Nine Steps" in q.text for q in doc.quotes), [q.text for q in doc.quotes]
    assert any("rebuild every school" in q.text for q in doc.quotes)


def test_quote_spans_never_cut_a_number_or_a_word():
    from unspun.stages.quotes import _tidy

    text = "He said that 5,000 US troops from the base would stay, and prices rose 3.5 percent."
    start = text.index("000")
    assert text[slice(*_tidy(text, start, start + 10))].startswith("5,000")
    start = text.index("5 percent")
    assert text[slice(*_tidy(text, start, start + 9))] == "3.5 percent"
    start = text.index("aid that")
    assert text[slice(*_tidy(text, start, start + 8))] == "said that"


def test_a_mention_after_the_cue_in_a_later_sentence_is_no_speaker_of_it():
    from unspun.stages.quotes import _apart

    text = "I had to admit that it left few options.\nLike Mara Venn, I read on. Later, Ola Brisk said it was late."
    cue = (text.index("admit"), text.index("admit") + 5)
    content = (text.index("that it"), text.index("options") + 7)
    venn = (text.index("Mara Venn"), text.index("Mara Venn") + 9)
    assert _apart(text, venn, cue, [content])  # after the cue, across a line: not the one who admitted
    said = (text.index("said"), text.index("said") + 4)
    brisk = (text.index("Ola Brisk"), text.index("Ola Brisk") + 9)
    assert not _apart(text, brisk, said, [])  # before its cue: the subject
    quoted = 'He said: "We are done. It is over." Then Ama Roe left.'
    he, colon = (0, 2), (quoted.index("said"), quoted.index("said") + 4)
    assert not _apart(quoted, he, colon, [(quoted.index("We"), quoted.index("over") + 5)])
    after = '"We are done. It is over," said Ama Roe.'
    cue2 = (after.index("said"), after.index("said") + 4)
    assert not _apart(after, (after.index("Ama"), after.index("Ama") + 7), cue2, [(1, after.index(",\""))])


def test_a_negated_cue_reports_no_words():
    import re

    from unspun.stages.quotes import _NEGATED_BEFORE, _NEGATION

    assert _NEGATED_BEFORE.search("Scientists admittedly can’t ")  # "… can't predict hurricanes"
    assert _NEGATED_BEFORE.search("the mayor did not publicly ")
    assert not _NEGATED_BEFORE.search("Ola Brisk, who has never been charged, ")
    assert _NEGATION.search("did not say") and not _NEGATION.search("said")
    assert not re.search(_NEGATION, "announced")


def test_a_cited_work_in_quotation_marks_is_no_quote():
    from unspun.runtime.titles import cited_work as _cited_work

    def at(text: str, words: str) -> tuple[int, int]:
        return text.index(words), text.index(words) + len(words)

    text = 'Re. “Rents will rise again this spring,” Page B4, March 3:\nI disagree with the writer.'
    assert _cited_work(text, *at(text, "Rents will rise again this spring"))
    text = 'The article “Is the ferry service headed for cuts?” (Page A2, May 9) left me puzzled.'
    assert _cited_work(text, *at(text, "Is the ferry service headed for cuts?"))
    text = 'The mayor said, “Rents will rise again this spring,” and left the hall.'
    assert not _cited_work(text, *at(text, "Rents will rise again this spring"))


def test_a_colon_line_in_a_one_line_per_paragraph_scrape_introduces_the_next_line():
    from unspun.stages.quotes import _block_after_colon

    text = ("The senator spoke for an hour on Tuesday.\nHere is the heart of Orla Penn’s argument:\n"
            "Let me make two points.\nFirst, the port has lost money every year since it was sold off to a fund.\n"
            "Penn did not take questions afterwards, and the hall emptied quickly.\n")
    blocks = _block_after_colon(text, [])
    assert len(blocks) == 1
    (start, end), = blocks[0].parts
    assert text[start:end].startswith("Let me make two points.\nFirst, the port")
    assert text[start:end].endswith("sold off to a fund.")  # a short lead-in takes one more line, no more
    assert text[slice(*blocks[0].source)] == "Orla Penn"
    assert _block_after_colon("Ingredients:\nflour, water and salt, mixed well and left overnight to rise.\n", []) == []


def test_a_plain_attribution_after_the_closing_mark_names_the_speaker():
    from unspun.stages.quotes import _trailing_attribution

    def who(text: str) -> str | None:
        found = _trailing_attribution(text, text.index("”") if "”" in text else text.index('"', 1))
        return text[slice(*found[0])] if found else None

    assert who("“The nets were empty all week,” Fa said.") == "Fa"
    assert who("“The nets were empty all week,” said Ola Brisk, a skipper.") == "Ola Brisk"
    assert who("“The nets were empty all week,” she added.") == "she"
    assert who("“The nets were empty all week,” Fa wept.") is None  # not a statement verb
    assert who("“The nets were empty all week.” The harbour closed.") is None


def test_a_quotation_paragraph_right_after_an_attributed_one_continues_its_voice():
    from unspun.document import Document, Quote
    from unspun.stages.quotes import _continues

    text = ("“The nets were empty all week,” Ola Brisk said.\n“We also lost two boats to the storm.”\n"
            "The harbour stayed shut.\n“Nobody knows when it will open.”")
    doc = Document(text=text)
    first = doc.add(Quote, 1, text.index(",”"), kind="direct", speaker="Ola Brisk", speaker_resolved_from="name")
    assert _continues(text, first, text.index("We also"))
    assert not _continues(text, first, text.index("Nobody"))  # the author's line came between
    nameless = doc.add(Quote, 1, text.index(",”"), kind="direct", speaker=None)
    assert not _continues(text, nameless, text.index("We also"))


def test_the_author_asking_is_no_quote_and_a_place_after_in_is_no_speaker():
    from unspun.runtime import nlp
    from unspun.stages.quotes import _a_place, _author_speaks
    from unspun.stages.speakers import EntityIndex

    text = "The same day, I went to the desk of the public library and asked, “Do you have any books on tides?”"
    asked = (text.index("asked"), text.index("asked") + 5)
    assert _author_speaks(text, asked)
    text2 = "The same day, the librarian went to the desk and asked, “Do you have any books on tides?”"
    assert not _author_speaks(text2, (text2.index("asked"), text2.index("asked") + 5))
    text3 = "The US embassy in China issued a warning to Americans living there."
    index = EntityIndex(text3, list(nlp.entities(text3)))
    assert _a_place(index, (text3.index("China"), text3.index("China") + 5), text3)
    text4 = "Officials in Moscow said the talks were over."
    index4 = EntityIndex(text4, list(nlp.entities(text4)))
    assert not _a_place(index4, (0, text4.index(" said")), text4)


def test_a_speaker_on_a_later_line_introduces_what_follows():
    from unspun.stages.quotes import _next_line_speaker

    text = 'The ministry said it would “keep every school open.”\nFor his part, Mayor Ola Brisk tweeted: “Good.”'
    content = [(text.index("keep"), text.index("open.") + 5)]
    brisk = (text.index("Mayor"), text.index("tweeted") - 1)
    assert _next_line_speaker(text, brisk, content)
    sig = "“Never trust a tide table.”\n— Ola Brisk, harbour master"
    assert not _next_line_speaker(sig, (sig.index("Ola"), sig.index(",")), [(1, sig.index("”"))])
    same = "“Keep every school open,” Mayor Ola Brisk said."
    assert not _next_line_speaker(same, (same.index("Mayor"), same.index(" said")), [(1, same.index(","))])


def test_we_inside_quotation_marks_is_the_speaker_not_the_author():
    from unspun.stages.quotes import _author_speaks

    text = '"Yes. We held four meetings with their association, and they asked for the western route."'
    assert not _author_speaks(text, (text.index("asked"), text.index("asked") + 5))
    assert not _author_speaks(text, (text.index("held"), text.index("held") + 4))


def test_a_pronoun_with_no_one_to_stand_for_is_no_speaker_name():
    doc = _run('“The nets were empty all week,” he said. “We will sail again on Monday.”')
    q = _find(doc, "The nets were empty")
    assert q.speaker is None and q.speaker_resolved_from is None
    assert doc.text[q.speaker_start:q.speaker_end] == "he"  # the mention stays; no name is made up


def _span(text: str, fragment: str, through: str | None = None) -> tuple[int, int]:
    start = text.index(fragment)
    return start, (text.index(through) + len(through)) if through else start + len(fragment)


def test_a_quote_ends_where_its_marks_close_and_the_author_goes_on():
    from unspun.stages.quotes import _closed_quotes
    # at a line break outside the marks: the next line is the author's
    text = 'The guard turned to me. "You should head north to the mill."\nWow, thanks for nothing.'
    span = _span(text, '"You should', "Wow, thanks")
    assert _closed_quotes(text, [span]) == [_span(text, '"You should head north to the mill."')]
    # at a new sentence after the closing mark, on the same line
    text = 'The verdict was "a disgrace to the county." For the sheriff it was a relief.'
    span = _span(text, 'verdict was', "a relief")
    assert _closed_quotes(text, [span]) == [_span(text, 'verdict was "a disgrace to the county."')]


def test_a_new_quotation_after_the_marks_close_becomes_its_own_part():
    from unspun.stages.quotes import _closed_quotes
    text = ("Ms Ortiz said the town needs “tighter rules for landlords.”\n"
            "“Unless the council acts, rents will double,” she added.")
    span = _span(text, "the town needs", "will double,”")
    assert _closed_quotes(text, [span]) == [_span(text, "the town needs “tighter rules for landlords.”"),
                                            _span(text, "“Unless the council acts, rents will double,”")]


def test_line_breaks_inside_the_marks_are_no_end():
    from unspun.stages.quotes import _closed_quotes
    text = "“We rebuilt the pier in a year.\nWe will rebuild the school next,” the mayor said."
    span = _span(text, "“We rebuilt", "next,”")
    assert _closed_quotes(text, [span]) == [span]
    # a split quote whose gap holds the attribution is one quote
    text = "“The bridge is safe,” said John Smith. “We tested it twice.”"
    parts = [_span(text, "“The bridge is safe,”"), _span(text, "“We tested it twice.”")]
    said = _span(text, "said"), _span(text, "John Smith")
    assert _closed_quotes(text, parts, said) == parts


def test_a_later_part_after_a_new_sentence_without_the_attribution_is_someone_elses():
    from unspun.stages.quotes import _closed_quotes
    text = ("“There was no other way to put it. The harbour was lost,” Jan Ruiz told the Gazette.\n"
            "“It was lost in a week.” His sister Ana was “shocked that nobody came.”")
    parts = [_span(text, "“It was lost in a week.”"), _span(text, "“shocked that nobody came.”")]
    assert _closed_quotes(text, parts, (_span(text, "told"), _span(text, "Jan Ruiz"))) == parts[:1]


def test_the_stage_stops_a_quote_at_its_closing_mark():
    doc = _run("Jan Ruiz, the harbour master, spoke to reporters on Monday.\n"
               "“The storm wrecked half the fleet,” Ruiz said. “We will need a year to recover.”\n"
               "Nobody else in town would comment.")
    q = _find(doc, "storm wrecked")
    assert "Nobody" not in q.text and "Ruiz" in q.speaker


def test_a_speech_act_that_names_only_its_topic_is_a_view_not_a_quote():
    text = ("Mayor Ana Ruiz spoke for an hour on Monday. Ruiz described the damage to the harbour in more detail than "
            "any of her predecessors ever did. Ruiz said the sea wall would be rebuilt by March.")
    doc = _run(text)
    assert not any("damage" in q.text for q in doc.quotes)
    assert [v.cue for v in doc.views if "damage" in v.text] == ["described"]
    assert _find(doc, "sea wall would be rebuilt").kind == "indirect"


def test_a_stance_verb_with_a_noun_phrase_still_reports_what_was_said():
    from unspun.stages.quotes import _STANCE
    assert {"recommends", "recommending", "criticised", "denied", "urging"} <= _STANCE
    assert not {"described", "discussed", "called", "found"} & _STANCE


@pytest.mark.parametrize("text, fragment, mention", [
    # whom the words were for, or where they were printed, is no speaker (the tagger links the nearest name)
    ("Ana Reyes told the Daily Courier on Monday that the plant would close by the end of the year.",
     "plant would close", "Ana Reyes"),
    ("Schilling told WEEI: “I replied to the post. I did not write that post myself.”", "replied to the post",
     "Schilling"),
    ("Mayor Lin Baker wrote in the Valley Gazette on Sunday that the new budget was a serious mistake for the town.",
     "serious mistake", "Mayor Lin Baker"),
    # a phrase between the subject and its verb ("citing …", "in a statement released by …") names no speaker
    ("Rita Moss, citing figures from the Harbour Board, said the port had lost money for the third year running.",
     "port had lost money", "Rita Moss"),
])
def test_the_speaker_is_the_subject_of_the_cue_not_a_name_near_it(text, fragment, mention):
    doc = _run(text)
    q = next((x for x in [*doc.quotes, *doc.views] if fragment in x.text), None)
    assert q is not None and doc.text[q.speaker_start:q.speaker_end] == mention


def test_a_content_hung_on_a_word_that_reports_nothing_takes_the_verb_that_reports_it():
    # the tagger's cue for "that the plant would close" was "Monday"; "told" reports it, so it is a quote, not a view
    doc = _run("Ana Reyes told the Daily Courier on Monday that the plant would close by the end of the year.")
    q = _find(doc, "plant would close")
    assert q.cue == "told"


def test_they_after_people_described_in_the_plural_is_those_people():
    """"When administrators are confronted, they claim …": the administrators, not a body named before."""
    text = ("The Harbour Board wrote to the school about its new course on Monday. When administrators are "
            "confronted, they claim it was all just an educational exercise, not a campaign.")
    assert quotes._described_group(text, 0, text.index("they claim")) == "administrators"
    text = "The Harbour Board met on Monday. The board said nothing."
    assert quotes._described_group(text, 0, len(text)) is None


def test_a_name_in_junk_is_no_antecedent():
    """A poll's question ("Will Brett Kavanaugh be confirmed?") is junk: a later "he" is not Brett Kavanaugh."""
    from unspun.ingest import cleanup

    text = ("The archbishop spoke to reporters in Aleppo on Sunday about the war.\n"
            "take our poll - story continues below\nWill Brett Kavanaugh be confirmed to the Supreme Court?\n"
            "* Yes, he will be confirmed.\nNo, he will not be confirmed.\n"
            "Completing this poll grants you access to Harbour Watch updates free of charge.\n"
            "“The European media have not ceased to suppress the news,” he charged on Sunday.\n")
    doc = Document(text=text)
    cleanup.run(doc)
    quotes.run(doc)
    q = _find(doc, "The European media have not ceased")
    assert "Brett" not in (q.speaker or "")  # NER tags "Will Brett" there


def test_a_speaker_span_that_opens_with_a_preposition_names_no_one():
    from unspun.runtime.quote_model import Attribution

    text = ("The patriarch spoke again. Patriarch Younan himself has in the past appealed to the West “not to forget "
            "the Christians in the Middle East.”\n")
    a = text.index("the West")
    tagged = [Attribution(parts=[(a, len(text) - 1)], score=0.95,
                          cue=(text.index("appealed"), text.index("appealed") + 11),
                          source=(text.index("in the past"), text.index("in the past") + 11))]
    doc = Document(text=text)
    quotes.add_quotes(doc, lambda _: tagged, min_score=0.7)
    assert all(q.speaker != "in the past" for q in doc.quotes)
    assert quotes._PREPOSITIONAL.match("in the past") and not quotes._PREPOSITIONAL.match("Inspector Bell")
    assert not quotes._PREPOSITIONAL.match("Over 100 economists")  # a number of people, not a time
