"""Safe URL fetching: the one place unspun talks to the network.

A URL given to unspun may come from an untrusted caller (the HTTP API), so fetching it must not become a way to reach
the machine's own services or its network (SSRF). `fetch` therefore:

- accepts only `http`/`https` URLs without credentials, with a plain host name or IP literal and a valid port;
- refuses IP literals that are not public before any DNS look-up or connection;
- checks the address it actually connects to: a custom httpcore network backend resolves the host itself, refuses
  the connection if *any* resolved address is not public, and connects to the validated IP, so a DNS answer that
  changes between the check and the connection (DNS rebinding) cannot get through;
- follows at most 5 redirects by hand, re-checking every hop;
- bounds the body size (`max_bytes`) and the whole transfer time (`timeout`), not just each read.

`UNSPUN_ALLOW_PRIVATE_URLS=1` (or `allow_private=True`) turns the address check off. It is for tests only, which
fetch from servers they start on loopback; never set it on a machine that fetches URLs for others.
"""

from __future__ import annotations

import ipaddress
import os
import re
import socket
import ssl
import time
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpcore
import httpx

from unspun.errors import InputDataError, UnspunError, UrlRefusedError, UrlUnreachableError
from unspun.version import __version__

__all__ = ["Fetched", "fetch", "is_public_address"]

MAX_REDIRECTS = 5
USER_AGENT = f"Mozilla/5.0 (compatible; unspun/{__version__}; +offline article analysis)"
ACCEPT = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5"
ALLOW_PRIVATE_ENV = "UNSPUN_ALLOW_PRIVATE_URLS"

_ALLOWED_SCHEMES = ("http", "https")
# What a host may look like once IDNA-encoded (httpx's `raw_host`); IP literals are handled before this.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_HOSTNAME_RE = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*\.?$")
# Shapes inet_aton (and so getaddrinfo) reads as IPv4: "2130706433", "127.1", "0x7f.0.0.1".
_NUMERIC_HOST_RE = re.compile(r"^[0-9A-Fa-fXx.]+$")

_SHARED_V4 = ipaddress.IPv4Network("100.64.0.0/10")  # RFC 6598 carrier-grade NAT
_NAT64_WKP = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052: the last 32 bits are an IPv4 address
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215: local-use NAT64, never public
_IPV4_COMPAT = ipaddress.IPv6Network("::/96")  # deprecated IPv4-compatible form (also covers :: and ::1)


@dataclass(slots=True)
class Fetched:
    """A fetched response: final URL after redirects, raw body, media type, charset and status."""

    url: str
    content: bytes
    content_type: str | None
    charset: str | None
    status: int


# --------------------------------------------------------------------------------------------------- address policy


def is_public_address(ip: str) -> bool:
    """True when `ip` (an IPv4/IPv6 literal, brackets allowed) is a globally routable unicast address.

    Loopback, private (RFC 1918, ULA), link-local, multicast, unspecified, reserved, shared (100.64.0.0/10),
    broadcast and documentation ranges are not public, nor is anything that is not an IP literal. IPv6 forms that
    embed an IPv4 address (IPv4-mapped, 6to4, NAT64) are judged by the embedded address; IPv4-compatible and Teredo
    addresses are refused outright.
    """
    try:
        addr = ipaddress.ip_address(ip.strip().removeprefix("[").removesuffix("]"))
    except ValueError:
        return False
    return _is_public(addr)


def _is_public(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped is not None:
            return _is_public(addr.ipv4_mapped)
        if addr.sixtofour is not None:
            return _is_public(addr.sixtofour)
        if addr in _NAT64_WKP:
            return _is_public(ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF))
        if addr.teredo is not None or addr in _NAT64_LOCAL or addr in _IPV4_COMPAT or addr.is_site_local:
            return False
    elif addr in _SHARED_V4:
        return False
    if (
        addr.is_private
        or addr.is_loopback
        or addr.is_link_local
        or addr.is_multicast
        or addr.is_unspecified
        or addr.is_reserved
    ):
        return False
    return addr.is_global


def _allow_private(explicit: bool | None) -> bool:
    if explicit is not None:
        return explicit
    return os.environ.get(ALLOW_PRIVATE_ENV, "").strip() == "1"


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _check_url(url: str, allowed: Callable[[str], bool]) -> httpx.URL:
    """Parse `url` and refuse it unless it is an http(s) URL without credentials whose host may be fetched.

    `allowed` judges IP literals (`is_public_address` by default); host names are judged later, at connect time,
    by `_GuardedBackend`, on the addresses they resolve to. Used for the first URL and for every redirect hop.
    """
    shown = _one_line(url)[:200]
    if not isinstance(url, str) or not url:
        raise UrlRefusedError("refused URL: empty")
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        raise UrlRefusedError(f"refused URL {shown!r}: it contains whitespace or control characters")
    try:
        parsed = httpx.URL(url)
        scheme, raw_host, port, userinfo = parsed.scheme, parsed.raw_host, parsed.port, parsed.userinfo
    except (httpx.InvalidURL, ValueError, UnicodeError) as exc:
        raise UrlRefusedError(f"refused URL {shown!r}: malformed ({_one_line(exc)})") from None
    if scheme not in _ALLOWED_SCHEMES:
        what = f"scheme {scheme!r}" if scheme else "no scheme"
        raise UrlRefusedError(f"refused URL {shown!r}: {what}; only http and https are fetched")
    if userinfo:  # the message leaves the credentials out
        host_shown = raw_host.decode("ascii", errors="replace")[:100]
        raise UrlRefusedError(f"refused URL for host {host_shown!r}: it carries credentials (user:password@)")
    if not raw_host:
        raise UrlRefusedError(f"refused URL {shown!r}: no host")
    if port is not None and not 1 <= port <= 65535:
        raise UrlRefusedError(f"refused URL {shown!r}: bad port {port}")
    host = raw_host.decode("ascii", errors="replace")
    literal = _ip_literal(host)
    if literal is not None:
        if not allowed(literal):
            what = host if host == literal or ":" in host else f"{host} ({literal})"
            raise UrlRefusedError(f"refused URL {shown!r}: {what} is not a public address")
    elif not _HOSTNAME_RE.match(host):
        raise UrlRefusedError(f"refused URL {shown!r}: malformed host {host!r}")
    return parsed


def _ip_literal(host: str) -> str | None:
    """The IP address `host` stands for without any DNS look-up, or None for a host name."""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    if "%" in host:  # an IPv6 zone id ("fe80::1%25eth0") that ipaddress did not take: refuse it as an address
        try:
            return str(ipaddress.ip_address(host.split("%", 1)[0]))
        except ValueError:
            return None
    if _NUMERIC_HOST_RE.match(host):  # "2130706433", "127.1", "0x7f.1": getaddrinfo would read these as IPv4
        try:
            return str(ipaddress.IPv4Address(socket.inet_aton(host)))
        except OSError:
            return None
    return None


# ------------------------------------------------------------------------------------------------ network backend


class _DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every read/write/TLS handshake gives up at a fixed deadline.

    httpcore's timeouts bound each socket operation; a server that drips one byte a second would never trip them.
    Capping each operation's timeout at the time left bounds the whole transfer, headers included.
    """

    def __init__(self, inner: httpcore.NetworkStream, deadline: float) -> None:
        self._inner = inner
        self._deadline = deadline

    def _budget(self, timeout: float | None, exc: type[Exception]) -> float:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise exc("timed out (overall time limit)")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._budget(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._budget(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, self._budget(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(inner, self._deadline)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class _GuardedBackend(httpcore.SyncBackend):
    """httpcore backend that resolves the host itself and connects only to addresses `allowed` accepts.

    httpcore hands `connect_tcp` the URL's host name. We resolve it once, refuse if *any* answer is not allowed
    (a mixed answer is a rebinding tell), then connect to the checked IP literal, so no second look-up can swap
    the address. TLS is unaffected: httpcore calls `start_tls` with the original host name for SNI and
    certificate checks, and the Host header comes from the request.
    """

    def __init__(self, allowed: Callable[[str], bool], deadline: float) -> None:
        self._allowed = allowed
        self._deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise httpcore.ConnectError(f"cannot resolve host {host!r} ({_one_line(exc)})") from None
        families = (socket.AF_INET, socket.AF_INET6)
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos if info[0] in families))
        if not addresses:
            raise httpcore.ConnectError(f"cannot resolve host {host!r} (no IPv4/IPv6 address)")
        refused = [ip for ip in addresses if not self._allowed(ip)]
        if refused:
            raise UrlRefusedError(f"refused host {host!r}: it resolves to {refused[0]}, which is not a public address")
        last: Exception | None = None
        for ip in addresses:
            left = self._deadline - time.monotonic()
            if left <= 0:
                raise httpcore.ConnectTimeout("timed out (overall time limit)")
            budget = left if timeout is None else min(timeout, left)
            try:
                # An IP literal: create_connection's own getaddrinfo does no DNS look-up here.
                stream = super().connect_tcp(ip, port, budget, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
                continue
            return _DeadlineStream(stream, self._deadline)
        assert last is not None
        raise last

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise UrlRefusedError("refused: unix sockets are never fetched")


class _CoreResponseStream(httpx.SyncByteStream):
    def __init__(self, stream: typing.Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        yield from self._stream

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


class _GuardedTransport(httpx.BaseTransport):
    """An httpx transport over an httpcore pool that uses `_GuardedBackend`.

    httpx 0.28's `HTTPTransport` builds its httpcore pool in `__init__` with no way to pass a network backend, so
    plugging one in would mean overwriting its private `_pool`. This transport does the same small job with public
    APIs only: translate the request, run it through the pool, wrap the body stream. httpcore's exceptions pass
    through unchanged (httpx only re-raises them) and `fetch` maps them to unspun's errors in one place.
    """

    def __init__(self, backend: httpcore.NetworkBackend, ssl_context: ssl.SSLContext) -> None:
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context, network_backend=backend, max_connections=4, http1=True, http2=False
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=typing.cast(typing.Iterable[bytes], request.stream),
            extensions=request.extensions,
        )
        response = self._pool.handle_request(core_request)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_CoreResponseStream(typing.cast(typing.Iterable[bytes], response.stream)),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._pool.close()


# ---------------------------------------------------------------------------------------------------------- fetch

_TIMEOUT_ERRORS: tuple[type[Exception], ...] = (httpcore.TimeoutException, httpx.TimeoutException, socket.timeout)
_NETWORK_ERRORS: tuple[type[Exception], ...] = (
    httpcore.NetworkError,
    httpcore.ProtocolError,
    httpcore.ProxyError,
    httpcore.UnsupportedProtocol,
    httpx.HTTPError,
    httpx.InvalidURL,
    ssl.SSLError,
    OSError,
)


def fetch(url: str, *, max_bytes: int, timeout: float = 20.0, allow_private: bool | None = None) -> Fetched:
    """Fetch `url` with SSRF checks, at most 5 redirects, a `max_bytes` body limit and a `timeout` for everything.

    Raises `UrlRefusedError` for unsafe or malformed URLs (and redirects to them), `UrlUnreachableError` for network
    failures, timeouts, too many redirects and HTTP status >= 400, and `InputDataError` when the body is too big.
    `allow_private=None` reads `UNSPUN_ALLOW_PRIVATE_URLS` (test-only, see the module docstring).
    """
    allowed: Callable[[str], bool] = (lambda _ip: True) if _allow_private(allow_private) else is_public_address
    return _fetch(url, max_bytes=max_bytes, timeout=timeout, allowed=allowed)


def _fetch(url: str, *, max_bytes: int, timeout: float, allowed: Callable[[str], bool]) -> Fetched:
    """`fetch` with the address policy as a predicate on IP strings (tests use a loopback-only policy)."""
    if timeout <= 0:
        raise ValueError("timeout must be positive")
    target = _check_url(url, allowed)
    deadline = time.monotonic() + timeout
    # Certificate checks stay on (certifi's CA bundle, or SSL_CERT_FILE/SSL_CERT_DIR when set).
    transport = _GuardedTransport(_GuardedBackend(allowed, deadline), httpx.create_ssl_context())
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "identity"}
    # trust_env=False: no proxy settings (a proxy would connect on our behalf, unchecked) and no .netrc credentials.
    with httpx.Client(
        transport=transport, headers=headers, timeout=httpx.Timeout(timeout), follow_redirects=False, trust_env=False
    ) as client:
        redirects = 0
        while True:
            shown = str(target)
            try:
                response = client.send(client.build_request("GET", target), stream=True)
            except UnspunError:
                raise
            except httpx.InvalidURL as exc:  # httpx parses a redirect's Location inside send(): `data:x`, `jar:...`
                raise UrlRefusedError(f"{shown} redirects to a refused URL: malformed ({_one_line(exc)})") from None
            except _TIMEOUT_ERRORS:
                raise UrlUnreachableError(f"{shown}: timed out after {timeout:g} s") from None
            except _NETWORK_ERRORS as exc:
                raise UrlUnreachableError(f"{shown}: cannot fetch ({_one_line(exc) or type(exc).__name__})") from None
            try:
                if 300 <= response.status_code < 400:
                    location = response.headers.get("location")
                    if not location:
                        raise UrlUnreachableError(f"{shown}: HTTP {response.status_code} redirect without a Location")
                    redirects += 1
                    if redirects > MAX_REDIRECTS:
                        raise UrlUnreachableError(f"{url}: too many redirects (more than {MAX_REDIRECTS})")
                    try:
                        next_url = str(response.url.join(location))
                    except (httpx.InvalidURL, ValueError, UnicodeError):
                        bad = _one_line(location)[:200]
                        raise UrlRefusedError(f"{shown}: refused malformed redirect {bad!r}") from None
                    try:
                        target = _check_url(next_url, allowed)
                    except UrlRefusedError as exc:
                        raise UrlRefusedError(f"{shown} redirects to a {exc}") from None
                    continue
                if response.status_code >= 400:
                    reason = _one_line(response.reason_phrase or "")[:100]
                    raise UrlUnreachableError(f"{shown}: HTTP {response.status_code} {reason}".rstrip())
                content = _read_body(response, max_bytes=max_bytes, deadline=deadline, shown=shown, timeout=timeout)
            except UnspunError:
                raise
            except _TIMEOUT_ERRORS:
                raise UrlUnreachableError(f"{shown}: timed out after {timeout:g} s") from None
            except _NETWORK_ERRORS as exc:
                raise UrlUnreachableError(f"{shown}: cannot fetch ({_one_line(exc) or type(exc).__name__})") from None
            finally:
                response.close()
            content_type, charset = _parse_content_type(response.headers.get("content-type"))
            return Fetched(
                url=str(response.url),
                content=content,
                content_type=content_type,
                charset=charset,
                status=response.status_code,
            )


def _read_body(response: httpx.Response, *, max_bytes: int, deadline: float, shown: str, timeout: float) -> bytes:
    declared = response.headers.get("content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > max_bytes:
        raise InputDataError(f"{shown}: the response is {int(declared)} bytes, over the limit of {max_bytes} bytes")
    chunks: list[bytes] = []
    total = 0
    # iter_bytes decodes a Content-Encoding the server sends despite "identity", so the limit counts decoded bytes.
    for chunk in response.iter_bytes():
        total += len(chunk)
        if total > max_bytes:
            raise InputDataError(f"{shown}: the response is over the limit of {max_bytes} bytes")
        if time.monotonic() > deadline:
            raise UrlUnreachableError(f"{shown}: timed out after {timeout:g} s")
        chunks.append(chunk)
    return b"".join(chunks)


def _parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """`text/html; charset="UTF-8"` -> ("text/html", "utf-8"); missing parts are None."""
    if not value:
        return None, None
    media, _, params = value.partition(";")
    media = media.strip().lower() or None
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("'\"").strip().lower() or None
            break
    return media, charset
