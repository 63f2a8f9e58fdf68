"""The one place to read how a document flows: `ingest.load` → Document → `run`: the stages, in order → caller.

Each stage is a module in `unspun.stages` with `NAME`, `REQUIRES` (the stages it needs to have run first),
`READS_PARSE` (whether it reads the shared spaCy parse) and one entry function `run(doc) -> None` that adds its own
span kind; `STAGES` lists them in their fixed order.
Stages read their options (model, min_score) from `doc.options`. The functions below are the public Python API
(INTERFACES.md): each is `ingest.load`, then `run`, as the CLI, the server and the corpus engines are.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from enum import Enum

from unspun import ingest, line_endings
from unspun.document import Document
from unspun.errors import UrlRefusedError, UsageError
from unspun.limits import check_time, deadline
from unspun.limits import time_limit as resolve_time_limit
from unspun.runtime import nlp
from unspun.runtime.models import DEFAULT_MODEL, MODELS
from unspun.runtime.threads import one_blas_thread
from unspun.stages import actors, claims, quotes, sources, techniques
from unspun.taxonomy import DEFAULT as DEFAULT_TAXONOMY
from unspun.taxonomy import TAXONOMY_NAMES

# The technique taxonomies (unspun.taxonomy) as a str Enum, for every command that takes --taxonomy.
TaxonomyName = Enum("TaxonomyName", {t: t for t in TAXONOMY_NAMES}, type=str)

# The stages, in their fixed order (INTERFACES.md): techniques → quotes → claims → sources → actors.
STAGES = (techniques, quotes, claims, sources, actors)
ORDER: tuple[str, ...] = tuple(stage.NAME for stage in STAGES)
# What each stage needs to have run before it.
REQUIRES: dict[str, tuple[str, ...]] = {stage.NAME: stage.REQUIRES for stage in STAGES}


def resolve_stages(requested: Iterable[str] | None) -> list[str]:
    """The stages to run, in order: the requested ones plus everything they need; all available ones by default."""
    available = {stage.NAME for stage in STAGES}
    if requested is None:
        return [s for s in ORDER if s in available]
    wanted: set[str] = set()
    todo = [s.strip() for s in requested if s and s.strip()]
    while todo:
        name = todo.pop()
        if name not in REQUIRES:
            raise UsageError(f"unknown stage {name!r}; stages are: {', '.join(ORDER)}")
        if name not in available:
            built = ", ".join(s for s in ORDER if s in available) or "none yet"
            raise UsageError(f"stage {name!r} is not available in unspun {_version()} (available: {built})")
        if name not in wanted:
            wanted.add(name)
            todo.extend(REQUIRES[name])
    return [s for s in ORDER if s in wanted]


def _version() -> str:
    from unspun.version import __version__

    return __version__


def options(stages: Iterable[str] | None = None, model: str | None = None, min_score: float | None = None,
            taxonomy: str | None = None) -> dict:
    """The options a Document records, validated (UsageError). `taxonomy` is added only when it is not the default
    (ptc14), so analyses under the 14 techniques keep the options (and the corpus' options keys) they always had."""
    model = model or DEFAULT_MODEL
    if model not in MODELS:
        raise UsageError(f"unknown model {model!r}; choose one of: {', '.join(MODELS)}")
    if min_score is not None and not (0.0 <= min_score <= 1.0):
        raise UsageError(f"--min-score must be between 0 and 1, not {min_score}")
    chosen = {"model": model, "min_score": min_score, "stages": resolve_stages(stages)}
    taxonomy = taxonomy or DEFAULT_TAXONOMY
    if taxonomy not in TAXONOMY_NAMES:
        raise UsageError(f"unknown taxonomy {taxonomy!r}; choose one of: {', '.join(TAXONOMY_NAMES)}")
    if taxonomy != DEFAULT_TAXONOMY:
        chosen["taxonomy"] = taxonomy
    return chosen


def run(doc: Document, options: dict, *, time_limit: float | None = None) -> Document:
    """Run the stages named in `options["stages"]` (from `options()`) on a Document from `ingest.load`, in order.

    `time_limit` (seconds, default `UNSPUN_TIME_LIMIT` or 600, 0 = none) bounds the stages: TimeLimitError.
    """
    doc.options = options
    doc.taxonomy = options.get("taxonomy", DEFAULT_TAXONOMY)
    wanted = set(options.get("stages", ()))
    # numpy's BLAS on one thread: its spinning workers took the cores from spaCy and the encoders (runtime/threads.py)
    with deadline(resolve_time_limit(time_limit)), line_endings.normalized(doc), one_blas_thread():
        # the stages see LF text; offsets come back into the text as given
        chosen = [stage for stage in STAGES if stage.NAME in wanted]
        if chosen and not chosen[0].READS_PARSE and any(stage.READS_PARSE for stage in chosen):
            nlp.prefetch(doc.text)  # spaCy (one core) parses while the first stages run the encoders
        try:
            for stage in chosen:
                check_time()  # the per-document time limit (see unspun.limits); stages also check inside long loops
                stage.run(doc)
        finally:
            nlp.forget(doc.text)
    return doc


def analyze_text(
    text: str | bytes,
    *,
    stages: Iterable[str] | None = None,
    model: str | None = None,
    min_score: float | None = None,
    max_bytes: int | None = None,
    source_type: str = "text",
    source_value: str | None = None,
    time_limit: float | None = None,
    taxonomy: str | None = None,
) -> Document:
    """Analyse plain text. Bytes are decoded as UTF-8; offsets index the (decoded) input exactly.

    `time_limit` (seconds, default `UNSPUN_TIME_LIMIT` or 600, 0 = none) bounds the whole analysis: TimeLimitError.
    `taxonomy` is `ptc14` (default: PTC's 14 techniques) or `semeval23` (SemEval-2023's 23).
    """
    chosen = options(stages, model, min_score, taxonomy)
    doc = ingest.load(text, max_bytes=max_bytes, kind="text", source_type=source_type, source_value=source_value)
    return run(doc, chosen, time_limit=time_limit)


def analyze_html(
    html: str | bytes,
    *,
    url: str | None = None,
    stages: Iterable[str] | None = None,
    model: str | None = None,
    min_score: float | None = None,
    max_bytes: int | None = None,
    source_type: str = "html",
    source_value: str | None = None,
    time_limit: float | None = None,
    taxonomy: str | None = None,
) -> Document:
    """Analyse an HTML page: offsets index the extracted article text, which the Document carries."""
    chosen = options(stages, model, min_score, taxonomy)
    doc = ingest.load(html, max_bytes=max_bytes, kind="html", url=url, source_type=source_type, source_value=source_value)
    return run(doc, chosen, time_limit=time_limit)


def analyze_file(
    path: str | os.PathLike,
    *,
    input_format: str = "auto",
    stages: Iterable[str] | None = None,
    model: str | None = None,
    min_score: float | None = None,
    max_bytes: int | None = None,
    time_limit: float | None = None,
    taxonomy: str | None = None,
) -> Document:
    """Analyse a file: `.html`/`.htm` is HTML, anything else text, unless `input_format` says otherwise."""
    ingest.check_input_format(input_format)
    doc = ingest.load(path, input_format, max_bytes, kind="path")
    return run(doc, options(stages, model, min_score, taxonomy), time_limit=time_limit)


def analyze_bytes(
    data: bytes,
    *,
    input_format: str = "auto",
    source_value: str | None = None,
    stages: Iterable[str] | None = None,
    model: str | None = None,
    min_score: float | None = None,
    max_bytes: int | None = None,
    time_limit: float | None = None,
    taxonomy: str | None = None,
) -> Document:
    """Analyse raw input bytes (stdin, an upload): `auto` reads HTML when it starts with `<!doctype` or `<html`."""
    ingest.check_input_format(input_format)
    chosen = options(stages, model, min_score, taxonomy)
    doc = ingest.load(data, input_format, max_bytes, kind="bytes", source_value=source_value)
    return run(doc, chosen, time_limit=time_limit)


def analyze_url(
    url: str,
    *,
    offline: bool = False,
    timeout: float = 20.0,
    stages: Iterable[str] | None = None,
    model: str | None = None,
    min_score: float | None = None,
    max_bytes: int | None = None,
    time_limit: float | None = None,
    taxonomy: str | None = None,
) -> Document:
    """Fetch a URL safely (see `unspun.ingest.url`) and analyse it as HTML, or as text when it is text/plain."""
    if offline:
        raise UrlRefusedError(f"{url}: fetching URLs is off (--offline)")
    chosen = options(stages, model, min_score, taxonomy)  # validate before any network traffic
    doc = ingest.load(url, max_bytes=max_bytes, kind="url", timeout=timeout)
    return run(doc, chosen, time_limit=time_limit)


_BY_KIND = {"path": analyze_file, "url": analyze_url, "html": analyze_html, "text": analyze_text}


def analyze(source: str | bytes | os.PathLike, **kwargs) -> Document:
    """Convenience entry point that dispatches on its argument (INTERFACES.md, Python API; the rule is
    `unspun.ingest.kind_of`): a `pathlib.Path` is read as a file; a `str` starting with http(s):// with no
    whitespace is fetched; a `str` starting with `<` that contains `<html` or `<body` is HTML; any other `str`
    (or bytes) is plain text. A plain `str` is never opened as a path.
    """
    kind = ingest.kind_of(source)
    return _BY_KIND[kind](source.strip() if kind == "url" else source, **kwargs)
