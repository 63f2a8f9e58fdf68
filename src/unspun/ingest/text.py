"""Plain-text ingest: decode exactly as INTERFACES.md says, then mark scrape junk.

The text is kept byte-for-byte as the user gave it (no newline translation, a BOM stays), because every
offset in every output must index the original input.
"""

from __future__ import annotations

import os
import re

from unspun.document import Document
from unspun.errors import InputDataError
from unspun.ingest import reader


def decode(data: bytes, max_bytes: int) -> str:
    """Decode UTF-8 input strictly. Undecodable bytes are refused, never replaced: replacing would shift offsets."""
    if len(data) > max_bytes:
        raise InputDataError(f"input is {len(data):,} bytes, over the limit of {max_bytes:,} (see --max-bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        kind = reader.binary_kind(data)
        if kind is not None:
            raise InputDataError(f"input looks like a binary file ({kind}), not text or HTML") from None
        encoding = reader.other_encoding(data)
        if encoding is not None:
            raise InputDataError(f"input is not valid UTF-8: {reader.convert_advice(encoding)}") from None
        raise InputDataError(
            f"input is not valid UTF-8 (byte {exc.start}: {data[exc.start:exc.start + 1]!r}); "
            "convert it first, e.g. with iconv"
        ) from None


def decode_file(data: bytes, path: str | os.PathLike, max_bytes: int) -> str:
    """decode() then check_text() for a file's bytes, each refusal naming the file."""
    reader.check_file(data, path)
    try:
        text = decode(data, max_bytes)
        check_text(text, max_bytes)
    except InputDataError as exc:
        raise InputDataError(f"{path}: {exc}") from None
    return text


def check_text(text: str, max_bytes: int) -> None:
    """Refuse empty, whitespace-only, binary or oversized text with one clear message each."""
    if not text.strip():
        raise InputDataError("input is empty or only whitespace")
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise InputDataError(f"input has an unpaired surrogate at character {exc.start}; it is not valid Unicode text") from None
    if size > max_bytes:
        raise InputDataError(f"input is {size:,} bytes, over the limit of {max_bytes:,} (see --max-bytes)")
    if "\x00" in text[:65536] and text[:65536].count("\x00") > 16:
        raise InputDataError("input looks like binary data (NUL bytes), not text")


def from_text(text: str, *, max_bytes: int, source_type: str = "text", source_value: str | None = None) -> Document:
    """Make a Document from plain text and mark scrape junk as removed ranges (never cut)."""
    check_text(text, max_bytes)
    doc = Document(text=text, source_type=source_type, source_value=source_value)
    from unspun.ingest import cleanup

    cleanup.run(doc)
    doc.metadata.title = guess_title(doc)
    return doc


def first_line(doc: Document) -> tuple[int, str] | None:
    """(start, line with its terminator) of the first line that is neither blank nor marked as junk: where a
    headline would be. The title guess and the quotes stage (a headline is no quote) both start from it."""
    pos = 0
    for line in doc.text.splitlines(keepends=True):
        start = pos
        pos += len(line)
        if not line.strip().lstrip("\ufeff"):
            continue
        if doc.is_removed(start, start + len(line.rstrip("\r\n")) or start + 1):
            continue
        return start, line
    return None


def guess_title(doc: Document) -> str | None:
    """The first non-junk line when it reads like a headline (short, no final full stop); plain text has no <title>."""
    found = first_line(doc)
    if found is None:
        return None
    stripped = found[1].strip().lstrip("\ufeff")
    if len(stripped) <= 200 and not stripped.endswith((".", ",", ";", ":")):
        return stripped
    return None


_LETTERS = re.compile(r"[^\W\d_]{2,}")


HEADING_LOOK = 1000
"""How far `line_around` looks for the ends of a line on each side: a heading or a credit line is short, so a line
running on further is none, and a text on one line (a scrape without line breaks) is not read whole for each name."""


def line_around(text: str, start: int, end: int) -> tuple[int, int] | None:
    """[a, b) of the line holding text[start:end], or None when it runs on more than HEADING_LOOK characters before
    `start` or after `end` (then it is no short line, and finding its ends would read it all)."""
    lo = max(0, start - HEADING_LOOK)
    a = text.rfind("\n", lo, start) + 1
    if a == 0 and lo > 0:
        return None
    b = text.find("\n", end, end + HEADING_LOOK)
    if b < 0:
        if end + HEADING_LOOK < len(text):
            return None
        b = len(text)
    return a, b


def heading_line(text: str, pos: int) -> bool:
    """Whether the line holding `pos` reads as a heading: at most 150 characters, no full stop, question or
    exclamation mark (or closing quote) at its end, and at least 60% of its words capitalised ("Policy
    Shortcomings", "Ferry Chief Quits Over Harbour Row"). NER and the quote tagger misread such lines as names.
    A line that runs on more than HEADING_LOOK characters from `pos` is no heading (`line_around`)."""
    bounds = line_around(text, pos, pos)
    if bounds is None:
        return False
    a, b = bounds
    line = text[a:b].strip()
    words = _LETTERS.findall(line)
    return (bool(words) and len(line) <= 150 and not line.endswith((".", "?", "!", "”", '"', "’", "'"))
            and sum(w[0].isupper() for w in words) >= 0.6 * len(words))
