"""Events: workshops, industry days, visits, exchanges, and B2B partnering meetings."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from bigscience_portal.core.model_bases import DetailPage, Timestamped
from bigscience_portal.core.models import acting_user, optional_user, status_field
from bigscience_portal.core.search import Searchable, SearchIndexedQuerySet
from bigscience_portal.core.text import LONG_TEXT_VALIDATORS, ONE_LINE_VALIDATORS
from innovation.models import PartnershipOpportunity
from organisations.models import Organisation, optional_organisation


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(tz)s” is not a known time zone."), params={"tz": value})


class EventQuerySet(SearchIndexedQuerySet):
    def with_b2b(self):
        """Events with B2B meetings (``Event.is_brokerage``): a brokerage, or any event that
        switched them on."""
        return self.filter(models.Q(kind=Event.Kind.BROKERAGE) | models.Q(b2b_meetings=True))


class Event(DetailPage, Timestamped, Searchable):
    """Something people meet at: a workshop, an industry day, a visit, a B2B brokerage event."""

    detail_url_name = "events:event_detail"
    detail_url_key = "slug"

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        INDUSTRY_DAY = "industry_day", _("Industry day")
        INFORMATION_DAY = "information_day", _("Information day")
        BROKERAGE = "brokerage", _("B2B brokerage")
        FACILITY_VISIT = "facility_visit", _("Facility visit")
        CLUSTER_EXCHANGE = "cluster_exchange", _("Cluster exchange")
        CONFERENCE = "conference", _("Conference")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=200, validators=ONE_LINE_VALIDATORS)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    organisers = models.ManyToManyField(
        Organisation, related_name="organised_events", verbose_name=_("organisers")
    )
    b2b_meetings = models.BooleanField(
        _("B2B meetings"),
        default=False,
        help_text=_(
            "Participants book one-to-one meetings, whatever the kind of event (always on for a "
            "B2B brokerage)."
        ),
    )
    host_infrastructure = optional_organisation(
        related_name="hosted_events",
        limit_choices_to={"kind": Organisation.Kind.RESEARCH_INFRASTRUCTURE},
        verbose_name=_("hosting infrastructure"),
        help_text=_("For facility visits: the infrastructure that opens its doors."),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Brussels",
        validators=[validate_time_zone],
        help_text=_("IANA name, e.g. Europe/Copenhagen; times are shown in it."),
    )
    venue = models.CharField(_("venue"), max_length=255, blank=True, validators=ONE_LINE_VALIDATORS)
    venue_city = models.CharField(
        _("city"), max_length=120, blank=True, validators=ONE_LINE_VALIDATORS
    )
    venue_country = CountryField(_("country"), blank=True, db_index=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no limit. Beyond it people join a waiting list."),
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    audience = models.TextField(_("audience"), blank=True, validators=LONG_TEXT_VALIDATORS)
    description = models.TextField(_("description"), blank=True, validators=LONG_TEXT_VALIDATORS)
    status = status_field(Status, Status.DRAFT, db_index=True)
    created_by = optional_user()

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
            )
        ]

    def search_texts(self):
        return None, [self.title], [self.description, self.audience, self.venue_city]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The event cannot end before it starts.")})
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at < self.registration_opens_at
        ):
            raise ValidationError(
                {"registration_closes_at": _("Registration cannot close before it opens.")}
            )

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_brokerage(self) -> bool:
        """Whether the event has B2B meetings: a brokerage, or any event that switched them on."""
        return self.kind == self.Kind.BROKERAGE or self.b2b_meetings

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.status != self.Status.PUBLISHED or self.ends_at < now:
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return not (self.registration_closes_at and now > self.registration_closes_at)


class ProgrammeSession(models.Model):
    """One item of an event's programme: time, room, title, speakers."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="programme")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    room = models.CharField(_("room"), max_length=120, blank=True)
    title = models.CharField(_("title"), max_length=255, validators=ONE_LINE_VALIDATORS)
    speakers = models.CharField(_("speakers"), max_length=500, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("programme session")
        verbose_name_plural = _("programme sessions")

    def __str__(self) -> str:
        return self.title


class RegistrationQuestion(models.Model):
    """An extra question the organiser asks everyone who registers."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")

    def __str__(self) -> str:
        return self.text


class Registration(models.Model):
    """A person's registration for an event, on behalf of an organisation or as an individual."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    organisation = optional_organisation(_("on behalf of"), related_name="event_registrations")
    status = status_field(Status, db_index=True)
    waitlist_position = models.PositiveIntegerField(
        _("position on the waiting list"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=~models.Q(status="cancelled"),
                name="uniq_active_registration",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.event} ({self.status})"

    @property
    def display_name(self) -> str:
        person = self.user.get_full_name() or self.user.email
        return f"{person} ({self.organisation.name})" if self.organisation_id else person

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CANCELLED


class RegistrationAnswer(models.Model):
    """A registrant's answer to one of the organiser's questions."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        RegistrationQuestion, on_delete=models.CASCADE, related_name="answers"
    )
    answer = models.TextField(_("answer"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["registration", "question"], name="uniq_answer")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.answer[:40]}"


# --- B2B brokerage ----------------------------------------------------------------------------


class BrokerageSettings(models.Model):
    """How the one-to-one meetings of a B2B event run; also records scheduler runs and publication."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="brokerage")
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"), default=20, validators=[MinValueValidator(5)]
    )
    tables = models.PositiveSmallIntegerField(
        _("tables"), default=10, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    max_meetings_per_participant = models.PositiveSmallIntegerField(
        _("maximum meetings per participant"), default=8, validators=[MinValueValidator(1)]
    )
    last_run_at = models.DateTimeField(_("scheduler last run"), null=True, blank=True)
    last_run_stats = models.JSONField(default=dict, blank=True)
    unplaced = models.JSONField(
        default=list, blank=True, help_text=_("Meetings the last run could not place, with why.")
    )
    published_at = models.DateTimeField(_("schedule published"), null=True, blank=True)

    class Meta:
        verbose_name = _("brokerage settings")
        verbose_name_plural = _("brokerage settings")

    def __str__(self) -> str:
        return f"B2B settings of {self.event}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class MeetingSession(models.Model):
    """A block of time in which one-to-one meetings take place."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meeting_sessions")
    name = models.CharField(_("name"), max_length=120, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("meeting session")
        verbose_name_plural = _("meeting sessions")

    def __str__(self) -> str:
        return self.name or f"{self.starts_at:%Y-%m-%d %H:%M}"


class Availability(models.Model):
    """A participant is available for meetings in a session."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="availabilities"
    )
    session = models.ForeignKey(
        MeetingSession, on_delete=models.CASCADE, related_name="availabilities"
    )

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availabilities")
        constraints = [
            models.UniqueConstraint(fields=["registration", "session"], name="uniq_availability")
        ]

    def __str__(self) -> str:
        return f"{self.registration} in {self.session}"


class EventOpportunity(models.Model):
    """What a participant offers or seeks at this event: one of their organisation's partnership
    opportunities (``innovation.PartnershipOpportunity``, the EEN profile types), shown at the
    event. One made at the event is shown here only, unless its author asked for it to be
    public too (then it is reviewed, listed and matched like any other)."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="opportunity_links"
    )
    opportunity = models.ForeignKey(
        PartnershipOpportunity,
        on_delete=models.CASCADE,
        related_name="event_links",
        verbose_name=_("partnership opportunity"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("cooperation opportunity at an event")
        verbose_name_plural = _("cooperation opportunities at events")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "opportunity"], name="uniq_event_opportunity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.opportunity} @ {self.registration}"


class MeetingRequest(models.Model):
    """One participant asks another for a one-to-one meeting; the other accepts or declines."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meeting_requests")
    requester = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="requests_sent"
    )
    recipient = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="requests_received"
    )
    message = models.TextField(_("message"), max_length=2000, blank=True)
    status = status_field(Status, Status.REQUESTED, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.UniqueConstraint(
                fields=["requester", "recipient"],
                condition=models.Q(status__in=["requested", "accepted"]),
                name="uniq_open_meeting_request",
            ),
            models.CheckConstraint(
                condition=~models.Q(requester=models.F("recipient")), name="meeting_not_with_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester} → {self.recipient} ({self.status})"

    def other_side(self, registration: Registration) -> Registration:
        return self.recipient if registration.pk == self.requester_id else self.requester


class Meeting(models.Model):
    """Where the scheduler (or the organiser, by hand) placed an accepted meeting request."""

    request = models.OneToOneField(MeetingRequest, on_delete=models.CASCADE, related_name="meeting")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    session = models.ForeignKey(MeetingSession, on_delete=models.CASCADE, related_name="meetings")
    slot_id = models.CharField(_("slot"), max_length=64)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    table = models.PositiveSmallIntegerField(_("table"))
    locked = models.BooleanField(
        _("confirmed (locked)"),
        default=False,
        help_text=_("Locked meetings stay where they are when the scheduler runs again."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "table"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.request} at {self.starts_at:%Y-%m-%d %H:%M}, table {self.table}"


class MeetingOutcome(models.Model):
    """After the event: what came of a meeting, as one of its participants sees it."""

    class Outcome(models.TextChoices):
        NO_FOLLOW_UP = "no_follow_up", _("No follow-up")
        CONTACT_CONTINUES = "contact_continues", _("Contact continues")
        NEGOTIATION_STARTED = "negotiation_started", _("Negotiation started")
        AGREEMENT_REACHED = "agreement_reached", _("Agreement reached")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="outcomes")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="meeting_outcomes"
    )
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting outcome")
        verbose_name_plural = _("meeting outcomes")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "registration"], name="uniq_meeting_outcome")
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.outcome}"


class CoOrganiserInvitation(models.Model):
    """An organiser's invitation to another organisation (a partner cluster, the host
    infrastructure, a university) to co-organise an event.

    Accepted, the organisation joins ``Event.organisers``: its members share every organiser
    tool of the event (``permissions.is_organiser``), the B2B scheduler included. Declined, it
    stays declined (a record of who answered); a new invitation may follow.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="co_organiser_invitations"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="co_organiser_invitations"
    )
    invited_by = acting_user()
    message = models.TextField(_("message"), max_length=2000, blank=True)
    status = status_field(Status, Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = optional_user()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("co-organiser invitation")
        verbose_name_plural = _("co-organiser invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation"],
                condition=models.Q(status="pending"),
                name="uniq_pending_co_organiser_invitation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.organisation_id} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("events:co_organiser_decide", args=[self.pk])
