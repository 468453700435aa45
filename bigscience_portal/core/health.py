"""Probes behind ``/healthz``: each returns (ok, detail) and never raises."""

from django.conf import settings
from django.db import connection


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"
        return False, f"{type(exc).__name__}: {exc}"
    return True, connection.vendor


def check_broker() -> tuple[bool, str]:
    """Ask the broker for a connection; in-process mode has no broker to ask."""
    if settings.CELERY_TASK_ALWAYS_EAGER and not settings.REDIS_URL:
        return True, "in-process (no broker configured)"
    from celery import current_app as app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return False, f"{type(exc).__name__}: {exc}"
    return True, "redis"
