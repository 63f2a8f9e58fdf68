"""atheris (libFuzzer) harness for unspun's ingest and pipeline: `python fuzz/harness.py TARGET [libFuzzer flags] CORPUS...`.

Targets:
- `text`: `analyze_text(bytes)` and `analyze_text(str)` (the bytes decoded with surrogateescape, so lone
  surrogates reach the str path), ingest only (`stages=[]`).
- `html`: `analyze_html(bytes)` and `analyze_html(str)`, ingest only.
- `pipeline`: `analyze_bytes(data)` with every stage and the fast model.
- `article`: the same, but inputs are mutated line by line as article-shaped text (`fuzz/article.py`): the byte
  mutations of the other targets never produce the embeds, captions and verbless lines of real pages.

A finding is any exception that is not an `UnspunError`, an error message that is not one line, or a returned
Document that breaks an invariant (`unspun.invariants.violations`). Hangs are libFuzzer's `-timeout`;
the per-document time limit is set lower than that, so a slow input must end in TimeLimitError, not a hang.
"""

from __future__ import annotations

import contextlib
import os
import sys

import atheris

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("UNSPUN_THREADS", "1")

# Coverage feedback from unspun and from the pure-Python HTML extraction under it (lxml itself is C). Only when
# fuzzing: instrumented code runs several times slower, and `replay.py` imports this module just for its targets.
_instrument = atheris.instrument_imports if __name__ == "__main__" else (lambda **_: contextlib.nullcontext())
with _instrument(include=["unspun", "trafilatura", "htmldate", "courlan", "justext"]):
    from unspun import pipeline
    from unspun.errors import UnspunError
    from unspun.invariants import violations

TIME_LIMIT = float(os.environ.get("UNSPUN_FUZZ_TIME_LIMIT", "10"))


def _check(fn, value, **kwargs) -> None:
    try:
        doc = fn(value, time_limit=TIME_LIMIT, **kwargs)
    except UnspunError as exc:
        message = str(exc)
        if not message or "\n" in message:
            raise AssertionError(f"error message is not one line: {message!r}") from None
        return
    problems = violations(doc)
    if problems:
        raise AssertionError("; ".join(problems[:5]))


def target_text(data: bytes) -> None:
    _check(pipeline.analyze_text, data, stages=[])
    _check(pipeline.analyze_text, data.decode("utf-8", "surrogateescape"), stages=[])


def target_html(data: bytes) -> None:
    _check(pipeline.analyze_html, data, stages=[])
    _check(pipeline.analyze_html, data.decode("utf-8", "replace"), stages=[])


def target_pipeline(data: bytes) -> None:
    _check(pipeline.analyze_bytes, data, model="fast")


def target_article(data: bytes) -> None:
    _check(pipeline.analyze_text, data.decode("utf-8", "replace"), model="fast")


TARGETS = {"text": target_text, "html": target_html, "pipeline": target_pipeline, "article": target_article}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} {{{'|'.join(TARGETS)}}} [libFuzzer flags] [CORPUS_DIR...]")
    target = TARGETS[sys.argv[1]]
    if target in (target_pipeline, target_article):
        pipeline.analyze_text("Warm the models up once, outside the timed inputs.", model="fast")
    mutator = {}
    if target is target_article:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from article import custom_mutator

        mutator = {"custom_mutator": custom_mutator}
    atheris.Setup([sys.argv[0], *sys.argv[2:]], target, **mutator)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
