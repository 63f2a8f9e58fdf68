"""The claims stage on hand-written text with the shipped model: sourcing, evidence assertions, quote links, offsets."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES, assert_offsets, read_original
from unspun.document import Document, Quote, Removed
from unspun.runtime.models import load_claims
from unspun.stages import claims

MINISTER = '"The economy grew by 5% last year, the fastest rate since 1990," said the finance minister.'
WORLD_BANK = "According to the World Bank, 3 million jobs were lost in the country in 2020."
REPORTS = "Reports say that 200 soldiers died in the fighting near the border in March."
HEDGED = "The air strike allegedly killed 40 civilians in the village of Kafr Nabl on Tuesday."
IT_IS_CLAIMED = "It is claimed that the new vaccine caused 3,000 deaths in Germany last year."
ASSERTED = "Unemployment rose to 12 percent in March, the highest level since 1983."
NO_EVIDENCE = "No evidence has been produced for any of this."
OBVIOUS = "It is obvious that the government knew all along."
EVERYONE = "Everyone knows who is really behind this."
SMALLTALK = "Thank you all so much, it is great to be here tonight."


def analyse(*sentences: str, quotes: list[tuple[int, int]] = ()) -> Document:
    doc = Document(text=" ".join(sentences))
    for start, end in quotes:
        doc.add(Quote, start, end, kind="direct", parts=[[start, end]])
    claims.run(doc)
    assert_offsets(doc.to_plain())
    return doc


def claim_for(doc: Document, sentence: str):
    found = [c for c in doc.claims if c.text == sentence]
    assert found, f"no claim for {sentence!r}; claims: {[c.text for c in doc.claims]}"
    return found[0]


def test_check_worthy_sentences_become_claims_and_small_talk_does_not():
    doc = analyse(ASSERTED, SMALLTALK)
    claim = claim_for(doc, ASSERTED)
    assert claim.sourcing == "asserted" and claim.quote_id is None and claim.source_id is None
    assert load_claims()[0].threshold <= claim.checkworthy <= 1.0
    assert not claim.evidence_assertion
    assert all(c.text != SMALLTALK for c in doc.claims)


def test_model_is_recorded():
    doc = analyse(ASSERTED)
    info = doc.models["claims"]
    assert info["name"] and info["version"] and len(info["sha256"]) == 64


def test_claim_inside_a_quote_is_attributed_and_linked():
    content_end = MINISTER.index(",\" said") + 1
    doc = analyse(MINISTER, quotes=[(1, content_end)])
    claim = claim_for(doc, MINISTER)
    assert claim.sourcing == "attributed" and claim.quote_id == doc.quotes[0].id


def test_best_overlapping_quote_is_linked():
    text = f"{ASSERTED} {MINISTER}"
    second = len(ASSERTED) + 1
    doc = Document(text=text)
    doc.add(Quote, 0, 10, kind="direct")  # a small overlap with the first sentence only
    doc.add(Quote, second + 1, second + MINISTER.index(",\" said") + 1, kind="direct")
    claims.run(doc)
    assert claim_for(doc, MINISTER).quote_id == "q1"
    assert claim_for(doc, ASSERTED).quote_id is None  # 10 of 72 characters is not enough to link


def test_inline_attribution_is_attributed_without_a_quote():
    doc = analyse(WORLD_BANK, REPORTS)
    for sentence in (WORLD_BANK, REPORTS):
        claim = claim_for(doc, sentence)
        assert claim.sourcing == "attributed" and claim.quote_id is None


@pytest.mark.parametrize("sentence", [HEDGED, IT_IS_CLAIMED])
def test_hedges(sentence):
    assert claim_for(analyse(sentence), sentence).sourcing == "hedged"


@pytest.mark.parametrize("sentence", [NO_EVIDENCE, OBVIOUS, EVERYONE])
def test_evidence_assertions_are_kept_whatever_the_score(sentence):
    claim = claim_for(analyse(SMALLTALK, sentence), sentence)
    assert claim.evidence_assertion is True
    assert claim.sourcing == "asserted"
    assert 0.0 <= claim.checkworthy <= 1.0


def test_evidence_assertion_patterns():
    assert claims.evidence_assertion("There is no doubt that they lied.")
    assert claims.evidence_assertion("The claims were baseless.")
    assert claims.evidence_assertion("Clearly, the sanctions failed.")
    assert not claims.evidence_assertion(ASSERTED)
    assert not claims.evidence_assertion("The police found evidence at the scene.")


@pytest.mark.parametrize("sentence", ["There is no doubt.", "There is no doubt about it.", "Make no mistake.",
                                      "Clearly.", "The facts speak for themselves."])
def test_a_bare_phrase_of_confidence_is_no_evidence_assertion(sentence):
    """Alone in its sentence, a confidence phrase asserts nothing (the report showed "There is no doubt." as a claim
    about evidence); beside a statement it still marks confidence put in the place of a source."""
    assert not claims.evidence_assertion(sentence)
    assert claims.evidence_assertion(sentence.rstrip(".") + ": the council lied about the budget.")
    doc = analyse(ASSERTED, sentence)
    assert not [c for c in doc.claims if c.text == sentence and c.evidence_assertion]


def test_first_person_speech_is_not_attribution():
    sentence = "I said it before: inflation reached 9 percent in June, the highest in 40 years."
    claim = claim_for(analyse(sentence), sentence)
    assert claim.sourcing == "asserted"


def test_offsets_index_the_original_text_with_odd_spacing():
    text = f"  Intro line.\r\n\r\n{ASSERTED}\u00a0\n\n«{WORLD_BANK}»  \t"
    doc = Document(text=text)
    claims.run(doc)
    assert_offsets(doc.to_plain())
    assert any(ASSERTED in c.text for c in doc.claims)


def test_removed_ranges_are_skipped():
    text = f"{ASSERTED} {REPORTS}"
    doc = Document(text=text)
    doc.add(Removed, 0, len(ASSERTED), reason="layout-widget")
    claims.run(doc)
    assert all(c.start >= len(ASSERTED) for c in doc.claims)
    assert any(c.text == REPORTS for c in doc.claims)


@pytest.mark.parametrize("text", [
    "", "   \n\t ", "…", "🙂🙂🙂", "Die Arbeitslosigkeit stieg im März auf 12 Prozent.",
    "「東京の人口は1400万人です。」", "a" * 20000, ("Breaking: " + "the number rose " * 400) + ".",
    "\"unbalanced quote. 'another one. 5% of 300 people died",
])
def test_odd_text_gives_valid_output(text):
    doc = Document(text=text)
    claims.run(doc)
    assert_offsets(doc.to_plain())
    assert all(c.sourcing in ("attributed", "hedged", "asserted") for c in doc.claims)


def test_example_article():
    text = read_original(EXAMPLES / "wire-report.txt")
    doc = Document(text=text)
    claims.run(doc)
    assert_offsets(doc.to_plain())
    assert doc.claims, "a wire report has check-worthy claims"
    assert [c.id for c in doc.claims] == [f"c{i}" for i in range(len(doc.claims))]


def test_a_sentence_with_a_junk_credit_at_its_end_is_still_a_claim():
    from unspun.ingest import cleanup
    from unspun.stages import claims

    text = ("The ministry said on Monday that 1,200 homes had lost power after the storm [Jane Doe/ Example Wire]\n"
            "Repairs will cost 4 million pounds, the ministry said.\n")
    doc = Document(text=text)
    cleanup.run(doc)
    assert [r.text for r in doc.removed] == ["[Jane Doe/ Example Wire]"]
    claims.run(doc)
    first = [c for c in doc.claims if "1,200 homes" in c.text]
    assert first and "Example Wire" not in first[0].text


def test_junk_edges_trim_only_junk_at_the_edges():
    text = "© Provided by Example News The minister left. Teams went on [Jane Doe/ Example Wire] and more text."
    doc = Document(text=text)
    lead = text.index(" The minister")
    tail = text.index("[Jane")
    doc.add(Removed, 0, lead, reason="image-credit")
    doc.add(Removed, tail, tail + len("[Jane Doe/ Example Wire]"), reason="image-credit")
    edges = doc.junk_edges()
    assert edges.trim(0, text.index(" Teams")) == (lead + 1, text.index(" Teams"))       # credit at the start
    first = text.index("Teams")
    assert edges.trim(first, tail + len("[Jane Doe/ Example Wire]")) == (first, tail - 1)  # credit at the end
    assert edges.trim(first, len(text)) is None                                           # junk inside
    assert edges.trim(tail, tail + 5) is None                                             # all junk


def test_an_act_is_no_attribution_but_a_verb_with_a_clause_is():
    from unspun.runtime import nlp
    from unspun.stages.claims import speech_attribution

    def attributed(sentence: str) -> bool:
        return speech_attribution([tok for _, tok in nlp.tokens(sentence)])

    assert not attributed("A county jury on Friday found the driver not guilty of all charges.")
    assert not attributed("The mayor called an emergency meeting of the council.")
    assert attributed("The inspectors found that the dam had been leaking for years.")
    assert attributed("The mayor said the dam was safe.")
    assert attributed("Officials told reporters the dam was safe.")


def test_an_indirect_quote_that_names_only_an_object_reports_no_content():
    from unspun.stages.claims import reports_content

    def content(sentence: str, part: str, cue: str | None = None) -> bool:
        return reports_content(sentence, sentence.index(part), sentence.index(part) + len(part), cue)

    s = "The minister said the dam was safe and described the flood defences in detail."
    assert content(s, "the dam was safe")
    assert not content(s, "the flood defences in detail", "described")
    s = "Governor Tom Baker told reporters the state would not raise taxes this year."
    assert content(s, "reporters the state would not raise taxes this year", "told")
    s = "The governor threatened to tighten the rules on short-term lets."
    assert content(s, "to tighten the rules on short-term lets", "threatened")
    assert not content("A county jury found the driver not guilty.", "the driver not guilty", "found")
    # an adverbial clause (a comparison, a purpose) is no reported content
    s = "The mayor described the flood in more detail than any of her predecessors ever did."
    assert not content(s, "the flood in more detail than any of her predecessors ever did", "described")
    s = "The mayor called an emergency meeting of the council to discuss the flood."
    assert not content(s, "an emergency meeting of the council to discuss the flood", "called")


def test_a_report_in_a_subordinate_part_of_the_sentence_does_not_source_it():
    from unspun.runtime import nlp
    from unspun.stages.claims import speech_attribution

    def attributed(sentence: str) -> bool:
        return speech_attribution([tok for _, tok in nlp.tokens(sentence)])

    # the main clause is the author's: the speech verb sits in a prepositional or adverbial part
    assert not attributed("Contrary to what the council is claiming, the harbour lost 300 jobs in 2019.")
    assert not attributed("The port closed in 1998 after the minister warned that it was losing money.")
    # the speech verb is the main predicate, a parenthetical, or "as X said"
    assert attributed("The harbour lost 300 jobs in 2019, the council said.")
    assert attributed("The harbour, the council said, lost 300 jobs in 2019.")
    assert attributed("As the council has revealed, the harbour lost 300 jobs in 2019.")
    assert attributed("He added that the harbour lost jobs, noting that 300 went in 2019.")
    # "this" or "none of this" as the subject is the author reasoning, not someone's voice
    assert not attributed("None of this explains why the harbour lost 300 jobs in 2019.")
    assert not attributed("This shows that the harbour lost 300 jobs in 2019.")


def test_a_quote_whose_cue_is_subordinate_does_not_carry_the_claim():
    text = "The board sold the port in 1998 after the minister warned the board that it was losing money."
    doc = Document(text=text)
    start = text.index("the board that")
    cue = text.index("warned")
    doc.add(Quote, start, len(text) - 1, kind="indirect", parts=[[start, len(text) - 1]], cue="warned",
            cue_start=cue, cue_end=cue + len("warned"), speaker="the minister",
            speaker_start=text.index("the minister"), speaker_end=text.index("the minister") + 12)
    assert claims.sourcing_of(doc, 0, len(text), claims._Tokens(text)) == ("asserted", None)
    text = "The minister warned the board that the port was losing 2 million euros a year."
    doc = Document(text=text)
    start, cue = text.index("the board that"), text.index("warned")
    doc.add(Quote, start, len(text) - 1, kind="indirect", parts=[[start, len(text) - 1]], cue="warned",
            cue_start=cue, cue_end=cue + len("warned"), speaker="The minister", speaker_start=0, speaker_end=12)
    assert claims.sourcing_of(doc, 0, len(text), claims._Tokens(text))[0] == "attributed"


@pytest.mark.parametrize("sentence, is_hedged", [
    ("The harbour master, who was allegedly bribed, still runs the port with 300 staff.", False),
    ("There is no record of the alleged payment to the harbour master in 2019.", False),
    ("The harbour master allegedly took 40,000 euros from the shipping firm in 2019.", True),
    ("Fruit bats are widely considered the natural hosts of the virus in central Africa.", True),
    ("The mayor has presumably made a deal with the port that ends in April.", True),
    ("The story goes that an officer saw the game played in Manipur in 1859.", True),
    # asides the parse may attach to the main verb: an appended noun phrase, a trailing or opening adverbial clause
    ("The encyclical is now an important marker of a turning point, perhaps the most important of modern times.",
     False),
    ("No photograph of the guard has been released, even though we have seen the guns the gunman allegedly used.",
     False),
    ("Although the harbour master allegedly took a bribe, the port signed the contract in 2019.", False),
    ("The harbour master allegedly took a bribe, and the port signed the contract in 2019.", True),
])
def test_a_hedge_counts_where_it_qualifies_what_the_sentence_states(sentence, is_hedged):
    tokens = claims._Tokens(sentence)
    assert claims.hedged(sentence, tokens.pairs(0, len(sentence)), 0) is is_hedged


def test_a_report_in_a_subordinate_part_does_not_source_the_sentence_whatever_cue_the_tagger_linked():
    """"X started a fund on Monday, explaining that he had been shot …": the tagger may link the explanation to a
    cue in the next sentence; the sentence still states the fund, the author's."""
    text = ("Her co-worker Lena Ruiz started a fund for him on October 3, explaining that he had been shot while on "
            "patrol and it could have been any of us. Ruiz's online petition says so.")
    doc = Document(text=text)
    qs = text.index("that he had been shot")
    qe = text.index(" Ruiz's online") - 1
    cue = text.index("says")
    doc.add(Quote, qs, qe, kind="mixed", parts=[[qs, qe]], cue="says", cue_start=cue, cue_end=cue + 4,
            speaker="Lena Ruiz", speaker_start=text.index("Ruiz's"), speaker_end=text.index("Ruiz's") + 4)
    end = text.index(" Ruiz's online")
    assert claims.sourcing_of(doc, 0, end, claims._Tokens(text))[0] == "asserted"
