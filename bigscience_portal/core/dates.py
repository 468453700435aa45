"""Dates and times as the portal shows them: the one way.

A moment (a deadline, a start, a status change) is shown in the locale's ``DATETIME_FORMAT``
(``bigscience_portal/formats/``: Django's formats of each language, 24-hour time in English)
in the zone it belongs to (a call's or an event's ``time_zone``, else the site's
``TIME_ZONE``) followed by that zone's abbreviation: "15 March 2026, 17:00 CET",
"15. marts 2026 17:00 CET". A day (a date, or a moment where only its day matters) is shown
in ``DATE_FORMAT``. Templates use ``{{ value|when:call.time_zone }}`` and ``{{ value|day }}``
(``portal_tags``); Python code (rows, mails, reasons, choices) :func:`when`, :func:`span` (a
session or a slot) and :func:`day`. Machine formats (ISO in ``datetime=`` attributes, CSV, iCalendar, OCDS) stay as they are.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


@lru_cache(maxsize=256)
def zone(name: str | None) -> dt.tzinfo:
    """The ``ZoneInfo`` of an IANA name; the site's zone for none or an unknown name."""
    try:
        return zoneinfo.ZoneInfo(name or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _as_zone(tz) -> dt.tzinfo:
    if isinstance(tz, dt.tzinfo):
        return tz
    return zone(str(tz) if tz else None)


def zone_abbreviation(moment: dt.datetime) -> str:
    """The abbreviation of an aware moment's zone at that moment ("CET", "CEST", "EET");
    "UTC+03" where the zone has no letters for it."""
    name = moment.tzname() or ""
    if name and name[0] in "+-":
        sign = "\u2212" if name[0] == "-" else "+"
        return f"UTC{sign}{name[1:]}"
    return name


def when(value, tz=None, *, fmt: str = "DATETIME_FORMAT") -> str:
    """A moment in the active language's ``fmt`` in the zone ``tz`` (a ``tzinfo`` or an IANA
    name; the site's zone by default), with the zone's abbreviation. A ``date`` is a day."""
    if value is None or value == "":
        return ""
    if not isinstance(value, dt.datetime):
        return day(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    local = timezone.localtime(value, _as_zone(tz))
    return f"{date_format(local, fmt)} {zone_abbreviation(local)}"


def span(start: dt.datetime, end: dt.datetime, tz=None) -> str:
    """A stretch of time (a session, a slot) in the active language's formats in the zone
    ``tz``: "16 March 2026, 09:00 \u2013 12:30 CET"; the end's day is named when it is another."""
    tz = _as_zone(tz)
    first, last = timezone.localtime(start, tz), timezone.localtime(end, tz)
    end_format = "TIME_FORMAT" if first.date() == last.date() else "DATETIME_FORMAT"
    return (
        f"{date_format(first, 'DATETIME_FORMAT')} \u2013 {date_format(last, end_format)} "
        f"{zone_abbreviation(last)}"
    )


def day(value, tz=None) -> str:
    """The day of a date or a moment (in the zone ``tz``, the site's by default) in the active
    language's ``DATE_FORMAT``."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        value = timezone.localtime(value, _as_zone(tz))
    return date_format(value, "DATE_FORMAT")


def validate_time_zone(value: str) -> None:
    """An IANA time zone name that this system knows."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Not a known time zone (IANA name, e.g. Europe/Copenhagen)."))


@lru_cache(maxsize=1)
def time_zone_choices() -> list:
    """The zones a form offers: Europe's first (where nearly every buyer is), then the rest of
    the world, each group sorted by name."""
    names = sorted(
        n for n in zoneinfo.available_timezones() if "/" in n and not n.startswith("Etc/")
    )
    europe = [(n, n) for n in names if n.startswith("Europe/")]
    world = [(n, n) for n in names if not n.startswith("Europe/")]
    return [(_("Europe"), europe), (_("Elsewhere"), world), ("UTC", [("UTC", "UTC")])]


class ZonedTimesMixin:
    """A form whose ``zoned_fields`` (datetime fields) are shown and read as wall-clock times in
    one zone: :meth:`entered_zone` (the zone the form names, e.g. its ``time_zone`` field),
    else the zone of the object (:meth:`own_zone`), else the site's. A time entered as 17:00
    in Europe/Helsinki is stored as 15:00 UTC whatever the server's zone."""

    zoned_fields: tuple[str, ...] = ()

    def own_zone(self) -> str | None:
        return None

    def entered_zone(self, cleaned: dict) -> str | None:
        return self.own_zone()

    def setup_zoned_times(self, *, input_format: str) -> None:
        """Show the stored moments as wall-clock times in the object's zone (call it from
        ``__init__`` after ``super().__init__``)."""
        tz = zone(self.own_zone())
        for name in self.zoned_fields:
            if name not in self.fields:
                continue
            value = self.initial.get(name)
            if isinstance(value, dt.datetime) and timezone.is_aware(value):
                self.initial[name] = timezone.localtime(value, tz).strftime(input_format)

    def clean(self):
        cleaned = super().clean()
        tz = zone(self.entered_zone(cleaned))
        for name in self.zoned_fields:
            value = cleaned.get(name)
            if isinstance(value, dt.datetime):
                # the field read the wall-clock time in the current zone; it was meant in ``tz``
                wall = timezone.make_naive(value) if timezone.is_aware(value) else value
                cleaned[name] = timezone.make_aware(wall, tz)
        return cleaned
