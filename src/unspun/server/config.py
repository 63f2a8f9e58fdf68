"""Server settings, and the rule for when a token is required (any non-loopback bind address)."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field

from unspun.errors import UsageError
from unspun.limits import API_MAX_BYTES

TOKEN_ENV = "UNSPUN_TOKEN"
TIME_LIMIT_ENV = "UNSPUN_SERVER_TIME_LIMIT"
DEFAULT_TIME_LIMIT_S = 120.0


def _env_time_limit() -> float:
    """Per-document limit for the server: shorter than the CLI's 600 s, so one slow page cannot hold a worker."""
    raw = os.environ.get(TIME_LIMIT_ENV)
    try:
        return float(raw) if raw else DEFAULT_TIME_LIMIT_S
    except ValueError:
        raise UsageError(f"{TIME_LIMIT_ENV} must be a number of seconds, not {raw!r}") from None
LOOPBACK_NAMES = ("localhost",)


def is_loopback(host: str) -> bool:
    host = host.strip("[]")
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    db: str | None = None  # None: the store's default SQLite file
    model: str = "accurate"  # default technique model when a request names none
    workers: int = 1  # analysis worker processes (each loads its own models; cores are split between them)
    queue_size: int = 0  # requests allowed to wait for a worker; more get 503 + Retry-After (docs/hardening.md)
    max_bytes: int = API_MAX_BYTES
    token: str | None = field(default_factory=lambda: os.environ.get(TOKEN_ENV) or None)
    insecure_no_auth: bool = False
    warm_up: bool = True  # load the models at start-up, not on the first request
    retry_after_s: int = 5
    url_timeout_s: float = 20.0
    time_limit: float = field(default_factory=_env_time_limit)  # seconds per document; 0 = none

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    @property
    def auth_required(self) -> bool:
        """A token is required when bound beyond loopback, unless explicitly turned off."""
        return not self.loopback and not self.insecure_no_auth

    @property
    def allowed_hosts(self) -> list[str] | None:
        """On loopback, only loopback Host headers: a DNS-rebinding page cannot talk to the server."""
        if not self.loopback:
            return None
        return ["127.0.0.1", "localhost", "[::1]", "::1"]

    def check(self) -> None:
        """Refuse settings that would expose the server without a token."""
        if self.workers < 1:
            raise UsageError("--workers must be at least 1")
        if self.time_limit < 0:
            raise UsageError(f"the time limit must be 0 (none) or more seconds, not {self.time_limit:g}")
        if self.queue_size < 0:
            raise UsageError("--queue-size must be 0 or more")
        if self.auth_required and not self.token:
            raise UsageError(
                f"refusing to listen on {self.host} without a token: set {TOKEN_ENV}, "
                "bind to 127.0.0.1, or pass --insecure-no-auth"
            )
