"""The unsubscribe link's signed token (``matchmaking.tokens``)."""

import pytest

from matchmaking import services, tokens

from .helpers import member

pytestmark = pytest.mark.django_db


def test_unsubscribe_token_turns_everything_off(market):
    user = member(market["gyro"])
    sub = services.subscription_for(user)
    token = tokens.unsubscribe_token(sub)
    assert tokens.subscription_from_token(token) == sub
    assert tokens.subscription_from_token(token + "x") is None
    services.subscription_unsubscribe(subscription=sub)
    sub.refresh_from_db()
    assert sub.frequency == "off" and not sub.deadline_reminders


def test_a_token_dies_with_its_subscription_secret(market):
    sub = services.subscription_for(member(market["gyro"]))
    token = tokens.unsubscribe_token(sub)
    sub.token = "rotated"
    sub.save()
    assert tokens.subscription_from_token(token) is None
