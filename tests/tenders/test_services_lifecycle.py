"""A call's life through ``tenders.services.lifecycle``: posting (a draft with its history),
publishing, closing, awarding, cancelling, the transition table, amendments, the closing task's
service."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bigscience_portal.core.errors import ActionRefused
from organisations.models import CPVCode
from tenders import services, signals
from tenders.models import Amendment, CallStatusChange, ProcurementCall
from tests.factories import ProcurementCallFactory

from .conftest import expire

pytestmark = pytest.mark.django_db
Status = ProcurementCall.Status


def _posted(buyer, officer, **fields):
    """A draft posted by the officer through the service (with its history)."""
    data = {
        "title": "Gyrotron RF source prototype",
        "main_cpv": CPVCode.objects.get(code="31711420"),
        "tender_period_end": timezone.now() + timedelta(days=20),
        **fields,
    }
    return services.call_create(user=officer, buyer=buyer, fields=data)


def _history(call):
    return list(CallStatusChange.objects.filter(call=call).values_list("from_status", "to_status"))


def test_create_records_the_draft(buyer, officer):
    call = _posted(buyer, officer)
    assert call.status == Status.DRAFT
    assert call.contact == officer
    assert _history(call) == [("", "draft")]


def test_publish_records_the_change_and_sends_the_signal(buyer, officer, sent_signals):
    call = ProcurementCallFactory(buyer=buyer, status="draft")
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


def test_publish_refuses_a_passed_deadline(buyer, officer):
    call = expire(ProcurementCallFactory(buyer=buyer, status="draft"))
    with pytest.raises(ActionRefused, match="deadline has passed"):
        services.call_publish(call=call, user=officer)
    call.refresh_from_db()
    assert call.status == Status.DRAFT


def test_full_lifecycle_to_awarded(buyer, officer, company, sent_signals):
    call = _posted(buyer, officer)
    services.call_publish(call=call, user=officer)
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
def test_invalid_transitions_are_refused_with_a_message(buyer, officer, status, service, message):
    call = ProcurementCallFactory(buyer=buyer, status=status)
    before = _history(call)
    kwargs = {"call": call, "user": officer}
    if service == "call_award":
        kwargs["awards"] = [services.AwardInput(None, "X", None, "EUR", None)]
    with pytest.raises(ActionRefused, match=message):
        getattr(services, service)(**kwargs)
    call.refresh_from_db()
    assert call.status == status
    assert _history(call) == before


@pytest.mark.parametrize("status", ["draft", "published", "closed"])
def test_cancel_from_draft_published_closed(buyer, officer, status):
    call = ProcurementCallFactory(buyer=buyer, status=status)
    services.call_cancel(call=call, user=officer, note="Budget withdrawn")
    call.refresh_from_db()
    assert call.status == Status.CANCELLED
    assert CallStatusChange.objects.filter(call=call).last().note == "Budget withdrawn"


def test_award_needs_at_least_one_award(buyer, officer):
    call = ProcurementCallFactory(buyer=buyer, status="closed")
    with pytest.raises(ActionRefused, match="at least one award"):
        services.call_award(call=call, user=officer, awards=[])


def test_editing_a_draft_records_no_amendment(buyer, officer):
    call = ProcurementCallFactory(buyer=buyer, status="draft")
    services.call_update(call=call, user=officer, fields={"title": "New title"})
    assert not Amendment.objects.filter(call=call).exists()


def test_editing_a_published_call_records_amendments(buyer, officer, sent_signals):
    call = ProcurementCallFactory(buyer=buyer, status="published")
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


def test_awarded_call_cannot_be_edited(buyer, officer):
    call = ProcurementCallFactory(buyer=buyer, status="awarded")
    with pytest.raises(ActionRefused, match="no longer be edited"):
        services.call_update(call=call, user=officer, fields={"title": "x"})


def test_close_expired_calls_is_idempotent(buyer, officer, sent_signals):
    open_call = ProcurementCallFactory(buyer=buyer, status="published")
    expired = expire(ProcurementCallFactory(buyer=buyer, status="published", title="Expired"))
    draft = expire(ProcurementCallFactory(buyer=buyer, status="draft", title="Old draft"))
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


def test_the_buyer_must_be_an_infrastructure(company, officer):
    with pytest.raises(ActionRefused, match="research infrastructure"):
        _posted(company, officer)


def test_invalid_content_is_refused_field_by_field(buyer, officer):
    with pytest.raises(ActionRefused) as refused:
        _posted(buyer, officer, reference="x" * 101)
    assert "reference" in refused.value.errors
    assert not ProcurementCall.objects.exists()


# --- the value band and the eligible countries' presets ---------------------------------------


def test_the_band_is_derived_from_the_value(buyer, officer):
    from decimal import Decimal

    call = _posted(buyer, officer, value_amount=Decimal("2000000"), value_currency="EUR")
    assert call.value_band == "B"
    services.call_update(
        call=call, user=officer, fields={"value_amount": Decimal("12000000"), "value_band": ""}
    )
    call.refresh_from_db()
    assert call.value_band == "D"


def test_a_band_that_contradicts_the_value_is_refused_on_its_field(buyer, officer):
    from decimal import Decimal

    with pytest.raises(ActionRefused) as refused:
        _posted(
            buyer, officer, value_amount=Decimal("2000000"), value_currency="EUR", value_band="D"
        )
    assert refused.value.field == "value_band"
    assert "band B, not D" in refused.value.message
    assert not ProcurementCall.objects.exists()


def test_a_band_alone_stands_when_there_is_no_value(buyer, officer):
    assert _posted(buyer, officer, value_band="C").value_band == "C"


def test_the_buyers_preset_gives_its_member_states(buyer, officer):
    buyer.member_states = ["FR", "DE", "ES"]
    buyer.save()
    call = services.call_create(
        user=officer,
        buyer=buyer,
        fields={"title": "Magnets", "eligible_countries": ["US"]},
        country_preset="buyer",
    )
    call.refresh_from_db()
    assert sorted(str(c) for c in call.eligible_countries) == ["DE", "ES", "FR"]


def test_publish_problems_lists_what_blocks_publishing(buyer, officer):
    call = services.call_create(user=officer, buyer=buyer, fields={"title": "Magnets"})
    problems = services.publish_problems(call)
    assert problems == ["The call cannot be published without: main CPV code, submission deadline."]
    assert services.publish_problems(_posted(buyer, officer)) == []
