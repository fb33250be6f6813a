"""Alembic environment: always run on a connection handed over by panelapp.store.migrate,
never from an ini file, so migrations use the store's key and settings."""

from alembic import context

from panelapp.store.fulltext import include_object
from panelapp.store.tables import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    include_object=include_object,  # the FTS5 index is not in tables.py
    render_as_batch=True,  # SQLite alters tables by copying them
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
