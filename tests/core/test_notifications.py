"""The notification centre: every mail to someone with an account is also in the portal."""

import pytest
from django.core import mail
from django.urls import reverse

from bigscience_portal.core.mail import mail_queue
from bigscience_portal.core.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_mail_to_an_account_is_also_a_notification_and_links_to_it(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(email="sme@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue(
            key="test.forward:1",
            to=["sme@example.org", "nobody@example.org"],
            subject="BigScience.dk suggests a call",
            body="A call for cryogenic valves fits you.",
            url="/calls/1/",
        )
    note = Notification.objects.get(user=user)
    assert note.title == "BigScience.dk suggests a call"
    assert note.url == "/calls/1/" and note.is_unread
    by_address = {m.to[0]: m.body for m in mail.outbox}
    assert note.get_absolute_url() in by_address["sme@example.org"]
    assert "notifications" not in by_address["nobody@example.org"]  # no account, no centre
    assert Notification.objects.count() == 1


def test_unread_count_opening_and_mark_all_read(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    for n in range(3):
        mail_queue(key=f"test.n:{n}", to=user, subject=f"News {n}", body="Text", url="")
    client.force_login(user)
    page = client.get(reverse("core:home")).content.decode()
    assert "Notifications" in page and ">3<" in page.replace(" ", "")
    listing = client.get(reverse("core:notification_list")).content.decode()
    assert "News 0" in listing and "News 2" in listing
    first = Notification.objects.filter(user=user).order_by("pk").first()
    shown = client.get(first.get_absolute_url())
    assert shown.status_code == 200 and "News 0" in shown.content.decode()
    first.refresh_from_db()
    assert not first.is_unread
    response = client.post(reverse("core:notifications_read_all"), follow=True)
    assert "2 notification(s) marked read." in response.content.decode()
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()


def test_nobody_opens_another_persons_notification(client):
    owner, other = UserFactory(), UserFactory()
    mail_queue(key="test.private", to=owner, subject="Private", body="Yours only")
    note = Notification.objects.get(user=owner)
    client.force_login(other)
    assert client.get(note.get_absolute_url()).status_code == 404
    client.logout()
    response = client.get(reverse("core:notification_list"))
    assert response.status_code == 302
