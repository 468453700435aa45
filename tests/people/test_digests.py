"""The daily digest (``people.services.daily_digests_send``, beat ``people.send_daily_digests``):
a person who chose one e-mail a day gets their notifications gathered, once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bigscience_portal.core.mail import mail_queue
from bigscience_portal.core.models import Notification
from people import tasks
from people.services import daily_digests_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _notify(person, key, subject):
    mail_queue(key=key, to=person, subject=subject, body=f"{subject}.", url="/calls/")


def test_daily_mode_gathers_the_day_in_one_mail_sent_once(
    client, django_capture_on_commit_callbacks
):
    person = UserFactory(email="daily@nordcryo.example")
    client.force_login(person)
    response = client.post(
        reverse("people:account"), {"mail-mail_mode": "daily", "mail-muted_topics": ["events"]}
    )
    assert response.status_code == 302
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _notify(person, "tenders.question_answered:7", "Your question on the cryostat was answered")
        _notify(person, "matchmaking.forward:3", "Your cluster forwarded a call")
        _notify(person, "events.reminder:9", "Reminder: B2B day tomorrow")
    # nothing mailed at once, everything in the notification centre
    assert mail.outbox == []
    assert Notification.objects.filter(user=person).count() == 3

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_daily_digests() == 1
    [digest] = mail.outbox
    assert digest.to == ["daily@nordcryo.example"]
    assert "2 notifications on" in digest.subject
    assert "Your question on the cryostat was answered" in digest.body
    assert "Your cluster forwarded a call" in digest.body
    assert "Reminder: B2B day tomorrow" not in digest.body  # a muted topic
    assert "/me/notifications/" in digest.body  # each line links to its notification

    with django_capture_on_commit_callbacks(execute=True):
        assert daily_digests_send() == 0  # the same day again: nothing new, nothing sent
        assert daily_digests_send(now=timezone.now() + timedelta(days=1)) == 0
    assert len(mail.outbox) == 1


def test_what_came_before_choosing_daily_mail_is_not_sent_again(
    client, django_capture_on_commit_callbacks
):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _notify(person, "tenders.question_answered:1", "Mailed on its own already")
    assert len(mail.outbox) == 1
    client.force_login(person)
    client.post(reverse("people:account"), {"mail-mail_mode": "daily"})
    with django_capture_on_commit_callbacks(execute=True):
        assert daily_digests_send() == 0
    assert len(mail.outbox) == 1


def test_people_who_mail_each_notification_or_none_get_no_digest(
    client, django_capture_on_commit_callbacks
):
    each, none = UserFactory(), UserFactory()
    client.force_login(none)
    client.post(reverse("people:account"), {"mail-mail_mode": "none"})
    with django_capture_on_commit_callbacks(execute=True):
        for person in (each, none):
            _notify(person, f"tenders.question_answered:{person.pk}", "Answered")
        assert daily_digests_send() == 0
    assert [m.to for m in mail.outbox] == [[each.email]]
