"""XSS and injection: a corpus of hostile payloads in article text, metadata and URLs, rendered by the static HTML
report and by the web UI, opened in the real browser (Chromium via Playwright, fixtures shared with
test_browser.py); plus the server's headers, upload sniffing and path handling through TestClient.

In the browser each payload would set `window.__xss` or open a dialog if it ran. Both defences are checked:
escaping (the payload shows as text and no hostile element or handler reaches the DOM) and the CSP behind it.
"""

from __future__ import annotations

import html as htmllib
import re
import time

import httpx
import orjson
import pytest
from fastapi.testclient import TestClient

from test_browser import browser, page, server  # noqa: F401  (module-scoped Chromium and uvicorn fixtures)

FAST = {"model": "fast", "stages": ["techniques"]}

PAYLOADS = [
    "<script>window.__xss=1;alert(1)</script>",
    '<img src=x onerror="window.__xss=2;alert(2)">',
    '<svg onload="window.__xss=3;alert(3)"></svg>',
    '<a href="javascript:window.__xss=4;alert(4)">link four</a>',
    '<a href="data:text/html,<script>alert(5)</script>">link five</a>',
    '"><script>window.__xss=6;alert(6)</script>',
    "'><img src=x onerror=window.__xss=7;alert(7)>",
    "</textarea><script>window.__xss=8;alert(8)</script>",
    "</title><script>window.__xss=9;alert(9)</script>",
    "{{7*7}} ${7*7} {{constructor.constructor('window.__xss=10;alert(10)')()}}",
    '<div style="width: expression(window.__xss=11)">eleven</div>',
    '<p style="background:url(javascript:window.__xss=12)">twelve</p>',
    r"\u003cscript\u003ewindow.__xss=13;alert(13)\u003c/script\u003e",
    '<iframe src="javascript:window.__xss=14;alert(14)"></iframe>',
    "<details open ontoggle=window.__xss=15;alert(15)>",
    "</script><script>window.__xss=16;alert(16)</script><!--",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=17>",
]
URL_PAYLOADS = ["javascript:window.__xss=20;alert(20)", "data:text/html,<script>alert(21)</script>",
                " JaVaScRiPt:alert(22)", "vbscript:msgbox(23)"]

ARTICLE = (
    "Council accused of cover-up\n\n"
    "The council's so-called experts are a disgrace, critics said on Monday, and the payloads below are quoted as text.\n"
    + "\n".join(f"Payload {i}: {p}" for i, p in enumerate(PAYLOADS))
    + "\n"
)


def hostile_page() -> str:
    """A saved page with payloads in the <title>, meta author and site name, URLs and the body (escaped as text
    there, so they are article text), plus live hostile markup that must never survive extraction."""
    esc = htmllib.escape
    paragraphs = "\n".join(f"<p>Critics said the plan was a disgrace, quoting payload {i}: {esc(p)}</p>"
                           for i, p in enumerate(PAYLOADS))
    return f"""<!doctype html><html><head>
<title>Hostile {esc(PAYLOADS[5])} title</title>
<meta name="author" content="{esc(PAYLOADS[6], quote=True)}">
<meta property="og:site_name" content="{esc(PAYLOADS[2], quote=True)}">
<meta property="og:url" content="{URL_PAYLOADS[0]}">
<link rel="canonical" href="{URL_PAYLOADS[0]}">
<script>window.__xss = 30</script>
</head><body onload="window.__xss=31"><article>
<h1>Council accused {esc(PAYLOADS[0])} of cover-up</h1>
<p>The council's so-called experts are a disgrace, critics said on Monday, and read
<a href="{URL_PAYLOADS[0]}">the javascript report</a> and <a href="{esc(URL_PAYLOADS[1], quote=True)}">the data one</a>.</p>
<img src=x onerror="window.__xss=32"><svg onload="window.__xss=33"></svg>
{paragraphs}
</article></body></html>"""


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


# --- headers, uploads and paths (no browser) ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from unspun.corpus.store import Store
    from unspun.server import ServerConfig, create_app

    store = Store(f"sqlite:///{tmp_path_factory.mktemp('db') / 'xss.db'}")
    app = create_app(ServerConfig(model="fast", max_bytes=100_000), store=store)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c
    store.close()


def test_every_response_carries_the_security_headers(client):
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text).group(1)
    responses = [
        client.get("/"), client.get("/healthz"), client.get("/recent"), client.get("/docs"), client.get("/openapi.json"),
        client.get("/static/swagger-ui.css"), client.get("/nope"), client.get("/nope", headers={"accept": "text/html"}),
        client.get("/api/v1/techniques"), client.get("/api/v1/documents/none"), client.put("/api/v1/techniques"),
        client.post("/api/v1/analyze", json={}), client.post("/api/v1/analyze", content=b"{bad"),
        client.post("/api/v1/analyze", content=b"{" + b" " * 300_000 + b"}", headers={"content-type": "application/json"}),
        client.post("/analyze", data={"text": "x"}), client.post("/analyze", data={"text": " ", "csrf": csrf}),
        client.get("/healthz", headers={"host": "evil.example"}),
    ]
    assert {r.status_code for r in responses} >= {200, 400, 403, 404, 405, 413, 422}
    for r in responses:
        csp = r.headers.get("content-security-policy", "")
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp, (r.request.url, csp)
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "script-src 'self'" in csp or "script-src 'sha" in csp
        assert r.headers.get("x-content-type-options") == "nosniff"
        assert r.headers.get("x-frame-options") == "DENY"
        assert r.headers.get("referrer-policy") == "no-referrer"


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\xff\xfe"


@pytest.mark.parametrize("name,data", [
    ("page.html", PNG),
    ("page.html", bytes(range(256)) * 4),
    ("notes.txt", b"\x00\x01\x02<html><script>window.__xss=1</script></html>\xff\xfe\x00"),
])
def test_upload_named_html_but_binary_is_refused(client, name, data):
    r = client.post("/api/v1/analyze", files={"file": (name, data, "text/html")}, data={"options": orjson.dumps(FAST).decode()})
    assert 400 <= r.status_code < 500, r.text
    assert r.json()["error"]["code"] == "bad_input"


def test_upload_is_read_by_content_not_by_name(client):
    raw = hostile_page().encode()
    r = client.post("/api/v1/analyze", files={"file": ("notes.txt", raw, "text/plain")},
                    data={"options": orjson.dumps(FAST).decode()})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["source"]["type"] == "html" and body["metadata"]["url"] is None
    assert PAYLOADS[0] in body["text"] and "window.__xss = 30" not in body["text"]  # live <script> dropped, text kept
    r = client.post("/api/v1/analyze", files={"file": ("evil.html", ARTICLE.encode(), "text/html")},
                    data={"options": orjson.dumps(FAST).decode()})
    assert r.status_code == 200 and r.json()["source"]["type"] == "text" and r.json()["text"] == ARTICLE


@pytest.mark.parametrize("path", [
    "/static/../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd", "/static/..%2F..%2F..%2Fetc%2Fpasswd",
    "/static/%252e%252e%252fetc%252fpasswd", "/static/....//....//etc/passwd", "/static//etc/passwd",
    "/static/..\\..\\pyproject.toml", "/static/report.html.j2", "/static/__init__.py", "/static/%00",
    "/documents/..%2F..%2Fetc%2Fpasswd", "/api/v1/documents/..%2F..%2Fetc%2Fpasswd", "/etc/passwd",
    "/..%2F..%2Fetc%2Fpasswd",
])
def test_no_route_serves_a_user_given_path(client, path):
    r = client.get(path)
    assert r.status_code == 404, (path, r.status_code)
    assert "root:" not in r.text and "[project]" not in r.text
