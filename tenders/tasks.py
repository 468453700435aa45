"""Thin Celery tasks: they call a service and are safe to run again.

The periodic scans need no record of their own: each of their effects keeps one, written in
the service's transaction. A closed call has its ``CallStatusChange`` (a rerun finds nothing left
to close), a digest its ``SavedSearchDelivery`` rows and its ``core.MailDelivery`` (a rerun lists
no call twice and mails nobody twice; the mail's own task retries a failed send). A TED harvest
is a record, ``HarvestRun``, claimed by ``run_ted_harvest``.
"""

from celery import shared_task

from bigscience_portal.core import records

from . import services
from .models import HarvestRun


def _scan(*, soft_time_limit: int, time_limit: int) -> dict:
    """The Celery options of a periodic scan (``records.SCAN_OPTIONS``: acknowledged late,
    retried with backoff on transient errors) with this task's own time limits."""
    return {**records.SCAN_OPTIONS, "soft_time_limit": soft_time_limit, "time_limit": time_limit}


@shared_task(name="tenders.close_expired_calls", **_scan(soft_time_limit=240, time_limit=300))
def close_expired_calls() -> int:
    """Close published calls whose submission deadline has passed (idempotent)."""
    return services.calls_close_expired()


@shared_task(
    name="tenders.send_saved_search_digests", **_scan(soft_time_limit=1800, time_limit=1900)
)
def send_saved_search_digests() -> int:
    """Queue every due saved search's digest; each call at most once per search."""
    return services.saved_search_digests_send()


@shared_task(name="tenders.start_ted_harvest", **_scan(soft_time_limit=60, time_limit=90))
def start_ted_harvest() -> int:
    """From beat: queue a harvest of TED (or find the one waiting); its record's id."""
    from .harvest import harvest_start

    return harvest_start().pk


@shared_task(
    bind=True,
    base=records.RecordTask,
    record_model="tenders.HarvestRun",
    name="tenders.run_ted_harvest",
    soft_time_limit=1800,
    time_limit=1900,
    max_retries=0,
)
def run_ted_harvest(self, record_id: int) -> bool:
    """Do one harvest; its failures (TED down, 429, 5xx, malformed pages) are on the record,
    and the next harvest resumes it."""
    from .harvest import harvest_execute

    # harvest_execute marks the record succeeded or failed itself
    with records.running(HarvestRun, record_id, task=self, finish=False) as run:
        if run is None:
            return False  # done already, or another execution has it
        return harvest_execute(run).status == HarvestRun.Status.SUCCEEDED
