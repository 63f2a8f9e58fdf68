"""The web UI: paste / URL / upload, a page that follows a long analysis, the report page (the same renderer as
`--format html`), recent analyses, login, the dashboard, the Swagger UI from local files, and the icon."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from unspun.errors import UnspunError
from unspun.render import html as html_render
from unspun.render import summary as summaries
from unspun.runtime.models import MODELS
from unspun.server.analysis import Job, Options
from unspun.server.errors import status_for
from unspun.server.auth import (CSRF_COOKIE, SESSION_COOKIE, client_key, cookie_args, csrf_cookie, csrf_form_token,
                                csrf_ok, token_matches)
from unspun.server.jobs import FormJob

router = APIRouter(include_in_schema=False)

MAX_PAGE = 10**9  # paging beyond this is a 422, never an integer overflow in the database driver

STATIC = Path(__file__).resolve().parent.parent / "render" / "static"


def _swagger_dir() -> Path:
    """Swagger UI 5 (OpenAPI 3.1) as shipped inside the fastapi-offline wheel: local files, no CDN."""
    import fastapi_offline

    return Path(fastapi_offline.__file__).resolve().parent / "static"


# The only files served: fixed names mapped to fixed files. No path from a request ever reaches the filesystem.
STATIC_FILES = {
    "swagger-ui-bundle.js": lambda: _swagger_dir() / "swagger-ui-bundle.js",
    "swagger-ui.css": lambda: _swagger_dir() / "swagger-ui.css",
    "swagger-init.js": lambda: STATIC / "swagger-init.js",
}
MEDIA = {".js": "text/javascript", ".css": "text/css"}


def logged_in(request: Request) -> bool:
    return request.app.state.sessions.valid(request.cookies.get(SESSION_COOKIE))


def gate(request: Request) -> Response | None:
    """Off loopback, pages need a login: GETs are sent to the login page, anything else is refused."""
    if not request.app.state.config.auth_required or logged_in(request):
        return None
    if request.method == "GET":
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    raise HTTPException(401, "log in first")


def page(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
    """Render a page with this browser's CSRF form token (its cookie is set when new)."""
    token, new = csrf_cookie(request)
    form_token = csrf_form_token(request.app.state.csrf_secret, token, request.cookies.get(SESSION_COOKIE))
    body = html_render.render_page(template, csrf=form_token,
                                   logged_in=request.app.state.config.auth_required and logged_in(request),
                                   **context)
    response = HTMLResponse(body, status_code=status)
    if new:
        response.set_cookie(CSRF_COOKIE, token, **cookie_args(request))
    return response


def check_csrf(request: Request, submitted) -> None:
    if not csrf_ok(request, submitted if isinstance(submitted, str) else None, request.app.state.csrf_secret):
        raise HTTPException(403, "the form's CSRF token is missing or stale; reload the page and try again")


@router.get("/", response_class=HTMLResponse)
async def index(request: Request):
    if (r := gate(request)) is not None:
        return r
    return page(request, "analyze.html.j2", page_title="Analyse an article", error=None, form={})


@router.post("/analyze", response_class=HTMLResponse)
async def analyze_form(request: Request):
    if (r := gate(request)) is not None:
        return r
    config = request.app.state.config
    form = await request.form(max_files=1, max_fields=10, max_part_size=config.max_bytes + 1)
    check_csrf(request, form.get("csrf"))
    model = form.get("model") if form.get("model") in MODELS else None
    options = Options(model=model)
    watch = form.get("watch") == "1"  # the page's own form: follow a long analysis on /jobs/ID
    upload = form.get("file")
    text = (form.get("text") or "").strip() and form.get("text")
    url = (form.get("url") or "").strip()
    if isinstance(upload, UploadFile) and upload.filename:
        job = Job(kind="bytes", value=await upload.read(), options=options, name=upload.filename)
    elif url:
        job = Job(kind="url", value=url, options=options)
    elif text:
        job = Job(kind="text", value=text, options=options)
    else:
        return page(request, "analyze.html.j2", 422, page_title="Analyse an article",
                    error="Paste some text, give a URL, or choose a file.", form={})
    jobs = request.app.state.form_jobs
    entry = jobs.start(request.app, job, form={"text": text or "", "url": url}, model=model or config.model)
    if not await entry.wait(config.form_wait_s if watch else None):
        return RedirectResponse(f"/jobs/{entry.id}", status_code=303)
    return _finished(request, entry)


def _finished(request: Request, entry: FormJob) -> Response:
    """A finished form job: its report, or the form again with the error (errors the app answers itself, such as
    a full queue's 503 with Retry-After, are raised to it)."""
    request.app.state.form_jobs.drop(entry.id)
    if entry.error is None:
        return RedirectResponse(f"/documents/{quote(entry.doc_id, safe='')}", status_code=303)
    if isinstance(entry.error, UnspunError) and status_for(entry.error)[0] < 500:
        return page(request, "analyze.html.j2", status_for(entry.error)[0], page_title="Analyse an article",
                    error=str(entry.error), form=entry.form)
    raise entry.error


REFRESH_S = 2


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
async def job_page(request: Request, job_id: str):
    """A running analysis: how long it has run, an estimate, and a reload every few seconds until it is done."""
    if (r := gate(request)) is not None:
        return r
    entry = request.app.state.form_jobs.get(job_id)
    if entry is None:
        raise HTTPException(404, "no such analysis in progress (a finished one opens its report; see Recent analyses)")
    if entry.task is not None and entry.task.done():
        return _finished(request, entry)
    estimate = request.app.state.form_jobs.estimate(entry.model, entry.words)
    return page(request, "progress.html.j2", page_title="Analysing…", refresh=REFRESH_S, entry=entry,
                elapsed=int(entry.elapsed), estimate=round(estimate) if estimate else None)


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
async def report(request: Request, doc_id: str):
    if (r := gate(request)) is not None:
        return r
    doc = await run_in_threadpool(request.app.state.store.get, doc_id)
    if doc is None:
        raise HTTPException(404, f"no stored analysis {doc_id!r}")
    references = [summaries.shipped_reference(),
                  await run_in_threadpool(_corpus_reference, request.app.state.store, doc.taxonomy)]
    context = await run_in_threadpool(lambda: html_render.report_context(doc, 0, references=references))
    title = context["title"]
    return page(request, "report.html.j2", page_title=title, sections=[context], stored_id=doc_id)


def _corpus_reference(store, taxonomy: str) -> summaries.Reference | None:
    """This server's own rate of techniques per 1,000 words (under the document's taxonomy), once enough analyses
    are stored."""
    from unspun.corpus import stats

    totals = stats.overall(store, taxonomy)
    return summaries.corpus_reference(totals["documents"], totals["words"], totals["techniques"], taxonomy)


@router.post("/documents/{doc_id}/delete")
async def delete(request: Request, doc_id: str):
    if (r := gate(request)) is not None:
        return r
    form = await request.form(max_files=0, max_fields=5)
    check_csrf(request, form.get("csrf"))
    if not await run_in_threadpool(request.app.state.store.delete, doc_id):
        raise HTTPException(404, f"no stored analysis {doc_id!r}")
    return RedirectResponse("/recent", status_code=303)


@router.get("/recent", response_class=HTMLResponse)
async def recent(request: Request, page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE)):
    if (r := gate(request)) is not None:
        return r
    per_page = 25
    items, total = await run_in_threadpool(request.app.state.store.recent, per_page, (page_no - 1) * per_page)
    pages = max(1, -(-total // per_page))
    return page(request, "recent.html.j2", page_title="Recent analyses", items=items, total=total, page_no=page_no, pages=pages)


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, next: str = "/"):
    return page(request, "login.html.j2", page_title="Log in", next=_safe_next(next), error=None)


@router.post("/login")
async def login(request: Request):
    form = await request.form(max_files=0, max_fields=5)
    check_csrf(request, form.get("csrf"))
    target = _safe_next(form.get("next") or "/")
    throttle, client = request.app.state.throttle, client_key(request)
    if (wait := throttle.retry_after(client)) is not None:
        raise HTTPException(429, f"too many failed attempts; try again in {wait} s", headers={"Retry-After": str(wait)})
    if not token_matches(form.get("token") if isinstance(form.get("token"), str) else None, request.app.state.config.token):
        throttle.failed(client)
        return page(request, "login.html.j2", 401, page_title="Log in", next=target, error="That token is not right.")
    throttle.succeeded(client)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, request.app.state.sessions.create(), max_age=12 * 3600, **cookie_args(request))
    return response


@router.post("/logout")
async def logout(request: Request):
    form = await request.form(max_files=0, max_fields=5)
    check_csrf(request, form.get("csrf"))
    request.app.state.sessions.drop(request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _safe_next(target: str) -> str:
    """Only same-site paths: never `//host` or a scheme, so the login cannot redirect elsewhere."""
    if isinstance(target, str) and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


@router.get("/docs", response_class=HTMLResponse)
async def docs(request: Request):
    if (r := gate(request)) is not None:
        return r
    return HTMLResponse(html_render.render_page("swagger.html.j2", page_title="API docs"))


@router.get("/openapi.json")
async def openapi(request: Request):
    if (r := gate(request)) is not None:
        return r
    return request.app.openapi()


@router.get("/favicon.ico", include_in_schema=False)
async def favicon():
    """The icon every browser asks for (no login needed: it is a fixed file, like /healthz)."""
    return FileResponse(STATIC / "favicon.ico", media_type="image/x-icon",
                        headers={"Cache-Control": "public, max-age=86400"})


@router.get("/static/{name}")
async def static(request: Request, name: str):
    if (r := gate(request)) is not None:
        return r
    resolve = STATIC_FILES.get(name)
    if resolve is None:
        raise HTTPException(404, "no such file")
    path = resolve()
    return FileResponse(path, media_type=MEDIA[path.suffix], headers={"Cache-Control": "public, max-age=3600"})


# --- the corpus dashboard (issue 6) ----------------------------------------------------------------------------
def _blank(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard(request: Request, by: str = "site", site: str | None = None, since: str | None = None,
                    until: str | None = None, keyword: str | None = None, a: str | None = None, b: str | None = None):
    if (r := gate(request)) is not None:
        return r
    from unspun.corpus import stats
    from unspun.render import dashboard as dash

    store = request.app.state.store
    filters = {"by": by if by in ("site", "month", "week") else "site", "site": _blank(site), "since": _blank(since),
               "until": _blank(until), "keyword": _blank(keyword), "a": _blank(a), "b": _blank(b)}
    sites_only = [filters["site"]] if filters["site"] else None
    common = dict(since=filters["since"], until=filters["until"], keyword=filters["keyword"])

    def gather() -> dict:
        all_sites = [r["group"] for r in stats.compute(store, "site")["rows"] if r["group"] != stats.UNKNOWN]
        by_group = stats.compute(store, filters["by"], sites_only, **common)
        time_by = filters["by"] if filters["by"] in ("month", "week") else "month"
        over_time = stats.compute(store, time_by, sites_only, **common)
        over_time["rows"] = [r for r in over_time["rows"] if r["group"] != stats.UNKNOWN]
        compare = stats.compare(store, filters["a"], filters["b"], **common) if filters["a"] and filters["b"] else None
        speakers = stats.top_speakers(store, filters["site"])
        sources = stats.top_sources(store, filters["site"])
        labels = stats.actor_labels(store, filters["site"])
        charts = dash.charts(by_group=by_group, over_time=over_time, compare=compare, speakers=speakers, sources=sources,
                             filters=filters)
        return {"sites": sorted(all_sites), "charts": charts, "labels": labels}

    try:
        data = await run_in_threadpool(gather)
    except UnspunError as exc:
        if status_for(exc)[0] >= 500:
            raise
        return page(request, "dashboard.html.j2", 400, page_title="Dashboard", filters=filters, sites=[], charts=[],
                    labels=[], error=str(exc))
    return page(request, "dashboard.html.j2", page_title="Dashboard", filters=filters, error=None, **data)


@router.get("/corpus/documents", response_class=HTMLResponse)
async def corpus_documents(request: Request, by: str | None = None, group: str | None = None, site: str | None = None,
                           technique: str | None = None, speaker: str | None = None, source: str | None = None,
                           actor: str | None = None, since: str | None = None, until: str | None = None,
                           keyword: str | None = None, page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE)):
    """The documents behind a dashboard chart point."""
    if (r := gate(request)) is not None:
        return r
    from unspun.corpus import stats

    query = {"by": _blank(by), "group": _blank(group), "site": _blank(site), "technique": _blank(technique),
             "speaker": _blank(speaker), "source": _blank(source), "actor": _blank(actor), "since": _blank(since),
             "until": _blank(until), "keyword": _blank(keyword)}
    per_page = 50
    args = {k: v for k, v in query.items() if k != "site"}
    items, total = await run_in_threadpool(
        lambda: stats.documents(request.app.state.store, sites=[query["site"]] if query["site"] else None,
                                limit=per_page, offset=(page_no - 1) * per_page, **args))
    query = {k: v for k, v in query.items() if v}
    return page(request, "corpus_documents.html.j2", page_title="Documents", items=items, total=total, query=query,
                page_no=page_no, pages=max(1, -(-total // per_page)))
