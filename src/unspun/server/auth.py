"""Who may call the server: a Bearer token for the API, a login page and session cookie for the web UI, and a
CSRF token on every state-changing form.

Sessions live in memory (one process): a restart logs everyone out, which is acceptable for a local tool and
needs no secret on disk. The CSRF token is a double-submit cookie (HttpOnly, SameSite=Strict) that the form must
echo; it is checked even on loopback, where no login is needed, so a web page elsewhere cannot make a browser
delete stored analyses.
"""

from __future__ import annotations

import secrets
import threading
import time

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


def csrf_ok(request: Request, submitted: str | None) -> bool:
    return token_matches(submitted, request.cookies.get(CSRF_COOKIE))


def cookie_args(request: Request) -> dict:
    return {"httponly": True, "samesite": "strict", "secure": request.url.scheme == "https", "path": "/"}
