"""Paragraphs as SemEval-2023 Task 3 (subtask 3) numbers them: the lines of the text, 1-based.

Why a module of its own: the subtask is scored per paragraph, and its files (`.template`, gold labels, predictions)
name a paragraph by its line number in the article. Every line counts towards the numbering, but blank lines
(empty or whitespace only) are not paragraphs and are never listed. Training, `unspun semeval23 predict`, the
scorer and the technique stage must all cut a text the same way, so they all call `paragraphs()`.

A paragraph's `[start, end)` indexes the text exactly (offsets are sacred); a CRLF line ends before its `\\r`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Paragraph:
    number: int  # 1-based line number in the text
    start: int
    end: int


def paragraphs(text: str) -> list[Paragraph]:
    """The non-blank lines of `text` with their 1-based line numbers and offsets (lines end at `\\n`)."""
    out: list[Paragraph] = []
    pos, number = 0, 0
    n = len(text)
    while pos <= n:
        number += 1
        cut = text.find("\n", pos)
        end = n if cut < 0 else cut
        stop = end - 1 if end > pos and text[end - 1] == "\r" else end
        if text[pos:stop].strip():
            out.append(Paragraph(number, pos, stop))
        if cut < 0:
            break
        pos = cut + 1
    return out


def paragraph_of(paras: list[Paragraph], start: int, end: int) -> list[Paragraph]:
    """The paragraphs that [start, end) overlaps (a span across a line break lies in several)."""
    return [p for p in paras if p.start < end and start < p.end]


__all__ = ["Paragraph", "paragraph_of", "paragraphs"]
