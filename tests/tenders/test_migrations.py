"""The calls app's migrations: the full-text search one is PostgreSQL-only."""

import importlib
from types import SimpleNamespace


def test_search_migration_does_nothing_off_postgresql():
    migration = importlib.import_module("tenders.migrations.0003_search_vector_postgres")
    executed = []
    editor = SimpleNamespace(connection=SimpleNamespace(vendor="sqlite"), execute=executed.append)
    migration.forward(None, editor)
    migration.backward(None, editor)
    assert executed == []
    editor.connection.vendor = "postgresql"
    migration.forward(None, editor)
    assert any("USING gin (search_vector)" in sql for sql in executed)
