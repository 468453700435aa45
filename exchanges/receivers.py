"""How exchanges react to what happens in the apps below it."""

from __future__ import annotations

from .models import Application


def withdraw_applications_of(sender, *, user, **kwargs) -> None:
    """An account being deleted withdraws its open applications first (``people.signals.
    account_deleting``), so that an accepted place goes to the next on the waiting list."""
    from .services import application_withdraw

    for application in Application.objects.filter(
        applicant=user, status__in=Application.OPEN
    ).order_by("pk"):
        application_withdraw(application=application, user=user)
