"""Engines that run the pipeline over many records: a local process pool (default) and Ray.

Both load the models once per worker (a process, or a Ray actor), skip documents the store already holds with
the same model and options, and hand results back to the driver, which writes them to the store in batches of
one transaction each. Results travel as pickled `Analysed`/`Failure` objects; the driver only writes.
"""

from __future__ import annotations

import os
import pickle
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from unspun.corpus.readers import Record
from unspun.corpus.store import Analysed, Failure, Store, content_hash, document_id, options_key
from unspun.errors import ModelError, UnspunError, UsageError
from unspun.ingest.site import site_of
from unspun.orphans import exit_with_parent

Item = tuple[str | None, Record]  # (id of the failed row this retries, or None; the record)


@dataclass(slots=True)
class Skipped:
    id: str


@dataclass
class Summary:
    """What a run did. `seconds` is wall time from the first submitted record to the last write."""

    analysed: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.analysed + self.skipped + self.failed

    def line(self) -> str:
        rate = self.total / self.seconds if self.seconds else 0.0
        return (f"analysed {self.analysed}, skipped {self.skipped} (already in the store), failed {self.failed} "
                f"in {self.seconds:.1f} s ({rate:.2f} docs/s)")


def resolve_options(model: str | None = None, min_score: float | None = None, stages: list[str] | None = None,
                    taxonomy: str | None = None) -> dict[str, Any]:
    """The options as requested, with stages resolved; validated before any worker starts."""
    from unspun import pipeline

    return pipeline.options(stages, model, min_score, taxonomy)


def model_version(model: str, taxonomy: str | None = None) -> str | None:
    """The technique model's version, read from its config without loading it (for the skip check): the version a
    stored Document records in `models.techniques` (see `unspun.runtime.models.version`)."""
    from unspun.runtime import models

    return models.version(model, taxonomy)


def run_key(options: dict[str, Any]) -> tuple[str, str | None, str]:
    """(model name, model version, options key): a stored document with the same key is not analysed again."""
    version = model_version(options["model"], options.get("taxonomy")) if "techniques" in options["stages"] else None
    return options["model"], version, options_key(options)


# --- the worker side (a pool process or a Ray actor) ----------------------------------------------------------
class Analyzer:
    """Holds the loaded models and turns records into results. One per worker process or Ray actor."""

    def __init__(self, options: dict[str, Any], done: frozenset[str] | set[str], max_bytes: int | None = None) -> None:
        from unspun.limits import max_bytes as resolve_max_bytes

        self.options = options
        self.key = options_key(options)
        self.done = done
        self.max_bytes = resolve_max_bytes(max_bytes)
        self._warm()

    def _warm(self) -> None:
        """Load every stage's models now, once, so the first document does not pay for it."""
        from unspun import pipeline

        pipeline.analyze_text("Warm-up text. The models load once per worker.", **self._kwargs())

    def _kwargs(self) -> dict[str, Any]:
        o = self.options
        return {"stages": o["stages"], "model": o["model"], "min_score": o["min_score"], "max_bytes": self.max_bytes,
                "taxonomy": o.get("taxonomy")}

    def __call__(self, items: list[Item]) -> list[tuple[str | None, Analysed | Failure | Skipped]]:
        return [(replaces, self.one(record, force=replaces is not None)) for replaces, record in items]

    def one(self, record: Record, *, force: bool = False) -> Analysed | Failure | Skipped:
        """Read the record once (`ingest.load`: the HTML is extracted once), skip it when the store holds its text
        and site with these options, else run the stages on that same Document."""
        from unspun import ingest, pipeline

        extracted = None
        site = record.site or site_of(record.url)
        if record.error is not None:  # the reader could not read it: stored as failed, with the reader's reason
            return self._failure(record, record.error, None, site)
        try:
            is_html = record.input_format == "html"
            try:
                # a page's own site name beats its URL's host; a row's `site` beats both
                doc = ingest.load(record.content, max_bytes=self.max_bytes, kind="html" if is_html else "text",
                                  url=record.url if is_html else None, site=record.site if is_html else site,
                                  source_type=record.source_type or record.input_format, source_value=record.source)
            except UnspunError:
                extracted = None if is_html else _decoded(record.content, self.max_bytes)  # as far as it was read
                raise
            extracted, site = doc.text, doc.metadata.site
            doc_id = document_id(content_hash(extracted), site)
            if not force and doc_id in self.done:
                return Skipped(doc_id)
            doc = pipeline.run(doc, self.options)
        except ModelError:
            raise  # every document would fail the same way: stop the run
        except UnspunError as exc:
            return self._failure(record, str(exc), extracted, site)
        except Exception as exc:  # a bug in a stage: keep the document with its error, go on with the rest
            return self._failure(record, f"internal error: {type(exc).__name__}: {exc}", extracted, site)
        meta = doc.metadata
        meta.title = record.title or meta.title
        meta.date = record.date or meta.date
        meta.url = record.url or meta.url
        meta.site = site
        return Analysed(doc, site, record.external_id, options_key=self.key)

    def _failure(self, record: Record, error: str, extracted: str | None, site: str | None) -> Failure:
        raw = record.content if isinstance(record.content, str) else record.content.decode("utf-8", "replace")
        return Failure(error=error.splitlines()[0] if error else "error", raw=raw, input_format=record.input_format,
                       site=site, url=record.url, title=record.title, date=record.date,
                       external_id=record.external_id, source_value=record.source, options=dict(self.options),
                       text=extracted)


def _decoded(content: str | bytes, max_bytes: int) -> str | None:
    """A failed text record's text, when its bytes are within the limit and decode (the failed record keeps it)."""
    if isinstance(content, str):
        return content
    if len(content) > max_bytes:
        return None
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return None


_ANALYZER: Analyzer | None = None
_INIT_ERROR: BaseException | None = None


def _init_worker(options: dict[str, Any], done: frozenset[str], max_bytes: int | None, threads: int = 1,
                 parent: int | None = None) -> None:
    global _ANALYZER, _INIT_ERROR
    if parent is not None:
        exit_with_parent(parent)
    # the pool has one process per core: one inference thread each, unless the user chose otherwise
    os.environ.setdefault("UNSPUN_THREADS", str(threads))
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    try:
        _ANALYZER = Analyzer(options, done, max_bytes)
    except BaseException as exc:  # reported on the first task, as the real error (e.g. a missing model: exit 78)
        _INIT_ERROR = exc


def _work(items: list[Item]) -> bytes:
    if _INIT_ERROR is not None:
        raise _INIT_ERROR
    assert _ANALYZER is not None
    return pickle.dumps(_ANALYZER(items), protocol=pickle.HIGHEST_PROTOCOL)


# --- the driver side -----------------------------------------------------------------------------------------
class Writer:
    """Collects results and writes them to the store in batches: one transaction per batch."""

    def __init__(self, store: Store | None, summary: Summary, batch_size: int, on_result: Callable[[int], None]):
        self.store, self.summary, self.batch_size, self.on_result = store, summary, batch_size, on_result
        self.buffer: list[tuple[str | None, Analysed | Failure]] = []

    def add(self, results: Iterable[tuple[str | None, Analysed | Failure | Skipped]]) -> None:
        n = 0
        for replaces, outcome in results:
            n += 1
            if isinstance(outcome, Skipped):
                self.summary.skipped += 1
                continue
            if isinstance(outcome, Failure):
                self.summary.failed += 1
                if len(self.summary.errors) < 20:
                    self.summary.errors.append(f"{outcome.source_value}: {outcome.error}")
            else:
                self.summary.analysed += 1
            self.buffer.append((replaces, outcome))
        if len(self.buffer) >= self.batch_size:
            self.flush()
        self.on_result(n)

    def flush(self) -> None:
        if self.buffer and self.store is not None:
            self.store.write(self.buffer)
        self.buffer = []


def _chunks(items: Iterable[Item], n: int) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= n:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_local(items: Iterable[Item], store: Store, options: dict[str, Any], *, workers: int | None = None,
              reanalyze: bool = False, batch_size: int = 32, chunk: int = 2, max_bytes: int | None = None,
              on_result: Callable[[int], None] = lambda n: None) -> Summary:
    """Analyse with a pool of `workers` processes (default: all cores), each loading the models once."""
    import multiprocessing

    workers = workers or os.cpu_count() or 1
    done = frozenset() if reanalyze else frozenset(store.done_ids(*run_key(options)))
    summary = Summary()
    writer = Writer(store, summary, batch_size, on_result)
    # spawn, not fork: a forked child would share the driver's database connections
    ctx = multiprocessing.get_context("spawn")
    started = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker, initargs=(options, done, max_bytes, max(1, (os.cpu_count() or 1) // workers), os.getpid())) as pool:
        chunks = _chunks(items, chunk)
        pending: set = set()
        feed_error: list[BaseException] = []

        def fill() -> None:
            while not feed_error and len(pending) < workers * 3:
                try:
                    nxt = next(chunks, None)
                except Exception as exc:  # the input itself broke: finish and keep what is running, then stop
                    feed_error.append(exc)
                    return
                if nxt is None:
                    return
                pending.add(pool.submit(_work, nxt))

        try:
            fill()
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                error: BaseException | None = None
                for fut in finished:
                    try:
                        writer.add(pickle.loads(fut.result()))
                    except BaseException as exc:  # keep the other finished results, then stop
                        error = error or exc
                if error is not None:
                    raise error
                fill()
            if feed_error:
                raise feed_error[0]
        except BaseException:
            for fut in pending:
                fut.cancel()
            raise
        finally:
            writer.flush()  # what was analysed before an error is kept
    summary.seconds = time.perf_counter() - started
    return summary


def _ray_schema():
    import pyarrow as pa

    return pa.schema([("id", pa.string()), ("status", pa.string()), ("result", pa.binary()), ("document", pa.large_string()),
                      ("site", pa.string()), ("error", pa.string())])


class _RayAnalyzer:
    """The Ray Data actor: builds an Analyzer once, then maps batches of pickled items to pickled results."""

    def __init__(self, options: dict[str, Any], done: Any, max_bytes: int | None) -> None:
        import ray

        done_set = ray.get(done) if isinstance(done, ray.ObjectRef) else done
        os.environ.setdefault("UNSPUN_THREADS", "1")  # one actor per CPU
        self.analyzer = Analyzer(options, done_set, max_bytes)

    def __call__(self, batch: dict[str, Any]) -> Any:
        import pyarrow as pa

        items = [pickle.loads(b) for b in batch["item"]]
        results = self.analyzer(items)
        out: dict[str, list] = {"id": [], "status": [], "result": [], "document": [], "site": [], "error": []}
        for replaces, outcome in results:
            status = "skipped" if isinstance(outcome, Skipped) else "error" if isinstance(outcome, Failure) else "ok"
            out["id"].append(outcome.id if not isinstance(outcome, Analysed) else
                             document_id(content_hash(outcome.doc.text), outcome.site))
            out["status"].append(status)
            out["result"].append(pickle.dumps((replaces, outcome), protocol=pickle.HIGHEST_PROTOCOL))
            out["document"].append(outcome.doc.to_json().decode() if isinstance(outcome, Analysed) else None)
            out["site"].append(outcome.site if not isinstance(outcome, Skipped) else None)
            out["error"].append(outcome.error if isinstance(outcome, Failure) else None)
        # typed columns: a batch whose errors (or sites) are all None must not write a `null` column, or the
        # Parquet files of one run would not read back as one table
        return pa.table(out, schema=_ray_schema())


def run_ray(items: Iterable[Item], store: Store | None, options: dict[str, Any], *, workers: int | None = None,
            address: str | None = None, reanalyze: bool = False, batch_size: int = 32, chunk: int = 2,
            max_bytes: int | None = None, parquet: str | os.PathLike | None = None,
            on_result: Callable[[int], None] = lambda n: None) -> Summary:
    """Analyse on Ray: Ray Data `map_batches` over an actor pool of `workers` actors that hold the models.

    `address=None` starts a local Ray; `auto` or `ray://host:10001` joins an existing cluster. Results go to the
    store (written by this driver in batches) or, with `parquet=DIR`, to Parquet files written by Ray itself.
    """
    try:
        import ray
        import ray.data
    except ImportError:
        raise UsageError("the ray engine needs Ray: pip install 'unspun[ray]'") from None

    workers = workers or os.cpu_count() or 1
    done = frozenset() if reanalyze or store is None else frozenset(store.done_ids(*run_key(options)))
    started_here = not ray.is_initialized()
    if started_here:
        import logging

        init: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False, "logging_level": logging.ERROR}
        if address:
            ray.init(address=address, **init)
        else:
            ray.init(num_cpus=workers, object_store_memory=256 * 1024 * 1024, **init)
    summary = Summary()
    started = time.perf_counter()
    try:
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False
        ctx.print_on_execution_start = False
        blobs = [{"item": pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)} for item in items]
        if not blobs:
            return summary
        ds = ray.data.from_items(blobs, override_num_blocks=max(1, min(len(blobs), workers * 8)))
        ds = ds.map_batches(
            _RayAnalyzer, batch_size=chunk, batch_format="numpy", num_cpus=1,
            compute=ray.data.ActorPoolStrategy(size=workers),
            fn_constructor_kwargs={"options": options, "done": ray.put(done), "max_bytes": max_bytes},
        )
        if parquet is not None:
            Path(parquet).mkdir(parents=True, exist_ok=True)
            ds.drop_columns(["result"]).write_parquet(str(parquet))
            for row in ray.data.read_parquet(str(parquet)).select_columns(["status"]).iter_rows():
                summary.analysed += row["status"] == "ok"
                summary.failed += row["status"] == "error"
                summary.skipped += row["status"] == "skipped"
            on_result(summary.total)
        else:
            writer = Writer(store, summary, batch_size, on_result)
            try:
                for batch in ds.select_columns(["result"]).iter_batches(batch_size=chunk, batch_format="numpy"):
                    writer.add(pickle.loads(b) for b in batch["result"])
            finally:
                writer.flush()
    finally:
        if started_here:
            ray.shutdown()
    summary.seconds = time.perf_counter() - started
    return summary
