"""The report as a reader meets it, in real Chromium: the summary first and true to the JSON, the text one layer at
a time with a key for every mark it shows, side panels that stay beside the text, charts that fit, a print
layout, a page that follows a long analysis, and the same analysis from the form, the API and the CLI whatever
the line endings.

Documents are analysed by the real models (`fast`); the long article is the examples joined into one. Fixtures
(Chromium, the uvicorn server) come from test_browser.py, which skips when Chromium is missing.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import httpx
import pytest

from conftest import EXAMPLES, read_original
from test_browser import browser, page, server, server_app  # noqa: F401  (shared fixtures)

SEED = EXAMPLES / "scraped-screenshots.txt"  # the kind of page: a scraped post with screenshots and junk
WIDE, NARROW = 1400, 800
LAYERS = ("techniques", "quotes", "claims", "actors")


def long_article() -> str:
    """About 1,300 words: every text example, one after another, as a long scraped page would read."""
    parts = [read_original(EXAMPLES / name) for name in ("scraped-screenshots.txt", "opinion-loaded.txt", "wire-report.txt")]
    return "\n\n".join(p.strip("\n") for p in parts) + "\n"


@pytest.fixture(scope="module")
def docs():
    import unspun

    seed = unspun.analyze_file(SEED, model="fast")
    seed.source_value = "examples/scraped-screenshots.txt"
    long = unspun.analyze_text(long_article(), model="fast")
    return {"seed": seed, "long": long}


@pytest.fixture(scope="module")
def report_files(docs, tmp_path_factory) -> dict[str, Path]:
    from unspun.render import html

    folder = tmp_path_factory.mktemp("reports")
    out = {}
    for name, doc in docs.items():
        out[name] = folder / f"{name}.html"
        out[name].write_text(html.render_report([doc]), encoding="utf-8")
    return out


def _open(browser, path_or_url: str, width: int, **options):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 1000}, **options)
    pg = context.new_page()
    pg.console_errors = []
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.goto(path_or_url)
    return context, pg


def _csp_clean(pg) -> None:
    assert not [e for e in pg.console_errors if "Content Security Policy" in e or "Refused" in e], pg.console_errors


# --- 1. the page is about the text: summary on top, panels beside it, no column four times its height ---------------
BOX = """() => {
  const r = e => e.getBoundingClientRect();
  const article = document.querySelector('.article'), side = document.querySelector('.side');
  const summary = document.querySelector('.summary');
  return {page: document.documentElement.scrollHeight, text: r(article).height, articleTop: r(article).top + scrollY,
          articleBottom: r(article).bottom + scrollY, sideTop: r(side).top + scrollY, sideHeight: r(side).height,
          sideScrolls: side.scrollHeight > side.clientHeight + 1, summaryBottom: r(summary).bottom + scrollY,
          sidePosition: getComputedStyle(side).position, innerHeight: innerHeight};
}"""


@pytest.mark.parametrize("name", ["seed", "long"])
def test_page_is_at_most_one_and_a_half_times_the_text(browser, report_files, name):  # noqa: F811
    context, pg = _open(browser, report_files[name].as_uri(), WIDE)
    box = pg.evaluate(BOX)
    assert box["page"] <= 1.5 * box["text"], box
    assert box["summaryBottom"] <= box["articleTop"]  # the summary comes first
    assert box["sidePosition"] == "sticky" and box["sideHeight"] <= box["innerHeight"] + 1, box
    assert abs(box["sideTop"] - box["articleTop"]) < 2, box  # beside the text, not below it
    # the panels stay in view while the text scrolls by
    pg.evaluate("window.scrollTo(0, document.querySelector('.article').getBoundingClientRect().top + scrollY + 600)")
    assert -1 <= pg.evaluate("document.querySelector('.side').getBoundingClientRect().top") <= 1
    _csp_clean(pg)
    context.close()

    context, pg = _open(browser, report_files[name].as_uri(), NARROW - 200)  # a phone-sized screen
    box = pg.evaluate(BOX)
    assert box["sideTop"] >= box["articleBottom"] - 1 and box["sidePosition"] == "static", box  # panels follow the text
    context.close()


def test_side_panels_are_collapsible(browser, report_files):  # noqa: F811
    context, pg = _open(browser, report_files["long"].as_uri(), WIDE)
    quotes = pg.locator("#d0-quotes")
    assert quotes.evaluate("d => d.tagName") == "DETAILS" and not quotes.evaluate("d => d.open")
    first_quote = pg.locator("#d0-quotes li").first
    assert not first_quote.is_visible()
    pg.locator("#d0-quotes > summary").click()
    assert first_quote.is_visible()
    pg.locator("#d0-techniques > summary").click()  # open by default; closes
    assert not pg.locator("#d0-techniques li").first.is_visible()
    context.close()


# --- 2. the summary's figures are the JSON's ---------------------------------------------------------------------
def expected_summary(d: dict) -> dict:
    """The summary's figures counted straight from the Document JSON (independently of the renderer)."""
    words = len(d["text"].split())
    counts = Counter(t["technique"] for t in d["techniques"])
    sources = {s["id"]: s for s in d["sources"]}
    kinds = Counter()
    for q in d["quotes"]:
        source = sources.get(q.get("source_id"))
        if q["speaker"] is None:
            kinds["unattributed"] += 1
        elif q.get("speaker_score") is not None and q["speaker_score"] < 0.7:
            kinds["unsure"] += 1
        elif source is not None and not source["named"]:
            kinds["anonymous"] += 1
        else:
            kinds["named"] += 1
    merged: list[list[int]] = []
    for s, e in sorted((q["start"], q["end"]) for q in d["quotes"]):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    quoted = sum(len(d["text"][s:e].split()) for s, e in merged)
    worthy = [c for c in d["claims"] if c["checkworthy"] >= 0.5]
    asserted = [c for c in worthy if c["sourcing"] == "asserted"]
    out = {
        "words": f"{words:,}", "techniques": str(len(d["techniques"])), "rate": f"{1000 * len(d['techniques']) / words:.1f}",
        "quotes": str(len(d["quotes"])), "quoted-share": f"{100 * quoted / words:.0f}%",
        **{k: str(kinds[k]) for k in ("named", "anonymous", "unsure", "unattributed")},
        "sources": str(len(d["sources"])), "named-sources": str(sum(1 for s in d["sources"] if s["named"])),
        "actors": str(len(d["actors"])), "labelled": str(sum(1 for a in d["actors"] if a["labels"])),
        "top": [(n.replace("_", " "), c) for n, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]],
        "asserted_ids": [c["id"] for c in sorted(asserted, key=lambda c: c["start"])],
    }
    if worthy:
        out.update({"checkworthy": str(len(worthy)), "asserted": str(len(asserted)),
                    "asserted-share": f"{100 * len(asserted) / len(worthy):.0f}%"})
    return out


def assert_summary_matches(pg, d: dict) -> None:
    want = expected_summary(d)
    fig = {el.get_attribute("data-fig"): el.inner_text().strip() for el in pg.locator(".summary [data-fig]").all()
           if el.get_attribute("data-fig") != "count"}
    for key, value in want.items():
        if isinstance(value, str):
            assert fig.get(key) == value, (key, fig.get(key), value)
    shown = [(li.get_attribute("data-name"), int(li.locator("[data-fig=count]").inner_text()))
             for li in pg.locator("[data-card=techniques] li").all()]
    assert shown == want["top"]
    by_id = {item["id"]: item for kind in ("techniques", "quotes", "claims") for item in d[kind]}
    # each top technique and speaker links to its own places in the text
    for li in pg.locator("[data-card=techniques] li").all():
        for a in li.locator("a").all():
            item = by_id[a.get_attribute("href")[len("#d0-"):]]
            assert item["technique"].replace("_", " ") == li.get_attribute("data-name")
    for li in pg.locator("[data-card=quotes] li").all():
        ids = [a.get_attribute("href")[len("#d0-"):] for a in li.locator("a").all()]
        assert ids and {by_id[i]["speaker"] for i in ids} == {li.get_attribute("data-name")}
    if want["asserted_ids"]:
        links = pg.locator("[data-card=claims] .places a").all()
        assert [a.get_attribute("href")[len("#d0-"):] for a in links] == want["asserted_ids"][: len(links)]
    # every link of the summary lands on something in the page, most of them in the text
    targets = pg.evaluate("""() => [...document.querySelectorAll('.summary a[href^="#"]')].map(a => {
        const t = document.getElementById(a.getAttribute('href').slice(1));
        return t ? (t.closest('.article') ? 'text' : 'page') : 'missing ' + a.getAttribute('href'); })""")
    assert "missing" not in " ".join(targets) and targets.count("text") >= len(targets) - 1, targets


def test_summary_matches_the_json_in_the_report_file(browser, report_files, docs):  # noqa: F811
    for name in ("seed", "long"):
        context, pg = _open(browser, report_files[name].as_uri(), WIDE)
        assert_summary_matches(pg, docs[name].to_plain())
        ref = pg.locator("[data-fig=reference]").first.inner_text()
        assert float(ref) > 0 and "PTC training set" in pg.locator(".summary .ref").first.inner_text()
        context.close()


def test_summary_matches_the_api_json_on_the_server(browser, server):  # noqa: F811
    r = httpx.post(server + "/api/v1/analyze", json={"text": long_article(), "options": {"model": "fast"}}, timeout=120)
    assert r.status_code == 200, r.text
    context, pg = _open(browser, f"{server}/documents/{r.json()['id']}", WIDE)
    assert_summary_matches(pg, r.json())
    _csp_clean(pg)
    context.close()


def test_a_summary_link_switches_to_the_layer_of_its_target(browser, report_files):  # noqa: F811
    context, pg = _open(browser, report_files["seed"].as_uri(), WIDE)
    link = pg.locator("[data-card=quotes] li a").first
    target = link.get_attribute("href")
    link.click()
    assert pg.locator("input.lay-quotes").is_checked()
    assert pg.evaluate(f"document.querySelector('{target}').matches(':target')")
    assert pg.locator(target).evaluate("e => getComputedStyle(e).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    context.close()


# --- 3. one layer at a time, each with a key for every kind of mark it shows ----------------------------------------
# A mark is styled when it looks different from its parent (inherited properties) or from plain text.
STYLED_WITHOUT_KEY = """() => {
  const art = document.querySelector('.article');
  const plain = ['rgba(0, 0, 0, 0)', 'transparent'];
  const entries = [...document.querySelectorAll('.keys [data-mark]')].filter(e => e.offsetParent !== null);
  const selectors = entries.map(e => e.dataset.mark);
  const missing = new Set(); let styled = 0;
  for (const m of art.querySelectorAll('mark')) {
    if (!m.getClientRects().length) continue;  // hidden (collapsed junk)
    const s = getComputedStyle(m), p = getComputedStyle(m.parentElement);
    const own = !plain.includes(s.backgroundColor) || s.textDecorationLine !== 'none'
      || (s.borderBottomStyle !== 'none' && parseFloat(s.borderBottomWidth) > 0 && !plain.includes(s.borderBottomColor))
      || s.outlineStyle !== 'none' || parseFloat(s.opacity) < 1
      || s.color !== p.color || s.fontWeight !== p.fontWeight || s.fontStyle !== p.fontStyle;
    if (!own) continue;
    styled++;
    if (!selectors.some(sel => m.matches(sel))) missing.add(m.className);
  }
  return {styled, missing: [...missing], entries: selectors};
}"""


def _layer(pg, layer: str) -> None:
    pg.locator(f"input.lay-{layer}").check()


@pytest.mark.parametrize("name", ["seed", "long"])
def test_every_mark_shown_has_a_key_entry(browser, report_files, name):  # noqa: F811
    context, pg = _open(browser, report_files[name].as_uri(), WIDE)
    assert pg.locator("input.lay-techniques").is_checked()  # the default layer
    for show_removed in (False, True):
        if show_removed:
            pg.locator("input.show-removed").check()
        for layer in LAYERS:
            _layer(pg, layer)
            found = pg.evaluate(STYLED_WITHOUT_KEY)
            assert found["styled"] > 0 and not found["missing"], (layer, show_removed, found)
            visible_keys = [k for k in LAYERS if pg.locator(f".key-{k}").is_visible()]
            assert visible_keys == [layer]
    context.close()


def test_unsure_items_look_unsure_and_the_key_says_so(browser, tmp_path):  # noqa: F811
    from test_render_html import full_document

    from unspun.render import html

    doc = full_document()
    doc.quotes[0].speaker_score = 0.41  # under the 0.70 line: the speaker is unsure
    doc.models["techniques"] = {"name": "m", "version": "1", "sha256": "x", "sure_score": 0.5}  # 0.81 sure, 0.42 not
    path = tmp_path / "unsure.html"
    path.write_text(html.render_report([doc]), encoding="utf-8")
    context, pg = _open(browser, path.as_uri(), WIDE)
    underline = "e => getComputedStyle(e).borderBottomStyle"
    assert pg.locator("#d0-t0").evaluate(underline) == "solid"  # techniques: the default layer
    assert pg.locator("#d0-t1").evaluate(underline) == "dashed"
    assert "dashed underline marks an unsure one: scored under 0.50" in pg.locator(".key-techniques").inner_text()
    _layer(pg, "quotes")
    speaker = pg.locator("#d0-q0-speaker")
    style = speaker.evaluate("e => [getComputedStyle(e).textDecorationStyle, getComputedStyle(e).opacity]")
    assert style[0] == "dashed" and float(style[1]) < 1
    key = pg.locator(".key-quotes").inner_text()
    assert "unsure speaker" in key and "0.70" in key
    assert not pg.evaluate(STYLED_WITHOUT_KEY)["missing"]
    for layer in LAYERS:  # the hand-made document has every kind of mark
        _layer(pg, layer)
        assert not pg.evaluate(STYLED_WITHOUT_KEY)["missing"], layer
    context.close()


def test_layers_work_without_javascript(browser, report_files):  # noqa: F811
    context, pg = _open(browser, report_files["seed"].as_uri(), WIDE, java_script_enabled=False)
    quote = pg.locator(".article mark.k-quotes").first
    technique = pg.locator(".article mark.k-techniques").first
    background = "e => getComputedStyle(e).backgroundColor"
    assert quote.evaluate(background) in ("rgba(0, 0, 0, 0)", "transparent")
    assert technique.evaluate(background) not in ("rgba(0, 0, 0, 0)", "transparent")
    pg.locator("label:has(input.lay-quotes)").click()  # pure CSS: a radio and :has()
    assert quote.evaluate(background) not in ("rgba(0, 0, 0, 0)", "transparent")
    assert technique.evaluate(background) in ("rgba(0, 0, 0, 0)", "transparent")
    assert pg.locator(".key-quotes").is_visible() and not pg.locator(".key-techniques").is_visible()
    context.close()


def test_keyboard_reaches_the_chosen_layer(browser, report_files, docs):  # noqa: F811
    context, pg = _open(browser, report_files["seed"].as_uri(), WIDE)
    pg.locator("input.lay-techniques").focus()
    pg.keyboard.press("ArrowRight")  # radio group: the arrow keys choose the next layer
    assert pg.locator("input.lay-quotes").is_checked()
    assert pg.locator(".article mark.k-techniques[tabindex]").count() == 0
    assert pg.locator(".article mark.k-quotes[tabindex]").count() == len(docs["seed"].quotes)
    pg.locator(".article mark.k-quotes[tabindex]").first.focus()
    detail = pg.locator(".detail")
    first = docs["seed"].quotes[0]
    assert detail.is_visible() and (first.speaker or "") in detail.inner_text()
    assert "Loaded Language" not in detail.inner_text()  # only the chosen layer's items
    context.close()


def test_removed_junk_collapses_without_blank_holes(browser, report_files, docs):  # noqa: F811
    context, pg = _open(browser, report_files["seed"].as_uri(), WIDE)
    article = pg.locator(".article")
    collapsed = article.evaluate("e => e.getBoundingClientRect().height")
    chips = pg.locator(".article .rm-chip")
    assert 0 < chips.count() <= len(docs["seed"].removed) and chips.first.is_visible()
    text = article.inner_text()
    assert "Screenshot_2021" not in text and "\n\n\n" not in text
    pg.locator("input.show-removed").check()
    assert "Screenshot_2021" in article.inner_text() and not chips.first.is_visible()
    assert article.evaluate("e => e.getBoundingClientRect().height") > collapsed
    assert "".join(pg.evaluate("() => [...document.querySelectorAll('.article')].map(a => a.textContent)")) == docs["seed"].text
    context.close()


# --- 4. charts that fit ---------------------------------------------------------------------------------------------
OUTSIDE = """() => {
  const bad = [];
  for (const fig of document.querySelectorAll('figure')) {
    const svg = fig.querySelector('svg');
    if (!svg || !svg.getClientRects().length) continue;
    const b = svg.getBoundingClientRect(), f = fig.getBoundingClientRect();
    if (b.left < f.left - .5 || b.right > f.right + .5) bad.push(fig.id + ': chart wider than its figure');
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (!r.width || !t.textContent.trim()) continue;
      if (r.left < b.left - .5 || r.right > b.right + .5 || r.top < b.top - .5 || r.bottom > b.bottom + .5)
        bad.push(fig.id + ': ' + t.textContent);
    }
    const legend = fig.querySelector('.chart-legend');
    if (legend) { const l = legend.getBoundingClientRect(); if (l.top < b.bottom - .5) bad.push(fig.id + ': legend over the chart'); }
  }
  return bad;
}"""
WIDER_FONT = "svg text { font-family: 'DejaVu Sans', sans-serif !important; }"  # wider than the font charts are laid out with


def every_technique_document():
    """The long article with every technique of the taxonomy on it, so the longest names reach the charts."""
    from unspun import taxonomy
    from unspun.document import Document, Technique

    text = long_article()
    doc = Document(text=text, options={"model": "fast", "stages": ["techniques"]})
    words = [m.span() for m in re.finditer(r"\w{4,}", text)]
    for i, t in enumerate(taxonomy.TECHNIQUES):
        for j in range(i % 3 + 1):
            a, b = words[(i * 37 + j * 11) % len(words)]
            doc.add(Technique, a, b, technique=t.name, score=0.5, definition_id=t.id)
    return doc


@pytest.mark.parametrize("width", [WIDE, NARROW])
def test_no_chart_text_outside_its_chart(browser, report_files, tmp_path, width):  # noqa: F811
    from unspun.render import html

    every = tmp_path / "every.html"
    every.write_text(html.render_report([every_technique_document()]), encoding="utf-8")
    for path in (report_files["seed"], report_files["long"], every):
        context, pg = _open(browser, path.as_uri(), width, bypass_csp=True)
        assert pg.locator("figure svg").count() == 3
        assert pg.evaluate(OUTSIDE) == [], (path.name, width)
        pg.add_style_tag(content=WIDER_FONT)
        assert pg.evaluate(OUTSIDE) == [], (path.name, width, "wider font")
        context.close()


@pytest.mark.parametrize("width", [WIDE, NARROW])
def test_dashboard_charts_fit(browser, server, server_app, docs, width):  # noqa: F811
    from urllib.parse import urlencode

    store = server_app.state.store
    a, b = "the-very-long-named-regional-daily-gazette.example.org", "wire.example"
    from unspun.document import Document

    for i, doc in enumerate((docs["seed"], docs["long"])):
        doc = Document.from_json(doc.to_json())
        doc.metadata.date = f"2024-0{i + 1}-15"
        store.save(doc, site=(a, b)[i])
    url = f"{server}/dashboard?{urlencode({'a': a, 'b': b})}"
    context, pg = _open(browser, url, width, bypass_csp=True)
    assert pg.locator("figure svg").count() >= 4
    assert pg.evaluate(OUTSIDE) == [], width
    pg.add_style_tag(content=WIDER_FONT)
    assert pg.evaluate(OUTSIDE) == [], (width, "wider font")
    context.close()


# --- 5. print ---------------------------------------------------------------------------------------------------------
def test_prints_to_readable_pages(browser, report_files):  # noqa: F811
    context, pg = _open(browser, report_files["long"].as_uri(), 794)  # A4 at 96 dpi
    pg.emulate_media(media="print")
    assert pg.evaluate("document.documentElement.scrollWidth") <= 794  # nothing runs off the page's side
    assert not pg.locator(".layers").is_visible() and not pg.locator(".detail").is_visible()
    assert pg.locator("#d0-quotes li").first.is_visible()  # closed panels print open
    assert pg.evaluate("getComputedStyle(document.querySelector('.side')).position") == "static"
    size = pg.evaluate("parseFloat(getComputedStyle(document.querySelector('.article')).fontSize)")
    assert size >= 13  # 10 pt and more
    pdf = pg.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 2
    context.close()


# --- 6. the web form: a page that follows a long analysis, and the same analysis from every door ---------------------
def test_a_long_analysis_shows_its_progress(browser, server, server_app):  # noqa: F811
    config = server_app.state.config
    wait, config.form_wait_s = config.form_wait_s, 0.0  # any analysis counts as long
    try:
        context, pg = _open(browser, server + "/", WIDE)
        pg.fill("#f-text", "\n\n".join([long_article()] * 3) + "\nSent to watch it run.\n")  # some 4,000 words
        pg.select_option("#f-model", "fast")
        pg.click("button[type=submit]")
        pg.wait_for_url(f"{server}/jobs/*", timeout=30_000)
        body = pg.locator("main").inner_text()
        assert "Analysing" in body and "Running for" in body and "words, with the fast model" in body, body
        assert pg.locator("meta[http-equiv=refresh]").count() == 1 and pg.locator("progress").is_visible()
        pg.wait_for_url(f"{server}/documents/*", timeout=120_000)  # the page reloads itself until the report is ready
        assert pg.locator(".summary").is_visible()
        _csp_clean(pg)
        context.close()
    finally:
        config.form_wait_s = wait
    assert httpx.get(server + "/jobs/no-such-job").status_code == 404


def lf_view(d: dict) -> dict:
    """The analysis as it reads with LF line endings: "\\r\\n" written "\\n", every offset moved onto that text."""
    text = d["text"]
    dropped = [0] * (len(text) + 1)  # "\\n" of "\\r\\n" pairs before each offset
    for i in range(len(text)):
        dropped[i + 1] = dropped[i] + (text[i] == "\n" and i > 0 and text[i - 1] == "\r")
    offsets = {"start", "end", "speaker_start", "speaker_end", "cue_start", "cue_end"}

    def walk(value, key=None):
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            if key == "parts":
                return [[a - dropped[a], b - dropped[b]] for a, b in value]
            return [walk(v) for v in value]
        if key in offsets and isinstance(value, int):
            return value - dropped[value]
        if isinstance(value, str) and key in ("text", "cue"):
            return value.replace("\r\n", "\n")
        return value

    out = walk({k: v for k, v in d.items() if k not in ("source", "id")})
    return out


def test_crlf_and_lf_give_the_same_analysis_from_the_form_the_api_and_the_cli(browser, server, run_cli, tmp_path):  # noqa: F811
    import orjson

    lf = read_original(SEED)
    assert "\r" not in lf
    crlf = lf.replace("\n", "\r\n")
    results = {}

    context, pg = _open(browser, server + "/", WIDE)  # the browser sends a textarea's text with CRLF
    pg.fill("#f-text", lf)
    pg.select_option("#f-model", "fast")
    pg.click("button[type=submit]")
    pg.wait_for_url(f"{server}/documents/*", timeout=120_000)
    doc_id = pg.url.rsplit("/", 1)[1]
    context.close()
    results["form (CRLF)"] = httpx.get(f"{server}/api/v1/documents/{doc_id}").json()
    assert results["form (CRLF)"]["text"] == crlf

    for label, text in (("API (LF)", lf), ("API (CRLF)", crlf)):
        r = httpx.post(server + "/api/v1/analyze", json={"text": text, "options": {"model": "fast"}}, timeout=120)
        assert r.status_code == 200, r.text
        results[label] = r.json()
    for label, text in (("CLI (LF)", lf), ("CLI (CRLF)", crlf)):
        path = tmp_path / f"{label[5:-1]}.txt"
        path.write_bytes(text.encode("utf-8"))
        out = run_cli("analyze", str(path), "--model", "fast", "--format", "json")
        assert out.returncode == 0, out.stderr
        results[label] = orjson.loads(out.stdout)
    assert results["CLI (CRLF)"]["text"] == crlf and results["CLI (LF)"]["text"] == lf

    reference = lf_view(results["CLI (LF)"])
    assert reference["quotes"] and reference["actors"] and reference["removed"]
    for label, got in results.items():
        view = lf_view(got)
        for key in reference:
            assert view[key] == reference[key], (label, key)
