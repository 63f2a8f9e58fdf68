"""The technique taxonomy of each analysis (ptc14 or semeval23), so that statistics never mix the two schemes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06

Analyses stored before taxonomies existed were made with PTC's 14 techniques: the column's default says so.
`technique_counts` carries the taxonomy too, so per-technique statistics can keep to one scheme without a join.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("documents", sa.Column("taxonomy", sa.String(16), nullable=False, server_default="ptc14"))
    op.add_column("technique_counts", sa.Column("taxonomy", sa.String(16), nullable=False, server_default="ptc14"))
    op.create_index("ix_documents_status_taxonomy", "documents", ["status", "taxonomy"])


def downgrade() -> None:
    op.drop_index("ix_documents_status_taxonomy", table_name="documents")
    with op.batch_alter_table("technique_counts") as batch:
        batch.drop_column("taxonomy")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("taxonomy")
