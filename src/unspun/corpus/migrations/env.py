"""Alembic environment for the store. `Store` runs it with an open connection; see `unspun.corpus.store`.

To make a new revision while developing: `alembic -x url=sqlite:///dev.db revision -m "..."` with
script_location pointing here (see docs/corpus.md).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from unspun.corpus.schema import metadata

config = context.config
connection = config.attributes.get("connection")

if connection is None:  # command-line use: alembic -x url=...
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
        context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    context.run_migrations()
