"""How a person's mail preferences and language reach ``core.mail.mail_queue`` (registered in
``ready()``)."""

from __future__ import annotations

from .models import PersonProfile


def wants_mail(user, key: str) -> bool:
    """False when ``user`` asked for no mail of this kind (the notification is still written)."""
    profile = PersonProfile.objects.filter(user=user).first()
    return True if profile is None else profile.wants_mail(key)


def language_of(user) -> str | None:
    """The language the person chose for the portal (their mails are written in it), if any."""
    return PersonProfile.objects.filter(user=user).values_list("language", flat=True).first()
