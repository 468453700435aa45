"""Exports of the calls app as files: the expressions of interest of a call as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from bigscience_portal.core.spreadsheets import escape_cell

from .models import ExpressionOfInterest, ProcurementCall


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def eois_csv_filename(call: ProcurementCall) -> str:
    return f"expressions-of-interest-{call.pk}-{slugify(call.reference or call.title)[:40]}.csv"


def eois_csv(eois: Iterable[ExpressionOfInterest]) -> str:
    """One row per expression of interest (needs ``organisation`` and ``submitted_by``
    loaded), every cell protected against spreadsheet formulas."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
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
    )
    for eoi in eois:
        user = eoi.submitted_by
        organisation = eoi.organisation
        cells = (
            organisation.name,
            organisation.country.code if organisation.country else "",
            user.get_full_name() if user else "",
            user.email if user else "",
            eoi.message,
            "; ".join(p.strip() for p in eoi.partners.splitlines() if p.strip()),
            eoi.get_status_display(),
            _when(eoi.created_at),
            _when(eoi.withdrawn_at),
        )
        writer.writerow([escape_cell(v) for v in cells])
    return out.getvalue()
