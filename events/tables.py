"""The tables of the events pages (rendered by ``core/_table.html``).

Times are shown in the event's own time zone, so the tables whose columns show times take
their columns from a function of the event (``columns=schedule_columns(event)``); the others
declare them.
"""

from __future__ import annotations

from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _

from bigscience_portal.core.tables import Column, Table

TIME = "D j M H:i"


def _local(value, tz, fmt: str = TIME) -> str:
    return dateformat.format(timezone.localtime(value, tz), fmt) if value else ""


def _span(start, end, tz) -> str:
    """``Mon 3 May 09:00`` to ``09:30`` with an en dash, in ``tz`` (the start alone when there
    is no end)."""
    return _local(start, tz) + (f"\u2013{_local(end, tz, 'H:i')}" if end else "")


# --- the organiser's pages --------------------------------------------------------------------


def _status(registration) -> str:
    position = f" #{registration.waitlist_position}" if registration.waitlist_position else ""
    return f"{registration.get_status_display()}{position}"


class ParticipantTable(Table):
    """Registrations, with one column per registration question (:func:`participant_columns`)."""

    empty_text = _("No registrations yet.")
    columns = [
        Column(_("Name"), lambda r: r.user.get_full_name() or "-"),
        Column(_("E-mail"), "user.email"),
        Column(
            _("Organisation"),
            lambda r: r.organisation.name if r.organisation_id else None,
            empty=_("(individual)"),
        ),
        Column(_("Status"), _status),
    ]


def participant_columns(questions) -> list[Column]:
    """The participant table's columns and an answer column per question."""
    return [
        *ParticipantTable.columns,
        *(
            Column(q.text, lambda r, pk=q.pk: r.answer_texts.get(pk, ""), empty="")
            for q in questions
        ),
    ]


class ScheduleTable(Table):
    """The placed meetings of a B2B event, by time and table (:func:`schedule_columns`)."""

    caption = _("Placed meetings")
    caption_hidden = True
    empty_text = _("No meetings are placed yet. Run the scheduler once meetings are accepted.")
    css = "table table-sm align-middle events-schedule"


def _pair(meeting) -> str:
    return f"{meeting.request.requester.display_name} ↔ {meeting.request.recipient.display_name}"


def schedule_columns(event) -> list[Column]:
    tz = event.tzinfo
    return [
        Column(
            _("Time (%(tz)s)") % {"tz": event.time_zone},
            lambda m: _span(m.starts_at, m.ends_at, tz),
        ),
        Column(_("Table"), "table"),
        Column(_("Participants"), _pair),
        Column(_("Locked"), lambda m: _("yes") if m.locked else _("no")),
        Column(_("Actions"), template="events/cells/meeting_actions.html"),
    ]


class StatisticsTable(Table):
    """Per organisation: (name, counts) rows of ``selectors.statistics``."""

    caption = _("Per organisation")
    row_header = True
    empty_text = _("No participants yet.")
    columns = [
        Column(_("Organisation"), lambda row: row[0]),
        Column(_("Participants"), lambda row: row[1]["participants"], numeric=True),
        Column(_("Requests sent"), lambda row: row[1]["sent"], numeric=True),
        Column(_("Requests received"), lambda row: row[1]["received"], numeric=True),
        Column(_("Accepted"), lambda row: row[1]["accepted"], numeric=True),
        Column(_("Scheduled"), lambda row: row[1]["scheduled"], numeric=True),
    ]


class OutcomeCountTable(Table):
    """(outcome, count) rows of ``selectors.outcome_summary``."""

    caption = _("Outcomes")
    row_header = True
    css = "table table-sm w-auto"
    columns = [
        Column(_("Outcome"), lambda row: row[0]),
        Column(_("Count"), lambda row: row[1], numeric=True),
    ]


class OutcomeByOrganisationTable(Table):
    """(organisation, outcome, count) rows of ``selectors.outcome_summary``."""

    caption = _("Per organisation (as recorded by its participants)")
    empty_text = _("Nothing recorded yet.")
    css = "table table-sm w-auto"
    columns = [
        Column(_("Organisation"), lambda row: row[0]),
        Column(_("Outcome"), lambda row: row[1]),
        Column(_("Count"), lambda row: row[2], numeric=True),
    ]


# --- the public and the participant's pages ---------------------------------------------------


class ProgrammeTable(Table):
    """An event's programme (:func:`programme_columns`)."""

    caption = _("Programme")
    caption_hidden = True
    empty_text = _("The programme is not published yet.")


def programme_columns(event) -> list[Column]:
    tz = event.tzinfo
    return [
        Column(_("Time"), lambda item: _span(item.starts_at, item.ends_at, tz)),
        Column(_("Session"), template="events/cells/programme_session.html"),
        Column(_("Room"), "room", empty=""),
    ]


class AgendaTable(Table):
    """A participant's meetings in the published schedule (:func:`agenda_columns`)."""

    css = "table"
    empty_text = _("You have no meetings in the published schedule.")


def agenda_columns(event, registration) -> list[Column]:
    tz = event.tzinfo
    return [
        Column(_("Time"), lambda m: _span(m.starts_at, m.ends_at, tz)),
        Column(_("Table"), "table"),
        Column(_("With"), lambda m: m.request.other_side(registration).display_name),
    ]
