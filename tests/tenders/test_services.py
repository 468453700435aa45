"""Lifecycle, amendments, clarifications and interest through the services."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from organisations.models import CPVCode
from tenders import services, signals
from tenders.models import (
    Amendment,
    CallStatusChange,
    Clarification,
    ExpressionOfInterest,
    ProcurementCall,
)

from .conftest import expire

pytestmark = pytest.mark.django_db
Status = ProcurementCall.Status


@pytest.fixture
def sent_signals():
    """Record the signals the services send (other apps listen to them)."""
    seen = []

    def receiver(signal, sender, **kwargs):
        seen.append((signal, kwargs))

    for signal in (signals.call_published, signals.call_changed, signals.call_status_changed):
        signal.connect(receiver, weak=False)
    yield seen
    for signal in (signals.call_published, signals.call_changed, signals.call_status_changed):
        signal.disconnect(receiver)


def _history(call):
    return list(CallStatusChange.objects.filter(call=call).values_list("from_status", "to_status"))


def test_create_records_the_draft(make_call, officer):
    call = make_call("draft")
    assert call.status == Status.DRAFT
    assert call.contact == officer
    assert _history(call) == [("", "draft")]


def test_publish_records_the_change_and_sends_the_signal(make_call, officer, sent_signals):
    call = make_call("draft")
    services.call_publish(call=call, user=officer, note="Ready")
    call.refresh_from_db()
    assert call.status == Status.PUBLISHED
    assert call.published_at is not None
    change = CallStatusChange.objects.filter(call=call).last()
    assert (change.from_status, change.to_status, change.changed_by, change.note) == (
        "draft",
        "published",
        officer,
        "Ready",
    )
    assert (signals.call_published, {"call_id": call.pk}) in sent_signals


def test_publish_refuses_a_passed_deadline(make_call, officer):
    call = expire(make_call("draft"))
    with pytest.raises(services.CallActionRefused, match="deadline has passed"):
        services.call_publish(call=call, user=officer)
    call.refresh_from_db()
    assert call.status == Status.DRAFT


def test_full_lifecycle_to_awarded(make_call, officer, company, sent_signals):
    call = make_call("published")
    services.call_close(call=call, user=officer)
    services.call_award(
        call=call,
        user=officer,
        awards=[
            services.AwardInput(company, "", 1_250_000, "EUR", timezone.now().date(), "1"),
            services.AwardInput(None, "Other Supplier SA", None, "", None, "2"),
        ],
    )
    call.refresh_from_db()
    assert call.status == Status.AWARDED
    assert _history(call) == [
        ("", "draft"),
        ("draft", "published"),
        ("published", "closed"),
        ("closed", "awarded"),
    ]
    awards = list(call.awards.order_by("lot_number"))
    assert [a.supplier_name for a in awards] == ["CryoTest ApS", "Other Supplier SA"]
    assert awards[0].supplier == company and awards[0].supplier_country == "DK"
    statuses = [kw.get("status") for s, kw in sent_signals if s is signals.call_status_changed]
    assert statuses == ["closed", "awarded"]


@pytest.mark.parametrize(
    ("status", "service", "message"),
    [
        ("draft", "call_close", "draft cannot be closed"),
        ("draft", "call_award", "draft cannot be awarded"),
        ("published", "call_publish", "published cannot be published"),
        ("published", "call_award", "published cannot be awarded"),
        ("closed", "call_publish", "closed cannot be published"),
        ("awarded", "call_cancel", "awarded cannot be cancelled"),
        ("awarded", "call_close", "awarded cannot be closed"),
        ("cancelled", "call_publish", "cancelled cannot be published"),
        ("cancelled", "call_cancel", "cancelled cannot be cancelled"),
    ],
)
def test_invalid_transitions_are_refused_with_a_message(
    make_call, officer, status, service, message
):
    call = make_call(status)
    before = _history(call)
    kwargs = {"call": call, "user": officer}
    if service == "call_award":
        kwargs["awards"] = [services.AwardInput(None, "X", None, "EUR", None)]
    with pytest.raises(services.CallActionRefused, match=message):
        getattr(services, service)(**kwargs)
    call.refresh_from_db()
    assert call.status == status
    assert _history(call) == before


@pytest.mark.parametrize("status", ["draft", "published", "closed"])
def test_cancel_from_draft_published_closed(make_call, officer, status):
    call = make_call(status)
    services.call_cancel(call=call, user=officer, note="Budget withdrawn")
    call.refresh_from_db()
    assert call.status == Status.CANCELLED
    assert CallStatusChange.objects.filter(call=call).last().note == "Budget withdrawn"


def test_award_needs_at_least_one_award(make_call, officer):
    call = make_call("closed")
    with pytest.raises(services.CallActionRefused, match="at least one award"):
        services.call_award(call=call, user=officer, awards=[])


def test_editing_a_draft_records_no_amendment(make_call, officer):
    call = make_call("draft")
    services.call_update(call=call, user=officer, fields={"title": "New title"})
    assert not Amendment.objects.filter(call=call).exists()


def test_editing_a_published_call_records_amendments(make_call, officer, sent_signals):
    call = make_call("published")
    old_deadline = call.tender_period_end
    new_deadline = old_deadline + timedelta(days=7)
    services.call_update(
        call=call,
        user=officer,
        fields={"title": "Gyrotron RF source, 2nd edition", "tender_period_end": new_deadline},
        additional_cpv=CPVCode.objects.filter(code="31711424"),
    )
    amendments = {a.field: a for a in Amendment.objects.filter(call=call)}
    assert set(amendments) == {"title", "tender_period_end", "additional_cpv"}
    assert amendments["title"].old_value == "Gyrotron RF source prototype"
    assert amendments["title"].new_value == "Gyrotron RF source, 2nd edition"
    assert amendments["title"].changed_by == officer
    assert amendments["additional_cpv"].new_value == "31711424"
    assert (signals.call_changed, {"call_id": call.pk}) in sent_signals


def test_awarded_call_cannot_be_edited(make_call, officer):
    call = make_call("awarded")
    with pytest.raises(services.CallActionRefused, match="no longer be edited"):
        services.call_update(call=call, user=officer, fields={"title": "x"})


def test_close_expired_calls_is_idempotent(make_call, officer, sent_signals):
    open_call = make_call("published")
    expired = expire(make_call("published", title="Expired"))
    draft = expire(make_call("draft", title="Old draft"))
    assert services.calls_close_expired() == 1
    assert services.calls_close_expired() == 0
    expired.refresh_from_db()
    open_call.refresh_from_db()
    draft.refresh_from_db()
    assert (expired.status, open_call.status, draft.status) == ("closed", "published", "draft")
    change = CallStatusChange.objects.filter(call=expired).last()
    assert change.changed_by is None and "deadline passed" in change.note
    closed = [kw["call_id"] for s, kw in sent_signals if s is signals.call_status_changed]
    assert closed == [expired.pk]


def test_close_expired_task_runs_the_service(make_call):
    from tenders.tasks import close_expired_calls

    call = expire(make_call("published"))
    assert close_expired_calls.delay().get() == 1
    call.refresh_from_db()
    assert call.status == Status.CLOSED


# --- clarifications ---------------------------------------------------------------------------


def test_question_notifies_the_officers_and_answer_notifies_the_asker(
    make_call, officer, sme_user, buyer
):
    call = make_call("published")
    q = services.clarification_ask(call=call, user=sme_user, question="Is the magnet included?")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [officer.email]
    assert "New question" in mail.outbox[0].subject
    assert "Is the magnet included?" in mail.outbox[0].body
    assert f"/calls/{call.pk}/questions/" in mail.outbox[0].body

    services.clarification_answer(clarification=q, user=officer, answer="Yes, it is.")
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == [sme_user.email]
    assert "was answered" in mail.outbox[1].subject
    assert "Yes, it is." in mail.outbox[1].body
    assert f"/calls/{call.pk}/" in mail.outbox[1].body
    q.refresh_from_db()
    assert q.is_answered and q.answered_by == officer


def test_question_after_the_clarification_deadline_is_refused(make_call, sme_user):
    call = make_call("published")
    ProcurementCall.objects.filter(pk=call.pk).update(
        enquiry_period_end=timezone.now() - timedelta(hours=1)
    )
    call.refresh_from_db()
    with pytest.raises(services.CallActionRefused, match="clarification deadline"):
        services.clarification_ask(call=call, user=sme_user, question="Too late?")
    assert not Clarification.objects.exists()
    assert mail.outbox == []


def test_question_on_a_draft_is_refused(make_call, sme_user):
    with pytest.raises(services.CallActionRefused, match="published call"):
        services.clarification_ask(call=make_call("draft"), user=sme_user, question="?")


# --- expressions of interest ------------------------------------------------------------------


def test_interest_submit_withdraw_and_again(make_call, company, sme_user):
    call = make_call("published")
    eoi = services.eoi_submit(
        call=call, organisation=company, user=sme_user, message="We can", partners="A\nB"
    )
    with pytest.raises(services.CallActionRefused, match="already expressed interest"):
        services.eoi_submit(call=call, organisation=company, user=sme_user)
    services.eoi_withdraw(eoi=eoi, user=sme_user)
    eoi.refresh_from_db()
    assert eoi.status == "withdrawn" and eoi.withdrawn_at is not None
    again = services.eoi_submit(call=call, organisation=company, user=sme_user, message="Back")
    assert again.pk == eoi.pk and again.status == "active"
    assert ExpressionOfInterest.objects.count() == 1


def test_interest_cannot_be_withdrawn_after_the_deadline(make_call, company, sme_user):
    call = make_call("published")
    eoi = services.eoi_submit(call=call, organisation=company, user=sme_user)
    expire(call)
    eoi.refresh_from_db()
    with pytest.raises(services.CallActionRefused, match="deadline has passed"):
        services.eoi_withdraw(eoi=eoi, user=sme_user)


def test_interest_on_a_closed_call_is_refused(make_call, company, sme_user):
    with pytest.raises(services.CallActionRefused, match="no longer accepts"):
        services.eoi_submit(call=make_call("closed"), organisation=company, user=sme_user)


def test_interest_only_for_companies(make_call, buyer, officer):
    with pytest.raises(services.CallActionRefused, match="Only companies"):
        services.eoi_submit(call=make_call("published"), organisation=buyer, user=officer)
