"""Reads of the events app: querysets with what their pages need already joined."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from innovation.models import PartnershipOpportunity
from organisations.models import Organisation

from . import scheduler
from .models import (
    Event,
    EventOpportunity,
    Meeting,
    MeetingOutcome,
    MeetingRequest,
    MeetingSession,
    Registration,
)

#: what naming both sides of a meeting request takes (``display_name`` of each)
BOTH_SIDES = (
    "requester__user",
    "requester__organisation",
    "recipient__user",
    "recipient__organisation",
)


def events_organised_by(organisation, limit: int = 20) -> list[Event]:
    """Published events the organisation organises (or co-organises), latest first."""
    return list(
        Event.objects.filter(organisers=organisation, status=Event.Status.PUBLISHED)
        .distinct()
        .order_by("-starts_at", "pk")[:limit]
    )


def events_organised_for(*, user, limit: int = 20) -> list[Event]:
    """The events the user organises through one of their organisations (drafts too, cancelled
    and past ones not), soonest first, with their confirmed registrations counted: the user's
    area links each to its organiser tools. Staff see their own here, not every event."""
    ids = Event.objects.filter(organisers__memberships__user=user).values("pk")
    return list(
        Event.objects.filter(pk__in=ids, ends_at__gte=timezone.now())
        .exclude(status=Event.Status.CANCELLED)
        .annotate(
            confirmed_count=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)
            )
        )
        .order_by("starts_at", "pk")[:limit]
    )


def upcoming_events(*, limit: int = 5) -> list[Event]:
    """The next published events that have not ended, soonest first (the home page)."""
    return list(
        Event.objects.filter(status=Event.Status.PUBLISHED, ends_at__gte=timezone.now())
        .only("pk", "slug", "title", "kind", "starts_at", "ends_at", "time_zone", "venue_city")
        .order_by("starts_at", "pk")[:limit]
    )


def event_list(*, user) -> QuerySet[Event]:
    """Events the user may see: everything not in draft, plus drafts they organise."""
    visible = ~Q(status=Event.Status.DRAFT)
    if getattr(user, "is_authenticated", False):
        if user.is_staff:
            visible = Q()
        else:
            visible |= Q(organisers__memberships__user=user)
    ids = Event.objects.filter(visible).values("pk")
    return (
        Event.objects.filter(pk__in=ids)
        .select_related("host_infrastructure")
        .prefetch_related(
            Prefetch("organisers", queryset=Organisation.objects.only("pk", "name", "slug"))
        )
        .annotate(
            confirmed_count=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)
            )
        )
        .order_by("starts_at", "pk")
    )


def event_by_slug(slug: str) -> Event | None:
    """The event with its organisers (whom the permission checks ask about), or None."""
    return Event.objects.prefetch_related("organisers").filter(slug=slug).first()


def confirmed_count(event: Event) -> int:
    return event.registrations.filter(status=Registration.Status.CONFIRMED).count()


def waitlist_rank(registration: Registration) -> int | None:
    """Where the registration stands on the waiting list now (1 = next to get a seat)."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    return (
        registration.event.registrations.filter(
            status=Registration.Status.WAITLISTED,
            waitlist_position__lt=registration.waitlist_position,
        ).count()
        + 1
    )


def participants(*, event: Event) -> QuerySet[Registration]:
    return (
        event.registrations.select_related("user", "organisation")
        .prefetch_related("answers__question")
        .order_by("status", "waitlist_position", "created_at", "pk")
    )


def user_registrations(*, user) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .filter(event__ends_at__gte=timezone.now())
        .select_related("event", "organisation", "event__brokerage")
        .order_by("event__starts_at")
    )


def pending_requests_for(*, user) -> QuerySet[MeetingRequest]:
    return MeetingRequest.objects.filter(
        recipient__user=user, status=MeetingRequest.Status.REQUESTED
    ).select_related("event", "requester__user", "requester__organisation")


def catalogue(*, event: Event) -> QuerySet[Registration]:
    """B2B participants, each with their opportunities and CPV codes."""
    return (
        event.registrations.filter(status=Registration.Status.CONFIRMED)
        .select_related("user", "organisation")
        .prefetch_related(Prefetch("opportunity_links", queryset=shown_opportunities()))
        .order_by("organisation__name", "user__last_name", "pk")
    )


def requests_of(*, registration: Registration) -> QuerySet[MeetingRequest]:
    return (
        MeetingRequest.objects.filter(Q(requester=registration) | Q(recipient=registration))
        .select_related(*BOTH_SIDES, "meeting")
        .order_by("-created_at")
    )


def contacted_ids(*, registration: Registration) -> set[int]:
    """Registrations with which ``registration`` has an open or accepted meeting request."""
    pairs = MeetingRequest.objects.filter(
        Q(requester=registration) | Q(recipient=registration),
        status__in=[MeetingRequest.Status.REQUESTED, MeetingRequest.Status.ACCEPTED],
    ).values_list("requester_id", "recipient_id")
    return {b if a == registration.pk else a for a, b in pairs}


def _meetings(where: Q) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(where)
        .select_related("session", *(f"request__{side}" for side in BOTH_SIDES))
        .order_by("starts_at", "table")
    )


def agenda(*, registration: Registration) -> QuerySet[Meeting]:
    return _meetings(Q(request__requester=registration) | Q(request__recipient=registration))


def schedule(*, event: Event) -> QuerySet[Meeting]:
    return _meetings(Q(event=event))


def meeting_of(request: MeetingRequest) -> Meeting | None:
    """Where an accepted request is placed, if it is."""
    return Meeting.objects.filter(request=request).first()


def outcomes_by_meeting(*, registration: Registration) -> dict[int, MeetingOutcome]:
    """The outcomes a participant recorded, by meeting id."""
    return {o.meeting_id: o for o in MeetingOutcome.objects.filter(registration=registration)}


def shown_opportunities() -> QuerySet[EventOpportunity]:
    """Links to the opportunities an event shows: every one but those withdrawn or expired
    (one in review for the public list is shown at the event meanwhile)."""
    today = timezone.localdate()
    return (
        EventOpportunity.objects.exclude(
            opportunity__status=PartnershipOpportunity.Status.WITHDRAWN
        )
        .filter(Q(opportunity__expires_on__isnull=True) | Q(opportunity__expires_on__gte=today))
        .select_related("opportunity")
        .prefetch_related("opportunity__cpv_codes")
        .order_by("created_at", "pk")
    )


def opportunities_of(*, registration: Registration) -> QuerySet[EventOpportunity]:
    return shown_opportunities().filter(registration=registration)


def accepted_requests(*, event: Event) -> dict[int, MeetingRequest]:
    return {
        r.pk: r
        for r in event.meeting_requests.filter(
            status=MeetingRequest.Status.ACCEPTED
        ).select_related(*BOTH_SIDES)
    }


def meeting_counts(*, event: Event) -> dict[int, int]:
    """How many placed meetings each registration has."""
    counts: dict[int, int] = {}
    for a, b in Meeting.objects.filter(event=event).values_list(
        "request__requester_id", "request__recipient_id"
    ):
        counts[a] = counts.get(a, 0) + 1
        counts[b] = counts.get(b, 0) + 1
    return counts


def confirmed_registrations(*, event: Event) -> QuerySet[Registration]:
    return event.registrations.filter(status=Registration.Status.CONFIRMED).select_related(
        "user", "organisation", "event"
    )


# --- the scheduler's input --------------------------------------------------------------------


def meeting_slots(*, event: Event) -> list[scheduler.Slot]:
    """The event's meeting sessions cut into slots (the choices of a move by hand)."""
    sessions = [
        scheduler.Session(id=s.pk, start=s.starts_at, end=s.ends_at)
        for s in event.meeting_sessions.all()
    ]
    return scheduler.build_slots(sessions, event.brokerage.slot_minutes)


def schedule_problem(*, event: Event) -> tuple[scheduler.Problem, dict[int, MeetingSession]]:
    """The event's rows as the scheduler's plain data (ids: registration and request pks), and
    its meeting sessions by id."""
    settings_ = event.brokerage
    sessions = list(event.meeting_sessions.all())
    regs = list(
        event.registrations.filter(status=Registration.Status.CONFIRMED).prefetch_related(
            "availabilities"
        )
    )
    participants = [
        scheduler.Participant(
            id=r.pk, available_session_ids=frozenset(a.session_id for a in r.availabilities.all())
        )
        for r in regs
    ]
    reg_ids = {r.pk for r in regs}
    accepted = [
        m
        for m in event.meeting_requests.filter(status=MeetingRequest.Status.ACCEPTED).order_by("pk")
        if m.requester_id in reg_ids and m.recipient_id in reg_ids
    ]
    placed = {m.request_id: m for m in Meeting.objects.filter(event=event)}
    fixed, previous = [], []
    for req in accepted:
        m = placed.get(req.pk)
        if m is None:
            continue
        p = scheduler.Placement(meeting_id=req.pk, slot_id=m.slot_id, table=m.table)
        (fixed if m.locked else previous).append(p)
    problem = scheduler.Problem(
        sessions=[scheduler.Session(id=s.pk, start=s.starts_at, end=s.ends_at) for s in sessions],
        slot_minutes=settings_.slot_minutes,
        tables=settings_.tables,
        max_meetings_per_person=settings_.max_meetings_per_participant,
        participants=participants,
        meetings=[
            scheduler.MeetingRequest(id=r.pk, a=r.requester_id, b=r.recipient_id) for r in accepted
        ],
        fixed=fixed,
        previous=previous,
    )
    return problem, {s.pk: s for s in sessions}


def statistics(*, event: Event) -> dict:
    """Participants, requests, accepted and scheduled meetings: totals and per organisation."""
    regs = list(
        event.registrations.filter(status=Registration.Status.CONFIRMED).select_related(
            "organisation"
        )
    )
    org_of = {r.pk: (r.organisation.name if r.organisation_id else "(individuals)") for r in regs}
    rows: dict[str, Counter] = defaultdict(Counter)
    for r in regs:
        rows[org_of[r.pk]]["participants"] += 1
    requests = list(
        event.meeting_requests.values_list("requester_id", "recipient_id", "status", "meeting")
    )
    totals = Counter(participants=len(regs))
    for a, b, status, meeting in requests:
        totals["requests"] += 1
        if org_of.get(a):
            rows[org_of[a]]["sent"] += 1
        if org_of.get(b):
            rows[org_of[b]]["received"] += 1
        if status == MeetingRequest.Status.ACCEPTED:
            totals["accepted"] += 1
            for p in {org_of.get(a), org_of.get(b)} - {None}:
                rows[p]["accepted"] += 1
            if meeting:
                totals["scheduled"] += 1
                for p in {org_of.get(a), org_of.get(b)} - {None}:
                    rows[p]["scheduled"] += 1
        elif status == MeetingRequest.Status.DECLINED:
            totals["declined"] += 1
    return {
        "totals": totals,
        "per_organisation": sorted(rows.items()),
    }


def outcome_summary(*, event: Event, organisations: list[Organisation] | None) -> dict:
    """Counts of recorded outcomes; limited to meetings involving ``organisations`` unless None."""
    qs = MeetingOutcome.objects.filter(meeting__event=event)
    meetings = Meeting.objects.filter(event=event)
    if organisations is not None:
        ids = [o.pk for o in organisations]
        involves = Q(meeting__request__requester__organisation_id__in=ids) | Q(
            meeting__request__recipient__organisation_id__in=ids
        )
        qs = qs.filter(involves)
        meetings = meetings.filter(
            Q(request__requester__organisation_id__in=ids)
            | Q(request__recipient__organisation_id__in=ids)
        )
    by_outcome = dict(qs.values_list("outcome").annotate(n=Count("pk")).values_list("outcome", "n"))
    rows = [(label, by_outcome.get(value, 0)) for value, label in MeetingOutcome.Outcome.choices]
    per_org = (
        qs.values("registration__organisation__name", "outcome")
        .annotate(n=Count("pk"))
        .order_by("registration__organisation__name", "outcome")
    )
    labels = dict(MeetingOutcome.Outcome.choices)
    return {
        "meetings": meetings.count(),
        "recorded": qs.count(),
        "rows": rows,
        "per_organisation": [
            (
                r["registration__organisation__name"] or "(individuals)",
                labels[r["outcome"]],
                r["n"],
            )
            for r in per_org
        ],
    }
