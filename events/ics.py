"""iCalendar (RFC 5545) files for events and personal B2B agendas; every time is written in UTC,
the words in the language active when the file is made (the page's, or the mail recipient's)."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as VEvent

from bigscience_portal.core.mail import one_line

PRODID = "-//Big Science Matchmaking Portal//events//EN"


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "bigscience.example"


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", one_line(name))
    return cal


def _location(event) -> str:
    parts = [event.venue, event.venue_city, str(event.venue_country.name or "")]
    where = ", ".join(p for p in parts if p)
    return where or event.online_url


def event_calendar(event) -> bytes:
    """One VEVENT for the event itself."""
    cal = _calendar(event.title)
    ev = VEvent()
    ev.add("uid", f"event-{event.pk}@{_host()}")
    ev.add("dtstamp", _utc(timezone.now()))
    ev.add("dtstart", _utc(event.starts_at))
    ev.add("dtend", _utc(event.ends_at))
    ev.add("summary", one_line(event.title))
    ev.add("description", event.description[:2000])
    location = _location(event)
    if location:
        ev.add("location", location)
    ev.add("url", settings.SITE_URL + event.get_absolute_url())
    if event.status == event.Status.CANCELLED:
        ev.add("status", "CANCELLED")
    cal.add_component(ev)
    return cal.to_ical()


def agenda_calendar(registration, meetings) -> bytes:
    """One VEVENT per scheduled meeting of a participant."""
    event = registration.event
    cal = _calendar(_("%(event)s: B2B meetings") % {"event": event.title})
    for meeting in meetings:
        other = meeting.request.other_side(registration)
        ev = VEvent()
        ev.add("uid", f"meeting-{meeting.request_id}@{_host()}")
        ev.add("dtstamp", _utc(meeting.updated_at or timezone.now()))
        ev.add("dtstart", _utc(meeting.starts_at))
        ev.add("dtend", _utc(meeting.ends_at))
        ev.add(
            "summary",
            one_line(_("B2B meeting with %(who)s") % {"who": other.display_name}),
        )
        ev.add(
            "location",
            (_("Table %(table)s") % {"table": meeting.table} + f", {_location(event)}").rstrip(
                ", "
            ),
        )
        ev.add(
            "description",
            _("%(event)s: one-to-one meeting at table %(table)s.")
            % {"event": event.title, "table": meeting.table},
        )
        cal.add_component(ev)
    return cal.to_ical()
