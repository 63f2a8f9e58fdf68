"""Charts for the corpus dashboard (web UI): server-side SVG like the report's, each mark linking to the
documents behind it (`corpus/documents?...`, relative to /dashboard). Takes `unspun.corpus.stats` results;
computes nothing of its own beyond laying them out."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from unspun.render.html import chart_legend, svg, technique_scale

SITE_COLOURS = ("#1f78b4", "#e66101")  # site A and site B; `.sw-site-a` / `.sw-site-b` in report.css


def docs_link(**params: Any) -> str:
    return "corpus/documents?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


def _rate(row: dict, name: str) -> float:
    return round(1000.0 * row["techniques"].get(name, 0) / row["words"], 3) if row["words"] else 0.0


def charts(*, by_group: dict, over_time: dict, compare: dict | None, speakers: list, sources: list,
           filters: dict[str, Any]) -> list[dict]:
    """[{id, title, svg, table, links, legend}] for the dashboard template. Legends are HTML lists under the
    chart (label, swatch class), so they wrap and never overlap the plot, whatever font the browser has."""
    import altair as alt

    common = {k: filters.get(k) for k in ("since", "until", "keyword")}
    out = []
    rows = by_group["rows"]
    if rows:
        data = [{"group": r["group"], "rate": r["rate_per_1000_words"], "documents": r["documents"],
                 "href": docs_link(by=by_group["by"], group=r["group"], **common)} for r in rows]
        chart = (alt.Chart(alt.Data(values=data)).mark_bar(color="#1f78b4")
                 .encode(x=alt.X("rate:Q", title="techniques per 1,000 words"), y=alt.Y("group:N", sort="-x", title=None),
                         href="href:N", tooltip=["group:N", "rate:Q", "documents:Q"]).properties(width=420))
        out.append({"id": "chart-rate", "title": f"Technique rate by {by_group['by']}", "svg": svg(chart),
                    "table": [(r["group"], f"{r['rate_per_1000_words']:.2f} ({r['documents']} documents)") for r in rows],
                    "links": [(r["group"], d["href"]) for r, d in zip(rows, data)]})
        names = sorted({n for r in rows for n in r["techniques"]})
        data = [{"group": r["group"], "technique": n, "rate": _rate(r, n),
                 "href": docs_link(by=by_group["by"], group=r["group"], technique=n, **common)}
                for r in rows for n in names if r["techniques"].get(n)]
        if data:
            chart = (alt.Chart(alt.Data(values=data)).mark_bar()
                     .encode(x=alt.X("sum(rate):Q", title="per 1,000 words"), y=alt.Y("group:N", title=None),
                             color=alt.Color("technique:N", scale=technique_scale(names), legend=None),
                             href="href:N", tooltip=["group:N", "technique:N", "rate:Q"]).properties(width=420))
            out.append({"id": "chart-mix", "title": f"Which techniques, by {by_group['by']}", "svg": svg(chart),
                        "table": [(f"{d['group']} · {d['technique']}", d["rate"]) for d in data],
                        "legend": chart_legend([n for n in names if any(d["technique"] == n for d in data)]),
                        "links": [(f"{d['group']} · {d['technique']}", d["href"]) for d in data]})
    trows = over_time["rows"]
    if trows:
        data = [{"period": r["group"], "rate": r["rate_per_1000_words"], "documents": r["documents"],
                 "href": docs_link(by=over_time["by"], group=r["group"], site=filters.get("site"), **common)} for r in trows]
        base = alt.Chart(alt.Data(values=data)).encode(
            x=alt.X("period:O", sort="ascending", title=over_time["by"]), y=alt.Y("rate:Q", title="techniques per 1,000 words"),
            tooltip=["period:O", "rate:Q", "documents:Q"])
        chart = (base.mark_line(color="#6a3d9a") + base.mark_point(filled=True, size=60, color="#6a3d9a").encode(href="href:N")
                 ).properties(width=480, height=180)
        out.append({"id": "chart-time", "title": f"Technique rate by {over_time['by']}", "svg": svg(chart),
                    "table": [(r["group"], f"{r['rate_per_1000_words']:.2f} ({r['documents']} documents)") for r in trows],
                    "links": [(d["period"], d["href"]) for d in data]})
    if compare and compare["techniques"]:
        a, b = compare["sites"]
        data = []
        for t in compare["techniques"]:
            data.append({"technique": t["technique"], "site": a, "rate": t["a_rate_per_1000_words"],
                         "href": docs_link(site=a, technique=t["technique"], **common)})
            data.append({"technique": t["technique"], "site": b, "rate": t["b_rate_per_1000_words"],
                         "href": docs_link(site=b, technique=t["technique"], **common)})
        chart = (alt.Chart(alt.Data(values=data)).mark_bar()
                 .encode(y=alt.Y("technique:N", title=None), yOffset="site:N", x=alt.X("rate:Q", title="per 1,000 words"),
                         color=alt.Color("site:N", scale=alt.Scale(domain=[a, b], range=list(SITE_COLOURS)), legend=None),
                         href="href:N", tooltip=["site:N", "technique:N", "rate:Q"]).properties(width=420))
        out.append({"id": "chart-compare", "title": f"{a} compared with {b}", "svg": svg(chart),
                    "legend": [(a, "sw-site-a"), (b, "sw-site-b")],
                    "table": [(t["technique"], f"{a}: {t['a_rate_per_1000_words']:.2f} · {b}: {t['b_rate_per_1000_words']:.2f}")
                              for t in compare["techniques"]],
                    "links": [(f"{d['site']} · {d['technique']}", d["href"]) for d in data]})
    for key, title, items, label, value, param in (
        ("speakers", "Most quoted speakers", speakers, "name", "quotes", "speaker"),
        ("sources", "Sources leaned on most", sources, "name", "documents", "source"),
    ):
        if not items:
            continue
        data = [{"name": i[label], "n": i[value], "href": docs_link(site=filters.get("site"), **{param: i[label]}, **common)}
                for i in items]
        chart = (alt.Chart(alt.Data(values=data)).mark_bar(color="#33a02c")
                 .encode(x=alt.X("n:Q", title=value), y=alt.Y("name:N", sort="-x", title=None), href="href:N",
                         tooltip=["name:N", "n:Q"]).properties(width=360))
        site = filters.get("site")
        out.append({"id": f"chart-{key}", "title": title + (f" ({site})" if site else ""), "svg": svg(chart),
                    "table": [(d["name"], d["n"]) for d in data], "links": [(d["name"], d["href"]) for d in data]})
    return out
