"""The report and the web UI in a real browser (Debian's Chromium, driven by Playwright).

Skips when /usr/bin/chromium is missing (`.ci/run` installs it: apt-get install chromium chromium-driver).
Set UNSPUN_UPDATE_SCREENSHOT=1 to refresh docs/report.png (the README's screenshot) from this run.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPO

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "tests" / "artifacts"
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]

if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium: install it with `apt-get install -y chromium chromium-driver` to run the browser tests",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")

XSS_TEXT = (
    "Council accused of cover-up\n\n"
    "The council's so-called experts are a disgrace, critics said on Monday.\n"
    "<script>window.__pwned = 1; alert('script ran')</script>\n"
    "<img src=x onerror=\"window.__pwned = 2; alert('onerror ran')\">\n"
    "<a href=\"javascript:window.__pwned=3\">read the javascript:alert(document.domain) report</a>\n"
    "<svg onload=\"window.__pwned=4\"></svg>\n"
)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.dialogs = []  # any alert/confirm the page opens
    pg.console_errors = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    yield pg
    context.close()


@pytest.fixture(scope="module")
def example_doc():
    import unspun

    doc = unspun.analyze_file(EXAMPLES / "opinion-loaded.txt", model="fast", min_score=0.05)
    doc.source_value = "examples/opinion-loaded.txt"  # the README screenshot shows the repository path, not this machine's
    return doc


@pytest.fixture(scope="module")
def report_file(example_doc, tmp_path_factory) -> Path:
    from unspun.render import html

    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(html.render_report([example_doc]), encoding="utf-8")
    return path


def test_static_report_highlights_details_and_filters(page, report_file, example_doc):
    from unspun import taxonomy

    page.goto(report_file.as_uri())
    marks = page.locator("mark.k-techniques")
    assert marks.count() >= len({(t.start, t.end, t.technique) for t in example_doc.techniques}) > 0
    assert page.locator(".legend li").count() == len({t.technique for t in example_doc.techniques})

    # click a span: its technique, definition and score appear
    first = example_doc.techniques[0]
    page.locator(f"#d0-{first.id}").click()
    detail = page.locator(".detail")
    assert detail.is_visible()
    assert taxonomy.by_name(first.technique).definition in detail.inner_text()
    assert f"{first.score:.2f}" in detail.inner_text()

    # the keyboard reaches spans too
    page.locator("mark[tabindex]").nth(1).focus()
    second = page.evaluate("document.activeElement.dataset.ref")
    assert second and page.locator(".detail").inner_text()

    # turning a technique off removes its highlight, and only its
    tech = taxonomy.by_name(first.technique).id
    target = page.locator(f"mark.k-techniques[data-tech='{tech}']").first
    before = target.evaluate("e => getComputedStyle(e).backgroundColor")
    page.locator(f"input.tech-toggle[value='{tech}']").uncheck()
    assert target.evaluate("e => getComputedStyle(e).backgroundColor") in ("rgba(0, 0, 0, 0)", "transparent") != before
    others = page.locator(f"mark.k-techniques:not([data-tech='{tech}'])")
    if others.count():
        assert "off" not in (others.first.get_attribute("class") or "")
    page.locator(f"input.tech-toggle[value='{tech}']").check()
    assert "off" not in (target.get_attribute("class") or "")

    # the minimum-score slider hides weaker detections
    page.locator("input.min-score").fill("0.5")
    weak = [t for t in example_doc.techniques if t.score < 0.5]
    if weak:
        assert "below" in page.locator(f"#d0-{weak[0].id}").get_attribute("class")
    page.locator("input.min-score").fill("0")

    # under the strict CSP nothing was refused: styles and script both applied
    assert not [e for e in page.console_errors if "Content Security Policy" in e or "Refused" in e], page.console_errors
    assert page.evaluate("document.documentElement.classList.contains('has-js')")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator(f"#d0-{first.id}").click()
    page.evaluate("window.scrollTo(0, 0)")  # the top of the report: the summary, the layers, the text and its detail box
    page.screenshot(path=str(ARTIFACTS / "report.png"))
    docs_png = REPO / "docs" / "report.png"
    if os.environ.get("UNSPUN_UPDATE_SCREENSHOT") == "1" or not docs_png.exists():
        shutil.copyfile(ARTIFACTS / "report.png", docs_png)


def test_report_reads_without_javascript(browser, report_file):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(report_file.as_uri())
    assert pg.locator("mark.k-techniques").count() > 0
    assert pg.locator(".panel").count() >= 4 and pg.locator("figure svg").count() >= 2
    assert not pg.locator("input.min-score").is_visible()  # controls that need the script stay hidden
    context.close()


def test_hostile_article_renders_as_text(page, tmp_path):
    import unspun
    from unspun.render import html

    doc = unspun.analyze_text(XSS_TEXT, model="fast", stages=["techniques"])
    path = tmp_path / "xss.html"
    path.write_text(html.render_report([doc]), encoding="utf-8")
    page.goto(path.as_uri())
    _assert_inert(page)


def _assert_inert(page) -> None:
    text = page.locator(".article").inner_text()
    assert "<script>window.__pwned = 1;" in text and "<img src=x onerror=" in text and 'href="javascript:' in text
    for link in page.locator("a").all():
        href = (link.get_attribute("href") or "").strip().lower()
        assert not href.startswith("javascript:"), href
    page.locator(".article").click()
    page.mouse.click(5, 5)
    time.sleep(0.2)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.dialogs == []
    assert page.locator(".article script, .article img, .article svg").count() == 0


# --- the web UI against a real uvicorn server ------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server_app(tmp_path_factory):
    """The app behind `server` (tests may adjust its config, e.g. `form_wait_s`, and must restore it)."""
    from unspun.corpus.store import Store
    from unspun.server import ServerConfig, create_app

    store = Store(f"sqlite:///{tmp_path_factory.mktemp('db') / 'web.db'}")
    app = create_app(ServerConfig(port=_free_port(), model="fast"), store=store)
    yield app
    store.close()


@pytest.fixture(scope="module")
def server(server_app):
    import uvicorn

    port = server_app.state.config.port
    srv = uvicorn.Server(uvicorn.Config(server_app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def _submit(page, base: str, text: str) -> str:
    page.goto(base + "/")
    page.fill("#f-text", text)
    page.select_option("#f-model", "fast")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/documents/*", timeout=60_000)
    return page.url


def test_web_ui_submit_report_and_recent(page, server):
    article = (EXAMPLES / "wire-report.txt").read_text(encoding="utf-8")
    url = _submit(page, server, article)
    assert page.locator(".article").inner_text().strip() == article.strip()
    title = page.locator("h1").first.inner_text()
    page.goto(server + "/recent")
    link = page.locator(f"a[href='{url[len(server):]}']")
    assert link.count() == 1 and link.inner_text() == title
    link.click()
    page.wait_for_url(url)
    assert not [e for e in page.console_errors if "Content Security Policy" in e or "Refused" in e], page.console_errors

    # delete it from the report page; it leaves the recent list
    page.click("button.danger")
    page.wait_for_url(server + "/recent")
    assert page.locator(f"a[href='{url[len(server):]}']").count() == 0


def test_web_ui_hostile_article(page, server):
    _submit(page, server, XSS_TEXT)
    _assert_inert(page)


def test_swagger_ui_works_under_the_csp(page, server):
    page.goto(server + "/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
    assert "unspun" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock").count() >= 5
    assert not [e for e in page.console_errors if "Content Security Policy" in e or "unsafe-eval" in e], page.console_errors
