"""Writes of the events app: registration and waiting list, B2B requests, scheduling, outcomes.

Every write owns its transaction (with the formsets of the pages that save several rows at
once) and refuses with :class:`~bigscience_portal.core.errors.ActionRefused`. Whatever people are
told goes through ``emails`` inside the same transaction: a delivery record per recipient,
sent after the commit, never twice for the same occasion.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bigscience_portal.core.errors import ActionRefused, refuse_unless
from bigscience_portal.core.text import free_slug
from innovation import services as innovation_services
from innovation.models import PartnershipOpportunity
from organisations.models import Organisation
from organisations.permissions import is_member

from . import emails, scheduler, selectors
from .models import (
    Availability,
    BrokerageSettings,
    Event,
    EventOpportunity,
    Meeting,
    MeetingOutcome,
    MeetingRequest,
    Registration,
    RegistrationAnswer,
)
from .schedule_display import clash_text

logger = logging.getLogger(__name__)
OPEN = (MeetingRequest.Status.REQUESTED, MeetingRequest.Status.ACCEPTED)


def _full_clean(instance) -> None:
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise ActionRefused.from_validation_error(exc) from exc


def _save_formsets(parent, *formsets) -> None:
    """Save inline formsets (already valid) under ``parent``, which may have just been saved."""
    for formset in formsets:
        if formset is not None:
            formset.instance = parent
            formset.save()


# --- events -----------------------------------------------------------------------------------


def _free_slug(title: str) -> str:
    return free_slug(title, Event.objects.all(), fallback="event")


@transaction.atomic
def event_save(*, event: Event, organisers, user, programme=None, questions=None) -> Event:
    """Create or update an event with its organisers and, from the event form, its programme
    and registration questions (valid inline formsets); B2B events get their settings row."""
    if event.pk is None:
        event.created_by = user
    else:
        _locked_event(event)  # registrations wait while the capacity may change
    if not event.slug:
        event.slug = _free_slug(event.title)
    _full_clean(event)
    event.save()
    event.organisers.set(organisers)
    _save_formsets(event, programme, questions)
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
    seats are left, else on the waiting list; they are told which by e-mail."""
    event = _locked_event(event)
    refuse_unless(event.registration_is_open(now), _("Registration for this event is not open."))
    refuse_unless(
        organisation is None or is_member(user, organisation),
        _("You can only register on behalf of your own organisations."),
    )
    already = event.registrations.filter(user=user).exclude(status=Registration.Status.CANCELLED)
    refuse_unless(not already.exists(), _("You are already registered for this event."))
    registration = Registration(event=event, user=user, organisation=organisation)
    if event.capacity is None or selectors.confirmed_count(event) < event.capacity:
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
        emails.registration_confirmed(registration)
    else:
        emails.registration_waitlisted(registration)
    return registration


def _promote_next(event: Event) -> Registration | None:
    """Give a free seat to the first person on the waiting list (event row already locked)."""
    if event.capacity is not None and selectors.confirmed_count(event) >= event.capacity:
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
    emails.registration_promoted(nxt)
    return nxt


@transaction.atomic
def registration_cancel(*, registration: Registration) -> Registration | None:
    """Cancel a registration; a freed seat goes to the waiting list at once. Returns the person
    promoted, if any. The participant's open meeting requests are cancelled with it."""
    event = _locked_event(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    refuse_unless(
        registration.status != Registration.Status.CANCELLED,
        _("This registration is already cancelled."),
    )
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.waitlist_position = None
    registration.save(update_fields=["status", "cancelled_at", "waitlist_position", "updated_at"])
    open_requests = MeetingRequest.objects.filter(status__in=OPEN).filter(_either(registration))
    Meeting.objects.filter(request__in=open_requests).delete()
    open_requests.update(status=MeetingRequest.Status.CANCELLED, decided_at=timezone.now())
    emails.registration_cancelled(registration)
    return _promote_next(event) if was_confirmed else None


def _either(registration: Registration) -> Q:
    return Q(requester=registration) | Q(recipient=registration)


def _due_reminders(now):
    return Registration.objects.filter(
        status=Registration.Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        event__status=Event.Status.PUBLISHED,
        event__starts_at__gt=now,
        event__starts_at__lte=now + timedelta(days=1),
    )


def reminders_send(*, now=None) -> int:
    """Remind confirmed participants of published events starting within the next day.

    Each registration gets its own short transaction: its reminder delivery and its
    ``reminder_sent_at`` mark are written together, so a failure part-way keeps the marks of the
    reminders already written (and sent after their commit), and a rerun reminds only the rest.
    A registration that another run is reminding right now (locked) is skipped."""
    now = now or timezone.now()
    reminded = 0
    for pk in _due_reminders(now).order_by("pk").values_list("pk", flat=True):
        try:
            reminded += _reminder_send(pk=pk, now=now)
        except Exception:  # one bad registration must not hold back everyone after it
            logger.exception("the reminder of registration %s failed; the next run retries", pk)
    return reminded


@transaction.atomic
def _reminder_send(*, pk: int, now) -> bool:
    registration = (
        _due_reminders(now)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("event", "user", "organisation")
        .filter(pk=pk)
        .first()
    )
    if registration is None:  # reminded meanwhile, or another run is at it
        return False
    emails.event_reminder(registration)
    registration.reminder_sent_at = now
    registration.save(update_fields=["reminder_sent_at"])
    return True


# --- B2B: settings, availability, opportunities, requests -------------------------------------


def brokerage_settings_ensure(*, event: Event) -> BrokerageSettings:
    """The settings row of a B2B event (events made in the admin may not have one yet)."""
    settings_, _created = BrokerageSettings.objects.get_or_create(event=event)
    return settings_


@transaction.atomic
def brokerage_settings_save(*, brokerage: BrokerageSettings, sessions) -> BrokerageSettings:
    """Save the B2B settings of an event with its meeting sessions (a valid inline formset)."""
    _full_clean(brokerage)
    brokerage.save()
    _save_formsets(brokerage.event, sessions)
    return brokerage


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
    *,
    registration: Registration,
    kind: str,
    title: str,
    description: str,
    cpv_codes=(),
    public: bool = False,
) -> EventOpportunity:
    """What a confirmed participant offers or seeks, shown at the event: a partnership
    opportunity of their organisation (``innovation``), also listed publicly when ``public``
    (after its review)."""
    refuse_unless(
        registration.status == Registration.Status.CONFIRMED,
        _("Only confirmed participants publish cooperation opportunities."),
    )
    refuse_unless(
        not public or registration.organisation_id is not None,
        _("Only an organisation's opportunities are listed publicly."),
        field="public",
    )
    opportunity = innovation_services.opportunity_create_for_event(
        user=registration.user,
        organisation=registration.organisation,
        kind=kind,
        title=title,
        description=description,
        cpv_codes=cpv_codes,
        public=public,
    )
    return EventOpportunity.objects.create(registration=registration, opportunity=opportunity)


@transaction.atomic
def opportunity_delete(*, link: EventOpportunity) -> None:
    """Remove an opportunity from the event; one that was made for the event only is
    withdrawn (a public one stays listed: it is its organisation's)."""
    opportunity = link.opportunity
    link.delete()
    if (
        opportunity.visibility == PartnershipOpportunity.Visibility.EVENT
        and not opportunity.event_links.exists()
        and opportunity.status != PartnershipOpportunity.Status.WITHDRAWN
    ):
        innovation_services.opportunity_withdraw(
            opportunity=opportunity, user=link.registration.user, note=_("Removed from the event")
        )


@transaction.atomic
def meeting_request_create(
    *, requester: Registration, recipient: Registration, message: str = ""
) -> MeetingRequest:
    """Ask for a one-to-one meeting; both sides are told by e-mail."""
    refuse_unless(
        requester.event_id == recipient.event_id and requester.event.is_brokerage,
        _("Both participants must be at the same B2B event."),
    )
    refuse_unless(requester.pk != recipient.pk, _("You cannot request a meeting with yourself."))
    refuse_unless(
        requester.status == recipient.status == Registration.Status.CONFIRMED,
        _("Both sides must be confirmed participants."),
    )
    refuse_unless(
        not MeetingRequest.objects.filter(status__in=OPEN)
        .filter(_pair(requester, recipient))
        .exists(),
        _("There already is an open meeting request between you two."),
    )
    request = MeetingRequest.objects.create(
        event=requester.event, requester=requester, recipient=recipient, message=message
    )
    emails.meeting_request_notice(request)
    return request


def _pair(a: Registration, b: Registration) -> Q:
    return Q(requester=a, recipient=b) | Q(requester=b, recipient=a)


def _locked_request(request: MeetingRequest) -> MeetingRequest:
    return (
        MeetingRequest.objects.select_for_update(of=("self",))
        .select_related("event", *selectors.BOTH_SIDES)
        .get(pk=request.pk)
    )


def _close_request(request: MeetingRequest, status: str) -> MeetingRequest:
    request.status = status
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at"])
    emails.meeting_request_notice(request)
    return request


@transaction.atomic
def meeting_request_decide(*, request: MeetingRequest, accept: bool) -> MeetingRequest:
    """The recipient accepts or declines; both sides are told by e-mail."""
    request = _locked_request(request)
    refuse_unless(
        request.status == MeetingRequest.Status.REQUESTED,
        _("This request has already been answered."),
    )
    status = MeetingRequest.Status.ACCEPTED if accept else MeetingRequest.Status.DECLINED
    return _close_request(request, status)


@transaction.atomic
def meeting_request_cancel(*, request: MeetingRequest) -> MeetingRequest:
    """Either side cancels an open request (and its place in the schedule)."""
    request = _locked_request(request)
    refuse_unless(request.status in OPEN, _("This request is already closed."))
    Meeting.objects.filter(request=request).delete()
    return _close_request(request, MeetingRequest.Status.CANCELLED)


# --- B2B: scheduling --------------------------------------------------------------------------


def _slot_fields(slot: scheduler.Slot, sessions) -> dict:
    return {
        "session": sessions[slot.session_id],
        "slot_id": slot.id,
        "starts_at": slot.start,
        "ends_at": slot.end,
    }


@transaction.atomic
def schedule_run(*, event: Event) -> scheduler.ScheduleResult:
    """Run the scheduler and store its placements; locked meetings stay where they are.

    Meetings that could not be placed lose their previous placement (if any) and are listed
    with the reason on the brokerage settings row."""
    event = _locked_event(event)
    problem, sessions = selectors.schedule_problem(event=event)
    try:
        result = scheduler.schedule(problem)
        slots = {s.id: s for s in scheduler.build_slots(problem.sessions, problem.slot_minutes)}
    except ValueError as exc:  # e.g. overlapping sessions entered through the admin
        raise ActionRefused(_("The scheduler could not run: %(why)s") % {"why": exc}) from exc
    existing = {m.request_id: m for m in Meeting.objects.filter(event=event)}
    placed_ids = set()
    to_create, to_update = [], []
    for pl in result.placements:
        placed_ids.add(pl.meeting_id)
        values = {**_slot_fields(slots[pl.slot_id], sessions), "table": pl.table}
        m = existing.get(pl.meeting_id)
        if m is None:
            to_create.append(Meeting(request_id=pl.meeting_id, event=event, **values))
        else:
            for k, v in values.items():
                setattr(m, k, v)
            to_update.append(m)
    Meeting.objects.filter(event=event).exclude(request_id__in=placed_ids).delete()
    Meeting.objects.bulk_create(to_create)
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


@transaction.atomic
def meeting_move(*, event: Event, request: MeetingRequest, slot_id: str, table: int) -> Meeting:
    """Put an accepted meeting at (slot, table) by hand; a moved meeting is locked so the
    scheduler keeps it there. A move that clashes is refused with every clash in words."""
    event = _locked_event(event)
    refuse_unless(
        request.event_id == event.pk and request.status == MeetingRequest.Status.ACCEPTED,
        _("Only accepted meetings of this event can be moved."),
    )
    problem, sessions = selectors.schedule_problem(event=event)
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
        texts = [clash_text(c, request, table) for c in clashes]
        raise ActionRefused(
            _("This move clashes: %(why)s") % {"why": " ".join(texts)}, code="clash"
        )
    slot = {s.id: s for s in scheduler.build_slots(problem.sessions, problem.slot_minutes)}[slot_id]
    meeting, _created = Meeting.objects.update_or_create(
        request=request,
        defaults={"event": event, **_slot_fields(slot, sessions), "table": table, "locked": True},
    )
    settings_ = event.brokerage
    settings_.unplaced = [u for u in settings_.unplaced if u.get("request_id") != request.pk]
    settings_.save(update_fields=["unplaced"])
    return meeting


@transaction.atomic
def meeting_lock_set(*, meeting: Meeting, locked: bool) -> Meeting:
    meeting.locked = locked
    meeting.save(update_fields=["locked", "updated_at"])
    return meeting


@transaction.atomic
def schedule_publish(*, event: Event) -> BrokerageSettings:
    """Publish the schedule: participants see their agendas; everyone is told by e-mail."""
    settings_ = BrokerageSettings.objects.select_for_update().get(event=event)
    settings_.published_at = timezone.now()
    settings_.save(update_fields=["published_at"])
    schedule_publication_notify(event=settings_.event)
    return settings_


@transaction.atomic
def schedule_publication_notify(*, event: Event) -> int:
    """Tell every confirmed participant their number of meetings in the published schedule.

    One delivery per participant and publication: run again (a retry, a second click) it
    mails nobody twice; a new publication (``published_at``) tells everyone again."""
    published_at = BrokerageSettings.objects.get(event=event).published_at
    refuse_unless(published_at is not None, _("The schedule is not published."))
    counts = selectors.meeting_counts(event=event)
    regs = list(selectors.confirmed_registrations(event=event))
    for reg in regs:
        emails.schedule_published(reg, counts.get(reg.pk, 0), published_at)
    return len(regs)


# --- after the event --------------------------------------------------------------------------


@transaction.atomic
def outcome_record(
    *, meeting: Meeting, registration: Registration, outcome: str, note: str = ""
) -> MeetingOutcome:
    refuse_unless(
        registration.pk in (meeting.request.requester_id, meeting.request.recipient_id),
        _("You can only record the outcome of your own meetings."),
    )
    refuse_unless(outcome in MeetingOutcome.Outcome.values, _("Unknown outcome."))
    refuse_unless(
        meeting.event.starts_at <= timezone.now(),
        _("Outcomes are recorded once the event has started."),
    )
    record, _created = MeetingOutcome.objects.update_or_create(
        meeting=meeting, registration=registration, defaults={"outcome": outcome, "note": note}
    )
    return record
