"""``events.tasks``: the periodic reminder scan (its mails are sent by ``core.send_mail``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from bigscience_portal.core.models import MailDelivery
from events import services
from events.tasks import send_event_reminders
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_reminders_are_sent_once_the_day_before(
    organiser_org, member, django_capture_on_commit_callbacks
):
    soon = EventFactory(organisers=[organiser_org], starts_at=timezone.now() + timedelta(hours=20))
    later = EventFactory(organisers=[organiser_org], starts_at=timezone.now() + timedelta(days=5))
    a = services.registration_create(event=soon, user=member()[0])
    services.registration_create(event=later, user=member()[0])
    cancelled = services.registration_create(event=soon, user=member()[0])
    services.registration_cancel(registration=cancelled)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_event_reminders.delay().get() == 1
    assert [m.to for m in mail.outbox] == [[a.user.email]]
    assert soon.get_absolute_url() in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert send_event_reminders.delay().get() == 0  # rerun: nothing sent twice
    assert len(mail.outbox) == 1
    reminder = MailDelivery.objects.get(key__startswith="events.reminder:")
    assert reminder.status == MailDelivery.Status.SUCCEEDED and reminder.user == a.user


def test_beat_schedule_names_the_reminder_task():
    from django.conf import settings

    tasks = {v["task"] for v in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "events.send_event_reminders" in tasks


def test_the_reminder_scan_is_the_only_task_of_the_app():
    """Each mail is a delivery record sent by core's task, not a task of its own."""
    from bigscience_portal.celery import app

    assert sorted(n for n in app.tasks if n.startswith("events.")) == [
        "events.send_event_reminders"
    ]
