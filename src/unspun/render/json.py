"""JSON (schema `unspun/1`) and JSON Lines output."""

from __future__ import annotations

from collections.abc import Sequence

import orjson

from unspun.document import Document


def render(docs: Sequence[Document], *, as_list: bool = False) -> bytes:
    """One document as an object, several (or `as_list`) as a list; pretty-printed, newline-terminated."""
    payload = [d.to_dict() for d in docs] if (as_list or len(docs) != 1) else docs[0].to_dict()
    return orjson.dumps(payload, option=orjson.OPT_INDENT_2) + b"\n"


def render_lines(docs: Sequence[Document]) -> bytes:
    """One compact JSON document per line."""
    return b"".join(orjson.dumps(d.to_dict()) + b"\n" for d in docs)
