"""Staff's pages: the portal's health, the awards whose winner is not linked, and the import of
contribution shares and exchange rates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_countries import countries

from bigscience_portal.core.lists import PortalListView
from bigscience_portal.core.refusals import refusals
from organisations.models import Organisation
from tenders.models import Award, ProcurementCall

from .. import charts, linking, permissions, selectors, services
from ..contribution_sheet import SheetRefused, read_contributions, read_rates
from ..forms import AwardLinkForm, FiguresImportForm
from ..models import FunnelStep
from ..tables import AwardLinkTable, figures_table
from .access import period_of


def _staff_only(user) -> None:
    if not permissions.can_view_portal_health(user):
        raise Http404


@login_required
def portal_health(request):
    _staff_only(request.user)
    form, period = period_of(request)
    data = selectors.portal_health(period=period)
    kinds = dict(Organisation.Kind.choices)
    sources = dict(ProcurementCall.Source.choices)
    statuses = dict(ProcurementCall.Status.choices)
    org_counts: dict[str, int] = {}
    for row in data["organisations"]:
        org_counts[row["kind"]] = org_counts.get(row["kind"], 0) + row["n"]
    call_counts: dict[str, int] = {}
    for row in data["calls"]:
        call_counts[row["source"]] = call_counts.get(row["source"], 0) + row["n"]
    org_items = [(str(kinds.get(k, k)), n) for k, n in sorted(org_counts.items())]
    call_items = [(str(sources.get(k, k)), n) for k, n in sorted(call_counts.items())]
    run_rows = [
        [
            r["name"],
            *[
                r["counts"].get(s, 0)
                for s in ("queued", "running", "succeeded", "failed", "retrying")
            ],
        ]
        for r in data["runs"]
    ]
    step_labels = dict(FunnelStep.Kind.choices)
    return render(
        request,
        "outcomes/portal_health.html",
        {
            "form": form,
            "period": period,
            "data": data,
            "user_table": figures_table(
                _("People"),
                [_("Measure"), _("Number")],
                [
                    [_("Accounts"), data["users"]["total"]],
                    [_("Signed in since the period began"), data["users"]["active"]],
                    [_("Joined in the period"), data["users"]["joined"]],
                ],
            ),
            "org_chart": charts.bar_chart(_("Organisations by kind"), org_items),
            "org_table": figures_table(
                _("Organisations by kind"),
                [_("Kind"), _("Organisations")],
                [[a, b] for a, b in org_items],
            ),
            "call_chart": charts.bar_chart(_("Calls by source"), call_items),
            "call_table": figures_table(
                _("Calls by source and status"),
                [_("Source"), _("Status"), _("Calls")],
                [
                    [
                        sources.get(r["source"], r["source"]),
                        statuses.get(r["status"], r["status"]),
                        r["n"],
                    ]
                    for r in data["calls"]
                ],
                numeric_from=2,
            ),
            "run_table": figures_table(
                _("Background work queued in the period (harvests, matching runs, mails)"),
                [_("Kind"), _("Queued"), _("Running"), _("Succeeded"), _("Failed"), _("Retrying")],
                run_rows,
            ),
            "step_table": figures_table(
                _("Funnel steps in the period"),
                [_("Step"), _("Number")],
                [[step_labels.get(k, k), n] for k, n in sorted(data["steps"].items())],
            ),
        },
    )


class AwardLinkListView(PortalListView):
    """Awards whose winner the import did not link, with candidate companies by name and
    country; staff confirm one (or say the winner is not in the directory)."""

    template_name = "outcomes/award_links.html"
    table_class = AwardLinkTable
    login_required = True

    def authorize(self):
        _staff_only(self.request.user)

    def get_queryset(self):
        return selectors.unlinked_awards()

    def get_rows(self, page):
        awards = list(page.object_list)
        companies = selectors.candidate_companies(
            {a.supplier_country.code for a in awards if a.supplier_country}
        )
        return [
            {
                "award": award,
                "candidates": linking.candidates(
                    award.supplier_name,
                    award.supplier_country.code if award.supplier_country else "",
                    companies,
                ),
            }
            for award in awards
        ]


@login_required
@require_POST
def award_link(request, pk):
    if not permissions.can_link_awards(request.user):
        raise Http404
    award = get_object_or_404(Award, pk=pk)
    form = AwardLinkForm(request.POST)
    if not form.is_valid() or not (form.cleaned_data["organisation"] or form.cleaned_data["none"]):
        messages.error(request, _("Choose a company, or say the winner is not in the directory."))
        return redirect("outcomes:award_links")
    organisation = None
    if form.cleaned_data["organisation"]:
        organisation = Organisation.objects.filter(pk=form.cleaned_data["organisation"]).first()
        if organisation is None:
            messages.error(request, _("That company is not in the directory."))
            return redirect("outcomes:award_links")
    with refusals(request):
        services.award_link_decide(award=award, organisation=organisation, user=request.user)
        if organisation is None:
            messages.success(request, _("Noted: the winner is not in the directory."))
        else:
            messages.success(
                request, _("%(name)s is linked as the winner.") % {"name": organisation.name}
            )
    return redirect("outcomes:award_links")


@login_required
def figures_import(request):
    """Upload a CSV of contribution shares (with the source named) or of exchange rates."""
    if not permissions.can_import_figures(request.user):
        raise Http404
    form = FiguresImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        raw = data["file"].read(data["file"].size + 1)
        try:
            if data["what"] == "contributions":
                rows = read_contributions(raw, countries={code for code, _name in countries})
            else:
                rows = read_rates(raw)
        except SheetRefused as exc:
            problems = exc.problems[:50]
        else:
            with refusals(request, form=form):
                if data["what"] == "contributions":
                    result = services.contributions_import(
                        infrastructure=data["infrastructure"],
                        rows=rows,
                        source_title=data["source_title"],
                        source_url=data["source_url"],
                        illustrative=data["illustrative"],
                        user=request.user,
                    )
                else:
                    result = services.rates_import(rows=rows, source=data["source_title"])
                messages.success(
                    request,
                    _("Imported: %(c)d new, %(u)d updated, %(s)d unchanged.")
                    % {"c": result.created, "u": result.updated, "s": result.unchanged},
                )
                return redirect("outcomes:figures_import")
    return render(request, "outcomes/figures_import.html", {"form": form, "problems": problems})
