"""Paragraphs as SemEval-2023 subtask 3 numbers them: 1-based lines, blank lines counted but never listed."""

from __future__ import annotations

import pytest

from conftest import read_original, require_shared

from unspun.paragraphs import Paragraph, paragraph_of, paragraphs


def numbered(text: str) -> list[tuple[int, str]]:
    return [(p.number, text[p.start : p.end]) for p in paragraphs(text)]


def test_blank_lines_count_but_are_not_listed():
    text = "Title here\n\nFirst paragraph.\n\n\nSecond one.\n"
    assert numbered(text) == [(1, "Title here"), (3, "First paragraph."), (6, "Second one.")]


def test_whitespace_only_lines_are_blank_and_crlf_ends_before_cr():
    text = "One\r\n \t \r\nTwo\r\n\r\nThree"
    assert numbered(text) == [(1, "One"), (3, "Two"), (5, "Three")]


@pytest.mark.parametrize("text, expected", [
    ("", []),
    ("\n\n", []),
    ("Only one paragraph, no newline", [(1, "Only one paragraph, no newline")]),
    ("\nStarts after a blank line\n", [(2, "Starts after a blank line")]),
])
def test_edges(text, expected):
    assert numbered(text) == expected


def test_offsets_index_the_text_and_overlaps():
    text = "ab\n\ncd ef\ngh"
    paras = paragraphs(text)
    assert paras == [Paragraph(1, 0, 2), Paragraph(3, 4, 9), Paragraph(4, 10, 12)]
    assert paragraph_of(paras, 5, 11) == paras[1:]
    assert paragraph_of(paras, 2, 4) == []


def test_the_numbering_of_the_task_templates():
    """Every template of the staged SemEval-2023 training data lists exactly our paragraphs, with the same text."""
    from unspun.evaluation.semeval23_scorer import read_template

    folder = require_shared("semeval2023-task3-en", "train")
    checked = 0
    for path in sorted((folder / "train-articles-subtask-3").glob("article*.txt")):
        article_id = path.stem[len("article"):]
        template = folder / "train-labels-subtask-3" / f"article{article_id}-labels-subtask-3.txt.template"
        text = read_original(path)
        assert [(n, t) for _, n, t in read_template(template)] == numbered(text), article_id
        checked += 1
    assert checked == 371
