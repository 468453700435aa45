"""A call's deadlines (clarification and submission) as an iCalendar file, in UTC."""

from __future__ import annotations

import datetime as dt

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _

from bigscience_portal.core.mail import one_line

from .models import ProcurementCall

#: How long the calendar entry of a deadline lasts.
DEADLINE_LENGTH = dt.timedelta(minutes=30)


def call_deadlines_ics(call: ProcurementCall, *, site_url: str) -> bytes:
    """The calendar of ``call``'s deadlines; ``site_url`` makes its links absolute."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Big Science Portal//calls//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", one_line(call.title))
    url = site_url + call.get_absolute_url()
    host = site_url.split("://", 1)[-1].split("/", 1)[0]
    deadlines = [
        ("clarification", _("Clarification deadline"), call.enquiry_period_end),
        ("submission", _("Submission deadline"), call.tender_period_end),
    ]
    stamp = timezone.now().astimezone(dt.UTC)
    for key, label, when in deadlines:
        if not when:
            continue
        start = when.astimezone(dt.UTC)
        event = icalendar.Event()
        event.add("uid", f"call-{call.pk}-{key}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", start + DEADLINE_LENGTH)
        event.add("summary", one_line(f"{label}: {call.title}"))
        event.add("description", f"{call.buyer.name} · {call.reference}\n{url}".strip())
        event.add("url", url)
        cal.add_component(event)
    return cal.to_ical()


def call_deadlines_filename(call: ProcurementCall) -> str:
    return f"call-{call.pk}-deadlines.ics"
