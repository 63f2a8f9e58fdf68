"""Markdown: a compact report to paste into an issue or a chat."""

from __future__ import annotations

from collections.abc import Sequence

from unspun.document import KINDS, Document
from unspun.render.columns import TITLES, cells, headers, technique_definitions, unsure_technique_note


def _cell(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")


def _meta_lines(doc: Document) -> list[str]:
    m = doc.metadata
    pairs = [("Source", doc.source_value or doc.source_type), ("Site", m.site), ("Author", m.author),
             ("Date", m.date), ("URL", m.url), ("Language", m.language)]
    return [f"- **{k}:** {_cell(str(v))}" for k, v in pairs if v]


def render_one(doc: Document) -> str:
    title = doc.metadata.title or (doc.source_value or "Untitled text")
    out = [f"# {_cell(title)}", ""]
    out += _meta_lines(doc)
    words = len(doc.text.split())
    out.append(f"- **Length:** {len(doc.text):,} characters, {words:,} words")
    stages = doc.options.get("stages") or []
    out.append(f"- **Stages run:** {', '.join(stages) if stages else 'none (ingest only)'}")
    for w in doc.warnings:
        out.append(f"- **Warning:** {_cell(w)}")
    out.append("")
    for kind in KINDS:
        items = getattr(doc, kind)
        if not items:
            continue
        out.append(f"## {TITLES[kind]} ({len(items)})")
        out.append("")
        cols = headers(kind)
        out.append("| id | " + " | ".join(cols) + " |")
        out.append("|---|" + "---|" * len(cols))
        for item in items:
            out.append(f"| {item.id} | " + " | ".join(_cell(c) for c in cells(kind, item, doc)) + " |")
        out.append("")
        if kind == "techniques":
            out.extend(f"- **{name}**: {_cell(definition)}" for name, definition in technique_definitions(doc))
            note = unsure_technique_note(doc)
            if note:
                out.append(f"- *(unsure)*: {note}.")
            out.append("")
    return "\n".join(out)


def render(docs: Sequence[Document]) -> str:
    return "\n---\n\n".join(render_one(d) for d in docs)
