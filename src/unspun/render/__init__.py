"""Outputs: each renderer turns finished Documents into one format and computes no analysis of its own."""

from __future__ import annotations

from collections.abc import Sequence

from unspun.document import Document

# Formats written to a file or stdout; "summary" is the rich terminal view.
FORMATS = ("json", "jsonl", "md", "tsv", "html")
EXTENSIONS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".md": "md", ".markdown": "md", ".tsv": "tsv",
              ".html": "html", ".htm": "html"}


def render(docs: Sequence[Document], fmt: str, *, as_list: bool = False) -> bytes:
    """Render documents as bytes. `as_list` makes `json` write a list even for one document."""
    if fmt == "json":
        from unspun.render import json as mod

        return mod.render(docs, as_list=as_list)
    if fmt == "jsonl":
        from unspun.render import json as mod

        return mod.render_lines(docs)
    if fmt == "md":
        from unspun.render import markdown as mod

        return mod.render(docs).encode("utf-8")
    if fmt == "tsv":
        from unspun.render import tsv as mod

        return mod.render(docs).encode("utf-8")
    if fmt == "html":
        from unspun.render import html as mod

        return mod.render(docs).encode("utf-8")
    raise ValueError(f"unknown format {fmt!r}")
