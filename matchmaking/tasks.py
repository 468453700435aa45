"""Thin Celery tasks: take a run's id, claim the run, call a service.

Scoring tasks work on a ``MatchRun`` record (``core.records``): queued by a service with the
change that asked for it, handed over after the commit (or by the sweeper after a broker
outage), claimed here once. A second delivery of the same message, a redelivery after the
worker died (``acks_late`` + ``reject_on_worker_lost``) or a hand-over by the sweeper finds the
run claimed or done and does nothing; a run left running by a dead worker is taken over by the
redelivery of its own message. Retries with backoff on database and broker errors; the retry
and the failure are written on the run (``RecordTask``).
"""

from __future__ import annotations

import logging

from celery import group, shared_task
from celery.signals import worker_ready

from bigscience_portal.core import records

from . import services
from .models import MatchRun

logger = logging.getLogger(__name__)


@worker_ready.connect
def warm_up_worker(sender=None, **kwargs) -> None:
    """Build the matching index before the first task (solo and thread pools, where the tasks
    run in this process). A failure here must never stop the worker."""
    pool_cls = getattr(getattr(sender, "controller", None), "pool_cls", None)
    pool = f"{getattr(pool_cls, '__module__', '')}.{getattr(pool_cls, '__name__', pool_cls)}"
    if pool_cls is None or "prefork" in pool:
        return
    try:
        services.warm_up()
    except Exception:
        logger.exception("matchmaking warm-up failed")
    finally:
        from django.db import close_old_connections

        close_old_connections()


class MatchRunTask(records.RecordTask):
    """Base of the scoring tasks: the run's id is the first argument or the keyword ``run_id``;
    a full recompute may take longer than the records' default limits."""

    abstract = True
    record_model = "matchmaking.MatchRun"
    max_retries = 3
    soft_time_limit = 1800
    time_limit = 1900

    @staticmethod
    def _record_id(args, kwargs):
        return kwargs.get("run_id") or records.RecordTask._record_id(args, kwargs)


def _score_run(task, run_id: int, score, *, alerts: bool = True) -> bool:
    """Claim the run, do its work (``score(run)``), then send the instant alerts of what it
    found; False when the run is done already, or another execution has it."""
    with records.running(MatchRun, run_id, task=task, finish=False) as run:
        if run is None:
            return False
        score(run)
    if alerts:
        send_alerts.delay_on_commit("instant")
    return True


@shared_task(bind=True, base=MatchRunTask, name="matchmaking.score_call")
def score_call(self, run_id: int) -> bool:
    """One call against all companies (published, changed, or its status changed)."""
    return _score_run(self, run_id, lambda run: services.call_score(run=run, call_id=run.target_id))


@shared_task(bind=True, base=MatchRunTask, name="matchmaking.score_company")
def score_company(self, run_id: int) -> bool:
    """One company against all open calls (profile changed, or feedback given)."""
    return _score_run(
        self, run_id, lambda run: services.company_score(run=run, company_id=run.target_id)
    )


@shared_task(bind=True, base=MatchRunTask, name="matchmaking.score_infrastructures")
def score_infrastructures(self, run_id: int) -> bool:
    """The infrastructures that need what one company (or every company) does."""
    return _score_run(
        self,
        run_id,
        lambda run: services.infrastructures_score(run=run, company_id=run.target_id),
        alerts=False,
    )


@shared_task(name="matchmaking.nightly_enqueue", acks_late=True)
def nightly_enqueue() -> int:
    """Beat's entry: queue the full recompute's runs (their tasks follow after the commit)."""
    return services.nightly_enqueue().pk


@shared_task(bind=True, base=MatchRunTask, name="matchmaking.nightly_recompute")
def nightly_recompute(self, run_id: int, chunk_size: int | None = None) -> int:
    """Full recompute: split the companies into chunks that run in parallel on every worker;
    the last chunk to finish merges them (no result backend needed). Returns the chunk count.
    The run stays running until that merge: it finishes the run, not this task."""
    with records.running(MatchRun, run_id, task=self, finish=False) as run:
        if run is None:
            return 0
        chunks = services.nightly_plan(run=run, chunk_size=chunk_size)
        if not chunks:
            services.nightly_merge(run_id=run.pk)
            return 0
        group(score_chunk.si(run.pk, n, first, last) for n, first, last in chunks).apply_async()
        return len(chunks)


@shared_task(bind=True, base=MatchRunTask, name="matchmaking.score_chunk")
def score_chunk(self, run_id: int, chunk_no: int, first_id: int, last_id: int) -> None:
    """One chunk of a full recompute (the run is its nightly task's: a chunk does not claim
    it, its staging row makes it run once); the last one to finish merges and stores."""
    merged_before = MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.SUCCEEDED).exists()
    services.chunk_score(
        run_id=run_id,
        chunk_no=chunk_no,
        first_id=first_id,
        last_id=last_id,
        worker=self.request.hostname or "",
    )
    if (
        not merged_before
        and MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.SUCCEEDED).exists()
    ):
        send_alerts.delay_on_commit("instant")


#: the periodic scans: their effects are recorded by AlertDelivery and MailDelivery rows
SCAN_OPTIONS = records.SCAN_OPTIONS


@shared_task(name="matchmaking.send_alerts", **SCAN_OPTIONS)
def send_alerts(frequency: str) -> int:
    """E-mail new recommendations to the subscribers of ``frequency`` (instant/daily/weekly)."""
    return services.alerts_send(frequency=frequency)


@shared_task(name="matchmaking.send_deadline_reminders", **SCAN_OPTIONS)
def send_deadline_reminders() -> int:
    """Remind interested companies a week before a call's deadline."""
    return services.deadline_reminders_send()
