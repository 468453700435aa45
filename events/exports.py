"""Participant lists as CSV and Excel, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from bigscience_portal.core.spreadsheets import escape_cell

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def participant_rows(registrations, questions) -> tuple[list[str], list[list[str]]]:
    header = [
        "Name",
        "E-mail",
        "Organisation",
        "Country",
        "Status",
        "Waiting list position",
        "Registered at (UTC)",
        *[q.text for q in questions],
    ]
    rows = []
    for r in registrations:
        answers = {a.question_id: a.answer for a in r.answers.all()}
        rows.append(
            [
                r.user.get_full_name(),
                r.user.email,
                r.organisation.name if r.organisation_id else "",
                str(r.organisation.country.code or "") if r.organisation_id else "",
                r.get_status_display(),
                str(r.waitlist_position or ""),
                r.created_at.strftime("%Y-%m-%d %H:%M"),
                *[answers.get(q.pk, "") for q in questions],
            ]
        )
    return header, rows


def to_csv(header, rows) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([escape_cell(h) for h in header])
    for row in rows:
        writer.writerow([escape_cell(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(header, rows, title: str = "Participants") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append([escape_cell(h) for h in header])
    for row in rows:
        ws.append([escape_cell(v) for v in row])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
