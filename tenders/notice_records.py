"""What the imports remember: each notice imported (its identity, its format, the call it went
to), so that a notice is imported once whatever its format, and a change notice finds its call."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
