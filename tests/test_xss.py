"""XSS and injection: a corpus of hostile payloads in article text, metadata and URLs, rendered by the static HTML
report and by the web UI, opened in the real browser (Chromium via Playwright, fixtures shared with
test_browser.py). The browser-free checks (headers, upload sniffing, paths) are in test_xss_server.py, so they run
even where Chromium is missing.

In the browser each payload would set `window.__xss` or open a dialog if it ran. Both defences are checked:
escaping (the payload shows as text and no hostile element or handler reaches the DOM) and the CSP behind it.
"""

from __future__ import annotations

import time

import httpx
import pytest

from test_browser import browser, page, server, server_app  # noqa: F401  (module-scoped Chromium and uvicorn fixtures)
from xss_payloads import ARTICLE, FAST, PAYLOADS, URL_PAYLOADS, hostile_page

# --- what "inert" means in the browser ----------------------------------------------------------------------------
HOSTILE_DOM = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toUpperCase();
    for (const a of el.attributes) {
      const v = a.value.trim().toLowerCase();
      if (a.name.startsWith('on')) bad.push(el.tagName + ' ' + a.name);
      if (['href', 'src', 'action', 'formaction', 'data'].includes(a.name) && /^(javascript|data:text|vbscript)/.test(v))
        bad.push(el.tagName + ' ' + a.name + '=' + v);
    }
    if (['IFRAME', 'OBJECT', 'EMBED', 'MATH', 'BASE'].includes(tag)) bad.push(tag);
    const inArticle = el.parentElement && el.parentElement.closest('.article');
    if (inArticle && ['DETAILS', 'STYLE', 'IMG', 'SVG', 'SCRIPT', 'TEXTAREA', 'TITLE', 'A'].includes(tag)) bad.push(tag + ' in the article');
    if (tag === 'SCRIPT' && el.textContent.includes('__xss')) bad.push('script ' + el.textContent.slice(0, 40));
  }
  return bad;
}"""


def assert_inert(pg, must_show: list[str]) -> None:
    """Nothing ran, nothing hostile reached the DOM, and every payload reads as text."""
    pg.locator("body").click(position={"x": 5, "y": 5})
    for link in pg.locator(".article a").all():
        link.click(no_wait_after=True)
    time.sleep(0.2)
    assert pg.evaluate("typeof window.__xss") == "undefined"
    assert pg.dialogs == []
    assert pg.evaluate(HOSTILE_DOM) == []
    shown = pg.locator("body").inner_text()
    missing = [s for s in must_show if s not in shown]
    assert not missing, missing
    assert "49" not in pg.locator(".article").inner_text()  # {{7*7}} and ${7*7} were not evaluated


def payload_lines() -> list[str]:
    return [f"Payload {i}: {p}" for i, p in enumerate(PAYLOADS)]


@pytest.fixture(scope="module")
def text_doc():
    import unspun

    doc = unspun.analyze_text(ARTICLE, model="fast", stages=["techniques"])
    assert all(p in doc.text for p in PAYLOADS)
    return doc


@pytest.fixture(scope="module")
def html_doc():
    import unspun

    doc = unspun.analyze_html(hostile_page(), model="fast", stages=["techniques"])
    assert all(p in doc.text for p in PAYLOADS)
    return doc


# --- the static report ----------------------------------------------------------------------------------------------
def test_static_report_text_and_metadata(page, text_doc, tmp_path):  # noqa: F811
    from unspun.render import html

    doc = text_doc.from_json(text_doc.to_json())
    doc.metadata.title, doc.metadata.author, doc.metadata.site = PAYLOADS[5], PAYLOADS[6], PAYLOADS[8]
    doc.metadata.url = URL_PAYLOADS[0]
    doc.source_type, doc.source_value = "url", URL_PAYLOADS[1]
    path = tmp_path / "text.html"
    path.write_text(html.render_report([doc]), encoding="utf-8")
    page.goto(path.as_uri())
    assert_inert(page, payload_lines() + [PAYLOADS[5], PAYLOADS[6], PAYLOADS[8]])


@pytest.mark.parametrize("url", URL_PAYLOADS)
def test_static_report_never_links_a_hostile_url(page, text_doc, tmp_path, url):  # noqa: F811
    from unspun.render import html

    doc = text_doc.from_json(text_doc.to_json())
    doc.metadata.url = url
    doc.source_type, doc.source_value = "url", url
    path = tmp_path / "url.html"
    path.write_text(html.render_report([doc]), encoding="utf-8")
    page.goto(path.as_uri())
    hrefs = [(a.get_attribute("href") or "").strip().lower() for a in page.locator("a").all()]
    assert not [h for h in hrefs if h.startswith(("javascript:", "data:", "vbscript:"))], hrefs
    assert_inert(page, [])


def test_static_report_hostile_html_page(page, html_doc, tmp_path):  # noqa: F811
    from unspun.render import html

    assert "<script>" in (html_doc.metadata.title or "") and html_doc.metadata.url is None
    path = tmp_path / "page.html"
    path.write_text(html.render_report([html_doc]), encoding="utf-8")
    page.goto(path.as_uri())
    assert_inert(page, [html_doc.metadata.title, *PAYLOADS[:4]])


# --- the web UI on a real server ------------------------------------------------------------------------------------
def _post(base: str, body: dict) -> str:
    r = httpx.post(base + "/api/v1/analyze", json={**body, "options": FAST}, timeout=120)
    assert r.status_code == 200, r.text
    return r.json()["id"]


def test_web_ui_report_of_hostile_text(page, server):  # noqa: F811
    doc_id = _post(server, {"text": ARTICLE})
    page.goto(f"{server}/documents/{doc_id}")
    assert_inert(page, payload_lines())


def test_web_ui_report_of_hostile_html(page, server, html_doc):  # noqa: F811
    doc_id = _post(server, {"html": hostile_page()})
    page.goto(f"{server}/documents/{doc_id}")
    assert_inert(page, [html_doc.metadata.title, *PAYLOADS[:4]])
    page.goto(f"{server}/recent")  # the title is a link text on the recent list
    assert html_doc.metadata.title in page.locator("body").inner_text()
    assert page.evaluate(HOSTILE_DOM) == [] and page.dialogs == []


def test_web_ui_form_echoes_hostile_input_as_text(page, server):  # noqa: F811
    """A refused URL re-renders the form with the user's text and URL filled back in: the textarea and the
    attribute must hold them as text (`</textarea>` and `">` must not break out)."""
    text = "\n".join(PAYLOADS)
    url = 'javascript:"><script>window.__xss=40</script>'
    page.goto(server + "/")
    page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
    page.fill("#f-text", text)
    page.fill("#f-url", url)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert page.url.rstrip("/").endswith("/analyze")
    assert page.input_value("#f-text") == text and page.input_value("#f-url") == url
    assert page.evaluate("typeof window.__xss") == "undefined" and page.dialogs == []
    assert page.evaluate(HOSTILE_DOM) == []
