"""Evidence for a technique detection: what in the text supports it, shown next to the definition.

- Repetition: the other occurrences of the same words in the article.
- Appeal_to_Authority: the authority invoked (an "according to X", a titled person, experts or studies) in the
  span's sentence.
- Other techniques: cue words inside the span that are typical of the technique ("either … or", "what about",
  superlatives), when there are any. The cue lists are unspun's own; an empty list means the model's score is
  the only evidence.
"""

from __future__ import annotations

import re

from unspun.document import Evidence
from unspun.limits import check_time

_MAX = 10

_AUTHORITY = re.compile(
    r"according to (?:the )?(?:[A-Z][\w.'’\-]*(?:\s+(?:of\s+)?[A-Z][\w.'’\-]*){0,5})"
    r"|\b(?:Dr|Prof|Professor|President|Senator|Gen|General|Minister|Secretary|Director|Judge|Governor)\.?"
    r"\s+[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,2}"
    r"|\b(?i:(?:(?:leading|top|many|most|independent)\s+)?(?:experts?|scientists?|doctors?|researchers?|economists?|"
    r"studies|a study|(?:a|the) report|officials?|analysts?))\b"
    r"|\b[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,3}(?=\s+(?:said|says|stated|told|warned|explained|confirmed)\b)"
)

_CUES: dict[str, re.Pattern] = {
    "Black-and-White_Fallacy": re.compile(r"\beither\b.{0,200}?\bor\b|\bno middle ground\b|\bonly (?:two|one) (?:choices?|options?|ways?)\b|\bno (?:other )?alternative\b", re.I | re.S),
    "Whataboutism,Straw_Men,Red_Herring": re.compile(r"\bwhat about\b|\bbut what of\b|\bnobody is saying\b", re.I),
    "Exaggeration,Minimisation": re.compile(r"\b(?:never|always|every|everyone|nobody|nothing|all|worst|best|biggest|greatest|most|entire(?:ly)?|totally|completely|absolutely|merely|just a|only a|mere)\b", re.I),
    "Bandwagon,Reductio_ad_hitlerum": re.compile(r"\b(?:everyone|everybody|all (?:the )?\w+ agree|millions of|most people|hitler|nazis?|fascists?|stalin)\b", re.I),
    "Causal_Oversimplification": re.compile(r"\b(?:because|therefore|so|caused by|the reason|led to|due to|as a result|thanks to)\b", re.I),
    "Doubt": re.compile(r"\?|\bso-called\b|\ballegedly\b|\bsupposedly\b|\bclaims? to\b|\bis it (?:any )?(?:surprise|coincidence)\b", re.I),
    "Flag-Waving": re.compile(r"\b(?:patriot\w*|our (?:nation|country|people|history|heritage|children|town|values)|national|americans?|british|freedom|homeland)\b", re.I),
    "Slogans": re.compile(r"!|\benough is enough\b|\bnot for sale\b|\bmake \w+ great\b", re.I),
    "Thought-terminating_Cliches": re.compile(r"\b(?:it is what it is|enough said|end of story|draw your own conclusions|that's (?:just )?the way it is|the oldest trick in the book)\b", re.I),
}


# A full stop after these is not a sentence end ("Dr. Jane Smith said").
_ABBREVIATIONS = re.compile(r"(?:\b(?:Dr|Mr|Mrs|Ms|Prof|Gen|Sen|Rep|Gov|Lt|Col|Capt|St|Jr|Sr|vs|No)|\b[A-Z])\.$")
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")
_SENTENCE_REACH = 1000


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end), looking at most ~1,000 characters either way."""
    lo = max(0, start - _SENTENCE_REACH)
    left = lo
    for m in _SENTENCE_END.finditer(text, lo, start):
        if m.group() == "\n" or not _ABBREVIATIONS.search(text, max(0, m.start() - 6), m.end()):
            left = m.end()
    right = min(len(text), end + _SENTENCE_REACH)
    for m in _SENTENCE_END.finditer(text, end, right):
        if m.group() == "\n" or not _ABBREVIATIONS.search(text, max(0, m.start() - 6), m.end()):
            right = m.end()
            break
    return left, right


def _clean(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in " \t\r\n.,;:":
        end -= 1
    return start, end


def repetitions(text: str, start: int, end: int) -> list[Evidence]:
    check_time()  # one scan of the whole text per Repetition detection: a long document's deadline must fire here
    needle = " ".join(text[start:end].lower().split())
    if len(needle) < 3:
        return []
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in needle.split()) + r"(?!\w)", re.I)
    out = []
    for m in pattern.finditer(text):
        if m.start() == start and m.end() == end:
            continue
        out.append(Evidence(m.start(), m.end(), m.group(0), "earlier occurrence" if m.start() < start else "later occurrence"))
        if len(out) >= _MAX:
            break
    return out


def authority(text: str, start: int, end: int) -> list[Evidence]:
    s, e = _sentence_bounds(text, start, end)
    out = []
    for m in _AUTHORITY.finditer(text, s, e):
        a, b = _clean(text, m.start(), m.end())
        if b > a:
            out.append(Evidence(a, b, text[a:b], "authority invoked"))
        if len(out) >= 3:
            break
    return out


def cues(text: str, start: int, end: int, technique: str) -> list[Evidence]:
    pattern = _CUES.get(technique)
    if pattern is None:
        return []
    out = []
    for m in pattern.finditer(text, start, end):
        a, b = m.start(), m.end()
        if b > a and text[a:b].strip():
            out.append(Evidence(a, b, text[a:b], "cue words"))
        if len(out) >= 3:
            break
    return out


def for_detection(text: str, start: int, end: int, technique: str) -> list[Evidence]:
    """The evidence list for one (span, technique) item."""
    if technique == "Repetition":
        return repetitions(text, start, end)
    if technique == "Appeal_to_Authority":
        return authority(text, start, end)
    return cues(text, start, end, technique)
