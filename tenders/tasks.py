"""Thin Celery tasks: they call a service and are safe to run again."""

from celery import shared_task

from . import services


@shared_task(name="tenders.close_expired_calls", acks_late=True, max_retries=3)
def close_expired_calls() -> int:
    """Close published calls whose submission deadline has passed (idempotent)."""
    return services.calls_close_expired()


@shared_task(name="tenders.send_saved_search_digests", acks_late=True, max_retries=3)
def send_saved_search_digests() -> int:
    """E-mail every due saved search's new calls; each call at most once per search."""
    return services.saved_search_digests_send()
