"""The tables of the exchanges app (rendered by ``core/_table.html``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bigscience_portal.core.tables import Column, Table

CELLS = "exchanges/cells"


class ExchangeTable(Table):
    caption = _("Exchange programmes")
    caption_hidden = True
    empty_text = _("No exchange matches these filters.")
    row_header = True
    columns = [
        Column(_("Exchange"), inline='<a href="{{ row.get_absolute_url }}">{{ row.title }}</a>'),
        Column(_("Kind"), "get_kind_display"),
        Column(_("Host"), "host_cluster.name"),
        Column(_("Theme"), "theme"),
        Column(_("First day"), "starts_on", format="date"),
        Column(_("Places"), "places", numeric=True),
        Column(_("Status"), "get_status_display"),
    ]


class ApplicationTable(Table):
    caption = _("Applications")
    empty_text = _("No application yet.")
    row_header = True
    columns = [
        Column(
            _("Applicant"),
            inline='<a href="{{ row.get_absolute_url }}">'
            "{{ row.applicant.get_full_name|default:row.applicant.email }}</a>",
        ),
        Column(_("Company"), "organisation.name"),
        Column(_("Country"), "organisation.country.name"),
        Column(_("Applied"), "created_at", format="datetime"),
        Column(_("Status"), "get_status_display"),
        Column(_("Waiting list"), "waitlist_position", numeric=True),
    ]


class HostApplicationTable(ApplicationTable):
    """The host's list: an accepted participant's place can be cancelled from their row."""

    columns = [
        *ApplicationTable.columns,
        Column(_("Place"), template=f"{CELLS}/application_cancel.html"),
    ]


class MyApplicationTable(Table):
    caption = _("Your applications")
    empty_text = _("You have not applied for an exchange yet.")
    row_header = True
    columns = [
        Column(
            _("Exchange"),
            inline='<a href="{{ row.get_absolute_url }}">{{ row.exchange.title }}</a>',
        ),
        Column(_("Host"), "exchange.host_cluster.name"),
        Column(_("First day"), "exchange.starts_on", format="date"),
        Column(_("On behalf of"), "organisation.name"),
        Column(_("Status"), "get_status_display"),
    ]


class PartnershipTable(Table):
    caption = _("Cluster partnerships")
    caption_hidden = True
    empty_text = _("No partnership yet.")
    row_header = True
    columns = [
        Column(
            _("Clusters"),
            inline='<a href="{{ row.get_absolute_url }}">{{ row.proposer.name }} + '
            "{{ row.partner.name }}</a>",
        ),
        Column(_("From"), "starts_on", format="date"),
        Column(_("Until"), lambda row: row.ended_on or row.ends_on, format="date"),
        Column(_("Status"), "get_status_display"),
    ]


def _when(item) -> str | None:
    from django.utils import formats, timezone

    if item.start is None:
        return None
    tz = item.exchange.tzinfo
    start = formats.date_format(timezone.localtime(item.start, tz), "DATETIME_FORMAT")
    if item.end is None:
        return start
    return f"{start} \u2013 {formats.date_format(timezone.localtime(item.end, tz), 'TIME_FORMAT')}"


def _where(item) -> str | None:
    if item.place:
        return item.place
    if item.event_id:
        event = item.event
        return ", ".join(p for p in [event.venue, event.venue_city] if p) or None
    return None


class AgendaTable(Table):
    caption = _("Agenda")
    empty_text = _("The host has not set the agenda yet.")
    row_header = False
    columns = [
        Column(_("When"), _when),
        Column(_("Part"), template=f"{CELLS}/agenda_part.html"),
        Column(_("Where"), _where),
    ]


class HostAgendaTable(AgendaTable):
    columns = [*AgendaTable.columns, Column(_("Remove"), template=f"{CELLS}/agenda_remove.html")]
