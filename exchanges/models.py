"""Exchanges between clusters: exchange programmes (ClusterXchange visits and "360 Xchange"
programmes that bundle events), the applications of the member companies of other clusters
with the host's selection and waiting list, and partnerships between two clusters."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from bigscience_portal.core.model_bases import DetailPage, Timestamped
from bigscience_portal.core.models import optional_user, status_field
from bigscience_portal.core.text import LONG_TEXT_VALIDATORS, ONE_LINE_VALIDATORS
from events.models import Event, Registration, validate_time_zone
from organisations.models import Organisation

#: the longest motivation an applicant may write (about half a page)
MOTIVATION_MAX = 2000
#: goals of a partnership, what an exchange covers
SHORT_TEXT_VALIDATORS = [MaxLengthValidator(2000)]
#: the longest reason a host gives for cancelling a place, or a manager for ending a partnership
REASON_MAX = 1000
REASON_VALIDATORS = [MaxLengthValidator(REASON_MAX)]


class Exchange(DetailPage, Timestamped):
    """An exchange programme a host cluster publishes for the members of other clusters: a
    ClusterXchange visit, or a "360 Xchange" whose agenda bundles linked events (a facility
    visit, a conference, a B2B session) under one registration."""

    detail_url_name = "exchanges:exchange_detail"
    detail_url_key = "slug"

    class Kind(models.TextChoices):
        CLUSTER_XCHANGE = "cluster_xchange", _("ClusterXchange visit")
        XCHANGE_360 = "360", _("360 Xchange")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.CLUSTER_XCHANGE
    )
    title = models.CharField(_("title"), max_length=200, validators=ONE_LINE_VALIDATORS)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    host_cluster = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="hosted_exchanges",
        limit_choices_to={"kind": Organisation.Kind.CLUSTER},
        verbose_name=_("host cluster"),
    )
    theme = models.CharField(_("theme"), max_length=200, validators=ONE_LINE_VALIDATORS)
    description = models.TextField(_("description"), blank=True, validators=LONG_TEXT_VALIDATORS)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Copenhagen",
        validators=[validate_time_zone],
        help_text=_("IANA name, e.g. Europe/Stockholm; agenda times are shown in it."),
    )
    applications_close_on = models.DateField(
        _("applications close"),
        null=True,
        blank=True,
        help_text=_("The last day to apply; leave empty to take applications until it starts."),
    )
    places = models.PositiveIntegerField(
        _("places"),
        validators=[MinValueValidator(1)],
        help_text=_("Once they are taken, further acceptances go to the waiting list."),
    )
    host_organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="exchanges_visited",
        verbose_name=_("organisations to visit"),
    )
    facilities = models.TextField(
        _("facilities to visit"), blank=True, validators=SHORT_TEXT_VALIDATORS
    )
    covered = models.TextField(
        _("what is covered"),
        blank=True,
        validators=SHORT_TEXT_VALIDATORS,
        help_text=_("Travel, accommodation, meals ... as the host offers them."),
    )
    eligible_clusters = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="exchanges_open_to",
        limit_choices_to={"kind": Organisation.Kind.CLUSTER},
        verbose_name=_("open to the members of"),
        help_text=_("Members of the host's active partner clusters may apply too."),
    )
    eligible_countries = CountryField(
        _("countries"),
        multiple=True,
        blank=True,
        help_text=_("The applicant company's country; leave empty for any country."),
    )
    status = status_field(Status, Status.DRAFT, db_index=True)
    created_by = optional_user(_("created by"))

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("exchange programme")
        verbose_name_plural = _("exchange programmes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="exchange_ends_after_start",
            ),
            models.CheckConstraint(condition=models.Q(places__gte=1), name="exchange_has_places"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The last day cannot come before the first day.")
        if (
            self.applications_close_on
            and self.ends_on
            and self.applications_close_on > self.ends_on
        ):
            errors["applications_close_on"] = _(
                "Applications cannot close after the exchange is over."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_360(self) -> bool:
        return self.kind == self.Kind.XCHANGE_360

    def is_over(self, today=None) -> bool:
        """Its last day has passed."""
        return self.ends_on < (today or timezone.localdate())

    def applications_are_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        if self.status != self.Status.PUBLISHED:
            return False
        last = self.applications_close_on or self.starts_on
        return today <= last


class AgendaItem(models.Model):
    """One part of an exchange's agenda: a linked event (the facility visit, the conference,
    the B2B session of a 360 Xchange: accepted participants are registered for it) or an item
    of its own (a transfer, a dinner)."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="agenda")
    event = models.ForeignKey(
        Event,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exchange_agenda_items",
        verbose_name=_("linked event"),
    )
    title = models.CharField(_("title"), max_length=200, blank=True, validators=ONE_LINE_VALIDATORS)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True, validators=ONE_LINE_VALIDATORS)
    description = models.TextField(_("description"), blank=True, validators=SHORT_TEXT_VALIDATORS)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(event__isnull=False)
                | (models.Q(starts_at__isnull=False) & ~models.Q(title="")),
                name="agenda_item_event_or_own_time",
            ),
            models.UniqueConstraint(
                fields=["exchange", "event"],
                condition=models.Q(event__isnull=False),
                name="uniq_agenda_event",
            ),
        ]

    def __str__(self) -> str:
        return self.shown_title

    @property
    def shown_title(self) -> str:
        return self.title or (self.event.title if self.event_id else "")

    @property
    def start(self):
        return self.event.starts_at if self.event_id else self.starts_at

    @property
    def end(self):
        return self.event.ends_at if self.event_id else self.ends_at


class Application(DetailPage, models.Model):
    """A member of another cluster applies for a place; the host accepts (or, the places
    taken, puts on the waiting list) or declines; the applicant may withdraw, and the host may
    cancel an accepted participant's place (with a reason the participant is told)."""

    detail_url_name = "exchanges:application_detail"

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the host's decision")
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("On the waiting list")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CANCELLED = "cancelled", _("Place cancelled by the host")

    OPEN = (Status.PENDING, Status.ACCEPTED, Status.WAITLISTED)

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_applications"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="exchange_applications",
        verbose_name=_("company"),
    )
    motivation = models.TextField(_("motivation"), validators=[MaxLengthValidator(MOTIVATION_MAX)])
    status = status_field(Status, Status.PENDING, db_index=True)
    waitlist_position = models.PositiveIntegerField(
        _("position on the waiting list"), null=True, blank=True
    )
    registrations = models.ManyToManyField(
        Registration,
        blank=True,
        related_name="+",
        verbose_name=_("registrations for the linked events"),
    )
    created_at = models.DateTimeField(_("applied"), auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = optional_user(_("decided by"))
    cancel_reason = models.TextField(
        _("why the host cancelled the place"), blank=True, validators=REASON_VALIDATORS
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("exchange application")
        verbose_name_plural = _("exchange applications")
        constraints = [
            models.UniqueConstraint(
                fields=["exchange", "applicant"],
                condition=models.Q(status__in=["pending", "accepted", "waitlisted"]),
                name="uniq_open_exchange_application",
            )
        ]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.exchange} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class Partnership(DetailPage, models.Model):
    """A cooperation between two clusters, proposed by one's manager and accepted by the
    other's. While active, each cluster's exchanges are open to the other's members; a
    manager of either cluster may end it (when and by whom is kept)."""

    detail_url_name = "exchanges:partnership_detail"

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")
        ENDED = "ended", _("Ended")

    proposer = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="partnerships_proposed",
        verbose_name=_("proposing cluster"),
    )
    partner = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="partnerships_received",
        verbose_name=_("partner cluster"),
    )
    goals = models.TextField(_("goals"), validators=SHORT_TEXT_VALIDATORS)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    status = status_field(Status, Status.PROPOSED)
    proposed_by = optional_user(_("proposed by"))
    decided_by = optional_user(_("decided by"))
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = optional_user(_("ended by"))
    end_reason = models.TextField(_("why it ended"), blank=True, validators=REASON_VALIDATORS)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("cluster partnership")
        verbose_name_plural = _("cluster partnerships")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(proposer=models.F("partner")), name="partnership_of_two"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="partnership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposer} + {self.partner} ({self.status})"

    def other(self, cluster: Organisation) -> Organisation:
        return self.partner if cluster.pk == self.proposer_id else self.proposer

    @property
    def ended_on(self):
        """The day it was ended (in the portal's time zone), or None."""
        return timezone.localdate(self.ended_at) if self.ended_at else None

    def has_expired(self, today=None) -> bool:
        """The last day it was agreed for has passed."""
        return self.ends_on is not None and self.ends_on < (today or timezone.localdate())

    def is_active(self, today=None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status == self.Status.ACTIVE
            and self.starts_on <= today
            and (self.ends_on is None or today <= self.ends_on)
        )
