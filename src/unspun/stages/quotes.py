"""The quotes stage: direct, indirect, block and mixed quotes, with their cue and who said them.

A MiniLM tagger trained on PolNeAR (`unspun/models/quotes/`) marks source, cue and content tokens; decoding
joins split quotes and links each content to its cue and source (see `unspun.runtime.quote_model`). Then the
speaker mention is resolved to a canonical name from the document's named entities (`unspun.speakers`), and the
quote's kind is read from its quotation marks and cue. Removed junk is skipped.
"""

from __future__ import annotations

import json
from functools import lru_cache

from unspun.document import Document, Quote
from unspun.errors import ModelError
from unspun.runtime import nlp
from unspun.runtime.model_files import MODELS_DIR, RESTORE, sha256
from unspun.runtime.quote_model import Attribution, QuoteModel
from unspun.speakers import EntityIndex, resolve

OPEN_MARKS = "\"“„‟«‘‚‛「『'‹"
CLOSE_MARKS = "\"”“»’'」』›"
_EDGE_PUNCT = " \t\n,.;:!?-–—"
_BLOCK_CUES = ("put it", "puts it", "wrote", "writes", "write")
RECENT_PERSON_CHARS = 800
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})


@lru_cache(maxsize=1)
def load() -> tuple[QuoteModel, dict]:
    folder = MODELS_DIR / "quotes"
    for f in ("config.json", "encoder.int8.onnx", "head.npz", "tokenizer.json"):
        if not (folder / f).is_file():
            raise ModelError(f"quote model: {folder / f} is missing; {RESTORE}")
    try:
        model = QuoteModel.load(folder)
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except Exception as exc:
        raise ModelError(f"quote model in {folder} is corrupt ({type(exc).__name__}: {exc}); {RESTORE}") from None
    info = {"name": config.get("name", "quotes"), "version": str(config.get("version", "")),
            "sha256": sha256(folder / "encoder.int8.onnx")}
    return model, info


def kind_of(text: str, parts: list[tuple[int, int]], cue: str | None) -> str:
    """direct: the content is all inside quotation marks; mixed: it contains a quoted part; block: no marks and
    introduced by a colon or "as X puts it"; indirect: reported speech."""
    content = " ".join(text[s:e] for s, e in parts).strip(_EDGE_PUNCT)
    if not content:
        return "indirect"
    if content[0] in OPEN_MARKS and content[-1] in CLOSE_MARKS:
        return "direct"
    if any(c in content for c in "\"“”«»„「」"):
        return "mixed"
    cue_text = (cue or "").strip().lower()
    if cue_text.endswith(":") or any(cue_text.endswith(b) for b in _BLOCK_CUES) and len(content) > 200:
        return "block"
    return "indirect"


def _tidy(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start] in _EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCT:
        end -= 1
    return (start, end) if end > start else None


def run(doc: Document) -> None:
    """Add a Quote for each attribution the tagger finds outside removed ranges."""
    model, info = load()
    doc.models["quotes"] = info
    text = doc.text
    if not text.strip():
        return
    atts: list[Attribution] = model(text)
    index = EntityIndex(text, list(nlp.entities(text)))
    recent: tuple[int, str] | None = None  # (where, name) of the last person quoted
    for att in atts:
        parts = [p for p in (_tidy(text, s, e) for s, e in att.parts) if p]
        if not parts or doc.is_removed(parts[0][0], parts[-1][1]):
            continue
        speaker = speaker_from = None
        speaker_span = _tidy(text, *att.source) if att.source else None
        if speaker_span and text[speaker_span[0] : speaker_span[1]].lower() in RELATIVE_PRONOUNS:
            # "…, who said …": the speaker is the noun phrase the relative clause hangs on
            ent = index.before(speaker_span[0], ("PERSON", "ORG", "GPE", "NORP"), window=80)
            if ent is not None:
                speaker_span = (ent.start, ent.end)
        if speaker_span:
            person = recent[1] if recent and speaker_span[0] - recent[0] <= RECENT_PERSON_CHARS else None
            res = resolve(text, *speaker_span, index, recent_person=person)
            speaker, speaker_from = res.name, res.resolved_from
            if speaker and any(e.label == "PERSON" and e.text in speaker for e in index.inside(*speaker_span)) or (
                res.resolved_from == "pronoun" and speaker and speaker != text[speaker_span[0]:speaker_span[1]]
            ):
                recent = (speaker_span[1], speaker)
        cue_span = _tidy(text, *att.cue) if att.cue else None
        cue = text[cue_span[0] : cue_span[1]] if cue_span else None
        if att.cue and cue is None and text[att.cue[0]:att.cue[1]].strip():
            cue_span, cue = att.cue, text[att.cue[0] : att.cue[1]]  # a bare ":" cue
        doc.add(
            Quote, parts[0][0], parts[-1][1],
            kind=kind_of(text, parts, cue),
            speaker=speaker,
            speaker_start=speaker_span[0] if speaker_span else None,
            speaker_end=speaker_span[1] if speaker_span else None,
            speaker_resolved_from=speaker_from,
            cue=cue,
            cue_start=cue_span[0] if cue_span else None,
            cue_end=cue_span[1] if cue_span else None,
            score=round(att.score, 4),
            parts=[list(p) for p in parts],
        )
