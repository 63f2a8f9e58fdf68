"""Batch input for `unspun corpus analyze`: folders and globs of .txt/.html, JSONL, CSV, Parquet and WARC.

Each reader yields `Record`s lazily (a corpus may not fit in memory). A record holds the raw input plus the
metadata the input gives (url, site, date, title, id); extraction and analysis happen later, in the engine.

Reading never raises for a bad input (only `expand` does, for an INPUT that does not exist at all). A file that
cannot be read or parsed, a malformed JSONL line, a CSV row that is not UTF-8, a row without text: each becomes
one `Record` with `error` set (see `bad`), which the engine stores as a failed document with that reason, so one
bad input never stops a run or loses the good ones around it.
"""

from __future__ import annotations

import csv
import glob
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from unspun.corpus.store import UNREAD
from unspun.errors import InputDataError, InputMissingError, UnspunError
from unspun.ingest.reader import is_html_path
from unspun.ingest.site import site_of

TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm")
ROW_COLUMNS = ("text", "html", "url", "site", "date", "title", "id")  # what a table row may give; others are ignored
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
    error: str | None = None  # set when the input could not be read into an article (see `bad`)


def bad(source: str, reason: str, raw: str | bytes = "") -> Record:
    """A record for an input that could not be read: a file (`source` is its path) or one row (`path:N`).

    The engine stores it as a failed document with `reason` as its error (never analysed); `raw` keeps what was
    read, if anything (the bad line). `corpus retry` reads the source again (`reread`).
    """
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", "replace")
    return Record(content=raw.rstrip("\r\n"), input_format=UNREAD, source=source, error=_one_line(reason))


def _one_line(text: str) -> str:
    lines = str(text).strip().splitlines()
    return lines[0] if lines else "error"


def _describe(exc: BaseException) -> str:
    """A one-line reason for an exception raised while reading a file."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"cannot read ({exc.strerror})"
    if isinstance(exc, UnspunError):
        return _one_line(str(exc))
    return f"cannot read ({type(exc).__name__}: {_one_line(str(exc))})"


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
        raise InputDataError("the row has neither a 'text' nor an 'html' column")
    if not isinstance(content, (str, bytes)):
        content = str(content)
    url = _str(row.get("url"))
    return Record(content=content, input_format=fmt, source=source, url=url, site=_str(row.get("site")) or site_of(url),
                  date=_str(row.get("date")), title=_str(row.get("title")), external_id=_str(row.get("id")))


def _row(row: dict[str, Any], source: str, raw: str | bytes | None = None) -> Record:
    """`from_row`, or a bad record with the reason when the row cannot be an article."""
    try:
        return from_row(row, source)
    except InputDataError as exc:
        return bad(source, str(exc), raw if raw is not None else _row_json(row))


def _row_json(row: dict[str, Any]) -> str:
    return orjson.dumps({str(k): v for k, v in row.items()}, default=str).decode()


def read_jsonl(path: Path) -> Iterator[Record]:
    with open(path, "rb") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            source = f"{path}:{n}"
            try:
                row = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                yield bad(source, f"not valid JSON ({exc})", line)
                continue
            if not isinstance(row, dict):
                yield bad(source, "each line must be a JSON object", line)
                continue
            yield _row(row, source, line)


def _undecodable(value: Any) -> bool:
    """A CSV cell read with errors="surrogateescape" that held bytes which are not UTF-8."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _replaced(value: Any) -> Any:
    """`value` with the bytes that were not UTF-8 as U+FFFD (for the failure's `raw`)."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if isinstance(value, dict):
        return {_replaced(k): _replaced(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_replaced(v) for v in value]
    return value


def read_csv(path: Path) -> Iterator[Record]:
    csv.field_size_limit(sys.maxsize)
    # bytes that are not UTF-8 come through as lone surrogates: the row that holds them fails, not the file
    with open(path, encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or not ({"text", "html"} & set(reader.fieldnames)):
            names = _replaced(list(reader.fieldnames or []))
            yield bad(str(path), f"a CSV needs a 'text' or an 'html' column (found: {names})")
            return
        for n, row in enumerate(reader, 2):
            source = f"{path}:{n}"
            if any(_undecodable(row.get(c)) for c in ROW_COLUMNS):  # bytes in a column it does not use do no harm
                yield bad(source, "not valid UTF-8", _row_json(_replaced(row)))
                continue
            yield _row(row, source)


def read_parquet(path: Path) -> Iterator[Record]:
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    names = set(pf.schema_arrow.names)
    if not ({"text", "html"} & names):
        yield bad(str(path), f"a Parquet file needs a 'text' or an 'html' column (found: {sorted(names)})")
        return
    wanted = [c for c in ROW_COLUMNS if c in names]
    n = 0
    for batch in pf.iter_batches(batch_size=256, columns=wanted):
        for row in batch.to_pylist():
            n += 1
            yield _row(row, f"{path}:{n}")


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
    """One file: a table format by its suffix, else a single .txt/.html article.

    Never raises for a bad file: a file that cannot be opened or parsed yields one bad record (`source` = the path);
    one that breaks part-way keeps the records read before and ends with a bad record saying where it broke.
    """
    try:
        info = os.stat(path)  # follows links: a dangling link or a loop fails here
    except OSError as exc:
        yield bad(str(path), _describe(exc))
        return
    if stat.S_ISDIR(info.st_mode):
        yield bad(str(path), "is a folder, not a file")
        return
    if not stat.S_ISREG(info.st_mode):  # a FIFO or a device: never opened (reading one could block forever)
        yield bad(str(path), "not a regular file")
        return
    n = 0
    try:
        for record in _read_file(path):
            n += 1
            yield record
    except Exception as exc:  # noqa: BLE001 - whatever a parser raises, the run goes on with the next input
        reason = _describe(exc)
        yield bad(str(path), f"{reason}, after {n} records" if n else reason)


def _read_file(path: Path) -> Iterator[Record]:
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
        data = path.read_bytes()
        # Text is decoded later, in the worker, exactly as `unspun analyze` does (strict UTF-8, no newline translation).
        yield Record(content=data, input_format="html" if is_html_path(path) else "text", source=str(path),
                     source_type="path")


def reread(source: str) -> Iterator[Record]:
    """Read again the input a bad record came from (for `corpus retry`): the whole file, or the one row `path:N`.

    A row that is no longer there (or a file that can no longer be read) yields a bad record for that row again.
    """
    m = re.fullmatch(r"(.+):(\d+)", source, flags=re.S)
    if m is None or os.path.lexists(source):
        yield from read_file(Path(source))
        return
    path = Path(m.group(1))
    found, problem = False, None
    for record in read_file(path):
        if record.source == source:
            found = True
            yield record
        elif record.error is not None and record.source == str(path):
            problem = record.error
    if not found:
        yield bad(source, problem or "the row is no longer in the input")


def _wanted(p: Path) -> bool:
    """A folder entry to read: a .txt/.html name that is not a folder (a dangling link is kept: it fails, visibly)."""
    return p.name.lower().endswith(TEXT_SUFFIXES + HTML_SUFFIXES) and not p.is_dir()


def _folder(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*") if _wanted(p))


def expand(inputs: Iterable[str]) -> list[Path]:
    """The files named by INPUT...: files as given, folders searched for .txt/.html, globs expanded.

    Only an INPUT that does not exist at all (or a pattern that matches nothing) raises (exit 66). A path that
    exists but cannot be read (a dangling link, a FIFO) is kept: reading it records the failure.
    """
    out: list[Path] = []
    for raw in inputs:
        p = Path(os.path.expanduser(raw))
        if p.is_dir():
            out.extend(_folder(p))
        elif p.is_file() or (os.path.lexists(p) and not glob.has_magic(raw)):
            out.append(p)
        elif glob.has_magic(raw):
            matches = sorted(Path(m) for m in glob.glob(os.path.expanduser(raw), recursive=True))
            files = [m for m in matches if not m.is_dir()]
            if not files:
                raise InputMissingError(f"{raw}: the pattern matches no file")
            out.extend(files)
        else:
            raise InputMissingError(f"{raw}: no such file or folder")
    return out


def read(inputs: Iterable[str], *, site: str | None = None) -> Iterator[Record]:
    """Every record of every input, in order (bad ones included, with `error` set). `site` overrides each record's site."""
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
        try:
            if not stat.S_ISREG(os.stat(path).st_mode):
                total += 1  # one bad record
            elif name.endswith((".jsonl", ".ndjson")):
                with open(path, "rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            elif name.endswith(".parquet"):
                import pyarrow.parquet as pq

                total += pq.ParquetFile(path).metadata.num_rows
            elif name.endswith(".csv") or name.endswith(TABLE_SUFFIXES):
                return None  # CSV rows may span lines, WARCs hold non-article records: unknown
            else:
                total += 1
        except Exception:  # noqa: BLE001 - a file that cannot be read is one bad record
            total += 1
    return total
