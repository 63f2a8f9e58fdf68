"""The store's tables (SQLAlchemy Core). Alembic's first revision creates exactly these.

`documents` keeps one row per (content hash, site): its `id` is derived from both, so a re-run can never
insert the same article twice. Statistics read only narrow columns (site, month, week, words and the
per-document counters) and the `spans` index on (kind, label), never the text or the JSON.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("id", sa.String(32), nullable=False, unique=True),
    sa.Column("external_id", sa.String(255)),
    sa.Column("site", sa.String(255)),
    sa.Column("date", sa.String(32)),  # ISO 8601 as given (normalised to YYYY-MM-DD[...] when parseable)
    sa.Column("month", sa.String(7)),  # YYYY-MM, for grouping
    sa.Column("week", sa.String(8)),  # ISO week YYYY-Www, for grouping
    sa.Column("title", sa.Text),
    sa.Column("author", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("language", sa.String(16)),
    sa.Column("source_type", sa.String(16)),
    sa.Column("source_value", sa.Text),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # ok | error
    sa.Column("error", sa.Text),
    sa.Column("unspun_version", sa.String(32)),
    sa.Column("model_name", sa.String(32)),
    sa.Column("model_version", sa.String(64)),
    sa.Column("options_key", sa.String(32)),
    sa.Column("models", sa.JSON),
    sa.Column("options", sa.JSON),
    sa.Column("words", sa.Integer, nullable=False, server_default="0"),
    sa.Column("n_techniques", sa.Integer, nullable=False, server_default="0"),
    sa.Column("n_quotes", sa.Integer, nullable=False, server_default="0"),
    sa.Column("n_claims", sa.Integer, nullable=False, server_default="0"),
    sa.Column("n_asserted_claims", sa.Integer, nullable=False, server_default="0"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    # the technique scheme of the analysis (revision 0003): ptc14 | semeval23; statistics never mix the two
    sa.Column("taxonomy", sa.String(16), nullable=False, server_default="ptc14"),
    # wide columns last: SQLite then reads the narrow ones without touching overflow pages
    sa.Column("input_format", sa.String(8)),  # text | html; with `raw`, what `retry` needs to run a failed document again
    sa.Column("raw", sa.Text),  # the original input, kept only for failed documents
    sa.Column("text", sa.Text),
    sa.Column("document", sa.Text),  # the full Document JSON (exact; `text` above may differ on Postgres, see store)
    sa.Index("ix_documents_status_site_date", "status", "site", "date"),
    sa.Index("ix_documents_month", "month"),
    sa.Index("ix_documents_week", "week"),
    sa.Index("ix_documents_created_at", "created_at"),
    sa.Index("ix_documents_hash", "content_hash"),
    # covers the per-group document query of `stats.compute`, so SQLite never reads the wide rows for it
    sa.Index("ix_documents_stats", "status", "site", "month", "week", "date", "words", "n_techniques", "n_quotes",
             "n_claims", "n_asserted_claims"),
    sa.Index("ix_documents_status_taxonomy", "status", "taxonomy"),
)

spans = sa.Table(
    "spans",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("doc_pk", sa.Integer, sa.ForeignKey("documents.pk", ondelete="CASCADE"), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # a Document list name, or actor_labels
    sa.Column("item_id", sa.String(16)),
    sa.Column("label", sa.String(255)),  # technique, quote kind, claim sourcing, source/actor type, removed reason
    sa.Column("name", sa.Text),  # quote speaker, source name, actor name
    sa.Column("start", sa.Integer),
    sa.Column("end", sa.Integer),
    sa.Column("score", sa.Float),
    sa.Column("text", sa.Text),
    sa.Column("extra", sa.JSON),
    sa.Index("ix_spans_kind_label_doc", "kind", "label", "doc_pk"),
    sa.Index("ix_spans_doc", "doc_pk"),
    sa.Index("ix_spans_kind_name", "kind", "name"),
)

# Technique counts per document, with the document's grouping keys copied in (revision 0002). Rates by site or by
# period then read this one narrow table (a few rows per document) instead of joining a million spans to documents.
technique_counts = sa.Table(
    "technique_counts",
    metadata,
    sa.Column("doc_pk", sa.Integer, sa.ForeignKey("documents.pk", ondelete="CASCADE"), primary_key=True),
    sa.Column("technique", sa.String(255), primary_key=True),
    sa.Column("n", sa.Integer, nullable=False),
    sa.Column("site", sa.String(255)),
    sa.Column("date", sa.String(32)),
    sa.Column("month", sa.String(7)),
    sa.Column("week", sa.String(8)),
    sa.Column("taxonomy", sa.String(16), nullable=False, server_default="ptc14"),  # revision 0003
    # one covering index per grouping, in group-then-technique order: SQLite streams the GROUP BY without sorting
    sa.Index("ix_technique_counts_site", "site", "technique", "date", "n"),
    sa.Index("ix_technique_counts_month", "month", "technique", "date", "site", "n"),
    sa.Index("ix_technique_counts_week", "week", "technique", "date", "site", "n"),
)
