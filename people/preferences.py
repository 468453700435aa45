"""How a person's mail preferences reach ``core.mail.mail_queue`` (registered in ``ready()``)."""

from __future__ import annotations

from .models import PersonProfile


def wants_mail(user, key: str) -> bool:
    """False when ``user`` asked for no mail of this kind (the notification is still written)."""
    profile = PersonProfile.objects.filter(user=user).first()
    return True if profile is None else profile.wants_mail(key)
