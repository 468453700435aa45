"""The company's pages: its pipeline with the deadline calendar, and its steps with a call
(record a bid, a loss or a withdrawal; correct or retract a step)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bigscience_portal.core.refusals import refusals
from tenders.models import ProcurementCall
from tenders.permissions import can_view_call

from .. import charts, funnel, permissions, selectors, services
from ..forms import RetractForm, StepForm
from ..models import FunnelStep
from ..tables import DeadlineTable, PipelineTable, StepTable, figures_table, money
from .access import company_for, period_of


@login_required
def pipeline(request, slug):
    company = company_for(request.user, slug)
    form, period = period_of(request)
    data = selectors.company_pipeline(company=company, period=period)
    counts = [
        (_("Open recommendations"), data["open_recommendations"]),
        (_("Expressions of interest"), data["interest"]),
        (_("Bids"), data["bids"]),
        (_("Contracts won"), data["wins"]),
    ]
    by_stage = {}
    for row in data["rows"]:
        by_stage[row.stage] = by_stage.get(row.stage, 0) + 1
    stages = [(str(funnel.STAGE_LABELS[s]), by_stage.get(s, 0)) for s in funnel.STAGE_ORDER]
    calendar = [
        (
            month,
            DeadlineTable(
                items,
                request=request,
                caption=formats.date_format(month, "YEAR_MONTH_FORMAT"),
            ),
        )
        for month, items in data["calendar"]
    ]
    return render(
        request,
        "outcomes/company_pipeline.html",
        {
            "company": company,
            "form": form,
            "period": period,
            "data": data,
            "counts_chart": charts.bar_chart(_("What the company did in the period"), counts),
            "counts_table": figures_table(
                _("What the company did in the period"),
                [_("Measure"), _("Number")],
                [[str(label), n] for label, n in counts]
                + [[_("Value won (EUR)"), money(data["value_won"])]],
            ),
            "stage_chart": charts.bar_chart(_("Calls by the stage reached"), stages),
            "stage_table": figures_table(
                _("Calls by the stage reached"),
                [_("Stage"), _("Calls")],
                [[label, n] for label, n in stages],
            ),
            "table": PipelineTable(data["rows"], request=request, context={"company": company}),
            "calendar": calendar,
            "may_record": permissions.can_record_steps(request.user, company),
        },
    )


def _call_for(user, pk) -> ProcurementCall:
    call = get_object_or_404(ProcurementCall.objects.select_related("buyer"), pk=pk)
    if not can_view_call(user, call):
        raise Http404
    return call


@login_required
def call_steps(request, slug, pk):
    """The company's steps with one call; its people record bids, losses and withdrawals."""
    company = company_for(request.user, slug)
    call = _call_for(request.user, pk)
    may_record = permissions.can_record_steps(request.user, company)
    form = StepForm(request.POST or None, initial={"currency": call.value_currency or "EUR"})
    if request.method == "POST":
        if not may_record:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            with refusals(request, form=form):
                services.step_record(
                    company=company,
                    call=call,
                    kind=data["kind"],
                    user=request.user,
                    occurred_on=data["occurred_on"],
                    value_amount=data["value"],
                    value_currency=data["currency"],
                    value_shared=data["value_shared"],
                    note=data["note"],
                )
                messages.success(request, _("The step is recorded."))
                return redirect("outcomes:call_steps", slug=company.slug, pk=call.pk)
    steps = selectors.company_steps(company=company, call=call)
    memo: dict = {}
    visible_values = {
        s.pk
        for s in steps
        if s.value_amount is not None and permissions.can_see_value(request.user, s, memo)
    }
    return render(
        request,
        "outcomes/call_steps.html",
        {
            "company": company,
            "call": call,
            "form": form,
            "may_record": may_record,
            "stage": funnel.STAGE_LABELS[funnel.stage_of({s.kind for s in steps if s.is_active})],
            "table": StepTable(
                steps,
                request=request,
                context={
                    "company": company,
                    "may_record": may_record,
                    "visible_values": visible_values,
                },
            ),
        },
    )


def _own_step(request, pk) -> FunnelStep:
    step = get_object_or_404(FunnelStep.objects.select_related("company", "call__buyer"), pk=pk)
    if not permissions.can_record_steps(request.user, step.company):
        raise Http404
    return step


@login_required
def step_edit(request, pk):
    """Correct a step's date, value and note (a copied step: its date and note)."""
    step = _own_step(request, pk)
    initial = {
        "occurred_on": step.occurred_at.date(),
        "value": step.value_amount,
        "currency": step.value_currency,
        "value_shared": step.value_shared,
        "note": step.note,
    }
    form = StepForm(request.POST or None, initial=initial, correcting=step)
    back = reverse("outcomes:call_steps", kwargs={"slug": step.company.slug, "pk": step.call_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = {"occurred_at": data["occurred_on"], "note": data["note"]}
        if "value" in data:
            values |= {
                "value_amount": data["value"],
                "value_currency": data["currency"],
                "value_shared": data["value_shared"],
            }
        with refusals(request, form=form):
            services.step_correct(step=step, user=request.user, **values)
            messages.success(request, _("The step is corrected."))
            return redirect(back)
    return render(
        request,
        "outcomes/step_form.html",
        {"step": step, "form": form, "retract": RetractForm(), "back": back},
    )


@login_required
@require_POST
def step_retract(request, pk):
    step = _own_step(request, pk)
    form = RetractForm(request.POST)
    back = reverse("outcomes:call_steps", kwargs={"slug": step.company.slug, "pk": step.call_id})
    if not form.is_valid():
        messages.error(request, _("Say why the step is wrong."))
        return redirect("outcomes:step_edit", pk=step.pk)
    with refusals(request):
        services.step_retract(step=step, user=request.user, note=form.cleaned_data["note"])
        messages.success(request, _("The step is retracted."))
    return redirect(back)
