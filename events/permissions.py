"""Who may see and do what with events: the one place that decides it.

Organisers are the members (any role) of an organising organisation; staff may do everything.
A participant's agenda, meeting requests and messages belong to that participant alone: organisers
run the schedule, they do not read the messages.
"""

from __future__ import annotations

from django.db.models import Q

from organisations.models import Organisation
from organisations.permissions import (
    is_admin,
    is_cluster_manager_of,
    is_member,
    member_organisations,
)

from .models import Event, MeetingRequest, Registration


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _staff(user) -> bool:
    return _authenticated(user) and bool(user.is_staff)


def is_organiser(user, event: Event) -> bool:
    if not _authenticated(user):
        return False
    if user.is_staff:
        return True
    return any(is_member(user, org) for org in event.organisers.all())


def can_decide_co_organiser(user, invitation) -> bool:
    """An administrator of the invited organisation answers an invitation to co-organise."""
    return _authenticated(user) and is_admin(user, invitation.organisation)


def can_create_event(user) -> bool:
    """Any member of an organisation (it becomes an organiser) and staff."""
    return _staff(user) or (_authenticated(user) and member_organisations(user).exists())


def can_view_event(user, event: Event) -> bool:
    if event.status != Event.Status.DRAFT:
        return True
    return is_organiser(user, event)


def can_edit_event(user, event: Event) -> bool:
    return is_organiser(user, event)


def can_register(user, event: Event) -> bool:
    return _authenticated(user) and event.registration_is_open()


def can_manage_participants(user, event: Event) -> bool:
    """See, filter and export the participant list."""
    return is_organiser(user, event)


def can_manage_brokerage(user, event: Event) -> bool:
    """Set up sessions, run the scheduler, move meetings, publish: organisers only."""
    return event.is_brokerage and is_organiser(user, event)


def active_registration(user, event: Event) -> Registration | None:
    """The user's registration that is not cancelled, if any (cached per request on the user)."""
    if not _authenticated(user):
        return None
    cache = user.__dict__.setdefault("_bsp_event_registrations", {})
    if event.pk not in cache:
        cache[event.pk] = (
            Registration.objects.select_related("organisation", "event")
            .filter(event=event, user=user)
            .exclude(status=Registration.Status.CANCELLED)
            .first()
        )
    return cache[event.pk]


def brokerage_participant(user, event: Event) -> Registration | None:
    """The user's confirmed registration for a B2B event: what B2B participant pages need."""
    if not event.is_brokerage:
        return None
    reg = active_registration(user, event)
    return reg if reg and reg.status == Registration.Status.CONFIRMED else None


def can_browse_participants(user, event: Event) -> bool:
    """The B2B catalogue of participants: confirmed participants and organisers."""
    if not event.is_brokerage:
        return False
    return brokerage_participant(user, event) is not None or is_organiser(user, event)


def can_view_agenda(user, registration: Registration) -> bool:
    """A personal agenda is its owner's (and staff's); not even organisers see someone else's."""
    return _staff(user) or (_authenticated(user) and registration.user_id == user.pk)


def can_view_meeting_request(user, request: MeetingRequest) -> bool:
    """Only the two sides see a meeting request and its message (and staff)."""
    if _staff(user):
        return True
    if not _authenticated(user):
        return False
    return user.pk in (request.requester.user_id, request.recipient.user_id)


def can_decide_meeting_request(user, request: MeetingRequest) -> bool:
    return _authenticated(user) and request.recipient.user_id == user.pk


def can_cancel_meeting_request(user, request: MeetingRequest) -> bool:
    return _authenticated(user) and user.pk in (
        request.requester.user_id,
        request.recipient.user_id,
    )


def outcome_summary_organisations(user, event: Event) -> list[Organisation] | None:
    """Whose outcomes the user may see in the summary: None = everything (organisers, staff), a
    list = the participating organisations whose cluster the user manages, [] = nothing."""
    if is_organiser(user, event):
        return None
    if not _authenticated(user):
        return []
    orgs = Organisation.objects.filter(
        event_registrations__event=event,
        event_registrations__status=Registration.Status.CONFIRMED,
    ).distinct()
    return [org for org in orgs if is_cluster_manager_of(user, org)]


def can_view_outcome_summary(user, event: Event) -> bool:
    if not event.is_brokerage:
        return False
    allowed = outcome_summary_organisations(user, event)
    return allowed is None or bool(allowed)


def organiser_choices(user, event: Event | None = None):
    """Organisations the user may name as organisers of an event: their own, and those that
    already organise it (so that editing never drops a co-organiser the user cannot see)."""
    if _staff(user):
        return Organisation.objects.order_by("name")
    own = member_organisations(user).values("pk")
    current = event.organisers.values("pk") if event is not None and event.pk else []
    return Organisation.objects.filter(Q(pk__in=own) | Q(pk__in=current)).order_by("name")
