"""Article-shaped mutation: whole lines of real article furniture moved, dropped, doubled and spliced.

Byte-level fuzzing (90,000 inputs) never produced the shape that hung the pipeline: an embedded tweet tag on a line
of its own, which spaCy parses as a sentence with no verb. Real articles are full of such lines. This mutator keeps
an input article-shaped and changes it the way scrapes differ: it inserts lines that real pages carry (embeds,
captions, bylines, share widgets, verbless headings, lists), duplicates, drops, swaps, joins and splits lines, and
switches line endings. `mutate` is plain Python (seeded `random.Random`), so tests replay it without atheris;
`fuzz/harness.py article` hands it to libFuzzer as a custom mutator.
"""

from __future__ import annotations

import random

# Lines in the shape of what scraped news pages carry between paragraphs (written for this file).
FURNITURE = [
    '<tweet tweet-id="1187203344"><tweet/>.',
    "<blockquote class=\"twitter-tweet\">The vote is tomorrow. pic.twitter.com/x7Yq2LmN0a</blockquote>",
    "— Dana Whitfield (@danawhit) March 3, 2019",
    "pic.twitter.com/Ab3dE5fG7h",
    "A tweet from the senator.",
    "Twitter post by the governor.",
    "Facebook post of the ministry, 12 June.",
    "Screenshot 2019-03-04 at 10.15.22.png",
    "IMG_2041.JPG",
    "Image: Getty Images",
    "Photo: AP Photo/Ana Ruiz",
    "Share this: Facebook Twitter Email WhatsApp",
    "Advertisement",
    "READ MORE: Council backs harbour plan",
    "Click here to subscribe",
    "By Tom Ellery | Published 10:42 GMT, 4 March 2019 | Updated 11:03",
    "3 columns",
    "• Fares rise by 12%",
    "1. The deal; 2. The vote; 3. The fallout",
    "THE HARBOUR DEAL",
    "* * *",
    "—",
    "https://example.org/news/2019/03/04/harbour-deal",
    "@danawhit @portellery",
    "😡😡😡 #StopTheDeal #PortEllery",
    "“Never.”",
    "\"We will fight this,\" she said.",
    "He said: ",
    "According to",
    "Sources: Reuters, AP, the council's minutes.",
    "| Year | Fares |",
    "Related: Mayor Lund resigns; Harbour sold",
    "Tags: politics, harbour, Port Ellery",
    "(function(){var a=1;})();",
    "Cookies help us deliver our services. OK",
    "Ends",
    "",
]

_ENDINGS = ["\n", "\r\n", "\r", "\n\n"]


def mutate(text: str, rng: random.Random, steps: int | None = None) -> str:
    """`text` changed by 1–4 line-level edits (or `steps`), still looking like an article."""
    lines = text.splitlines() or [""]
    for _ in range(steps if steps is not None else rng.randint(1, 4)):
        op = rng.randrange(9)
        i = rng.randrange(len(lines))
        if op <= 2:  # the commonest difference between scrapes: furniture between paragraphs
            lines.insert(i, rng.choice(FURNITURE))
        elif op == 3:
            lines.insert(i, lines[i])
        elif op == 4 and len(lines) > 1:
            del lines[i]
        elif op == 5:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 6 and i + 1 < len(lines):
            lines[i : i + 2] = [lines[i] + rng.choice([" ", "", " — "]) + lines[i + 1]]
        elif op == 7 and " " in lines[i]:
            cut = rng.choice([k for k, ch in enumerate(lines[i]) if ch == " "])
            lines[i : i + 1] = [lines[i][:cut], lines[i][cut + 1 :]]
        else:
            lines[i] = lines[i] + " " + rng.choice(FURNITURE)
    return rng.choice(_ENDINGS).join(lines)


def custom_mutator(data: bytes, max_size: int, seed: int) -> bytes:
    """libFuzzer's hook: mostly line edits; now and then atheris's byte mutation, so odd bytes still appear."""
    rng = random.Random(seed)
    if rng.random() < 0.15:
        import atheris

        return atheris.Mutate(data, max_size)
    out = mutate(data.decode("utf-8", "replace"), rng).encode("utf-8")
    return out[:max_size]
