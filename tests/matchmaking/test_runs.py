"""Scoring runs as records (``services.runs``): one queued run per target, handed over after
the commit, left queued for the sweeper when the broker is down."""

import pytest

from bigscience_portal.core import records
from matchmaking import services
from matchmaking.models import Match, MatchRun
from organisations.signals import profile_changed
from tenders.signals import call_changed, call_published

from .helpers import member

pytestmark = pytest.mark.django_db


def _queued(**identity):
    return MatchRun.objects.filter(status=MatchRun.Status.QUEUED, **identity)


def test_two_publishes_while_a_run_is_queued_leave_one_queued_run(
    market, django_capture_on_commit_callbacks
):
    c = market["call"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call_published.send(sender=None, call_id=c.pk)
        call_changed.send(sender=None, call_id=c.pk)  # amended before the commit
        call_published.send(sender=None, call_id=c.pk)
    assert _queued(kind="call", target_id=c.pk).count() == 1
    assert len(callbacks) == 1  # one hand-over to the broker
    callbacks[0]()
    (run,) = MatchRun.objects.filter(kind="call", target_id=c.pk)
    assert run.status == "succeeded"
    assert Match.objects.filter(call=c, rank_for_call=1).exists()


def test_a_feedback_while_a_company_run_is_queued_adds_none(
    market, django_capture_on_commit_callbacks
):
    services.recompute_all_inline()
    gyro = market["gyro"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        profile_changed.send(sender=None, organisation_id=gyro.pk)
        services.feedback_give(
            user=member(gyro),
            company=gyro,
            call=market["other"],
            relevant=False,
            reason="wrong_domain",
        )
    (run,) = MatchRun.objects.filter(kind__in=("company", "feedback"), target_id=gyro.pk)
    assert run.kind == "company" and run.status == "queued"
    # two hand-overs of matchmaking: the company's run and its infrastructures' run (feedback
    # adds none); the innovation app above queues its own run for the changed profile too
    from innovation.models import OpportunityMatchRun

    assert _queued(kind="infrastructures", target_id=gyro.pk).count() == 1
    assert len(callbacks) == 2 + OpportunityMatchRun.objects.filter(status="queued").count()
    for callback in callbacks:
        callback()
    run.refresh_from_db()
    assert run.status == "succeeded"
    assert not Match.objects.filter(company=gyro, call=market["other"]).exists()


def test_a_run_that_is_already_running_gets_a_new_queued_run_for_the_next_change(
    market, django_capture_on_commit_callbacks
):
    c = market["call"]
    with django_capture_on_commit_callbacks(execute=False):
        first = services.call_score_enqueue(call_id=c.pk)
    assert records.claim(MatchRun, first.pk, task_id="worker-1") is not None  # a worker has it
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        second = services.call_score_enqueue(call_id=c.pk)
        again = services.call_score_enqueue(call_id=c.pk)
    assert second.pk != first.pk and again.pk == second.pk
    assert list(_queued(kind="call", target_id=c.pk)) == [second]
    assert MatchRun.objects.get(pk=first.pk).status == "running"
    assert len(callbacks) == 1


def test_company_runs_are_per_company_and_call_runs_per_call(market):
    services.call_score_enqueue(call_id=market["call"].pk)
    services.call_score_enqueue(call_id=market["other"].pk)
    services.company_score_enqueue(company_id=market["gyro"].pk)
    services.company_score_enqueue(company_id=market["vacuum"].pk)
    services.infrastructures_enqueue(company_id=market["gyro"].pk)
    services.infrastructures_enqueue(company_id=market["gyro"].pk)
    services.nightly_enqueue()
    services.nightly_enqueue()
    assert _queued(kind="call").count() == 2
    assert _queued(kind="company").count() == 2
    assert _queued(kind="nightly").count() == 1
    # one for the company, one for every company (with the nightly recompute)
    assert _queued(kind="infrastructures").count() == 2
    assert _queued(kind="infrastructures", target_id=None).count() == 1


def test_a_broker_outage_leaves_the_run_queued_for_the_sweeper(
    market, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as in production: the broker's errors are caught
    monkeypatch.setattr(records, "_broker_down_until", 0.0)

    class Unreachable:
        def apply_async(self):
            raise ConnectionError("broker is down")

    monkeypatch.setattr(MatchRun, "task_signature", lambda self: Unreachable())
    with django_capture_on_commit_callbacks(execute=True):
        call_published.send(sender=None, call_id=market["call"].pk)  # the publish succeeds
    run = MatchRun.objects.get(kind="call", target_id=market["call"].pk)
    assert run.status == "queued" and run.enqueued_at is None
    # the broker is back: the sweeper hands the run over and it runs
    monkeypatch.undo()
    monkeypatch.setattr(records, "_broker_down_until", 0.0)
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert records.sweep() >= 1
    run.refresh_from_db()
    assert run.status == "succeeded" and run.enqueued_at is not None
    assert Match.objects.filter(call=market["call"]).exists()


# --- retrying a failed run (issue 18, finding 9b) -------------------------------------------
def test_a_failed_run_is_retried_once_as_a_new_queued_run(market):
    from bigscience_portal.core.errors import ActionRefused

    c = market["call"]
    failed = MatchRun.objects.create(
        kind="call", target_id=c.pk, status=MatchRun.Status.FAILED, error="broker lost"
    )
    retry, created = services.run_retry(run=failed)
    assert created and retry.pk != failed.pk and retry.status == "queued"
    assert (retry.kind, retry.target_id) == ("call", c.pk)
    again, created = services.run_retry(run=failed)  # a second click while it waits
    assert not created and again.pk == retry.pk
    assert _queued(kind="call", target_id=c.pk).count() == 1
    for status in ("queued", "running", "succeeded"):
        other = MatchRun.objects.create(kind="nightly", status=status)
        with pytest.raises(ActionRefused):
            services.run_retry(run=other)
    assert MatchRun.objects.filter(kind="nightly").count() == 3  # none added by the refusals


def test_a_failed_company_run_reuses_the_companys_waiting_run(market):
    gyro = market["gyro"]
    waiting = services.company_score_enqueue(company_id=gyro.pk, kind="feedback")
    failed = MatchRun.objects.create(kind="company", target_id=gyro.pk, status="failed")
    retry, created = services.run_retry(run=failed)
    assert not created and retry.pk == waiting.pk


def test_a_run_whose_target_is_gone_is_not_retried(market):
    from bigscience_portal.core.errors import ActionRefused

    failed = MatchRun.objects.create(kind="call", target_id=987654, status="failed")
    with pytest.raises(ActionRefused, match="no longer exists"):
        services.run_retry(run=failed)
    assert not _queued(kind="call", target_id=987654).exists()
