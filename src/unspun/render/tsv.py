"""TSV: one row per item of every list (INTERFACES.md), for spreadsheets and `cut`/`awk` pipelines.

Columns: doc, kind, id, start, end, label, score, text. Items without offsets (sources, actors) leave start/end
empty and put their name in `text`. Backslashes, tabs and newlines in text are escaped as \\\\, \\t, \\n (\\r as \\r).
"""

from __future__ import annotations

from collections.abc import Sequence

from unspun.document import Document

COLUMNS = ("doc", "kind", "id", "start", "end", "label", "score", "text")
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def escape(value: str) -> str:
    return value.translate(_ESCAPES)


def _doc_name(doc: Document, index: int) -> str:
    return doc.source_value or str(index)


def rows(doc: Document, name: str):
    for kind, item in doc.items():
        start = getattr(item, "start", None)
        end = getattr(item, "end", None)
        score = getattr(item, "score", None)
        text = item.text if start is not None else getattr(item, "name", "")
        yield (
            name,
            kind,
            item.id,
            "" if start is None else str(start),
            "" if end is None else str(end),
            item.label or "",
            "" if score is None else f"{score:.4f}",
            text,
        )


def render(docs: Sequence[Document]) -> str:
    lines = ["\t".join(COLUMNS)]
    for i, doc in enumerate(docs):
        for row in rows(doc, _doc_name(doc, i)):
            lines.append("\t".join(escape(str(v)) for v in row))
    return "\n".join(lines) + "\n"
