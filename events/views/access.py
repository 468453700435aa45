"""Who reaches an event's pages: the event loaded for the user and the check of each audience.

Each ``*_event`` function loads what a page is about or refuses: ``Http404`` for an event the
user may not see (a draft of other organisers) or a B2B page of an event without B2B meetings,
``PermissionDenied`` for a page of another audience. Function views use the decorators; list
views call the same functions from ``authorize()``.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .. import permissions, selectors, services
from ..models import Event, Registration


def event_for(user, slug: str) -> Event:
    """The event, or 404 when it does not exist or is a draft the user does not organise."""
    event = selectors.event_by_slug(slug)
    if event is None or not permissions.can_view_event(user, event):
        raise Http404
    return event


def brokerage_event(user, slug: str) -> Event:
    """A B2B event the user may see (404 for other kinds of event)."""
    event = event_for(user, slug)
    if not event.is_brokerage:
        raise Http404
    return event


def organiser_event(user, slug: str) -> Event:
    event = event_for(user, slug)
    if not permissions.is_organiser(user, event):
        raise PermissionDenied
    return event


def brokerage_organiser_event(user, slug: str) -> Event:
    event = brokerage_event(user, slug)
    if not permissions.can_manage_brokerage(user, event):
        raise PermissionDenied
    services.brokerage_settings_ensure(event=event)
    return event


def participant_of(user, slug: str) -> tuple[Event, Registration]:
    """A B2B event and the user's confirmed registration for it (the participant's own pages)."""
    event = brokerage_event(user, slug)
    registration = permissions.brokerage_participant(user, event)
    if registration is None:
        raise PermissionDenied
    services.brokerage_settings_ensure(event=event)
    return event, registration


def _for(load):
    """A decorator: log in, then call the view with what ``load(user, slug)`` returns."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, slug, *args, **kwargs):
            loaded = load(request.user, slug)
            loaded = loaded if isinstance(loaded, tuple) else (loaded,)
            return view(request, *loaded, *args, **kwargs)

        return wrapper

    return decorator


organiser_required = _for(organiser_event)
brokerage_organiser_required = _for(brokerage_organiser_event)
#: the B2B pages of the participant themself: a confirmed registration for a B2B event
participant_required = _for(participant_of)
