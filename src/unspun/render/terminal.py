"""The rich summary shown when stdout is a terminal: what was found, at a glance."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from unspun.document import KINDS, Document
from unspun.render.columns import TITLES, cells, headers, technique_definitions, unsure_technique_note

_MAX_ROWS = 25


def _header(doc: Document) -> Panel:
    m = doc.metadata
    info = Table.grid(padding=(0, 2))
    info.add_column(style="bold")
    info.add_column()
    for key, value in (("source", doc.source_value or doc.source_type), ("site", m.site), ("author", m.author),
                       ("date", m.date), ("language", m.language)):
        if value:
            info.add_row(key, Text(str(value)))
    info.add_row("length", f"{len(doc.text):,} characters, {len(doc.text.split()):,} words")
    counts = ", ".join(f"{len(getattr(doc, k))} {k.replace('_', ' ')}" for k in KINDS)
    info.add_row("found", counts)
    stages = doc.options.get("stages") or []
    info.add_row("stages", ", ".join(stages) if stages else "none (ingest only)")
    return Panel(info, title=Text(m.title or "Untitled text", style="bold"), title_align="left")


def show(docs: Sequence[Document], console: Console | None = None) -> None:
    console = console or Console()
    for doc in docs:
        console.print(_header(doc))
        for w in doc.warnings:
            console.print(Text(f"warning: {w}", style="yellow"))
        for kind in KINDS:
            items = getattr(doc, kind)
            if not items:
                continue
            table = Table(title=f"{TITLES[kind]} ({len(items)})", title_justify="left", expand=True)
            table.add_column("id", no_wrap=True)
            for h in headers(kind):
                table.add_column(h, overflow="fold")
            for item in items[:_MAX_ROWS]:
                table.add_row(item.id, *[Text(c) for c in cells(kind, item, doc)])
            if len(items) > _MAX_ROWS:
                table.caption = f"… {len(items) - _MAX_ROWS} more; use --format json or md for all"
            console.print(table)
            if kind == "techniques":
                for name, definition in technique_definitions(doc):
                    console.print(Text.assemble((name, "bold"), ": ", definition))
                note = unsure_technique_note(doc)
                if note:
                    console.print(Text.assemble(("(unsure)", "italic"), ": ", note, "."))
