"""Alembic migrations of the store schema, applied by ``panelapp.store.migrate``."""
