"""Thin Celery tasks: take ids, call a service, record the run.

All are idempotent (a rerun stores the same rows), acknowledged late and given back to the
queue when their worker dies (``acks_late`` + ``reject_on_worker_lost``), retried with backoff
on database and broker errors, and ``on_failure`` marks their ``MatchRun`` failed with the error.
"""

from __future__ import annotations

import logging

from celery import group, shared_task
from celery.contrib.django.task import DjangoTask
from celery.signals import worker_ready
from django.db import DatabaseError

from . import services
from .models import MatchRun

RETRYABLE = (DatabaseError, ConnectionError, TimeoutError)
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


class MatchRunTask(DjangoTask):
    """Base task: the MatchRun id is the keyword ``run_id`` or the argument ``run_arg``."""

    abstract = True
    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = RETRYABLE
    retry_backoff = 5
    retry_backoff_max = 300
    retry_jitter = False
    max_retries = 3
    soft_time_limit = 1800
    time_limit = 1900
    run_arg: int | None = None

    def _run_id(self, args, kwargs):
        if kwargs.get("run_id"):
            return kwargs["run_id"]
        if self.run_arg is not None and len(args) > self.run_arg:
            return args[self.run_arg]
        return None

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        services.run_mark(
            run_id=self._run_id(args, kwargs),
            task_id=task_id,
            status=MatchRun.Status.RETRYING,
            error=f"{type(exc).__name__}: {exc} (retrying)",
        )

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        services.run_mark(
            run_id=self._run_id(args, kwargs),
            task_id=task_id,
            status=MatchRun.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}",
        )


@shared_task(bind=True, base=MatchRunTask, name="matchmaking.score_call", run_arg=1)
def score_call(self, call_id: int, run_id: int | None = None) -> None:
    """One call against all companies (published, changed, or its status changed)."""
    run = services.run_start(
        run_id=run_id, kind=MatchRun.Kind.CALL, target_id=call_id, task_id=self.request.id or ""
    )
    services.call_score(run=run, call_id=call_id)
    send_alerts.delay_on_commit("instant")


@shared_task(bind=True, base=MatchRunTask, name="matchmaking.score_company", run_arg=1)
def score_company(self, company_id: int, run_id: int | None = None) -> None:
    """One company against all open calls (profile changed, or feedback given)."""
    run = services.run_start(
        run_id=run_id,
        kind=MatchRun.Kind.COMPANY,
        target_id=company_id,
        task_id=self.request.id or "",
    )
    services.company_score(run=run, company_id=company_id)
    send_alerts.delay_on_commit("instant")


@shared_task(bind=True, base=MatchRunTask, name="matchmaking.nightly_recompute")
def nightly_recompute(self, run_id: int | None = None, chunk_size: int | None = None) -> int:
    """Full recompute: split the companies into chunks that run in parallel on every worker;
    the last chunk to finish merges them (no result backend needed). Returns the chunk count."""
    if run_id and MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.SUCCEEDED).exists():
        return 0  # redelivered after the run completed
    run = services.run_start(
        run_id=run_id, kind=MatchRun.Kind.NIGHTLY, target_id=None, task_id=self.request.id or ""
    )
    if run.chunk_plan:
        # redelivered (its worker died) after planning: dispatch the same chunks again; chunks
        # that were staged already are skipped, and the merge happens once
        chunks = [tuple(c) for c in run.chunk_plan]
    else:
        chunks = services.nightly_plan(run=run, chunk_size=chunk_size)
    if not chunks:
        services.nightly_merge(run_id=run.pk)
        return 0
    group(score_chunk.si(run.pk, n, first, last) for n, first, last in chunks).apply_async()
    return len(chunks)


@shared_task(bind=True, base=MatchRunTask, name="matchmaking.score_chunk", run_arg=0)
def score_chunk(self, run_id: int, chunk_no: int, first_id: int, last_id: int) -> None:
    """One chunk of a full recompute; the last one to finish merges and stores."""
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


@shared_task(
    name="matchmaking.send_alerts",
    acks_late=True,
    autoretry_for=RETRYABLE,
    retry_backoff=30,
    max_retries=3,
    soft_time_limit=600,
    time_limit=660,
)
def send_alerts(frequency: str) -> int:
    """E-mail new recommendations to the subscribers of ``frequency`` (instant/daily/weekly)."""
    return services.alerts_send(frequency=frequency)


@shared_task(
    name="matchmaking.send_deadline_reminders",
    acks_late=True,
    autoretry_for=RETRYABLE,
    retry_backoff=30,
    max_retries=3,
    soft_time_limit=600,
    time_limit=660,
)
def send_deadline_reminders() -> int:
    """Remind interested companies a week before a call's deadline."""
    return services.deadline_reminders_send()
