"""The signed token in every alert e-mail's unsubscribe link (no log-in needed to use it)."""

from __future__ import annotations

from django.core import signing

from .models import AlertSubscription

UNSUBSCRIBE_SALT = "matchmaking.alerts.unsubscribe"


def unsubscribe_token(subscription: AlertSubscription) -> str:
    return signing.dumps({"s": subscription.pk, "t": subscription.token}, salt=UNSUBSCRIBE_SALT)


def subscription_from_token(token: str) -> AlertSubscription | None:
    """The subscription the token names, or None when it was forged or its secret changed."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return AlertSubscription.objects.filter(pk=data.get("s"), token=data.get("t")).first()
