"""The REST API and web UI through FastAPI's TestClient: every endpoint, every error code, the auth rules.

Real models (`fast`), a real SQLite store in a temporary folder; one app per module, so models load once.
"""

from __future__ import annotations

import re
import time

import orjson
import pytest
from fastapi.testclient import TestClient

from conftest import EXAMPLES
from unspun import taxonomy
from unspun.corpus.store import Store
from unspun.errors import UsageError
from unspun.server import ServerConfig, create_app

BASE = "http://127.0.0.1"
ARTICLE = (EXAMPLES / "opinion-loaded.txt").read_text(encoding="utf-8")
FAST = {"model": "fast", "stages": ["techniques"]}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = Store(f"sqlite:///{tmp_path_factory.mktemp('db') / 'server.db'}")
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(store):
    app = create_app(ServerConfig(model="fast", queue_size=1), store=store)
    with TestClient(app, base_url=BASE) as c:
        yield c


@pytest.fixture(scope="module")
def stored(client):
    r = client.post("/api/v1/analyze", json={"text": ARTICLE, "options": FAST})
    assert r.status_code == 200, r.text
    return r.json()


def error(r, status: int, code: str) -> str:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and body["error"]["code"] == code, body
    assert body["error"]["message"]
    return body["error"]["message"]


def test_analyze_text_returns_the_document_with_an_id(stored):
    assert stored["schema"] == "unspun/1" and re.fullmatch(r"[0-9a-f]+", stored["id"])
    assert stored["text"] == ARTICLE
    assert stored["techniques"] and all(ARTICLE[t["start"]:t["end"]] == t["text"] for t in stored["techniques"])
    assert stored["options"]["model"] == "fast"


def test_get_list_and_delete(client):
    made = client.post("/api/v1/analyze", json={"text": "A short, calm note about the weather in town today.", "options": FAST}).json()
    r = client.get(f"/api/v1/documents/{made['id']}")
    assert r.status_code == 200 and r.json()["text"] == made["text"] and r.json()["id"] == made["id"]
    listing = client.get("/api/v1/documents", params={"limit": 50}).json()
    assert listing["total"] >= 1 and made["id"] in [i["id"] for i in listing["items"]]
    item = next(i for i in listing["items"] if i["id"] == made["id"])
    assert set(item) == {"id", "title", "site", "created_at", "counts"} and "techniques" in item["counts"]
    page2 = client.get("/api/v1/documents", params={"limit": 1, "offset": 1}).json()
    assert len(page2["items"]) <= 1 and page2["total"] == listing["total"]
    assert client.delete(f"/api/v1/documents/{made['id']}").status_code == 204
    error(client.get(f"/api/v1/documents/{made['id']}"), 404, "not_found")
    error(client.delete(f"/api/v1/documents/{made['id']}"), 404, "not_found")
    error(client.get("/api/v1/documents", params={"limit": 0}), 422, "validation_error")


def test_analyze_html_and_upload_read_by_content(client):
    page = (EXAMPLES / "saved-page.html").read_text(encoding="utf-8")
    r = client.post("/api/v1/analyze", json={"html": page, "options": FAST})
    assert r.status_code == 200 and r.json()["metadata"]["site"] == "The Valley Ledger"
    # an HTML page uploaded under a .txt name is still read as HTML; a text file named .html is still text
    r = client.post("/api/v1/analyze", files={"file": ("notes.txt", page.encode(), "text/plain")},
                    data={"options": orjson.dumps(FAST).decode()})
    assert r.status_code == 200, r.text
    assert r.json()["source"]["type"] == "html" and "<" not in r.json()["text"][:50]
    r = client.post("/api/v1/analyze", files={"file": ("page.html", b"Just words, <b> and all.", "text/html")},
                    data={"options": orjson.dumps(FAST).decode()})
    assert r.status_code == 200 and r.json()["text"] == "Just words, <b> and all."
    error(client.post("/api/v1/analyze", files={"file": ("x.png", b"\x89PNG\r\n\x1a\n\xff\xfe\x00", "image/png")},
                      data={"options": orjson.dumps(FAST).decode()}), 422, "bad_input")
    error(client.post("/api/v1/analyze", files={"file": ("a.txt", b"hello there", "text/plain")}, data={"options": "{bad"}),
          400, "bad_request")
    error(client.post("/api/v1/analyze", files={"file": ("a.txt", b"hello there", "text/plain")},
                      data={"options": '{"model": "huge"}'}), 422, "validation_error")
    error(client.post("/api/v1/analyze", data={"options": "{}"}, files={"other": ("a.txt", b"x", "text/plain")}),
          400, "bad_request")


def test_bad_requests(client):
    error(client.post("/api/v1/analyze", content=b"{not json", headers={"content-type": "application/json"}), 400, "bad_request")
    error(client.post("/api/v1/analyze", json={"text": "words", "options": {"stages": ["nonsense"]}}), 400, "bad_request")
    error(client.post("/api/v1/analyze", content=b"text=x", headers={"content-type": "text/plain"}), 415,
          "unsupported_media_type")
    error(client.post("/api/v1/analyze", json={"url": "http://127.0.0.1:9/", "options": FAST}), 400, "url_refused")
    error(client.post("/api/v1/analyze", json={"url": "javascript:alert(1)"}), 400, "url_refused")
    error(client.get("/api/v1/techniques/nothing"), 404, "not_found")
    error(client.put("/api/v1/techniques"), 405, "method_not_allowed")


def test_unreachable_url_is_502(client):
    # .invalid never resolves (RFC 2606), so no traffic leaves the machine
    error(client.post("/api/v1/analyze", json={"url": "http://unspun-test.invalid/", "options": FAST}), 502, "url_unreachable")


@pytest.mark.parametrize("body", [
    {"text": "   \n "},
    {},
    {"text": "a", "html": "<p>b</p>"},
    {"text": "fine", "options": {"model": "huge"}},
    {"text": "fine", "options": {"min_score": 2}},
    {"text": "fine", "extra": 1},
    {"html": "<html><body><nav>menu</nav></body></html>", "options": FAST},
])
def test_validation_errors_are_422(client, body):
    r = client.post("/api/v1/analyze", json=body)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] in ("validation_error", "bad_input")


def test_size_limit_is_413(store):
    app = create_app(ServerConfig(model="fast", max_bytes=1000, warm_up=False), store=store)
    with TestClient(app, base_url=BASE) as c:
        error(c.post("/api/v1/analyze", json={"text": "x" * 1001}), 413, "too_large")  # the text itself
        error(c.post("/api/v1/analyze", content=b"{" + b" " * 100_000 + b"}", headers={"content-type": "application/json"}),
              413, "too_large")  # the body cap, on Content-Length, before reading
        chunks = iter([b"{"] + [b" " * 10_000] * 10 + [b"}"])  # no Content-Length: counted as it arrives
        error(c.post("/api/v1/analyze", content=chunks, headers={"content-type": "application/json"}), 413, "too_large")
        error(c.post("/api/v1/analyze", files={"file": ("a.txt", b"y" * 1500, "text/plain")}), 413, "too_large")


def test_time_limit_is_a_clear_error_that_frees_the_worker(store, monkeypatch):
    monkeypatch.setenv("UNSPUN_SERVER_TIME_LIMIT", "0.000001")
    app = create_app(ServerConfig(model="fast", warm_up=False), store=store)
    assert app.state.config.time_limit == 0.000001
    with TestClient(app, base_url=BASE) as c:
        executor = app.state.pool._executor
        message = error(c.post("/api/v1/analyze", json={"text": ARTICLE, "options": FAST}), 422, "time_limit")
        assert "limit of 1e-06 s per document" in message
        # the pipeline stopped itself at the soft limit (its own message), long before the hard limit's kill:
        # the worker was neither killed nor replaced
        assert message.startswith("analysis took longer than the server's limit"), message
        assert "was stopped" not in message
        assert app.state.pool._executor is executor
        assert app.state.pool.in_flight == 0
    with pytest.raises(UsageError, match="time limit"):
        ServerConfig(time_limit=-1).check()


def test_full_queue_answers_503_at_once(client):
    pool = client.app.state.pool
    taken = 0
    while pool.try_acquire():  # occupy every worker and queue slot, as long analyses would
        taken += 1
    try:
        r = client.post("/api/v1/analyze", json={"text": "Some words.", "options": FAST})
        error(r, 503, "busy")
        assert r.headers["retry-after"].isdigit()
        assert "content-security-policy" in r.headers
        # shed before the body is read: even a body that is not JSON gets 503, not 400
        r = client.post("/api/v1/analyze", content=b"{not json", headers={"content-type": "application/json"})
        error(r, 503, "busy")
    finally:
        for _ in range(taken):
            pool.release()
    assert client.post("/api/v1/analyze", json={"text": "Some words.", "options": FAST}).status_code == 200


def test_techniques_and_health(client, stored):
    items = client.get("/api/v1/techniques").json()
    assert [i["technique"] for i in items] == list(taxonomy.NAMES)
    assert all(set(i) >= {"id", "technique", "definition", "example"} and i["definition"] for i in items)
    ids = {i["id"] for i in items}
    assert all(t["definition_id"] in ids for t in stored["techniques"])
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and "techniques" in health["models"]


def test_security_headers_on_every_response(client):
    for r in (client.get("/healthz"), client.get("/"), client.get("/nope"), client.post("/api/v1/analyze", json={}),
              client.get("/docs"), client.get("/static/swagger-ui.css")):
        csp = r.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"


def test_swagger_ui_is_served_locally(client):
    page = client.get("/docs").text
    srcs = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert srcs and all(s.startswith("/static/") for s in srcs), srcs
    for s in srcs:
        assert client.get(s).status_code == 200
    spec = client.get("/openapi.json").json()
    assert {"/api/v1/analyze", "/api/v1/documents", "/api/v1/documents/{doc_id}", "/api/v1/techniques", "/healthz"} <= set(spec["paths"])
    for bad in ("/static/..%2F..%2Fcli.py", "/static/report.css", "/static/../server/app.py", "/static/%2e%2e/%2e%2e/etc/passwd"):
        assert client.get(bad).status_code == 404, bad


def test_dns_rebinding_host_is_refused(client):
    assert client.get("/healthz", headers={"host": "evil.example"}).status_code == 400


def form_token(html: str) -> str:
    """The CSRF token a page's form carries (an HMAC of the cookie, not the cookie itself)."""
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _csrf(client) -> str:
    return form_token(client.get("/").text)


def test_web_ui_analyse_report_recent_delete(client):
    token = _csrf(client)
    assert token
    article = ARTICLE + "\nSent through the web form."  # another text: stored ids follow the content
    error_page = client.post("/analyze", data={"text": article, "model": "fast"}, follow_redirects=False)
    assert error_page.status_code == 403  # no CSRF token in the form
    r = client.post("/analyze", data={"text": article, "model": "fast", "csrf": token}, follow_redirects=False)
    assert r.status_code == 303
    location = r.headers["location"]
    report = client.get(location)
    assert report.status_code == 200 and 'class="m k-techniques' in report.text and "Delete this analysis" in report.text
    assert location in client.get("/recent").text
    doc_id = location.rsplit("/", 1)[1]
    assert client.post(f"/documents/{doc_id}/delete", data={"csrf": "wrong" * 5}, follow_redirects=False).status_code == 403
    r = client.post(f"/documents/{doc_id}/delete", data={"csrf": token}, follow_redirects=False)
    assert r.status_code == 303 and client.get(location).status_code == 404
    empty = client.post("/analyze", data={"text": "  ", "csrf": token})
    assert empty.status_code == 422 and "Paste some text" in empty.text
    refused = client.post("/analyze", data={"url": "http://localhost/", "csrf": token})
    assert refused.status_code == 400 and "refused" in refused.text


def test_cookies_are_httponly_and_strict(client):
    client.cookies.clear()
    r = client.get("/")
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


# --- auth off loopback --------------------------------------------------------------------------------------
def test_refuses_to_expose_without_a_token():
    with pytest.raises(UsageError, match="UNSPUN_TOKEN"):
        ServerConfig(host="0.0.0.0", token=None).check()
    ServerConfig(host="0.0.0.0", token=None, insecure_no_auth=True).check()
    ServerConfig(host="::1", token=None).check()


@pytest.fixture(scope="module")
def exposed(store):
    app = create_app(ServerConfig(host="0.0.0.0", token="s3cret-token-for-tests", model="fast", warm_up=False), store=store)
    with TestClient(app, base_url="http://192.0.2.10") as c:
        yield c


def test_api_needs_the_bearer_token(exposed, stored):
    assert exposed.get("/healthz").status_code == 200
    error(exposed.get("/api/v1/techniques"), 401, "unauthorized")
    error(exposed.get("/api/v1/techniques", headers={"authorization": "Bearer wrong"}), 401, "unauthorized")
    ok = {"authorization": "Bearer s3cret-token-for-tests"}
    assert exposed.get("/api/v1/techniques", headers=ok).status_code == 200
    assert exposed.get(f"/api/v1/documents/{stored['id']}", headers=ok).status_code == 200
    error(exposed.post("/api/v1/analyze", json={"text": "x"}), 401, "unauthorized")


def test_web_ui_login_session_and_csrf(exposed, stored):
    r = exposed.get("/recent", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    assert exposed.get("/docs", follow_redirects=False).status_code == 303
    assert exposed.get("/static/swagger-ui-bundle.js", follow_redirects=False).status_code == 303
    login = exposed.get("/login")
    assert 'name="csrf"' in login.text
    csrf = form_token(login.text)
    assert exposed.post("/login", data={"token": "s3cret-token-for-tests", "csrf": exposed.cookies.get("unspun_csrf")},
                        follow_redirects=False).status_code == 403  # the bare cookie value is not the form's token
    assert exposed.post("/login", data={"token": "s3cret-token-for-tests"}, follow_redirects=False).status_code == 403
    bad = exposed.post("/login", data={"token": "nope", "csrf": csrf, "next": "/recent"}, follow_redirects=False)
    assert bad.status_code == 401
    r = exposed.post("/login", data={"token": "s3cret-token-for-tests", "csrf": csrf, "next": "//evil.example/"},
                     follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"  # never an off-site redirect
    cookie = r.headers["set-cookie"].lower()
    assert "unspun_session=" in cookie and "httponly" in cookie and "samesite=strict" in cookie
    assert exposed.get("/recent").status_code == 200
    assert exposed.get(f"/documents/{stored['id']}").status_code == 200
    # the session cookie may read the API (the report's JSON link) but never change anything through it
    assert exposed.get(f"/api/v1/documents/{stored['id']}").status_code == 200
    error(exposed.delete(f"/api/v1/documents/{stored['id']}"), 401, "unauthorized")
    csrf = form_token(exposed.get("/recent").text)  # the form token follows the session, which changed at login
    r = exposed.post("/logout", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303
    exposed.cookies.delete("unspun_session")
    assert exposed.get("/recent", follow_redirects=False).status_code == 303


# --- the corpus dashboard -----------------------------------------------------------------------------------------
def test_dashboard_charts_link_to_their_documents(tmp_path):
    import html as htmllib

    from test_render_html import full_document

    store = Store(f"sqlite:///{tmp_path / 'dash.db'}")
    for site, date in (("Ledger", "2024-05-02"), ("Gazette", "2024-06-10")):
        doc = full_document()
        doc.metadata.site, doc.metadata.date = site, date
        store.save(doc, site=site)
    app = create_app(ServerConfig(warm_up=False), store=store)
    with TestClient(app, base_url=BASE) as c:
        r = c.get("/dashboard", params={"a": "Ledger", "b": "Gazette"})
        assert r.status_code == 200
        titles = re.findall(r"<figcaption>([^<]*)", r.text)
        assert {"Technique rate by site", "Technique rate by month", "Ledger compared with Gazette",
                "Most quoted speakers", "Sources leaned on most"} <= set(titles)
        assert "so-called board" in r.text  # actors and their labels
        links = [htmllib.unescape(h) for h in re.findall(r'xlink:href="([^"]*)"', r.text)]
        assert links and all(h.startswith("corpus/documents?") for h in links)
        for link in {links[0], next(h for h in links if "speaker=" in h)}:
            listing = c.get("/" + link)
            assert listing.status_code == 200 and "Harbour &lt;Swindle&gt;" in listing.text and "/documents/" in listing.text
        one_site = c.get("/corpus/documents", params={"site": "Ledger"}).text
        assert "Documents (1)" in one_site
        assert c.get("/dashboard", params={"since": "not a date"}).status_code == 400
    store.close()


# --- the icon, the report's reference rate, and the form's page for long analyses ----------------------------------
def test_favicon_is_served_and_named_by_every_page(client):
    r = client.get("/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"] == "image/x-icon"
    assert r.content[:4] == b"\x00\x00\x01\x00" and b"PNG" in r.content[:40]  # an icon file holding a PNG
    assert '<link rel="icon" href="/favicon.ico">' in client.get("/").text


def test_a_stored_report_compares_with_this_servers_analyses(client, stored, monkeypatch):
    from unspun.corpus import stats
    from unspun.render import summary

    totals = stats.overall(client.app.state.store, "ptc14")
    assert totals["documents"] >= 1 and totals["words"] >= len(ARTICLE.split())
    page = client.get(f"/documents/{stored['id']}").text
    assert "this server&#39;s analyses" not in page and "PTC training set" in page  # too few analyses to compare with
    monkeypatch.setattr(summary, "MIN_CORPUS_DOCUMENTS", 1)
    page = client.get(f"/documents/{stored['id']}").text
    rate = 1000 * totals["techniques"] / totals["words"]
    assert f'<span data-fig="reference">{rate:.1f}</span> per 1,000 words, over all {totals["documents"]:,} analyses' in page


def _follow(client, job: str):
    """GET a job's page the way its meta refresh does, until it stops being the progress page."""
    page = client.get(job, follow_redirects=False)
    for _ in range(600):
        if page.status_code != 200 or "Running for" not in page.text:
            return page
        assert '<meta http-equiv="refresh" content="2">' in page.text and "<progress" in page.text
        time.sleep(0.1)
        page = client.get(job, follow_redirects=False)
    raise AssertionError("the analysis never finished")


def test_the_form_sends_a_long_analysis_to_a_page_that_follows_it(client):
    config = client.app.state.config
    wait, config.form_wait_s = config.form_wait_s, 0.0  # every analysis counts as long
    try:
        token = _csrf(client)
        text = ARTICLE + "\nFollowed on its own page."
        r = client.post("/analyze", data={"text": text, "model": "fast", "csrf": token, "watch": "1"},
                        follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/jobs/")
        page = _follow(client, r.headers["location"])
        assert page.status_code == 303 and page.headers["location"].startswith("/documents/")
        assert client.get(page.headers["location"]).status_code == 200
        assert client.get(r.headers["location"]).status_code == 404  # a finished job is handed over once
        assert client.app.state.form_jobs.estimate("fast", 1600) > 0  # the next ones get an estimate
        # an error comes back on the form, with what was typed
        r = client.post("/analyze", data={"url": "http://localhost/", "csrf": token, "watch": "1"},
                        follow_redirects=False)
        page = _follow(client, r.headers["location"])
        assert page.status_code == 400 and "refused" in page.text and 'value="http://localhost/"' in page.text
    finally:
        config.form_wait_s = wait
    # without `watch` (a script posting the form) the answer waits for the end, as before
    r = client.post("/analyze", data={"text": text + " Scripted.", "model": "fast", "csrf": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/documents/")
