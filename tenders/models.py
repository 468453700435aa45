"""Procurement calls, following the Open Contracting Data Standard's names where they fit."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from bigscience_portal.core.dates import validate_time_zone
from bigscience_portal.core.model_bases import DetailPage
from bigscience_portal.core.models import (
    SavedSearchBase,
    SavedSearchDeliveryBase,
    acting_user,
    optional_user,
    saved_search_token,
    status_field,
)
from bigscience_portal.core.search import Searchable, SearchIndexedQuerySet
from bigscience_portal.core.text import LONG_TEXT_VALIDATORS, ONE_LINE_VALIDATORS
from organisations.models import (
    Certification,
    ContractReference,
    CPVCode,
    Organisation,
    optional_organisation,
)

#: A TED publication number as the importers store it (``source_id`` of a TED call).
TED_PUBLICATION_NUMBER = re.compile(r"^\d{1,8}-\d{4}$")


def ordered_cpv_codes(main: str | None, additional) -> list[str]:
    """A call's CPV codes as pages show them: the main code first, then the additional ones in
    code order, without repeating the main one."""
    extra = sorted(code for code in additional if code and code != main)
    return ([main] if main else []) + extra


def _in_language(texts: dict | None, language: str | None) -> str:
    """A notice's text in ``language`` ("de", "de-ch": German), or "" when it has none."""
    return (texts or {}).get((language or "").split("-")[0].lower(), "")


class ProcurementCallQuerySet(SearchIndexedQuerySet):
    def open(self, now=None):
        """Calls that accept bids: published, and the deadline (if any) not passed."""
        now = now or timezone.now()
        return self.filter(status=ProcurementCall.Status.PUBLISHED).filter(
            models.Q(tender_period_end__isnull=True) | models.Q(tender_period_end__gt=now)
        )


class ProcurementCall(DetailPage, Searchable):
    """A need or procurement call published by a research infrastructure (OCDS ``tender``)."""

    detail_url_name = "tenders:call_detail"

    class Stage(models.TextChoices):
        ADVANCE_NOTICE = "advance_notice", _("Advance notice")
        MARKET_SURVEY = "market_survey", _("Market survey")
        PRICE_ENQUIRY = "price_enquiry", _("Price enquiry")
        INVITATION_TO_TENDER = "invitation_to_tender", _("Invitation to tender")
        EXPRESSION_OF_INTEREST = "expression_of_interest", _("Call for expression of interest")
        CO_DEVELOPMENT = "co_development", _("Co-development need")
        IN_KIND = "in_kind", _("In-kind contribution")

    class Procedure(models.TextChoices):
        OPEN = "open", _("Open")
        RESTRICTED = "restricted", _("Restricted")
        NEGOTIATED = "negotiated", _("Negotiated")
        COMPETITIVE_DIALOGUE = "competitive_dialogue", _("Competitive dialogue")
        INNOVATION_PARTNERSHIP = "innovation_partnership", _("Innovation partnership")
        OTHER = "other", _("Other")

    class MainCategory(models.TextChoices):
        """OCDS ``mainProcurementCategory``."""

        GOODS = "goods", _("Goods")
        WORKS = "works", _("Works")
        SERVICES = "services", _("Services")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")
        AWARDED = "awarded", _("Awarded")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        PORTAL = "portal", _("Posted here")
        TED = "ted", _("Imported from TED")
        OCDS = "ocds", _("Imported from OCDS")

    ValueBand = ContractReference.ValueBand

    buyer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="calls",
        verbose_name=_("buyer"),
    )
    reference = models.CharField(
        _("reference"), max_length=100, blank=True, validators=ONE_LINE_VALIDATORS
    )
    title = models.CharField(_("title"), max_length=400, validators=ONE_LINE_VALIDATORS)
    description = models.TextField(_("description"), blank=True, validators=LONG_TEXT_VALIDATORS)
    stage = models.CharField(
        _("stage"), max_length=32, choices=Stage.choices, default=Stage.INVITATION_TO_TENDER
    )
    procurement_method = models.CharField(
        _("procedure"), max_length=32, choices=Procedure.choices, default=Procedure.OPEN
    )
    main_procurement_category = models.CharField(
        _("main category"), max_length=10, choices=MainCategory.choices, default=MainCategory.GOODS
    )
    main_cpv = models.ForeignKey(
        CPVCode,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("main CPV code"),
    )
    additional_cpv = models.ManyToManyField(
        CPVCode, blank=True, related_name="+", verbose_name=_("additional CPV codes")
    )
    value_amount = models.DecimalField(
        _("estimated value"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    value_currency = models.CharField(_("currency"), max_length=3, default="EUR")
    value_band = models.CharField(
        _("value band"), max_length=1, choices=ValueBand.choices, blank=True, db_index=True
    )
    enquiry_period_end = models.DateTimeField(_("clarification deadline"), null=True, blank=True)
    tender_period_end = models.DateTimeField(
        _("submission deadline"), null=True, blank=True, db_index=True
    )
    #: The buyer's zone: the deadlines are entered and shown in it (stored in UTC).
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.TIME_ZONE,
        validators=[validate_time_zone],
        help_text=_("The deadlines are entered and shown in this zone (IANA name)."),
    )
    eligible_countries = CountryField(
        _("eligible countries"),
        multiple=True,
        blank=True,
        max_length=800,
        help_text=_("Leave empty when companies from any country may bid."),
    )
    sme_friendly = models.BooleanField(_("SME-friendly"), default=False)
    required_certifications = models.ManyToManyField(
        Certification, blank=True, related_name="+", verbose_name=_("required certifications")
    )
    selection_criteria = models.TextField(
        _("selection criteria"), blank=True, validators=LONG_TEXT_VALIDATORS
    )
    award_criteria = models.TextField(
        _("award criteria"), blank=True, validators=LONG_TEXT_VALIDATORS
    )
    contact = optional_user(_("contact (liaison officer)"))
    language = models.CharField(_("language"), max_length=8, default="en")
    country = CountryField(_("place of performance"), blank=True)
    status = status_field(Status, Status.DRAFT, db_index=True)
    source = models.CharField(
        _("source"), max_length=8, choices=Source.choices, default=Source.PORTAL
    )
    source_id = models.CharField(
        _("source identifier"),
        max_length=100,
        blank=True,
        help_text=_("TED notice number or OCDS ocid of an imported call."),
    )
    notice_type = models.CharField(_("notice type"), max_length=80, blank=True)
    #: An imported notice's texts in every language it has, keyed by ISO 639-1 code; ``title``
    #: and ``description`` hold the English one (else the original). See :meth:`title_in`.
    titles = models.JSONField(_("titles per language"), default=dict, blank=True)
    descriptions = models.JSONField(_("descriptions per language"), default=dict, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    created_by = optional_user(_("created by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # search_title / search_body / search_vector come from Searchable (core.search): the stems
    # of title and reference (A) and of the description (B) in the call's language, indexed by
    # an FTS5 table on SQLite and a trigger-kept, GIN-indexed tsvector on PostgreSQL.

    objects = ProcurementCallQuerySet.as_manager()

    class Meta:
        ordering = ["tender_period_end", "id"]
        verbose_name = _("procurement call")
        verbose_name_plural = _("procurement calls")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~models.Q(source_id=""),
                name="uniq_call_source_id",
            )
        ]
        indexes = [models.Index(fields=["status", "tender_period_end"])]

    def __str__(self) -> str:
        return self.title

    def search_texts(self):
        return self.language, [self.title, self.reference], [self.description]

    def fill_search_columns(self) -> None:
        """The call's own texts, then each translation the notice carries stemmed in its own
        language, so that a search in any of the notice's languages finds the call."""
        from bigscience_portal.core.search import index_text

        super().fill_search_columns()

        def translations(texts, own: str) -> list[str]:
            return [
                index_text(text, language=code)
                for code, text in sorted((texts or {}).items())
                if text and text != own
            ]

        titles = translations(self.titles, self.title)
        bodies = translations(self.descriptions, self.description)
        self.search_title = " ".join(filter(None, [self.search_title, *titles]))
        self.search_body = " ".join(filter(None, [self.search_body, *bodies]))

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PUBLISHED and (
            self.tender_period_end is None or self.tender_period_end > timezone.now()
        )

    @property
    def is_visible_to_public(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def accepts_questions(self) -> bool:
        """Published, and the clarification (or else submission) deadline has not passed."""
        if self.status != self.Status.PUBLISHED:
            return False
        deadline = self.enquiry_period_end or self.tender_period_end
        return deadline is None or deadline > timezone.now()

    @property
    def cpv_codes(self) -> list[str]:
        """Main code first, then the additional ones (needs ``additional_cpv`` prefetched)."""
        return ordered_cpv_codes(self.main_cpv_id, [c.code for c in self.additional_cpv.all()])

    def title_in(self, language: str | None) -> str:
        """The title in ``language`` when the notice has one, else the English (or original)."""
        return _in_language(self.titles, language) or self.title

    def description_in(self, language: str | None) -> str:
        return _in_language(self.descriptions, language) or self.description

    @property
    def ted_url(self) -> str:
        """The notice on TED, by its publication number as TED writes it in its addresses
        ("89010-2021": no leading zeros); empty for calls that are not TED notices."""
        if self.source != self.Source.TED or not TED_PUBLICATION_NUMBER.match(self.source_id):
            return ""
        number, year = self.source_id.split("-")
        return f"https://ted.europa.eu/en/notice/-/detail/{int(number)}-{year}"


class Lot(models.Model):
    """A lot of a call (OCDS ``tender.lots``)."""

    call = models.ForeignKey(ProcurementCall, on_delete=models.CASCADE, related_name="lots")
    number = models.CharField(_("number"), max_length=20)
    title = models.CharField(_("title"), max_length=400, blank=True, validators=ONE_LINE_VALIDATORS)
    description = models.TextField(_("description"), blank=True, validators=LONG_TEXT_VALIDATORS)
    value_amount = models.DecimalField(
        _("estimated value"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    cpv_codes = models.ManyToManyField(CPVCode, blank=True, related_name="+")

    class Meta:
        ordering = ["call", "number"]
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        constraints = [models.UniqueConstraint(fields=["call", "number"], name="uniq_lot_number")]

    def __str__(self) -> str:
        return f"Lot {self.number}: {self.title}"


class Award(models.Model):
    """A contract awarded under a call (OCDS ``awards``)."""

    call = models.ForeignKey(ProcurementCall, on_delete=models.CASCADE, related_name="awards")
    lot_number = models.CharField(_("lot"), max_length=20, blank=True)
    supplier = optional_organisation(_("supplier in the directory"), related_name="awards_won")
    supplier_name = models.CharField(_("supplier"), max_length=255)
    supplier_country = CountryField(_("supplier country"), blank=True)
    value_amount = models.DecimalField(
        _("value"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    value_currency = models.CharField(_("currency"), max_length=3, default="EUR")
    date = models.DateField(_("date"), null=True, blank=True)
    contract_number = models.CharField(_("contract number"), max_length=100, blank=True)
    #: The winner's registration numbers as the notice gives them (eForms BT-501, R2.0.9 NATIONALID).
    supplier_identifiers = models.JSONField(_("supplier identifiers"), default=list, blank=True)

    class Meta:
        ordering = ["call", "lot_number", "id"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")

    def __str__(self) -> str:
        return f"{self.supplier_name} ({self.call})"


class CallDocument(models.Model):
    """A document attached to a call: a file uploaded here or a link to the buyer's portal."""

    call = models.ForeignKey(ProcurementCall, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to="call-documents/%Y/", blank=True)
    url = models.URLField(_("link"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["call", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title


class ExpressionOfInterest(models.Model):
    """A company's expression of interest in a call, with optional consortium partners."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    call = models.ForeignKey(
        ProcurementCall, on_delete=models.CASCADE, related_name="expressions_of_interest"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="expressions_of_interest"
    )
    submitted_by = acting_user()
    message = models.TextField(_("message"), max_length=4000, blank=True)
    partners = models.TextField(
        _("consortium partners"), max_length=2000, blank=True, help_text=_("One per line.")
    )
    status = status_field(Status, Status.ACTIVE, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        constraints = [
            models.UniqueConstraint(fields=["call", "organisation"], name="uniq_eoi_per_company")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.call}"


class CallStatusChange(models.Model):
    """One step of a call's lifecycle: from which status to which, by whom, when, and why."""

    call = models.ForeignKey(
        ProcurementCall, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("from"), max_length=10, choices=ProcurementCall.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=10, choices=ProcurementCall.Status.choices)
    changed_by = optional_user(
        help_text=_("Empty when the portal itself made the change (deadline passed).")
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["call", "created_at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.call}: {self.from_status or '-'} → {self.to_status}"


class Amendment(models.Model):
    """A change made to a call after it was published: which field, old and new value."""

    call = models.ForeignKey(ProcurementCall, on_delete=models.CASCADE, related_name="amendments")
    field = models.CharField(_("field"), max_length=60)
    field_label = models.CharField(_("what changed"), max_length=120)
    old_value = models.TextField(_("before"), blank=True)
    new_value = models.TextField(_("after"), blank=True)
    changed_by = optional_user()
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["call", "-created_at", "id"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")

    def __str__(self) -> str:
        return f"{self.call}: {self.field_label}"


class Clarification(models.Model):
    """A question on a published call and the buyer's answer, public once answered.

    The asker is never shown to the public or to other bidders. The question is published as
    the officer edited it (``published_question``: a question often names its asker's company
    or product); blank, it is published as asked. Only the asker and the officers see the
    question as asked.
    """

    call = models.ForeignKey(
        ProcurementCall, on_delete=models.CASCADE, related_name="clarifications"
    )
    question = models.TextField(_("question"), max_length=4000)
    published_question = models.TextField(
        _("question as published"),
        blank=True,
        max_length=4000,
        help_text=_("Blank: the question is published as asked."),
    )
    published_question_edited_by = optional_user()
    published_question_edited_at = models.DateTimeField(
        _("question as published edited"), null=True, blank=True
    )
    asked_by = acting_user()
    asked_at = models.DateTimeField(_("asked"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True, max_length=8000)
    answered_by = optional_user()
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["call", "asked_at", "id"]
        verbose_name = _("clarification")
        verbose_name_plural = _("clarifications")
        indexes = [models.Index(fields=["call", "answered_at"])]

    def __str__(self) -> str:
        return self.question[:80]

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def public_question(self) -> str:
        """The question as the public reads it: the officer's edited version, else as asked."""
        return self.published_question or self.question

    @property
    def is_edited(self) -> bool:
        """Whether the question is published otherwise than it was asked."""
        return bool(self.published_question) and self.published_question != self.question


#: the default of ``SavedSearch.token`` in the early migrations
_unsubscribe_token = saved_search_token


class SavedSearch(SavedSearchBase):
    """A user's saved filters on the calls list, sent as a daily or weekly digest of new calls."""

    list_url_name = "tenders:call_list"
    edit_url_name = "tenders:saved_search_edit"

    class Meta(SavedSearchBase.Meta):
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")


class SavedSearchDelivery(SavedSearchDeliveryBase):
    """A call sent in a saved search's digest: each call is sent at most once per search."""

    item_field = "call"

    search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="deliveries")
    call = models.ForeignKey(ProcurementCall, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("saved-search delivery")
        verbose_name_plural = _("saved-search deliveries")
        constraints = [
            models.UniqueConstraint(fields=["search", "call"], name="uniq_saved_search_delivery")
        ]


# Imported notices, the interest profile and TED harvests live in their own module.
from tenders.notice_records import (  # noqa: E402, F401
    HarvestRun,
    ImportedNotice,
    InterestProfileEntry,
)
