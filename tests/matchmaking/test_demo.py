"""The demo recompute (``matchmaking.demo``) is idempotent."""

import pytest

from matchmaking import demo
from matchmaking.models import AlertSubscription, Match, MatchRun
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_load_recomputes_once_then_changes_nothing(demo_data):
    demo.load()
    assert MatchRun.objects.filter(kind="nightly", status="succeeded").count() == 1
    rows = list(Match.objects.order_by("pk").values_list("pk", "score"))
    assert rows
    demo.load()
    assert MatchRun.objects.filter(kind="nightly").count() == 1
    assert list(Match.objects.order_by("pk").values_list("pk", "score")) == rows


def test_demo_load_gives_the_demo_sme_daily_alerts_once(demo_data):
    user = UserFactory(email=demo.DEMO_SME_EMAIL)
    demo.load()
    sub = AlertSubscription.objects.get(user=user)
    assert (sub.frequency, sub.fit_level) == ("daily", "good")
    sub.frequency = "weekly"  # the demo user changed it
    sub.save()
    demo.load()
    assert AlertSubscription.objects.get(user=user).frequency == "weekly"
