"""The technique stage: persuasion-technique spans with scores, definitions and evidence, under the Document's
taxonomy: PTC's 14 techniques (`ptc14`, the default) or SemEval-2023's 23 (`semeval23`).

The models come from the registry (`unspun.runtime.models`: `load_techniques`, and `load_semeval23` for the
23-technique heads, which read the same encoder's states and load only when a document asks for that taxonomy).
"""

from __future__ import annotations

from unspun.document import Document, Technique
from unspun.runtime.models import DEFAULT_MODEL, load_semeval23, load_techniques
from unspun.runtime.technique_model import distinct_labels
from unspun.stages import evidence
from unspun.taxonomy import SEMEVAL23, by_name, relation, to_ptc14


def _evidence_name(technique: str) -> str:
    """The evidence rules are keyed by PTC's names; a 2023 technique that is the same as a 2020 one uses its rules."""
    if technique in SEMEVAL23.names and relation(technique) == "same":
        return to_ptc14(technique)[0]
    return technique


NAME = "techniques"  # the stage contract (unspun.pipeline): its name, the stages it needs first, and run(doc)
REQUIRES: tuple[str, ...] = ()
READS_PARSE = False  # whether it reads the shared spaCy parse (`unspun.runtime.nlp.parse`)


def run(doc: Document) -> None:
    """Add one Technique item per (span, technique) scored at least the min score; skip removed junk. Under the
    semeval23 taxonomy the 23-technique heads give span items whose paragraph reaches the min score."""
    name = doc.options.get("model") or DEFAULT_MODEL
    semeval23 = doc.taxonomy == SEMEVAL23.name
    model, info = load_semeval23(name) if semeval23 else load_techniques(name)
    doc.models["techniques"] = info
    min_score = doc.options.get("min_score")
    if min_score is None:
        min_score = model.min_score
        doc.options["min_score"] = min_score
    lookup = SEMEVAL23.by_name if semeval23 else by_name
    for d in model.predict(doc.text, floor=min_score):
        if doc.is_removed(d.start, d.end):
            continue
        rules = _evidence_name(d.technique) if semeval23 else d.technique
        doc.add(
            Technique, d.start, d.end, technique=d.technique, score=d.score, definition_id=lookup(d.technique).id,
            evidence=evidence.for_detection(doc.text, d.start, d.end, rules),
        )


def predict_ptc(articles: dict[str, str], model: str = DEFAULT_MODEL, min_score: float | None = None, progress=None):
    """`ptc predict` rows (id, technique, start, end) for each article, offsets into the raw file text."""
    return run_ptc(articles, None, model, min_score, progress)[0]


def classify_ptc(articles: dict[str, str], template, model: str = DEFAULT_MODEL, progress=None):
    """`ptc classify` rows: the template's spans with a technique; a repeated span gets distinct techniques."""
    return run_ptc(articles, template, model, progress=progress, detect=False)[1]


def run_ptc(articles: dict[str, str], template, model: str = DEFAULT_MODEL, min_score: float | None = None, progress=None,
            *, detect: bool = True) -> tuple[list, list]:
    """(`ptc predict` rows, `ptc classify` rows for `template`) from one encoder pass per article.

    `template` is rows (id, start, end), or None for no classification; `detect=False` skips span finding.
    Evaluation wants both, and encoding is nearly all of the cost, so it pays once.
    """
    tm, _ = load_techniques(model)
    threshold = tm.min_score if min_score is None else min_score
    by_article: dict[str, list[tuple[int, int]]] = {}
    for article_id, start, end in template or ():
        by_article.setdefault(article_id, []).append((start, end))
    predicted: list[tuple[str, str, int, int]] = []
    ranked: dict[tuple[str, int, int], list[str]] = {}
    for article_id, text in articles.items():
        wanted = by_article.get(article_id, [])
        if not detect and not wanted:
            continue
        unique = sorted(set(wanted))
        found, classes = tm.predict_and_classify(text, unique, floor=threshold, detect=detect)
        predicted += [(article_id, d.technique, d.start, d.end) for d in found]
        for span, techniques in zip(unique, classes):
            ranked[(article_id, *span)] = [t for t, _ in techniques]
        if progress is not None:
            progress()
    keys = [(article_id, start, end) for article_id, start, end in template or ()]
    classified = [(a, label, s, e) for (a, s, e), label in zip(keys, distinct_labels(keys, ranked.__getitem__))]
    return predicted, classified


def predict_semeval23(articles: dict[str, str], model: str = DEFAULT_MODEL, min_score: float | None = None,
                      progress=None) -> dict[tuple[str, int], list[str]]:
    """{(article id, paragraph number): techniques} for every paragraph of every article (SemEval-2023 subtask 3),
    the techniques of the stage's span items in each paragraph, most probable first."""
    sm, _ = load_semeval23(model)
    out: dict[tuple[str, int], list[str]] = {}
    for article_id, text in articles.items():
        for number, labels in sm.paragraph_labels(text, floor=min_score).items():
            out[(article_id, number)] = labels
        if progress is not None:
            progress()
    return out
