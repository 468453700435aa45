"""Template helpers for calls: the deadline countdown and a page link keeping the filters."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django import template
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from tenders import permissions

register = template.Library()


def countdown_text(deadline: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """ "closes in 3 days 4 hours", "closes in 25 minutes", "closed" (two largest units)."""
    if deadline is None:
        return _("no deadline")
    now = now or timezone.now()
    seconds = int((deadline - now).total_seconds())
    if seconds <= 0:
        return _("deadline passed")
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60 if not days else 0
    return _countdown(get_language(), days, hours, minutes)


@lru_cache(maxsize=2048)
def _countdown(language: str | None, days: int, hours: int, minutes: int) -> str:
    """The text of a countdown in ``language`` (the active one), once per value."""
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if hours and len(parts) < 2:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if not days and (minutes or not parts) and len(parts) < 2:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    return _("closes in %(time)s") % {"time": " ".join(parts)}


@register.filter
def countdown(deadline):
    return countdown_text(deadline)


@register.filter
def can_manage_call(user, call) -> bool:
    return permissions.can_manage_call(user, call)


@register.filter
def title_in_language(call) -> str:
    """The call's title in the active language when its notice has one, else English."""
    return call.title_in(get_language())


@register.filter
def description_in_language(call) -> str:
    return call.description_in(get_language())
