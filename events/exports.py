"""Participant lists as rows for an export (``core.spreadsheets`` writes them as CSV or Excel)."""

from __future__ import annotations


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
