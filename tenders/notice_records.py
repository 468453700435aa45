"""What the imports remember: each notice imported (its identity, its format, the call it went
to), so that a notice is imported once whatever its format, and a change notice finds its call."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from bigscience_portal.core.models import TaskRecord


class ImportedNotice(models.Model):
    """One TED notice (R2.0.9 or eForms) that an import wrote into a call.

    ``notice_number`` is the publication number ("089010-2021"; an eForms notice not yet
    published: "<notice id>-<version>"). A notice and its twin in the other format share it and
    so the call. ``eforms_key`` ("<notice id>-<version>") is what eForms change notices name
    (``changed_notice_id``); ``procedure_id`` (BT-04) ties award notices to their procedure.
    """

    class Format(models.TextChoices):
        TED_R209 = "ted-r2.0.9", _("TED XML R2.0.9")
        EFORMS = "eforms", _("eForms")

    call = models.ForeignKey(
        "tenders.ProcurementCall", on_delete=models.CASCADE, related_name="imported_notices"
    )
    notice_format = models.CharField(_("format"), max_length=12, choices=Format.choices)
    notice_number = models.CharField(_("notice number"), max_length=100, db_index=True)
    eforms_key = models.CharField(_("eForms id and version"), max_length=100, blank=True)
    changes_key = models.CharField(
        _("changes notice"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("The eForms notice (id-version) this change notice changes."),
    )
    procedure_id = models.CharField(_("procedure id"), max_length=100, blank=True)
    notice_kind = models.CharField(_("kind"), max_length=20, blank=True)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        ordering = ["call", "imported_at", "id"]
        verbose_name = _("imported notice")
        verbose_name_plural = _("imported notices")
        constraints = [
            models.UniqueConstraint(
                fields=["notice_format", "notice_number"], name="uniq_imported_notice"
            )
        ]
        indexes = [models.Index(fields=["eforms_key"])]

    def __str__(self) -> str:
        return f"{self.notice_number} ({self.notice_format})"


class InterestProfileEntry(models.Model):
    """One line of the portal's interest profile, edited by staff in the admin: a CPV division
    or code of Big Science purchases, a buyer (name or identifier) of the infrastructures, or a
    country. The defaults in ``tenders.scope.DEFAULT_INTEREST_PROFILE`` (overridable by the
    ``TED_INTEREST_PROFILE`` setting) come on top; see ``tenders.scope`` for how a notice is
    judged in scope."""

    class Kind(models.TextChoices):
        CPV = "cpv", _("CPV division or code")
        BUYER = "buyer", _("Buyer name or identifier")
        COUNTRY = "country", _("Country (ISO 3166 alpha-2)")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    value = models.CharField(
        _("value"),
        max_length=200,
        help_text=_(
            'A CPV prefix ("38", "31670000"), a buyer\'s name or identifier, or a country.'
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "value"]
        verbose_name = _("interest profile entry")
        verbose_name_plural = _("interest profile")
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="uniq_interest_profile_entry")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class HarvestRun(TaskRecord):
    """One harvest of TED's search API: what it asked, how far it got, what it found and did.

    A :class:`~bigscience_portal.core.models.TaskRecord` written queued (``harvest_start``),
    run by ``tenders.run_ted_harvest`` or ``manage.py harvest_ted``. A run that fails (TED
    unreachable, HTTP 429 or 5xx after its retries, a malformed page) records why and the page
    it stopped at; the next run resumes there (``resumed_from``) with the same ``since``. Notices
    are imported through the one import path, so a notice seen twice is imported once.
    """

    stale_after = timedelta(hours=1)

    query = models.TextField(_("query"), blank=True)
    since = models.DateField(_("published since"), null=True, blank=True)
    next_page = models.PositiveIntegerField(_("next page"), default=1)
    pages = models.PositiveIntegerField(_("pages read"), default=0)
    found = models.PositiveIntegerField(_("notices found"), default=0)
    imported = models.PositiveIntegerField(_("imported"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    out_of_scope = models.PositiveIntegerField(_("outside the profile"), default=0)
    skipped = models.PositiveIntegerField(_("skipped families"), default=0)
    refused = models.PositiveIntegerField(_("refused"), default=0)
    log = models.TextField(_("log"), blank=True)
    resumed_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("resumes"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("TED harvest")
        verbose_name_plural = _("TED harvests")

    def __str__(self) -> str:
        return f"TED harvest {self.pk} ({self.status})"

    def task_signature(self):
        from tenders.tasks import run_ted_harvest

        return run_ted_harvest.si(self.pk)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("tenders:harvest_detail", kwargs={"pk": self.pk})
