"""Safe URL fetching (`unspun.ingest.url`) against real HTTP servers on 127.0.0.1.

Every test runs behind a guard that lets sockets connect only to loopback and resolve only local names, so nothing
here can reach another machine, even by mistake.
"""

from __future__ import annotations

import gzip
import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from urllib.parse import quote, unquote

import pytest

import unspun
from unspun.errors import InputDataError, UrlRefusedError, UrlUnreachableError
from unspun.ingest import url as url_mod
from unspun.ingest.url import Fetched, fetch, is_public_address

MAX = 100_000
BIG = 3 * MAX
GZIP_BOMB = gzip.compress(b"z" * (50 * MAX))
ARTICLE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>Ünïcode news</title></head>"
    "<body><article><p>The minister said “nothing is decided”.</p></article></body></html>"
).encode("utf-8")


# ------------------------------------------------------------------------------------------------------ test server


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request per connection; bodies without Content-Length end at close
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - keep test output quiet
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if body or status == 200:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str, status: int = 302) -> None:
        self._send(status, headers={"Location": location})

    def _drip(self, data: bytes, every: float = 0.2, limit: float = 10.0) -> None:
        end = time.monotonic() + limit
        outcome = "sent it all"
        try:
            for byte in data:
                if time.monotonic() > end:
                    outcome = "ran out of time"
                    break
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(every)
        except OSError:  # the client gave up: that is the point
            outcome = "client gave up"
        self.server.drips.append((self.path, outcome))

    def do_GET(self) -> None:
        self.server.hits.append(self.path)
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        path = self.path
        try:
            if path == "/article":
                self._send(200, ARTICLE, {"Content-Type": 'text/html; charset="UTF-8"'})
            elif path == "/plain":
                self._send(200, b"just text\n", {"Content-Type": "TEXT/Plain"})
            elif path == "/echo":
                lines = [f"{k.lower()}: {v}" for k, v in self.headers.items()]
                self._send(200, "\n".join(lines).encode(), {"Content-Type": "text/plain; charset=utf-8"})
            elif path.startswith("/r/"):  # /r/N: N relative redirects, then one absolute one to the article
                n = int(path[3:])
                self._redirect(f"/r/{n - 1}" if n > 0 else f"{base}/article", 302 if n % 2 else 301)
            elif path == "/to-loopback":
                self._redirect(f"{base}/article")
            elif path == "/to-metadata":
                self._redirect("http://169.254.169.254/latest/meta-data")
            elif path == "/to-file":
                self._redirect("file:///etc/passwd")
            elif path == "/loop":
                self._redirect("/loop")
            elif path == "/no-location":
                self._send(302)
            elif path == "/huge":
                self._send(200, b"a" * BIG, {"Content-Type": "text/plain"})
            elif path == "/huge-unsized":
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                for _ in range(BIG // 10_000):
                    self.wfile.write(b"b" * 10_000)
            elif path == "/slow":
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", "100")
                self.end_headers()
                self.wfile.flush()
                self._drip(b"x" * 100)
            elif path == "/slow-headers":
                self.wfile.write(b"HTTP/1.0 200 OK\r\n")
                self.wfile.flush()
                self._drip(b"X-Drip: " + b"y" * 100)
            elif path.startswith("/go?to="):  # redirect to any URL (percent-encoded in the query)
                self._redirect(unquote(path[len("/go?to="):]))
            elif path.startswith("/slow-redirect/"):  # each hop is quick alone; the chain is not
                n = int(path.rsplit("/", 1)[1])
                time.sleep(0.4)
                self._redirect(f"/slow-redirect/{n - 1}" if n > 0 else "/article")
            elif path == "/gzip-bomb":  # tiny on the wire, BIG once decoded, despite our Accept-Encoding: identity
                self._send(200, GZIP_BOMB, {"Content-Type": "text/plain", "Content-Encoding": "gzip"})
            elif path == "/404":
                self.send_error(404)
            elif path == "/500":
                self.send_error(500)
            else:
                self.send_error(400)
        except OSError:
            pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    hits: list[str]
    drips: list[tuple[str, str]]  # (path, how the drip ended), one per dripped response


@pytest.fixture(scope="module")
def server() -> Iterator[SimpleNamespace]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.hits = []
    httpd.drips = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    port = httpd.server_address[1]
    try:
        yield SimpleNamespace(port=port, base=f"http://127.0.0.1:{port}", hits=httpd.hits, drips=httpd.drips)
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # never listened on: connecting is refused
    return port


# ---------------------------------------------------------------------------------------------------- network guard


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _is_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
        return True
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def net(monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    """Allow TCP connects only to loopback and DNS only for 'localhost'/IP literals; record both."""
    monkeypatch.delenv(url_mod.ALLOW_PRIVATE_ENV, raising=False)
    seen = SimpleNamespace(connects=[], lookups=[])
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def check(sock: socket.socket, address: object) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            host = str(address[0])  # type: ignore[index]
            seen.connects.append(host)
            if not _is_loopback(host):
                raise AssertionError(f"test tried to connect to non-loopback {host}")

    def connect(self: socket.socket, address: object) -> None:
        check(self, address)
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: object) -> int:
        check(self, address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        name = host.decode() if isinstance(host, bytes) else host
        if name is not None and not _is_literal(str(name)):
            seen.lookups.append(name)
            if name != "localhost":
                raise AssertionError(f"test tried to resolve {name!r}")
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return seen


def _loopback_or_public(ip: str) -> bool:
    return _is_loopback(ip) or is_public_address(ip)


# ------------------------------------------------------------------------------------------------- address policy


@pytest.mark.parametrize(
    ("ip", "public"),
    [
        ("8.8.8.8", True),
        ("93.184.216.34", True),
        ("2606:4700:4700::1111", True),
        ("::ffff:8.8.8.8", True),
        ("2002:808:808::1", True),  # 6to4 of a public address
        ("64:ff9b::808:808", True),  # NAT64 of a public address
        ("[2606:4700:4700::1111]", True),
        ("127.0.0.1", False),
        ("127.255.255.254", False),
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("0.1.2.3", False),
        ("224.0.0.1", False),
        ("239.255.255.250", False),
        ("240.0.0.1", False),
        ("255.255.255.255", False),
        ("192.0.2.1", False),  # documentation
        ("198.18.0.1", False),  # benchmarking
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fe80::1%eth0", False),
        ("fc00::1", False),
        ("fd12:3456::1", False),
        ("fec0::1", False),  # site-local
        ("ff02::1", False),
        ("2001:db8::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("::ffff:169.254.169.254", False),
        ("::127.0.0.1", False),  # IPv4-compatible
        ("::8.8.8.8", False),
        ("2002:7f00:1::", False),  # 6to4 of 127.0.0.1
        ("2002:a9fe:a9fe::1", False),  # 6to4 of 169.254.169.254
        ("64:ff9b::7f00:1", False),  # NAT64 of 127.0.0.1
        ("64:ff9b::a00:1", False),  # NAT64 of 10.0.0.1
        ("64:ff9b:1::1", False),  # local-use NAT64
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),  # Teredo
        ("localhost", False),
        ("example.com", False),
        ("", False),
        ("2130706433", False),
    ],
)
def test_is_public_address(ip: str, public: bool) -> None:
    assert is_public_address(ip) is public


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data",
        "https://10.0.0.1/",
        "http://[::1]:8080/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fe80::1%25eth0]/",
        "http://192.168.0.1:443/admin",
        "http://2130706433/",
        "http://0x7f.1/",
        "http://127.1/",
        "http://017700000001/",
    ],
)
def test_redirect_hop_check_refuses_private_literals(url: str, net: SimpleNamespace) -> None:
    # The same check runs on every redirect target; the backend then checks the address actually connected to.
    with pytest.raises(UrlRefusedError, match="not a public address"):
        url_mod._check_url(url, is_public_address)
    assert net.connects == [] and net.lookups == []


def test_redirect_hop_check_accepts_public_literal_without_network(net: SimpleNamespace) -> None:
    assert str(url_mod._check_url("https://93.184.216.34/a?b=1", is_public_address)) == "https://93.184.216.34/a?b=1"
    assert net.connects == [] and net.lookups == []


# ---------------------------------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/article",
        "http://localhost:{port}/article",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://169.254.169.254/latest/meta-data",
        "http://10.0.0.1/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://100.64.0.1/",
        "http://[fc00::1]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://2130706433:{port}/article",
    ],
)
def test_default_refuses_private_addresses_without_connecting(
    url: str, server: SimpleNamespace, net: SimpleNamespace
) -> None:
    hits = len(server.hits)
    with pytest.raises(UrlRefusedError) as info:
        fetch(url.format(port=server.port), max_bytes=MAX)
    assert info.value.exit_code == 77
    assert "\n" not in str(info.value)
    assert net.connects == []
    assert len(server.hits) == hits
    if "localhost" not in url:
        assert net.lookups == []  # IP literals are refused before any DNS look-up


def test_localhost_is_refused_by_the_backend_after_resolving(server: SimpleNamespace, net: SimpleNamespace) -> None:
    hits = len(server.hits)
    with pytest.raises(UrlRefusedError, match="resolves to"):
        fetch(f"http://localhost:{server.port}/article", max_bytes=MAX)
    assert net.lookups == ["localhost"]
    assert net.connects == []
    assert len(server.hits) == hits


def test_backend_refuses_when_any_resolved_address_is_private(
    monkeypatch: pytest.MonkeyPatch, net: SimpleNamespace
) -> None:
    # A rebinding-style answer: one public address and one loopback address. Refused before any connect.
    def answer(host: str, port: int, *args: object, **kwargs: object) -> list[tuple]:
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", answer)
    backend = url_mod._GuardedBackend(is_public_address, time.monotonic() + 5)
    with pytest.raises(UrlRefusedError, match="127.0.0.1"):
        backend.connect_tcp("rebind.example", 80, timeout=1.0)
    assert net.connects == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://x",
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "gopher://127.0.0.1:70/",
        "http://user:pw@example.com/",
        "http://user@example.com/",
        "https://:pw@example.com/",
        "http://",
        "https://",
        "http:///path",
        "http:example.com",
        "//example.com/",
        "not a url",
        "",
        "http://exa mple.com/",
        "http://example.com/ x",
        "http://example.com/\n",
        "http://example.com:99999/",
        "http://example.com:0/",
        "http://example.com:abc/",
        "https://[::1",
        "http://ex%41mple.com/",
        "http://exam_ple.com/",
    ],
)
def test_refuses_bad_urls(url: str, net: SimpleNamespace) -> None:
    with pytest.raises(UrlRefusedError) as info:
        fetch(url, max_bytes=MAX, allow_private=True)
    message = str(info.value)
    assert message and "\n" not in message
    assert net.connects == [] and net.lookups == []


def test_credentials_are_not_echoed_in_the_message() -> None:
    with pytest.raises(UrlRefusedError, match="credentials") as info:
        fetch("https://alice:s3cret@example.com/", max_bytes=MAX)
    assert "s3cret" not in str(info.value) and "alice" not in str(info.value)


def test_env_var_switches_private_addresses_on(
    server: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"{server.base}/article"
    monkeypatch.setenv("UNSPUN_ALLOW_PRIVATE_URLS", "0")
    with pytest.raises(UrlRefusedError):
        fetch(url, max_bytes=MAX)
    monkeypatch.setenv("UNSPUN_ALLOW_PRIVATE_URLS", "1")
    assert fetch(url, max_bytes=MAX).content == ARTICLE
    with pytest.raises(UrlRefusedError):  # an explicit False wins over the environment
        fetch(url, max_bytes=MAX, allow_private=False)


# ------------------------------------------------------------------------------------------ fetching (loopback on)


def test_fetches_html_article(server: SimpleNamespace, net: SimpleNamespace) -> None:
    got = fetch(f"{server.base}/article", max_bytes=MAX, allow_private=True)
    assert isinstance(got, Fetched)
    assert got == Fetched(
        url=f"{server.base}/article", content=ARTICLE, content_type="text/html", charset="utf-8", status=200
    )
    assert set(net.connects) == {"127.0.0.1"}


def test_plain_text_without_charset(server: SimpleNamespace) -> None:
    got = fetch(f"{server.base}/plain", max_bytes=MAX, allow_private=True)
    assert (got.content, got.content_type, got.charset) == (b"just text\n", "text/plain", None)


def test_sends_user_agent_and_accept(server: SimpleNamespace) -> None:
    headers = fetch(f"{server.base}/echo", max_bytes=MAX, allow_private=True).content.decode()
    assert f"user-agent: Mozilla/5.0 (compatible; unspun/{unspun.__version__}; +offline article analysis)" in headers
    assert "accept: text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5" in headers
    assert "authorization" not in headers and "cookie" not in headers


def test_localhost_name_works_when_private_allowed(server: SimpleNamespace) -> None:
    got = fetch(f"http://localhost:{server.port}/article", max_bytes=MAX, allow_private=True)
    assert got.content == ARTICLE


def test_follows_redirect_chain(server: SimpleNamespace) -> None:
    start = len(server.hits)
    got = fetch(f"{server.base}/r/3", max_bytes=MAX, allow_private=True)
    assert got.url == f"{server.base}/article" and got.content == ARTICLE and got.status == 200
    assert server.hits[start:] == ["/r/3", "/r/2", "/r/1", "/r/0", "/article"]


def test_five_redirects_allowed_six_are_not(server: SimpleNamespace) -> None:
    assert fetch(f"{server.base}/r/4", max_bytes=MAX, allow_private=True).content == ARTICLE  # 5 redirects
    with pytest.raises(UrlUnreachableError, match="too many redirects") as info:
        fetch(f"{server.base}/r/5", max_bytes=MAX, allow_private=True)  # 6 redirects
    assert info.value.exit_code == 69


def test_redirect_loop_fails(server: SimpleNamespace) -> None:
    start = len(server.hits)
    with pytest.raises(UrlUnreachableError, match="too many redirects"):
        fetch(f"{server.base}/loop", max_bytes=MAX, allow_private=True)
    assert server.hits[start:] == ["/loop"] * 6


def test_redirect_to_loopback_is_followed_when_allowed(server: SimpleNamespace) -> None:
    assert fetch(f"{server.base}/to-loopback", max_bytes=MAX, allow_private=True).content == ARTICLE


def test_redirect_to_metadata_address_is_refused_end_to_end(server: SimpleNamespace, net: SimpleNamespace) -> None:
    # Every test server is on loopback, so admit loopback and otherwise apply the default policy: the redirect
    # hop to 169.254.169.254 must be refused before any connection to it.
    with pytest.raises(UrlRefusedError, match="redirects to a refused URL .*169.254.169.254 is not a public"):
        url_mod._fetch(f"{server.base}/to-metadata", max_bytes=MAX, timeout=5, allowed=_loopback_or_public)
    assert set(net.connects) == {"127.0.0.1"}


def test_redirect_to_file_is_refused(server: SimpleNamespace) -> None:
    with pytest.raises(UrlRefusedError, match="scheme 'file'"):
        fetch(f"{server.base}/to-file", max_bytes=MAX, allow_private=True)


def test_redirect_without_location_fails(server: SimpleNamespace) -> None:
    with pytest.raises(UrlUnreachableError, match="302"):
        fetch(f"{server.base}/no-location", max_bytes=MAX, allow_private=True)


@pytest.mark.parametrize("path", ["/huge", "/huge-unsized"])
def test_oversize_body_is_a_data_error(path: str, server: SimpleNamespace) -> None:
    with pytest.raises(InputDataError, match=str(MAX)) as info:
        fetch(f"{server.base}{path}", max_bytes=MAX, allow_private=True)
    assert info.value.exit_code == 65


def test_body_at_exactly_the_limit_is_fine(server: SimpleNamespace) -> None:
    assert fetch(f"{server.base}/article", max_bytes=len(ARTICLE), allow_private=True).content == ARTICLE
    with pytest.raises(InputDataError):
        fetch(f"{server.base}/article", max_bytes=len(ARTICLE) - 1, allow_private=True)


@pytest.mark.parametrize("path", ["/slow", "/slow-headers"])
def test_slow_drip_times_out_within_the_timeout(path: str, server: SimpleNamespace) -> None:
    # One byte every 0.2 s never trips a per-read timeout of 1 s; the overall limit must. Without it the fetch
    # would read on until the server's drip ran out (10 s) and end on a short body, not on a timeout.
    drips = len(server.drips)
    with pytest.raises(UrlUnreachableError, match="timed out") as info:
        fetch(f"{server.base}{path}", max_bytes=MAX, timeout=1.0, allow_private=True)
    assert info.value.exit_code == 69
    # the client hung up while the server was still dripping (the server notices on its next write or two)
    deadline = time.monotonic() + 30  # a hang guard for the server thread, not the assertion
    while len(server.drips) == drips and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.drips[drips:] == [(path, "client gave up")]


@pytest.mark.parametrize("status", [404, 500])
def test_http_errors_are_unreachable(status: int, server: SimpleNamespace) -> None:
    with pytest.raises(UrlUnreachableError, match=f"HTTP {status}") as info:
        fetch(f"{server.base}/{status}", max_bytes=MAX, allow_private=True)
    assert "\n" not in str(info.value)


def test_closed_port_is_unreachable(closed_port: int) -> None:
    with pytest.raises(UrlUnreachableError, match="cannot fetch") as info:
        fetch(f"http://127.0.0.1:{closed_port}/", max_bytes=MAX, timeout=2, allow_private=True)
    assert info.value.exit_code == 69


def test_tls_to_a_plain_http_server_is_unreachable(server: SimpleNamespace) -> None:
    with pytest.raises(UrlUnreachableError):
        fetch(f"https://127.0.0.1:{server.port}/article", max_bytes=MAX, timeout=2, allow_private=True)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, (None, None)),
        ("", (None, None)),
        ("text/html", ("text/html", None)),
        ("Text/HTML; Charset=ISO-8859-1", ("text/html", "iso-8859-1")),
        ('application/xhtml+xml; q=1; charset="utf-8"', ("application/xhtml+xml", "utf-8")),
        ("text/plain; charset=", ("text/plain", None)),
    ],
)
def test_parse_content_type(header: str | None, expected: tuple[str | None, str | None]) -> None:
    assert url_mod._parse_content_type(header) == expected


# ------------------------------------------------------------------------------ hardening: every SSRF case, end to end

# Every kind of address that must never be connected to, in IPv4, IPv6 and IPv4-mapped IPv6.
NOT_PUBLIC = [
    "127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
    "224.0.0.1", "239.255.255.250", "0.0.0.0", "255.255.255.255",
    "::1", "::", "fe80::1", "fc00::1", "fd00::1", "ff02::1", "ff05::1:3",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:224.0.0.1", "::ffff:0.0.0.0",
]


def _resolver(answers: dict[str, list[str]], calls: list[str]):
    """A getaddrinfo that answers only the given names, with the given addresses, and records each call."""

    def getaddrinfo(host: object, port: object, *args: object, **kwargs: object) -> list[tuple]:
        name = host.decode() if isinstance(host, bytes) else str(host)
        calls.append(name)
        if _is_literal(name):
            fam = socket.AF_INET6 if ":" in name else socket.AF_INET
            return [(fam, socket.SOCK_STREAM, 6, "", (name, int(port or 0)) if fam == socket.AF_INET else (name, int(port or 0), 0, 0))]
        ips = answers[name] if name in answers else []
        if not ips:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        ip = ips.pop(0) if len(ips) > 1 else ips[0]  # a list of several answers: one per call (rebinding)
        fam = socket.AF_INET6 if ":" in ip else socket.AF_INET
        addr = (ip, int(port or 0)) if fam == socket.AF_INET else (ip, int(port or 0), 0, 0)
        return [(fam, socket.SOCK_STREAM, 6, "", addr)]

    return getaddrinfo


@pytest.mark.parametrize("ip", NOT_PUBLIC)
def test_literal_of_every_non_public_kind_is_refused(ip: str, net: SimpleNamespace) -> None:
    host = f"[{ip}]" if ":" in ip else ip
    with pytest.raises(UrlRefusedError, match="not a public address"):
        fetch(f"http://{host}:8080/x", max_bytes=MAX)
    assert net.connects == [] and net.lookups == []


@pytest.mark.parametrize("ip", NOT_PUBLIC)
def test_hostname_resolving_to_every_non_public_kind_is_refused(
    ip: str, monkeypatch: pytest.MonkeyPatch, net: SimpleNamespace, closed_port: int
) -> None:
    # The check is on the resolved address: a name is fine until it resolves to one of these.
    calls: list[str] = []
    monkeypatch.setattr(socket, "getaddrinfo", _resolver({"news.example": [ip]}, calls))
    with pytest.raises(UrlRefusedError, match=f"resolves to {ip}") as info:
        fetch(f"http://news.example:{closed_port}/story", max_bytes=MAX)
    assert info.value.exit_code == 77
    assert calls == ["news.example"] and net.connects == []


def test_dns_rebinding_connects_to_the_checked_address(
    server: SimpleNamespace, monkeypatch: pytest.MonkeyPatch, net: SimpleNamespace
) -> None:
    # The first answer passes the policy (here: only 127.0.0.1 is allowed); every later answer is 127.0.0.2.
    # A second look-up at connect time would pick the rebound address; the backend must connect to the checked one.
    calls: list[str] = []
    monkeypatch.setattr(socket, "getaddrinfo", _resolver({"rebind.example": ["127.0.0.1", "127.0.0.2"]}, calls))
    got = url_mod._fetch(
        f"http://rebind.example:{server.port}/article", max_bytes=MAX, timeout=5, allowed=lambda ip: ip == "127.0.0.1"
    )
    assert got.content == ARTICLE
    assert calls.count("rebind.example") == 1
    assert net.connects == ["127.0.0.1"]


@pytest.mark.parametrize(
    "target",
    ["http://[::ffff:169.254.169.254]/latest", "http://[fe80::1]/", "http://[ff02::1]/", "http://0.0.0.0/",
     "http://[::ffff:10.0.0.1]:8080/", "http://224.0.0.1/", "http://10.0.0.1/", "http://[fd00::1]/",
     "http://2852039166/"],  # 2852039166 == 169.254.169.254 as one number
)
def test_redirect_to_non_public_literal_is_refused(target: str, server: SimpleNamespace, net: SimpleNamespace) -> None:
    with pytest.raises(UrlRefusedError, match="redirects to a refused URL"):
        url_mod._fetch(f"{server.base}/go?to={quote(target, safe='')}", max_bytes=MAX, timeout=5, allowed=_loopback_or_public)
    assert set(net.connects) == {"127.0.0.1"}


@pytest.mark.parametrize("ip", ["169.254.169.254", "10.0.0.1", "::ffff:127.0.0.2", "fe80::1"])
def test_redirect_to_hostname_resolving_to_non_public_is_refused(
    ip: str, server: SimpleNamespace, monkeypatch: pytest.MonkeyPatch, net: SimpleNamespace
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(socket, "getaddrinfo", _resolver({"internal.example": [ip]}, calls))
    target = quote(f"http://internal.example:{server.port}/article", safe="")
    with pytest.raises(UrlRefusedError, match=f"resolves to {ip}"):
        url_mod._fetch(f"{server.base}/go?to={target}", max_bytes=MAX, timeout=5, allowed=_loopback_or_public)
    assert "internal.example" in calls and set(net.connects) == {"127.0.0.1"}


@pytest.mark.parametrize(
    "target", ["ftp://example.com/x", "gopher://127.0.0.1:70/_x", "data:text/html,hi", "dict://127.0.0.1:11211/",
               "ldap://127.0.0.1/", "jar:http://x/!/", "//user:pw@127.0.0.1/", "http://user:pw@127.0.0.1:{port}/article"],
)
def test_redirect_to_bad_scheme_or_credentials_is_refused(target: str, server: SimpleNamespace) -> None:
    hits = len(server.hits)
    target = quote(target.format(port=server.port), safe="")
    with pytest.raises(UrlRefusedError, match="redirects to a refused URL"):
        fetch(f"{server.base}/go?to={target}", max_bytes=MAX, allow_private=True)
    assert len(server.hits) == hits + 1  # the redirect target was never requested


def test_compressed_body_is_limited_by_its_decoded_size(server: SimpleNamespace) -> None:
    assert len(GZIP_BOMB) < MAX  # small on the wire
    with pytest.raises(InputDataError, match="over the limit"):
        fetch(f"{server.base}/gzip-bomb", max_bytes=MAX, allow_private=True)


def test_time_limit_covers_the_whole_redirect_chain(server: SimpleNamespace) -> None:
    # Four hops of 0.4 s each: every hop is well inside a 1 s timeout, the chain is not. The server's sleeps alone
    # put the last hop past 1.2 s, so a limit on the whole chain gives up before requesting it.
    start = len(server.hits)
    with pytest.raises(UrlUnreachableError, match="timed out"):
        fetch(f"{server.base}/slow-redirect/3", max_bytes=MAX, timeout=1.0, allow_private=True)
    asked = server.hits[start:]
    assert asked and asked[0] == "/slow-redirect/3"
    assert "/slow-redirect/0" not in asked and "/article" not in asked, asked


def test_proxy_environment_is_ignored(server: SimpleNamespace, monkeypatch: pytest.MonkeyPatch, closed_port: int) -> None:
    # A proxy would connect on our behalf, unchecked: the fetcher must not read proxy settings at all.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(name, f"http://127.0.0.1:{closed_port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    assert fetch(f"{server.base}/article", max_bytes=MAX, allow_private=True).content == ARTICLE


def test_private_addresses_are_refused_by_default_from_the_cli(server: SimpleNamespace) -> None:
    import subprocess
    import sys

    env = {k: v for k, v in __import__("os").environ.items() if k != url_mod.ALLOW_PRIVATE_ENV}
    run = subprocess.run(
        [sys.executable, "-m", "unspun", "analyze", f"{server.base}/article", "--stages", "", "-f", "json"],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert run.returncode == 77, run.stderr
    assert "not a public address" in run.stderr and "Traceback" not in run.stderr and run.stdout == ""
