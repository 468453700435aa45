"""Exports of the calls app: the expressions of interest of a call as CSV rows, written by
``core.spreadsheets``."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from bigscience_portal.core.spreadsheets import to_csv

from .models import ExpressionOfInterest, ProcurementCall


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def eois_csv_filename(call: ProcurementCall) -> str:
    return f"expressions-of-interest-{call.pk}-{slugify(call.reference or call.title)[:40]}.csv"


def eois_csv(eois: Iterable[ExpressionOfInterest]) -> bytes:
    """One row per expression of interest (needs ``organisation`` and ``submitted_by``
    loaded), every cell protected against spreadsheet formulas (``core.spreadsheets``)."""
    header = [
        _("Company"),
        _("Country"),
        _("Submitted by"),
        _("E-mail"),
        _("Message"),
        _("Consortium partners"),
        _("Status"),
        _("Submitted"),
        _("Withdrawn"),
    ]
    rows = []
    for eoi in eois:
        user = eoi.submitted_by
        organisation = eoi.organisation
        rows.append(
            [
                organisation.name,
                organisation.country.code if organisation.country else "",
                user.get_full_name() if user else "",
                user.email if user else "",
                eoi.message,
                "; ".join(p.strip() for p in eoi.partners.splitlines() if p.strip()),
                eoi.get_status_display(),
                _when(eoi.created_at),
                _when(eoi.withdrawn_at),
            ]
        )
    return to_csv([(None, header, rows)], bom=False)
