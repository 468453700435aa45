"""The dashboards of the cluster manager (members' funnel, exports), the liaison officer (calls,
interest, suppliers by country, industrial return) and the event organiser (B2B charts)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from events import selectors as event_selectors
from events.models import MeetingOutcome, MeetingRequest
from tenders.models import ProcurementCall

from .. import charts, exports, selectors, services
from ..tables import BAND_LABELS, figures_table, money, percent
from .access import cluster_for, event_for, infrastructure_for, period_of, spreadsheet_download

EXPORT_FORMATS = ("csv", "xlsx")

MEASURE_LABELS = {
    "recommended": gettext_lazy("Open recommendations"),
    "forwarded": gettext_lazy("Calls forwarded"),
    "interest": gettext_lazy("Expressions of interest"),
    "meetings": gettext_lazy("B2B meetings"),
    "agreements": gettext_lazy("Agreements reached"),
    "bids": gettext_lazy("Bids"),
    "wins": gettext_lazy("Contracts won"),
}


def country_name(code: str) -> str:
    return str(countries.name(code)) if code else _("Unknown country")


# --- the cluster manager ----------------------------------------------------------------------


def _most_active(row: dict):
    """Members with wins first, then bids, interest, forwards, recommendations; then by name."""
    return (
        -row["wins"],
        -row["bids"],
        -row["interest"],
        -row["forwarded"],
        -row["recommended"],
        row["name"],
    )


def _cluster_context(request, slug):
    cluster = cluster_for(request.user, slug)
    form, period = period_of(request)
    data = selectors.cluster_funnel(cluster=cluster, period=period)
    return cluster, form, period, data


@login_required
def cluster_dashboard(request, slug):
    cluster, form, period, data = _cluster_context(request, slug)
    totals = data["totals"]
    funnel_items = [(str(MEASURE_LABELS[m]), totals[m]) for m in selectors.CLUSTER_MEASURES]
    labels = [b["label"] for b in data["over_time"]]
    series_names = ("interest", "meetings", "bids", "wins")
    over_time_chart = charts.line_chart(
        _("The members' interest, meetings, bids and wins over time"),
        labels,
        [(str(MEASURE_LABELS[m]), [b[m] for b in data["over_time"]]) for m in series_names],
    )
    member_header = [
        _("Member"),
        _("Country"),
        *[MEASURE_LABELS[m] for m in selectors.CLUSTER_MEASURES],
        _("Value won (EUR)"),
    ]
    member_rows = [
        [r["name"], r["country"], *[r[m] for m in selectors.CLUSTER_MEASURES], money(r["won"])]
        for r in sorted(data["rows"], key=_most_active)[: selectors.SHOWN_ROWS]
    ]
    return render(
        request,
        "outcomes/cluster_dashboard.html",
        {
            "cluster": cluster,
            "form": form,
            "period": period,
            "data": data,
            "funnel_chart": charts.bar_chart(_("The members' funnel in the period"), funnel_items),
            "funnel_table": figures_table(
                _("The members' funnel in the period"),
                [_("Step"), _("Number")],
                [[label, n] for label, n in funnel_items]
                + [[_("Value won (EUR)"), money(data["values"]["won"])]],
            ),
            "over_time_chart": over_time_chart,
            "over_time_table": figures_table(
                _("The members' funnel by month")
                if period.by_month
                else _("The members' funnel by year"),
                [_("Period"), *[MEASURE_LABELS[m] for m in selectors.CLUSTER_MEASURES[1:]]],
                [
                    [b["label"], *[b[m] for m in selectors.CLUSTER_MEASURES[1:]]]
                    for b in data["over_time"]
                ],
            ),
            "member_table": figures_table(
                _("Per member"), member_header, member_rows, numeric_from=2
            ),
            "more_members": max(0, len(data["rows"]) - selectors.SHOWN_ROWS),
        },
    )


def _cluster_sections(cluster, period, data):
    title = f"{cluster.name} {period.start:%Y-%m-%d} to {period.end:%Y-%m-%d}"
    return [
        (
            f"Members {period.start:%Y-%m-%d}-{period.end:%Y-%m-%d}"[:31],
            exports.MEMBER_HEADER,
            exports.member_rows(data),
        ),
        ("Over time", exports.OVER_TIME_HEADER, exports.over_time_rows(data)),
        (
            "Totals",
            [
                "Report",
                "Members",
                "Members supported",
                *[str(MEASURE_LABELS[m]) for m in selectors.CLUSTER_MEASURES],
                "Value won (EUR)",
            ],
            [
                [
                    title,
                    data["totals"]["members"],
                    data["totals"]["supported"],
                    *[data["totals"][m] for m in selectors.CLUSTER_MEASURES],
                    f"{data['values']['won']:.2f}",
                ]
            ],
        ),
    ]


@login_required
def cluster_export(request, slug, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    cluster, _form, period, data = _cluster_context(request, slug)
    sections = _cluster_sections(cluster, period, data)
    name = f"{cluster.slug}-outcomes-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    return spreadsheet_download(sections, fmt, name)


# --- the liaison officer ----------------------------------------------------------------------


@login_required
def infrastructure_dashboard(request, slug):
    infrastructure = infrastructure_for(request.user, slug)
    form, period = period_of(request)
    data = selectors.infrastructure_overview(infrastructure=infrastructure, period=period)
    stages = dict(ProcurementCall.Stage.choices)
    statuses = dict(ProcurementCall.Status.choices)
    by_status: dict[str, int] = {}
    for row in data["by_stage_status"]:
        by_status[row["status"]] = by_status.get(row["status"], 0) + row["n"]
    status_items = [(str(statuses[s]), by_status.get(s, 0)) for s in statuses]
    top_countries = data["suppliers"][:15]
    return render(
        request,
        "outcomes/infrastructure_dashboard.html",
        {
            "infrastructure": infrastructure,
            "form": form,
            "period": period,
            "status_chart": charts.bar_chart(_("Calls by status"), status_items),
            "stage_table": figures_table(
                _("Calls by stage and status"),
                [_("Stage"), _("Status"), _("Calls")],
                [
                    [
                        stages.get(r["stage"], r["stage"]),
                        statuses.get(r["status"], r["status"]),
                        r["n"],
                    ]
                    for r in data["by_stage_status"]
                ],
                numeric_from=2,
            ),
            "calls_total": sum(r["n"] for r in data["by_stage_status"]),
            "calls_shown": len(data["per_call"]),
            "call_table": figures_table(
                _("Expressions of interest and questions per call, most interest first"),
                [_("Call"), _("Status"), _("Expressions of interest"), _("Questions")],
                [
                    [c.title, statuses.get(c.status, c.status), c.eois, c.questions]
                    for c in data["per_call"]
                ],
                numeric_from=2,
            ),
            "supplier_chart": charts.bar_chart(
                _("Expressions of interest by the supplier's country"),
                [(country_name(r["country"]), r["interest"]) for r in top_countries],
            ),
            "supplier_table": figures_table(
                _("Suppliers by country: interest and awards"),
                [_("Country"), _("Expressions of interest"), _("Awards"), _("Value awarded (EUR)")],
                [
                    [country_name(r["country"]), r["interest"], r["awards"], money(r["value"])]
                    for r in data["suppliers"]
                ],
            ),
        },
    )


def _return_context(request, slug):
    infrastructure = infrastructure_for(request.user, slug)
    form, period = period_of(request)
    settings = services.return_settings_for(infrastructure)
    data = selectors.industrial_return(
        infrastructure=infrastructure, period=period, bands=settings.bands
    )
    return infrastructure, form, period, settings, data


@login_required
def industrial_return(request, slug):
    infrastructure, form, period, settings, data = _return_context(request, slug)
    result = data["result"]
    contributing = [r for r in result.rows if r.contribution_share is not None]
    years = sorted(data["by_year"])
    trend_countries = [r.country for r in contributing if r.coefficient is not None][:6]
    trend_series = [
        (
            country_name(c),
            [
                float(row.coefficient)
                if (row := data["by_year"][y].row(c)) and row.coefficient is not None
                else None
                for y in years
            ],
        )
        for c in trend_countries
    ]
    trend_rows = []
    for r in contributing:
        cells = [country_name(r.country)]
        for y in years:
            row = data["by_year"][y].row(r.country)
            cells.append("" if row is None or row.coefficient is None else f"{row.coefficient:.2f}")
        trend_rows.append(cells)
    return render(
        request,
        "outcomes/industrial_return.html",
        {
            "infrastructure": infrastructure,
            "form": form,
            "period": period,
            "settings": settings,
            "data": data,
            "result": result,
            "chart": charts.bar_chart(
                _("Return coefficient by member state"),
                [
                    (country_name(r.country), float(r.coefficient))
                    for r in contributing
                    if r.coefficient is not None
                ],
            ),
            "table": figures_table(
                _("Industrial return by member state"),
                [
                    _("Country"),
                    _("Value awarded (EUR)"),
                    _("Share of value awarded"),
                    _("Share of contributions"),
                    _("Return coefficient"),
                    _("Band"),
                ],
                [
                    [
                        country_name(r.country),
                        money(r.awarded_eur),
                        percent(r.awarded_share),
                        percent(r.contribution_share),
                        "" if r.coefficient is None else f"{r.coefficient:.2f}",
                        BAND_LABELS[r.band],
                    ]
                    for r in result.rows
                ],
            ),
            "trend_chart": charts.line_chart(
                _("Return coefficient by year"),
                [str(y) for y in years],
                trend_series,
                reference=float(settings.poorly_balanced_below),
                reference_label=_("poorly balanced below %(v)s")
                % {"v": settings.poorly_balanced_below},
                fmt=lambda v: f"{v:.2f}",
            )
            if trend_series
            else None,
            "trend_table": figures_table(
                _("Return coefficient by year"),
                [_("Country"), *[str(y) for y in years]],
                trend_rows,
            ),
            "rates_table": figures_table(
                _("Exchange rates used"),
                [_("Currency"), _("Valid from"), _("Euros per unit"), _("Source")],
                [
                    [r.currency, r.valid_from.isoformat(), f"{r.eur_per_unit}", r.source]
                    for r in data["rates"]
                ],
            ),
            "band_labels": BAND_LABELS,
        },
    )


@login_required
def return_export(request, slug, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    infrastructure, _form, period, _settings, data = _return_context(request, slug)
    sections = [
        (
            "Industrial return",
            exports.RETURN_HEADER,
            exports.return_rows(data["result"], {k: str(v) for k, v in BAND_LABELS.items()}),
        ),
        *[
            (
                f"Year {year}",
                exports.RETURN_HEADER,
                exports.return_rows(res, {k: str(v) for k, v in BAND_LABELS.items()}),
            )
            for year, res in sorted(data["by_year"].items())
        ],
    ]
    name = f"{infrastructure.slug}-industrial-return-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    return spreadsheet_download(sections, fmt, name)


# --- the event organiser ----------------------------------------------------------------------


@login_required
def event_outcomes(request, slug):
    """Events' B2B statistics and outcomes as charts, each with its table."""
    event = event_for(request.user, slug)
    stats = event_selectors.statistics(event=event)
    summary = event_selectors.outcome_summary(event=event, organisations=None)
    totals = stats["totals"]
    request_items = [
        (_("Meeting requests"), totals.get("requests", 0)),
        (str(dict(MeetingRequest.Status.choices)["accepted"]), totals.get("accepted", 0)),
        (str(dict(MeetingRequest.Status.choices)["declined"]), totals.get("declined", 0)),
        (_("Scheduled meetings"), totals.get("scheduled", 0)),
    ]
    outcome_items = [(str(label), n) for label, n in summary["rows"]]
    return render(
        request,
        "outcomes/event_outcomes.html",
        {
            "event": event,
            "participants": totals.get("participants", 0),
            "request_chart": charts.bar_chart(_("Meeting requests and meetings"), request_items),
            "request_table": figures_table(
                _("Meeting requests and meetings"),
                [_("Measure"), _("Number")],
                [[str(a), b] for a, b in request_items],
            ),
            "outcome_chart": charts.bar_chart(
                _("Outcomes recorded after the meetings"), outcome_items
            ),
            "outcome_table": figures_table(
                _("Outcomes recorded after the meetings"),
                [_("Outcome"), _("Meetings")],
                [[a, b] for a, b in outcome_items],
            ),
            "organisation_table": figures_table(
                _("Per organisation"),
                [
                    _("Organisation"),
                    _("Participants"),
                    _("Requests sent"),
                    _("Requests received"),
                    _("Accepted"),
                    _("Scheduled"),
                ],
                [
                    [
                        name,
                        c.get("participants", 0),
                        c.get("sent", 0),
                        c.get("received", 0),
                        c.get("accepted", 0),
                        c.get("scheduled", 0),
                    ]
                    for name, c in stats["per_organisation"]
                ],
            ),
            "recorded": summary["recorded"],
            "meetings": summary["meetings"],
            "agreement_label": dict(MeetingOutcome.Outcome.choices)["agreement_reached"],
        },
    )
