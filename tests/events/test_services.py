"""The writes of ``events.services``: registration, waiting list and promotion, reminders,
meeting requests, the scheduler's runs and moves by hand, outcomes; and how each refuses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from bigscience_portal.core.errors import ActionRefused
from bigscience_portal.core.models import MailDelivery
from events import emails, selectors, services
from events.models import Availability, Meeting, MeetingRequest, Registration
from tests.factories import (
    EventFactory,
    MeetingSessionFactory,
    OrganisationFactory,
    RegistrationFactory,
    UserFactory,
)

from .helpers import accept

pytestmark = pytest.mark.django_db


# --- registration and the waiting list --------------------------------------------------------


def test_capacity_fills_then_waitlists_in_order(event, member):
    event.capacity = 2
    event.save()
    regs = [services.registration_create(event=event, user=member()[0]) for _ in range(4)]
    assert [r.status for r in regs] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert [r.waitlist_position for r in regs[2:]] == [1, 2]


def test_cancellation_promotes_the_first_on_the_waiting_list_and_emails_them(
    event, member, django_capture_on_commit_callbacks
):
    event.capacity = 1
    event.save()
    first = services.registration_create(event=event, user=member()[0])
    second = services.registration_create(event=event, user=member()[0])
    third = services.registration_create(event=event, user=member()[0])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.registration_cancel(registration=first)
    assert promoted == second
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == Registration.Status.CONFIRMED and second.waitlist_position is None
    assert third.status == Registration.Status.WAITLISTED
    to_second = [m for m in mail.outbox if m.to == [second.user.email]]
    assert len(to_second) == 1
    assert "waiting list" in to_second[0].body
    assert event.get_absolute_url() in to_second[0].body
    assert to_second[0].attachments and to_second[0].attachments[0][0] == "event.ics"
    assert [m.to for m in mail.outbox if "cancelled" in m.subject.lower()] == [[first.user.email]]


def test_cancelling_a_waitlisted_registration_promotes_nobody(event, member):
    event.capacity = 1
    event.save()
    services.registration_create(event=event, user=member()[0])
    waiting = services.registration_create(event=event, user=member()[0])
    assert services.registration_cancel(registration=waiting) is None


def test_a_cancelled_registration_cannot_be_cancelled_again(event):
    registration = RegistrationFactory(event=event)
    services.registration_cancel(registration=registration)
    with pytest.raises(ActionRefused, match="already cancelled"):
        services.registration_cancel(registration=registration)


def test_cannot_register_twice_or_for_someone_elses_organisation(event, member):
    user, org = member()
    services.registration_create(event=event, user=user, organisation=org)
    with pytest.raises(ActionRefused, match="already registered"):
        services.registration_create(event=event, user=user)
    stranger_org = OrganisationFactory()
    with pytest.raises(ActionRefused, match="your own organisations"):
        services.registration_create(event=event, user=UserFactory(), organisation=stranger_org)


def test_registration_closed_outside_the_window(organiser_org):
    ev = EventFactory(
        organisers=[organiser_org], registration_closes_at=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(ActionRefused, match="not open"):
        services.registration_create(event=ev, user=UserFactory())


def test_raising_the_capacity_promotes_from_the_waiting_list(event, organiser, member):
    event.capacity = 1
    event.save()
    regs = [services.registration_create(event=event, user=member()[0]) for _ in range(4)]
    event.capacity = 3
    services.event_save(event=event, organisers=event.organisers.all(), user=organiser)
    statuses = [Registration.objects.get(pk=r.pk).status for r in regs]
    assert statuses == ["confirmed", "confirmed", "confirmed", "waitlisted"]


def test_event_save_refuses_an_event_that_ends_before_it_starts(event, organiser):
    event.ends_at = event.starts_at - timedelta(hours=1)
    with pytest.raises(ActionRefused) as refused:
        services.event_save(event=event, organisers=event.organisers.all(), user=organiser)
    assert refused.value.errors["ends_at"] == ["The event cannot end before it starts."]


def test_a_new_event_gets_a_free_slug(organiser, organiser_org):
    taken = EventFactory(title="Cryo day", slug="cryo-day")
    new = EventFactory.build(title="Cryo day", slug="")
    saved = services.event_save(event=new, organisers=[organiser_org], user=organiser)
    assert saved.slug == "cryo-day-2" != taken.slug
    assert saved.created_by == organiser


# --- reminders --------------------------------------------------------------------------------


def _due_registrations(organiser_org, n=3):
    soon = EventFactory(organisers=[organiser_org], starts_at=timezone.now() + timedelta(hours=20))
    return [RegistrationFactory(event=soon) for _ in range(n)]


def test_a_failure_part_way_keeps_the_marks_of_the_reminders_already_written(
    organiser_org, monkeypatch, django_capture_on_commit_callbacks
):
    """Each registration's reminder and its mark are one transaction: the reminders written
    before a failure keep their mark (and leave), the failed one is retried by the next run,
    and nobody is reminded twice."""
    regs = _due_registrations(organiser_org)
    real = emails.event_reminder

    def fails_for_the_second(registration):
        if registration.pk == regs[1].pk:
            raise ConnectionError("the database went away")
        real(registration)

    monkeypatch.setattr(emails, "event_reminder", fails_for_the_second)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send() == 2
    marked = {r.pk for r in Registration.objects.filter(reminder_sent_at__isnull=False)}
    assert marked == {regs[0].pk, regs[2].pk}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([regs[0].user.email, regs[2].user.email])

    monkeypatch.setattr(emails, "event_reminder", real)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send() == 1  # the next run: only the one that failed
        assert services.reminders_send() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.user.email for r in regs)
    assert MailDelivery.objects.filter(key__startswith="events.reminder:").count() == 3


def test_a_reminder_whose_mark_was_lost_is_not_mailed_twice(
    organiser_org, django_capture_on_commit_callbacks
):
    (registration,) = _due_registrations(organiser_org, n=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send()
        Registration.objects.filter(pk=registration.pk).update(reminder_sent_at=None)
        services.reminders_send()  # the occasion's delivery exists: nothing new to send
    assert len(mail.outbox) == 1


# --- B2B: requests ----------------------------------------------------------------------------


def test_duplicate_request_refused(people):
    a, b = people[:2]
    services.meeting_request_create(requester=a, recipient=b)
    with pytest.raises(ActionRefused, match="already"):
        services.meeting_request_create(requester=b, recipient=a)


def test_a_request_is_answered_once_and_closed_once(people):
    a, b = people[:2]
    req = accept(a, b)
    with pytest.raises(ActionRefused, match="already been answered"):
        services.meeting_request_decide(request=req, accept=False)
    services.meeting_request_cancel(request=req)
    with pytest.raises(ActionRefused, match="already closed"):
        services.meeting_request_cancel(request=req)


def test_only_confirmed_participants_publish_opportunities(brokerage):
    waiting = RegistrationFactory(event=brokerage, status=Registration.Status.WAITLISTED)
    with pytest.raises(ActionRefused, match="Only confirmed participants"):
        services.opportunity_create(
            registration=waiting, kind="technology_offer", title="Valves", description="Cryo"
        )


def test_cancelled_registration_cancels_its_meetings(people):
    a, b = people[:2]
    req = accept(a, b)
    services.schedule_run(event=a.event)
    services.registration_cancel(registration=a)
    req.refresh_from_db()
    assert req.status == MeetingRequest.Status.CANCELLED
    assert not Meeting.objects.filter(request=req).exists()


# --- B2B: scheduling --------------------------------------------------------------------------


def test_scheduler_run_stores_placements_and_the_reasons_of_the_unplaced(people):
    a, b, c, d = people
    ev = a.event
    accept(a, b)
    accept(a, c)
    Availability.objects.filter(registration=d).delete()  # d is never available
    unplaceable = accept(c, d)
    result = services.schedule_run(event=ev)
    assert len(result.placements) == 2
    meetings = list(Meeting.objects.filter(event=ev))
    assert len(meetings) == 2
    assert meetings[0].starts_at != meetings[1].starts_at  # a cannot be in two at once
    ev.brokerage.refresh_from_db()
    (unplaced,) = ev.brokerage.unplaced
    assert unplaced["request_id"] == unplaceable.pk
    assert unplaced["reason"] == "no_common_session"


def test_a_scheduler_that_cannot_run_refuses_in_words(people):
    a, b = people[:2]
    accept(a, b)
    session = a.event.meeting_sessions.get()  # sessions entered through the admin may overlap
    MeetingSessionFactory(event=a.event, starts_at=session.starts_at, ends_at=session.ends_at)
    with pytest.raises(ActionRefused, match=r"The scheduler could not run: .*overlap"):
        services.schedule_run(event=a.event)


def test_rerun_keeps_locked_meetings_where_they_are(people):
    a, b, c, _d = people
    ev = a.event
    ab = accept(a, b)
    services.schedule_run(event=ev)
    # the organiser moves a-b to the second slot, table 2 (and that locks it)
    slots = selectors.meeting_slots(event=ev)
    moved = services.meeting_move(event=ev, request=ab, slot_id=slots[1].id, table=2)
    assert moved.locked and moved.slot_id == slots[1].id and moved.table == 2
    accept(a, c)
    services.schedule_run(event=ev)
    kept = Meeting.objects.get(request=ab)
    assert (kept.slot_id, kept.table, kept.locked) == (slots[1].id, 2, True)
    assert Meeting.objects.filter(event=ev).count() == 2


def test_manual_move_with_a_clash_is_refused_with_every_clash(people):
    a, b, c, d = people
    ev = a.event
    ab = accept(a, b)
    cd = accept(c, d)
    ac = accept(a, c)
    services.schedule_run(event=ev)
    target = Meeting.objects.get(request=ab)
    # a-c into a-b's slot: a is busy there
    with pytest.raises(ActionRefused) as refused:
        services.meeting_move(event=ev, request=ac, slot_id=target.slot_id, table=2)
    assert refused.value.code == "clash"
    assert f"{a.display_name} already has a meeting in that slot." in refused.value.message
    # c-d onto a-b's table in its slot
    with pytest.raises(ActionRefused, match=f"Table {target.table} is already used"):
        services.meeting_move(event=ev, request=cd, slot_id=target.slot_id, table=target.table)
    assert Meeting.objects.get(request=cd).locked is False  # nothing moved


def test_only_accepted_meetings_move(people):
    a, b = people[:2]
    req = services.meeting_request_create(requester=a, recipient=b)
    slot = selectors.meeting_slots(event=a.event)[0]
    with pytest.raises(ActionRefused, match="Only accepted meetings"):
        services.meeting_move(event=a.event, request=req, slot_id=slot.id, table=1)


# --- after the event --------------------------------------------------------------------------


def test_outcomes_wait_for_the_event_and_belong_to_the_two_sides(people):
    a, b, c, d = people
    ev = a.event
    accept(a, b)
    accept(c, d)
    services.schedule_run(event=ev)
    ab = Meeting.objects.get(request__requester=a)
    with pytest.raises(ActionRefused, match="once the event has started"):
        services.outcome_record(meeting=ab, registration=a, outcome="no_follow_up")
    ev.starts_at = timezone.now() - timedelta(hours=1)
    ev.save()
    ab.refresh_from_db()
    assert services.outcome_record(meeting=ab, registration=a, outcome="agreement_reached")
    cd = Meeting.objects.get(request__requester=c)
    # a participant cannot record for a meeting that is not theirs
    with pytest.raises(ActionRefused, match="own meetings"):
        services.outcome_record(meeting=cd, registration=a, outcome="no_follow_up")
    with pytest.raises(ActionRefused, match="Unknown outcome"):
        services.outcome_record(meeting=ab, registration=a, outcome="married")
