"""Loading what an outcomes page is about, or refusing: 404 for what the user may not see
(another company's funnel, another cluster's or infrastructure's dashboard: saying 403 would
tell that it exists), and the period the page shows."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from bigscience_portal.core import spreadsheets
from bigscience_portal.core.views_kit import download
from events.models import Event
from organisations.models import Organisation

from .. import permissions
from ..forms import PeriodForm


def company_for(user, slug: str) -> Organisation:
    company = Organisation.objects.filter(slug=slug).first()
    if company is None or not permissions.can_view_company_funnel(user, company):
        raise Http404
    return company


def cluster_for(user, slug: str) -> Organisation:
    cluster = Organisation.objects.filter(slug=slug).first()
    if cluster is None or not permissions.can_view_cluster_dashboard(user, cluster):
        raise Http404
    return cluster


def infrastructure_for(user, slug: str) -> Organisation:
    infrastructure = Organisation.objects.filter(slug=slug).first()
    if infrastructure is None or not permissions.can_view_infrastructure_dashboard(
        user, infrastructure
    ):
        raise Http404
    return infrastructure


def event_for(user, slug: str) -> Event:
    event = get_object_or_404(Event, slug=slug)
    if not permissions.can_view_event_outcomes(user, event):
        raise Http404
    return event


def period_of(request) -> tuple[PeriodForm, object]:
    """The period form bound to the querystring (when it has one) and the period to show."""
    params = {k: request.GET[k] for k in ("start", "end") if k in request.GET}
    form = PeriodForm(params or None, initial=_initial())
    return form, form.period()


def _initial() -> dict:
    from ..selectors import Period

    default = Period.default()
    return {"start": default.start, "end": default.end}


def spreadsheet_download(sections, fmt: str, name: str) -> HttpResponse:
    """The sections (``core.spreadsheets``) as ``<name>.xlsx`` when ``fmt`` is ``xlsx``, else
    as ``<name>.csv``."""
    if fmt == "xlsx":
        return download(spreadsheets.to_xlsx(sections), spreadsheets.XLSX, f"{name}.xlsx")
    return download(spreadsheets.to_csv(sections), spreadsheets.CSV, f"{name}.csv")
