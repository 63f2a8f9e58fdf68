"""The hand-labelled gold corpus in tests/data/gold/ and a small scorer for it (see tests/data/gold/README.md).

Everything is matched by text: a gold item names an exact substring of its article, and a prediction matches a gold
item when their character ranges overlap by at least half of the shorter one (the usual lenient span match).
Names (speakers, sources, actors) match when the content words of one are all among the content words of the other
("Quill" matches "Mara Quill"; "the state transportation department" matches "state transportation department").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

GOLD_DIR = Path(__file__).resolve().parent / "data" / "gold"

SOURCE_TYPES = {"outlet", "person", "organisation", "document", "social_post", "link"}
ACTOR_TYPES = {"person", "state", "organisation", "group"}
SOURCINGS = {"attributed", "hedged", "asserted"}
_STOP = {"the", "a", "an", "of", "for", "its", "his", "her", "their", "our", "on", "by", "in", "at", "to", "and", "s"}


# --- loading --------------------------------------------------------------------------------------------------------
@dataclass
class Span:
    start: int
    end: int
    text: str
    labels: tuple = ()          # techniques (any is right) / acceptable speakers / sourcing
    optional: bool = False


@dataclass
class Named:
    names: tuple[str, ...]
    types: tuple[str, ...]


@dataclass
class Article:
    name: str
    text: str
    neutral: bool
    techniques: list[Span] = field(default_factory=list)
    quotes: list[Span] = field(default_factory=list)
    claims: list[Span] = field(default_factory=list)
    sources: list[Named] = field(default_factory=list)
    actors: list[Named] = field(default_factory=list)
    junk: list[Span] = field(default_factory=list)       # lines that must be marked removed
    junk_ok: list[Span] = field(default_factory=list)    # lines that may be marked removed either way

    @property
    def words(self) -> int:
        return len(self.text.split())


def _tuple(value) -> tuple:
    if value is None:
        return (None,)
    return tuple(value) if isinstance(value, list) else (value,)


def locate(text: str, sub: str, nth: int = 0) -> tuple[int, int]:
    """The `nth` (0-based) occurrence of `sub` in `text`, as a whole word or phrase where it starts/ends with a word
    character (so "rot" is not found inside "protest"). Raises ValueError when it is not there."""
    pattern = re.escape(sub)
    if sub[:1].isalnum() or sub[:1] == "_":
        pattern = r"(?<!\w)" + pattern
    if sub[-1:].isalnum() or sub[-1:] == "_":
        pattern += r"(?!\w)"
    found = [m.span() for m in re.finditer(pattern, text)]
    if len(found) <= nth:
        raise ValueError(f"{sub!r} (occurrence {nth}) is not in the text")
    return found[nth]


def locate_line(text: str, line: str) -> tuple[int, int]:
    """The first line of `text` that is exactly `line` (line endings excluded)."""
    pos = 0
    for raw in text.splitlines(keepends=True):
        content = raw.rstrip("\r\n")
        if content == line:
            return pos, pos + len(content)
        pos += len(raw)
    raise ValueError(f"no line {line!r} in the text")


def _spans(text: str, items: list[dict], key: str) -> list[Span]:
    out = []
    for item in items:
        start, end = locate(text, item["text"], item.get("nth", 0))
        out.append(Span(start, end, text[start:end], _tuple(item.get(key)), bool(item.get("optional", False))))
    return out


def parse(name: str, text: str, gold: dict) -> Article:
    """An article from its text and gold JSON (the text may be a CRLF copy: gold strings hold no line break)."""
    return Article(
        name=name,
        text=text,
        neutral=bool(gold.get("neutral", False)),
        techniques=_spans(text, gold.get("techniques", []), "technique"),
        quotes=_spans(text, gold.get("quotes", []), "speaker"),
        claims=_spans(text, gold.get("claims", []), "sourcing"),
        sources=[Named(_tuple(s["name"]), _tuple(s["type"])) for s in gold.get("sources", [])],
        actors=[Named(_tuple(a["name"]), _tuple(a["type"])) for a in gold.get("actors", [])],
        junk=[Span(*locate_line(text, line), line) for line in gold.get("removed", [])],
        junk_ok=[Span(*locate_line(text, line), line) for line in gold.get("removed_optional", [])],
    )


def read_text(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def gold_json(name: str) -> dict:
    return json.loads((GOLD_DIR / f"{name}.json").read_text(encoding="utf-8"))


def names() -> list[str]:
    return sorted(p.stem for p in GOLD_DIR.glob("*.txt"))


def load(name: str, *, crlf: bool = False) -> Article:
    text = read_text(GOLD_DIR / f"{name}.txt")
    if crlf:
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return parse(name, text, gold_json(name))


def load_all() -> list[Article]:
    return [load(n) for n in names()]


# --- matching -------------------------------------------------------------------------------------------------------
def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """True when the two ranges share at least half of the shorter one."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter > 0 and inter >= 0.5 * min(a[1] - a[0], b[1] - b[0])


def _words(name: str) -> set[str]:
    name = name.lower().replace("\u2019", "'").replace("'s ", " ").replace("'s", "")
    return {w for w in re.findall(r"[\w&-]+", name) if w not in _STOP}


def same_name(predicted: str | None, gold: str | None) -> bool:
    if gold is None or predicted is None:
        return gold is None and predicted is None
    p, g = _words(predicted), _words(gold)
    return bool(p) and bool(g) and (p <= g or g <= p)


def any_name(predicted: str | None, golds: tuple) -> bool:
    return any(same_name(predicted, g) for g in golds)


# --- scores ---------------------------------------------------------------------------------------------------------
def _ratio(a: float, b: float) -> float:
    return a / b if b else 1.0


@dataclass
class Counts:
    """Matched / total counters, summed over articles (micro averages)."""

    n: dict = field(default_factory=dict)

    def add(self, key: str, hit: bool | int, total: int = 1) -> None:
        got, tot = self.n.get(key, (0, 0))
        self.n[key] = (got + int(hit), tot + total)

    def merge(self, other: Counts) -> Counts:
        for key, (got, tot) in other.n.items():
            self.add(key, got, tot)
        return self

    def rate(self, key: str) -> float:
        got, tot = self.n.get(key, (0, 0))
        return _ratio(got, tot)

    def total(self, key: str) -> int:
        return self.n.get(key, (0, 0))[1]


def score_techniques(art: Article, doc: dict) -> Counts:
    """Span precision / recall and label accuracy (the best-scored technique on the overlapping predictions)."""
    c = Counts()
    required = [g for g in art.techniques if not g.optional]
    optional = [g for g in art.techniques if g.optional]
    spans: dict[tuple[int, int], list[tuple[float, str]]] = {}
    for t in doc["techniques"]:
        spans.setdefault((t["start"], t["end"]), []).append((t["score"], t["technique"]))
    for span in spans:
        if any(overlaps(span, (g.start, g.end)) for g in required):
            c.add("span_precision", True)
        elif not any(overlaps(span, (g.start, g.end)) for g in optional):
            c.add("span_precision", False)
    for g in required:
        found = [lab for span, labs in spans.items() if overlaps(span, (g.start, g.end)) for lab in labs]
        c.add("span_recall", bool(found))
        if found:
            c.add("label_accuracy", max(found)[1] in g.labels)
    return c


def score_quotes(art: Article, doc: dict) -> Counts:
    """Quote precision / recall and speaker accuracy (the speaker of the best-overlapping predicted quote)."""
    c = Counts()
    required = [g for g in art.quotes if not g.optional]
    optional = [g for g in art.quotes if g.optional]
    for q in doc["quotes"]:
        span = (q["start"], q["end"])
        if any(overlaps(span, (g.start, g.end)) for g in required):
            c.add("precision", True)
        elif not any(overlaps(span, (g.start, g.end)) for g in optional):
            c.add("precision", False)
    for g in required:
        hits = [q for q in doc["quotes"] if overlaps((q["start"], q["end"]), (g.start, g.end))]
        c.add("recall", bool(hits))
        if hits:
            best = max(hits, key=lambda q: min(q["end"], g.end) - max(q["start"], g.start))
            c.add("speaker_accuracy", any_name(best["speaker"], g.labels))
    return c


def score_claims(art: Article, doc: dict) -> Counts:
    """Gold claims found as claims, and how often the found ones carry the right sourcing."""
    c = Counts()
    for g in art.claims:
        hits = [k for k in doc["claims"] if overlaps((k["start"], k["end"]), (g.start, g.end))]
        c.add("recall", bool(hits))
        if hits:
            best = max(hits, key=lambda k: min(k["end"], g.end) - max(k["start"], g.start))
            c.add("sourcing_accuracy", best["sourcing"] in g.labels)
    return c


def _score_named(gold: list[Named], predicted: list[dict]) -> Counts:
    c = Counts()
    for g in gold:
        hits = [p for p in predicted if any_name(p["name"], g.names)]
        c.add("recall", bool(hits))
        if hits:
            c.add("type_accuracy", any(p["type"] in g.types for p in hits))
    return c


def score_sources(art: Article, doc: dict) -> Counts:
    return _score_named(art.sources, doc["sources"])


def score_actors(art: Article, doc: dict) -> Counts:
    return _score_named(art.actors, doc["actors"])


def score_junk(art: Article, doc: dict) -> Counts:
    """Junk lines marked removed (recall), and removed ranges that touch no junk line (article text removed)."""
    c = Counts()
    removed = [(r["start"], r["end"]) for r in doc["removed"]]
    for g in art.junk:
        c.add("recall", any(overlaps(r, (g.start, g.end)) for r in removed))
    allowed = art.junk + art.junk_ok
    for r in removed:
        wrong = not any(overlaps(r, (g.start, g.end)) for g in allowed)
        c.add("article_text_removed", wrong)
    return c


def false_alarms(art: Article, doc: dict) -> int:
    """Distinct technique spans found in the article (for neutral pieces, every one is a false alarm)."""
    return len({(t["start"], t["end"]) for t in doc["techniques"]})


SCORERS = {
    "techniques": score_techniques,
    "quotes": score_quotes,
    "claims": score_claims,
    "sources": score_sources,
    "actors": score_actors,
    "junk": score_junk,
}


def score_all(articles: list[Article], docs: dict[str, dict]) -> dict[str, Counts]:
    """Micro-averaged counters per scorer over the given articles (docs: name → Document JSON as a dict)."""
    out = {k: Counts() for k in SCORERS}
    for art in articles:
        for key, fn in SCORERS.items():
            out[key].merge(fn(art, docs[art.name]))
    return out


def false_alarm_rate(articles: list[Article], docs: dict[str, dict]) -> float:
    """Technique spans per 1,000 words over the neutral articles."""
    neutral = [a for a in articles if a.neutral]
    words = sum(a.words for a in neutral)
    return 1000.0 * sum(false_alarms(a, docs[a.name]) for a in neutral) / words if words else 0.0


def report(scores: dict[str, Counts]) -> dict[str, float]:
    """Flat {scorer.metric: value} for printing and comparing."""
    return {f"{k}.{m}": round(c.rate(m), 4) for k, c in scores.items() for m in sorted(c.n)}
