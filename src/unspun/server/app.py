"""The FastAPI app: middleware (allowed hosts, same-origin writes, size limit, security headers), error bodies,
start-up and routes."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from contextlib import asynccontextmanager

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, Response
from starlette.routing import Match

from unspun.errors import DatabaseError, UnspunError, UrlUnreachableError
from unspun.render import html as html_render
from unspun.server.auth import Sessions, Throttle, cross_site
from unspun.server.config import ServerConfig
from unspun.server.errors import HTTP_CODES, status_for
from unspun.server.analysis import AnalysisCrashed
from unspun.server.jobs import FormJobs
from unspun.server.work import Busy, WorkPool
from unspun.version import __version__

log = logging.getLogger("unspun.server")

SECURITY_HEADERS = [
    (b"content-security-policy", html_render.SERVER_CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]

class TooLarge(Exception):
    pass


BUSY_MESSAGE = "every analysis worker is busy and the queue is full; try again shortly"
SHED_EARLY_PATH = "/api/v1/analyze"  # the web form sheds in its route, to answer with a page


class Guard:
    """ASGI middleware on every request and response: the security headers and CSP; the Host check (on loopback,
    against DNS rebinding); the same-origin check on state-changing requests (403 `cross_site`); and the request
    body size limit (checked on Content-Length first, then on the bytes actually received). Its refusals are JSON.
    """

    def __init__(self, app, *, max_body: int, busy: Callable[[], bool] | None = None, retry_after_s: int = 5,
                 host_allowed: Callable[[str | None], bool] | None = None) -> None:
        self.app = app
        self.max_body = max_body
        self.busy = busy
        self.retry_after = str(retry_after_s).encode()
        self.host_allowed = host_allowed

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {k.lower() for k, _ in message.get("headers", [])}
                headers = list(message.get("headers", []))
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                if b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        headers = dict(scope.get("headers", []))
        if self.host_allowed is not None and not self.host_allowed(headers.get(b"host", b"").decode("latin-1")):
            return await _send_error(send_with_headers, 400, "invalid_host",
                                     "invalid Host header: on loopback this server answers only to its own address, "
                                     "localhost and loopback addresses")
        if (why := cross_site(scope["method"], headers)) is not None:
            return await _send_error(send_with_headers, 403, "cross_site", why)
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            return await _send_error(send_with_headers, 413, "too_large", f"request body over the limit of {self.max_body:,} bytes")
        if self.busy is not None and scope["method"] == "POST" and scope["path"] == SHED_EARLY_PATH and self.busy():
            # shed before reading, parsing or validating the body: a 503 then costs next to nothing
            return await _send_error(send_with_headers, 503, "busy", BUSY_MESSAGE, [(b"retry-after", self.retry_after)])
        received = 0

        async def counting_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise TooLarge()
            return message

        try:
            await self.app(scope, counting_receive, send_with_headers)
        except TooLarge:
            if not started:
                await _send_error(send_with_headers, 413, "too_large", f"request body over the limit of {self.max_body:,} bytes")


async def _send_error(send, status: int, code: str, message: str, headers: list | None = None) -> None:
    body = orjson.dumps({"error": {"code": code, "message": message}})
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


def wants_html(request: Request) -> bool:
    return not request.url.path.startswith(("/api/", "/healthz", "/openapi")) and "text/html" in request.headers.get("accept", "")


def error_response(request: Request, status: int, code: str, message: str, headers: dict | None = None) -> Response:
    """The JSON error body for API clients; the same message as a page for browsers on web UI paths."""
    headers = dict(headers or {})
    if status == 503 and "Retry-After" not in headers:
        headers["Retry-After"] = str(request.app.state.config.retry_after_s)
    if wants_html(request):
        page = html_render.render_page("error.html.j2", page_title="Error", status=status, code=code, message=message,
                                       logged_in=False)
        return HTMLResponse(page, status_code=status, headers=headers)
    return Response(orjson.dumps({"error": {"code": code, "message": message}}), status_code=status,
                    media_type="application/json", headers=headers)


def _validation_message(exc: RequestValidationError) -> tuple[int, str, str]:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return 400, "bad_request", "the request body is not valid JSON"
    first = errors[0] if errors else {}
    where = ".".join(str(x) for x in first.get("loc", ()) if x != "body")
    return 422, "validation_error", f"{where + ': ' if where else ''}{first.get('msg', 'invalid request')}"


def create_app(config: ServerConfig | None = None, *, store=None) -> FastAPI:
    """Build the app. `store` may be an open `unspun.corpus.store.Store`; else one is opened from `config.db`."""
    config = config or ServerConfig()
    config.check()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        try:
            if app.state.store is None:
                from unspun.corpus.store import Store

                app.state.store = Store(config.db)
            if config.warm_up:
                app.state.models = (await app.state.pool.warm_up(warm_up_models, config.model))[0]
            yield
        finally:
            app.state.pool.shutdown()  # workers stopped, queues and their semaphores released

    app = FastAPI(
        title="unspun",
        version=__version__,
        description="Shows how a news or opinion article argues: persuasion techniques, quotes, sources, claims and actors.",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.config = config
    app.state.store = store
    app.state.pool = WorkPool(config.workers, config.queue_size)
    app.state.sessions = Sessions()
    app.state.throttle = Throttle()
    app.state.csrf_secret = secrets.token_bytes(32)
    app.state.models = {}
    app.state.form_jobs = FormJobs()

    @app.exception_handler(UnspunError)
    async def unspun_error(request: Request, exc: UnspunError):
        status, code = status_for(exc)
        if status >= 500:
            log.warning("%s: %s", code, exc)
        return error_response(request, status, code, str(exc))

    @app.exception_handler(Busy)
    async def busy(request: Request, exc: Busy):
        return error_response(request, 503, "busy", BUSY_MESSAGE)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        status, code, message = _validation_message(exc)
        return error_response(request, status, code, message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        code = HTTP_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:  # Starlette names the methods of the first route that matched the path only
            headers = {**(headers or {}), "Allow": ", ".join(allowed_methods(app, request.scope))}
        return error_response(request, exc.status_code, code, message, headers)

    @app.exception_handler(AnalysisCrashed)
    async def worker_lost(request: Request, exc: AnalysisCrashed):
        log.error("%s", exc)
        return error_response(request, 500, "internal_error", str(exc))

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception):
        log.exception("internal error")
        return error_response(request, 500, "internal_error", f"internal error ({type(exc).__name__})")

    from unspun.server import api, web

    app.include_router(api.router)
    app.include_router(web.router)
    # The body cap guards memory; the precise input limit (config.max_bytes of text) is checked per request.
    app.add_middleware(Guard, max_body=2 * config.max_bytes + 65536, busy=app.state.pool.full,
                       retry_after_s=config.retry_after_s,
                       host_allowed=config.host_allowed if config.checks_host else None)
    return app


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(app: FastAPI, scope) -> list[str]:
    """Every method some route fully accepts on this path (for a 405's Allow header): each method is tried
    against the routes, through the public `matches`, however the routers are nested."""
    return [m for m in METHODS
            if any(route.matches({**scope, "method": m})[0] is Match.FULL for route in app.router.routes)]


def warm_up_models(model: str) -> dict:
    """In a worker: load every model once, so the first request is as fast as the rest (and /healthz can name them)."""
    from unspun import pipeline

    return pipeline.analyze_text("Warm-up: the models load once per process, before the first request.", model=model).models


__all__ = ["DatabaseError", "UrlUnreachableError", "create_app", "error_response"]
