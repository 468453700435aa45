"""Registration, waiting list and promotion, e-mails with .ics, cancellation, reminders, export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, timedelta

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from events import services
from events.models import Registration, RegistrationQuestion
from events.tasks import send_event_reminders
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

from .conftest import EventFactory

pytestmark = pytest.mark.django_db


def _member():
    org = OrganisationFactory()
    return MembershipFactory(organisation=org).user, org


def test_capacity_fills_then_waitlists_in_order(event):
    event.capacity = 2
    event.save()
    regs = [services.registration_create(event=event, user=_member()[0]) for _ in range(4)]
    assert [r.status for r in regs] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert [r.waitlist_position for r in regs[2:]] == [1, 2]


def test_cancellation_promotes_the_first_on_the_waiting_list_and_emails_them(
    event, django_capture_on_commit_callbacks
):
    event.capacity = 1
    event.save()
    first = services.registration_create(event=event, user=_member()[0])
    second = services.registration_create(event=event, user=_member()[0])
    third = services.registration_create(event=event, user=_member()[0])
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


def test_cancelling_a_waitlisted_registration_promotes_nobody(event):
    event.capacity = 1
    event.save()
    services.registration_create(event=event, user=_member()[0])
    waiting = services.registration_create(event=event, user=_member()[0])
    assert services.registration_cancel(registration=waiting) is None


def test_confirmation_email_carries_an_ics_in_utc(event, django_capture_on_commit_callbacks):
    user, org = _member()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(event=event, user=user, organisation=org)
    (message,) = mail.outbox
    assert message.to == [user.email]
    assert "confirmed" in message.subject.lower()
    assert event.get_absolute_url() in message.body
    name, content, mimetype = message.attachments[0]
    content = content.encode() if isinstance(content, str) else content
    assert name == "event.ics" and mimetype.startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(content)
    (vevent,) = cal.walk("VEVENT")
    assert vevent.decoded("dtstart") == event.starts_at.astimezone(UTC).replace(microsecond=0)
    assert vevent.decoded("dtstart").utcoffset() == timedelta(0)
    assert vevent.decoded("dtend") == event.ends_at.astimezone(UTC).replace(microsecond=0)
    assert b"DTSTART:" in content and b"Z\r\n" in content  # written as UTC ("Z"), no TZID


def test_waitlisted_email_says_so(event, django_capture_on_commit_callbacks):
    event.capacity = 1
    event.save()
    services.registration_create(event=event, user=_member()[0])
    user = _member()[0]
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(event=event, user=user)
    (message,) = mail.outbox
    assert "waiting list" in message.subject.lower()
    assert "position 1" in message.body


def test_cannot_register_twice_or_for_someone_elses_organisation(event):
    user, org = _member()
    services.registration_create(event=event, user=user, organisation=org)
    with pytest.raises(ValidationError):
        services.registration_create(event=event, user=user)
    stranger_org = OrganisationFactory()
    with pytest.raises(PermissionDenied):
        services.registration_create(event=event, user=UserFactory(), organisation=stranger_org)


def test_registration_closed_outside_the_window(organiser_org):
    ev = EventFactory(
        organisers=[organiser_org], registration_closes_at=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(ValidationError):
        services.registration_create(event=ev, user=UserFactory())


def test_register_page_with_extra_questions(client, event):
    q_required = RegistrationQuestion.objects.create(
        event=event, text="Which facility interests you?", required=True
    )
    user, org = _member()
    client.force_login(user)
    url = reverse("events:event_register", kwargs={"slug": event.slug})
    page = client.get(url).content.decode()
    assert "Which facility interests you?" in page and org.name in page
    response = client.post(url, {"organisation": org.pk})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert 'aria-describedby="id_q_' in response.content.decode()
    response = client.post(url, {"organisation": org.pk, f"q_{q_required.pk}": "The tokamak"})
    assert response.status_code == 302
    reg = Registration.objects.get(event=event, user=user)
    assert reg.organisation == org
    assert reg.answers.get().answer == "The tokamak"


def test_register_as_individual(client, event):
    user = UserFactory()
    client.force_login(user)
    url = reverse("events:event_register", kwargs={"slug": event.slug})
    assert client.post(url, {"organisation": ""}).status_code == 302
    assert Registration.objects.get(event=event, user=user).organisation is None


def test_cancel_has_a_confirmation_step(client, event):
    user = UserFactory()
    reg = services.registration_create(event=event, user=user)
    client.force_login(user)
    url = reverse("events:registration_cancel", kwargs={"slug": event.slug})
    assert "Yes, cancel my registration" in client.get(url).content.decode()
    reg.refresh_from_db()
    assert reg.status == Registration.Status.CONFIRMED  # GET changes nothing
    client.post(url)
    reg.refresh_from_db()
    assert reg.status == Registration.Status.CANCELLED
    # and they may register again
    assert services.registration_create(event=event, user=user).status == "confirmed"


def test_reminders_are_sent_once_the_day_before(organiser_org, django_capture_on_commit_callbacks):
    soon = EventFactory(organisers=[organiser_org], starts_at=timezone.now() + timedelta(hours=20))
    later = EventFactory(organisers=[organiser_org], starts_at=timezone.now() + timedelta(days=5))
    a = services.registration_create(event=soon, user=_member()[0])
    services.registration_create(event=later, user=_member()[0])
    cancelled = services.registration_create(event=soon, user=_member()[0])
    services.registration_cancel(registration=cancelled)
    mail.outbox.clear()
    assert send_event_reminders.delay().get() == 1
    assert [m.to for m in mail.outbox] == [[a.user.email]]
    assert soon.get_absolute_url() in mail.outbox[0].body
    assert send_event_reminders.delay().get() == 0  # rerun: nothing sent twice
    assert len(mail.outbox) == 1


def test_beat_schedule_names_the_reminder_task():
    from django.conf import settings

    tasks = {v["task"] for v in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "events.send_event_reminders" in tasks


@pytest.fixture
def crowded(event):
    q = RegistrationQuestion.objects.create(event=event, text="Dietary needs")
    evil_user, evil_org = _member()
    evil_org.name = '=HYPERLINK("http://evil.example")'
    evil_org.save()
    evil = services.registration_create(
        event=event, user=evil_user, organisation=evil_org, answers={q.pk: "+1+2"}
    )
    plain_user, plain_org = _member()
    services.registration_create(event=event, user=plain_user, organisation=plain_org)
    return event, evil, plain_user


def test_export_csv_escapes_formulas(client, organiser, crowded):
    event, evil, plain_user = crowded
    client.force_login(organiser)
    url = reverse("events:participant_export", kwargs={"slug": event.slug})
    response = client.get(url, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Name", "E-mail", "Organisation"] and rows[0][-1] == "Dietary needs"
    by_email = {r[1]: r for r in rows[1:]}
    assert by_email[evil.user.email][2] == '\'=HYPERLINK("http://evil.example")'
    assert by_email[evil.user.email][-1] == "'+1+2"
    assert plain_user.email in by_email


def test_export_xlsx_escapes_formulas_and_follows_the_filter(client, organiser, crowded):
    event, evil, _plain = crowded
    client.force_login(organiser)
    url = reverse("events:participant_export", kwargs={"slug": event.slug})
    response = client.get(url, {"format": "xlsx", "q": evil.user.email})
    ws = load_workbook(io.BytesIO(response.content)).active
    values = list(ws.values)
    assert len(values) == 2  # header + the one filtered participant
    assert values[1][2] == '\'=HYPERLINK("http://evil.example")'
    assert all(not str(v).startswith("=") for row in values for v in row if v)


def test_participant_list_filters_by_status(client, organiser, event):
    event.capacity = 1
    event.save()
    confirmed = services.registration_create(event=event, user=_member()[0])
    waiting = services.registration_create(event=event, user=_member()[0])
    client.force_login(organiser)
    url = reverse("events:participant_list", kwargs={"slug": event.slug})
    body = client.get(url, {"status": "waitlisted"}).content.decode()
    assert waiting.user.email in body and confirmed.user.email not in body


def test_raising_the_capacity_promotes_from_the_waiting_list(event, organiser):
    event.capacity = 1
    event.save()
    regs = [services.registration_create(event=event, user=_member()[0]) for _ in range(4)]
    event.capacity = 3
    services.event_save(event=event, organisers=event.organisers.all(), user=organiser)
    statuses = [Registration.objects.get(pk=r.pk).status for r in regs]
    assert statuses == ["confirmed", "confirmed", "confirmed", "waitlisted"]


def test_waiting_list_rank_moves_up_after_a_promotion(client, event):
    event.capacity = 1
    event.save()
    first = services.registration_create(event=event, user=_member()[0])
    services.registration_create(event=event, user=_member()[0])
    third = services.registration_create(event=event, user=_member()[0])
    client.force_login(third.user)
    assert (
        "You are number 2 on the waiting list."
        in client.get(event.get_absolute_url()).content.decode()
    )
    services.registration_cancel(registration=first)
    assert (
        "You are number 1 on the waiting list."
        in client.get(event.get_absolute_url()).content.decode()
    )
