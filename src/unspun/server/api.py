"""The REST API (INTERFACES.md, "HTTP API"), under /api/v1, plus /healthz."""

from __future__ import annotations

from functools import lru_cache

import orjson
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.security import HTTPBearer
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from unspun import taxonomy
from unspun.document import Document
from unspun.errors import UsageError
from unspun.server.analysis import AnalyzeRequest, Job, Options, analyze_and_store, document_body
from unspun.server.auth import SESSION_COOKIE, bearer, client_key, token_matches
from unspun.version import __version__

_bearer_scheme = HTTPBearer(auto_error=False, description="The server's UNSPUN_TOKEN (needed off loopback).")


MAX_OFFSET = 10**12  # paging beyond this is a 422, never an integer overflow in the database driver


def require_token(request: Request, _=Depends(_bearer_scheme)) -> None:
    """Off loopback: a Bearer token, or (for reads only) the web UI's session cookie.

    Wrong tokens are counted per client: past the throttle's limit every token attempt gets 429 for a while."""
    config = request.app.state.config
    if not config.auth_required:
        return
    given = bearer(request)
    if given is not None:
        throttle, client = request.app.state.throttle, client_key(request)
        if (wait := throttle.retry_after(client)) is not None:
            raise HTTPException(429, f"too many failed token attempts; try again in {wait} s",
                                headers={"Retry-After": str(wait)})
        if token_matches(given, config.token):
            throttle.succeeded(client)
            return
        throttle.failed(client)
    if request.method in ("GET", "HEAD") and request.app.state.sessions.valid(request.cookies.get(SESSION_COOKIE)):
        return
    raise HTTPException(401, "a valid token is required (Authorization: Bearer ...)", headers={"WWW-Authenticate": "Bearer"})


router = APIRouter()
api = APIRouter(prefix="/api/v1", dependencies=[Depends(require_token)])

ERRORS = {
    400: {"description": "Bad request (bad JSON, unknown stage, unsafe URL: `url_refused`)"},
    401: {"description": "Token missing or wrong (only when bound off loopback)"},
    403: {"description": "A state-changing request from another site (`cross_site`)"},
    413: {"description": "Input over the size limit"},
    415: {"description": "Neither application/json nor multipart/form-data"},
    422: {"description": "Validation failed (empty text, undecodable bytes, no article in the HTML, paging out of "
                         "range)"},
    429: {"description": "Too many failed token attempts from this client; see Retry-After"},
    502: {"description": "The URL could not be fetched (`url_unreachable`)"},
    503: {"description": "Work queue full or database unreachable; see Retry-After"},
}
_ERROR_BODY = {"application/json": {"schema": {"type": "object", "properties": {"error": {"type": "object", "properties": {
    "code": {"type": "string"}, "message": {"type": "string"}}}}}}}
for _r in ERRORS.values():
    _r["content"] = _ERROR_BODY


def doc_json(doc: Document, doc_id: str) -> Response:
    return Response(document_body(doc, doc_id), media_type="application/json")


TRUE = ("1", "true", "yes", "on")


async def read_job(request: Request) -> Job:
    """JSON {text|html|url, options, replace} or multipart (`file`, optional `options` JSON string and `replace`).

    JSON must say so (`Content-Type: application/json`): a browser sends text/plain, or no type, from any page
    without asking first, and the same-origin check (app.Guard) refuses cross-site multipart."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "multipart/form-data":
        limit = request.app.state.config.max_bytes + 1
        form = await request.form(max_files=1, max_fields=10, max_part_size=limit)
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise UsageError("multipart requests need a `file` field")
        data = await upload.read()
        try:
            options = Options.model_validate_json(form.get("options") or "{}")
        except ValidationError as exc:
            raise _validation_error(exc) from None
        replace = str(form.get("replace") or "").strip().lower() in TRUE
        return Job(kind="bytes", value=data, options=options, name=upload.filename, replace=replace)
    if ctype != "application/json":
        raise HTTPException(415, "send Content-Type: application/json (or a multipart/form-data upload)")
    raw = await request.body()
    try:
        payload = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise UsageError("the request body is not valid JSON") from None
    try:
        req = AnalyzeRequest.model_validate(payload)
    except ValidationError as exc:
        raise _validation_error(exc) from None
    kind = "text" if req.text is not None else "html" if req.html is not None else "url"
    return Job(kind=kind, value=getattr(req, kind), options=req.options, replace=req.replace)


def _validation_error(exc: ValidationError):
    from fastapi.exceptions import RequestValidationError

    return RequestValidationError(exc.errors(include_url=False))


@api.post(
    "/analyze",
    summary="Analyse an article and store the result",
    responses=ERRORS,
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": AnalyzeRequest.model_json_schema(ref_template="#/components/schemas/{model}")},
        "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary", "description": "An .html or .txt file (read by content)."},
            "options": {"type": "string", "description": 'JSON, e.g. {"model": "fast"}'},
            "replace": {"type": "string", "description": "true: replace a stored analysis made with other options"}}}},
    }}},
)
async def analyze(request: Request) -> Response:
    """Returns the Document JSON (schema unspun/1) with `id` added."""
    job = await read_job(request)
    _, body = await analyze_and_store(request.app, job)
    return Response(body, media_type="application/json")


@api.get("/documents", summary="Recent stored analyses", responses=ERRORS)
async def documents(request: Request, limit: int = Query(20, ge=1, le=200),
                    offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> dict:
    items, total = await run_in_threadpool(request.app.state.store.recent, limit, offset)
    return {"items": [{k: it.get(k) for k in ("id", "title", "site", "created_at", "counts")} for it in items], "total": total}


@api.get("/documents/{doc_id}", summary="A stored analysis", responses={404: {"description": "No such document"}, **ERRORS})
async def get_document(request: Request, doc_id: str) -> Response:
    doc = await run_in_threadpool(request.app.state.store.get, doc_id)
    if doc is None:
        raise HTTPException(404, f"no document {doc_id!r}")
    return doc_json(doc, doc_id)


@api.delete("/documents/{doc_id}", summary="Delete a stored analysis", status_code=204,
            responses={404: {"description": "No such document"}, **ERRORS})
async def delete_document(request: Request, doc_id: str) -> Response:
    if not await run_in_threadpool(request.app.state.store.delete, doc_id):
        raise HTTPException(404, f"no document {doc_id!r}")
    return Response(status_code=204)


@api.get("/techniques", summary="The techniques of a taxonomy (ptc14: 14, default; semeval23: 23), with definitions",
         responses=ERRORS)
async def techniques(taxonomy_name: str = Query(taxonomy.DEFAULT, alias="taxonomy", pattern="^(ptc14|semeval23)$",
                                                description="ptc14 (SemEval-2020, 14) or semeval23 (SemEval-2023, 23)")
                     ) -> list[dict]:
    found = taxonomy.get(taxonomy_name)
    return [{"id": t.id, "technique": t.name, "definition": t.definition, "example": t.example, "colour": t.colour,
             **({"family": t.family} if t.family else {})} for t in found.techniques]


@lru_cache(maxsize=4)
def _semeval23_models(model: str | None) -> dict:
    """The 23-technique heads that `--taxonomy semeval23` would use with the server's model (read once from their
    config, so /healthz stays cheap; the heads themselves load on first use)."""
    from unspun.runtime import models

    return models.semeval23_info(model)


@router.get("/healthz", summary="Liveness, and the models loaded")
async def healthz(request: Request) -> dict:
    models = {**request.app.state.models, **_semeval23_models(getattr(request.app.state.config, "model", None))}
    return {"status": "ok", "version": __version__, "models": models}


router.include_router(api)
