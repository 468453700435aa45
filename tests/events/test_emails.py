"""The e-mails of ``events.emails``: what each says, and that each is a delivery record written
with the change, sent once, never again by a rerun or a retry, and none lost by a failure."""

from __future__ import annotations

from datetime import UTC, timedelta

import icalendar
import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings

from bigscience_portal.core import records
from bigscience_portal.core.dates import when
from bigscience_portal.core.errors import ActionRefused
from bigscience_portal.core.models import MailDelivery
from bigscience_portal.core.tasks import send_mail
from events import services
from events.models import BrokerageSettings
from tests.core.test_records import FailAfter  # the mail server that fails after three
from tests.factories import MeetingFactory, OrganisationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db
Status = MailDelivery.Status


def test_confirmation_email_carries_an_ics_in_utc(
    event, member, django_capture_on_commit_callbacks
):
    user, org = member()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(event=event, user=user, organisation=org)
    (message,) = mail.outbox
    assert message.to == [user.email]
    assert "confirmed" in message.subject.lower()
    assert event.get_absolute_url() in message.body
    # the start as every page shows it: the locale's format in the event's zone, with its abbreviation
    assert when(event.starts_at, event.time_zone) in message.body
    name, content, mimetype = message.attachments[0]
    content = content.encode() if isinstance(content, str) else content
    assert name == "event.ics" and mimetype.startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(content)
    (vevent,) = cal.walk("VEVENT")
    assert vevent.decoded("dtstart") == event.starts_at.astimezone(UTC).replace(microsecond=0)
    assert vevent.decoded("dtstart").utcoffset() == timedelta(0)
    assert vevent.decoded("dtend") == event.ends_at.astimezone(UTC).replace(microsecond=0)
    assert b"DTSTART:" in content and b"Z\r\n" in content  # written as UTC ("Z"), no TZID
    # the delivery is linked to the account it was sent to
    assert MailDelivery.objects.get().user == user


def test_waitlisted_email_says_so(event, member, django_capture_on_commit_callbacks):
    event.capacity = 1
    event.save()
    services.registration_create(event=event, user=member()[0])
    user = member()[0]
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(event=event, user=user)
    (message,) = mail.outbox
    assert "waiting list" in message.subject.lower()
    assert "position 1" in message.body


def test_nothing_is_mailed_when_the_registration_rolls_back(event, member):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.registration_create(event=event, user=member()[0])
        raise RuntimeError("the request failed after the registration")
    assert not MailDelivery.objects.exists()


@pytest.fixture
def pair(brokerage):
    return [
        ParticipantFactory(event=brokerage, organisation=OrganisationFactory(name=f"{n} ApS"))
        for n in ("Alpha", "Beta")
    ]


def test_request_and_answer_tell_both_sides_by_email(pair, django_capture_on_commit_callbacks):
    a, b = pair
    with django_capture_on_commit_callbacks(execute=True):
        req = services.meeting_request_create(requester=a, recipient=b, message="Magnets?")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.user.email, b.user.email])
    to_b = next(m for m in mail.outbox if m.to == [b.user.email])
    assert "Magnets?" in to_b.body and "/b2b/requests/" in to_b.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_request_decide(request=req, accept=False)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.user.email, b.user.email])
    assert all("declined" in m.subject for m in mail.outbox)


# --- the schedule's publication: one delivery per participant, never twice --------------------


@pytest.fixture
def five(brokerage):
    """Five confirmed participants, two of them with a placed meeting."""
    regs = [ParticipantFactory(event=brokerage) for _ in range(5)]
    MeetingFactory(request__requester=regs[0], request__recipient=regs[1])
    return regs


def _publication_mails():
    return MailDelivery.objects.filter(key__startswith="events.schedule_published:")


def test_publishing_queues_one_delivery_per_participant_with_their_meetings(
    brokerage, five, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_publish(event=brokerage)
    assert sorted(d.to for d in _publication_mails()) == sorted(r.user.email for r in five)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.user.email for r in five)
    body = {m.to[0]: m.body for m in mail.outbox}
    assert "you have 1 meeting(s)" in body[five[0].user.email]
    assert "you have 0 meeting(s)" in body[five[4].user.email]


def test_schedule_publication_notify_run_twice_mails_nobody_twice(
    brokerage, five, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_publish(event=brokerage)
        services.schedule_publication_notify(event=brokerage)  # a retry, a second worker...
    assert len(mail.outbox) == 5
    assert _publication_mails().count() == 5


def test_a_task_retried_after_sending_sends_nothing_again(
    brokerage, five, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_publish(event=brokerage)
    assert len(mail.outbox) == 5
    for delivery in _publication_mails():  # each send task delivered again (acks_late)
        assert send_mail.apply(args=[delivery.pk]).get() is False
    assert len(mail.outbox) == 5


def test_publishing_again_tells_everyone_again(brokerage, five, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_publish(event=brokerage)
        services.schedule_publish(event=brokerage)
    assert len(mail.outbox) == 10


def test_notify_refuses_an_unpublished_schedule(brokerage):
    with pytest.raises(ActionRefused, match="not published"):
        services.schedule_publication_notify(event=brokerage)


def test_a_failure_after_the_third_of_five_mails_leaves_three_sent_and_the_retry_sends_two(
    brokerage, five
):
    services.schedule_publish(event=brokerage)  # the deliveries wait for the workers
    deliveries = list(_publication_mails().order_by("pk"))
    assert len(deliveries) == 5 and not mail.outbox
    FailAfter.sent = []

    def each_as_a_worker():
        """One attempt at every delivery, as workers make it: the task's body; a failure marks
        the record retrying (the task's ``on_retry``), to be tried again later."""
        for delivery in deliveries:
            try:
                send_mail.run(delivery.pk)
            except ConnectionError as exc:
                records.mark(MailDelivery, delivery.pk, status=Status.RETRYING, error=str(exc))

    with override_settings(EMAIL_BACKEND="tests.core.test_records.FailAfter"):
        each_as_a_worker()
        assert len(FailAfter.sent) == 3
        assert _publication_mails().filter(status=Status.SUCCEEDED).count() == 3
        left = _publication_mails().exclude(status=Status.SUCCEEDED)
        assert left.count() == 2 and {d.status for d in left} == {Status.RETRYING}
        FailAfter.limit = 10  # the server is back: the retry sends the other two, only them
        try:
            each_as_a_worker()
        finally:
            FailAfter.limit = 3
    assert sorted(m.to[0] for m in FailAfter.sent) == sorted(r.user.email for r in five)
    assert _publication_mails().filter(status=Status.SUCCEEDED).count() == 5
    assert BrokerageSettings.objects.get(event=brokerage).is_published
