"""Server settings, and the rule for when a token is required (any non-loopback bind address)."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field

from unspun.errors import UsageError
from unspun.limits import API_MAX_BYTES
from unspun.runtime.models import DEFAULT_MODEL

TOKEN_ENV = "UNSPUN_TOKEN"
MIN_TOKEN_LENGTH = 16  # off loopback; a short token falls to guessing (failures are also throttled: auth.Throttle)
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
    """localhost, or any loopback address (all of 127.0.0.0/8, and ::1)."""
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_name(header: str) -> str:
    """The name in a Host header, without the port and the IPv6 brackets, lower-cased."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    if header.count(":") == 1:
        return header.split(":", 1)[0]
    return header


@dataclass
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    db: str | None = None  # None: the store's default SQLite file
    model: str = DEFAULT_MODEL  # default technique model when a request names none
    workers: int = 1  # analysis worker processes (each loads its own models; cores are split between them)
    queue_size: int = 0  # requests allowed to wait for a worker; more get 503 + Retry-After (docs/hardening.md)
    max_bytes: int = API_MAX_BYTES
    token: str | None = field(default_factory=lambda: os.environ.get(TOKEN_ENV) or None)
    insecure_no_auth: bool = False
    warm_up: bool = True  # load the models at start-up, not on the first request
    retry_after_s: int = 5
    url_timeout_s: float = 20.0
    time_limit: float = field(default_factory=_env_time_limit)  # seconds per document; 0 = none
    form_wait_s: float = 1.5  # the web form waits this long for an analysis, then shows a page that follows it

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    @property
    def auth_required(self) -> bool:
        """A token is required when bound beyond loopback, unless explicitly turned off."""
        return not self.loopback and not self.insecure_no_auth

    @property
    def checks_host(self) -> bool:
        """On loopback, only loopback Host headers are answered: a DNS-rebinding page cannot talk to the server."""
        return self.loopback

    def host_allowed(self, header: str | None) -> bool:
        """A Host header for this server: on loopback, `localhost`, any loopback address, or the bound host itself."""
        if not self.checks_host:
            return True
        name = host_name(header or "")
        return bool(name) and (name == host_name(self.host) or is_loopback(name))

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
        if self.auth_required and len(self.token) < MIN_TOKEN_LENGTH:
            raise UsageError(
                f"refusing to listen on {self.host} with a {len(self.token)}-character {TOKEN_ENV}: it must be at "
                f"least {MIN_TOKEN_LENGTH} characters (e.g. {TOKEN_ENV}=$(openssl rand -hex 24))"
            )
