"""The process page of a challenge, for its team: where it stands, what is missing, what
happened; the checklist, the gate, the public summary and the procurement call."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bigscience_portal.core.refusals import refusals
from organisations.models import Organisation

from .. import forms, permissions, selectors, services
from ..tables import ChallengeProposalTable, DecisionTable
from .access import process_or_404


def _page(request, challenge, **forms_given):
    user = request.user
    done = services.done_keys(challenge)
    view = selectors.process_view(challenge, done=done)
    notes = {i.key: i.note for i in view.current.items}
    can_decide = permissions.can_decide_gate(user, challenge)
    context = {
        "challenge": challenge,
        "view": view,
        "can_tick": permissions.can_tick_deliverables(user, challenge),
        "can_decide": can_decide and bool(view.next_stages),
        "can_select": permissions.can_select_proposal(user, challenge),
        "can_publish_summary": permissions.can_publish_summary(user, challenge),
        "can_open_procurement": permissions.can_open_procurement(user, challenge),
        "checklist_form": forms_given.get("checklist")
        or forms.ChecklistForm(challenge=challenge, done=done, notes=notes),
        "gate_form": forms_given.get("gate") or forms.GateForm(challenge=challenge),
        "summary_form": forms_given.get("summary")
        or forms.SummaryForm(initial={"text": challenge.public_summary}),
        "decisions": DecisionTable(view.decisions, request=request),
        "proposals": ChallengeProposalTable(
            selectors.challenge_proposals(challenge),
            request=request,
            context={"can_select": permissions.can_select_proposal(user, challenge)},
        )
        if permissions.is_owner_member(user, challenge) or user.is_staff
        else None,
    }
    return render(request, "innovation/process.html", context)


@login_required
def process_page(request, slug):
    challenge = process_or_404(request, slug)
    return _page(request, challenge)


def _posted(request, challenge, key: str, form, act):
    """A form of the process page posted: ``act()`` (the service and its message) when the
    form is valid, then back to the page; the page again with the form (as ``key``), its
    errors and the service's refusal otherwise."""
    if form.is_valid():
        with refusals(request, form=form) as refused:
            act()
        if not refused:
            return redirect("innovation:process", slug=challenge.slug)
    return _page(request, challenge, **{key: form})


@login_required
@require_POST
def checklist_save(request, slug):
    challenge = process_or_404(request, slug, permissions.can_tick_deliverables)
    done = services.done_keys(challenge)
    form = forms.ChecklistForm(request.POST, challenge=challenge, done=done, notes={})

    def act():
        services.deliverables_set(
            challenge=challenge, user=request.user, done=form.done(), notes=form.notes()
        )
        messages.success(request, _("The checklist is saved."))

    return _posted(request, challenge, "checklist", form, act)


@login_required
@require_POST
def gate_pass(request, slug):
    challenge = process_or_404(request, slug, permissions.can_decide_gate)
    form = forms.GateForm(request.POST, challenge=challenge)

    def act():
        decision = services.gate_pass(challenge=challenge, user=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("Decision recorded: the challenge is now at the %(stage)s stage.")
            % {"stage": decision.get_to_stage_display().lower()},
        )

    return _posted(request, challenge, "gate", form, act)


@login_required
@require_POST
def summary_publish(request, slug):
    challenge = process_or_404(request, slug, permissions.can_publish_summary)
    form = forms.SummaryForm(request.POST)

    def act():
        services.summary_publish(challenge=challenge, user=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("The public summary is published.")
            if form.cleaned_data["text"].strip()
            else _("The public summary is withdrawn."),
        )

    return _posted(request, challenge, "summary", form, act)


def _buyers(challenge):
    team = permissions.consortium_ids(permissions.selected_proposal(challenge))
    return Organisation.objects.filter(Q(pk=challenge.owner_id) | Q(pk__in=team)).order_by("name")


@login_required
def procurement_open(request, slug):
    challenge = process_or_404(request, slug, permissions.can_open_procurement)
    form = forms.ProcurementForm(
        request.POST or None,
        buyers=_buyers(challenge),
        initial={
            "title": challenge.title,
            "description": challenge.public_summary or challenge.summary,
            "cpv": list(challenge.cpv_codes.all()),
        },
    )
    if request.method == "POST" and form.is_valid():
        with refusals(request, form=form):
            services.procurement_open(
                challenge=challenge,
                user=request.user,
                buyer=form.cleaned_data["buyer"],
                fields={
                    "title": form.cleaned_data["title"],
                    "description": form.cleaned_data["description"],
                },
                cpv_codes=form.cleaned_data["cpv"],
            )
            messages.success(
                request,
                _(
                    "A draft procurement call is opened in the calls, linked to this challenge: "
                    "the buyer's people complete and publish it there."
                ),
            )
            return redirect("innovation:process", slug=challenge.slug)
    return render(
        request, "innovation/procurement_form.html", {"challenge": challenge, "form": form}
    )
