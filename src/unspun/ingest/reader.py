"""Reading input bytes from a path or stdin, with the size limit and the errors INTERFACES.md names."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from unspun.errors import InputDataError, InputMissingError

_HTML_START = re.compile(rb"^\s*(<!doctype|<html)", re.IGNORECASE)
HTML_SUFFIXES = (".html", ".htm")
# The first bytes of common files that are not text. Each is a string no article starts with.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", None),  # WebP, WAV, AVI: told apart below
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (.docx, .xlsx, .odt and .epub files are ZIP archives too)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "a program (ELF)"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_RIFF = {b"WEBP": "a WebP image", b"WAVE": "a WAV sound file", b"AVI ": "an AVI video"}
_NUL_LIMIT = 16  # as ingest.text.check_text: a few stray NULs in UTF-8 text are still text


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


def other_encoding(data: bytes) -> str | None:
    """The encoding of text that is not UTF-8 but UTF-16 or UTF-32 (by its byte order mark, or by ASCII text's
    every-other-byte NULs), else None."""
    for bom, name in ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                      (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16")):  # iconv reads the byte order from the mark
        if data.startswith(bom):
            return name
    head = data[:4096]
    half = len(head) // 2
    if half < 2:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd >= 0.4 * half and even == 0:
        return "UTF-16LE"
    if even >= 0.4 * half and odd == 0:
        return "UTF-16BE"
    return None


def binary_kind(data: bytes) -> str | None:
    """What kind of binary file `data` looks like ("a PNG image", "NUL bytes", ...), or None when it may be text.

    Text in another encoding (UTF-16, Latin-1) is not binary: it only needs converting.
    """
    head = data[:65536]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            if magic == b"RIFF":
                kind = _RIFF.get(head[8:12])
                if kind is None:
                    continue
            return kind
    if other_encoding(head):
        return None
    nuls = head.count(0)
    if nuls > _NUL_LIMIT:
        return "NUL bytes"
    if nuls:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return "NUL bytes"
    return None


def convert_advice(encoding: str) -> str:
    return f"it looks like {encoding} text, not UTF-8; convert it first, e.g. with iconv -f {encoding} -t UTF-8"


def check_file(data: bytes, path: str | os.PathLike, *, text: bool = True) -> None:
    """Refuse a file that is empty, only whitespace, or binary (an image, a PDF, an archive), naming it.

    A text file (`text=True`) in UTF-16 or UTF-32 is refused too, with how to convert it: ASCII text in UTF-16 is
    valid UTF-8 full of NULs. An HTML page may declare such an encoding itself.
    """
    if not data.strip():
        raise InputDataError(f"{path}: the file is empty" + (" apart from whitespace" if data else ""))
    kind = binary_kind(data)
    if kind is not None:
        raise InputDataError(f"{path}: looks like a binary file ({kind}), not text or HTML")
    encoding = other_encoding(data) if text else None
    if encoding is not None:
        raise InputDataError(f"{path}: {convert_advice(encoding)}")


def looks_like_html(data: bytes | str) -> bool:
    """INTERFACES.md's rule for `auto` on stdin: starts with `<!doctype` or `<html`, leading whitespace allowed."""
    head = data[:1024] if isinstance(data, bytes) else data[:1024].encode("utf-8", "replace")
    return bool(_HTML_START.match(head))


def is_html_path(path: str | os.PathLike) -> bool:
    return str(path).lower().endswith(HTML_SUFFIXES)
