"""Per-document technique counts (with the grouping keys) and a covering index, to keep statistics fast at scale.

Revision ID: 0002
Revises: 0001
Create Date: 2026-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "technique_counts",
        sa.Column("doc_pk", sa.Integer, sa.ForeignKey("documents.pk", ondelete="CASCADE"), primary_key=True),
        sa.Column("technique", sa.String(255), primary_key=True),
        sa.Column("n", sa.Integer, nullable=False),
        sa.Column("site", sa.String(255)),
        sa.Column("date", sa.String(32)),
        sa.Column("month", sa.String(7)),
        sa.Column("week", sa.String(8)),
    )
    op.create_index("ix_technique_counts_site", "technique_counts", ["site", "technique", "date", "n"])
    op.create_index("ix_technique_counts_month", "technique_counts", ["month", "technique", "date", "site", "n"])
    op.create_index("ix_technique_counts_week", "technique_counts", ["week", "technique", "date", "site", "n"])
    op.create_index("ix_documents_stats", "documents", ["status", "site", "month", "week", "date", "words", "n_techniques",
                                                        "n_quotes", "n_claims", "n_asserted_claims"])
    # backfill from the spans of documents stored under revision 0001
    op.execute(
        "INSERT INTO technique_counts (doc_pk, technique, n, site, date, month, week) "
        "SELECT d.pk, s.label, COUNT(*), d.site, d.date, d.month, d.week FROM spans s JOIN documents d ON d.pk = s.doc_pk "
        "WHERE s.kind = 'techniques' AND s.label IS NOT NULL GROUP BY d.pk, s.label, d.site, d.date, d.month, d.week"
    )


def downgrade() -> None:
    op.drop_index("ix_documents_stats", table_name="documents")
    op.drop_table("technique_counts")
