"""Writes of the exchanges app: exchanges and their agenda, applications with the host's
selection, the waiting list and the cancellation of a place, cluster partnerships (proposed,
answered, ended).

Every write owns its transaction and refuses with
:class:`~bigscience_portal.core.errors.ActionRefused`. The decisions on one exchange's
applications are taken one at a time: each service that may fill or free a place locks the
exchange row first (``select_for_update``), so parallel decisions never give more places than
there are. Accepted participants of an exchange with linked events (a 360 Xchange) are
registered for them through ``events.services`` (its capacity, waiting list and mails).
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bigscience_portal.core.errors import ActionRefused, refuse_unless
from bigscience_portal.core.text import free_slug
from events import services as event_services
from events.models import Event, Registration
from organisations.country_picker import resolve_preset
from organisations.models import Organisation
from organisations.permissions import can_manage_cluster

from . import emails, permissions, selectors
from .models import (
    MOTIVATION_MAX,
    REASON_MAX,
    AgendaItem,
    Application,
    Exchange,
    Partnership,
)

logger = logging.getLogger(__name__)
Status = Application.Status


def _reason(reason: str, *, field: str = "reason") -> str:
    reason = (reason or "").strip()
    refuse_unless(
        len(reason) <= REASON_MAX,
        _("Keep the reason to %(max)s characters (it has %(n)s).")
        % {"max": REASON_MAX, "n": len(reason)},
        field=field,
    )
    return reason


def _full_clean(instance, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ActionRefused.from_validation_error(exc) from exc


def _locked(exchange: Exchange) -> Exchange:
    """The exchange row, locked until the end of the transaction: its places are given one
    decision at a time."""
    return (
        Exchange.objects.select_related("host_cluster")
        .select_for_update(of=("self",))
        .get(pk=exchange.pk)
    )


def _free_slug(title: str) -> str:
    return free_slug(title, Exchange.objects.all(), fallback="exchange")


# --- exchanges --------------------------------------------------------------------------------


@transaction.atomic
def exchange_save(
    *, exchange: Exchange, user, host_organisations=(), eligible_clusters=(), country_preset=""
) -> Exchange:
    """Create or update an exchange; more places move the waiting list up at once.
    ``country_preset``: the eligible countries' preset chosen without JavaScript."""
    if country_preset:
        exchange.eligible_countries = resolve_preset(
            country_preset, chosen=[str(c) for c in exchange.eligible_countries]
        )
    refuse_unless(
        can_manage_cluster(user, exchange.host_cluster),
        _("You can only host an exchange for an approved cluster you manage."),
        field="host_cluster",
    )
    if exchange.pk is None:
        exchange.created_by = user
    else:
        _locked(exchange)
        accepted = selectors.accepted_count(exchange)
        refuse_unless(
            exchange.places is None or exchange.places >= accepted,
            _(
                "%(n)s participants are accepted already: the exchange needs at least as many places."
            )
            % {"n": accepted},
            field="places",
        )
    if not exchange.slug:
        exchange.slug = _free_slug(exchange.title)
    _full_clean(exchange)
    exchange.save()
    exchange.host_organisations.set(host_organisations)
    exchange.eligible_clusters.set(
        [c for c in eligible_clusters if c.pk != exchange.host_cluster_id]
    )
    if exchange.status == Exchange.Status.PUBLISHED:
        while _promote_next(exchange) is not None:
            pass
    return exchange


@transaction.atomic
def agenda_item_add(
    *,
    exchange: Exchange,
    user,
    event: Event | None = None,
    title: str = "",
    starts_at=None,
    ends_at=None,
    place: str = "",
    description: str = "",
) -> AgendaItem:
    """Add a part to the agenda: a linked event of the host cluster (the participants accepted
    already are registered for it) or an item of its own with a title and a start."""
    exchange = _locked(exchange)
    refuse_unless(permissions.is_host(user, exchange), _("Only the host sets the agenda."))
    title = (title or "").strip()
    if event is not None:
        refuse_unless(
            selectors.agenda_event_choices(exchange).filter(pk=event.pk).exists(),
            _("Link an event the host cluster organises or co-organises, not one that is over."),
            field="event",
        )
        refuse_unless(
            not exchange.agenda.filter(event=event).exists(),
            _("This event is on the agenda already."),
            field="event",
        )
    else:
        refuse_unless(title, _("Give the item a title, or link an event."), field="title")
        refuse_unless(
            starts_at, _("Give the item a start time, or link an event."), field="starts_at"
        )
    if starts_at and ends_at and ends_at < starts_at:
        raise ActionRefused(_("An item cannot end before it starts."), field="ends_at")
    item = AgendaItem(
        exchange=exchange,
        event=event,
        title=title,
        starts_at=None if event else starts_at,
        ends_at=None if event else ends_at,
        place=place,
        description=description,
    )
    _full_clean(item)
    item.save()
    if event is not None:
        for application in exchange.applications.filter(status=Status.ACCEPTED):
            _register_for_events(application, [event])
    return item


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, user) -> None:
    """Remove a part of the agenda (registrations made for a linked event stay)."""
    _locked(item.exchange)
    refuse_unless(permissions.is_host(user, item.exchange), _("Only the host sets the agenda."))
    item.delete()


# --- applications -----------------------------------------------------------------------------


@transaction.atomic
def application_create(
    *, exchange: Exchange, user, organisation: Organisation, motivation: str
) -> Application:
    """Apply for a place on behalf of one's company, with a motivation; the host is told."""
    exchange = _locked(exchange)
    motivation = (motivation or "").strip()
    refuse_unless(
        motivation, _("Tell the host why your company wants to take part."), field="motivation"
    )
    refuse_unless(
        len(motivation) <= MOTIVATION_MAX,
        _("Keep the motivation to %(max)s characters (it has %(n)s).")
        % {"max": MOTIVATION_MAX, "n": len(motivation)},
        field="motivation",
    )
    refuse_unless(
        exchange.applications_are_open(), _("This exchange does not take applications now.")
    )
    refuse_unless(
        selectors.eligible_companies(user, exchange).filter(pk=organisation.pk).exists(),
        _(
            "Only the members of the clusters this exchange is open to, in its countries, may "
            "apply: apply on behalf of such a company of yours."
        ),
        field="organisation",
    )
    refuse_unless(
        permissions.open_application(user, exchange) is None,
        _("You have applied for this exchange already."),
    )
    application = Application.objects.create(
        exchange=exchange, applicant=user, organisation=organisation, motivation=motivation
    )
    emails.application_received(application)
    return application


def _locked_application(application: Application) -> tuple[Exchange, Application]:
    exchange = _locked(application.exchange)
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("applicant", "organisation")
        .get(pk=application.pk)
    )
    application.exchange = exchange
    return exchange, application


def _next_waitlist_position(exchange: Exchange) -> int:
    top = selectors.waitlist(exchange).aggregate(m=Max("waitlist_position"))["m"]
    return (top or 0) + 1


def _register_for_events(application: Application, events=None) -> None:
    """Register the participant's company for the exchange's linked events (or ``events``),
    through the events app; a registration they made themselves is left as it is."""
    if events is None:
        events = [i.event for i in application.exchange.agenda.filter(event__isnull=False)]
    for event in events:
        mine = Registration.objects.filter(event=event, user=application.applicant).exclude(
            status=Registration.Status.CANCELLED
        )
        if mine.exists():
            continue
        try:
            registration = event_services.registration_create(
                event=event, user=application.applicant, organisation=application.organisation
            )
        except ActionRefused as exc:
            raise ActionRefused(
                _("%(person)s cannot be registered for “%(event)s”: %(reason)s")
                % {
                    "person": application.applicant.get_full_name() or application.applicant.email,
                    "event": event.title,
                    "reason": exc.message,
                }
            ) from exc
        application.registrations.add(registration)


def _accept(application: Application, *, user=None, promoted: bool = False) -> None:
    application.status = Status.ACCEPTED
    application.waitlist_position = None
    application.decided_at = timezone.now()
    if user is not None:
        application.decided_by = user
    application.save(update_fields=["status", "waitlist_position", "decided_at", "decided_by"])
    _register_for_events(application)
    emails.application_accepted(application, promoted=promoted)


def _promote_next(exchange: Exchange) -> Application | None:
    """Give a free place to the first on the waiting list (exchange row already locked). If
    a linked event refuses them (its registration closed), they stay on the list."""
    if selectors.accepted_count(exchange) >= exchange.places:
        return None
    nxt = selectors.waitlist(exchange).select_for_update(of=("self",)).first()
    if nxt is None:
        return None
    nxt.exchange = exchange
    try:
        with transaction.atomic():
            _accept(nxt, promoted=True)
    except ActionRefused as exc:
        logger.warning("exchange %s: application %s not promoted: %s", exchange.pk, nxt.pk, exc)
        return None
    return nxt


@transaction.atomic
def application_decide(*, application: Application, user, accept: bool) -> Application:
    """The host accepts (a place while there is one, else the waiting list) or declines."""
    exchange, application = _locked_application(application)
    refuse_unless(
        permissions.can_decide_application(user, application),
        _("Only the host cluster's managers decide applications."),
    )
    refuse_unless(
        application.status in (Status.PENDING, Status.WAITLISTED),
        _("This application is %(status)s: there is nothing to decide.")
        % {"status": application.get_status_display().lower()},
    )
    free = selectors.accepted_count(exchange) < exchange.places
    if not accept:
        application.status = Status.DECLINED
        application.waitlist_position = None
        application.decided_at, application.decided_by = timezone.now(), user
        application.save(update_fields=["status", "waitlist_position", "decided_at", "decided_by"])
        emails.application_declined(application)
    elif free:
        _accept(application, user=user)
    elif application.status == Status.WAITLISTED:
        raise ActionRefused(
            _("Every place is taken: this applicant stays on the waiting list, position %(n)s.")
            % {"n": application.waitlist_position}
        )
    else:
        application.status = Status.WAITLISTED
        application.waitlist_position = _next_waitlist_position(exchange)
        application.decided_at, application.decided_by = timezone.now(), user
        application.save(update_fields=["status", "waitlist_position", "decided_at", "decided_by"])
        emails.application_waitlisted(application)
    return application


@transaction.atomic
def application_withdraw(*, application: Application, user) -> Application | None:
    """The applicant withdraws; a place they held goes to the first on the waiting list (and
    their registrations for the linked events are cancelled). Returns the one promoted."""
    exchange, application = _locked_application(application)
    refuse_unless(
        application.applicant_id == user.pk, _("Only the applicant withdraws an application.")
    )
    refuse_unless(application.is_open, _("This application is closed already."))
    was_accepted = application.status == Status.ACCEPTED
    application.status = Status.WITHDRAWN
    application.waitlist_position = None
    application.save(update_fields=["status", "waitlist_position"])
    promoted = _free_place(exchange, application) if was_accepted else None
    emails.application_withdrawn(application)
    return promoted


def _free_place(exchange: Exchange, application: Application) -> Application | None:
    """Undo what the acceptance of ``application`` did, now that it holds no place (the
    exchange row locked): its registrations for the linked events are cancelled through the
    events app, and the place goes to the first on the waiting list (returned, if any)."""
    for registration in application.registrations.exclude(status=Registration.Status.CANCELLED):
        event_services.registration_cancel(registration=registration)
    return _promote_next(exchange)


@transaction.atomic
def application_cancel(*, application: Application, user, reason: str = "") -> Application | None:
    """The host cancels an accepted participant's place (before the exchange is over): their
    registrations for the linked events are cancelled, the place goes to the first on the
    waiting list, and the participant is told (with ``reason``). Returns the one promoted."""
    exchange, application = _locked_application(application)
    refuse_unless(
        permissions.can_decide_application(user, application),
        _("Only the host cluster's managers cancel a participant's place."),
    )
    refuse_unless(
        application.status == Status.ACCEPTED,
        _("This application is %(status)s: only an accepted participant's place can be cancelled.")
        % {"status": application.get_status_display().lower()},
    )
    refuse_unless(
        not exchange.is_over(),
        _("This exchange is over: its participants' places can no longer be cancelled."),
    )
    application.status = Status.CANCELLED
    application.waitlist_position = None
    application.cancel_reason = _reason(reason)
    application.decided_at, application.decided_by = timezone.now(), user
    application.save(
        update_fields=["status", "waitlist_position", "cancel_reason", "decided_at", "decided_by"]
    )
    promoted = _free_place(exchange, application)
    emails.application_cancelled(application)
    return promoted


# --- partnerships -----------------------------------------------------------------------------


@transaction.atomic
def partnership_propose(
    *, proposer: Organisation, partner: Organisation, user, goals: str, starts_on, ends_on=None
) -> Partnership:
    """Propose a cooperation to another cluster; its managers are asked."""
    refuse_unless(
        can_manage_cluster(user, proposer),
        _("You can only propose a partnership for an approved cluster you manage."),
        field="proposer",
    )
    refuse_unless(
        partner.is_cluster and partner.is_acting and partner.pk != proposer.pk,
        _("A partnership is between two different approved clusters."),
        field="partner",
    )
    pair = Q(proposer=proposer, partner=partner) | Q(proposer=partner, partner=proposer)
    refuse_unless(
        not Partnership.objects.filter(
            pair, status__in=[Partnership.Status.PROPOSED, Partnership.Status.ACTIVE]
        ).exists(),
        _("These clusters have a partnership, or a proposal waiting for an answer, already."),
        field="partner",
    )
    partnership = Partnership(
        proposer=proposer,
        partner=partner,
        goals=(goals or "").strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        proposed_by=user,
    )
    refuse_unless(partnership.goals, _("Say what the partnership is for."), field="goals")
    if starts_on and ends_on and ends_on < starts_on:
        raise ActionRefused(_("The partnership cannot end before it starts."), field="ends_on")
    _full_clean(partnership)
    partnership.save()
    emails.partnership_proposed(partnership)
    return partnership


@transaction.atomic
def partnership_decide(*, partnership: Partnership, user, accept: bool) -> Partnership:
    """The proposed cluster's managers accept (it becomes active) or decline."""
    partnership = (
        Partnership.objects.select_for_update(of=("self",))
        .select_related("proposer", "partner")
        .get(pk=partnership.pk)
    )
    refuse_unless(
        permissions.can_decide_partnership(user, partnership),
        _("Only the proposed cluster's managers answer a proposal that waits for an answer."),
    )
    partnership.status = Partnership.Status.ACTIVE if accept else Partnership.Status.DECLINED
    partnership.decided_by, partnership.decided_at = user, timezone.now()
    partnership.save(update_fields=["status", "decided_by", "decided_at"])
    emails.partnership_decided(partnership)
    return partnership


@transaction.atomic
def partnership_end(*, partnership: Partnership, user, reason: str = "") -> Partnership:
    """A manager of either cluster ends an active partnership (when and by whom is kept): the
    clusters' exchanges are no longer open to each other's members (applications made stay),
    and both clusters' managers are told."""
    partnership = (
        Partnership.objects.select_for_update(of=("self",))
        .select_related("proposer", "partner")
        .get(pk=partnership.pk)
    )
    refuse_unless(
        partnership.status == Partnership.Status.ACTIVE and not partnership.has_expired(),
        _("This partnership is not active: there is nothing to end."),
    )
    refuse_unless(
        permissions.can_end_partnership(user, partnership),
        _("Only the managers of the two clusters end their partnership."),
    )
    partnership.status = Partnership.Status.ENDED
    partnership.end_reason = _reason(reason)
    partnership.ended_by, partnership.ended_at = user, timezone.now()
    partnership.save(update_fields=["status", "end_reason", "ended_by", "ended_at"])
    emails.partnership_ended(partnership)
    return partnership
