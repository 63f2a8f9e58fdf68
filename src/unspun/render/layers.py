"""The report's reading layers: which marks each layer styles, and the key that explains every one of them.

Why layers: with every kind styled at once (blue quotes, dotted claims, bold speakers, wavy labels, technique tints)
the text was hard to read and most styles were explained nowhere. One layer at a time keeps the text readable, and
each layer's key lists exactly the kinds of mark that layer shows, with a sample styled by the same CSS rule.

A key entry matches a mark by its classes (`k-KIND` plus state classes such as `unsure` or `s-asserted`); an entry
is listed when the document has at least one such mark. The CSS in `static/report.css` styles the same classes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from unspun.render.columns import UNSURE_ITEM, UNSURE_SPEAKER


@dataclass(frozen=True, slots=True)
class KeyEntry:
    classes: tuple[str, ...]  # a mark shows this entry's style when it has all of these classes
    sample: str
    meaning: str

    @property
    def selector(self) -> str:
        return "mark." + ".".join(self.classes)


@dataclass(frozen=True, slots=True)
class Layer:
    id: str
    name: str
    focus: str  # a selector: the marks the keyboard reaches in this layer
    entries: tuple[KeyEntry, ...]

    @property
    def shows(self) -> str:
        """A selector: the marks whose items the detail box lists in this layer (for the script)."""
        kinds = dict.fromkeys("mark." + ".".join(c for c in e.classes if c not in _STATES and not c.startswith("s-"))
                              for e in self.entries)
        return ", ".join(kinds) or self.focus


_STATES = {"unsure", "cw"}


QUOTES = Layer("quotes", "Quotes & speakers", "mark.k-quotes, mark.k-views", (
    KeyEntry(("k-quotes",), "quoted words", "a quote: words the article reports someone said (direct, indirect, block "
                                            "or mixed)"),
    KeyEntry(("k-quotes", "unsure"), "quoted words", f"a quote whose speaker is unsure (probability under "
                                                     f"{UNSURE_SPEAKER:.2f} that the speaker is right)"),
    KeyEntry(("k-views",), "they believe it", "a view: what the text says someone thinks, wants or knows, not words "
                                              "they said"),
    KeyEntry(("k-views", "unsure"), "they believe it", f"a view whose holder is unsure (probability under "
                                                       f"{UNSURE_SPEAKER:.2f})"),
    KeyEntry(("k-speaker",), "the speaker", "whose words (or view) they are: the mention that names the speaker (a "
                                            "name, a pronoun or a description)"),
    KeyEntry(("k-speaker", "unsure"), "the speaker", f"an unsure speaker (probability under {UNSURE_SPEAKER:.2f})"),
    KeyEntry(("k-cue",), "said", "the cue that introduces the quote (said, told, according to)"),
    KeyEntry(("k-embedded_posts",), "@account", "an embedded social-media post (a screenshot caption naming an "
                                                "account)"),
))
CLAIMS = Layer("claims", "Claims & sourcing", "mark.k-claims", (
    KeyEntry(("k-claims", "s-asserted"), "asserted claim", "asserted: the article states it and gives no source"),
    KeyEntry(("k-claims", "s-attributed"), "attributed claim", "attributed: the article says who says so"),
    KeyEntry(("k-claims", "s-hedged"), "hedged claim", "hedged: reported with a hedge (allegedly, reportedly, may)"),
    KeyEntry(("k-claims", "cw"), "check-worthy", "check-worthy: the claims model gives it 0.50 or more"),
    KeyEntry(("k-mention", "o-sources"), "a source", "a source the article names or leans on"),
    KeyEntry(("k-mention", "o-sources", "unsure"), "a source", f"an unsure source (probability under {UNSURE_ITEM:.2f} "
                                                               "that it is one)"),
    KeyEntry(("k-links",), "a link", "a link in the original page"),
))
ACTORS = Layer("actors", "Actors & labels", "mark.k-label, mark.k-mention.o-actors", (
    KeyEntry(("k-mention", "o-actors"), "an actor", "an actor: a person, state, organisation or group the article "
                                                    "mentions"),
    KeyEntry(("k-mention", "o-actors", "unsure"), "an actor", f"an unsure actor (probability under {UNSURE_ITEM:.2f} "
                                                              "that it is one)"),
    KeyEntry(("k-label",), "so-called experts", "a label the text pins on an actor"),
))
# The techniques layer's key is the colour key (one swatch per technique found), built from the document.
TECHNIQUES = Layer("techniques", "Techniques", "mark.k-techniques", ())
LAYERS = (TECHNIQUES, QUOTES, CLAIMS, ACTORS)
DEFAULT = TECHNIQUES.id

# Shown under every layer: scrape junk is collapsed to a marker, or shown struck through.
REMOVED = KeyEntry(("k-removed",), "Share this:", "scrape junk (image names, share buttons, layout residue), "
                                                  "collapsed to a marker")


def present(entries: Iterable[KeyEntry], mark_classes: Iterable[str]) -> list[tuple[KeyEntry, int]]:
    """The entries some mark shows, with how many marks show each (`mark_classes`: each mark's class string)."""
    sets = [frozenset(c.split()) for c in mark_classes]
    out = []
    for e in entries:
        need = set(e.classes)
        n = sum(1 for s in sets if need <= s)
        if n:
            out.append((e, n))
    return out
