"""Calls written from notices through ``tenders.services.imports``: created with their history,
updated field by field (amendments on a published call), moved through the transition table
(a notice cannot do what an officer could not), reopened by a corrigendum."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tenders import services, signals
from tenders.models import Amendment, CallStatusChange, ProcurementCall
from tests.factories import ProcurementCallFactory

pytestmark = pytest.mark.django_db
Status = ProcurementCall.Status
DEADLINE = timezone.now().replace(microsecond=0) + timedelta(days=30)


def notice(buyer, status=Status.PUBLISHED, **values):
    return services.NoticeCall(
        source="ted",
        source_id="089010-2021",
        status=status,
        note="TED notice 089010-2021",
        values={
            "buyer_id": buyer.pk,
            "title": "Gyrotrons",
            "tender_period_end": DEADLINE,
            **values,
        },
        main_cpv="31711420",
        additional_cpv=["31711424"],
        lots=[
            {
                "number": "1",
                "title": "Tube",
                "description": "",
                "value_amount": None,
                "cpv_codes": [],
            }
        ],
    )


def _history(call):
    return list(CallStatusChange.objects.filter(call=call).values_list("from_status", "to_status"))


def test_a_new_call_is_created_with_its_history_lots_and_codes(buyer):
    result = services.call_import(call=None, notice=notice(buyer))
    call = result.call
    assert (result.action, result.became_published) == ("created", True)
    assert (call.source, call.source_id, call.status) == ("ted", "089010-2021", "published")
    assert call.cpv_codes == ["31711420", "31711424"]
    assert list(call.lots.values_list("number", "title")) == [("1", "Tube")]
    assert _history(call) == [("", "published")]


def test_the_same_notice_again_changes_nothing(buyer):
    call = services.call_import(call=None, notice=notice(buyer)).call
    stamp = ProcurementCall.objects.get(pk=call.pk).updated_at
    again = services.call_import(call=call, notice=notice(buyer))
    assert again.action == "unchanged" and not again.became_published
    assert ProcurementCall.objects.get(pk=call.pk).updated_at == stamp
    assert not Amendment.objects.exists()


def test_a_changed_published_call_records_amendments(buyer, sent_signals):
    call = services.call_import(call=None, notice=notice(buyer)).call
    result = services.call_import(call=call, notice=notice(buyer, title="Gyrotrons (amended)"))
    assert result.action == "updated"
    (amendment,) = Amendment.objects.filter(call=call)
    assert (amendment.field, amendment.old_value, amendment.new_value) == (
        "title",
        "Gyrotrons",
        "Gyrotrons (amended)",
    )
    assert amendment.changed_by is None
    assert (signals.call_changed, {"call_id": call.pk}) in sent_signals


def test_an_award_moves_a_published_call_through_closed(buyer, sent_signals):
    call = services.call_import(call=None, notice=notice(buyer)).call
    result = services.call_import(call=call, notice=notice(buyer, status=Status.AWARDED))
    assert result.action == "updated"
    assert _history(call) == [("", "published"), ("published", "closed"), ("closed", "awarded")]
    statuses = [kw["status"] for s, kw in sent_signals if s is signals.call_status_changed]
    assert statuses == ["awarded"]


@pytest.mark.parametrize("status", [Status.CANCELLED, Status.AWARDED])
def test_a_cancelled_or_awarded_call_stays_so_and_the_outcome_says_why(buyer, status):
    call = ProcurementCallFactory(buyer=buyer, status=status, source="ted", source_id="089010-2021")
    result = services.call_import(call=call, notice=notice(buyer, status=Status.PUBLISHED))
    call.refresh_from_db()
    assert call.status == status
    assert result.notes == [f"the call stays {status} (the notice says published)"]
    assert not result.became_published


def test_a_corrigendum_that_moves_the_deadline_into_the_future_reopens_a_closed_call(buyer):
    past = timezone.now() - timedelta(days=1)
    call = services.call_import(
        call=None, notice=notice(buyer, status=Status.CLOSED, tender_period_end=past)
    ).call
    later = timezone.now() + timedelta(days=10)
    follow = services.NoticeCall(
        source="ted",
        source_id=call.source_id,
        status=Status.PUBLISHED,
        values={"tender_period_end": later},
        note="TED notice 119901-2023",
    )
    result = services.call_import(call=call, notice=follow)
    call.refresh_from_db()
    assert (call.status, call.tender_period_end) == ("published", later)
    assert result.became_published and _history(call)[-1] == ("closed", "published")
    assert Amendment.objects.get(call=call).field == "tender_period_end"


def test_announcing_tells_of_calls_still_published_only(buyer, sent_signals):
    published = services.call_import(call=None, notice=notice(buyer)).call
    closed = ProcurementCallFactory(buyer=buyer, status=Status.CLOSED)
    assert services.calls_announce(call_ids=[published.pk, closed.pk]) == [published.pk]
    assert [kw for s, kw in sent_signals if s is signals.call_published] == [
        {"call_id": published.pk}
    ]
