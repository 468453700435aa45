"""Periodic tasks are scheduled and registered; the full-text migration is PostgreSQL-only."""

import importlib
from types import SimpleNamespace

import pytest
from django.conf import settings

from bigscience_portal.celery import app


@pytest.mark.parametrize(
    "name", ["tenders.close_expired_calls", "tenders.send_saved_search_digests"]
)
def test_periodic_tasks_are_scheduled_and_registered(name):
    import tenders.tasks  # noqa: F401 -- registers the tasks

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert name in scheduled
    assert name in app.tasks


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
