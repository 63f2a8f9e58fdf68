"""Ingest: the one place an input is read and made into a Document (text, metadata, removed ranges, links).

`load(source, input_format, max_bytes, kind=...)` decides what an input is, reads it under the size limit, and
sets the Document's site (`ingest.site`) and language. Everything that analyses (the Python API in
`unspun.pipeline`, the CLI, the server, the corpus engines) calls `load`, then `pipeline.run`.

Kinds (`kind=`):
- `text`: a str, or bytes decoded as UTF-8 (strictly; offsets index the decoded text);
- `html`: a page (str or bytes), optionally with its `url`; the text is trafilatura's extraction;
- `bytes`: raw input read by its content (stdin, an upload): `input_format` auto reads HTML when it starts with
  `<!doctype` or `<html`;
- `path`: a file: `.html`/`.htm` is HTML, anything else text, unless `input_format` says otherwise;
- `stdin`: standard input, read as bytes (then as `bytes`, its source shown as `-`);
- `url`: fetched safely (`ingest.url`); HTML, or text when the server says text/plain;
- `argument`: a command-line INPUT: `-` is stdin, an http(s) URL that is not an existing file is a URL (when
  `input_format` is auto), anything else a path;
- `auto`: `unspun.analyze`'s rule (INTERFACES.md): a `pathlib.Path` is a file, a `str` that starts with http(s)://
  and has no whitespace a URL, a `str` that starts with `<` and holds `<html` or `<body` HTML, other str and bytes text.
"""

from __future__ import annotations

import os
from pathlib import Path

from unspun import language, line_endings
from unspun.document import Document
from unspun.errors import UrlRefusedError, UsageError
from unspun.ingest import reader
from unspun.ingest import text as text_ingest
from unspun.ingest.site import site_of
from unspun.limits import max_bytes as resolve_max_bytes

KINDS = ("auto", "argument", "text", "html", "bytes", "path", "stdin", "url")
INPUT_FORMATS = ("auto", "text", "html")


def kind_of(source: object) -> str:
    """What `unspun.analyze(source)` reads `source` as: path, url, html or text (INTERFACES.md, Python API)."""
    if isinstance(source, Path):
        return "path"
    if isinstance(source, bytes):
        return "text"
    if isinstance(source, str):
        head = source.lstrip()[:8].lower()
        if head.startswith(("http://", "https://")) and not any(c.isspace() for c in source.strip()):
            return "url"
        if source.lstrip().startswith("<"):
            low = source[:65536].lower()
            if "<html" in low or "<body" in low:
                return "html"
        return "text"
    raise TypeError(f"analyze() takes a str, bytes or pathlib.Path, not {type(source).__name__}")


def check_input_format(input_format: str) -> None:
    if input_format not in INPUT_FORMATS:
        raise UsageError(f"unknown input format {input_format!r}; choose text, html or auto")


def load(
    source: str | bytes | os.PathLike,
    input_format: str = "auto",
    max_bytes: int | None = None,
    *,
    kind: str = "auto",
    url: str | None = None,
    site: str | None = None,
    source_type: str | None = None,
    source_value: str | None = None,
    offline: bool = False,
    timeout: float = 20.0,
) -> Document:
    """Read one input into a Document, with its site and language set.

    `max_bytes` is the input size limit (default `UNSPUN_MAX_BYTES` or 10 MB). `url` is where a page came from:
    HTML resolves its links against it and records it; for any kind it gives the site when nothing else does.
    `site` overrides the site (a corpus row's own `site`). `source_type`/`source_value` override what the
    Document records as its source. `offline` refuses URLs; `timeout` bounds a URL's fetch.
    """
    if kind == "auto":
        kind = kind_of(source)
    elif kind == "argument":
        kind = _argument_kind(str(source), input_format)
    limit = resolve_max_bytes(max_bytes)
    if kind == "text":
        doc = _text(source, limit, source_type or "text", source_value)
    elif kind == "html":
        doc = _html(source, limit, source_type or "html", source_value, url)
    elif kind == "bytes":
        doc = _by_content(source, input_format, limit, source_value)
    elif kind == "stdin":
        check_input_format(input_format)
        doc = _by_content(reader.read_stdin(limit), input_format, limit, "-")
    elif kind == "path":
        doc = _path(source, input_format, limit)
    elif kind == "url":
        doc = _url(str(source), limit, offline=offline, timeout=timeout)
    else:
        raise UsageError(f"unknown input kind {kind!r}; choose one of: {', '.join(KINDS)}")
    doc.metadata.site = site or doc.metadata.site or site_of(url or doc.metadata.url)
    _set_language(doc)
    return doc


def _argument_kind(source: str, input_format: str) -> str:
    if source == "-":
        return "stdin"
    if source.lower().startswith(("http://", "https://")) and input_format == "auto" and not Path(source).exists():
        return "url"
    return "path"


def _text(text: str | bytes, limit: int, source_type: str, source_value: str | None) -> Document:
    if isinstance(text, bytes):
        text = text_ingest.decode(text, limit)
    return text_ingest.from_text(text, max_bytes=limit, source_type=source_type, source_value=source_value)


def _html(html: str | bytes, limit: int, source_type: str, source_value: str | None, url: str | None) -> Document:
    from unspun.ingest import html as html_ingest

    return html_ingest.from_html(html, max_bytes=limit, source_type=source_type, source_value=source_value, url=url)


def _by_content(data: bytes | str, input_format: str, limit: int, source_value: str | None) -> Document:
    """Raw input (stdin, an upload): HTML when `input_format` says so, or (auto) when it starts like a page."""
    check_input_format(input_format)
    if input_format == "html" or (input_format == "auto" and reader.looks_like_html(data)):
        return _html(data, limit, "html", source_value, None)
    return _text(data, limit, "text", source_value)


def _path(path: str | os.PathLike, input_format: str, limit: int) -> Document:
    check_input_format(input_format)
    data = reader.read_path(path, limit)
    if input_format == "html" or (input_format == "auto" and reader.is_html_path(path)):
        reader.check_file(data, path, text=False)  # empty or binary: refused naming the file
        return _html(data, limit, "path", str(path), None)
    return _text(text_ingest.decode_file(data, path, limit), limit, "path", str(path))


def _url(url: str, limit: int, *, offline: bool, timeout: float) -> Document:
    if offline:
        raise UrlRefusedError(f"{url}: fetching URLs is off (--offline)")
    from unspun.ingest import url as url_ingest

    fetched = url_ingest.fetch(url, max_bytes=limit, timeout=timeout)
    if fetched.content_type == "text/plain":
        doc = _text(fetched.content, limit, "url", url)
        doc.metadata.url = fetched.url
        return doc
    return _html(fetched.content, limit, "url", url, fetched.url)


def _set_language(doc: Document) -> None:
    """The language as the models see the text (LF line endings), and a warning when it is not English."""
    sample = line_endings.to_lf(doc.text[: 2 * language.SAMPLE])  # every LF character stands for at most two
    lang, prob = language.detect(sample)
    doc.metadata.language = lang
    warning = language.warning_for(lang, prob)
    if warning:
        doc.warnings.append(warning)
