"""Reading input bytes from a path or stdin, with the size limit and the errors INTERFACES.md names."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from unspun.errors import InputDataError, InputMissingError

_HTML_START = re.compile(rb"^\s*(<!doctype|<html)", re.IGNORECASE)
HTML_SUFFIXES = (".html", ".htm")


def read_path(path: str | os.PathLike, max_bytes: int) -> bytes:
    """Read a file's bytes, refusing directories, missing files and files over the limit before reading."""
    p = Path(path)
    if p.is_dir():
        raise InputMissingError(f"{p}: is a directory, not a file")
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise InputMissingError(f"{p}: no such file") from None
    except OSError as exc:
        raise InputMissingError(f"{p}: cannot read ({exc.strerror})") from None
    if size > max_bytes:
        raise InputDataError(f"{p}: {size:,} bytes, over the limit of {max_bytes:,} (see --max-bytes)")
    try:
        with open(p, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputMissingError(f"{p}: cannot read ({exc.strerror})") from None
    if len(data) > max_bytes:  # the file grew, or is a pipe/device that reports size 0
        raise InputDataError(f"{p}: over the limit of {max_bytes:,} bytes (see --max-bytes)")
    return data


def read_stdin(max_bytes: int) -> bytes:
    """Read stdin as bytes (no newline translation), refusing more than the limit."""
    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputDataError(f"stdin: over the limit of {max_bytes:,} bytes (see --max-bytes)")
    return data


def looks_like_html(data: bytes | str) -> bool:
    """INTERFACES.md's rule for `auto` on stdin: starts with `<!doctype` or `<html`, leading whitespace allowed."""
    head = data[:1024] if isinstance(data, bytes) else data[:1024].encode("utf-8", "replace")
    return bool(_HTML_START.match(head))


def is_html_path(path: str | os.PathLike) -> bool:
    return str(path).lower().endswith(HTML_SUFFIXES)
