"""The one place to read how a document flows: ingest → Document → stages (in order) → caller.

Each stage is a module in `unspun.stages` with one entry function `run(doc) -> None` that adds its own span kind.
Stages read their options (model, min_score) from `doc.options`. A stage appears in `STAGES` when it exists;
the lists of stages not built yet stay empty in the output, and the docs say so.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable
from enum import Enum
from pathlib import Path

from unspun import language, line_endings
from unspun.document import Document
from unspun.errors import UrlRefusedError, UsageError
from unspun.ingest import reader
from unspun.ingest import text as text_ingest
from unspun.limits import check_time, deadline
from unspun.limits import max_bytes as resolve_max_bytes
from unspun.limits import time_limit as resolve_time_limit
from unspun.taxonomy import DEFAULT as DEFAULT_TAXONOMY
from unspun.taxonomy import TAXONOMY_NAMES

# Stage order is fixed (INTERFACES.md): techniques → quotes → claims → sources → actors.
ORDER = ("techniques", "quotes", "claims", "sources", "actors")
# What each stage needs to have run before it.
REQUIRES: dict[str, tuple[str, ...]] = {
    "techniques": (),
    "quotes": (),
    "claims": ("quotes",),
    "sources": ("quotes", "claims"),
    "actors": ("techniques", "quotes"),
}
# Stages that exist in this version, by name → module. Each issue that builds a stage adds it here.
STAGES: dict[str, str] = {
    "techniques": "unspun.stages.techniques",
    "quotes": "unspun.stages.quotes",
    "claims": "unspun.stages.claims",
    "sources": "unspun.stages.sources",
    "actors": "unspun.stages.actors",
}
MODELS = ("fast", "accurate")
DEFAULT_MODEL = "accurate"
# The same names as a str Enum, for the command-line options of every command that takes --model.
ModelName = Enum("ModelName", {m: m for m in MODELS}, type=str)
# The technique taxonomies (unspun.taxonomy), likewise for every command that takes --taxonomy.
TaxonomyName = Enum("TaxonomyName", {t: t for t in TAXONOMY_NAMES}, type=str)


def resolve_stages(requested: Iterable[str] | None) -> list[str]:
    """The stages to run, in order: the requested ones plus everything they need; all available ones by default."""
    if requested is None:
        return [s for s in ORDER if s in STAGES]
    wanted: set[str] = set()
    todo = [s.strip() for s in requested if s and s.strip()]
    while todo:
        name = todo.pop()
        if name not in REQUIRES:
            raise UsageError(f"unknown stage {name!r}; stages are: {', '.join(ORDER)}")
        if name not in STAGES:
            built = ", ".join(s for s in ORDER if s in STAGES) or "none yet"
            raise UsageError(f"stage {name!r} is not available in unspun {_version()} (available: {built})")
        if name not in wanted:
            wanted.add(name)
            todo.extend(REQUIRES[name])
    return [s for s in ORDER if s in wanted]


def _version() -> str:
    from unspun import __version__

    return __version__


def _options(stages: Iterable[str] | None, model: str | None, min_score: float | None,
             taxonomy: str | None = None) -> dict:
    """The options a Document records. `taxonomy` is added only when it is not the default (ptc14), so analyses
    under the 14 techniques keep the options (and the corpus' options keys) they always had."""
    model = model or DEFAULT_MODEL
    if model not in MODELS:
        raise UsageError(f"unknown model {model!r}; choose one of: {', '.join(MODELS)}")
    if min_score is not None and not (0.0 <= min_score <= 1.0):
        raise UsageError(f"--min-score must be between 0 and 1, not {min_score}")
    options = {"model": model, "min_score": min_score, "stages": resolve_stages(stages)}
    taxonomy = taxonomy or DEFAULT_TAXONOMY
    if taxonomy not in TAXONOMY_NAMES:
        raise UsageError(f"unknown taxonomy {taxonomy!r}; choose one of: {', '.join(TAXONOMY_NAMES)}")
    if taxonomy != DEFAULT_TAXONOMY:
        options["taxonomy"] = taxonomy
    return options


def _prepared(doc: Document, options: dict) -> Document:
    """Give a fresh Document its options and the taxonomy its technique stage labels with."""
    doc.options = options
    doc.taxonomy = options.get("taxonomy", DEFAULT_TAXONOMY)
    return doc


def run_stages(doc: Document) -> Document:
    """Detect the language, then run each stage named in `doc.options["stages"]`, in order."""
    with line_endings.normalized(doc):  # the stages see LF text; offsets come back into the text as given
        lang, prob = language.detect(doc.text)
        doc.metadata.language = lang
        warning = language.warning_for(lang, prob)
        if warning:
            doc.warnings.append(warning)
        for name in doc.options.get("stages", []):
            check_time()  # the per-document time limit (see unspun.limits); stages also check inside long loops
            importlib.import_module(STAGES[name]).run(doc)
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
    options = _options(stages, model, min_score, taxonomy)
    limit = resolve_max_bytes(max_bytes)
    with deadline(resolve_time_limit(time_limit)):
        if isinstance(text, bytes):
            text = text_ingest.decode(text, limit)
        doc = text_ingest.from_text(text, max_bytes=limit, source_type=source_type, source_value=source_value)
        return run_stages(_prepared(doc, options))


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
    from unspun.ingest import html as html_ingest

    options = _options(stages, model, min_score, taxonomy)
    with deadline(resolve_time_limit(time_limit)):
        doc = html_ingest.from_html(
            html, max_bytes=resolve_max_bytes(max_bytes), source_type=source_type, source_value=source_value, url=url
        )
        return run_stages(_prepared(doc, options))


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
    if input_format not in ("auto", "text", "html"):
        raise UsageError(f"unknown input format {input_format!r}; choose text, html or auto")
    limit = resolve_max_bytes(max_bytes)
    data = reader.read_path(path, limit)
    is_html = input_format == "html" or (input_format == "auto" and reader.is_html_path(path))
    kwargs = dict(stages=stages, model=model, min_score=min_score, max_bytes=limit, source_type="path", source_value=str(path),
                  time_limit=time_limit, taxonomy=taxonomy)
    if is_html:
        reader.check_file(data, path, text=False)  # empty or binary: refused naming the file
        return analyze_html(data, **kwargs)
    return analyze_text(text_ingest.decode_file(data, path, limit), **kwargs)


def analyze_bytes(
    data: bytes,
    *,
    input_format: str = "auto",
    source_value: str | None = None,
    **kwargs,
) -> Document:
    """Analyse raw input bytes (stdin, an upload): `auto` reads HTML when it starts with `<!doctype` or `<html`."""
    if input_format not in ("auto", "text", "html"):
        raise UsageError(f"unknown input format {input_format!r}; choose text, html or auto")
    if input_format == "html" or (input_format == "auto" and reader.looks_like_html(data)):
        return analyze_html(data, source_type="html", source_value=source_value, **kwargs)
    return analyze_text(data, source_type="text", source_value=source_value, **kwargs)


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
    from unspun.ingest import url as url_ingest

    limit = resolve_max_bytes(max_bytes)
    options = _options(stages, model, min_score, taxonomy)  # validate before any network traffic
    fetched = url_ingest.fetch(url, max_bytes=limit, timeout=timeout)
    kwargs = dict(stages=options["stages"], model=model, min_score=min_score, max_bytes=limit, time_limit=time_limit,
                  taxonomy=taxonomy)
    if fetched.content_type == "text/plain":
        doc = analyze_text(fetched.content, source_type="url", source_value=url, **kwargs)
        doc.metadata.url = fetched.url
        return doc
    return analyze_html(fetched.content, url=fetched.url, source_type="url", source_value=url, **kwargs)


def analyze(source: str | bytes | os.PathLike, **kwargs) -> Document:
    """Convenience entry point that dispatches on its argument (INTERFACES.md, Python API).

    A `pathlib.Path` is read as a file; a `str` starting with http(s):// with no whitespace is fetched; a `str`
    starting with `<` that contains `<html` or `<body` is HTML; any other `str` (or bytes) is plain text.
    A plain `str` is never opened as a path.
    """
    if isinstance(source, Path):
        return analyze_file(source, **kwargs)
    if isinstance(source, bytes):
        return analyze_text(source, **kwargs)
    if isinstance(source, str):
        head = source.lstrip()[:8].lower()
        if head.startswith(("http://", "https://")) and not any(c.isspace() for c in source.strip()):
            return analyze_url(source.strip(), **kwargs)
        if source.lstrip().startswith("<"):
            low = source[:65536].lower()
            if "<html" in low or "<body" in low:
                return analyze_html(source, **kwargs)
        return analyze_text(source, **kwargs)
    raise TypeError(f"analyze() takes a str, bytes or pathlib.Path, not {type(source).__name__}")
