"""Who may call the server: a Bearer token for the API, a login page and session cookie for the web UI, a
CSRF token on every state-changing form, a same-origin check on every state-changing request, and a throttle on
failed token attempts.

Sessions live in memory (one process): a restart logs everyone out, which is acceptable for a local tool and
needs no secret on disk. The CSRF token is a signed double submit: a random cookie (HttpOnly, SameSite=Strict),
and in the form an HMAC of that cookie and the session under a per-process secret, so a cookie planted by another
site on the same host (cookies ignore ports) is not enough to forge a form. It is checked even on loopback, where
no login is needed, so a web page elsewhere cannot make a browser delete stored analyses.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import threading
import time
from collections import deque
from urllib.parse import urlsplit

from fastapi import Request

SESSION_COOKIE = "unspun_session"
CSRF_COOKIE = "unspun_csrf"
SESSION_TTL_S = 12 * 3600


class Sessions:
    def __init__(self) -> None:
        self._ids: dict[str, float] = {}
        self._lock = threading.Lock()

    def create(self) -> str:
        sid = secrets.token_urlsafe(32)
        with self._lock:
            self._ids[sid] = time.monotonic() + SESSION_TTL_S
        return sid

    def valid(self, sid: str | None) -> bool:
        if not sid:
            return False
        with self._lock:
            expires = self._ids.get(sid)
            if expires is None:
                return False
            if expires < time.monotonic():
                del self._ids[sid]
                return False
            return True

    def drop(self, sid: str | None) -> None:
        with self._lock:
            self._ids.pop(sid or "", None)


def token_matches(given: str | None, expected: str | None) -> bool:
    return bool(given and expected) and secrets.compare_digest(given.encode(), expected.encode())


def bearer(request: Request) -> str | None:
    value = request.headers.get("authorization", "")
    scheme, _, credentials = value.partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else None


def csrf_cookie(request: Request) -> tuple[str, bool]:
    """The CSRF token for this browser, and whether it is new (and must be set as a cookie)."""
    value = request.cookies.get(CSRF_COOKIE)
    if value and 20 <= len(value) <= 100:
        return value, False
    return secrets.token_urlsafe(32), True


def csrf_form_token(secret: bytes, cookie: str, session: str | None) -> str:
    """The token a form carries: an HMAC of this browser's CSRF cookie and its session (if any)."""
    return hmac.new(secret, f"{cookie}\x00{session or ''}".encode(), hashlib.sha256).hexdigest()


def csrf_ok(request: Request, submitted: str | None, secret: bytes) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not 20 <= len(cookie) <= 100:
        return False
    return token_matches(submitted, csrf_form_token(secret, cookie, request.cookies.get(SESSION_COOKIE)))


# --- cross-site writes --------------------------------------------------------------------------------------------
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def _strip_default_port(netloc: str, scheme: str) -> str:
    port = _DEFAULT_PORTS.get(scheme)
    return netloc[: -len(port) - 1] if port and netloc.endswith(":" + port) else netloc


def cross_site(method: str, headers: dict[bytes, bytes]) -> str | None:
    """Why a state-changing request comes from another site, or None when it may go on.

    Browsers send `Sec-Fetch-Site` (all current ones) or at least `Origin` with every POST/DELETE, and a page cannot
    set either. `Sec-Fetch-Site` decides when present: only `same-origin` (or `none`: the user's own action) goes on,
    which also works behind a reverse proxy that rewrites Host. Without it, the Origin must be the host the request
    was sent to (`null`, from sandboxed frames and data: pages, is refused). Requests with neither header (curl,
    scripts) are not from a web page, and go on.
    """
    if method.upper() in SAFE_METHODS:
        return None
    site = headers.get(b"sec-fetch-site")
    if site is not None:
        if site.decode("latin-1").strip().lower() in ("same-origin", "none"):
            return None
        return f"refused a cross-site request (Sec-Fetch-Site: {site.decode('latin-1')[:20]})"
    origin = headers.get(b"origin")
    if origin is None:
        return None
    value = origin.decode("latin-1").strip().lower()
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in _DEFAULT_PORTS or not parts.netloc:
        return "refused a request from an opaque or unknown origin"
    host = headers.get(b"host", b"").decode("latin-1").strip().lower()
    if _strip_default_port(parts.netloc, parts.scheme) != _strip_default_port(host, parts.scheme):
        return "refused a cross-site request: its Origin is not this server"
    return None


# --- failed token attempts ------------------------------------------------------------------------------------------
class Throttle:
    """Failed token attempts (Bearer or login) per client address: after `limit` failures within `window_s`
    seconds, every attempt from that client is answered 429 (with Retry-After) until the oldest failure leaves the
    window, whether its token is right or not, so guessing runs at most `limit` tries per window."""

    def __init__(self, limit: int = 10, window_s: float = 60.0, max_clients: int = 10_000) -> None:
        self.limit = limit
        self.window_s = window_s
        self.max_clients = max_clients
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float] | None:
        times = self._failures.get(client)
        if times is None:
            return None
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if not times:
            del self._failures[client]
            return None
        return times

    def retry_after(self, client: str) -> int | None:
        """Seconds this client must wait before its next attempt, or None when it may try now."""
        now = time.monotonic()
        with self._lock:
            times = self._recent(client, now)
            if times is None or len(times) < self.limit:
                return None
            return max(1, math.ceil(times[-self.limit] + self.window_s - now))

    def failed(self, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            times = self._recent(client, now)
            if times is None:
                if len(self._failures) >= self.max_clients:  # bounded memory: forget the oldest client
                    self._failures.pop(next(iter(self._failures)))
                times = self._failures[client] = deque(maxlen=self.limit)
            times.append(now)

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def cookie_args(request: Request) -> dict:
    return {"httponly": True, "samesite": "strict", "secure": request.url.scheme == "https", "path": "/"}
