"""Renderers: TSV escaping and columns, Markdown sections, the terminal summary, JSON list/lines."""

import orjson
from rich.console import Console

from test_document import full_document
from unspun.document import Document, Removed
from unspun.render import render
from unspun.render import terminal
from unspun.render.tsv import COLUMNS


def test_tsv_one_row_per_item_with_escapes():
    doc = Document(text="Line one\tcell\nline two\\end", source_value="x.txt")
    doc.add(Removed, 0, len(doc.text), reason="layout-widget")
    lines = render([doc], "tsv").decode().split("\n")
    assert lines[0].split("\t") == list(COLUMNS)
    row = lines[1].split("\t")
    assert row == ["x.txt", "removed", "r0", "0", str(len(doc.text)), "layout-widget", "",
                   "Line one\\tcell\\nline two\\\\end"]


def test_tsv_covers_every_kind():
    kinds = {line.split("\t")[1] for line in render([full_document()], "tsv").decode().splitlines()[1:]}
    assert kinds == {"removed", "embedded_posts", "links", "techniques", "quotes", "claims", "sources", "actors"}


def test_markdown_has_a_section_per_non_empty_kind():
    md = render([full_document()], "md").decode()
    for title in ("Removed as scrape junk", "Persuasion techniques", "Quotes", "Claims", "Sources", "Actors"):
        assert f"## {title} (1)" in md
    assert "Loaded_Language" in md and "Ana Ruiz" in md
    assert "- **Loaded_Language**: " in md  # each technique found is explained next to the detections


def test_json_single_list_and_lines():
    doc = full_document()
    assert orjson.loads(render([doc], "json"))["schema"] == "unspun/1"
    assert isinstance(orjson.loads(render([doc], "json", as_list=True)), list)
    assert len(render([doc, doc], "jsonl").splitlines()) == 2


def test_terminal_summary_shows_counts_and_tables():
    console = Console(record=True, width=120)
    terminal.show([full_document()], console=console)
    out = console.export_text()
    assert "1 techniques" in out and "Persuasion techniques (1)" in out and "Loaded_Language" in out
