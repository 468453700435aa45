"""Storing scores: call, company, feedback and full runs; signals; alerts."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from matchmaking import loaders, services
from matchmaking.engine import MatchContext, MatchIndex, render_reasons, score
from matchmaking.models import AlertDelivery, AlertSubscription, Feedback, Match, MatchRun
from organisations.models import Membership
from organisations.signals import profile_changed
from tenders.models import ExpressionOfInterest
from tenders.signals import call_published, call_status_changed
from tests.factories import InfrastructureFactory

from .helpers import call, company, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def market():
    infra = InfrastructureFactory(name="F4E")
    gyro = company(
        name="GyroTech",
        capabilities="Gyrotron tubes and high-power RF sources; superconducting magnets.",
        cpv=("31600000",),
        certs=("ISO 9001",),
    )
    vacuum = company(
        name="VacuumWorks",
        capabilities="Vacuum chambers, welding of stainless steel, leak testing.",
        cpv=("42120000",),
    )
    german = company(
        name="GermanGyro",
        capabilities="Gyrotron tubes and high-power RF sources.",
        cpv=("31600000",),
        country="DE",
    )
    c = call(buyer=infra, eligible=("DK", "FR"), certs=("ISO 9001",))
    other = call(
        buyer=infra,
        title="Vacuum vessel sectors",
        description="Welding and leak testing of stainless steel vacuum chambers.",
        main_cpv="42120000",
    )
    return {
        "infra": infra,
        "gyro": gyro,
        "vacuum": vacuum,
        "german": german,
        "call": c,
        "other": other,
    }


def _rows():
    return sorted(
        Match.objects.values_list(
            "company_id",
            "call_id",
            "score",
            "rank_for_call",
            "rank_for_company",
            "components",
            "reasons",
        )
    )


def test_publishing_a_call_stores_its_suppliers_with_reasons_after_commit(
    market, django_capture_on_commit_callbacks
):
    Match.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call_published.send(sender=None, call_id=market["call"].pk)
        run = MatchRun.objects.get(kind="call", target_id=market["call"].pk)
        assert run.status == "queued"
        assert not Match.objects.exists()  # nothing before the commit
    for cb in callbacks:
        cb()
    run.refresh_from_db()
    assert run.status == "succeeded" and run.pairs_scored == 3 and run.duration_seconds is not None
    suppliers = list(
        Match.objects.filter(call=market["call"], rank_for_call__isnull=False).order_by(
            "rank_for_call"
        )
    )
    assert suppliers[0].company == market["gyro"]
    # the German company is excluded (country not eligible), never just ranked lower
    assert market["german"].pk not in [m.company_id for m in suppliers]
    top = suppliers[0]
    assert "your ISO 9001 meets the requirement" in top.reasons
    assert any(
        r.startswith("CPV 31670000 ") and "matches your code 31600000" in r for r in top.reasons
    )
    assert any(r.startswith("matched: ") and "gyrotron" in r.lower() for r in top.reasons)
    assert {c["name"] for c in top.components} == {"text", "cpv", "requirements", "track_record"}


def test_reasons_are_rendered_from_the_engine_components(market):
    services.recompute_all_inline()
    stored = Match.objects.get(company=market["gyro"], call=market["call"])
    companies, calls = loaders.load_companies(), loaders.load_open_calls()
    ctx = MatchContext(index=MatchIndex(companies, calls))
    result = score(
        next(c for c in companies if c.id == market["gyro"].pk),
        next(c for c in calls if c.id == market["call"].pk),
        ctx,
    )
    assert stored.reasons == render_reasons(result, services.cpv_labels())
    assert stored.score == pytest.approx(result.score)
    contributions = {c["name"]: c["contribution"] for c in stored.components}
    assert sum(contributions.values()) == pytest.approx(stored.score)


def test_not_relevant_call_is_removed_and_never_comes_back(
    market, django_capture_on_commit_callbacks
):
    services.recompute_all_inline()
    user = member(market["gyro"])
    assert Match.objects.filter(company=market["gyro"], call=market["call"]).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_give(
            user=user,
            company=market["gyro"],
            call=market["call"],
            relevant=False,
            reason="too_large",
        )
    assert not Match.objects.filter(company=market["gyro"], call=market["call"]).exists()
    assert MatchRun.objects.filter(kind="feedback", status="succeeded").exists()
    # neither a call run nor the nightly recompute brings it back
    with django_capture_on_commit_callbacks(execute=True):
        services.call_score_enqueue(call_id=market["call"].pk)
    services.recompute_all_inline()
    assert not Match.objects.filter(company=market["gyro"], call=market["call"]).exists()
    assert Feedback.objects.filter(company=market["gyro"], relevant=False).count() == 1


def test_profile_change_rescores_the_company(market, django_capture_on_commit_callbacks):
    services.recompute_all_inline()
    vacuum = market["vacuum"]
    vacuum.capabilities = "Gyrotron tubes, RF sources, superconducting magnets."
    vacuum.cpv_codes.set(["31670000"])
    vacuum.save()
    before = Match.objects.get(company=vacuum, call=market["call"]).score
    with django_capture_on_commit_callbacks(execute=True):
        profile_changed.send(sender=None, organisation_id=vacuum.pk)
    after = Match.objects.get(company=vacuum, call=market["call"]).score
    assert after > before
    assert MatchRun.objects.filter(kind="company", target_id=vacuum.pk, status="succeeded").exists()


def test_closed_call_loses_its_matches(market, django_capture_on_commit_callbacks):
    services.recompute_all_inline()
    c = market["call"]
    c.status = "closed"
    c.save()
    with django_capture_on_commit_callbacks(execute=True):
        call_status_changed.send(sender=None, call_id=c.pk, status="closed")
    assert not Match.objects.filter(call=c).exists()
    assert Match.objects.filter(call=market["other"]).exists()


def test_chunked_recompute_equals_single_chunk_and_rerun_changes_nothing(market):
    for i in range(7):
        company(capabilities=f"Cryogenic valves and RF loads, model {i}", cpv=("31600000",))
    services.recompute_all_inline(chunk_size=100)
    single = _rows()
    services.recompute_all_inline(chunk_size=2)
    chunked = _rows()
    assert chunked == single and len(single) > 5
    run = MatchRun.objects.filter(kind="nightly").first()
    assert run.chunk_count == 5 and run.status == "succeeded" and run.chunks_done == 5
    assert run.chunks.count() == 5
    assert all(ch.payload == {} for ch in run.chunks.all())  # staging emptied by the merge


def test_incremental_runs_agree_with_a_full_recompute(market, django_capture_on_commit_callbacks):
    services.recompute_all_inline()
    full = {(c, k): (s, rc, rp) for c, k, s, rc, rp, *_ in _rows()}
    Match.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        for c in (market["call"], market["other"]):
            services.call_score_enqueue(call_id=c.pk)
    incremental = {(c, k): (s, rc, rp) for c, k, s, rc, rp, *_ in _rows()}
    assert incremental.keys() == full.keys()
    for key, (s, rc, rp) in full.items():
        assert incremental[key][0] == pytest.approx(s)
        assert incremental[key][1:] == (rc, rp)


def test_failed_run_says_why(market, monkeypatch):
    from matchmaking import tasks

    run = services.run_create(kind="call", target_id=market["call"].pk)

    def boom(**kwargs):
        raise ValueError("profile data broken")

    monkeypatch.setattr(services, "call_score", boom)
    # throw=False: like a worker, the task's own failure handling runs instead of re-raising
    result = tasks.score_call.apply(
        args=(market["call"].pk,), kwargs={"run_id": run.pk}, throw=False
    )
    assert result.state == "FAILURE"
    run.refresh_from_db()
    assert run.status == "failed"
    assert "profile data broken" in run.error


# --------------------------------------------------------------------------- alerts
def test_each_recommendation_is_emailed_once(market):
    services.recompute_all_inline()
    user = member(market["gyro"], role=Membership.Role.ADMIN)
    AlertSubscription.objects.create(user=user, frequency="daily", threshold=0.2)
    mail.outbox.clear()
    assert services.alerts_send(frequency="daily") == 1
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert market["call"].title in body and "/matchmaking/alerts/unsubscribe/" in body
    assert mail.outbox[0].to == [user.email]
    # a rerun of the periodic task sends nothing new
    assert services.alerts_send(frequency="daily") == 0
    assert len(mail.outbox) == 1
    # a new call that fits is sent, and only it
    new = call(buyer=market["infra"], title="Second gyrotron batch")
    services.recompute_all_inline()
    assert services.alerts_send(frequency="daily") == 1
    assert new.title in mail.outbox[1].body and market["call"].title not in mail.outbox[1].body
    assert AlertDelivery.objects.filter(user=user, kind="recommendation").count() == 2


def test_threshold_and_frequency_are_respected(market):
    services.recompute_all_inline()
    user = member(market["gyro"])
    AlertSubscription.objects.create(user=user, frequency="weekly", threshold=0.99)
    mail.outbox.clear()
    assert services.alerts_send(frequency="weekly") == 0
    assert services.alerts_send(frequency="daily") == 0
    assert mail.outbox == []


def test_deadline_reminder_once_a_week_before(market):
    user = member(market["gyro"])
    soon = call(buyer=market["infra"], title="Closing soon", days=5)
    call(buyer=market["infra"], title="Closing later", days=20)
    ExpressionOfInterest.objects.create(call=soon, organisation=market["gyro"], submitted_by=user)
    mail.outbox.clear()
    assert services.deadline_reminders_send() == 1
    assert "Closing soon" in mail.outbox[0].body
    assert services.deadline_reminders_send() == 0
    assert services.deadline_reminders_send(now=timezone.now() + timedelta(days=1)) == 0
    assert len(mail.outbox) == 1


def test_unsubscribe_token_turns_everything_off(market):
    user = member(market["gyro"])
    sub = services.subscription_for(user)
    token = services.unsubscribe_token(sub)
    assert services.subscription_from_token(token) == sub
    assert services.subscription_from_token(token + "x") is None
    services.subscription_unsubscribe(subscription=sub)
    sub.refresh_from_db()
    assert sub.frequency == "off" and not sub.deadline_reminders


def test_batched_explanations_equal_the_engine_pair_by_pair(market):
    """score_many (one block per call) gives exactly engine.score's components and reasons."""
    services.recompute_all_inline()
    companies, calls = loaders.load_companies(), loaders.load_open_calls()
    ctx = MatchContext(index=MatchIndex(companies, calls))
    by_id = {c.id: c for c in companies}
    calls_by_id = {c.id: c for c in calls}
    stored = list(Match.objects.all())
    assert len(stored) >= 4
    for m in stored:
        components, reasons = services.explain(by_id[m.company_id], calls_by_id[m.call_id], ctx)
        assert m.reasons == reasons
        assert [(c["name"], c["detail"]) for c in m.components] == [
            (c["name"], c["detail"]) for c in components
        ]
        for mine, theirs in zip(m.components, components, strict=True):
            assert mine["value"] == pytest.approx(theirs["value"], abs=1e-12)


def test_instant_subscribers_hear_of_a_published_call_once(
    market, django_capture_on_commit_callbacks
):
    services.recompute_all_inline()
    user = member(market["gyro"])
    AlertSubscription.objects.create(user=user, frequency="instant", threshold=0.2)
    services.alerts_send(frequency="instant")  # what was there before
    mail.outbox.clear()
    new = call(buyer=market["infra"], title="Gyrotron spare tubes", certs=("ISO 9001",))
    with django_capture_on_commit_callbacks(execute=True):
        call_published.send(sender=None, call_id=new.pk)
    assert len(mail.outbox) == 1 and "Gyrotron spare tubes" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        call_published.send(sender=None, call_id=new.pk)  # republished: nothing new to send
    assert len(mail.outbox) == 1


def test_redelivered_nightly_task_reuses_its_plan_and_merges_once(market):
    from matchmaking import tasks

    run = services.run_create(kind="nightly")
    tasks.nightly_recompute.apply(kwargs={"run_id": run.pk, "chunk_size": 2})
    run.refresh_from_db()
    assert run.status == "succeeded" and run.chunk_count == 2
    rows = _rows()
    # the same message delivered again (its worker died before acknowledging it)
    tasks.nightly_recompute.apply(kwargs={"run_id": run.pk, "chunk_size": 2})
    run.refresh_from_db()
    assert run.status == "succeeded" and run.chunks.count() == 2
    assert _rows() == rows
    # planned but killed before its chunks were sent: a redelivery sends the same chunks
    again = services.run_create(kind="nightly")
    services.nightly_plan(run=again, chunk_size=2)
    tasks.nightly_recompute.apply(kwargs={"run_id": again.pk, "chunk_size": 99})
    again.refresh_from_db()
    assert again.status == "succeeded" and again.chunk_count == 2
    assert _rows() == rows
