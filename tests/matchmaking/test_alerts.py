"""E-mail alerts (``services.alerts``): each recommendation and each reminder mailed once, one
transaction per recipient."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bigscience_portal.core.models import MailDelivery, Notification
from matchmaking import reasons, services
from matchmaking.limits import FIT_THRESHOLDS
from matchmaking.models import AlertDelivery, AlertSubscription, Match
from matchmaking.services import alerts
from organisations.models import Membership
from tenders.signals import call_published
from tests.factories import AlertSubscriptionFactory, ExpressionOfInterestFactory

from .helpers import call, member

pytestmark = pytest.mark.django_db
POSSIBLE = FIT_THRESHOLDS["possible"]


def _send(capture, **kwargs):
    with capture(execute=True):
        return services.alerts_send(**kwargs)


def test_each_recommendation_is_emailed_once(market, django_capture_on_commit_callbacks):
    services.recompute_all_inline()
    user = member(market["gyro"], role=Membership.Role.ADMIN)
    AlertSubscriptionFactory(user=user, frequency="daily", threshold=POSSIBLE)
    assert _send(django_capture_on_commit_callbacks, frequency="daily") == 1
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert market["call"].title in body and "/matchmaking/alerts/unsubscribe/" in body
    # the score beside its fit in words, and the reasons written for the company
    match = Match.objects.get(company=market["gyro"], call=market["call"])
    assert f"score {reasons.score_words(match.score)}" in body
    assert "you hold the required ISO 9001" in body
    # the notification centre's entry opens the recommendations page
    assert Notification.objects.get(user=user).url == reverse("matchmaking:recommended")
    assert "http://" in body.split("/matchmaking/alerts/unsubscribe/")[0].splitlines()[-1]
    assert mail.outbox[0].to == [user.email]
    # a rerun of the periodic task sends nothing new
    assert _send(django_capture_on_commit_callbacks, frequency="daily") == 0
    assert len(mail.outbox) == 1
    # a new call that fits is sent, and only it
    new = call(buyer=market["infra"], title="Second gyrotron batch")
    services.recompute_all_inline()
    assert _send(django_capture_on_commit_callbacks, frequency="daily") == 1
    assert new.title in mail.outbox[1].body and market["call"].title not in mail.outbox[1].body
    assert AlertDelivery.objects.filter(user=user, kind="recommendation").count() == 2


def test_threshold_and_frequency_are_respected(market, django_capture_on_commit_callbacks):
    services.recompute_all_inline()
    Match.objects.filter(company=market["gyro"]).update(score=0.3)  # good fits, none strong
    strong = member(market["gyro"])
    AlertSubscriptionFactory(user=strong, frequency="weekly", threshold=FIT_THRESHOLDS["strong"])
    assert _send(django_capture_on_commit_callbacks, frequency="weekly") == 0
    assert _send(django_capture_on_commit_callbacks, frequency="daily") == 0
    assert mail.outbox == []
    good = member(market["gyro"])
    AlertSubscriptionFactory(user=good, frequency="weekly", threshold=FIT_THRESHOLDS["good"])
    assert _send(django_capture_on_commit_callbacks, frequency="weekly") == 1
    assert [m.to for m in mail.outbox] == [[good.email]]
    assert "30% · good fit" in mail.outbox[0].body


def test_a_failure_after_the_third_of_five_recipients_keeps_three_and_the_rerun_sends_two(
    market, monkeypatch, django_capture_on_commit_callbacks
):
    services.recompute_all_inline()
    users = [member(market["gyro"]) for _ in range(5)]
    for user in users:
        AlertSubscriptionFactory(user=user, frequency="daily", threshold=POSSIBLE)
    real, queued = alerts.mail_queue, []

    def fails_at_the_fourth(**kwargs):
        if len(queued) == 3:
            raise ConnectionError("database went away")
        queued.append(kwargs["to"])
        return real(**kwargs)

    monkeypatch.setattr(alerts, "mail_queue", fails_at_the_fourth)
    with pytest.raises(ConnectionError), django_capture_on_commit_callbacks(execute=True):
        services.alerts_send(frequency="daily")
    assert len(mail.outbox) == 3
    assert AlertDelivery.objects.values("user").distinct().count() == 3
    assert MailDelivery.objects.count() == 3
    monkeypatch.setattr(alerts, "mail_queue", real)
    assert _send(django_capture_on_commit_callbacks, frequency="daily") == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    assert AlertDelivery.objects.values("user").distinct().count() == 5


def test_deadline_reminder_once_a_week_before(market, django_capture_on_commit_callbacks):
    user = member(market["gyro"])
    soon = call(buyer=market["infra"], title="Closing soon", days=5)
    call(buyer=market["infra"], title="Closing later", days=20)
    ExpressionOfInterestFactory(call=soon, organisation=market["gyro"], submitted_by=user)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deadline_reminders_send() == 1
    assert "Closing soon" in mail.outbox[0].body and "Closing later" not in mail.outbox[0].body
    assert mail.outbox[0].subject.endswith("Deadline in a week: Closing soon")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deadline_reminders_send() == 0
        assert services.deadline_reminders_send(now=timezone.now() + timedelta(days=1)) == 0
    assert len(mail.outbox) == 1
    # the user had no alert settings: they were made, for the unsubscribe link
    assert AlertSubscription.objects.filter(user=user).exists()
    assert "/matchmaking/alerts/unsubscribe/" in mail.outbox[0].body


def test_reminders_respect_the_subscription(market, django_capture_on_commit_callbacks):
    user = member(market["gyro"])
    AlertSubscriptionFactory(user=user, deadline_reminders=False)
    soon = call(buyer=market["infra"], title="Closing soon", days=5)
    ExpressionOfInterestFactory(call=soon, organisation=market["gyro"], submitted_by=user)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deadline_reminders_send() == 0
    assert mail.outbox == []


def test_instant_subscribers_hear_of_a_published_call_once(
    market, django_capture_on_commit_callbacks
):
    services.recompute_all_inline()
    user = member(market["gyro"])
    AlertSubscriptionFactory(user=user, frequency="instant", threshold=POSSIBLE)
    _send(django_capture_on_commit_callbacks, frequency="instant")  # what was there before
    mail.outbox.clear()
    new = call(buyer=market["infra"], title="Gyrotron spare tubes", certs=("ISO 9001",))
    with django_capture_on_commit_callbacks(execute=True):
        call_published.send(sender=None, call_id=new.pk)
    assert len(mail.outbox) == 1 and "Gyrotron spare tubes" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        call_published.send(sender=None, call_id=new.pk)  # republished: nothing new to send
    assert len(mail.outbox) == 1


def test_settings_refuse_a_threshold_that_is_no_fit_level(market):
    from bigscience_portal.core.errors import ActionRefused

    sub = services.subscription_for(member(market["gyro"]))
    with pytest.raises(ActionRefused) as refused:
        services.subscription_update(
            subscription=sub, frequency="daily", threshold=1.5, deadline_reminders=True
        )
    assert refused.value.field == "threshold"
    assert str(refused.value) == "Choose one of the fit levels."
    sub.refresh_from_db()
    assert sub.threshold == FIT_THRESHOLDS["strong"]
