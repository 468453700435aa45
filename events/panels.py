"""The events app's panels on the pages below it: the home page's upcoming events (the same
for every reader: visitors get it from the page cache) and what waits for the user there."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from . import selectors

#: how far ahead the home page reminds a user of the events they registered for
SOON = timedelta(days=30)


def home_events(request) -> dict:
    return {"events": selectors.upcoming_events()}


def home_attention(request) -> dict | None:
    """The meeting requests waiting for the user's answer, and their registrations for the
    events of the next weeks."""
    user = request.user
    pending = list(selectors.pending_requests_for(user=user)[:5])
    soon = list(
        selectors.user_registrations(user=user).filter(event__starts_at__lte=timezone.now() + SOON)[
            :3
        ]
    )
    if not pending and not soon:
        return None
    return {"pending": pending, "registrations": soon}
