"""The one background-work pattern: a record per effect, enqueued after commit, claimed once.

A service that causes background work writes a :class:`~bigscience_portal.core.models.TaskRecord`
row in its own transaction and calls :func:`dispatch` (or :func:`enqueue_once`, which reuses a
queued record of the same target instead of adding one). After the commit the record's task is
handed to the broker; when the broker does not answer, the write still succeeds: the record stays
``queued`` with no ``enqueued_at`` and :func:`sweep` (the beat task ``core.sweep_records``, every
minute) hands it over once the broker is back. A task :func:`claim`\\ s its record before working:
exactly one execution goes on, whether the message was delivered twice, redelivered after its
worker died (``acks_late``), or sent again by the sweeper; a record that succeeded is never run
again. Tasks use :class:`RecordTask` as their base, which marks retries and failures on the row.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from celery.contrib.django.task import DjangoTask
from django.apps import apps
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import TaskRecord

logger = logging.getLogger(__name__)

Status = TaskRecord.Status
#: errors that a retry can cure (a database restart, a broker hiccup, a mail server timeout)
RETRYABLE = (DatabaseError, ConnectionError, TimeoutError, OSError)
#: the Celery options of a periodic scan, a task without a record of its own: each of its effects
#: keeps one (a mail its ``MailDelivery``, ...), so a retry or a rerun changes nothing
SCAN_OPTIONS = {
    "acks_late": True,
    "autoretry_for": RETRYABLE,
    "retry_backoff": 30,
    "max_retries": 3,
    "soft_time_limit": 600,
    "time_limit": 660,
}


def requeue_after() -> timedelta:
    """A queued record handed to the broker this long ago and still not started is handed again
    (its message was lost: a broker restarted without persistence)."""
    from django.conf import settings

    return timedelta(seconds=settings.RECORDS_REQUEUE_AFTER_SECONDS)


def stale_after(model: type[TaskRecord]) -> timedelta:
    """How long a record may run before it is taken for lost (settings can shorten it: tests)."""
    from django.conf import settings

    seconds = settings.RECORDS_STALE_AFTER_SECONDS
    return timedelta(seconds=seconds) if seconds else model.stale_after


#: after the broker refused a message, this process leaves new ones to the sweeper for a while
#: (a request during an outage pays for one refused connection, not one per record)
BROKER_PAUSE_SECONDS = 30.0

_broker_down_until = 0.0


def record_models() -> list[type[TaskRecord]]:
    """Every concrete TaskRecord model of the installed apps."""
    return [m for m in apps.get_models() if issubclass(m, TaskRecord)]


# --- handing records to the broker -----------------------------------------------------------
def send(model: type[TaskRecord], pk: int) -> bool:
    """Hand the record's task to the broker now; False (logged, nothing raised) when the broker
    does not take it: the record stays queued for the sweeper."""
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        return False
    record = model.objects.filter(pk=pk).first()
    if record is None or record.is_done:
        return False
    try:
        record.task_signature().apply_async()
    except Exception as exc:  # any broker or connection error: the sweeper will hand it over
        from django.conf import settings

        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise  # in-process mode runs the task here: its errors are the caller's
        _broker_down_until = time.monotonic() + BROKER_PAUSE_SECONDS
        logger.warning(
            "broker did not take %s %s (%s: %s); the sweeper will hand it over",
            model._meta.label,
            pk,
            type(exc).__name__,
            exc,
        )
        return False
    model.objects.filter(pk=pk).update(enqueued_at=timezone.now())
    return True


def dispatch(record: TaskRecord) -> TaskRecord:
    """Hand ``record`` to the broker once the current transaction commits (at once outside one)."""
    model, pk = type(record), record.pk
    transaction.on_commit(lambda: send(model, pk))
    return record


def enqueue_once(model: type[TaskRecord], *, defaults: dict | None = None, **identity):
    """The queued record of ``model`` with ``identity`` (e.g. ``kind`` and ``target_id``), or a
    new one dispatched after commit: a second request while one is queued adds nothing.

    The queued row is locked until the caller's transaction ends, so that a worker cannot claim
    it in between and miss the change that asked for it (it waits, then reads that change); a
    record that has started meanwhile no longer matches, and a new one is queued. Concurrent
    callers meet at the model's unique constraint on its queued records, when it has one.
    """
    with transaction.atomic():
        existing = model.objects.select_for_update().filter(status=Status.QUEUED, **identity)
        found = existing.order_by("pk").first()
        if found is not None:
            return found, False
        try:
            with transaction.atomic():
                record = model.objects.create(**identity, **(defaults or {}))
        except IntegrityError:
            found = existing.order_by("pk").first()
            if found is not None:
                return found, False
            raise
    dispatch(record)
    return record, True


# --- the task side ---------------------------------------------------------------------------
def claim(model: type[TaskRecord], pk: int, *, task_id: str = "") -> TaskRecord | None:
    """Mark the record running for this execution, or None when another one has it or it is
    done. A record still ``running`` is taken over by a redelivery of its own message (its
    worker died) or once it is older than ``stale_after``."""
    now = timezone.now()
    takeover = Q(status=Status.RUNNING) & (
        Q(started_at__lt=now - stale_after(model))
        | (Q(celery_task_id=task_id) & ~Q(celery_task_id=""))
    )
    updated = (
        model.objects.filter(pk=pk)
        .filter(Q(status__in=TaskRecord.PENDING) | takeover)
        .update(
            status=Status.RUNNING,
            started_at=now,
            attempts=F("attempts") + 1,
            celery_task_id=task_id,
            error="",
        )
    )
    if not updated:
        return None
    return model.objects.get(pk=pk)


def succeed(model: type[TaskRecord], pk: int, **fields) -> None:
    """Mark a running record succeeded (with any of its own fields)."""
    now = timezone.now()
    model.objects.filter(pk=pk, status=Status.RUNNING).update(
        status=Status.SUCCEEDED, finished_at=now, **fields
    )


def mark(model: type[TaskRecord], pk: int | None, *, status: str, error: str) -> None:
    """Record a retry or a failure (from the tasks' ``on_retry`` / ``on_failure`` hooks)."""
    if not pk:
        return
    fields = {"status": status, "error": error[:4000]}
    if status == Status.FAILED:
        fields["finished_at"] = timezone.now()
    model.objects.filter(pk=pk).exclude(status=Status.SUCCEEDED).update(**fields)


@contextmanager
def running(model: type[TaskRecord], pk: int, *, task=None, finish: bool = True) -> Iterator:
    """Claim the record for the block; yields it, or None when there is nothing to do.

    When the block ends normally the record is marked succeeded (unless ``finish=False``: work
    that another task completes, such as the chunks of a full recompute). An exception leaves
    the marking to the task's retry and failure hooks."""
    task_id = (getattr(task, "request", None) and task.request.id) or ""
    record = claim(model, pk, task_id=task_id)
    yield record
    if record is not None and finish:
        succeed(model, pk)


class RecordTask(DjangoTask):
    """Base of every task that works on a record: its id is the keyword or first argument
    ``record_id``; retried with backoff on transient errors; a retry and a failure are written
    on the record. Acknowledged late and given back to the queue when its worker dies."""

    abstract = True
    record_model: str = ""  # "app_label.ModelName"
    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = RETRYABLE
    retry_backoff = 5
    retry_backoff_max = 300
    retry_jitter = False
    max_retries = 5
    soft_time_limit = 300
    time_limit = 360

    @property
    def model(self) -> type[TaskRecord]:
        return apps.get_model(self.record_model)

    @staticmethod
    def _record_id(args, kwargs):
        if kwargs.get("record_id"):
            return kwargs["record_id"]
        return args[0] if args else None

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        mark(
            self.model,
            self._record_id(args, kwargs),
            status=Status.RETRYING,
            error=f"{type(exc).__name__}: {exc} (retrying)",
        )

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        mark(
            self.model,
            self._record_id(args, kwargs),
            status=Status.FAILED,
            error=f"{type(exc).__name__}: {exc}",
        )


# --- the sweeper -----------------------------------------------------------------------------
def sweep(*, now=None) -> int:
    """Hand over every record the broker never took, took long ago without a start, or whose
    worker died; returns how many were handed over."""
    now = now or timezone.now()
    handed = 0
    for model in record_models():
        due = model.objects.filter(
            Q(status__in=TaskRecord.PENDING)
            & (Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - requeue_after()))
            | Q(status=Status.RUNNING, started_at__lt=now - stale_after(model))
        )
        for pk in due.order_by("pk").values_list("pk", flat=True)[:1000]:
            if send(model, pk):
                handed += 1
            else:
                return handed  # the broker is still down: try again on the next sweep
    return handed
