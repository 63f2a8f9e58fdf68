"""Property tests: for any input, analysis returns a sound Document or raises a documented error.

"Sound" is `unspun.invariants.violations(doc) == []`: every span lies inside the text and its `text` is the slice
it claims, removed ranges never overlap, ids are unique and the JSON round-trips exactly. The ingest-level
properties run many examples with `stages=[]`; one small property runs the whole pipeline with the fast model.
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
    if doc is not None:
        assert doc.text == text  # the text is never rewritten: offsets index the input


@FAST
@given(st.binary(max_size=2000))
def test_text_ingest_any_bytes(data: bytes) -> None:
    doc = _analyse(unspun.analyze_text, data, stages=[])
    if doc is not None:
        assert doc.text == data.decode("utf-8")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(html_pages(), st.text(max_size=500)))
def test_html_ingest_any_str(html: str) -> None:
    _analyse(unspun.analyze_html, html, stages=[])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(html_pages().map(lambda s: s.encode("utf-8", "surrogatepass")), st.binary(max_size=2000)),
       st.sampled_from(["auto", "text", "html"]))
def test_bytes_entry_any_bytes(data: bytes, input_format: str) -> None:
    _analyse(pipeline.analyze_bytes, data, input_format=input_format, stages=[])


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
    if doc is not None:
        assert doc.options["stages"] == pipeline.resolve_stages(None)


@pytest.mark.parametrize("value", ["\ud800 lone surrogate in otherwise fine text here", "\x00" * 40, "", " \n\t"])
def test_known_bad_text_is_a_data_error(value: str) -> None:
    with pytest.raises(UnspunError) as info:
        unspun.analyze_text(value, stages=[])
    assert info.value.exit_code == 65
