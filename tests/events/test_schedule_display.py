"""``events.schedule_display``: the scheduler's codes in words for the organiser."""

from __future__ import annotations

import pytest

from events import scheduler
from events.schedule_display import clash_text, reason_text, still_to_place
from tests.factories import MeetingFactory, MeetingRequestFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def test_every_reason_of_the_scheduler_has_words():
    for reason in scheduler.Reason:
        text = reason_text(str(reason), "meeting 12 between 3 and 4")
        assert "meeting 12" not in text or reason == scheduler.Reason.LOCKED_INVALID
    assert reason_text("locked_invalid", "slot gone") == (
        "Its locked place is no longer possible (slot gone)."
    )
    assert reason_text("something_new", "as the scheduler said") == "as the scheduler said"


def test_a_clash_names_the_person_or_the_table(brokerage):
    request = MeetingRequestFactory(requester=ParticipantFactory(event=brokerage))
    busy = scheduler.Clash(
        scheduler.ClashCode.PARTICIPANT_BUSY, "ids", participant_id=request.recipient_id
    )
    assert clash_text(busy, request, 2) == (
        f"{request.recipient.display_name} already has a meeting in that slot."
    )
    taken = scheduler.Clash(scheduler.ClashCode.TABLE_TAKEN, "ids")
    assert clash_text(taken, request, 2) == "Table 2 is already used in that slot."
    for code in scheduler.ClashCode:
        assert clash_text(scheduler.Clash(code, "ids"), request, 1) != "ids"


def test_still_to_place_splits_the_unplaced_from_the_new(brokerage):
    placed = MeetingFactory(request__requester=ParticipantFactory(event=brokerage))
    left_out = MeetingRequestFactory(
        requester=ParticipantFactory(event=brokerage), status="accepted"
    )
    new = MeetingRequestFactory(requester=ParticipantFactory(event=brokerage), status="accepted")
    brokerage.brokerage.unplaced = [
        {"request_id": left_out.pk, "reason": "tables_full", "message": "m"}
    ]
    accepted = {r.pk: r for r in (placed.request, left_out, new)}
    unplaced, not_yet_run = still_to_place(brokerage.brokerage, accepted, [placed])
    assert [(u["request"], u["text"]) for u in unplaced] == [
        (left_out, "All tables are taken in the slots in which both are free.")
    ]
    assert not_yet_run == [new]
