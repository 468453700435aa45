"""Marks on calls: what a company has done with a call, shown where it meets the call again
(the calls list, the recommended calls): "Interest expressed" here, and what the apps above
tenders add (matchmaking: "Not relevant", "Forwarded to you", "Marked relevant").

A mark is a code, a label (a word, never a colour only) and a function
``(organisation_ids, call_ids) -> QuerySet`` of rows with a ``call_id`` (the calls of
``call_ids`` the organisations did it for). The apps above register theirs from their
``AppConfig.ready()`` (``register_call_mark``); tenders never imports them. All the marks of a
page are read in one query (``call_marks``: one ``UNION`` of every registered mark's rows).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import CharField, QuerySet, Value
from django.utils.translation import gettext_lazy as _

from . import permissions
from .models import ExpressionOfInterest


@dataclass(frozen=True)
class CallMark:
    code: str
    label: str
    rows: Callable[..., QuerySet]
    #: the Bootstrap badge classes (with the label: the colour is never the only sign)
    badge: str = "text-bg-light border"


_marks: dict[str, CallMark] = {}


def register_call_mark(code: str, label, rows: Callable[..., QuerySet], *, badge: str = "") -> None:
    """Add (or replace: registering twice is harmless) the mark ``code``."""
    _marks[code] = CallMark(code, label, rows, badge or "text-bg-light border")


def registered() -> list[CallMark]:
    return list(_marks.values())


def _interest_rows(organisation_ids, call_ids) -> QuerySet:
    return ExpressionOfInterest.objects.filter(
        organisation_id__in=organisation_ids,
        call_id__in=call_ids,
        status=ExpressionOfInterest.Status.ACTIVE,
    )


register_call_mark("interest", _("Interest expressed"), _interest_rows, badge="text-bg-success")


def call_marks(*, organisation_ids, call_ids) -> dict[int, list[CallMark]]:
    """{call id: [marks, in the order they were registered]} of the calls ``call_ids`` for the
    organisations ``organisation_ids`` (ids, or a ``values("pk")`` queryset), in one query."""
    call_ids = list(call_ids)
    marks = registered()
    if not call_ids or not marks:
        return {}
    parts = [
        mark.rows(organisation_ids, call_ids)
        .order_by()
        .annotate(mark=Value(mark.code, output_field=CharField()))
        .values_list("call_id", "mark")
        for mark in marks
    ]
    found: dict[int, set[str]] = {}
    for call_id, code in parts[0].union(*parts[1:]):
        found.setdefault(call_id, set()).add(code)
    return {
        call_id: [mark for mark in marks if mark.code in codes] for call_id, codes in found.items()
    }


def user_call_marks(user, call_ids) -> dict[int, list[CallMark]]:
    """The marks of the calls for the companies ``user`` acts for (none for a visitor)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    return call_marks(
        organisation_ids=permissions.interest_organisations(user).values("pk"), call_ids=call_ids
    )
