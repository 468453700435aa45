"""Scoring runs: the record every scoring task works under, queued with the change that asks
for it and handed to its task after the commit (``core.records``).

One run per target waits at a time: a call published and then amended while its run is queued,
or a company that gives feedback while its profile change is queued, is scored once, by the
queued run (it reads the target as it is when it runs). A run that has started does not count:
the next change gets a new queued run, so that no change goes unscored.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bigscience_portal.core import records
from bigscience_portal.core.errors import ActionRefused
from organisations.models import Organisation
from tenders.models import ProcurementCall

from ..engine import ENGINE_VERSION
from ..models import MatchRun


def run_create(*, kind: str, target_id: int | None = None) -> MatchRun:
    """A queued run that this process works itself (an inline recompute, a bench): nothing is
    handed to the broker (the sweeper would hand over one that is left queued)."""
    return MatchRun.objects.create(kind=kind, target_id=target_id, engine_version=ENGINE_VERSION)


def run_finish(*, run: MatchRun, pairs: int, rows: int) -> None:
    """Mark a running run succeeded with what it did."""
    started = run.started_at or timezone.now()
    records.succeed(
        MatchRun,
        run.pk,
        pairs_scored=pairs,
        rows_stored=rows,
        duration_seconds=(timezone.now() - started).total_seconds(),
        engine_version=ENGINE_VERSION,
    )


def _enqueue(*, kind: str, target_id: int | None) -> MatchRun:
    run, _ = records.enqueue_once(
        MatchRun, kind=kind, target_id=target_id, defaults={"engine_version": ENGINE_VERSION}
    )
    return run


def call_score_enqueue(*, call_id: int) -> MatchRun:
    """The queued run that scores the call against all companies after the commit (the one
    already waiting for this call, if there is one)."""
    return _enqueue(kind=MatchRun.Kind.CALL, target_id=call_id)


@transaction.atomic
def company_score_enqueue(*, company_id: int, kind: str = MatchRun.Kind.COMPANY) -> MatchRun:
    """The queued run that scores the company against all open calls after the commit. A run
    of the company that waits already, for a profile change or for feedback, is reused (and
    locked until the commit, so that its task reads this change)."""
    waiting = (
        MatchRun.objects.select_for_update()
        .filter(
            status=MatchRun.Status.QUEUED, kind__in=MatchRun.COMPANY_KINDS, target_id=company_id
        )
        .order_by("pk")
        .first()
    )
    return waiting or _enqueue(kind=kind, target_id=company_id)


@transaction.atomic
def nightly_enqueue() -> MatchRun:
    """The queued full recompute (one at a time: a second request while it waits adds none),
    with the queued run of every company's infrastructures."""
    infrastructures_enqueue()
    return _enqueue(kind=MatchRun.Kind.NIGHTLY, target_id=None)


def infrastructures_enqueue(*, company_id: int | None = None) -> MatchRun:
    """The queued run that ranks the infrastructures for one company (its profile changed) or
    for every company (``company_id=None``)."""
    return _enqueue(kind=MatchRun.Kind.INFRASTRUCTURES, target_id=company_id)


@transaction.atomic
def run_retry(*, run: MatchRun) -> tuple[MatchRun, bool]:
    """Queue the work of a failed run again: (the queued run, whether it is new).

    Only a failed run is retried (a queued or running one is still to finish, a succeeded one
    has nothing to redo), and through ``enqueue_once``: a run of the same target that waits
    already is the retry, so two clicks queue one run. A run whose call or company is gone is
    refused (it would fail again)."""
    run = MatchRun.objects.select_for_update().get(pk=run.pk)
    if run.status != MatchRun.Status.FAILED:
        raise ActionRefused(
            _("Only a failed run can be retried; this one is %(status)s.")
            % {"status": run.get_status_display().lower()}
        )
    if run.target_id is not None:
        target = ProcurementCall if run.kind == MatchRun.Kind.CALL else Organisation
        if not target.objects.filter(pk=run.target_id).exists():
            raise ActionRefused(
                _("What this run scored no longer exists: there is nothing to retry.")
            )
    if run.kind in MatchRun.COMPANY_KINDS:
        waiting = (
            MatchRun.objects.filter(
                status=MatchRun.Status.QUEUED,
                kind__in=MatchRun.COMPANY_KINDS,
                target_id=run.target_id,
            )
            .order_by("pk")
            .first()
        )
        if waiting is not None:
            return waiting, False
    return records.enqueue_once(
        MatchRun,
        kind=run.kind,
        target_id=run.target_id,
        defaults={"engine_version": ENGINE_VERSION},
    )
