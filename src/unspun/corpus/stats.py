"""Corpus statistics, aggregated in SQL: technique rates by site or over time, site comparison, top speakers,
top sources, and the labels applied to actors. The web dashboard and `unspun corpus stats` both use these.

Everything reads the narrow document columns and the `spans` index, never the text (unless a keyword filter
asks for it), which keeps `compute` under 2 s at 100k documents on SQLite (see benchmarks/corpus.py).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from unspun.corpus.schema import documents as D
from unspun.corpus.schema import spans as S
from unspun.corpus.schema import technique_counts as TC
from unspun.corpus.store import Store, normalize_date
from unspun.errors import UsageError

GROUPS = ("site", "month", "week")
UNKNOWN = "unknown"


def taxonomies(store: Store) -> list[str]:
    """The technique taxonomies of the analysed documents, most documents first (an index-only query)."""
    q = (sa.select(D.c.taxonomy, sa.func.count()).where(D.c.status == "ok").group_by(D.c.taxonomy)
         .order_by(sa.func.count().desc(), D.c.taxonomy))

    def run():
        with store.connect() as conn:
            return [r[0] for r in conn.execute(q)]

    return store.guard(run)


def resolve_taxonomy(store: Store, taxonomy: str | None = None) -> tuple[str, bool]:
    """(the taxonomy to report, whether rows of another taxonomy must be filtered out).

    Statistics never mix PTC's 14 techniques with SemEval-2023's 23: every table and chart keeps to one. Without a
    choice it is the corpus' only taxonomy, or, in a corpus analysed under both, the default (ptc14). The filter is
    added only when the corpus holds another taxonomy, so a one-taxonomy corpus pays nothing for it.
    """
    from unspun.taxonomy import DEFAULT, TAXONOMY_NAMES

    if taxonomy is not None and taxonomy not in TAXONOMY_NAMES:
        raise UsageError(f"--taxonomy must be one of {', '.join(TAXONOMY_NAMES)}, not {taxonomy!r}")
    present = taxonomies(store)
    if taxonomy is None:
        taxonomy = present[0] if len(present) == 1 else DEFAULT
    return taxonomy, any(t != taxonomy for t in present)


def _group_col(by: str, table=D):
    """The grouping column, raw: grouping on a bare indexed column lets SQLite stream groups in index order.
    NULL (no site, no date) is reported as "unknown"."""
    if by not in GROUPS:
        raise UsageError(f"--by must be one of {', '.join(GROUPS)}, not {by!r}")
    return table.c[by]


def _date(value: str | None, flag: str) -> str | None:
    if value is None:
        return None
    iso, month, _ = normalize_date(value)
    if month is None:
        raise UsageError(f"{flag}: cannot read the date {value!r}; use YYYY-MM-DD")
    return iso


def _filters(sites=None, since=None, until=None, keyword=None, site=None, table=D) -> list:
    """WHERE clauses shared by every statistic: analysed documents only, then the user's filters.

    `table` is `documents` or `technique_counts` (which carries site and date itself and holds analysed documents only).
    """
    where = [D.c.status == "ok"] if table is D else []
    wanted = [s for s in (sites or []) if s] + ([site] if site else [])
    if wanted:
        where.append(table.c.site.in_(wanted))
    since, until = _date(since, "--since"), _date(until, "--until")
    if since:
        where.append(table.c.date >= since)
    if until:
        where.append(table.c.date <= until + "\uffff")  # the whole `until` day counts
    if keyword:
        escaped = keyword.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        match = D.c.text.ilike(f"%{escaped}%", escape="\\")
        where.append(match if table is D else table.c.doc_pk.in_(sa.select(D.c.pk).where(D.c.status == "ok", match)))
    return where


def compute(store: Store, by: str = "site", sites: list[str] | None = None, since: str | None = None,
            until: str | None = None, keyword: str | None = None, taxonomy: str | None = None) -> dict[str, Any]:
    """`{"by", "taxonomy", "rows": [{group, documents, words, techniques: {name: n}, rate_per_1000_words, quotes,
    claims, asserted_claims}]}`: the documents analysed under one taxonomy only (see `resolve_taxonomy`).

    The rate is technique detections per 1,000 words of the group's text.
    """
    taxonomy, mixed = resolve_taxonomy(store, taxonomy)
    group = _group_col(by)
    where = _filters(sites, since, until, keyword) + ([D.c.taxonomy == taxonomy] if mixed else [])
    doc_q = (
        sa.select(group.label("g"), sa.func.count().label("documents"), sa.func.sum(D.c.words).label("words"),
                  sa.func.sum(D.c.n_techniques).label("techniques"), sa.func.sum(D.c.n_quotes).label("quotes"),
                  sa.func.sum(D.c.n_claims).label("claims"), sa.func.sum(D.c.n_asserted_claims).label("asserted"))
        .where(*where).group_by(group)
    )
    tgroup = _group_col(by, TC)
    tech_q = (
        sa.select(tgroup.label("g"), TC.c.technique, sa.func.sum(TC.c.n))
        .where(*_filters(sites, since, until, keyword, table=TC), *([TC.c.taxonomy == taxonomy] if mixed else []))
        .group_by(tgroup, TC.c.technique)
    )

    def run():
        with store.connect() as conn:
            return conn.execute(doc_q).all(), conn.execute(tech_q).all()

    doc_rows, tech_rows = store.guard(run)
    per_group: dict[str, dict[str, int]] = {}
    for g, label, n in tech_rows:
        per_group.setdefault(g if g is not None else UNKNOWN, {})[label] = int(n)
    rows = []
    for r in doc_rows:
        words = int(r.words or 0)
        total = int(r.techniques or 0)
        g = r.g if r.g is not None else UNKNOWN
        rows.append({
            "group": g, "documents": int(r.documents), "words": words,
            "techniques": dict(sorted(per_group.get(g, {}).items())),
            "rate_per_1000_words": round(1000.0 * total / words, 3) if words else 0.0,
            "quotes": int(r.quotes or 0), "claims": int(r.claims or 0), "asserted_claims": int(r.asserted or 0),
        })
    if by == "site":
        rows.sort(key=lambda r: (-r["documents"], r["group"]))
    else:
        rows.sort(key=lambda r: (r["group"] == UNKNOWN, r["group"]))
    return {"by": by, "taxonomy": taxonomy, "rows": rows}


def compare(store: Store, site_a: str, site_b: str, since: str | None = None, until: str | None = None,
            keyword: str | None = None, taxonomy: str | None = None) -> dict[str, Any]:
    """Two sites side by side: their stats rows and, per technique, the count and rate per 1,000 words of each."""
    data = compute(store, "site", [site_a, site_b], since, until, keyword, taxonomy)
    found = {r["group"]: r for r in data["rows"]}
    empty = {"documents": 0, "words": 0, "techniques": {}, "rate_per_1000_words": 0.0, "quotes": 0, "claims": 0,
             "asserted_claims": 0}
    a = found.get(site_a, dict(empty, group=site_a))
    b = found.get(site_b, dict(empty, group=site_b))
    names = sorted(set(a["techniques"]) | set(b["techniques"]))

    def rate(row, name):
        return round(1000.0 * row["techniques"].get(name, 0) / row["words"], 3) if row["words"] else 0.0

    techniques = [
        {"technique": n, "a": a["techniques"].get(n, 0), "b": b["techniques"].get(n, 0),
         "a_rate_per_1000_words": rate(a, n), "b_rate_per_1000_words": rate(b, n)}
        for n in names
    ]
    techniques.sort(key=lambda t: -(t["a_rate_per_1000_words"] + t["b_rate_per_1000_words"]))
    return {"sites": [site_a, site_b], "taxonomy": data["taxonomy"], "rows": [a, b], "techniques": techniques}


def _top(store: Store, kind: str, cols, site: str | None, limit: int, extra_where=()) -> list:
    """Spans exist only for analysed documents, so without a site filter no join to documents is needed."""
    where = [S.c.kind == kind, *extra_where]
    if site:
        where.append(S.c.doc_pk.in_(sa.select(D.c.pk).where(D.c.site == site)))
    q = (
        sa.select(*cols, sa.func.count().label("n"), sa.func.count(sa.distinct(S.c.doc_pk)).label("docs"))
        .where(*where).group_by(*cols).order_by(sa.desc("n"), *cols).limit(limit)
    )

    def run():
        with store.connect() as conn:
            return conn.execute(q).all()

    return store.guard(run)


def overall(store: Store, taxonomy: str | None = None) -> dict[str, int]:
    """`{documents, words, techniques}` over every analysed document: the reference rate a report on the server
    compares an article with (one aggregate over the narrow columns, cheap enough for each report page).
    With `taxonomy`, only the documents analysed under it (a rate under 23 techniques is not one under 14)."""
    q = sa.select(sa.func.count(), sa.func.sum(D.c.words), sa.func.sum(D.c.n_techniques)).where(D.c.status == "ok")
    if taxonomy is not None:
        q = q.where(D.c.taxonomy == taxonomy)

    def run():
        with store.connect() as conn:
            return conn.execute(q).one()

    n, words, techniques = store.guard(run)
    return {"documents": int(n or 0), "words": int(words or 0), "techniques": int(techniques or 0)}


def top_speakers(store: Store, site: str | None = None, limit: int = 10) -> list[dict[str, Any]]:
    """The most quoted speakers: `[{name, quotes, documents}]`, optionally for one site."""
    rows = _top(store, "quotes", [S.c.name], site, limit, [S.c.name.is_not(None)])
    return [{"name": r.name, "quotes": r.n, "documents": r.docs} for r in rows]


def top_sources(store: Store, site: str | None = None, limit: int = 10) -> list[dict[str, Any]]:
    """The sources leaned on most: `[{name, type, documents}]` (each source counts once per document)."""
    rows = _top(store, "sources", [S.c.name, S.c.label], site, limit, [S.c.name.is_not(None)])
    return [{"name": r.name, "type": r.label, "documents": r.docs} for r in rows]


def actor_labels(store: Store, site: str | None = None, limit: int = 20, taxonomy: str | None = None) -> list[dict[str, Any]]:
    """Labels applied to actors ("criminal regime"): `[{actor, label, technique, count, documents}]`, from the
    documents of one taxonomy (their technique names differ)."""
    taxonomy, mixed = resolve_taxonomy(store, taxonomy)
    extra = [S.c.doc_pk.in_(sa.select(D.c.pk).where(D.c.taxonomy == taxonomy))] if mixed else []
    rows = _top(store, "actor_labels", [S.c.name, S.c.text, S.c.label], site, limit, extra)
    return [{"actor": r.name, "label": r.text, "technique": r.label, "count": r.n, "documents": r.docs} for r in rows]


def documents(store: Store, *, by: str | None = None, group: str | None = None, sites: list[str] | None = None,
              since: str | None = None, until: str | None = None, keyword: str | None = None,
              technique: str | None = None, speaker: str | None = None, source: str | None = None,
              actor: str | None = None, limit: int = 50, offset: int = 0,
              taxonomy: str | None = None) -> tuple[list[dict[str, Any]], int]:
    """The documents behind a chart point (a group, a technique, a speaker, ...): `([{id, title, site, date, url}], total)`.

    A technique is looked up under the chart's taxonomy (`resolve_taxonomy`): "Doubt" of the 14 is not "Doubt" of
    the 23."""
    where = _filters(sites, since, until, keyword)
    if by is not None and group is not None:
        col = _group_col(by)
        where.append(col.is_(None) if group == UNKNOWN else col == group)
    if technique is not None:
        taxonomy, mixed = resolve_taxonomy(store, taxonomy)
        where.append(D.c.pk.in_(sa.select(TC.c.doc_pk).where(TC.c.technique == technique,
                                                             *([TC.c.taxonomy == taxonomy] if mixed else []))))
    for kind, col, value in (("quotes", S.c.name, speaker),
                             ("sources", S.c.name, source), ("actor_labels", S.c.name, actor)):
        if value is not None:
            where.append(D.c.pk.in_(sa.select(S.c.doc_pk).where(S.c.kind == kind, col == value)))
    base = sa.select(D.c.id, D.c.title, D.c.site, D.c.date, D.c.url, D.c.n_techniques, D.c.words).where(*where)

    def run():
        with store.connect() as conn:
            total = conn.execute(sa.select(sa.func.count()).select_from(base.subquery())).scalar_one()
            rows = conn.execute(base.order_by(D.c.date.desc(), D.c.pk.desc()).limit(limit).offset(offset)).mappings().all()
            return [dict(r) for r in rows], total

    return store.guard(run)
