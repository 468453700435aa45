"""Organisations: the directory's one model of a company, infrastructure, cluster or authority,
its approval, its contract references and the history of its profile."""

from __future__ import annotations

from django.core.validators import FileExtensionValidator, MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from bigscience_portal.core.model_bases import DetailPage
from bigscience_portal.core.models import acting_user, optional_user
from bigscience_portal.core.search import Searchable, SearchIndexedQuerySet
from bigscience_portal.core.text import LONG_TEXT_VALIDATORS, ONE_LINE_VALIDATORS

from .reference import Certification, CPVCode, NACECode, TechnologyDomain

#: a message to administrators or a cluster manager (a request to join)
MESSAGE_VALIDATORS = [MaxLengthValidator(2000)]


class Approval(models.TextChoices):
    """Staff's approval of a research infrastructure, cluster or public authority."""

    NOT_NEEDED = "not_needed", _("Not needed")
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


def acting_condition() -> Q:
    """The condition of ``Organisation.objects.acting()``, to combine with others in one filter."""
    return ~Q(kind__in=Organisation.PRIVILEGED_KINDS) | Q(approval=Approval.APPROVED)


def optional_organisation(verbose_name=None, *, related_name: str = "+", **options):
    """A field naming an organisation of the directory that may be absent or leave (the link
    empties): a client, a supplier, a host, the cluster that acted for its member."""
    if verbose_name is not None:
        options["verbose_name"] = verbose_name
    return models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
        **options,
    )


class OrganisationQuerySet(SearchIndexedQuerySet):
    """``Organisation.objects``: the shared filters of the directory."""

    def acting(self) -> OrganisationQuerySet:
        """Organisations that may act and be listed: every kind that needs no approval, and
        the research infrastructures, clusters and public authorities staff approved.

        The directory, the cluster choices and every list of infrastructures or clusters that
        lets someone act (post calls, forward, import) start from this."""
        return self.filter(acting_condition())

    def awaiting_approval(self) -> OrganisationQuerySet:
        """The staff's queue: privileged organisations waiting for a decision."""
        return self.filter(kind__in=Organisation.PRIVILEGED_KINDS, approval=Approval.PENDING)


class Organisation(DetailPage, Searchable):
    """Any organisation in the directory: infrastructure, company, cluster, support body.

    **Approval.** Research infrastructures, clusters and public authorities (``PRIVILEGED_KINDS``)
    act in the portal's name (post calls, invite, import and curate members, forward
    opportunities), so they act and appear in the directory only once staff approved them
    (``approval``; ``permissions.may_act_as_privileged``, ``Organisation.objects.acting()``).
    One registered by a user who is not staff starts ``pending`` (``services.organisation_create``)
    and waits in the staff's queue; staff approve or reject it there, recorded (who, when, why) and
    mailed. ``save`` keeps ``approval`` consistent with ``kind`` whatever writes it: other kinds
    are ``not_needed``; a privileged organisation created by code with staff's authority (the
    admin, the import of public notices, the demo data) is approved at once, and an existing one
    that becomes privileged (its kind changed in the admin) waits for approval again.
    """

    detail_url_name = "organisations:organisation_detail"
    detail_url_key = "slug"

    class Kind(models.TextChoices):
        RESEARCH_INFRASTRUCTURE = "research_infrastructure", _("Research infrastructure")
        SME = "sme", _("SME")
        LARGE_COMPANY = "large_company", _("Large company")
        CLUSTER = "cluster", _("Cluster")
        TECHNOLOGY_CENTRE = "technology_centre", _("Technology centre")
        UNIVERSITY = "university", _("University")
        TECHNOLOGY_TRANSFER_OFFICE = "tto", _("Technology-transfer office")
        INCUBATOR = "incubator", _("Incubator")
        PUBLIC_AUTHORITY = "public_authority", _("Public authority")

    COMPANY_KINDS = (Kind.SME, Kind.LARGE_COMPANY)
    #: kinds that act in the portal's name and need staff's approval first
    PRIVILEGED_KINDS = (Kind.RESEARCH_INFRASTRUCTURE, Kind.CLUSTER, Kind.PUBLIC_AUTHORITY)
    SUPPORT_KINDS = (
        Kind.TECHNOLOGY_CENTRE,
        Kind.UNIVERSITY,
        Kind.TECHNOLOGY_TRANSFER_OFFICE,
        Kind.INCUBATOR,
    )

    class SizeClass(models.TextChoices):
        """EU SME definition (Recommendation 2003/361/EC)."""

        MICRO = "micro", _("Micro (< 10 staff, ≤ €2 m turnover)")
        SMALL = "small", _("Small (< 50 staff, ≤ €10 m turnover)")
        MEDIUM = "medium", _("Medium (< 250 staff, ≤ €50 m turnover)")
        LARGE = "large", _("Large (250 staff or more)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=200, validators=ONE_LINE_VALIDATORS)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    acronym = models.CharField(
        _("acronym"), max_length=40, blank=True, validators=ONE_LINE_VALIDATORS
    )
    legal_name = models.CharField(
        _("legal name"), max_length=255, blank=True, validators=ONE_LINE_VALIDATORS
    )
    country = CountryField(_("country"), blank=True, db_index=True)
    city = models.CharField(_("city"), max_length=120, blank=True, validators=ONE_LINE_VALIDATORS)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    description = models.TextField(_("description"), blank=True, validators=LONG_TEXT_VALIDATORS)
    logo = models.ImageField(
        _("logo"),
        upload_to="logos/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp"])],
    )

    # companies
    size_class = models.CharField(
        _("size class"), max_length=10, choices=SizeClass.choices, blank=True, db_index=True
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    turnover_eur = models.DecimalField(
        _("annual turnover (EUR)"),
        max_digits=15,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    capabilities = models.TextField(
        _("capabilities"),
        blank=True,
        validators=LONG_TEXT_VALIDATORS,
        help_text=_("What the organisation can design, make or do: products, processes, skills."),
    )
    cpv_codes = models.ManyToManyField(
        CPVCode, blank=True, related_name="organisations", verbose_name=_("CPV codes")
    )
    nace_codes = models.ManyToManyField(
        NACECode, blank=True, related_name="organisations", verbose_name=_("NACE codes")
    )
    certifications = models.ManyToManyField(
        Certification, blank=True, related_name="organisations", verbose_name=_("certifications")
    )
    technology_domains = models.ManyToManyField(
        TechnologyDomain,
        blank=True,
        related_name="organisations",
        verbose_name=_("technology domains"),
    )

    # infrastructures
    member_states = CountryField(
        _("member or participating states"), multiple=True, blank=True, max_length=800
    )

    # visibility and curation
    status = models.CharField(
        _("visibility"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    verified_by_cluster = optional_organisation(_("verified by cluster"))
    verified_by = optional_user(_("verified by"))
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    # staff's approval of the privileged kinds (see the class docstring)
    #: the fields that record an approval (read-only in the admin, saved together)
    APPROVAL_FIELDS = (
        "approval",
        "approval_requested_at",
        "approval_requested_by",
        "approval_decided_at",
        "approval_decided_by",
        "approval_reason",
    )
    approval = models.CharField(
        _("approval"),
        max_length=12,
        choices=Approval.choices,
        default=Approval.NOT_NEEDED,
        db_index=True,
    )
    approval_requested_at = models.DateTimeField(_("approval asked"), null=True, blank=True)
    approval_requested_by = optional_user(_("approval asked by"))
    approval_decided_at = models.DateTimeField(_("approval decided"), null=True, blank=True)
    approval_decided_by = optional_user(_("approval decided by"))
    approval_reason = models.TextField(
        _("reason of the decision"), blank=True, validators=MESSAGE_VALIDATORS
    )
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Fictional organisation of the demo data set.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["status", "kind", "name"])]

    def __str__(self) -> str:
        return self.name

    def search_texts(self):
        # profiles have no language field: stemmed as English, every word also kept as written
        return (
            None,
            [self.name, self.acronym, self.legal_name],
            [self.capabilities, self.description],
        )

    def save(self, *args, **kwargs) -> None:
        changed = self._keep_approval_consistent()
        update_fields = kwargs.get("update_fields")
        if changed and update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *changed}
        super().save(*args, **kwargs)

    def _keep_approval_consistent(self) -> list[str]:
        """``approval`` as the kind wants it (see the class docstring); the fields it changed."""
        if self.kind not in self.PRIVILEGED_KINDS:
            if self.approval == Approval.NOT_NEEDED:
                return []
            self.approval = Approval.NOT_NEEDED
            return ["approval"]
        if self.approval != Approval.NOT_NEEDED:
            return []
        now = timezone.now()
        if self._state.adding:
            self.approval, self.approval_decided_at = Approval.APPROVED, now
            return ["approval", "approval_decided_at"]
        self.approval, self.approval_requested_at = Approval.PENDING, now
        return ["approval", "approval_requested_at"]

    @property
    def needs_approval(self) -> bool:
        """A research infrastructure, cluster or public authority: it acts after staff approve."""
        return self.kind in self.PRIVILEGED_KINDS

    @property
    def is_acting(self) -> bool:
        """It may act and be listed: it needs no approval, or staff approved it."""
        return self.acts(self.kind, self.approval)

    @classmethod
    def acts(cls, kind: str, approval: str) -> bool:
        """``is_acting`` of an organisation of ``kind`` and ``approval`` (for rows of values)."""
        return kind not in cls.PRIVILEGED_KINDS or approval == Approval.APPROVED

    @property
    def awaits_approval(self) -> bool:
        return self.needs_approval and self.approval == Approval.PENDING

    @property
    def approval_rejected(self) -> bool:
        return self.needs_approval and self.approval == Approval.REJECTED

    @property
    def is_company(self) -> bool:
        return self.kind in self.COMPANY_KINDS

    @property
    def is_infrastructure(self) -> bool:
        return self.kind == self.Kind.RESEARCH_INFRASTRUCTURE

    @property
    def is_cluster(self) -> bool:
        return self.kind == self.Kind.CLUSTER

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def display_name(self) -> str:
        return (
            f"{self.name} ({self.acronym})"
            if self.acronym and self.acronym != self.name
            else self.name
        )


#: The fields of an organisation's profile, in the order the profile form shows them.
PROFILE_FIELDS = (
    "kind",
    "name",
    "acronym",
    "legal_name",
    "country",
    "city",
    "website",
    "email",
    "description",
    "logo",
    "size_class",
    "employees",
    "turnover_eur",
    "capabilities",
    "cpv_codes",
    "nace_codes",
    "certifications",
    "technology_domains",
    "member_states",
    "status",
)


class ContractReference(models.Model):
    """A past contract a company cites as a reference (client, year, value band, what)."""

    class ValueBand(models.TextChoices):
        """CERN's bands, used across the portal for orders of magnitude."""

        A = "A", _("A: below 750 kCHF")
        B = "B", _("B: 0.75 to 5 MCHF")
        C = "C", _("C: 5 to 10 MCHF")
        D = "D", _("D: above 10 MCHF")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="references"
    )
    client_name = models.CharField(_("client"), max_length=200, validators=ONE_LINE_VALIDATORS)
    client = optional_organisation(
        _("client in the directory"), related_name="references_as_client"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value_band = models.CharField(
        _("value band"), max_length=1, choices=ValueBand.choices, blank=True
    )
    description = models.TextField(_("description"), validators=LONG_TEXT_VALIDATORS)
    cpv_codes = models.ManyToManyField(
        CPVCode, blank=True, related_name="+", verbose_name=_("CPV codes")
    )

    class Meta:
        ordering = ["-year", "client_name"]
        verbose_name = _("contract reference")
        verbose_name_plural = _("contract references")

    def __str__(self) -> str:
        return f"{self.client_name} ({self.year})"


class ProfileChange(models.Model):
    """Who changed what on a profile, when, and on whose behalf (cluster curation audit)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="profile_changes"
    )
    changed_by = acting_user()
    on_behalf_of = optional_organisation(
        help_text=_("The cluster whose manager made the change for its member.")
    )
    changes = models.JSONField(_("changes"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("profile change")
        verbose_name_plural = _("profile changes")

    def __str__(self) -> str:
        return (
            f"{self.organisation} changed by {self.changed_by} at {self.created_at:%Y-%m-%d %H:%M}"
        )
