"""The sources stage on hand-written sentences: each source kind, named vs anonymous, quote and claim linking."""

from __future__ import annotations

import pytest

from conftest import assert_offsets
from unspun.document import Claim, Document, EmbeddedPost, Link, Quote
from unspun.render import markdown, tsv
from unspun.stages import sources


def _run(doc: Document) -> Document:
    sources.run(doc)
    assert_offsets(doc.to_plain())
    return doc


def _by_name(doc: Document, name: str):
    hits = [s for s in doc.sources if s.name == name]
    assert len(hits) == 1, [(s.name, s.type) for s in doc.sources]
    return hits[0]


def _at(text: str, part: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return start, start + len(part)


def test_outlets_from_cues_and_gazetteer():
    text = ("NBC reports that the ferry service will stop in May. As Zero Hedge concludes, the fares were never "
            "sustainable. The harbour master told CNN the boats were old, and Moon of Alabama called the decision "
            "a scandal. According to the Millbrook Herald, the council voted on Tuesday.")
    doc = _run(Document(text=text))
    for name in ("NBC News", "Zero Hedge", "CNN", "Moon of Alabama", "Millbrook Herald"):
        src = _by_name(doc, name)
        assert src.type == "outlet" and src.named
    assert [m.text for m in _by_name(doc, "NBC News").mentions] == ["NBC"]
    assert _by_name(doc, "Moon of Alabama").mentions[0].text == "Moon of Alabama"
    assert doc.models["sources"]["name"].startswith("spacy/")


def test_people_organisations_and_anonymous_sources():
    text = ("Officials said the dam was inspected last year. A senior official at the water board denied any leak. "
            "Sources say the repairs were delayed. Experts warned that the spillway could fail. "
            "The ministry said it had no record of the complaint. Engineer Priya Ramanathan said the cracks were new.")
    doc = _run(Document(text=text))
    anonymous = {s.name: s for s in doc.sources if not s.named}
    assert {"Officials", "senior official at the water board", "Sources", "Experts"} <= set(anonymous)
    assert all(s.type == "person" for s in anonymous.values())
    ministry = _by_name(doc, "ministry")
    assert ministry.type == "organisation" and ministry.named
    person = _by_name(doc, "Priya Ramanathan")
    assert person.type == "person" and person.named


def test_documents_and_repeat_mentions_merge():
    text = ("A report by Amnesty International found forty cases of abuse. The report was ignored by the ministry. "
            "Court documents show the memo was shredded. A UN resolution condemned the raids. According to the "
            "county's own 2020 inventory, eleven bridges are in poor condition.")
    doc = _run(Document(text=text))
    report = _by_name(doc, "report by Amnesty International")
    assert report.type == "document" and report.named
    assert [m.text for m in report.mentions] == ["A report by Amnesty International", "The report"]
    court = _by_name(doc, "Court documents")
    assert court.type == "document" and not court.named
    assert _by_name(doc, "memo").type == "document"
    assert _by_name(doc, "UN resolution").named
    assert _by_name(doc, "county's own 2020 inventory").type == "document"


def test_social_posts_from_text_and_embedded_posts():
    text = ("Mayor Lena Ortiz tweeted that the road would reopen. In a Facebook post, the residents' group "
            "disagreed. Later the mayor wrote on Telegram that she was sorry.\n"
            "Screenshot_2024-05-01 Lena Ortiz on Twitter.png\n"
            "The road is open again! pic.twitter.com/abc123\n— Lena Ortiz (@LenaOrtiz) May 1, 2024\n")
    doc = Document(text=text)
    s, e = _at(text, "Screenshot_2024-05-01 Lena Ortiz on Twitter.png")
    doc.add(EmbeddedPost, s, e, account="Lena Ortiz", platform="twitter")
    s, e = _at(text, "The road is open again!")
    e = text.index("2024\n", e) + 4
    doc.add(EmbeddedPost, s, e, account="@LenaOrtiz", platform="twitter")
    _run(doc)
    posts = [x for x in doc.sources if x.type == "social_post"]
    names = {p.name for p in posts}
    # the tweet cue, the screenshot caption and the @handle under the tweet are one source
    ortiz = _by_name(doc, "Lena Ortiz on Twitter")
    assert {m.text for m in ortiz.mentions} == {"tweeted", "Lena Ortiz", "@LenaOrtiz"}
    assert ortiz.named
    assert any(p.name.endswith("on Facebook") for p in posts)
    assert any(p.name.endswith("on Telegram") for p in posts)
    assert len(names) == 3


def test_links_become_sources_named_by_domain():
    text = "The figures come from the census office and were checked by a local paper."
    doc = Document(text=text, source_type="html")
    s, e = _at(text, "census office")
    doc.add(Link, s, e, url="https://www.census.example.gov/tables/2023?x=1")
    s, e = _at(text, "a local paper")
    doc.add(Link, s, e, url="http://news.example.org/story/1")
    doc.add(Link, s, e, url="mailto:desk@example.org")
    _run(doc)
    links = [x for x in doc.sources if x.type == "link"]
    assert [(x.name, x.url) for x in links] == [
        ("census.example.gov", "https://www.census.example.gov/tables/2023?x=1"),
        ("news.example.org", "http://news.example.org/story/1"),
    ]
    assert links[0].mentions[0].text == "census office"


def test_quotes_and_claims_link_and_back_fill_source_id():
    text = ('Governor Mara Quill said the bridge is safe. "It will stand for a century," Quill added. '
            "According to Reuters, the bridge cost $41 million. The tolls doubled last year.")
    doc = Document(text=text)
    qs, qe = _at(text, "the bridge is safe")
    ss, se = _at(text, "Governor Mara Quill")
    doc.add(Quote, qs, qe, kind="indirect", speaker="Mara Quill", speaker_start=ss, speaker_end=se)
    qs, qe = _at(text, "It will stand for a century,")
    ss, se = _at(text, "Quill", 1)
    doc.add(Quote, qs, qe, kind="direct", speaker="Mara Quill", speaker_start=ss, speaker_end=se)
    cs, ce = _at(text, "It will stand for a century")
    doc.add(Claim, cs, ce, checkworthy=0.7, sourcing="attributed", quote_id="q1")
    cs, ce = _at(text, "According to Reuters, the bridge cost $41 million.")
    doc.add(Claim, cs, ce, checkworthy=0.9, sourcing="attributed")
    cs, ce = _at(text, "The tolls doubled last year.")
    doc.add(Claim, cs, ce, checkworthy=0.8, sourcing="asserted")
    _run(doc)
    quill = _by_name(doc, "Mara Quill")
    assert quill.type == "person" and quill.quote_ids == ["q0", "q1"] and quill.claim_ids == ["c0"]
    assert [m.text for m in quill.mentions] == ["Governor Mara Quill", "Quill"]
    reuters = _by_name(doc, "Reuters")
    assert reuters.claim_ids == ["c1"]
    assert [q.source_id for q in doc.quotes] == [quill.id, quill.id]
    assert [c.source_id for c in doc.claims] == [quill.id, reuters.id, None]


def test_pronoun_speaker_links_to_its_resolved_name():
    text = "Dale Okafor runs the county roads office. He said the potholes would be fixed by June."
    doc = Document(text=text)
    qs, qe = _at(text, "the potholes would be fixed by June")
    ss, se = _at(text, "He")
    doc.add(Quote, qs, qe, kind="indirect", speaker="Dale Okafor", speaker_start=ss, speaker_end=se,
            speaker_resolved_from="pronoun")
    _run(doc)
    okafor = _by_name(doc, "Dale Okafor")
    assert okafor.quote_ids == ["q0"] and doc.quotes[0].source_id == okafor.id
    assert all(m.text != "He" for m in okafor.mentions)


@pytest.mark.parametrize("text", ["", "   \n", "ok", "!!!", "\u00ab\u00bb \u201c \u201d", "a" * 5000])
def test_odd_text_gives_valid_output(text):
    doc = _run(Document(text=text))
    assert all(s.type in ("outlet", "person", "organisation", "document", "social_post", "link") for s in doc.sources)


def test_ids_order_and_outputs():
    text = "Reuters reported the strike. Officials said it was over. Reuters later corrected the figure."
    doc = _run(Document(text=text))
    assert [s.id for s in doc.sources] == [f"s{i}" for i in range(len(doc.sources))]
    reuters = _by_name(doc, "Reuters")
    assert reuters.id == "s0" and len(reuters.mentions) == 2
    rows = [r.split("\t") for r in tsv.render([doc]).splitlines()[1:]]
    assert ["sources", "s0", "", "", "outlet"] == rows[0][1:6] and rows[0][7] == "Reuters"
    assert "## Sources" in markdown.render([doc])
    again = Document.from_json(doc.to_json())
    assert again.to_json() == doc.to_json()


@pytest.mark.parametrize("name, named", [
    ("Amira Osei", True), ("Councillor Amira Osei", True), ("Lund", True),
    ("One café owner", False), ("The board's defenders", False), ("residents", False),
])
def test_looks_named(name, named):
    from unspun.stages.sources import _looks_named

    assert _looks_named(name) is named


def test_links_into_the_page_own_site_and_share_buttons_are_no_sources():
    """A page's links to its own sections, tags and related articles are navigation; a share or follow button is
    furniture; a link out to another site or to one post is a source."""
    from unspun.document import Metadata

    text = "Games section. Read the studio's post, the Example Wire report and the tweet. Follow us. Share."
    doc = Document(text=text, metadata=Metadata(url="https://www.examplegames.com/news/rally-car"))
    urls = {
        "Games section": "https://examplegames.com/category/games/",
        "the studio's post": "https://www.studio.example/news/rally-pass",
        "the Example Wire report": "https://news.examplewire.com/2019/05/01/rally",
        "the tweet": "https://twitter.com/studio/status/1166",
        "Follow us": "http://twitter.com/examplegames",
        "Share": "https://www.facebook.com/sharer/sharer.php?u=https://examplegames.com/news/rally-car",
    }
    for anchor, url in urls.items():
        start = text.index(anchor)
        doc.add(Link, start, start + len(anchor), url=url)
    _run(doc)
    assert sorted(s.name for s in doc.sources if s.type == "link") == ["news.examplewire.com", "studio.example"]
    assert [(s.name, s.type) for s in doc.sources if s.url == urls["the tweet"]] == [("@studio on Twitter", "social_post")]


def test_every_source_carries_a_score_between_0_and_1():
    text = ("The Harbour Board said on Monday that it would buy two ferries. According to a report by the Coastal "
            "Audit Office, the old boats cost too much to repair. Officials said the plan was agreed last week.")
    doc = Document(text=text)
    start = text.index("said on Monday")
    doc.add(Quote, text.index("that it would"), text.index(". According"), kind="indirect", speaker="The Harbour Board",
            speaker_start=0, speaker_end=len("The Harbour Board"), speaker_resolved_from="name", speaker_score=0.9,
            cue="said", cue_start=start, cue_end=start + 4, score=0.95)
    doc = _run(doc)
    assert doc.sources
    for source in doc.sources:
        assert source.score is not None and 0.0 <= source.score <= 1.0


def test_home_pages_licences_and_post_images_are_no_sources():
    text = ("The study, led by a professor at Harbour University and funded by the Coast Trust, was published "
            "under CC BY 2.0. pic.twitter.com/Ab3dE5fG7h The full paper is online.")
    doc = Document(text=text, source_type="html")
    for anchor, url in (("Harbour University", "https://www.harbour-uni.example.ac.uk/"),
                        ("Coast Trust", "https://coasttrust.example.org"),
                        ("CC BY 2.0", "https://creativecommons.org/licenses/by/2.0/"),
                        ("pic.twitter.com/Ab3dE5fG7h", "https://t.co/Ab3dE5fG7h"),
                        ("full paper", "https://journal.example.org/papers/2023/ferries.pdf")):
        s, e = _at(text, anchor)
        doc.add(Link, s, e, url=url)
    _run(doc)
    assert [x.name for x in doc.sources if x.type == "link"] == ["journal.example.org"]


def test_a_home_page_given_via_is_a_source():
    text = "The cartoon went viral last week (via Harbour Gazette)."
    doc = Document(text=text, source_type="html")
    s, e = _at(text, "Harbour Gazette")
    doc.add(Link, s, e, url="https://harbourgazette.example.com/")
    _run(doc)
    assert [x.url for x in doc.sources if x.type == "link"] == ["https://harbourgazette.example.com/"]


def test_a_link_to_a_post_is_that_post():
    text = "The effect was first spotted by Dana Kell on Twitter.\n\nLook at the eyes.\n— Dana Kell (@danakell) July 3, 2019\n"
    doc = Document(text=text, source_type="html")
    s, e = _at(text, "Dana Kell")
    doc.add(Link, s, e, url="https://twitter.com/danakell/status/1146136279647772673")
    s, e = _at(text, "July 3, 2019")
    doc.add(Link, s, e, url="https://twitter.com/danakell/status/1146136279647772673?ref_src=twsrc%5Etfw")
    s, e = _at(text, "— Dana Kell (@danakell) July 3, 2019")
    doc.add(EmbeddedPost, s, e, account="@danakell", platform="twitter")
    _run(doc)
    posts = [x for x in doc.sources if x.type == "social_post"]
    assert len(posts) == 1 and "@danakell" in posts[0].name, [(x.name, x.type) for x in doc.sources]
    assert not [x for x in doc.sources if x.type == "link"]


def test_a_link_on_a_quote_is_where_its_speaker_said_it_not_a_second_source():
    text = ('After the vote, Councillor Ines Vargo said she would "close every loophole in the permit rules." '
            "Water bills rose by a third, the utility's figures show.")
    doc = Document(text=text, source_type="html")
    qs, qe = _at(text, "close every loophole in the permit rules.")
    ss, se = _at(text, "Councillor Ines Vargo")
    doc.add(Quote, qs, qe, kind="direct", speaker="Ines Vargo", speaker_start=ss, speaker_end=se,
            cue="said", cue_start=text.index("said"), cue_end=text.index("said") + 4)
    doc.add(Link, qs, qe, url="https://civicnews.example.org/2024/vargo-permits")
    s, e = _at(text, "the utility's figures")
    doc.add(Link, s, e, url="https://utility.example.com/reports/2024-bills.pdf")
    _run(doc)
    vargo = next(x for x in doc.sources if x.quote_ids == ["q0"])
    assert "Vargo" in vargo.name and vargo.url == "https://civicnews.example.org/2024/vargo-permits"
    assert [x.name for x in doc.sources if x.type == "link"] == ["utility.example.com"]  # not on a quote: its own


def test_a_work_cited_by_its_title_is_a_document_source():
    text = ('Re. “Ferry fares to double by spring,” Page A6, May 2:\nThe writer is wrong. Scientists posit in the '
            'paper titled “Tidal flats and the winter diet of shorebirds.” that the flats matter.')
    doc = _run(Document(text=text))
    documents = {x.name for x in doc.sources if x.type == "document"}
    assert {"Ferry fares to double by spring", "Tidal flats and the winter diet of shorebirds"} <= documents


def test_a_heading_or_a_page_reference_is_no_source():
    text = ('The letter “Ferry fares to double” (Page B1, Jan. 15) said the fares would rise.\n'
            'Policy Shortcomings\n“We find that the board often ignores the islands,” Ola Brisk said.')
    doc = _run(Document(text=text))
    names = [x.name for x in doc.sources]
    assert not any("Page" in n for n in names), names
    assert not any("Shortcomings" in n for n in names), names


def test_a_group_named_after_the_comma_of_a_speaker_mention_is_not_the_speaker():
    text = "The jury of six men and six women, including three immigrants, found the driver not guilty."
    doc = Document(text=text)
    s, e = _at(text, "The jury of six men and six women, including three immigrants")
    doc.add(Quote, text.index("the driver"), len(text) - 1, kind="indirect",
            speaker="The jury of six men and six women", speaker_start=s, speaker_end=e)
    _run(doc)
    assert all("mmigrant" not in x.name for x in doc.sources if "q0" in x.quote_ids), \
        [(x.name, x.quote_ids) for x in doc.sources]


def test_the_quotes_stage_speaker_wins_over_another_name_in_its_span():
    """A speaker span that begins with another entity ("Harbour Authority chief Dana Whitfield"), or that is not
    the speaker at all ("spoke at his Spring Gala said"), gives the source the quotes stage named, not that
    entity."""
    text = ("Harbour Authority chief Dana Whitfield said the pier would reopen in May. "
            "Later Mayor Tom Brennan spoke at the Spring Gala said that the fares would fall.")
    doc = Document(text=text)
    ss, se = _at(text, "Harbour Authority chief Dana Whitfield")
    qs, qe = _at(text, "the pier would reopen in May")
    doc.add(Quote, qs, qe, kind="indirect", speaker="Dana Whitfield", speaker_start=ss, speaker_end=se)
    ss, se = _at(text, "the Spring Gala")
    qs, qe = _at(text, "that the fares would fall")
    doc.add(Quote, qs, qe, kind="indirect", speaker="Tom Brennan", speaker_start=ss, speaker_end=se)
    _run(doc)
    by_quote = {q: x.name for x in doc.sources for q in x.quote_ids}
    assert by_quote == {"q0": "Dana Whitfield", "q1": "Tom Brennan"}, [(x.name, x.quote_ids) for x in doc.sources]


def test_a_verb_that_can_name_an_act_reports_only_with_a_clause():
    """"found that …", "showed that …" report; "showed symptoms", "can't predict storms" are acts, and their subject
    is no source. The saying verbs need no clause ("officials told reporters")."""
    text = ("The night employee showed concussion symptoms after the tests. Scientists cannot predict storms a year "
            "out. Investigators found that the valve had failed. Officials told reporters about the delay.")
    doc = _run(Document(text=text))
    names = {x.name for x in doc.sources}
    assert {"Investigators", "Officials"} <= names, names
    assert not any("employee" in n or "Scientists" in n for n in names), names


def _quote(doc: Document, content: str, speaker: str, span: str, cue: str, kind: str = "indirect") -> None:
    """A quote on `content` whose speaker mention is the first `span`, its cue the first `cue` after it (else the
    last before it)."""
    text = doc.text
    qs, qe = _at(text, content)
    ss, se = _at(text, span)
    cs = text.find(cue, ss)
    cs = cs if cs >= 0 else text.rindex(cue, 0, ss)
    doc.add(Quote, qs, qe, kind=kind, speaker=speaker, speaker_start=ss, speaker_end=se, cue=cue, cue_start=cs,
            cue_end=cs + len(cue))


def test_a_quote_whose_cue_reports_no_speech_makes_no_source():
    """The quotes stage may take a state ("the main line was that …", "they are required to …") or an act ("found
    the driver not guilty", "called a meeting") for a cue: the subject is no source. "called the plan a disaster"
    and "found that …" report speech; so do quotation marks whatever the cue, and a statement verb between speaker
    and words when the cue came out garbled."""
    text = ("The main line was that the ferry had sunk. The panel found the driver not guilty of all charges. "
            "Mayor Dana Lutz called a meeting of the board. Councillor Ada Perrin called the plan a disaster. "
            "Inspector Joel Varga found that the brakes had failed. Councillor Abel Osei put it plainly: \"We pay "
            "too much.\" The yard, Marrow Works, warned the ministry in a letter last month that it would close.")
    doc = Document(text=text)
    _quote(doc, "that the ferry had sunk", "The main line", "The main line", "was")
    _quote(doc, "the driver not guilty of all charges", "The panel", "The panel", "found")
    _quote(doc, "a meeting of the board", "Dana Lutz", "Mayor Dana Lutz", "called")
    _quote(doc, "the plan a disaster", "Ada Perrin", "Councillor Ada Perrin", "called")
    _quote(doc, "that the brakes had failed", "Joel Varga", "Inspector Joel Varga", "found")
    _quote(doc, "We pay too much.", "Abel Osei", "Councillor Abel Osei", "plainly", kind="direct")
    _quote(doc, "that it would close", "Marrow Works", "Marrow Works", "last")  # a garbled cue, a statement verb
    _run(doc)
    by_quote = {q: x.name for x in doc.sources for q in x.quote_ids}
    assert by_quote == {"q3": "Ada Perrin", "q4": "Joel Varga", "q5": "Abel Osei", "q6": "Marrow Works"}, \
        [(x.name, x.quote_ids) for x in doc.sources]


def test_the_one_told_or_a_modifier_is_no_speaker():
    """"promised city officials that …": the officials are told, not telling; "the official statement said": the
    adjective is no noun phrase of its own."""
    text = ("Rocco Lane promised city officials that the road would open in May. "
            "The official statement said that the road was safe.")
    doc = Document(text=text)
    _quote(doc, "that the road would open in May", "city officials", "city officials", "promised")
    _quote(doc, "that the road was safe", "The official", "The official", "said")
    _run(doc)
    assert not [x for x in doc.sources if x.quote_ids], [(x.name, x.quote_ids) for x in doc.sources]


def test_an_unknown_noun_is_a_person_only_with_a_saying_verb():
    """A speaker phrase this stage cannot type ("the revised schedule") is a person when it says something or its
    noun names a doer ("the defender"); with a verb that things do too ("shows", "estimated") it is a document. A
    document noun is a document, a post noun a post."""
    text = ("The revised schedule shows that the trains ran late. A porter says the trains were full. "
            "The trains were never full, the paper states. The mayor's tweet on Monday: the line is closed. "
            "The business case estimated that the line would carry 900 people a day. The union's defender "
            "suggested that the drivers were tired.")
    doc = Document(text=text)
    _quote(doc, "that the trains ran late", "The revised schedule", "The revised schedule", "shows")
    _quote(doc, "the trains were full", "A porter", "A porter", "says")
    _quote(doc, "The trains were never full", "the paper", "the paper", "states")
    _quote(doc, "the line is closed", "tweet", "tweet", ":", kind="direct")
    _quote(doc, "that the line would carry 900 people a day", "The business case", "The business case", "estimated")
    _quote(doc, "that the drivers were tired", "The union's defender", "The union's defender", "suggested")
    _run(doc)
    by_quote = {q: (x.name, x.type) for x in doc.sources for q in x.quote_ids}
    assert by_quote["q0"] == ("revised schedule", "document") and by_quote["q1"] == ("A porter", "person"), by_quote
    assert by_quote["q2"][1] == "document" and by_quote["q3"][1] == "social_post", by_quote
    assert by_quote["q4"] == ("business case", "document") and by_quote["q5"][1] == "person", by_quote


def test_links_that_name_or_explain_are_no_sources():
    """A link on the byline is the author's; a link on a name that is already a source is that source's URL; a
    link on a name to that name's own page (a treaty's page, a Wikipedia article) says what it is; a link on a
    phrase that names no source, document or report ("a standard definition") explains a term. A link on "a new
    study", on a reporting verb or on "here" stays a source."""
    text = ("Written by: Jane Roe\nThe marsh is in trouble. Engineer Priya Ramanathan said the cracks were new. "
            "The goal under the Kyoto Protocol is to cut emissions, and Lake Vostok is cold. The authors used a "
            "standard definition of wetlands. A new study found that the marsh is shrinking, the council reported, "
            "as shown here.")
    doc = Document(text=text, source_type="html")
    qs, qe = _at(text, "the cracks were new")
    ss, se = _at(text, "Engineer Priya Ramanathan")
    doc.add(Quote, qs, qe, kind="indirect", speaker="Priya Ramanathan", speaker_start=ss, speaker_end=se,
            cue="said", cue_start=se + 1, cue_end=se + 5)
    urls = {"Jane Roe": "https://news.example.org/2024/05/marsh-story",
            "Priya Ramanathan": "https://uni.example.edu/staff/dr-priya-ramanathan",
            "Kyoto Protocol": "https://treaties.example.org/process/the-kyoto-protocol",
            "Lake Vostok": "https://en.wikipedia.org/wiki/Lake_Vostok",
            "a standard definition": "https://journal.example.org/content/3/1/e16",
            "A new study": "https://journal.example.org/content/9/2/e77",
            "reported": "https://council.example.gov/press/marsh",
            "here": "https://data.example.org/marsh.csv"}
    for anchor, url in urls.items():
        s, e = _at(text, anchor)
        doc.add(Link, s, e, url=url)
    _run(doc)
    assert sorted(x.url for x in doc.sources if x.type == "link") == sorted(
        [urls["A new study"], urls["reported"], urls["here"]]), [(x.name, x.url) for x in doc.sources]
    assert _by_name(doc, "Priya Ramanathan").url == urls["Priya Ramanathan"]


def test_a_post_belongs_to_its_owner_and_an_unowned_tweet_on_a_page_with_posts_is_one_of_them():
    """"Mayor Ana Ruiz's tweet" is Ana Ruiz's post; the subject of a misparsed "Added …" is no account; on a page
    that shows its posts, "Update: added the tweet" names one of them, not a post of its own."""
    text = ("Mayor Ana Ruiz's tweet on Monday said the road was shut. The road is shut.\n"
            "Update July 3rd, 8:05AM ET: Added ARKit explanation and tweet.")
    doc = Document(text=text, source_type="html")
    s, e = _at(text, "The road is shut.")
    doc.add(Link, s, e, url="https://twitter.com/anaruiz/status/1146136279647772673")
    _run(doc)
    posts = sorted(x.name for x in doc.sources if x.type == "social_post")
    assert posts == ["Ana Ruiz on Twitter"], posts  # her tweet and the linked one: one account, one source


@pytest.mark.parametrize("note", [
    "Originally published in The Guardian.",
    "This article first appeared in The Guardian.",
    "We are, therefore, reprinting below her Guardian column.",
])
def test_where_the_article_itself_first_appeared_is_no_source(note):
    """A provenance note names the piece's own publisher, like its author: no source. The same outlet cited for a
    fact stays one, and a journal where a cited study first appeared is a source."""
    text = (f"{note}\nThe council voted to close the pier. A study first published in the Tidewater Review found "
            "that it was unsafe.")
    doc = _run(Document(text=text))
    names = {x.name for x in doc.sources}
    assert "The Guardian" not in names and any("Tidewater Review" in n for n in names), names
    cited = _run(Document(text=f"{note}\nThe Guardian reported that the pier would close."))
    assert len(_by_name(cited, "The Guardian").mentions) == 1


def test_an_anaphoric_study_or_its_scientists_are_the_research_work_named_before():
    """"their study" and "the scientists" stand for the research work the text named before ("a new research
    paper"), with its quotes; with no such work before them they stay sources of their own."""
    text = ("A new research paper by the Marsh Institute says the marsh is shrinking. Their study found that half "
            "of it is gone. The scientists estimated that the rest will go by 2050.")
    doc = Document(text=text)
    _quote(doc, "that the rest will go by 2050", "The scientists", "The scientists", "estimated")
    _run(doc)
    documents = [x for x in doc.sources if x.type == "document"]
    assert len(documents) == 1, [(x.name, x.type) for x in doc.sources]
    assert {"Their study", "The scientists"} <= {m.text for m in documents[0].mentions}
    assert documents[0].quote_ids == ["q0"] and doc.quotes[0].source_id == documents[0].id
    assert not any(x.name in ("study", "scientists") for x in doc.sources)
    alone = _run(Document(text="The scientists estimated that the marsh will be gone by 2050."))
    assert [x.name for x in alone.sources] == ["scientists"]


def test_a_group_holding_a_view_is_no_source():
    """"Buddhists believe that …" describes a faith, not a report; "Hindus said that …" cites them."""
    doc = _run(Document(text="Buddhists believe that life is suffering. Hindus said that the temple would reopen."))
    names = {x.name for x in doc.sources}
    assert "Hindus" in names and "Buddhists" not in names, names


def test_a_document_noun_that_picks_out_no_document_is_no_source():
    """"No study has shown …", "any report saying so", "as so many of these documents of that era seem to be": no
    document in particular. "A report by the Harbour Trust found …" and "these 40 cables" are documents."""
    text = ("No study has shown that the drug works, and any report saying so is wrong. The memo is, as so many "
            "of these documents of that era seem to be, vague. A report by the Harbour Trust found that the pier "
            "was unsafe. The ministry released these 40 cables last week.")
    doc = _run(Document(text=text))
    documents = sorted(x.name for x in doc.sources if x.type == "document")
    assert documents == ["40 cables", "memo", "report by the Harbour Trust"], documents


def test_an_unnamed_source_inside_a_named_speakers_words_is_the_speakers():
    """"Congressman Rob Vance said video footage shows …": the article relies on Vance, and the footage has no
    identity of its own. The same footage cited by the author is a source."""
    text = "Congressman Rob Vance said video footage shows that the men were paid."
    doc = Document(text=text)
    _quote(doc, "video footage shows that the men were paid", "Rob Vance", "Congressman Rob Vance", "said")
    _run(doc)
    assert [x.name for x in doc.sources] == ["Rob Vance"], [(x.name, x.type) for x in doc.sources]
    alone = _run(Document(text="Video footage shows that the men were paid."))
    assert [x.type for x in alone.sources] == ["document"]


def test_what_someone_said_without_the_words_is_no_source():
    """"to find out what the Synod said about its rules" gives no words, so nothing rests on the Synod; "the Synod
    said that the rules stand" does."""
    doc = _run(Document(text="I wanted to find out what the Synod itself said about its rules."))
    assert not doc.sources, [(x.name, x.type) for x in doc.sources]
    doc = _run(Document(text="The Synod said that the rules stand."))
    assert [x.name for x in doc.sources] == ["Synod"]


def test_coordinated_sources_are_each_a_source():
    """"according to the WHO and the ministry", "the union and the council said": both are cited."""
    text = ("Nine people died, according to Reuters and the health ministry. The union and the council said that "
            "the strike was over.")
    doc = _run(Document(text=text))
    names = {x.name for x in doc.sources}
    assert {"Reuters", "health ministry", "union", "council"} <= names, names


def test_a_described_speaker_is_the_source_not_the_body_named_in_the_description():
    """'“…,” said one ex-House aide': the quotes stage found the aide speaking; the source is the aide, not the
    House. A speaker the quotes stage resolved to a name keeps that name."""
    text = "Staff spoke out.\n“They have no self-control,” said one ex-House aide, the men laughed.\n"
    doc = Document(text=text)
    qs, qe = _at(text, "“They have no self-control,”")
    ss, se = _at(text, "one ex-House aide, the men")
    doc.add(Quote, qs, qe, kind="direct", speaker="one ex-House aide", speaker_start=ss, speaker_end=se,
            speaker_resolved_from="description", cue="said")
    _run(doc)
    names = [s.name for s in doc.sources]
    assert "ex-House" not in names and any("ex-House aide" in n for n in names), names
