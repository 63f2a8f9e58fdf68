"""Scoring quote attribution against PolNeAR, by the rule the project's evaluator uses.

A predicted content matches a gold content when their character overlap is at least 50% of the longer of the two
(contents may be discontinuous: a split quote is one content in two parts). Matching is one-to-one, best overlap
first. Speaker accuracy is counted over matched contents: the prediction is right when its speaker mention
overlaps the gold source span, or when both have no source. Direct and indirect quotes are reported separately
(a gold content is direct when it starts with a quotation mark).
"""

from __future__ import annotations

from dataclasses import dataclass

QUOTE_MARKS = "\"“”„‟«»‘’‚‛'「」『』"


@dataclass(slots=True)
class Item:
    parts: list[tuple[int, int]]
    speaker: tuple[int, int] | None
    kind: str = ""

    @property
    def length(self) -> int:
        return sum(e - s for s, e in self.parts)


def overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    total = 0
    for s1, e1 in a:
        for s2, e2 in b:
            total += max(0, min(e1, e2) - max(s1, s2))
    return total


def _spans_overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def gold_kind(text: str, parts: list[tuple[int, int]]) -> str:
    first = text[parts[0][0] : parts[0][1]].lstrip()
    return "direct" if first[:1] in QUOTE_MARKS else "indirect"


def match(pred: list[Item], gold: list[Item]) -> list[tuple[int, int]]:
    """One-to-one (pred index, gold index) pairs whose overlap is ≥ 50% of the longer span."""
    pairs = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            ov = overlap(p.parts, g.parts)
            if ov and ov >= 0.5 * max(p.length, g.length):
                pairs.append((ov / max(p.length, g.length), i, j))
    used_p, used_g, out = set(), set(), []
    for _, i, j in sorted(pairs, reverse=True):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j))
    return out


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "pred": n_pred, "gold": n_gold, "matched": tp}


def score(docs: list[tuple[list[Item], list[Item]]]) -> dict:
    """Content P/R/F1 and speaker accuracy over (pred, gold) item lists, overall and per kind."""
    tp = n_pred = n_gold = 0
    speaker_ok = 0
    by_kind = {k: {"tp": 0, "pred": 0, "gold": 0, "speaker_ok": 0} for k in ("direct", "indirect")}
    for pred, gold in docs:
        pairs = match(pred, gold)
        tp += len(pairs)
        n_pred += len(pred)
        n_gold += len(gold)
        for p in pred:
            if p.kind in by_kind:
                by_kind[p.kind]["pred"] += 1
        for g in gold:
            by_kind[g.kind]["gold"] += 1
        for i, j in pairs:
            p, g = pred[i], gold[j]
            ok = _spans_overlap(p.speaker, g.speaker) or (p.speaker is None and g.speaker is None)
            speaker_ok += ok
            by_kind[g.kind]["tp"] += 1
            by_kind[g.kind]["speaker_ok"] += ok
    out = {"content": _prf(tp, n_pred, n_gold), "speaker_accuracy": round(speaker_ok / tp, 4) if tp else 0.0}
    for k, v in by_kind.items():
        # per kind: recall over gold of that kind; precision over predictions we labelled that kind
        entry = _prf(v["tp"], v["pred"], v["gold"])
        entry["speaker_accuracy"] = round(v["speaker_ok"] / v["tp"], 4) if v["tp"] else 0.0
        out[k] = entry
    return out


def gold_items(article) -> list[Item]:
    """PolNeAR attributions of one article as scoring items (source = the union of its source parts)."""
    items = []
    for att in article.attributions:
        src = (att.source[0][0], att.source[-1][1]) if att.source else None
        items.append(Item(list(att.content), src, gold_kind(article.text, att.content)))
    return items


def pred_items(doc, views: bool = True) -> list[Item]:
    """A Document's quotes, then its views, as scoring items (the speaker mention, pronoun included). PolNeAR
    annotates attribution of words and of thoughts alike, so its figures score both lists (`views=False`: quotes
    alone, what a reader sees as quotes)."""
    items = []
    for q in [*doc.quotes, *doc.views] if views else doc.quotes:
        spk = (q.speaker_start, q.speaker_end) if q.speaker_start is not None else None
        kind = "direct" if q.kind in ("direct", "mixed", "block") and q.text.lstrip()[:1] in QUOTE_MARKS else "indirect"
        items.append(Item([tuple(p) for p in q.parts] or [(q.start, q.end)], spk, kind))
    return items


def _model_items(text: str, atts) -> list[Item]:
    return [Item(list(a.parts), a.source, gold_kind(text, a.parts)) for a in atts]


def evaluate_model(model, articles, **decoding) -> dict:
    """Score the raw tagger + decoder (no speaker resolution) on PolNeAR articles."""
    docs = []
    for a in articles:
        docs.append((_model_items(a.text, model.decode(a.text, model.tag(a.text), **decoding)), gold_items(a)))
    return score(docs)


def tune_decoding(model, articles) -> dict:
    """Choose the decoding settings with the best content F1 (then speaker accuracy) on tuning articles."""
    tagged = [(a, model.tag(a.text)) for a in articles]
    best = None
    for bias in (0.5, 0.7, 0.85, 1.0, 1.2):
        for min_chars in (4, 12, 25):
            for link_chars in (150, 300):
                settings = {"outside_bias": bias, "min_content_chars": min_chars, "link_chars": link_chars}
                docs = [(_model_items(a.text, model.decode(a.text, t, **settings)), gold_items(a)) for a, t in tagged]
                s = score(docs)
                key = (s["content"]["f1"], s["speaker_accuracy"])
                if best is None or key > best[0]:
                    best = (key, settings)
    return best[1]


def evaluate_stage(articles, progress: bool = True) -> dict:
    """Score what ships: the quotes stage (tagger, decoding, speaker mentions) run on each article's text."""
    from unspun.document import Document
    from unspun.stages import quotes as stage

    docs, quotes_only = [], []
    for a in articles:
        doc = Document(text=a.text)
        stage.run(doc)
        gold = gold_items(a)
        docs.append((pred_items(doc), gold))
        quotes_only.append((pred_items(doc, views=False), gold))
    out = score(docs)
    out["quotes_only"] = score(quotes_only)["content"]
    return out


ADMISSION_GRID = (0.0, 0.3, 0.4, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)


def tune_admission(model, articles) -> tuple[float, list[dict]]:
    """The quotes stage's `min_score`: the most precise value whose content F1 on the tuning articles is at least
    the F1 of admitting everything (0.0). Precision first, without giving up F1 on the corpus the tagger learnt
    from. Each value runs the stage itself (the tagger once per article). Returns the value and its table."""
    from unspun.document import Document
    from unspun.stages import quotes as stage

    tagger = model if isinstance(model, CachedTagger) else CachedTagger(model)
    table = []
    for min_score in ADMISSION_GRID:
        docs = []
        for a in articles:
            doc = Document(text=a.text)
            stage.add_quotes(doc, tagger, min_score)
            docs.append((pred_items(doc), gold_items(a)))
        s = score(docs)
        table.append({"min_score": min_score, **s["content"], "speaker_accuracy": s["speaker_accuracy"]})
    floor = table[0]["f1"]
    best = max((row for row in table if row["f1"] >= floor), key=lambda row: (row["precision"], -row["min_score"]))
    return best["min_score"], table


class CachedTagger:
    """The tagger with its output kept per text: tuning runs the stage on the same articles many times (each
    admission value, then the speaker calibration), and only the first run pays for inference."""

    def __init__(self, model) -> None:
        self.model, self.config, self._seen = model, model.config, {}

    def __call__(self, text: str):
        if text not in self._seen:
            self._seen[text] = self.model(text)
        return list(self._seen[text])


def fit_speaker_calibration(model, articles, min_score: float) -> dict:
    """P(speaker mention right) per cell, from the quotes stage on tuning articles: over quotes whose content matches
    a gold attribution, the share whose speaker mention overlaps the gold source, as (right + 1) / (n + 2).
    A cell with fewer than 20 quotes falls back to the next coarser one (see `speaker_cells`). PolNeAR marks mentions, so a
    pronoun counts as right when it is the right pronoun, whatever name it was resolved to."""
    from unspun.document import Document
    from unspun.stages import quotes as stage

    counts: dict[str, list[int]] = {}
    for a in articles:
        doc = Document(text=a.text)
        stage.add_quotes(doc, model, min_score)
        pred, gold = pred_items(doc), gold_items(a)
        both = [*doc.quotes, *doc.views]
        for i, j in match(pred, gold):
            q = both[i]
            if q.speaker is None:
                continue
            right = _spans_overlap(pred[i].speaker, gold[j].speaker)
            for key in stage.speaker_cells(q.speaker_resolved_from, q.kind, q.score, q.cue):
                k, n = counts.get(key, [0, 0])
                counts[key] = [k + right, n + 1]
    return {key: {"p": round((k + 1) / (n + 2), 3), "n": n} for key, (k, n) in sorted(counts.items())}
