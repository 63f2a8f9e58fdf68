"""The invariants every Document must hold, as one checker shared by the property tests and the fuzz harness.

Why a module and not a test helper: the fuzzer (`fuzz/harness.py`) runs outside pytest and must flag exactly what
the tests flag, so both call `violations(doc)`. It returns messages instead of asserting, so a fuzzer can report
every broken rule of one input at once.
"""

from __future__ import annotations

from collections.abc import Iterator

from unspun.document import Document

_NESTED_SPANS = ("mentions", "labels", "evidence")
_QUOTE_PAIRS = (("speaker_start", "speaker_end"), ("cue_start", "cue_end"))


def _span_problems(where: str, text: str, start: object, end: object, span_text: object | None) -> Iterator[str]:
    if not (isinstance(start, int) and isinstance(end, int)):
        yield f"{where}: offsets are not ints ({start!r}, {end!r})"
        return
    if not (0 <= start < end <= len(text)):
        yield f"{where}: span [{start}, {end}) is outside the text (length {len(text)}) or empty"
        return
    if span_text is not None and text[start:end] != span_text:
        yield f"{where}: text {span_text!r:.60} != doc.text[{start}:{end}] {text[start:end]!r:.60}"


def violations(doc: Document) -> list[str]:
    """Every broken invariant of `doc`, as one line each; an empty list means the Document is sound.

    Checked: each span (every list in `doc.items()`, nested mentions/labels/evidence, quote speaker/cue/parts)
    has `0 <= start < end <= len(doc.text)` and its `text` equals `doc.text[start:end]`; ids are unique;
    removed ranges never overlap; `Document.from_json(doc.to_json())` gives back an equal Document.
    """
    problems: list[str] = []
    text = doc.text
    if not isinstance(text, str):
        return [f"doc.text is {type(text).__name__}, not str"]
    seen_ids: set[str] = set()
    for kind, item in doc.items():
        where = f"{kind}/{getattr(item, 'id', '?')}"
        if item.id in seen_ids:
            problems.append(f"{where}: duplicate id")
        seen_ids.add(item.id)
        if hasattr(item, "start"):
            problems.extend(_span_problems(where, text, item.start, item.end, item.text))
        for field in _NESTED_SPANS:
            for i, nested in enumerate(getattr(item, field, None) or []):
                problems.extend(_span_problems(f"{where}.{field}[{i}]", text, nested.start, nested.end, nested.text))
        if kind in ("quotes", "views"):
            for a, b in _QUOTE_PAIRS:
                s, e = getattr(item, a), getattr(item, b)
                if (s is None) != (e is None):
                    problems.append(f"{where}: {a}/{b} only one is null")
                elif s is not None:
                    problems.extend(_span_problems(f"{where}.{a}", text, s, e, None))
            for i, part in enumerate(item.parts or []):
                problems.extend(_span_problems(f"{where}.parts[{i}]", text, part[0], part[1], None))
    ranges = sorted((r.start, r.end, r.id) for r in doc.removed)
    for (s1, e1, id1), (s2, e2, id2) in zip(ranges, ranges[1:]):
        if s2 < e1:
            problems.append(f"removed {id1} [{s1}, {e1}) overlaps {id2} [{s2}, {e2})")
    try:
        again = Document.from_json(doc.to_json())
    except Exception as exc:  # a round-trip failure of any kind is the finding
        problems.append(f"JSON round trip fails: {type(exc).__name__}: {exc}")
    else:
        if again != doc:
            problems.append("JSON round trip changes the Document")
        elif again.to_json() != doc.to_json():
            problems.append("JSON round trip changes the JSON bytes")
    return problems
