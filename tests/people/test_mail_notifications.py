"""The suite's check that every mail has its notification-centre entry (tests/conftest.py) finds
a mail sent around mail_queue, and leaves alone mail_queue's and allauth's account mails."""

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.urls import reverse

from bigscience_portal.core.mail import mail_queue
from tests.conftest import mails_without_notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_mail_sent_around_mail_queue_is_found(django_capture_on_commit_callbacks):
    person = UserFactory(email="eve@example.org")
    EmailMessage("[Big Science Portal] Sent by hand", "x", to=[person.email]).send()
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue(key="tests.queued", to=person, subject="Through the queue", body="y")
    EmailMessage("To nobody with an account", "z", to=["nobody@example.org"]).send()
    assert mails_without_notification(mail.outbox) == [
        "'[Big Science Portal] Sent by hand' to eve@example.org"
    ]
    mail.outbox.clear()  # the autouse check after this test would (rightly) fail on it


def test_allauth_account_mails_are_left_out(client):
    person = UserFactory(email="reset.me@example.org")
    client.post(reverse("account_reset_password"), {"email": person.email})
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert mails_without_notification(mail.outbox) == []
