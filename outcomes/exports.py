"""The dashboards' figures as CSV and Excel: pure functions from rows to bytes, safe to open in
a spreadsheet (cells that would run as formulas are escaped)."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font

from bigscience_portal.core.spreadsheets import escape_cell

from .selectors.cluster import CLUSTER_MEASURES

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

MEMBER_HEADER = [
    _("Member"),
    _("Country"),
    _("Open recommendations"),
    _("Calls forwarded by the cluster"),
    _("Expressions of interest"),
    _("B2B meetings"),
    _("Agreements reached"),
    _("Bids"),
    _("Contracts won"),
    _("Value won (EUR)"),
]


def member_rows(funnel: dict) -> list[list]:
    """Per member: name, country, each of ``CLUSTER_MEASURES``, the value won."""
    return [
        [r["name"], r["country"], *[r[m] for m in CLUSTER_MEASURES], f"{r['won']:.2f}"]
        for r in funnel["rows"]
    ]


def over_time_rows(funnel: dict) -> list[list]:
    """Per month (or year): each measure but the open recommendations (not dated)."""
    return [[b["label"], *[b[m] for m in CLUSTER_MEASURES[1:]]] for b in funnel["over_time"]]


OVER_TIME_HEADER = [
    _("Period"),
    _("Calls forwarded"),
    _("Expressions of interest"),
    _("B2B meetings"),
    _("Agreements reached"),
    _("Bids"),
    _("Contracts won"),
]

RETURN_HEADER = [
    _("Country"),
    _("Value awarded (EUR)"),
    _("Share of value awarded (%)"),
    _("Share of contributions (%)"),
    _("Return coefficient"),
    _("Band"),
]


def return_rows(result, band_labels: dict) -> list[list]:
    return [
        [
            r.country or str(_("(unknown)")),
            f"{r.awarded_eur:.2f}",
            f"{r.awarded_share * 100:.2f}",
            "" if r.contribution_share is None else f"{r.contribution_share * 100:.2f}",
            "" if r.coefficient is None else f"{r.coefficient:.2f}",
            str(band_labels.get(r.band, r.band)),
        ]
        for r in result.rows
    ]


def to_csv(sections: list[tuple[str, list[str], list[list]]]) -> bytes:
    """Sections (a title line, a header, rows) one after the other, UTF-8 with a BOM."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    for i, (title, header, rows) in enumerate(sections):
        if i:
            writer.writerow([])
        writer.writerow([escape_cell(title)])
        writer.writerow([escape_cell(h) for h in header])
        for row in rows:
            writer.writerow([escape_cell(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(sections: list[tuple[str, list[str], list[list]]]) -> bytes:
    """One sheet per section; numbers stay numbers, text is escaped."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, header, rows in sections:
        ws = wb.create_sheet(title=escape_cell(title)[:31].replace("/", "-") or "Sheet")
        ws.append([escape_cell(h) for h in header])
        for row in rows:
            ws.append([v if isinstance(v, int | float) else escape_cell(v) for v in row])
        for cell in ws[1]:
            cell.font = Font(bold=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
