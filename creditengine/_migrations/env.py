"""Alembic's environment for the skill bank: run by ``creditengine._store.migrate`` on a
connection it passes in (``config.attributes["connection"]``), never from an alembic.ini."""

from __future__ import annotations

from alembic import context

from creditengine._store import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite alters tables by copying them; batch mode lets later migrations do that.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
