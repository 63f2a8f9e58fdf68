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


def _with_sure_score(sure):
    """The hand-made document of test_render_html (three techniques scored 0.81, 0.42 and 0.12) whose technique
    model states a sure score (None: it states none)."""
    from test_render_html import full_document as full

    doc = full()
    doc.models["techniques"] = {"name": "m", "version": "1", "sha256": "x"} | ({} if sure is None else {"sure_score": sure})
    return doc


def test_techniques_under_the_models_sure_score_read_as_unsure_in_every_human_view():
    from unspun.render import html
    from unspun.render.summary import summarize

    doc = _with_sure_score(0.5)
    md = render([doc], "md").decode()
    rows = [line for line in md.splitlines() if line.startswith("| t")]
    assert [("(unsure)" in r) for r in rows] == [False, True, True]  # 0.81 sure; 0.42 and 0.12 under 0.5
    assert "- *(unsure)*: scored under 0.50" in md
    console = Console(record=True, width=160)
    terminal.show([doc], console=console)
    out = console.export_text()
    assert out.count("(unsure)") >= 3 and "scored under 0.50" in out  # two rows and the note
    page = html.render_report([doc])
    assert page.count('class="tag unsure">unsure</span>') >= 2 and "A dashed underline marks an unsure one: scored under 0.50" in page
    marks = [m for m in html.collect_marks(doc, "d0") if m.kind == "techniques"]
    assert [("unsure" in m.classes.split()) for m in marks] == [m.score < 0.5 for m in marks] and len(marks) == 3
    assert summarize(doc, "d0").sure_techniques == 1
    assert 'data-fig="sure">1</span> more likely right than wrong' in page
    # the tsv and JSON keep the contract's fields: no unsure column there
    assert b"unsure" not in render([doc], "tsv") and b"unsure" not in render([doc], "json")


def test_no_sure_score_no_unsure_technique():
    from unspun.render import html
    from unspun.render.summary import summarize

    doc = _with_sure_score(None)
    assert b"(unsure)" not in render([doc], "md")
    assert summarize(doc, "d0").sure_techniques is None
    assert not any("unsure" in m.classes.split() for m in html.collect_marks(doc, "d0") if m.kind == "techniques")
    assert "dashed underline" not in html.render_report([doc])


def test_a_sure_score_reads_as_it_is():
    from unspun.render.columns import sure_text

    assert [sure_text(x) for x in (0.4, 0.375, 0.5, 0.425)] == ["0.40", "0.375", "0.50", "0.425"]
    assert "scored under 0.375," in render([_with_sure_score(0.375)], "md").decode()
