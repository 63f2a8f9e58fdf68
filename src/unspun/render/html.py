"""HTML: the self-contained report (one file, no network) and every page of the web UI, from one set of templates.

Why it looks like this:
- The article is cut into *segments* at every span boundary; each segment is wrapped in one `<mark>` per item that
  covers it, outermost first. Crossing and nested spans therefore all stay visible, and a new span kind needs no
  template change: any list item with `start`/`end` (and any nested `mentions`/`labels`, any `X_start`/`X_end` pair)
  becomes a mark with the CSS class `k-KIND`.
- Technique marks get a fixed *lane* (greedy interval colouring), drawn as an underline at the lane's depth, so two
  overlapping techniques show two stacked underlines and the inner one's background.
- Only one reading layer is styled at a time (`render/layers.py`): radios and `:has()` rules, so it works without JS,
  and each layer's key lists exactly the kinds of mark it shows. Removed junk is hidden with the whitespace after
  it (a `gap` mark) behind one marker per run, so it leaves no blank hole; the text itself is never changed.
- The summary on top (`render/summary.py`) is tallies of the Document's items, never new analysis.
- CSS and JS are static files inlined verbatim; the page carries a Content-Security-Policy that allows exactly
  their sha256 hashes (no `unsafe-inline`, no `eval`). Charts are server-side SVG (altair → vl-convert), so they
  need no script at all. No element has a `style` attribute.
- Everything is autoescaped by Jinja2; the only `|safe` inserts are the static CSS/JS and vl-convert's SVG (which
  escapes its own text). URLs from the article become links only when they are http(s).
"""

from __future__ import annotations

import base64
import hashlib
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from unspun import taxonomy
from unspun.document import KINDS, Document
from unspun.render import columns, layers
from unspun.render import summary as summaries
from unspun.render.columns import COLUMNS, TITLES, shorten
from unspun.version import __version__

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"

MAX_LANES = 5  # deeper overlaps share the last lane's underline; the detail box still lists every item
DENSITY_BINS = 20
# Nested item lists rendered as marks of their own kind (the owner's info is shown on click).
_NESTED_MARKS = {"mentions": "mention", "labels": "label"}
_SAFE_CLASS = re.compile(r"[^a-z0-9_-]+")
# A cheap sentence split for the quote/claim share chart (see docs/report-and-server.md for why not spaCy).
_SENTENCE_END = re.compile(r"([.!?…][\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-Z0-9])|()\n\s*\n|()\n(?=\s*[-*•\d])")
_VEGA_BASE = re.compile(r'xlink:href="https://vega\.github\.io/vega-datasets/')


def _technique_css() -> str:
    rules = []
    for t in (t for scheme in taxonomy.TAXONOMIES.values() for t in scheme.techniques):  # both taxonomies
        rules.append(f"mark.t-{t.id}{{background:{t.colour};border-bottom-color:{_darken(t.colour)}}}")
        rules.append(f".sw-{t.id}{{background:{t.colour}}}")
        rules.append(f".swc-{t.id}{{background:{_chart_colour(t.colour)}}}")  # the charts' shade, for their legends
    return "\n".join(rules) + "\n"


def _chart_colour(colour: str) -> str:
    return _darken(colour, 0.8)


def _darken(colour: str, factor: float = 0.55) -> str:
    """A darker shade of a tint, for the underline, so stacked lanes stay distinguishable on the tint."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * factor) for c in (r, g, b)))


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


CSS = (STATIC / "report.css").read_text(encoding="utf-8") + _technique_css()
JS = (STATIC / "report.js").read_text(encoding="utf-8")
CSS_HASH = _sha256(CSS)
JS_HASH = _sha256(JS)

# The report file: nothing but its own inline style and script, by hash.
REPORT_CSP = (
    f"default-src 'none'; script-src '{JS_HASH}'; style-src '{CSS_HASH}'; img-src data:; "
    "form-action 'none'; base-uri 'none'"
)
# The server: the same hashes, plus same-origin files (Swagger UI), forms and fetches to itself.
SERVER_CSP = (
    f"default-src 'none'; script-src 'self' '{JS_HASH}'; style-src 'self' '{CSS_HASH}'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(css=CSS, js=JS, version=__version__, safe_url=safe_url, fmt_score=fmt_score,
                       unsure_item=columns.unsure_item, unsure_technique=columns.unsure_technique,
                       sure_text=columns.sure_text)
    env.filters["quoted"] = quoted
    return env


_OPENING_QUOTES = "\"'“‘«„‚‹「『"
_CLOSING_QUOTES = "\"'”’»“‘›」』"


def quoted(text: str, width: int = 120) -> str:
    """A snippet for a panel, in typographic quotes unless it already starts or ends with a quote mark of its
    own (a quote's text usually does: `"We consulted widely,"` must not become `“"We consulted widely,"”`)."""
    flat = " ".join(text.split())
    if len(flat) > width:
        flat = flat[: width - 1].rstrip() + "…"
    if flat[:1] in _OPENING_QUOTES or text.rstrip()[-1:] in _CLOSING_QUOTES:
        return flat
    return f"“{flat}”"


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s), else None: article-supplied `javascript:`/`data:` URLs never become links."""
    if url and re.match(r"^https?://[^\s]+$", url.strip(), re.IGNORECASE):
        return url.strip()
    return None


def fmt_score(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


# --- marks and segments --------------------------------------------------------------------------------------
@dataclass(slots=True)
class Mark:
    kind: str
    start: int
    end: int
    anchor: str  # the element id on the mark's first segment
    ref: str  # the item whose info (`{ref}-info`) a click shows
    classes: str
    title: str
    tech: str | None = None
    score: float | None = None
    focusable: bool = False


@dataclass(slots=True)
class Segment:
    text: str
    opens: list[tuple[Mark, bool]] = field(default_factory=list)  # (mark, is its first segment)
    chip: str | None = None  # removed junk starts here: the collapsed marker's label


def _css(name: str) -> str:
    return _SAFE_CLASS.sub("-", name.lower())


def _item_title(kind: str, item: Any, sure: float | None = None) -> str:
    if kind == "techniques":
        unsure = ", unsure" if columns.unsure_technique(item, sure) else ""
        return f"{item.technique.replace('_', ' ')} ({item.score:.2f}{unsure})"
    label = getattr(item, "label", "")
    return f"{TITLES.get(kind, kind)}: {label}" if label else TITLES.get(kind, kind)


def _states(kind: str, item: Any, sure: float | None = None) -> str:
    """The state classes the reading layers style: a claim's sourcing and check-worthiness, unsure items (`sure`:
    the technique model's sure score)."""
    if kind == "techniques":
        return " unsure" if columns.unsure_technique(item, sure) else ""
    if kind == "claims":
        return f" s-{_css(item.sourcing)}" + (" cw" if item.checkworthy >= summaries.CHECKWORTHY else "")
    if kind in ("quotes", "views"):  # a view has a quote's fields: its holder's probability too
        return f" q-{_css(item.kind)}" + (" unsure" if columns.unsure_speaker(item) else "")
    if kind in ("sources", "actors") and columns.unsure_item(item):
        return " unsure"
    return ""


def collect_marks(doc: Document, prefix: str) -> list[Mark]:
    """Every span of every kind as a Mark. Generic: a new list in `KINDS` shows up without template changes."""
    marks: list[Mark] = []
    sure = columns.technique_sure_score(doc)
    for kind, item in doc.items():
        ref = f"{prefix}-{item.id}"
        states = _states(kind, item, sure)
        if hasattr(item, "start") and getattr(item, "end", None) is not None:
            classes = f"m k-{_css(kind)}" + states
            tech = score = None
            if kind == "techniques":
                try:
                    tech = taxonomy.lookup(item.technique, doc.taxonomy).id
                except KeyError:
                    tech = _css(item.technique)
                classes += f" t-{tech}"
                score = item.score
            elif kind == "removed":
                classes += f" r-{_css(item.reason)}"
            marks.append(Mark(kind, item.start, item.end, ref, ref, classes, _item_title(kind, item, sure), tech,
                              score, focusable=kind == "techniques"))
        if not is_dataclass(item):
            continue
        for f in fields(item):
            value = getattr(item, f.name)
            if f.name in _NESTED_MARKS and isinstance(value, list):
                sub = _NESTED_MARKS[f.name]
                for j, m in enumerate(value):
                    marks.append(Mark(sub, m.start, m.end, f"{ref}-{sub}{j}", ref, f"m k-{sub} o-{_css(kind)}{states}",
                                      f"{TITLES.get(kind, kind)}: {getattr(item, 'name', '')}"))
            elif f.name.endswith("_start") and f.name != "start":
                base = f.name[: -len("_start")]
                end = getattr(item, f"{base}_end", None)
                if isinstance(value, int) and isinstance(end, int) and 0 <= value < end <= len(doc.text):
                    unsure = " unsure" if base == "speaker" and "unsure" in states.split() else ""
                    marks.append(Mark(base, value, end, f"{ref}-{base}", ref, f"m k-{_css(base)} o-{_css(kind)}{unsure}",
                                      f"{base} of {item.id}"))
    _assign_lanes([m for m in marks if m.kind == "techniques"])
    return marks


def removed_gaps(doc: Document) -> tuple[list[Mark], dict[int, str]]:
    """Collapsing removed junk without blank holes: a `gap` mark over the whitespace after each removed range
    (hidden and shown with it), and one marker label per run of removed ranges that only whitespace separates
    ({offset where the run starts: label}). The text itself is untouched."""
    text = doc.text
    gaps: list[Mark] = []
    runs: list[list[Any]] = []
    run_end = -1
    for r in sorted(doc.removed, key=lambda r: (r.start, r.end)):
        end = r.end
        while end < len(text) and text[end].isspace():
            end += 1
        if end > r.end:
            gaps.append(Mark("gap", r.end, end, "", "", "m k-gap", ""))
        if runs and r.start <= run_end:
            runs[-1].append(r)
        else:
            runs.append([r])
        run_end = max(run_end, end)
    chips = {}
    for run in runs:
        reasons = ", ".join(dict.fromkeys(r.reason.replace("-", " ") for r in run))
        chips[run[0].start] = f"{len(run)} removed {'range' if len(run) == 1 else 'ranges'} ({reasons}): show"
    return gaps, chips


def _assign_lanes(marks: list[Mark]) -> None:
    """Greedy interval colouring: each technique keeps one underline depth along its whole span."""
    lane_end: list[int] = []
    for m in sorted(marks, key=lambda m: (m.start, -m.end)):
        for lane, end in enumerate(lane_end):
            if end <= m.start:
                lane_end[lane] = m.end
                break
        else:
            lane = len(lane_end)
            lane_end.append(m.end)
        m.classes += f" lane-{min(lane, MAX_LANES - 1)}"


_KIND_RANK = {name: i for i, name in enumerate(KINDS)}


def segments(text: str, marks: Sequence[Mark], chips: dict[int, str] | None = None) -> list[Segment]:
    """Cut the text at every mark boundary; each segment lists the marks covering it, outermost first.
    `chips` puts a removed-junk marker on the segment that starts at each of its offsets."""
    points = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    starts: dict[int, list[Mark]] = defaultdict(list)
    for m in marks:
        starts[m.start].append(m)
    active: list[Mark] = []
    out: list[Segment] = []
    for a, b in zip(points, points[1:]):
        active = [m for m in active if m.end > a] + starts.get(a, [])
        if a == b:
            continue
        ordered = sorted(active, key=lambda m: (m.start, -m.end, _KIND_RANK.get(m.kind, 99), m.anchor))
        out.append(Segment(text[a:b], [(m, m.start == a) for m in ordered], (chips or {}).get(a)))
    return out


# --- charts --------------------------------------------------------------------------------------------------
_chart_lock = threading.Lock()


# Charts are laid out by vl-convert with its own font metrics and drawn by the browser with whatever "sans-serif"
# is there (DejaVu Sans on many Linux desktops, about 12% wider than Arial): so name fonts with Arial's metrics
# first, keep labels under a limit, leave room around the plot, and put titles and legends in HTML, which wraps.
CHART_FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
CHART_PADDING = {"left": 44, "right": 28, "top": 10, "bottom": 8}
CHART_CONFIG = {"font": CHART_FONT, "axis": {"labelLimit": 160, "titleLimit": 220, "labelFontSize": 11},
                "legend": {"labelLimit": 160}}


def _fit(spec: dict) -> dict:
    """The shared padding and font settings, without overriding what a chart sets itself."""
    spec = dict(spec)
    spec.setdefault("padding", CHART_PADDING)
    config = dict(spec.get("config") or {})
    for key, value in CHART_CONFIG.items():
        config[key] = {**value, **config.get(key, {})} if isinstance(value, dict) else config.get(key, value)
    spec["config"] = config
    return spec


def svg(chart: Any) -> str:
    """Render an altair chart to SVG offline (vl-convert); links stay relative to the page."""
    import vl_convert

    spec = _fit(chart.to_dict() if hasattr(chart, "to_dict") else chart)
    with _chart_lock:  # one V8 runtime per process; serialise access to it
        out = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])
    out = _VEGA_BASE.sub('xlink:href="', out)
    return out.replace("<svg ", '<svg role="img" focusable="false" ', 1)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences by a regex split: display bucketing only, cheap even when re-rendering a stored 2 MB article."""
    spans = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end(1) if m.group(1) else m.start()
        if text[pos:end].strip():
            spans.append((pos, end))
        pos = m.end()
    if text[pos:].strip():
        spans.append((pos, len(text)))
    return spans


def sentence_shares(doc: Document) -> dict[str, int]:
    counts = Counter({"quote and claim": 0, "quote": 0, "claim": 0, "neither": 0})
    for a, b in sentence_spans(doc.text):
        q = any(x.start < b and a < x.end for x in doc.quotes)
        c = any(x.start < b and a < x.end for x in doc.claims)
        counts["quote and claim" if q and c else "quote" if q else "claim" if c else "neither"] += 1
    return dict(counts)


def technique_scale(names: Sequence[str], labels: Sequence[str] | None = None, taxonomy_name: str | None = None):
    """The technique colour scale (on `labels`, the names as shown, when given), in the given taxonomy."""
    import altair as alt

    colours = []
    for n in names:
        try:
            colours.append(_chart_colour(taxonomy.lookup(n, taxonomy_name).colour))
        except KeyError:
            colours.append(UNKNOWN_CHART_COLOUR)
    return alt.Scale(domain=list(labels or names), range=colours)


UNKNOWN_CHART_COLOUR = "#888888"


def chart_legend(names: Sequence[str], taxonomy_name: str | None = None) -> list[tuple[str, str]]:
    """An HTML legend for a technique-coloured chart: (label, swatch class) per name, in the given taxonomy."""
    out = []
    for n in names:
        try:
            out.append((display_name(n), f"swc-{taxonomy.lookup(n, taxonomy_name).id}"))
        except KeyError:
            out.append((display_name(n), "swc-unknown"))
    return out


def display_name(name: str) -> str:
    return name.replace("_", " ")


def report_charts(doc: Document, prefix: str) -> list[dict]:
    """The report's charts as [{id, title, svg, table, legend}]; `table` is the same data as text for screen
    readers, `legend` an HTML legend (label, swatch class) that wraps instead of overlapping the plot."""
    import altair as alt

    charts = []
    counts = Counter(t.technique for t in doc.techniques)
    if counts:
        names = [n for n, _ in counts.most_common()]
        labels = [display_name(n) for n in names]
        rows = [{"technique": display_name(n), "count": counts[n], "href": f"#{prefix}-tech-{_tech_id(n, doc.taxonomy)}"} for n in names]
        chart = (
            alt.Chart(alt.Data(values=rows))
            .mark_bar(stroke="#555555", strokeWidth=0.5)
            .encode(
                x=alt.X("count:Q", title="detections", axis=alt.Axis(tickMinStep=1)),
                y=alt.Y("technique:N", sort=labels, title=None),
                color=alt.Color("technique:N", scale=technique_scale(names, labels, doc.taxonomy), legend=None),
                href="href:N",
                tooltip=["technique:N", "count:Q"],
            )
            .properties(width=180)
        )
        charts.append({"id": f"{prefix}-chart-counts", "title": "Techniques found: detections of each", "svg": svg(chart),
                       "table": [(display_name(n), counts[n]) for n in names], "legend": []})

        n = max(len(doc.text), 1)
        first: dict[tuple[int, str], str] = {}
        per_bin: Counter = Counter()
        for t in doc.techniques:
            b = min(DENSITY_BINS - 1, ((t.start + t.end) // 2) * DENSITY_BINS // n)
            per_bin[(b, t.technique)] += 1
            first.setdefault((b, t.technique), f"#{prefix}-{t.id}")
        rows = [{"position": f"{b * 100 // DENSITY_BINS}%", "bin": b, "technique": display_name(tech), "count": c,
                 "href": first[(b, tech)]} for (b, tech), c in sorted(per_bin.items())]
        order = [f"{b * 100 // DENSITY_BINS}%" for b in range(DENSITY_BINS)]
        chart = (
            alt.Chart(alt.Data(values=rows))
            .mark_bar(stroke="#555555", strokeWidth=0.5)
            .encode(
                x=alt.X("position:O", sort=order, scale=alt.Scale(domain=order), title="position in the text",
                        axis=alt.Axis(labelAngle=0, values=order[::4])),
                y=alt.Y("sum(count):Q", title="detections", axis=alt.Axis(tickMinStep=1)),
                color=alt.Color("technique:N", scale=technique_scale(names, labels, doc.taxonomy), legend=None),
                href="href:N",
                tooltip=["position:O", "technique:N", "count:Q"],
            )
            .properties(width=300, height=120)
        )
        totals = Counter()
        for (b, _), c in per_bin.items():
            totals[b] += c
        charts.append({"id": f"{prefix}-chart-density", "title": "Where the techniques are, from the start to the end "
                       "of the article", "svg": svg(chart), "legend": chart_legend(names, doc.taxonomy),
                       "table": [(order[b], totals[b]) for b in range(DENSITY_BINS) if totals[b]]})

    shares = sentence_shares(doc)
    total = sum(shares.values())
    if total:
        kinds = list(shares)
        rows = [{"sentences": k, "share": shares[k] / total, "n": shares[k]} for k in kinds]
        chart = (
            alt.Chart(alt.Data(values=rows))
            .mark_bar()
            .encode(
                x=alt.X("share:Q", axis=alt.Axis(format="%", tickCount=5), scale=alt.Scale(domain=[0, 1]), title=None),
                y=alt.Y("sentences:N", sort=kinds, title=None),
                color=alt.Color("sentences:N", scale=alt.Scale(domain=kinds, range=["#6a3d9a", "#1f78b4", "#b15928", "#8c8c8c"]),
                                legend=None),
                tooltip=["sentences:N", "n:Q", alt.Tooltip("share:Q", format=".0%")],
            )
            .properties(width=220)
        )
        charts.append({"id": f"{prefix}-chart-sentences", "title": f"Which of the {total} sentences hold a quote, a claim, "
                       "both or neither", "svg": svg(chart), "legend": [],
                       "table": [(k, f"{shares[k]} ({shares[k] * 100 / total:.0f}%)") for k in kinds]})
    return charts


def _tech_id(name: str, taxonomy_name: str | None = None) -> str:
    try:
        return taxonomy.lookup(name, taxonomy_name).id
    except KeyError:
        return _css(name)


# --- the report ----------------------------------------------------------------------------------------------
SOURCING_TITLES = {
    "asserted": "The article states it and gives no source.",
    "attributed": "The article says who says so (a quote, a speaker or a source).",
    "hedged": "The article reports it with a hedge (allegedly, reportedly, may).",
}


def report_context(doc: Document, index: int = 0, *, charts: bool = True,
                   references: list[summaries.Reference] | None = None) -> dict:
    """Everything one document's section needs; the template only lays it out.

    `references`: the rates the summary compares with (default: the shipped PTC reference)."""
    prefix = f"d{index}"
    marks = collect_marks(doc, prefix)
    gaps, chips = removed_gaps(doc)
    counts = Counter(t.technique for t in doc.techniques)
    legend = []
    for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        try:
            info = taxonomy.lookup(name, doc.taxonomy)  # names, definitions and colours of the document's taxonomy
        except KeyError:
            info = taxonomy.TechniqueInfo(_css(name), name, "", "", "#cccccc")
        legend.append({"info": info, "count": n,
                       "spans": sorted((t for t in doc.techniques if t.technique == name), key=lambda t: t.start)})
    quotes_by_speaker: dict[str, list] = defaultdict(list)
    for q in doc.quotes:
        quotes_by_speaker[q.speaker or "Unattributed"].append(q)
    speakers = sorted(quotes_by_speaker.items(), key=lambda kv: (kv[0] == "Unattributed", -len(kv[1]), kv[0]))
    by_id = {item.id: (kind, item) for kind, item in doc.items()}
    special = {"techniques", "quotes", "claims", "sources", "actors", "removed"}
    other_kinds = [k for k in KINDS if k not in special and getattr(doc, k)]
    # Kinds a later version adds to KINDS without a column entry still get a generic table.
    generic = {k: [(item, _generic_cells(k, item)) for item in getattr(doc, k)] for k in other_kinds}
    return {
        "doc": doc,
        "p": prefix,
        "title": doc.metadata.title or doc.source_value or "Untitled text",
        "segments": segments(doc.text, marks + gaps, chips),
        "legend": legend,
        "summary": summaries.summarize(doc, prefix, references),
        "layers": layers.LAYERS,
        "default_layer": layers.DEFAULT,
        "layer_keys": {layer.id: layers.present(layer.entries, (m.classes for m in marks)) for layer in layers.LAYERS},
        "removed_key": layers.REMOVED,
        "sourcing_titles": SOURCING_TITLES,
        "speakers": speakers,
        "unsure_speaker": columns.UNSURE_SPEAKER,
        "sure_score": columns.technique_sure_score(doc),
        "by_id": by_id,
        "other_kinds": other_kinds,
        "generic": generic,
        "headers": {k: _generic_headers(k) for k in other_kinds},
        "titles": TITLES,
        "words": len(doc.text.split()),
        "charts": report_charts(doc, prefix) if charts else [],
        "has_removed": bool(doc.removed),
    }


def _generic_headers(kind: str) -> list[str]:
    return [name for name, _ in COLUMNS[kind]] if kind in COLUMNS else ["text"]


def _generic_cells(kind: str, item: Any) -> list[str]:
    if kind in COLUMNS:
        return [shorten(str(fn(item))) for _, fn in COLUMNS[kind]]
    return [shorten(getattr(item, "text", "") or str(getattr(item, "label", "")))]


def render_report(docs: Sequence[Document], *, charts: bool = True) -> str:
    """The standalone report: one HTML file with a CSP <meta>, the CSS and JS inlined, no external resource."""
    sections = [report_context(d, i, charts=charts) for i, d in enumerate(docs)]
    title = sections[0]["title"] if len(sections) == 1 else f"{len(sections)} articles"
    return environment().get_template("report.html.j2").render(
        sections=sections, page_title=title, csp=REPORT_CSP, standalone=True
    )


def render_page(template: str, **context: Any) -> str:
    """A web UI page (server): same layout, styles and script as the report; the CSP comes as a header."""
    context.setdefault("standalone", False)
    return environment().get_template(template).render(**context)


def render(docs: Sequence[Document]) -> str:
    return render_report(docs)
