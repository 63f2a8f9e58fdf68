"""The fuzz seed corpus: the hand-written pages in `fuzz/seeds/` plus seeds generated here at run time.

Generated, not committed: every pairing of a declared and an actual encoding, 100,000-level nesting, huge
attributes, and (with `big=True`) a 50 MB single line. `python fuzz/seeds.py OUT [--big|--small]` writes them to OUT.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parent / "seeds"

_ARTICLE = (
    "<h1>Café owners protest the new tax</h1>"
    "<p>Café owners in São Paulo protested on Monday against a tax they called «a blatant robbery» of small firms.</p>"
    "<p>The minister said the measure was fair, according to a statement published by the ministry.</p>"
)
# name -> how the declaration appears in the page (None: no declaration)
_DECLARED: dict[str, Callable[[str], str]] = {
    "none": lambda cs: "",
    "meta-charset": lambda cs: f'<meta charset="{cs}">',
    "http-equiv": lambda cs: f'<meta http-equiv="Content-Type" content="text/html; charset={cs}">',
    "xml-decl": lambda cs: f'<?xml version="1.0" encoding="{cs}"?>',
}
_CHARSETS = ["utf-8", "iso-8859-1", "windows-1252", "shift_jis", "utf-16", "utf-7", "koi8-r", "no-such-charset"]
# actual byte encodings of the page (a BOM where the name says so)
_ACTUAL: dict[str, Callable[[str], bytes]] = {
    "utf-8": lambda s: s.encode("utf-8"),
    "utf-8-bom": lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"),
    "latin-1": lambda s: s.encode("latin-1", "replace"),
    "cp1252": lambda s: s.encode("cp1252", "replace"),
    "shift_jis": lambda s: s.encode("shift_jis", "replace"),
    "utf-16-le-bom": lambda s: s.encode("utf-16"),
    "utf-16-be-nobom": lambda s: s.encode("utf-16-be"),
    "koi8-r": lambda s: s.encode("koi8-r", "replace"),
}


def encoding_mismatches() -> Iterator[tuple[str, bytes]]:
    """Every (declaration style, declared charset, actual encoding) page; most pairs disagree on purpose."""
    for style, declare in _DECLARED.items():
        charsets = [None] if style == "none" else _CHARSETS
        for cs in charsets:
            head = declare(cs or "")
            for actual, encode in _ACTUAL.items():
                page = f"{head if style == 'xml-decl' else ''}<html><head>{head if style != 'xml-decl' else ''}"
                page += f"<title>Tax protest</title></head><body><article>{_ARTICLE}</article></body></html>"
                yield f"enc-{style}-{cs or 'none'}-as-{actual}.html", encode(page)


def deep_nesting(levels: int = 100_000) -> Iterator[tuple[str, bytes]]:
    body = _ARTICLE.encode()
    yield "nest-div-closed.html", b"<html><body>" + b"<div>" * levels + body + b"</div>" * levels + b"</body></html>"
    yield "nest-div-unclosed.html", b"<html><body>" + b"<div>" * levels + body
    yield "nest-inline.html", b"<html><body><article>" + b"<b><i>" * (levels // 2) + body + b"</article></body></html>"
    yield "nest-mixed.html", b"<html><body>" + b"<div><span><table><tr><td>" * (levels // 5) + body + b"</body></html>"
    yield "nest-300.html", b"<html><body>" + b"<div>" * 300 + body + b"</div>" * 300 + b"</body></html>"


def huge_attributes() -> Iterator[tuple[str, bytes]]:
    body = _ARTICLE.encode()
    yield "attr-5mb-value.html", b"<html><body><article title='" + b"x" * 5_000_000 + b"'>" + body + b"</article></body></html>"
    yield "attr-100k-attrs.html", b"<html><body><article " + b" ".join(b"a%d=1" % i for i in range(100_000)) + b">" + body + b"</article></body></html>"
    yield "attr-unterminated.html", b"<html><body><article><p class='" + b"y" * 1_000_000 + body


def big_line(size: int = 50 * 1024 * 1024) -> bytes:
    """A 50 MB single line of prose with no newline, made in memory (never committed)."""
    sentence = "The committee said the plan was a total disaster and critics agreed. "
    return (sentence * (size // len(sentence) + 1)).encode()[:size]


def hand_written() -> Iterator[tuple[str, bytes]]:
    for path in sorted(SEEDS_DIR.iterdir()):
        if path.is_file():
            yield path.name, path.read_bytes()


def all_seeds(*, big: bool = False) -> Iterator[tuple[str, bytes]]:
    """Every seed as (name, bytes); `big` adds the 50 MB line (and its HTML twin)."""
    yield from hand_written()
    yield from encoding_mismatches()
    yield from deep_nesting()
    yield from huge_attributes()
    if big:
        line = big_line()
        yield "line-50mb.txt", line
        yield "line-50mb.html", b"<html><body><article><p>" + line + b"</p></article></body></html>"


def small_seeds(limit: int = 65536) -> Iterator[tuple[str, bytes]]:
    """Seeds a mutation fuzzer can work on (libFuzzer's buffers stay small)."""
    return ((name, data) for name, data in all_seeds() if len(data) <= limit)


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    chosen = small_seeds() if "--small" in sys.argv[2:] else all_seeds(big="--big" in sys.argv[2:])
    for name, data in chosen:
        (out / name).write_bytes(data)
