"""What events adds to the innovation pages (``innovation.panels``): on the conversation of an
expression of interest, a one-to-one meeting at a B2B event both organisations attend (the
meeting is requested through the event's own pages and services); on an opportunity's page,
the events where it is shown."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from .models import Event, EventOpportunity, MeetingRequest, Registration


def _upcoming():
    return Event.objects.filter(status=Event.Status.PUBLISHED, ends_at__gte=timezone.now())


def _upcoming_b2b():
    """Upcoming events with B2B meetings (``Event.is_brokerage``: a brokerage, or any event
    that switched them on)."""
    return _upcoming().with_b2b()


def interest_meetings(request, interest) -> dict | None:
    """For each upcoming B2B event where both sides have a confirmed registration: the user's
    registration, the other side's, and the meeting request between them if there is one."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    offering = interest.opportunity.organisation_id
    interested = interest.organisation_id
    regs = list(
        Registration.objects.filter(
            event__in=_upcoming_b2b(),
            status=Registration.Status.CONFIRMED,
            organisation_id__in=[offering, interested],
        ).select_related("event", "user", "organisation")
    )
    mine = {r.event_id: r for r in regs if r.user_id == user.pk}
    pairs = []
    for event_id, me in mine.items():
        other_org = interested if me.organisation_id == offering else offering
        pairs += [
            (me, other)
            for other in regs
            if other.event_id == event_id and other.organisation_id == other_org
        ]
    # the latest request between each pair, all pairs in one query
    latest = {}
    if pairs:
        between = Q()
        for me, other in pairs:
            between |= Q(requester=me, recipient=other) | Q(requester=other, recipient=me)
        for found in MeetingRequest.objects.filter(between).order_by("created_at", "pk"):
            latest[frozenset((found.requester_id, found.recipient_id))] = found
    options = [
        {
            "event": me.event,
            "me": me,
            "other": other,
            "request": latest.get(frozenset((me.pk, other.pk))),
        }
        for me, other in pairs
    ]
    shown_at = list(
        _upcoming_b2b()
        .filter(registrations__opportunity_links__opportunity=interest.opportunity)
        .distinct()
        .exclude(pk__in=list(mine))
    )
    if not options and not shown_at:
        return None
    return {"options": options, "shown_at": shown_at}


def opportunity_events(request, opportunity) -> dict | None:
    links = list(
        EventOpportunity.objects.filter(
            opportunity=opportunity, registration__event__in=_upcoming()
        ).select_related("registration__event")
    )
    events = list({link.registration.event_id: link.registration.event for link in links}.values())
    return {"events": events} if events else None
