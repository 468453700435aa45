"""Partnership opportunities in the form of the Enterprise Europe Network's partnering profiles,
their attachments, reviews, expressions of interest, saved searches and stored matches."""

from __future__ import annotations

import datetime as dt

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from bigscience_portal.core.model_bases import Attachment, DetailPage, EngineScore
from bigscience_portal.core.models import (
    SavedSearchBase,
    SavedSearchDeliveryBase,
    TaskRecord,
    acting_user,
    optional_user,
    saved_search_token,
    status_field,
)
from bigscience_portal.core.text import LONG_TEXT_VALIDATORS, ONE_LINE_VALIDATORS
from organisations.models import Approval, CPVCode, NACECode, Organisation

MESSAGE_VALIDATORS = [MaxLengthValidator(4000)]


class Kind(models.TextChoices):
    """The five EEN profile types."""

    TECHNOLOGY_OFFER = "technology_offer", _("Technology offer")
    TECHNOLOGY_REQUEST = "technology_request", _("Technology request")
    BUSINESS_OFFER = "business_offer", _("Business offer")
    BUSINESS_REQUEST = "business_request", _("Business request")
    RD_REQUEST = "rd_request", _("R&D request")


OFFER_KINDS = (Kind.TECHNOLOGY_OFFER, Kind.BUSINESS_OFFER)
#: the EEN reference prefix of each type (TO, TR, BO, BR, RD + country + date + number)
REFERENCE_PREFIX = {
    Kind.TECHNOLOGY_OFFER: "TO",
    Kind.TECHNOLOGY_REQUEST: "TR",
    Kind.BUSINESS_OFFER: "BO",
    Kind.BUSINESS_REQUEST: "BR",
    Kind.RD_REQUEST: "RD",
}


class Stage(models.TextChoices):
    """The technology's stage of development (EEN's list)."""

    CONCEPT = "concept", _("Concept stage")
    DEVELOPMENT = "development", _("Under development, lab tested")
    PROTOTYPE = "prototype", _("Prototype available for demonstration")
    FIELD_TESTED = "field_tested", _("Field tested, evaluated")
    ON_MARKET = "on_market", _("Already on the market")


class IPRStatus(models.TextChoices):
    PATENT_GRANTED = "patent_granted", _("Patent granted")
    PATENT_APPLIED = "patent_applied", _("Patent applied for")
    COPYRIGHT = "copyright", _("Copyright")
    KNOW_HOW = "know_how", _("Secret know-how")
    NONE = "none", _("No IPR protection")


class PartnershipType(models.TextChoices):
    LICENCE = "licence", _("Licence agreement")
    CO_DEVELOPMENT = "co_development", _("Co-development")
    JOINT_VENTURE = "joint_venture", _("Joint venture")
    RESEARCH_COOPERATION = "research_cooperation", _("Research cooperation")
    SUBCONTRACTING = "subcontracting", _("Subcontracting")
    COMMERCIAL = "commercial", _("Commercial agreement with technical assistance")


def choice_labels(choices, codes: str) -> list[str]:
    """The labels of the comma-separated ``codes`` (unknown codes are left out)."""
    known = dict(choices)
    return [str(known[c]) for c in (codes or "").split(",") if c in known]


class OpportunityQuerySet(models.QuerySet):
    def live(self, today: dt.date | None = None) -> OpportunityQuerySet:
        """Published and not past its expiry date (the last valid day is ``expires_on``)."""
        today = today or timezone.localdate()
        return self.filter(status=PartnershipOpportunity.Status.PUBLISHED, expires_on__gte=today)

    def public(self, today: dt.date | None = None) -> OpportunityQuerySet:
        """What the public list shows and the engine matches: live, for everyone (not for an
        event only), of an organisation that acts (a privileged one approved by staff)."""
        org_acts = Q(organisation__isnull=False) & (
            ~Q(organisation__kind__in=Organisation.PRIVILEGED_KINDS)
            | Q(organisation__approval=Approval.APPROVED)
        )
        return (
            self.live(today)
            .filter(visibility=PartnershipOpportunity.Visibility.PUBLIC)
            .filter(org_acts)
        )


class PartnershipOpportunity(DetailPage, models.Model):
    """A technology or business offer or request (EEN partnering profile) of an organisation.

    Written as a draft by the organisation's people, reviewed before it is published (by the
    organisation's administrators; by staff while the organisation is not approved), valid until
    ``expires_on`` (its people are reminded before it lapses and told when it did; past it the
    profile leaves the public list and the matching). ``visibility`` says whether it is for
    everyone or only shown at the B2B events it is linked to (``events.EventOpportunity``).
    """

    detail_url_name = "innovation:opportunity_detail"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("Awaiting review")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: listed for everyone")
        EVENT = "event", _("Only at the events where it is shown")

    Kind = Kind

    kind = models.CharField(_("type"), max_length=24, choices=Kind.choices, db_index=True)
    reference = models.CharField(_("reference"), max_length=20, blank=True, db_index=True)
    title = models.CharField(_("title"), max_length=200, validators=ONE_LINE_VALIDATORS)
    summary = models.TextField(
        _("summary"), max_length=600, blank=True, validators=[MaxLengthValidator(600)]
    )
    description = models.TextField(_("description"), validators=LONG_TEXT_VALIDATORS)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="partnership_opportunities",
        verbose_name=_("organisation"),
        help_text=_("Empty only for a B2B participant who registered as an individual."),
    )
    contact = optional_user(_("contact person"))
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level (TRL)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text=_("1 (basic principles observed) to 9 (proven in its operational environment)."),
    )
    stage = models.CharField(
        _("stage of development"), max_length=16, choices=Stage.choices, blank=True
    )
    ipr_status = models.CharField(
        _("IPR status"), max_length=16, choices=IPRStatus.choices, blank=True
    )
    ipr_details = models.CharField(
        _("IPR details"), max_length=300, blank=True, validators=ONE_LINE_VALIDATORS
    )
    #: comma-separated :class:`PartnershipType` codes (no code is part of another)
    partnership_types = models.CharField(_("partnership types sought"), max_length=200, blank=True)
    target_countries = CountryField(
        _("target countries"),
        multiple=True,
        blank=True,
        max_length=800,
        help_text=_("Where partners are sought; leave empty for any country."),
    )
    cpv_codes = models.ManyToManyField(
        CPVCode, blank=True, related_name="+", verbose_name=_("CPV codes")
    )
    nace_codes = models.ManyToManyField(
        NACECode, blank=True, related_name="+", verbose_name=_("NACE codes")
    )
    programme = models.CharField(
        _("funding programme"),
        max_length=200,
        blank=True,
        validators=ONE_LINE_VALIDATORS,
        help_text=_("R&D requests: the programme and call, e.g. Horizon Europe, Eurostars."),
    )
    call_deadline = models.DateField(_("deadline of the funding call"), null=True, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = status_field(Status, Status.DRAFT, db_index=True)
    expires_on = models.DateField(_("valid until"), null=True, blank=True, db_index=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    renewal_reminded_on = models.DateField(
        _("renewal reminder sent for"),
        null=True,
        blank=True,
        help_text=_("The expiry date the last reminder to renew was about."),
    )
    expiry_noticed_on = models.DateField(_("expiry notice sent for"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = optional_user()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("partnership opportunity")
        verbose_name_plural = _("partnership opportunities")
        indexes = [models.Index(fields=["status", "visibility", "expires_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_offer(self) -> bool:
        return self.kind in OFFER_KINDS

    @property
    def noun(self) -> str:
        """ "offer" or "request": how reasons and pages name it."""
        return "offer" if self.is_offer else "request"

    def is_expired(self, today: dt.date | None = None) -> bool:
        return self.expires_on is not None and self.expires_on < (today or timezone.localdate())

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.PUBLISHED and not self.is_expired()

    @property
    def shown_status(self) -> str:
        """The status as people read it: a published profile past its date is "Expired"."""
        if self.status == self.Status.PUBLISHED and self.is_expired():
            return str(_("Expired"))
        return str(self.get_status_display())

    @property
    def partnership_type_labels(self) -> list[str]:
        return choice_labels(PartnershipType.choices, self.partnership_types)


class OpportunityAttachment(Attachment):
    """A document of an opportunity (a flyer, a patent abstract), checked before it is stored."""

    opportunity = models.ForeignKey(
        PartnershipOpportunity, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="innovation/opportunities/%Y/")

    class Meta:
        ordering = ["opportunity", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class OpportunityStatusChange(models.Model):
    """One step of an opportunity's life (submitted, published, returned, withdrawn, renewed):
    who, when, and why."""

    opportunity = models.ForeignKey(
        PartnershipOpportunity, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=10, blank=True)
    to_status = models.CharField(_("to"), max_length=10)
    changed_by = optional_user()
    note = models.TextField(_("note"), blank=True, validators=[MaxLengthValidator(2000)])
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["opportunity", "created_at", "pk"]
        verbose_name = _("opportunity status change")
        verbose_name_plural = _("opportunity status changes")

    def __str__(self) -> str:
        return f"{self.opportunity_id}: {self.from_status or '-'} → {self.to_status}"


class Interest(DetailPage, models.Model):
    """An organisation's expression of interest in an opportunity, with a message; the offering
    organisation answers, and the two go on in the interest's conversation (``conversations``
    opens it with ``message`` as its first message, on ``signals.interest_expressed``) or meet.
    Closing the interest closes its conversation."""

    detail_url_name = "innovation:interest_detail"

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    opportunity = models.ForeignKey(
        PartnershipOpportunity, on_delete=models.CASCADE, related_name="interests"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="opportunity_interests"
    )
    submitted_by = acting_user()
    message = models.TextField(_("message"), validators=MESSAGE_VALIDATORS)
    status = status_field(Status, Status.OPEN, db_index=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("expression of interest in an opportunity")
        verbose_name_plural = _("expressions of interest in opportunities")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "organisation"], name="uniq_interest_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.opportunity}"

    @property
    def is_closed(self) -> bool:
        """Closed by one of the two: its conversation takes no more messages."""
        return self.status == self.Status.CLOSED


#: the default of ``OpportunitySearch.token`` in the first migration
_token = saved_search_token


class OpportunitySearch(SavedSearchBase):
    """A user's saved filters on the opportunities list, e-mailed as a daily or weekly digest."""

    list_url_name = "innovation:opportunity_list"
    edit_url_name = "innovation:search_edit"

    class Meta(SavedSearchBase.Meta):
        verbose_name = _("saved opportunity search")
        verbose_name_plural = _("saved opportunity searches")


class OpportunitySearchDelivery(SavedSearchDeliveryBase):
    """An opportunity sent in a saved search's digest: at most once per search."""

    item_field = "opportunity"

    search = models.ForeignKey(
        OpportunitySearch, on_delete=models.CASCADE, related_name="deliveries"
    )
    opportunity = models.ForeignKey(
        PartnershipOpportunity, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("opportunity digest delivery")
        verbose_name_plural = _("opportunity digest deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["search", "opportunity"], name="uniq_opportunity_search_delivery"
            )
        ]


class OpportunityMatchRun(TaskRecord):
    """One scoring run of the matching engine for opportunities (a ``core`` TaskRecord):
    one opportunity against every company, or one company against every live opportunity.
    Queued with the change that asks for it (a publication, an edit, a profile change), at most
    one queued per target (``uniq_queued_opportunity_run``)."""

    class Kind(models.TextChoices):
        OPPORTUNITY = "opportunity", _("One opportunity against all companies")
        COMPANY = "company", _("One company against all opportunities")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    target_id = models.BigIntegerField(_("target id"))
    pairs_scored = models.PositiveIntegerField(_("pairs scored"), default=0)
    rows_stored = models.PositiveIntegerField(_("rows stored"), default=0)
    engine_version = models.CharField(_("engine version"), max_length=20, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("opportunity matching run")
        verbose_name_plural = _("opportunity matching runs")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "target_id"],
                condition=Q(status="queued"),
                name="uniq_queued_opportunity_run",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.target_id} ({self.get_status_display()})"

    def task_signature(self):
        from ..tasks import score_opportunity_run

        return score_opportunity_run.si(self.pk)


class OpportunityMatch(EngineScore):
    """A company's fit with an opportunity as the engine scored it: the score and its
    components, from which the reasons are rendered for whoever reads them."""

    opportunity = models.ForeignKey(
        PartnershipOpportunity, on_delete=models.CASCADE, related_name="matches"
    )
    company = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="opportunity_matches"
    )
    rank = models.PositiveIntegerField(_("rank among the opportunity's companies"))
    run = models.ForeignKey(
        OpportunityMatchRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["opportunity", "rank"]
        verbose_name = _("opportunity match")
        verbose_name_plural = _("opportunity matches")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "company"], name="uniq_opportunity_match"
            )
        ]
        indexes = [models.Index(fields=["company", "score"])]

    def __str__(self) -> str:
        return f"{self.company_id} x {self.opportunity_id}: {self.score:.3f}"
