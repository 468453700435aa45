"""Thin Celery tasks: they call a service and are safe to run again.

Neither needs a record of its own: each of its effects keeps one, written in the service's
transaction. A closed call has its ``CallStatusChange`` (a rerun finds nothing left to close),
a digest its ``SavedSearchDelivery`` rows and its ``core.MailDelivery`` (a rerun lists no call
twice and mails nobody twice; the mail's own task retries a failed send).
"""

from celery import shared_task

from . import services


@shared_task(
    name="tenders.close_expired_calls",
    acks_late=True,
    max_retries=3,
    soft_time_limit=240,
    time_limit=300,
)
def close_expired_calls() -> int:
    """Close published calls whose submission deadline has passed (idempotent)."""
    return services.calls_close_expired()


@shared_task(
    name="tenders.send_saved_search_digests",
    acks_late=True,
    max_retries=3,
    soft_time_limit=1800,
    time_limit=1900,
)
def send_saved_search_digests() -> int:
    """Queue every due saved search's digest; each call at most once per search."""
    return services.saved_search_digests_send()
