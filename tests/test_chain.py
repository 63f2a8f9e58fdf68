"""The real chain: the quote tagger's own output feeding claims, sources and actors, on the bundled examples.

The stage tests build Quote and Claim items by hand; these run the whole pipeline, so a stage that stops reading
what the one before it wrote (or a quote stage that stops finding quotes) fails here. Expectations come from
reading the example texts: Helen Marsh is named in the sentence that carries her quote, Victor Lund in his.
"""

from __future__ import annotations

import pytest

from conftest import EXAMPLES, read_original
from unspun import analyze_text


@pytest.fixture(scope="module", params=["accurate", "fast"])
def wire(request):
    return analyze_text(read_original(EXAMPLES / "wire-report.txt"), model=request.param)


@pytest.fixture(scope="module", params=["accurate", "fast"])
def opinion(request):
    return analyze_text(read_original(EXAMPLES / "opinion-loaded.txt"), model=request.param)


def _quote(doc, words: str):
    hits = [q for q in doc.quotes if words in q.text]
    assert len(hits) == 1, [(q.text, q.speaker) for q in doc.quotes]
    return hits[0]


def test_direct_quote_and_its_pronoun_follow_up_go_to_the_named_speaker(wire):
    direct = _quote(wire, "More frequent trains")
    assert (direct.kind, direct.speaker, direct.speaker_resolved_from) == ("direct", "Helen Marsh", "name")
    follow_up = _quote(wire, "review the timetable again")
    assert (follow_up.speaker, follow_up.speaker_resolved_from) == ("Helen Marsh", "pronoun")
    assert wire.text[follow_up.speaker_start:follow_up.speaker_end] == "She"


def test_sources_list_the_quotes_and_claims_that_lean_on_them(wire):
    direct = _quote(wire, "More frequent trains")
    marsh = [s for s in wire.sources if s.name == "Helen Marsh"]
    assert len(marsh) == 1 and marsh[0].type == "person" and marsh[0].named
    assert direct.id in marsh[0].quote_ids and direct.source_id == marsh[0].id  # the one cross-stage write
    claims = [c for c in wire.claims if c.quote_id == direct.id]
    assert claims and all(c.sourcing == "attributed" and c.source_id == marsh[0].id for c in claims)
    assert {c.id for c in claims} <= set(marsh[0].claim_ids)


def test_claims_carry_the_sourcing_the_text_gives(wire):
    """"according to figures published in its quarterly report" attributes; "Weekend travel accounted …" asserts."""
    by_text = {c.text: c for c in wire.claims}
    according = next(c for t, c in by_text.items() if t.startswith("The company carried about 3.1 million"))
    assert according.sourcing == "attributed"
    weekend = by_text.get("Weekend travel accounted for most of the increase.")
    assert weekend is not None and weekend.sourcing == "asserted" and weekend.source_id is None


def test_actors_know_who_was_quoted(wire, opinion):
    marsh = [a for a in wire.actors if a.name == "Helen Marsh"]
    assert len(marsh) == 1 and marsh[0].type == "person" and marsh[0].quoted
    lund = [a for a in opinion.actors if a.name == "Victor Lund"]
    assert len(lund) == 1 and lund[0].quoted
    assert any("cronies" in label.text for label in lund[0].labels)  # "Lund and his cronies"


def test_the_opinion_quote_goes_to_its_speaker(opinion):
    consulted = _quote(opinion, "We consulted widely")
    assert consulted.speaker == "Victor Lund"
    assert consulted.id in next(s for s in opinion.sources if s.name == "Victor Lund").quote_ids
