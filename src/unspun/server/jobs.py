"""Analyses sent through the web form, as jobs a browser can watch.

Why: a 1,600-word article takes about 20 s with the accurate model, and a form that only waits shows nothing.
The form's POST starts the analysis and waits a moment (`ServerConfig.form_wait_s`): what finishes in that time
answers as before (the report, or the form again with the error), and anything longer is sent to `/jobs/ID`, a
page that shows how long it has run (with an estimate from this server's own recent analyses) and reloads itself
every few seconds with a meta refresh, so it needs no script and nothing the CSP must allow, until the report
is ready. A form without `watch=1` (a script posting it) still waits for the end.

Jobs live in this process's memory: a restart forgets them (a finished analysis is stored anyway). Ids are random
(128 bits), the page sits behind the same login gate as every page, and finished jobs are dropped after `KEEP_S`.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from unspun.server.analysis import Job, analyze_and_store

log = logging.getLogger("unspun.server")

KEEP_S = 15 * 60  # finished jobs are kept this long for their page
MAX_FINISHED = 500
TIMINGS = 20  # recent analyses per model the estimate is drawn from


@dataclass(eq=False)
class FormJob:
    id: str
    job: Job
    form: dict[str, str]  # what to fill the form with again if it fails
    words: int | None
    model: str
    started: float = field(default_factory=time.monotonic)
    task: asyncio.Task | None = None
    doc_id: str | None = None
    error: BaseException | None = None
    finished: float | None = None

    @property
    def elapsed(self) -> float:
        return (self.finished or time.monotonic()) - self.started

    async def wait(self, timeout: float | None) -> bool:
        """Wait up to `timeout` seconds (None: to the end); True when the job has finished."""
        assert self.task is not None
        await asyncio.wait({self.task}, timeout=timeout)
        return self.task.done()


class FormJobs:
    """The running and recently finished form jobs of this server process."""

    def __init__(self) -> None:
        self._jobs: dict[str, FormJob] = {}
        self._timings: dict[str, deque[tuple[int, float]]] = {}

    def start(self, app: Any, job: Job, *, form: dict[str, str], model: str) -> FormJob:
        self._prune()
        words = len(job.value.split()) if job.kind == "text" and isinstance(job.value, str) else None
        entry = FormJob(secrets.token_urlsafe(16), job, form, words, model)
        entry.task = asyncio.create_task(self._run(app, entry))
        self._jobs[entry.id] = entry
        return entry

    def get(self, job_id: str) -> FormJob | None:
        return self._jobs.get(job_id)

    def drop(self, job_id: str) -> None:
        self._jobs.pop(job_id, None)

    def estimate(self, model: str, words: int | None) -> float | None:
        """Seconds an analysis of `words` words should take, from this server's recent ones (None: no data)."""
        seen = self._timings.get(model)
        if not words or not seen:
            return None
        total_words = sum(w for w, _ in seen)
        return words * sum(s for _, s in seen) / total_words if total_words else None

    async def _run(self, app: Any, entry: FormJob) -> None:
        try:
            entry.doc_id, _ = await analyze_and_store(app, entry.job)
        except Exception as exc:  # kept for the page; the route re-raises what the app's handlers answer
            entry.error = exc
        finally:
            entry.finished = time.monotonic()
        if entry.doc_id is not None and entry.words:
            self._timings.setdefault(entry.model, deque(maxlen=TIMINGS)).append((entry.words, entry.elapsed))

    def _prune(self) -> None:
        now = time.monotonic()
        done = [j for j in self._jobs.values() if j.finished is not None]
        for j in done:
            if now - j.finished > KEEP_S:
                self.drop(j.id)
        done = sorted((j for j in done if j.id in self._jobs), key=lambda j: j.finished)
        for j in done[: max(0, len(done) - MAX_FINISHED)]:
            self.drop(j.id)
