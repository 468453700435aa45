"""The dashboards' figures as the sections of an export (headers and rows);
``core.spreadsheets`` writes them as CSV or Excel, safe to open in a spreadsheet."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .selectors.cluster import CLUSTER_MEASURES

MEMBER_HEADER = [
    _("Member"),
    _("Country"),
    _("Open recommendations"),
    _("Calls forwarded by the cluster"),
    _("Expressions of interest"),
    _("B2B meetings"),
    _("Agreements reached"),
    _("Bids"),
    _("Contracts won"),
    _("Value won (EUR)"),
]


def member_rows(funnel: dict) -> list[list]:
    """Per member: name, country, each of ``CLUSTER_MEASURES``, the value won."""
    return [
        [r["name"], r["country"], *[r[m] for m in CLUSTER_MEASURES], f"{r['won']:.2f}"]
        for r in funnel["rows"]
    ]


def over_time_rows(funnel: dict) -> list[list]:
    """Per month (or year): each measure but the open recommendations (not dated)."""
    return [[b["label"], *[b[m] for m in CLUSTER_MEASURES[1:]]] for b in funnel["over_time"]]


OVER_TIME_HEADER = [
    _("Period"),
    _("Calls forwarded"),
    _("Expressions of interest"),
    _("B2B meetings"),
    _("Agreements reached"),
    _("Bids"),
    _("Contracts won"),
]

RETURN_HEADER = [
    _("Country"),
    _("Value awarded (EUR)"),
    _("Share of value awarded (%)"),
    _("Share of contributions (%)"),
    _("Return coefficient"),
    _("Band"),
]


def return_rows(result, band_labels: dict) -> list[list]:
    return [
        [
            r.country or str(_("(unknown)")),
            f"{r.awarded_eur:.2f}",
            f"{r.awarded_share * 100:.2f}",
            "" if r.contribution_share is None else f"{r.contribution_share * 100:.2f}",
            "" if r.coefficient is None else f"{r.coefficient:.2f}",
            str(band_labels.get(r.band, r.band)),
        ]
        for r in result.rows
    ]
