"""HTML ingest on real pages: trafilatura's text, metadata, body links with exact offsets, and refusals."""

import pytest
import trafilatura

from conftest import EXAMPLES, assert_offsets
from unspun.errors import InputDataError
from unspun.ingest.html import from_html

LIMIT = 10 * 1024 * 1024


def test_saved_page_text_is_trafilatura_text():
    raw = (EXAMPLES / "saved-page.html").read_bytes()
    doc = from_html(raw, max_bytes=LIMIT)
    assert doc.text == trafilatura.extract(raw, include_comments=False)
    # boilerplate stays out: navigation, cookie banner, share buttons, related posts, footer
    for junk in ("Accept all cookies", "Subscribe", "Click to share", "Related posts", "All rights reserved"):
        assert junk not in doc.text
    assert doc.text.startswith("Water board defends fluoride decision")


def test_saved_page_metadata():
    doc = from_html((EXAMPLES / "saved-page.html").read_bytes(), max_bytes=LIMIT)
    m = doc.metadata
    assert m.title == "Water board defends fluoride decision as critics cry foul"
    assert m.author == "Priya Raman"
    assert m.date == "2024-05-21"
    assert m.site == "The Valley Ledger"
    assert m.url == "https://valleyledger.example/news/2024/05/water-board-fluoride"


def test_body_links_have_exact_offsets_and_absolute_urls():
    doc = from_html((EXAMPLES / "saved-page.html").read_bytes(), max_bytes=LIMIT)
    got = [(link.text, link.url) for link in doc.links]
    assert got == [
        ("2023 review by the state health department", "https://health.example.gov/reports/fluoride-2023.pdf"),
        ("Channel 9 News", "https://www.channel9news.example/valley/fluoride-vote"),
        ("minutes of Monday's meeting", "https://valleyledger.example/documents/board-minutes-may-2024.pdf"),
    ]
    assert_offsets(doc.to_plain())


def test_repeated_anchor_text_gets_the_linked_occurrence():
    html = (
        "<html><body><article><h1>Budget talks</h1>"
        "<p>Click here to skip. The mayor said the budget is balanced, and you can read more here.</p>"
        "<p>Officials said <a href='https://example.org/report'>here</a> is the report, and the council will vote on it "
        "next week after a long debate about schools, roads and the water supply.</p>"
        "</article></body></html>"
    )
    doc = from_html(html, max_bytes=LIMIT)
    [link] = doc.links
    assert link.url == "https://example.org/report"
    assert doc.text[link.start - len("Officials said "):link.start] == "Officials said "


def test_page_containing_marker_characters_still_gets_links():
    html = (
        "<html><body><article><p>A dash \u2e3a here and \u2e3b there. See <a href='https://example.org/a'>the report</a> "
        "for the details of the plan, which the committee published on Monday after months of work.</p>"
        "</article></body></html>"
    )
    doc = from_html(html, max_bytes=LIMIT)
    assert [(link.text, link.url) for link in doc.links] == [("the report", "https://example.org/a")]


def test_declared_legacy_charset_is_respected():
    html = (
        "<html><head><meta charset='iso-8859-1'></head><body><article><p>Caf\xe9 owners in the old town "
        "protested on Monday against the new parking rules, which they say will drive customers away.</p>"
        "</article></body></html>"
    ).encode("latin-1")
    doc = from_html(html, max_bytes=LIMIT)
    assert "Café owners" in doc.text


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><title>x</title></head><body></body></html>",
        "<html><body><nav><a href='/'>Home</a></nav></body></html>",
        "   ",
    ],
)
def test_page_without_article_is_a_data_error(html):
    with pytest.raises(InputDataError):
        from_html(html, max_bytes=LIMIT)


def test_oversized_page_is_a_data_error():
    with pytest.raises(InputDataError, match="over the limit"):
        from_html(b"<html>" + b"a" * 2000 + b"</html>", max_bytes=1000)


TEASER_PAGE = """<html><head><title>Harbour vote delayed</title>
<link rel="canonical" href="https://www.example-news.com/harbour-vote-delayed"></head><body>
<article><h1>Harbour vote delayed</h1>
<p>The council delayed its vote on the harbour plan on Monday after a long debate about dredging costs and the future
of the fishing fleet.</p>
<p>Residents packed the hall. Several speakers said the plan ignored the fishermen who have worked the harbour for
generations.</p>
<p><a href="https://www.example-news.com/council-budget-2024">Read the council's full budget report.</a></p>
<p>The mayor said a new date would be set within weeks, and that the plan would be revised before then.</p>
<p>The vote was first scheduled for March, according to the
<a href="https://www.example-news.com/march-schedule">council's published schedule</a> for the year.</p>
<p><a href="https://www.othersite.org/harbour-study">Harbour study finds dredging costs triple in a decade</a></p>
<p><a href="https://www.example-news.com/fishing-fleet-shrinks">Fishing fleet shrinks to its smallest size \
in fifty years as quotas bite</a></p>
</article></body></html>"""


def test_a_line_that_is_one_link_to_another_page_of_the_site_is_a_teaser():
    """A "more about" card the extractor keeps: a headline-like line that is all one link to the site's own page.
    A linked sentence with a full stop, a link inside a sentence and a link to another site stay article text."""
    from unspun.ingest.html import from_html

    doc = from_html(TEASER_PAGE, max_bytes=10**7, source_type="file", source_value="teaser.html")
    removed = {r.text: r.reason for r in doc.removed}
    assert removed == {"Fishing fleet shrinks to its smallest size in fifty years as quotas bite": "related-posts"}
    for kept in ("Read the council's full budget report.", "according to the", "Harbour study finds dredging"):
        assert kept in doc.text and not any(kept in r.text for r in doc.removed)


def test_a_malformed_link_is_no_site_and_breaks_nothing():
    """A link the URL parser refuses ("http://[not-an-address/…", found by fuzzing) leads nowhere: cleanup and the
    sources stage skip it instead of failing."""
    from unspun import pipeline
    from conftest import EXAMPLES

    page = (EXAMPLES.parent / "fuzz" / "seeds" / "malformed-links.html").read_text(encoding="utf-8")
    doc = pipeline.analyze_html(page, stages=["sources"])
    assert any("[not-an-address" in link.url for link in doc.links)
    assert not any("not-an-address" in (s.url or "") for s in doc.sources)
