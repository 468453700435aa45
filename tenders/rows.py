"""What a row of the calls list shows: ``selectors.call_list_rows`` dicts with their display
values (labels in the current language, the deadline and its countdown), rendered by
``templates/tenders/_call_rows.html``."""

from __future__ import annotations

from functools import lru_cache

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from bigscience_portal.core.dates import when
from organisations.code_labels import code_labels, labelled

from . import selectors
from .models import ProcurementCall
from .templatetags.tenders_tags import countdown_text

#: The Bootstrap badge of each status (``templates/tenders/_status_badge.html`` for objects).
STATUS_BADGE = {
    ProcurementCall.Status.PUBLISHED: "text-bg-success",
    ProcurementCall.Status.DRAFT: "text-bg-secondary",
    ProcurementCall.Status.CLOSED: "text-bg-warning",
    ProcurementCall.Status.AWARDED: "text-bg-primary",
}


class CallRow(dict):
    """One call of the list, as the row template shows it: ``pk``, ``url``, ``title``,
    ``facts`` (the line under the title: buyer, reference, stage, procedure, value band, as
    its parts), ``status``, ``status_label``, ``status_class``, ``sme_friendly``, ``marks``,
    ``cpv_codes``, ``cpv`` (the same codes, each with its own label in the language:
    ``organisations.code_labels.CodeLabel``), ``deadline_iso``, ``deadline``, ``countdown``.

    A dict, because the template engine looks a name up as a key first (an object's
    attribute costs it a caught exception per lookup); readable as attributes too.
    """

    __slots__ = ()

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


@lru_cache(maxsize=4096)
def _deadline_text(language: str | None, deadline, zone_name: str) -> tuple[str, str]:
    """A deadline as the row shows it (ISO, and in the language's format in the call's zone,
    with the zone: ``core.dates.when``), once per value and zone: the same calls come back on
    page after page."""
    return timezone.localtime(deadline).isoformat(), when(deadline, zone_name)


@lru_cache(maxsize=32)
def _labels(language: str | None) -> tuple[dict, dict, dict]:
    """Stage, procedure and status labels in ``language`` (translated once per language)."""
    return (
        {k: str(v) for k, v in ProcurementCall.Stage.choices},
        {k: str(v) for k, v in ProcurementCall.Procedure.choices},
        {k: str(v) for k, v in ProcurementCall.Status.choices},
    )


def call_rows(rows, *, now=None, marks=None) -> list[CallRow]:
    """The rows of one list page (dicts of ``selectors.call_list_rows``); ``marks``: {call id:
    [``tenders.marks.CallMark``]} of what the user's companies did with the calls."""
    marks = marks or {}
    now = now or timezone.now()
    language = get_language()
    stages, procedures, statuses = _labels(language)
    base = reverse("tenders:call_list")
    published = ProcurementCall.Status.PUBLISHED
    band = _("band")
    codes = [selectors.row_cpv_codes(row) for row in rows]
    labels = code_labels((c for row_codes in codes for c in row_codes), language=language)
    out = []
    for row, row_codes in zip(rows, codes, strict=True):
        deadline = row["tender_period_end"]
        iso, shown = _deadline_text(language, deadline, row["time_zone"]) if deadline else ("", "")
        status = row["status"]
        facts = [
            row["buyer__acronym"] or row["buyer__name"],
            row["reference"],
            stages.get(row["stage"], row["stage"]),
            procedures.get(row["procurement_method"], row["procurement_method"]),
        ]
        if row["value_band"]:
            facts.append(f"{band} {row['value_band']}")
        out.append(
            CallRow(
                pk=row["id"],
                url=f"{base}{row['id']}/",
                title=row["title"],
                facts=[fact for fact in facts if fact],
                status=status,
                status_label=statuses.get(status, status),
                status_class=STATUS_BADGE.get(status, "text-bg-dark"),
                sme_friendly=row["sme_friendly"],
                marks=marks.get(row["id"], ()),
                cpv_codes=row_codes,
                cpv=labelled(row_codes, labels, language=language),
                deadline_iso=iso,
                deadline=shown,
                countdown=(
                    countdown_text(deadline, now) if deadline and status == published else ""
                ),
            )
        )
    return out
