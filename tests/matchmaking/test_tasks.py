"""The scoring tasks (``matchmaking.tasks``): each claims its run; a failure is written on the
run; a redelivered or resent message of a run that is running or done does nothing."""

import pytest

from bigscience_portal.core import records
from matchmaking import services, tasks
from matchmaking.models import Match, MatchRun

from .helpers import stored_rows

pytestmark = pytest.mark.django_db


def test_failed_run_says_why(market, monkeypatch):
    run = services.run_create(kind="call", target_id=market["call"].pk)

    def boom(**kwargs):
        raise ValueError("profile data broken")

    monkeypatch.setattr(services, "call_score", boom)
    # throw=False: like a worker, the task's own failure handling runs instead of re-raising
    result = tasks.score_call.apply(args=(run.pk,), throw=False)
    assert result.state == "FAILURE"
    run.refresh_from_db()
    assert run.status == "failed"
    assert "profile data broken" in run.error


def test_a_message_delivered_again_after_its_run_succeeded_does_nothing(market, monkeypatch):
    run = services.run_create(kind="call", target_id=market["call"].pk)
    assert tasks.score_call.apply(args=(run.pk,)).get() is True
    run.refresh_from_db()
    assert run.status == "succeeded" and run.attempts == 1
    calls = []
    monkeypatch.setattr(services, "call_score", lambda **kwargs: calls.append(kwargs))
    assert tasks.score_call.apply(args=(run.pk,)).get() is False  # redelivered, or the sweeper
    assert calls == []
    run.refresh_from_db()
    assert run.attempts == 1


def test_a_run_another_worker_is_running_is_left_to_it(market, monkeypatch):
    run = services.run_create(kind="company", target_id=market["gyro"].pk)
    records.claim(MatchRun, run.pk, task_id="the-first-message")
    calls = []
    monkeypatch.setattr(services, "company_score", lambda **kwargs: calls.append(kwargs))
    assert tasks.score_company.apply(args=(run.pk,), task_id="another-message").get() is False
    assert calls == []
    # its own message redelivered (the first worker died) takes the run over
    assert tasks.score_company.apply(args=(run.pk,), task_id="the-first-message").get() is True
    assert calls == [{"run": MatchRun.objects.get(pk=run.pk), "company_id": market["gyro"].pk}]


def test_redelivered_nightly_task_reuses_its_plan_and_merges_once(market):
    run = services.run_create(kind="nightly")
    tasks.nightly_recompute.apply(kwargs={"run_id": run.pk, "chunk_size": 2})
    run.refresh_from_db()
    assert run.status == "succeeded" and run.chunk_count == 2
    rows = stored_rows()
    # the same message delivered again (its worker died before acknowledging it)
    tasks.nightly_recompute.apply(kwargs={"run_id": run.pk, "chunk_size": 2})
    run.refresh_from_db()
    assert run.status == "succeeded" and run.chunks.count() == 2
    assert stored_rows() == rows
    # planned but killed before its chunks were sent: the redelivery of its message sends the
    # same chunks (not a new plan)
    again = services.run_create(kind="nightly")
    records.claim(MatchRun, again.pk, task_id="killed-after-planning")
    services.nightly_plan(run=MatchRun.objects.get(pk=again.pk), chunk_size=2)
    tasks.nightly_recompute.apply(
        kwargs={"run_id": again.pk, "chunk_size": 99}, task_id="killed-after-planning"
    )
    again.refresh_from_db()
    assert again.status == "succeeded" and again.chunk_count == 2
    assert stored_rows() == rows


def test_the_nightly_beat_queues_one_run_and_its_task_follows_the_commit(
    market, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_id = tasks.nightly_enqueue.apply().get()
    run = MatchRun.objects.get(pk=run_id)
    assert run.kind == "nightly" and run.status == "succeeded"
    assert Match.objects.exists()


def test_every_kind_of_run_names_its_task():
    for kind, task in [
        ("call", "matchmaking.score_call"),
        ("company", "matchmaking.score_company"),
        ("feedback", "matchmaking.score_company"),
        ("nightly", "matchmaking.nightly_recompute"),
    ]:
        signature = MatchRun(pk=7, kind=kind).task_signature()
        assert signature.task == task and tuple(signature.args) == (7,)
