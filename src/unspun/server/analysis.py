"""One analysis request, from the API or a web form: validate, run the pipeline in a worker process, store, return the id.

Both front ends call `analyze_and_store`, so the API and the web UI cannot drift apart.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.concurrency import run_in_threadpool

from unspun import ingest, pipeline
from unspun.document import Document
from unspun.errors import InputDataError, TimeLimitError
from unspun.runtime.models import MODELS
from unspun.server.config import TIME_LIMIT_ENV
from unspun.server.work import HardTimeout, WorkerLost

# The pipeline checks its time limit between steps; a worker still busy this long after the limit is stuck in one
# step (native code, a pathological regex) and is killed.
HARD_LIMIT_GRACE_S = 30.0


class AnalysisCrashed(Exception):
    """The worker process died while analysing (500)."""


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", protected_namespaces=())
    model: Literal[MODELS] | None = Field(None, description="Technique model (default: the server's --model).")
    min_score: float | None = Field(None, ge=0.0, le=1.0, description="Drop detections scored below this.")
    stages: list[str] | str | None = Field(None, description="Stages to run (a list or 'a,b'); default: all available.")
    taxonomy: Literal["ptc14", "semeval23"] | None = Field(
        None, description="Technique scheme: ptc14 (PTC's 14, default) or semeval23 (SemEval-2023's 23).")


class AnalyzeRequest(BaseModel):
    """Exactly one of `text`, `html` or `url`."""

    model_config = ConfigDict(extra="forbid")
    text: str | None = None
    html: str | None = None
    url: str | None = None
    options: Options = Field(default_factory=Options)
    replace: bool = Field(False, description="Replace a stored analysis of the same text made with other options "
                                             "(by default both are kept, under different ids).")

    @model_validator(mode="after")
    def one_input(self) -> AnalyzeRequest:
        given = [k for k in ("text", "html", "url") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of text, html or url")
        return self


class Job(BaseModel):
    """What to analyse: `kind` is text, html, url or bytes (an upload, read by content)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    kind: Literal["text", "html", "url", "bytes"]
    value: str | bytes
    options: Options = Field(default_factory=Options)
    name: str | None = None  # an upload's file name, shown as the source only
    replace: bool = False  # may replace a stored analysis of the same text made with other options


def stage_list(stages: list[str] | str | None) -> list[str] | None:
    if stages is None:
        return None
    if isinstance(stages, str):
        stages = stages.split(",")
    return [s.strip() for s in stages if s.strip()]


def check_size(job: Job, max_bytes: int) -> None:
    """The input limit on the text itself (413): the body cap in the middleware only guards memory."""
    if job.kind == "url":
        return
    size = len(job.value) if isinstance(job.value, bytes) else len(job.value.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise InputDataError(f"input is {size:,} bytes, over the limit of {max_bytes:,} bytes")


def run(job: Job, *, default_model: str, max_bytes: int, url_timeout: float, time_limit: float) -> Document:
    """Analyse a job (in a worker process): `ingest.load`, then `pipeline.run` under the server's per-document time
    limit. A job's kind is ingest's: text, html, url, or bytes (an upload, read by its content)."""
    options = pipeline.options(stage_list(job.options.stages), job.options.model or default_model, job.options.min_score,
                               job.options.taxonomy)
    value = str(job.value).strip() if job.kind == "url" else job.value
    try:
        doc = ingest.load(value, "auto", max_bytes, kind=job.kind, timeout=url_timeout,
                          source_value=job.name if job.kind == "bytes" else None)
        return pipeline.run(doc, options, time_limit=time_limit)
    except TimeLimitError:  # the pipeline's message names the CLI's settings; the server has its own
        raise TimeLimitError(time_limit_message(time_limit)) from None


def time_limit_message(limit: float) -> str:
    return f"analysis took longer than the server's limit of {limit:g} s per document (set by {TIME_LIMIT_ENV})"


def document_body(doc: Document, doc_id: str) -> bytes:
    """The API's answer: the Document JSON with `id` added after `schema`."""
    import orjson

    data = doc.to_dict()
    return orjson.dumps({"schema": data.pop("schema"), "id": doc_id, **data})


def save(store, doc: Document, *, replace: bool = False) -> str:
    """Store an analysis; return its id.

    Its id follows the text and site. When an analysis of the same text and site made with other options (model,
    min_score, stages) is already stored, it is kept, and this one goes under an id that also follows its options,
    unless `replace` asks to replace it. The same options again replace the earlier result in place.
    """
    from unspun.corpus.store import content_hash, document_id, options_key

    site = doc.metadata.site  # set by ingest (`unspun.ingest.site`)
    if not replace:
        chash = content_hash(doc.text)
        stored = store.info(document_id(chash, site))
        key = options_key(doc.options)
        if stored is not None and stored.get("status") == "ok" and options_key(stored.get("options") or {}) != key:
            return store.save(doc, site=site, doc_id=document_id(chash, f"{site or ''}\x00options:{key}"))
    return store.save(doc, site=site)


_stores: dict[str, object] = {}


def run_and_store(job: Job, db_url: str, **options) -> tuple[str, bytes]:
    """In a worker: analyse, store, and serialise, so the event loop's process only passes bytes on.

    Each worker opens the database once (the server already brought the schema up to date).
    """
    from unspun.corpus.store import Store

    doc = run(job, **options)
    store = _stores.get(db_url)
    if store is None:
        store = _stores[db_url] = Store(db_url, upgrade=False)
    doc_id = save(store, doc, replace=job.replace)
    return doc_id, document_body(doc, doc_id)


async def analyze_and_store(app, job: Job) -> tuple[str, bytes]:
    """Analyse (and store) in a worker process, so the event loop stays free; return the id and the API's JSON."""
    config = app.state.config
    check_size(job, config.max_bytes)
    hard_limit = config.time_limit + HARD_LIMIT_GRACE_S if config.time_limit else None
    store = app.state.store
    options = dict(default_model=config.model, max_bytes=config.max_bytes, url_timeout=config.url_timeout_s,
                   time_limit=config.time_limit)
    try:
        if not store.in_memory:
            return await app.state.pool.run(run_and_store, job, store.url, hard_limit=hard_limit, **options)
        doc = await app.state.pool.run(run, job, hard_limit=hard_limit, **options)
    except HardTimeout:
        raise TimeLimitError(f"the analysis ran past the server's time limit of {config.time_limit:g} s per document "
                             f"(set by {TIME_LIMIT_ENV}) and was stopped") from None
    except WorkerLost:
        raise AnalysisCrashed("the analysis worker stopped unexpectedly (out of memory?); it has been restarted") from None
    doc_id = await run_in_threadpool(save, store, doc, replace=job.replace)
    return doc_id, document_body(doc, doc_id)
