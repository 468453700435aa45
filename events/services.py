"""Writes of the events app: registration and waiting list, B2B requests, scheduling, outcomes."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.models import Organisation
from organisations.permissions import is_member

from . import emails, scheduler
from .models import (
    Availability,
    BrokerageSettings,
    CooperationOpportunity,
    Event,
    Meeting,
    MeetingOutcome,
    MeetingRequest,
    MeetingSession,
    Registration,
    RegistrationAnswer,
)

# --- events -----------------------------------------------------------------------------------


@transaction.atomic
def event_save(*, event: Event, organisers, user) -> Event:
    """Create or update an event with its organisers; B2B events get their settings row."""
    if event.pk is None:
        event.created_by = user
    if event.pk is not None:
        _locked_event(event)  # registrations wait while the capacity may change
    event.full_clean()
    event.save()
    event.organisers.set(organisers)
    if event.is_brokerage:
        BrokerageSettings.objects.get_or_create(event=event)
    # more seats: the waiting list moves up at once
    while event.status == Event.Status.PUBLISHED and _promote_next(event) is not None:
        pass
    return event


# --- registration -----------------------------------------------------------------------------


def _locked_event(event: Event) -> Event:
    """The event row, locked until the end of the transaction: registrations for one event
    are decided one at a time, so the last seat cannot go to two people."""
    return Event.objects.select_for_update().get(pk=event.pk)


def _confirmed_count(event: Event) -> int:
    return event.registrations.filter(status=Registration.Status.CONFIRMED).count()


def _next_waitlist_position(event: Event) -> int:
    top = event.registrations.filter(status=Registration.Status.WAITLISTED).aggregate(
        m=Max("waitlist_position")
    )["m"]
    return (top or 0) + 1


def _default_availability(registration: Registration) -> None:
    """B2B participants start available in every meeting session; they can narrow it down."""
    if not registration.event.is_brokerage:
        return
    Availability.objects.bulk_create(
        [
            Availability(registration=registration, session=s)
            for s in registration.event.meeting_sessions.all()
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def registration_create(
    *,
    event: Event,
    user,
    organisation: Organisation | None = None,
    answers: dict[int, str] | None = None,
    now=None,
) -> Registration:
    """Register ``user`` (on behalf of ``organisation`` or as an individual): confirmed while
    seats are left, else on the waiting list. Sends the confirmation after commit."""
    from . import tasks

    event = _locked_event(event)
    if not event.registration_is_open(now):
        raise ValidationError(_("Registration for this event is not open."))
    if organisation is not None and not is_member(user, organisation):
        raise PermissionDenied(_("You can only register on behalf of your own organisations."))
    if event.registrations.filter(user=user).exclude(status=Registration.Status.CANCELLED).exists():
        raise ValidationError(_("You are already registered for this event."))
    registration = Registration(event=event, user=user, organisation=organisation)
    if event.capacity is None or _confirmed_count(event) < event.capacity:
        registration.status = Registration.Status.CONFIRMED
        registration.confirmed_at = timezone.now()
    else:
        registration.status = Registration.Status.WAITLISTED
        registration.waitlist_position = _next_waitlist_position(event)
    registration.save()
    questions = {q.pk: q for q in event.questions.all()}
    RegistrationAnswer.objects.bulk_create(
        [
            RegistrationAnswer(registration=registration, question=questions[qid], answer=text)
            for qid, text in (answers or {}).items()
            if qid in questions and text
        ]
    )
    if registration.status == Registration.Status.CONFIRMED:
        _default_availability(registration)
    tasks.send_registration_confirmation.delay_on_commit(registration.pk)
    return registration


def _promote_next(event: Event) -> Registration | None:
    """Give a free seat to the first person on the waiting list (event row already locked)."""
    from . import tasks

    if event.capacity is not None and _confirmed_count(event) >= event.capacity:
        return None
    nxt = (
        event.registrations.select_for_update()
        .filter(status=Registration.Status.WAITLISTED)
        .order_by("waitlist_position", "created_at", "pk")
        .first()
    )
    if nxt is None:
        return None
    nxt.status = Registration.Status.CONFIRMED
    nxt.confirmed_at = timezone.now()
    nxt.waitlist_position = None
    nxt.save(update_fields=["status", "confirmed_at", "waitlist_position", "updated_at"])
    _default_availability(nxt)
    tasks.send_registration_promoted.delay_on_commit(nxt.pk)
    return nxt


@transaction.atomic
def registration_cancel(*, registration: Registration) -> Registration | None:
    """Cancel a registration; a freed seat goes to the waiting list at once. Returns the person
    promoted, if any. The participant's open meeting requests are cancelled with it."""
    from . import tasks

    event = _locked_event(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return None
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.waitlist_position = None
    registration.save(update_fields=["status", "cancelled_at", "waitlist_position", "updated_at"])
    open_requests = MeetingRequest.objects.filter(
        status__in=[MeetingRequest.Status.REQUESTED, MeetingRequest.Status.ACCEPTED]
    ).filter(_either(registration))
    Meeting.objects.filter(request__in=open_requests).delete()
    open_requests.update(status=MeetingRequest.Status.CANCELLED, decided_at=timezone.now())
    tasks.send_registration_cancelled.delay_on_commit(registration.pk)
    return _promote_next(event) if was_confirmed else None


def _either(registration: Registration) -> Q:
    return Q(requester=registration) | Q(recipient=registration)


@transaction.atomic
def reminders_send(*, now=None) -> int:
    """Remind confirmed participants of published events starting within the next day.

    Each registration is reminded once: the row is locked and stamped in the same transaction
    as the e-mail is prepared, so overlapping runs skip what another run is sending."""
    now = now or timezone.now()
    due = (
        Registration.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("event", "user", "organisation")
        .filter(
            status=Registration.Status.CONFIRMED,
            reminder_sent_at__isnull=True,
            event__status=Event.Status.PUBLISHED,
            event__starts_at__gt=now,
            event__starts_at__lte=now + timedelta(days=1),
        )
        .order_by("pk")
    )
    sent = 0
    for registration in due:
        emails.event_reminder(registration)
        registration.reminder_sent_at = now
        registration.save(update_fields=["reminder_sent_at"])
        sent += 1
    return sent


# --- B2B: profile, availability, requests -----------------------------------------------------


@transaction.atomic
def availability_set(*, registration: Registration, sessions) -> None:
    keep = {s.pk for s in sessions if s.event_id == registration.event_id}
    registration.availabilities.exclude(session_id__in=keep).delete()
    Availability.objects.bulk_create(
        [Availability(registration=registration, session_id=pk) for pk in keep],
        ignore_conflicts=True,
    )


@transaction.atomic
def opportunity_create(
    *, registration: Registration, kind: str, title: str, description: str, cpv_codes=()
) -> CooperationOpportunity:
    if registration.status != Registration.Status.CONFIRMED:
        raise PermissionDenied(_("Only confirmed participants publish cooperation opportunities."))
    opportunity = CooperationOpportunity(
        registration=registration, kind=kind, title=title, description=description
    )
    opportunity.full_clean()
    opportunity.save()
    opportunity.cpv_codes.set(cpv_codes)
    return opportunity


@transaction.atomic
def opportunity_delete(*, opportunity: CooperationOpportunity) -> None:
    opportunity.delete()


@transaction.atomic
def meeting_request_create(
    *, requester: Registration, recipient: Registration, message: str = ""
) -> MeetingRequest:
    from . import tasks

    if requester.event_id != recipient.event_id or not requester.event.is_brokerage:
        raise ValidationError(_("Both participants must be at the same B2B event."))
    if requester.pk == recipient.pk:
        raise ValidationError(_("You cannot request a meeting with yourself."))
    if (
        requester.status != Registration.Status.CONFIRMED
        or recipient.status != Registration.Status.CONFIRMED
    ):
        raise ValidationError(_("Both sides must be confirmed participants."))
    if (
        MeetingRequest.objects.filter(
            status__in=[MeetingRequest.Status.REQUESTED, MeetingRequest.Status.ACCEPTED]
        )
        .filter(_pair(requester, recipient))
        .exists()
    ):
        raise ValidationError(_("There already is an open meeting request between you two."))
    request = MeetingRequest.objects.create(
        event=requester.event, requester=requester, recipient=recipient, message=message
    )
    tasks.send_meeting_request_notice.delay_on_commit(request.pk)
    return request


def _pair(a: Registration, b: Registration) -> Q:
    return Q(requester=a, recipient=b) | Q(requester=b, recipient=a)


@transaction.atomic
def meeting_request_decide(*, request: MeetingRequest, accept: bool) -> MeetingRequest:
    from . import tasks

    request = MeetingRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != MeetingRequest.Status.REQUESTED:
        raise ValidationError(_("This request has already been answered."))
    request.status = MeetingRequest.Status.ACCEPTED if accept else MeetingRequest.Status.DECLINED
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at"])
    tasks.send_meeting_request_notice.delay_on_commit(request.pk)
    return request


@transaction.atomic
def meeting_request_cancel(*, request: MeetingRequest) -> MeetingRequest:
    from . import tasks

    request = MeetingRequest.objects.select_for_update().get(pk=request.pk)
    if request.status not in (MeetingRequest.Status.REQUESTED, MeetingRequest.Status.ACCEPTED):
        raise ValidationError(_("This request is already closed."))
    Meeting.objects.filter(request=request).delete()
    request.status = MeetingRequest.Status.CANCELLED
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at"])
    tasks.send_meeting_request_notice.delay_on_commit(request.pk)
    return request


# --- B2B: scheduling --------------------------------------------------------------------------


def _problem(event: Event) -> tuple[scheduler.Problem, dict[str, MeetingSession]]:
    """Map the event's rows to the scheduler's plain data (ids: registration and request pks)."""
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


@transaction.atomic
def schedule_run(*, event: Event) -> scheduler.ScheduleResult:
    """Run the scheduler and store its placements; locked meetings stay where they are.

    Meetings that could not be placed lose their previous placement (if any) and are listed
    with the reason on the brokerage settings row."""
    event = _locked_event(event)
    problem, sessions = _problem(event)
    result = scheduler.schedule(problem)
    slots = {s.id: s for s in scheduler.build_slots(problem.sessions, problem.slot_minutes)}
    existing = {m.request_id: m for m in Meeting.objects.filter(event=event)}
    placed_ids = set()
    to_create, to_update = [], []
    for pl in result.placements:
        slot = slots[pl.slot_id]
        placed_ids.add(pl.meeting_id)
        m = existing.get(pl.meeting_id)
        values = {
            "session": sessions[slot.session_id],
            "slot_id": slot.id,
            "starts_at": slot.start,
            "ends_at": slot.end,
            "table": pl.table,
        }
        if m is None:
            to_create.append(Meeting(request_id=pl.meeting_id, event=event, **values))
        else:
            for k, v in values.items():
                setattr(m, k, v)
            to_update.append(m)
    Meeting.objects.filter(event=event).exclude(request_id__in=placed_ids).delete()
    Meeting.objects.bulk_create(to_create)
    if to_update:
        for m in to_update:
            m.save()
    settings_ = event.brokerage
    settings_.last_run_at = timezone.now()
    settings_.last_run_stats = {
        k: v for k, v in result.stats.items() if isinstance(v, (int, str, dict))
    }
    settings_.unplaced = [
        {"request_id": u.meeting_id, "reason": str(u.reason_code), "message": u.message}
        for u in result.unplaced
    ]
    settings_.save(update_fields=["last_run_at", "last_run_stats", "unplaced"])
    return result


def slot_choices(event: Event) -> list[scheduler.Slot]:
    sessions = [
        scheduler.Session(id=s.pk, start=s.starts_at, end=s.ends_at)
        for s in event.meeting_sessions.all()
    ]
    return scheduler.build_slots(sessions, event.brokerage.slot_minutes)


@transaction.atomic
def meeting_move(
    *, event: Event, request: MeetingRequest, slot_id: str, table: int
) -> list[scheduler.Clash]:
    """Put an accepted meeting at (slot, table) by hand, unless that clashes; a moved meeting is
    locked so the scheduler keeps it there. Returns the clashes (empty = moved)."""
    event = _locked_event(event)
    if request.event_id != event.pk or request.status != MeetingRequest.Status.ACCEPTED:
        raise ValidationError(_("Only accepted meetings of this event can be moved."))
    problem, sessions = _problem(event)
    current = scheduler.ScheduleResult(
        placements=[
            scheduler.Placement(m.request_id, m.slot_id, m.table)
            for m in Meeting.objects.filter(event=event)
        ],
        unplaced=[],
        problem=problem,
    )
    clashes = scheduler.check_move(current, request.pk, slot_id, table, problem=problem)
    if clashes:
        return clashes
    slot = {s.id: s for s in scheduler.build_slots(problem.sessions, problem.slot_minutes)}[slot_id]
    Meeting.objects.update_or_create(
        request=request,
        defaults={
            "event": event,
            "session": sessions[slot.session_id],
            "slot_id": slot.id,
            "starts_at": slot.start,
            "ends_at": slot.end,
            "table": table,
            "locked": True,
        },
    )
    settings_ = event.brokerage
    settings_.unplaced = [u for u in settings_.unplaced if u.get("request_id") != request.pk]
    settings_.save(update_fields=["unplaced"])
    return []


@transaction.atomic
def meeting_lock_set(*, meeting: Meeting, locked: bool) -> Meeting:
    meeting.locked = locked
    meeting.save(update_fields=["locked", "updated_at"])
    return meeting


@transaction.atomic
def schedule_publish(*, event: Event) -> BrokerageSettings:
    """Publish the schedule: participants see their agendas; everyone is told by e-mail."""
    from . import tasks

    settings_ = BrokerageSettings.objects.select_for_update().get(event=event)
    settings_.published_at = timezone.now()
    settings_.save(update_fields=["published_at"])
    tasks.send_schedule_published.delay_on_commit(event.pk)
    return settings_


def schedule_publication_notify(*, event_id: int) -> int:
    event = Event.objects.get(pk=event_id)
    regs = event.registrations.filter(status=Registration.Status.CONFIRMED).select_related(
        "user", "organisation", "event"
    )
    counts: dict[int, int] = {}
    for a, b in Meeting.objects.filter(event=event).values_list(
        "request__requester_id", "request__recipient_id"
    ):
        counts[a] = counts.get(a, 0) + 1
        counts[b] = counts.get(b, 0) + 1
    for reg in regs:
        emails.schedule_published(reg, counts.get(reg.pk, 0))
    return len(regs)


@transaction.atomic
def brokerage_sessions_save(*, event: Event, sessions: list[tuple]) -> None:
    """Helper for demo data and tests: ensure meeting sessions (start, end, name) exist."""
    for start, end, name in sessions:
        MeetingSession.objects.get_or_create(
            event=event, starts_at=start, ends_at=end, defaults={"name": name}
        )


# --- after the event --------------------------------------------------------------------------


@transaction.atomic
def outcome_record(
    *, meeting: Meeting, registration: Registration, outcome: str, note: str = ""
) -> MeetingOutcome:
    if registration.pk not in (meeting.request.requester_id, meeting.request.recipient_id):
        raise PermissionDenied(_("You can only record the outcome of your own meetings."))
    if outcome not in MeetingOutcome.Outcome.values:
        raise ValidationError(_("Unknown outcome."))
    if meeting.event.starts_at > timezone.now():
        raise ValidationError(_("Outcomes are recorded once the event has started."))
    record, _created = MeetingOutcome.objects.update_or_create(
        meeting=meeting, registration=registration, defaults={"outcome": outcome, "note": note}
    )
    return record
