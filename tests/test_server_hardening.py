"""Server hardening, through the real app (TestClient) and a real `unspun serve` on loopback: cross-site writes,
CSRF, keeping analyses made with other options, token length and throttling, Host checks, paging bounds, the
server's time-limit message, 405's Allow header, and a clean shutdown (no leaked semaphores)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from fastapi.testclient import TestClient

from unspun.corpus.store import Store
from unspun.errors import UsageError
from unspun.server import ServerConfig, create_app

BASE = "http://127.0.0.1"
TEXT = ('"We will not back down," the minister said on Tuesday. Critics called the plan a disgrace and a betrayal. '
        "The agency said the figures had been checked twice. They lied to you. They lied again.")
FAST = {"model": "fast", "stages": ["techniques", "quotes"]}
TOKEN = "s3cret-token-for-tests"


def error(r, status: int, code: str) -> str:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json"), r.headers
    body = r.json()
    assert set(body) == {"error"} and body["error"]["code"] == code, body
    assert body["error"]["message"]
    return body["error"]["message"]


def form_token(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = Store(f"sqlite:///{tmp_path_factory.mktemp('db') / 'hardening.db'}")
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(store):
    app = create_app(ServerConfig(model="fast"), store=store)
    with TestClient(app, base_url=BASE) as c:
        yield c


def exposed_app(store, **config):
    return create_app(ServerConfig(host="0.0.0.0", token=TOKEN, model="fast", warm_up=False, **config), store=store)


# --- 1. cross-site writes --------------------------------------------------------------------------------------
def test_json_bodies_must_say_application_json(client):
    """A page on any site can send text/plain (or an untyped Blob) without a preflight: refused, nothing stored."""
    before = client.get("/api/v1/documents").json()["total"]
    body = b'{"text": "They lied to you. They lied again.", "options": {"model": "fast"}}'
    error(client.post("/api/v1/analyze", content=body, headers={"content-type": "text/plain"}), 415,
          "unsupported_media_type")
    error(client.post("/api/v1/analyze", content=body), 415, "unsupported_media_type")  # no Content-Type at all
    assert client.get("/api/v1/documents").json()["total"] == before


@pytest.mark.parametrize("headers", [
    {"origin": "http://evil.example"},
    {"origin": "http://127.0.0.1:9999"},  # another port is another origin
    {"origin": "null"},  # a sandboxed frame or a data: page
    {"sec-fetch-site": "cross-site"},
    {"sec-fetch-site": "same-site"},
    {"sec-fetch-site": "cross-site", "origin": "http://127.0.0.1"},
])
def test_cross_site_writes_are_refused(client, stored_id, headers):
    before = client.get("/api/v1/documents").json()["total"]
    json_body = {"text": TEXT + " Cross-site.", "options": FAST}
    error(client.post("/api/v1/analyze", json=json_body, headers=headers), 403, "cross_site")
    error(client.post("/api/v1/analyze", files={"file": ("a.txt", TEXT.encode(), "text/plain")}, headers=headers),
          403, "cross_site")
    error(client.delete(f"/api/v1/documents/{stored_id}", headers=headers), 403, "cross_site")
    csrf = form_token(client.get("/").text)  # even with a valid CSRF token
    error(client.post("/analyze", data={"text": TEXT, "csrf": csrf}, headers=headers, follow_redirects=False),
          403, "cross_site")
    error(client.post(f"/documents/{stored_id}/delete", data={"csrf": csrf}, headers=headers), 403, "cross_site")
    error(client.post("/login", data={"token": "x", "csrf": csrf}, headers=headers), 403, "cross_site")
    assert client.get("/api/v1/documents").json()["total"] == before
    assert client.get(f"/api/v1/documents/{stored_id}").status_code == 200
    # reads are not writes: a cross-site GET is answered as usual (CORP and the CSP keep its body from the page)
    assert client.get("/api/v1/techniques", headers=headers).status_code == 200


@pytest.fixture(scope="module")
def stored_id(client) -> str:
    r = client.post("/api/v1/analyze", json={"text": TEXT, "options": FAST})
    assert r.status_code == 200, r.text
    return r.json()["id"]


def test_same_origin_and_headerless_writes_go_on(client):
    same = {"origin": BASE, "sec-fetch-site": "same-origin"}
    up = client.post("/api/v1/analyze", files={"file": ("a.txt", (TEXT + " Uploaded.").encode(), "text/plain")},
                     data={"options": '{"model": "fast", "stages": ["techniques"]}'}, headers=same)
    assert up.status_code == 200, up.text
    assert client.delete(f"/api/v1/documents/{up.json()['id']}", headers={"origin": BASE + ":80"}).status_code == 204
    # behind a proxy that rewrites Host, the browser's Sec-Fetch-Site still says same-origin
    proxied = {"origin": "https://unspun.example.org", "sec-fetch-site": "same-origin"}
    assert client.delete("/api/v1/documents/none", headers=proxied).status_code == 404
    r = client.post("/api/v1/analyze", json={"text": TEXT + " Scripted.",
                                             "options": {"model": "fast", "stages": ["techniques"]}})
    assert r.status_code == 200  # curl and scripts send neither header
    csrf = form_token(client.get("/").text)
    r = client.post("/analyze", data={"text": TEXT + " Typed.", "model": "fast", "csrf": csrf}, headers=same,
                    follow_redirects=False)
    assert r.status_code == 303


def test_the_csrf_form_token_is_signed_not_the_cookie(client):
    page = client.get("/")
    cookie, token = client.cookies.get("unspun_csrf"), form_token(page.text)
    assert cookie and token and cookie != token
    for bad in (cookie, token[:-1] + ("0" if token[-1] != "0" else "1"), ""):
        r = client.post("/analyze", data={"text": TEXT, "csrf": bad})
        assert r.status_code == 403, bad
    other = TestClient(client.app, base_url=BASE)  # another browser's token does not fit this browser's cookie
    other_token = form_token(other.get("/").text)
    assert client.post("/analyze", data={"text": TEXT, "csrf": other_token}).status_code == 403


def test_other_options_never_replace_a_stored_analysis(client):
    text = TEXT + " Options matter."
    first = client.post("/api/v1/analyze", json={"text": text, "options": FAST}).json()
    assert first["quotes"], first["quotes"]
    again = client.post("/api/v1/analyze", json={"text": text, "options": FAST}).json()
    assert again["id"] == first["id"]  # the same options: the same analysis, in place
    other = {"model": "fast", "min_score": 1.0, "stages": ["techniques"]}
    second = client.post("/api/v1/analyze", json={"text": text, "options": other}).json()
    assert second["id"] != first["id"] and second["quotes"] == []
    kept = client.get(f"/api/v1/documents/{first['id']}").json()
    assert kept["quotes"] == first["quotes"] and kept["options"] == first["options"]
    assert client.get(f"/api/v1/documents/{second['id']}").json()["options"]["min_score"] == 1.0
    assert client.post("/api/v1/analyze", json={"text": text, "options": other}).json()["id"] == second["id"]
    # asked for: replaced under the first id
    replaced = client.post("/api/v1/analyze", json={"text": text, "options": other, "replace": True}).json()
    assert replaced["id"] == first["id"]
    assert client.get(f"/api/v1/documents/{first['id']}").json()["quotes"] == []
    # uploads too: a `replace` form field
    up = client.post("/api/v1/analyze", files={"file": ("a.txt", text.encode(), "text/plain")},
                     data={"options": '{"model": "fast", "stages": ["techniques", "quotes"]}', "replace": "true"})
    assert up.status_code == 200 and up.json()["id"] == first["id"]
    assert client.get(f"/api/v1/documents/{first['id']}").json()["quotes"]


# --- 2. tokens: length and throttled failures ---------------------------------------------------------------------
def test_short_tokens_are_refused_off_loopback():
    with pytest.raises(UsageError, match="at least 16 characters"):
        ServerConfig(host="0.0.0.0", token="a").check()
    with pytest.raises(UsageError, match="at least 16 characters"):
        ServerConfig(host="192.0.2.10", token="x" * 15).check()
    ServerConfig(host="0.0.0.0", token="x" * 16).check()
    ServerConfig(host="127.0.0.1", token="a").check()  # on loopback the token is not used


def test_serve_refuses_a_short_token_with_a_clear_message():
    env = {**os.environ, "UNSPUN_TOKEN": "a", "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run([sys.executable, "-m", "unspun", "serve", "--host", "0.0.0.0", "--port", "1"], env=env,
                          capture_output=True, timeout=120)
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "UNSPUN_TOKEN" in err and "16 characters" in err and "Traceback" not in err


def test_wrong_bearer_tokens_are_throttled(store):
    with TestClient(exposed_app(store), base_url="http://192.0.2.10") as c:
        limit = c.app.state.throttle.limit
        ok = {"authorization": f"Bearer {TOKEN}"}
        assert c.get("/api/v1/techniques", headers=ok).status_code == 200
        for i in range(limit):  # bounded: the limit's worth of wrong guesses, then one more
            error(c.get("/api/v1/techniques", headers={"authorization": f"Bearer wrong-{i}"}), 401, "unauthorized")
        r = c.get("/api/v1/techniques", headers={"authorization": "Bearer wrong-again"})
        error(r, 429, "too_many_requests")
        assert 1 <= int(r.headers["retry-after"]) <= 60
        error(c.get("/api/v1/techniques", headers=ok), 429, "too_many_requests")  # even the right token, for a while
        csrf = form_token(c.get("/login").text)
        error(c.post("/login", data={"token": TOKEN, "csrf": csrf}), 429, "too_many_requests")  # shared with the login
        assert c.get("/healthz").status_code == 200


def test_wrong_login_tokens_are_throttled(store):
    with TestClient(exposed_app(store), base_url="http://192.0.2.10") as c:
        csrf = form_token(c.get("/login").text)
        for i in range(c.app.state.throttle.limit):
            assert c.post("/login", data={"token": f"guess-{i}", "csrf": csrf}).status_code == 401
        r = c.post("/login", data={"token": TOKEN, "csrf": csrf}, follow_redirects=False)
        error(r, 429, "too_many_requests")
        assert r.headers["retry-after"].isdigit()
        error(c.get("/api/v1/techniques", headers={"authorization": f"Bearer {TOKEN}"}), 429, "too_many_requests")


def test_the_throttle_forgets_after_its_window():
    from unspun.server.auth import Throttle

    t = Throttle(limit=3, window_s=0.3)
    for _ in range(3):
        assert t.retry_after("a") is None
        t.failed("a")
    assert t.retry_after("a") == 1 and t.retry_after("b") is None
    time.sleep(0.35)
    assert t.retry_after("a") is None
    t.failed("a")
    t.succeeded("a")
    assert t.retry_after("a") is None
    small = Throttle(limit=1, window_s=60, max_clients=2)
    for client in ("a", "b", "c"):
        small.failed(client)
    assert small.retry_after("a") is None and small.retry_after("c") == 60  # memory stays bounded


# --- 3. Host checks -----------------------------------------------------------------------------------------------
def test_any_loopback_bind_address_answers_and_bad_hosts_get_json(store):
    app = create_app(ServerConfig(host="127.0.0.2", model="fast", warm_up=False), store=store)
    with TestClient(app, base_url="http://127.0.0.2:8000") as c:
        assert c.get("/healthz").status_code == 200
        for host in ("127.0.0.2", "127.0.0.1:8000", "localhost:8000", "[::1]:8000", "127.255.0.9"):
            assert c.get("/healthz", headers={"host": host}).status_code == 200, host
        for host in ("evil.example", "evil.example:8000", "127.0.0.2.nip.io", "", "0.0.0.0"):
            error(c.get("/api/v1/techniques", headers={"host": host}), 400, "invalid_host")
            error(c.get("/", headers={"host": host, "accept": "text/html"}), 400, "invalid_host")
    app = create_app(ServerConfig(host="localhost", model="fast", warm_up=False), store=store)
    with TestClient(app, base_url="http://localhost:8000") as c:
        assert c.get("/healthz").status_code == 200
        error(c.get("/healthz", headers={"host": "rebind.example"}), 400, "invalid_host")


# --- 4. paging bounds ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", [
    "/api/v1/documents?offset=9223372036854775808",
    "/api/v1/documents?offset=9223372036854775807",
    "/api/v1/documents?offset=-1",
    "/api/v1/documents?limit=99999999999999999999",
    "/recent?page=99999999999999999999",
    "/recent?page=0",
    "/corpus/documents?page=99999999999999999999",
])
def test_paging_out_of_range_is_422(client, path):
    error(client.get(path), 422, "validation_error")


def test_paging_far_but_in_range_is_empty(client):
    r = client.get("/api/v1/documents?offset=1000000000000")
    assert r.status_code == 200 and r.json()["items"] == []
    assert client.get("/recent?page=1000000000").status_code == 200


# --- 5. the server's time limit names the server's setting --------------------------------------------------------
def test_time_limit_message_names_the_server_setting(store, monkeypatch):
    monkeypatch.setenv("UNSPUN_SERVER_TIME_LIMIT", "0.000001")
    app = create_app(ServerConfig(model="fast", warm_up=False), store=store)
    with TestClient(app, base_url=BASE) as c:
        message = error(c.post("/api/v1/analyze", json={"text": TEXT, "options": FAST}), 422, "time_limit")
    assert "UNSPUN_SERVER_TIME_LIMIT" in message and "1e-06 s" in message
    assert "--time-limit" not in message and "UNSPUN_TIME_LIMIT" not in message.replace("UNSPUN_SERVER_TIME_LIMIT", "")


# --- 6. 405 lists every allowed method ----------------------------------------------------------------------------
def test_405_allow_lists_every_method_of_the_path(client):
    r = client.put("/api/v1/documents/anything")
    error(r, 405, "method_not_allowed")
    assert {m.strip() for m in r.headers["allow"].split(",")} == {"GET", "DELETE"}
    r = client.patch("/api/v1/techniques")
    error(r, 405, "method_not_allowed")
    assert r.headers["allow"] == "GET"
    r = client.get("/api/v1/analyze")
    error(r, 405, "method_not_allowed")
    assert r.headers["allow"] == "POST"


# --- 7. a real `unspun serve` stops cleanly -----------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_stops_without_leaking_semaphores(tmp_path, sig):
    port = _free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "UNSPUN_DEBUG": ""}
    env.pop("UNSPUN_TOKEN", None)
    proc = subprocess.Popen([sys.executable, "-m", "unspun", "serve", "--port", str(port), "--model", "fast",
                             "--db", f"sqlite:///{tmp_path / 'serve.db'}"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, proc.communicate()[1].decode()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.5)
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/analyze", method="POST",
                                     data=b'{"text": "They lied to you. They lied again.", '
                                          b'"options": {"model": "fast", "stages": ["techniques"]}}',
                                     headers={"content-type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            assert r.status == 200
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    text = err.decode()
    assert "leaked semaphore" not in text and "resource_tracker" not in text, text
    assert "Traceback" not in text, text
