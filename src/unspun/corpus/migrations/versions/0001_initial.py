"""The first schema: documents and spans, with the indexes the statistics use.

Revision ID: 0001
Revises:
Create Date: 2026-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(32), nullable=False, unique=True),
        sa.Column("external_id", sa.String(255)),
        sa.Column("site", sa.String(255)),
        sa.Column("date", sa.String(32)),
        sa.Column("month", sa.String(7)),
        sa.Column("week", sa.String(8)),
        sa.Column("title", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("language", sa.String(16)),
        sa.Column("source_type", sa.String(16)),
        sa.Column("source_value", sa.Text),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
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
        sa.Column("input_format", sa.String(8)),
        sa.Column("raw", sa.Text),
        sa.Column("text", sa.Text),
        sa.Column("document", sa.Text),
    )
    op.create_index("ix_documents_status_site_date", "documents", ["status", "site", "date"])
    op.create_index("ix_documents_month", "documents", ["month"])
    op.create_index("ix_documents_week", "documents", ["week"])
    op.create_index("ix_documents_created_at", "documents", ["created_at"])
    op.create_index("ix_documents_hash", "documents", ["content_hash"])
    op.create_table(
        "spans",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("doc_pk", sa.Integer, sa.ForeignKey("documents.pk", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("item_id", sa.String(16)),
        sa.Column("label", sa.String(255)),
        sa.Column("name", sa.Text),
        sa.Column("start", sa.Integer),
        sa.Column("end", sa.Integer),
        sa.Column("score", sa.Float),
        sa.Column("text", sa.Text),
        sa.Column("extra", sa.JSON),
    )
    op.create_index("ix_spans_kind_label_doc", "spans", ["kind", "label", "doc_pk"])
    op.create_index("ix_spans_doc", "spans", ["doc_pk"])
    op.create_index("ix_spans_kind_name", "spans", ["kind", "name"])


def downgrade() -> None:
    op.drop_table("spans")
    op.drop_table("documents")
