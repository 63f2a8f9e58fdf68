"""Batch input for `unspun corpus analyze`: folders and globs of .txt/.html, JSONL, CSV, Parquet and WARC.

Each reader yields `Record`s lazily (a corpus may not fit in memory). A record holds the raw input plus the
metadata the input gives (url, site, date, title, id); extraction and analysis happen later, in the engine.
"""

from __future__ import annotations

import csv
import glob
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson

from unspun.errors import InputDataError, InputMissingError
from unspun.ingest.reader import is_html_path

TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm")
TABLE_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".parquet", ".warc", ".warc.gz", ".arc", ".arc.gz")


@dataclass(slots=True)
class Record:
    """One article to analyse: `content` is text or HTML (`input_format`), with whatever metadata came with it."""

    content: str | bytes
    input_format: str  # text | html
    source: str  # where it came from: a path, path:line, or a WARC record URI
    url: str | None = None
    site: str | None = None
    date: str | None = None
    title: str | None = None
    external_id: str | None = None
    source_type: str | None = None  # "path" for a single file; else the Document's source type is the input format


def site_of(url: str | None) -> str | None:
    """The host of a URL without a leading `www.`, used as the site when the input names none."""
    if not url:
        return None
    host = urlsplit(url).hostname
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def _str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value != value:  # NaN from pandas-written files
        return None
    text = str(value).strip()
    return text or None


def from_row(row: dict[str, Any], source: str) -> Record:
    """A record from a table row with columns text or html, url, site, date, title, id (others are ignored)."""
    html, text = row.get("html"), row.get("text")
    if _str(html) is not None:
        content, fmt = html, "html"
    elif text is not None:
        content, fmt = text, "text"
    else:
        raise InputDataError(f"{source}: the row has neither a 'text' nor an 'html' column")
    if not isinstance(content, (str, bytes)):
        content = str(content)
    url = _str(row.get("url"))
    return Record(content=content, input_format=fmt, source=source, url=url, site=_str(row.get("site")) or site_of(url),
                  date=_str(row.get("date")), title=_str(row.get("title")), external_id=_str(row.get("id")))


def read_jsonl(path: Path) -> Iterator[Record]:
    with open(path, "rb") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise InputDataError(f"{path}:{n}: not valid JSON ({exc})") from None
            if not isinstance(row, dict):
                raise InputDataError(f"{path}:{n}: each line must be a JSON object")
            yield from_row(row, f"{path}:{n}")


def read_csv(path: Path) -> Iterator[Record]:
    csv.field_size_limit(sys.maxsize)
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or not ({"text", "html"} & set(reader.fieldnames)):
            raise InputDataError(f"{path}: a CSV needs a 'text' or an 'html' column (found: {reader.fieldnames})")
        for n, row in enumerate(reader, 2):
            yield from_row(row, f"{path}:{n}")


def read_parquet(path: Path) -> Iterator[Record]:
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    names = set(pf.schema_arrow.names)
    if not ({"text", "html"} & names):
        raise InputDataError(f"{path}: a Parquet file needs a 'text' or an 'html' column (found: {sorted(names)})")
    wanted = [c for c in ("text", "html", "url", "site", "date", "title", "id") if c in names]
    n = 0
    for batch in pf.iter_batches(batch_size=256, columns=wanted):
        for row in batch.to_pylist():
            n += 1
            yield from_row(row, f"{path}:{n}")


def read_warc(path: Path) -> Iterator[Record]:
    """HTML responses of a WARC (or ARC) file become articles, with the record's target URI and date."""
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh, arc2warc=True):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            ctype = (record.http_headers.get_header("Content-Type") or "").lower()
            status = record.http_headers.get_statuscode() or ""
            if "html" not in ctype or not status.startswith("2"):
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            body = record.content_stream().read()
            yield Record(content=body, input_format="html", source=f"{path}#{url}", url=url, site=site_of(url),
                         date=record.rec_headers.get_header("WARC-Date"),
                         external_id=record.rec_headers.get_header("WARC-Record-ID"))


def read_file(path: Path) -> Iterator[Record]:
    """One file: a table format by its suffix, else a single .txt/.html article."""
    name = path.name.lower()
    if name.endswith((".jsonl", ".ndjson")):
        yield from read_jsonl(path)
    elif name.endswith(".csv"):
        yield from read_csv(path)
    elif name.endswith(".parquet"):
        yield from read_parquet(path)
    elif name.endswith((".warc", ".warc.gz", ".arc", ".arc.gz")):
        yield from read_warc(path)
    else:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputMissingError(f"{path}: cannot read ({exc.strerror})") from None
        # Text is decoded later, in the worker, exactly as `unspun analyze` does (strict UTF-8, no newline translation).
        yield Record(content=data, input_format="html" if is_html_path(path) else "text", source=str(path),
                     source_type="path")


def _folder(path: Path) -> list[Path]:
    found = [p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(TEXT_SUFFIXES + HTML_SUFFIXES)]
    return sorted(found)


def expand(inputs: Iterable[str]) -> list[Path]:
    """The files named by INPUT...: files as given, folders searched for .txt/.html, globs expanded."""
    out: list[Path] = []
    for raw in inputs:
        p = Path(os.path.expanduser(raw))
        if p.is_dir():
            out.extend(_folder(p))
        elif p.is_file():
            out.append(p)
        elif glob.has_magic(raw):
            matches = sorted(Path(m) for m in glob.glob(os.path.expanduser(raw), recursive=True))
            files = [m for m in matches if m.is_file()]
            if not files:
                raise InputMissingError(f"{raw}: the pattern matches no file")
            out.extend(files)
        else:
            raise InputMissingError(f"{raw}: no such file or folder")
    return out


def read(inputs: Iterable[str], *, site: str | None = None) -> Iterator[Record]:
    """Every record of every input, in order. `site` overrides the site of each record."""
    for path in expand(inputs):
        for record in read_file(path):
            if site:
                record.site = site
            yield record


def count(inputs: Iterable[str]) -> int | None:
    """How many records the inputs hold, when that is cheap to know (for the progress bar's ETA)."""
    total = 0
    for path in expand(inputs):
        name = path.name.lower()
        if name.endswith((".jsonl", ".ndjson")):
            with open(path, "rb") as fh:
                total += sum(1 for line in fh if line.strip())
        elif name.endswith(".parquet"):
            import pyarrow.parquet as pq

            total += pq.ParquetFile(path).metadata.num_rows
        elif name.endswith(".csv") or name.endswith(TABLE_SUFFIXES):
            return None  # CSV rows may span lines, WARCs hold non-article records: unknown
        else:
            total += 1
    return total
