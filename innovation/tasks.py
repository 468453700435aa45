"""Thin Celery tasks: take an id, claim the record, call a service.

The matching run works on its record (``OpportunityMatchRun``, a ``core`` TaskRecord): queued
with the change, handed over after the commit (or by the sweeper), claimed here once. The
periodic scans need no record of their own: each of their effects keeps one (a mail is a
``core.MailDelivery`` keyed by its occasion, an opportunity records the expiry date it was
reminded of and told about, a digest its ``OpportunitySearchDelivery`` rows), so a rerun
changes nothing.
"""

from __future__ import annotations

from celery import shared_task

from bigscience_portal.core import records

from . import services
from .models import OpportunityMatchRun

SCAN_OPTIONS = records.SCAN_OPTIONS


@shared_task(
    bind=True,
    base=records.RecordTask,
    record_model="innovation.OpportunityMatchRun",
    name="innovation.score_opportunity_run",
)
def score_opportunity_run(self, record_id: int) -> bool:
    """One opportunity against every company, or one company against every opportunity."""
    with records.running(OpportunityMatchRun, record_id, task=self, finish=False) as run:
        if run is None:
            return False  # done already, or another execution has it
        services.run_execute(run=run)
    return True


@shared_task(name="innovation.validity_scan", **SCAN_OPTIONS)
def validity_scan() -> dict:
    """Remind to renew before an opportunity lapses, tell when it did (each once)."""
    return services.validity_scan()


@shared_task(name="innovation.send_search_digests", **SCAN_OPTIONS)
def send_search_digests() -> int:
    """Every due saved search's digest; each opportunity at most once per search."""
    return services.search_digests_send()
