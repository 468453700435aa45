"""What came of a match: the funnel's steps, and the figures of industrial return.

**The funnel is one model** (:class:`FunnelStep`), not a view over the other apps' tables: a
recommendation is read from ``matchmaking.Match`` as it is (the engine rewrites those rows
wholesale, in bulk), and so are B2B meetings and their outcomes from ``events`` (the scheduler
places, moves and drops meetings in bulk); every other step (forwarded by a cluster, invited by
an officer, an expression of interest, a bid, an award, lost or withdrawn) is a row here with
who and when. The steps that other apps record are copied in by signal receivers
(``outcomes.receivers``, keyed by ``source`` so that a second save changes nothing); bids, lost
and withdrawn are facts only the company knows and records here. One table makes each dashboard
one grouped query whatever the period (``docs/outcomes.md``), lets a company correct or retract
a step without touching the record it came from, and keeps each correction
(:class:`FunnelStepChange`).

**Industrial return** needs contribution shares per infrastructure, member state and year
(:class:`Contribution`, each with its :class:`ContributionSource`), the infrastructure's bands
(:class:`ReturnSettings`) and a dated exchange-rate table (:class:`ExchangeRate`); the
computation itself is the pure :mod:`outcomes.industrial_return`.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from bigscience_portal.core.model_bases import Timestamped
from bigscience_portal.core.models import acting_user, optional_user
from bigscience_portal.core.text import ONE_LINE_VALIDATORS
from organisations.models import Organisation, optional_organisation
from tenders.models import Award, ProcurementCall

from .industrial_return import Bands

#: the largest money amount the forms and imports accept (the model's 16 digits, 2 decimals)
MAX_AMOUNT = Decimal("99999999999999.99")


class FunnelStep(Timestamped):
    """One step of a company's way from a recommendation to a contract, with who and when.

    ``via`` is the cluster that forwarded or the buyer that invited. ``source`` names the record of another app the step was copied from (empty for
    what the company recorded here); ``retracted_at`` is set when the company said a step is
    wrong (the row stays, with who and when, and a later save of its source does not bring it
    back).
    """

    class Kind(models.TextChoices):
        FORWARDED = "forwarded", _("Forwarded by a cluster")
        INVITED = "invited", _("Invited by the buyer")
        INTEREST = "interest", _("Expression of interest")
        BID = "bid", _("Bid submitted")
        AWARDED = "awarded", _("Awarded")
        LOST = "lost", _("Lost")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    #: what only the company knows: it records these itself
    COMPANY_RECORDED = (Kind.BID, Kind.LOST, Kind.WITHDRAWN)

    company = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="funnel_steps",
        verbose_name=_("company"),
    )
    call = models.ForeignKey(
        ProcurementCall,
        on_delete=models.CASCADE,
        related_name="funnel_steps",
        verbose_name=_("call"),
    )
    kind = models.CharField(_("step"), max_length=12, choices=Kind.choices, db_index=True)
    occurred_at = models.DateTimeField(_("when"), db_index=True)
    recorded_by = optional_user(_("recorded by"))
    via = optional_organisation(
        _("through"), help_text=_("The cluster that forwarded, or the buyer that invited.")
    )
    source = models.CharField(_("copied from"), max_length=60, blank=True)
    value_amount = models.DecimalField(
        _("value"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_AMOUNT)],
    )
    value_currency = models.CharField(_("currency"), max_length=3, default="EUR")
    value_shared = models.BooleanField(
        _("value shared"),
        default=False,
        help_text=_(
            "Let the company's cluster managers and the buyer's liaison officers see the value."
        ),
    )
    note = models.CharField(_("note"), max_length=500, blank=True, validators=ONE_LINE_VALIDATORS)
    retracted_at = models.DateTimeField(_("retracted"), null=True, blank=True)
    retracted_by = optional_user()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("funnel step")
        verbose_name_plural = _("funnel steps")
        constraints = [
            models.UniqueConstraint(
                fields=["source"], condition=~models.Q(source=""), name="uniq_funnel_step_source"
            )
        ]
        indexes = [
            models.Index(fields=["company", "occurred_at"]),
            models.Index(fields=["call", "kind"]),
            models.Index(fields=["kind", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.company_id} {self.kind} {self.call_id} ({self.occurred_at:%Y-%m-%d})"

    @property
    def is_company_recorded(self) -> bool:
        return not self.source

    @property
    def is_active(self) -> bool:
        return self.retracted_at is None


class FunnelStepChange(models.Model):
    """A correction of a step: who changed which fields from what to what, and when."""

    step = models.ForeignKey(FunnelStep, on_delete=models.CASCADE, related_name="changes")
    changed_by = acting_user()
    changes = models.JSONField(_("changes"), default=dict)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("correction of a funnel step")
        verbose_name_plural = _("corrections of funnel steps")

    def __str__(self) -> str:
        return f"{self.step_id} changed by {self.changed_by_id}"


class AwardLink(models.Model):
    """Staff's decision on an award whose winner the import could not link to the directory.

    ``organisation`` empty: staff looked and the winner is not in the directory (the award leaves
    the queue). The importer's own link (``Award.supplier``) wins when there is one; this row
    survives a re-import of the notice, which rewrites ``Award.supplier`` from the name alone.
    """

    award = models.OneToOneField(Award, on_delete=models.CASCADE, related_name="outcome_link")
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="award_links",
        verbose_name=_("winner in the directory"),
    )
    decided_by = acting_user()
    decided_at = models.DateTimeField(_("decided"), auto_now=True)

    class Meta:
        verbose_name = _("award link")
        verbose_name_plural = _("award links")

    def __str__(self) -> str:
        return f"award {self.award_id} → {self.organisation_id or 'not in the directory'}"


def _infrastructure(related_name: str, field=models.ForeignKey):
    """The research infrastructure whose contributions or settings a row holds."""
    return field(
        Organisation,
        on_delete=models.CASCADE,
        related_name=related_name,
        limit_choices_to={"kind": Organisation.Kind.RESEARCH_INFRASTRUCTURE},
    )


class ExchangeRate(models.Model):
    """How many euros one unit of a currency was worth from ``valid_from`` on (until the next
    rate of the same currency). Awards are converted at the rate valid on their date."""

    currency = models.CharField(_("currency"), max_length=3)
    valid_from = models.DateField(_("valid from"))
    eur_per_unit = models.DecimalField(
        _("euros per unit"),
        max_digits=18,
        decimal_places=8,
        validators=[MinValueValidator(Decimal("0.00000001"))],
    )
    source = models.CharField(
        _("source"), max_length=200, blank=True, validators=ONE_LINE_VALIDATORS
    )

    class Meta:
        ordering = ["currency", "-valid_from"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(fields=["currency", "valid_from"], name="uniq_rate_per_day")
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.eur_per_unit} EUR from {self.valid_from}"


class ContributionSource(models.Model):
    """Where a set of contribution shares comes from (a council's published scale, a report)."""

    infrastructure = _infrastructure("contribution_sources")
    title = models.CharField(_("source"), max_length=300, validators=ONE_LINE_VALIDATORS)
    url = models.URLField(_("link"), blank=True)
    illustrative = models.BooleanField(
        _("illustrative figures"),
        default=False,
        help_text=_("The figures are not published ones: pages say so."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True, validators=ONE_LINE_VALIDATORS)
    created_by = optional_user()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["infrastructure", "-created_at"]
        verbose_name = _("source of contributions")
        verbose_name_plural = _("sources of contributions")

    def __str__(self) -> str:
        return self.title


class Contribution(models.Model):
    """A member state's share of an infrastructure's contributions in one year, in percent."""

    infrastructure = _infrastructure("contributions")
    country = CountryField(_("member state"))
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )
    share_percent = models.DecimalField(
        _("share (%)"),
        max_digits=7,
        decimal_places=4,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    source = models.ForeignKey(
        ContributionSource, on_delete=models.PROTECT, related_name="contributions"
    )

    class Meta:
        ordering = ["infrastructure", "-year", "-share_percent"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.UniqueConstraint(
                fields=["infrastructure", "country", "year"], name="uniq_contribution"
            )
        ]

    def __str__(self) -> str:
        return f"{self.infrastructure_id} {self.country} {self.year}: {self.share_percent} %"


def _band_limit(verbose_name, default: Decimal) -> models.DecimalField:
    """A band's limit: the return coefficient below which a member state is in the band."""
    return models.DecimalField(
        verbose_name,
        max_digits=4,
        decimal_places=2,
        default=default,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )


class ReturnSettings(models.Model):
    """An infrastructure's bands of industrial return (CERN's for supplies by default) and
    whether its calls favour firms of its poorly balanced member states."""

    infrastructure = _infrastructure("return_settings", field=models.OneToOneField)
    poorly_balanced_below = _band_limit(_("poorly balanced below"), Decimal("1.00"))
    very_poorly_balanced_below = _band_limit(_("very poorly balanced below"), Decimal("0.40"))
    favours_poorly_balanced = models.BooleanField(
        _("favours firms of poorly balanced member states"), default=True
    )
    window_years = models.PositiveSmallIntegerField(
        _("years the balance is judged over"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("The calendar years up to the current one that decide who is favoured."),
    )

    class Meta:
        verbose_name = _("industrial return settings")
        verbose_name_plural = _("industrial return settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    very_poorly_balanced_below__lte=models.F("poorly_balanced_below")
                ),
                name="return_bands_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.infrastructure}: < {self.poorly_balanced_below} / < {self.very_poorly_balanced_below}"

    @property
    def bands(self) -> Bands:
        """The bands as the pure computation takes them."""
        return Bands(poor=self.poorly_balanced_below, very_poor=self.very_poorly_balanced_below)
