"""Property tests: for any input, analysis returns a sound Document or raises a documented error.

"Sound" is `unspun.invariants.violations(doc) == []`: every span lies inside the text and its `text` is the slice
it claims, removed ranges never overlap, ids are unique and the JSON round-trips exactly. The ingest-level
properties run many examples with `stages=[]`; one small property runs the whole pipeline with the fast model.

An error is fine only for input that INTERFACES.md lets unspun refuse: for well-formed input (text that is valid
Unicode, not empty or only whitespace, without NUL bytes, and article-shaped HTML pages) every property demands a
Document, so a regression that refused every input fails here.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import unspun
from unspun import pipeline
from unspun.document import Document, Removed
from unspun.errors import UnspunError
from unspun.invariants import violations

# Lines that scrape cleanup marks, so that removed ranges, embedded posts and their edges get exercised.
JUNK = [
    "Share this:", "Click to share on Twitter (Opens in new window)", "IMG_1234.jpg", "Screenshot: Jane Doe on Facebook",
    "Related posts", "We use cookies to improve your experience.", "Advertisement", "Subscribe", "Leave a Reply",
    "Facebook", "Twitter", "Email", "3 columns", "pic.twitter.com/AbC123", "— Jane Doe (@janedoe) January 2, 2020",
    "\ufeffSkip to content", "\u200bShare on Facebook\u200b", "  Like this:  ",
]
PROSE = [
    "The minister said the plan was \u201ca total disaster\u201d.", "Critics call it a shameful betrayal of voters.",
    "According to Reuters, 40% of the budget was spent.", "\u0627\u0644\u0633\u0644\u0627\u0645 \u0639\u0644\u064a\u0643\u0645",
    "Z\u0351\u0353a\u0300\u0301l\u0302go \u05e9\u05dc\u05d5\u05dd \u202eevil\u202c", "Emoji \U0001F600\U0001F469\u200d\U0001F4BB flags \U0001F1FA\U0001F1F8",
    "", " ", "\t", "NUL\x00byte", "\r", "a", "Never again! Never again! Never again!",
]
SEPARATORS = ["\n", "\r\n", "\r", "\n\n", " ", "", "\u2028", "\x0b", "\x85"]

any_text = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(categories=["Cs", "Cc", "Zs", "Zl", "Mn", "Lo", "So", "Co"])),  # surrogates too
    st.lists(st.sampled_from(JUNK + PROSE), max_size=25).flatmap(
        lambda lines: st.lists(st.sampled_from(SEPARATORS), min_size=len(lines), max_size=len(lines)).map(
            lambda seps: "".join(line + sep for line, sep in zip(lines, seps))
        )
    ),
)

_TAGS = ["p", "div", "article", "main", "span", "b", "a", "h1", "h2", "li", "ul", "table", "td", "tr", "script",
         "style", "blockquote", "q", "br", "img", "header", "footer", "nav", "figure", "figcaption"]
_ATTRS = ['', ' href="/x"', ' href="javascript:alert(1)"', ' class="content"', ' id="main"', ' src="a.jpg"',
          ' onerror="alert(1)"', ' style="display:none"', ' title="\u202e\U0001F600"', ' href="http://[::1]/"']


@st.composite
def html_pages(draw) -> str:
    """Real-looking but possibly broken pages: random nesting, unclosed tags, stray closers, junk and prose."""
    parts: list[str] = []
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from([
            "<!doctype html>", "<!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0//EN'>", "<?xml version='1.0' encoding='latin-1'?>",
        ])))
    parts.append("<html><head>")
    parts.append(draw(st.sampled_from(["", '<meta charset="utf-8">', '<meta charset="shift_jis">', '<meta charset="bogus">'])))
    parts.append("<title>" + draw(st.text(max_size=20)) + "</title></head><body>")
    for _ in range(draw(st.integers(0, 30))):
        choice = draw(st.integers(0, 5))
        if choice == 0:
            parts.append(f"<{draw(st.sampled_from(_TAGS))}{draw(st.sampled_from(_ATTRS))}>")
        elif choice == 1:
            parts.append(f"</{draw(st.sampled_from(_TAGS))}>")
        elif choice in (2, 3):
            parts.append(draw(st.sampled_from(PROSE + JUNK)))
        elif choice == 4:
            parts.append(draw(st.text(max_size=30)))
        else:
            parts.append(draw(st.sampled_from(["<!--", "-->", "<![CDATA[", "]]>", "&amp;", "&#0;", "&#x110000;", "&bogus;", "<", ">"])))
    parts.append(draw(st.sampled_from(["</body></html>", "", "</body>"])))
    return "".join(parts)


SENTENCES = [
    "The city council voted on Tuesday to close two libraries, citing a budget shortfall of four million dollars.",
    "Residents who packed the meeting said the decision would hurt children and older people the most.",
    "According to the council's own report, visits to both branches have risen every year since 2015.",
    "The mayor said in a statement that the city had no other choice this year.",
    "Critics called the vote a shameful betrayal of the neighbourhoods that need the libraries most.",
    "A final decision on the buildings themselves is expected at the next meeting in March.",
    "Caf\u00e9 owners in S\u00e3o Paulo said the new rules were \u00aba blatant robbery\u00bb of small firms.",
    "Emoji \U0001F600 and accents (na\u00efve, fa\u00e7ade, Z\u00fcrich) appear here as they would in a real page.",
]


# attributes that leave an element visible (a hidden paragraph is rightly left out of the text)
_SHOWN_ATTRS = [a for a in _ATTRS if "display:none" not in a] + [' data-id="42"', ' lang="en"']


@st.composite
def article_pages(draw) -> tuple[str, str]:
    """(page, a sentence of its article): a headline and paragraphs of real sentences in <article>, with page
    furniture, attributes and line breaks around them. Such a page must be analysed."""
    nl = draw(st.sampled_from(["", "\n", "\r\n"]))
    paragraphs = draw(st.lists(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=3), min_size=2, max_size=6))
    parts = [draw(st.sampled_from(["", "<!doctype html>", "<!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0//EN'>"])),
             "<html><head>", draw(st.sampled_from(["", '<meta charset="utf-8">'])),
             "<title>Libraries to close</title></head><body>"]
    if draw(st.booleans()):
        parts.append('<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>')
    if draw(st.booleans()):
        parts.append("<script>var x = '<p>not text</p>';</script>")
    parts.append(f"<article{draw(st.sampled_from(_SHOWN_ATTRS))}><h1>Council votes to close two libraries</h1>")
    for sentences in paragraphs:
        close = draw(st.sampled_from(["</p>", ""]))  # unclosed paragraphs are common
        parts.append(f"<p{draw(st.sampled_from(_SHOWN_ATTRS))}>" + " ".join(sentences) + close + nl)
    parts.append("</article>")
    if draw(st.booleans()):
        parts.append("<footer><p>Share this:</p><p>Related posts</p><p>\u00a9 2024 The Daily Example</p></footer>")
    parts.append(draw(st.sampled_from(["</body></html>", ""])))
    return nl.join(parts), paragraphs[0][0]


def _well_formed(text: str) -> bool:
    """Text that must be analysed: valid Unicode (no lone surrogates), not only whitespace, and no NUL bytes (the
    text ingest refuses only empty, whitespace-only, undecodable, binary or oversized input)."""
    return bool(text.strip()) and "\x00" not in text and not any("\ud800" <= c <= "\udfff" for c in text)


def _utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _sound(result: Document) -> None:
    assert isinstance(result, Document)
    assert violations(result) == []


def _analyse(fn, value, **kwargs) -> Document | None:
    """Run `fn`; a documented error is a fine outcome, anything else fails the property."""
    try:
        doc = fn(value, **kwargs)
    except UnspunError as exc:
        message = str(exc)
        assert message and "\n" not in message, f"error message must be one line: {message!r}"
        return None
    _sound(doc)
    return doc


FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(any_text)
def test_text_ingest_any_str(text: str) -> None:
    doc = _analyse(unspun.analyze_text, text, stages=[])
    if _well_formed(text):
        assert doc is not None, "well-formed text was refused"
    if doc is not None:
        assert doc.text == text  # the text is never rewritten: offsets index the input


@FAST
@given(st.binary(max_size=2000))
def test_text_ingest_any_bytes(data: bytes) -> None:
    doc = _analyse(unspun.analyze_text, data, stages=[])
    text = _utf8(data)
    if text is not None and _well_formed(text):
        assert doc is not None, "well-formed UTF-8 text was refused"
    if doc is not None:
        assert doc.text == data.decode("utf-8")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(html_pages(), st.text(max_size=500)))
def test_html_ingest_any_str(html: str) -> None:
    _analyse(unspun.analyze_html, html, stages=[])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article_pages(), st.booleans())
def test_article_pages_are_analysed(page_and_sentence: tuple[str, str], as_bytes: bool) -> None:
    page, sentence = page_and_sentence
    doc = _analyse(unspun.analyze_html, page.encode("utf-8") if as_bytes else page, stages=[])
    assert doc is not None, "an article-shaped page was refused"
    assert sentence in doc.text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(html_pages().map(lambda s: s.encode("utf-8", "surrogatepass")), st.binary(max_size=2000)),
       st.sampled_from(["auto", "text", "html"]))
def test_bytes_entry_any_bytes(data: bytes, input_format: str) -> None:
    doc = _analyse(pipeline.analyze_bytes, data, input_format=input_format, stages=[])
    text = _utf8(data)
    if input_format == "text" and text is not None and _well_formed(text):
        assert doc is not None and doc.text == text, "well-formed UTF-8 text was refused"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 50), st.integers(1, 20)), max_size=10))
def test_overlapping_removed_ranges_are_caught(ranges: list[tuple[int, int]]) -> None:
    # The checker itself must flag what it promises to flag, or every property above proves nothing.
    doc = Document(text="x" * 80)
    for start, length in ranges:
        doc.add(Removed, start, start + length, reason="test")
    spans = sorted((r.start, r.end) for r in doc.removed)
    overlapping = any(b[0] < a[1] for a, b in zip(spans, spans[1:]))
    assert bool([v for v in violations(doc) if "overlaps" in v]) == overlapping


def test_checker_flags_bad_spans_and_round_trip() -> None:
    doc = unspun.analyze_text("Share this:\nThe mayor lied to everyone about the budget again.", stages=[])
    assert violations(doc) == [] and doc.removed
    doc.removed[0].text = "something else"
    assert any("!= doc.text" in v for v in violations(doc))
    doc.removed[0].text, doc.removed[0].end = doc.text[0:999], 999
    assert any("outside the text" in v for v in violations(doc))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(any_text, html_pages()), st.booleans())
def test_full_pipeline_any_input(value: str, as_html: bool) -> None:
    fn = unspun.analyze_html if as_html else unspun.analyze_text
    doc = _analyse(fn, value, model="fast")
    if not as_html and _well_formed(value):
        assert doc is not None, "well-formed text was refused"
    if doc is not None:
        assert doc.options["stages"] == pipeline.resolve_stages(None)


@pytest.mark.parametrize("value", ["\ud800 lone surrogate in otherwise fine text here", "\x00" * 40, "", " \n\t"])
def test_known_bad_text_is_a_data_error(value: str) -> None:
    with pytest.raises(UnspunError) as info:
        unspun.analyze_text(value, stages=[])
    assert info.value.exit_code == 65
