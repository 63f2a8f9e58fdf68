"""XSS and injection without a browser: every response's security headers, uploads read by content not by name,
and no route serving a user-given path, through FastAPI's TestClient. Kept apart from test_xss.py, whose module
skips when Chromium is missing, so these always run."""

from __future__ import annotations

import re

import orjson
import pytest
from fastapi.testclient import TestClient

from xss_payloads import ARTICLE, FAST, PAYLOADS, hostile_page


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
