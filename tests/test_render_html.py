"""The HTML report: exact text, every span kind marked, overlaps kept, panels linked, escaping, CSP hashes."""

from __future__ import annotations

import base64
import hashlib
import re
from html import unescape
from html.parser import HTMLParser

import pytest

from conftest import EXAMPLES
from unspun.document import Actor, ActorLabel, Claim, Document, EmbeddedPost, Evidence, Link, Metadata, Quote, Removed, Source, Technique
from unspun.render import EXTENSIONS, FORMATS, html, render

TEXT = (
    "Harbour Swindle\n\n"
    "The so-called board rammed through its disgraceful scheme. "
    '"We listened to everyone," said Victor Lund, the board chair. '
    "The project will create 400 jobs, according to the council's own report. "
    "Unemployment doubled last year. "
    "Visit <script>window.__pwned = 1</script> and <img src=x onerror=\"window.__pwned=2\"> or javascript:alert(1).\n"
    "Share this:\n"
)


def _find(sub: str, start: int = 0) -> tuple[int, int]:
    i = TEXT.index(sub, start)
    return i, i + len(sub)


def full_document() -> Document:
    """A hand-built Document with every list filled, crossing technique spans included."""
    doc = Document(text=TEXT, metadata=Metadata(title="Harbour <Swindle>", site="Example Ledger", url="javascript:alert(1)",
                                                language="en"),
                   options={"model": "fast", "min_score": None, "stages": ["techniques", "quotes", "claims", "sources", "actors"]})
    a, b = _find("rammed through its disgraceful")
    c, d = _find("disgraceful scheme")
    doc.add(Technique, a, b, technique="Loaded_Language", score=0.81, definition_id="loaded_language")
    doc.add(Technique, c, d, technique="Name_Calling,Labeling", score=0.42, definition_id="name_calling_labeling",
            evidence=[Evidence(*_find("so-called"), "so-called", "label cue")])
    doc.add(Technique, c, d, technique="Exaggeration,Minimisation", score=0.12, definition_id="exaggeration_minimisation")
    qs, qe = _find('"We listened to everyone,"')
    ss, se = _find("Victor Lund")
    cs, ce = _find("said")
    doc.add(Quote, qs, qe, kind="direct", speaker="Victor Lund", speaker_start=ss, speaker_end=se, speaker_resolved_from="name",
            cue="said", cue_start=cs, cue_end=ce, score=0.97, parts=[[qs, qe]], source_id="s1")
    doc.add(Claim, *_find("The project will create 400 jobs, according to the council's own report."), checkworthy=0.88,
            sourcing="attributed", source_id="s0")
    doc.add(Claim, *_find("Unemployment doubled last year."), checkworthy=0.91, sourcing="asserted")
    doc.add(Source, name="council report", type="document", named=True, mentions=[doc.span(*_find("the council's own report"))],
            url="https://council.example/report.pdf", claim_ids=["c0"])
    doc.add(Source, name="Victor Lund", type="person", mentions=[doc.span(ss, se)], url="javascript:alert(2)", quote_ids=["q0"])
    doc.add(Actor, name="Harbour Renewal Board", type="organisation", mentions=[doc.span(*_find("board"))],
            labels=[ActorLabel(*_find("so-called board"), "so-called board", "Name_Calling,Labeling")], quoted=False)
    doc.add(Actor, name="Victor Lund", type="person", mentions=[doc.span(ss, se)], quoted=True)
    doc.add(Removed, *_find("Share this:"), reason="share-buttons")
    doc.add(EmbeddedPost, *_find("Victor Lund"), account="@vlund", platform="twitter")
    doc.add(Link, *_find("the board chair"), url="javascript:alert(3)")
    return doc


class _Collect(HTMLParser):
    """Collects the article text, ids, fragment links, and the inline <style>/<script> bodies."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.article: list[str] = []
        self.ids: set[str] = set()
        self.fragments: list[str] = []
        self.inline: dict[str, list[str]] = {"style": [], "script": []}
        self._raw: str | None = None
        self.attrs: list[tuple[str, str, str | None]] = []
        self.meta_csp: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k, v in attrs:
            self.attrs.append((tag, k, v))
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and (a.get("href") or "").startswith("#"):
            self.fragments.append(a["href"][1:])
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy":
            self.meta_csp = a["content"]
        if tag in ("style", "script"):
            self._raw = tag
            self.inline[tag].append("")
        if self.depth:
            self.depth += 1
        elif tag == "div" and a.get("class") == "article":
            self.depth = 1

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._raw = None
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self._raw:
            self.inline[self._raw][-1] += data
        if self.depth:
            self.article.append(data)

    def handle_entityref(self, name):
        if self.depth:
            self.article.append(unescape(f"&{name};"))

    def handle_charref(self, name):
        if self.depth:
            self.article.append(unescape(f"&#{name};"))


def parse(page: str) -> _Collect:
    p = _Collect()
    p.feed(page)
    p.close()
    return p


@pytest.fixture(scope="module")
def page() -> str:
    return html.render_report([full_document()])


def test_registered_as_a_format():
    assert "html" in FORMATS and EXTENSIONS[".html"] == "html" and EXTENSIONS[".htm"] == "html"
    out = render([full_document()], "html")
    assert out.startswith(b"<!doctype html>")


def test_article_text_is_exact(page):
    """The marks wrap the text without changing a character: offsets into the page's text are the document's."""
    assert "".join(parse(page).article) == TEXT


def test_every_span_kind_is_marked(page):
    for kind in ("techniques", "quotes", "claims", "removed", "embedded_posts", "links", "speaker", "cue", "mention", "label"):
        assert f"k-{kind}" in page, kind
    for tid in ("loaded_language", "name_calling_labeling", "exaggeration_minimisation"):
        assert f'class="m k-techniques t-{tid}' in page


def test_crossing_and_stacked_techniques_all_stay_visible(page):
    """t0 and t1/t2 cross; t1 and t2 share a span. The shared text sits inside all three marks, on separate lanes."""
    seg = re.search(r"((?:<mark [^>]*>)+)disgraceful((?:</mark>)+)", page)
    assert seg, "the overlapping word is not marked"
    opened = re.findall(r'data-ref="(d0-t\d)"', seg.group(1))
    assert set(opened) == {"d0-t0", "d0-t1", "d0-t2"}
    lanes = {m: re.search(rf'class="[^"]*lane-(\d)[^"]*" data-ref="{m}"', seg.group(1)).group(1) for m in opened}
    assert len(set(lanes.values())) == 3
    assert seg.group(1).count("<mark") == len(seg.group(2)) // len("</mark>")


def test_every_panel_link_has_a_target(page):
    p = parse(page)
    assert p.fragments, "no in-page links"
    missing = [f for f in p.fragments if f not in p.ids]
    assert not missing, missing
    for ref in ("d0-t0", "d0-q0", "d0-c0", "d0-c1", "d0-s0-mention0", "d0-a0-label0", "d0-q0-speaker", "d0-r0"):
        assert ref in p.fragments, ref


def test_panels(page):
    assert "Quotes by speaker (1)" in page and ">Victor Lund (1)</h3>" in page
    for claim in full_document().claims:  # exactly one sourcing state per claim: its own `sourcing`
        entry = re.search(rf'<li id="d0-{claim.id}-info">(.*?)</li>', page, re.S).group(1)
        assert re.findall(r'class="tag s-([a-z]+)"', entry) == [claim.sourcing]
    assert 'href="https://council.example/report.pdf" rel="noopener noreferrer nofollow"' in page
    assert "“so-called board”</a> (Name Calling,Labeling)" in page
    assert "Show the 1 removed scrape-junk ranges" in page
    # the definition, evidence and score of each technique are in the page for the detail box
    assert html.taxonomy.by_name("Name_Calling,Labeling").definition in page
    assert "Evidence: “so-called” (label cue" in page and ">0.81</span>" in page


def test_snippets_never_double_quote_marks(page):
    """A quote's text brings its own quote marks: the panels add typographic ones only around bare snippets."""
    assert '>&#34;We listened to everyone,&#34;</a>' in page
    assert "“&#34;" not in page and "&#34;”" not in page
    assert "“rammed through its disgraceful”" in page  # a technique's bare span gets them


def test_evidence_badge_follows_evidence_assertion_only():
    doc = full_document()
    page = html.render_report([doc], charts=False)
    assert "appeals to evidence or certainty" not in page  # no claim says anything about evidence
    doc.claims[1].evidence_assertion = True
    page = html.render_report([doc], charts=False)
    entry = re.search(r'<li id="d0-c1-info">(.*?)</li>', page, re.S).group(1)
    assert entry.count("appeals to evidence or certainty") == 1 and "says evidence is missing" not in page


def test_removed_junk_collapses_with_its_whitespace(page):
    """'Share this:' and the newline after it are hidden together behind one marker; the text is untouched."""
    assert re.search(r'<label class="rm-chip" for="d0-show-removed" title="1 removed range \(share buttons\): show"[^>]*>'
                     r'</label><mark class="m k-removed r-share-buttons"[^>]*>Share this:</mark><mark class="m k-gap">\n</mark>',
                     page)
    assert "".join(parse(page).article) == TEXT


def test_article_content_is_escaped(page):
    assert "<script>window.__pwned" not in page
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=" in page
    assert "Harbour &lt;Swindle&gt;" in page
    p = parse(page)
    hrefs = [v for tag, k, v in p.attrs if k in ("href", "src", "xlink:href")]
    assert not [h for h in hrefs if h and h.strip().lower().startswith(("javascript:", "data:"))]
    assert not [(t, k) for t, k, _ in p.attrs if k.startswith("on")], "inline event handlers"
    assert not [t for t, k, _ in p.attrs if k == "style"], "style attributes break under the CSP"


def test_csp_allows_exactly_the_inline_style_and_script(page):
    p = parse(page)
    assert p.meta_csp == html.REPORT_CSP
    assert len(p.inline["style"]) == 1 and len(p.inline["script"]) == 1
    for body in (p.inline["style"][0], p.inline["script"][0]):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in p.meta_csp
    assert "unsafe-inline" not in p.meta_csp and "unsafe-eval" not in p.meta_csp
    assert "default-src 'none'" in p.meta_csp
    # self-contained: nothing is loaded from anywhere
    assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)=', page)


def test_charts_are_inline_svg_with_local_links(page):
    assert page.count("<figure") == 3 and page.count("<svg") >= 3
    for link in re.findall(r'xlink:href="([^"]*)"', page):
        assert link.startswith("#d0-"), link
    assert html.sentence_shares(full_document()) == {"quote and claim": 0, "quote": 1, "claim": 2, "neither": 4}


def test_sentence_split_is_cheap_and_in_order():
    spans = html.sentence_spans("One. Two? \"Three!\" four\n\nFive")
    assert [s for s in spans] == sorted(spans)
    assert len(spans) == 4


def test_no_findings_and_stages_not_run():
    doc = Document(text="Plain words.", options={"stages": ["techniques"]})
    page = html.render_report([doc])
    assert "No persuasion technique found." in page
    assert "Not analysed: the quotes stage did not run." in page
    assert "".join(parse(page).article) == "Plain words."


def test_cli_writes_a_report(tmp_path):
    from typer.testing import CliRunner

    from unspun.cli import app

    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["analyze", str(EXAMPLES / "opinion-loaded.txt"), "--model", "fast", "--stages", "techniques",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and 'class="m k-techniques' in page
    assert "".join(parse(page).article) == (EXAMPLES / "opinion-loaded.txt").read_text(encoding="utf-8")
