"""Innovation challenges and their solution proposals: the public list and pages, posting, and
the consortia's proposals."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from bigscience_portal.core.lists import PortalListView
from bigscience_portal.core.refusals import refusals
from bigscience_portal.core.views_kit import object_actions
from organisations import permissions as org_perms

from .. import forms, permissions, process, selectors, services, uploads
from ..filtersets import ChallengeFilterSet
from ..models import ProposalAttachment, SolutionProposal
from ..tables import ChallengeProposalTable, ChallengeTable, MyChallengeTable, ProposalTable
from .access import challenge_or_404, proposal_or_404
from .shortcuts import attachment_response


class _ChallengesView(PortalListView):
    """A list of challenges, with the "post a challenge" link for those who may."""

    context_object_name = "challenges"

    def get_context_data(self, **context):
        context["can_create"] = permissions.can_create_challenge(self.request.user)
        return super().get_context_data(**context)


class ChallengeListView(_ChallengesView):
    """Every challenge that is open or was (drafts are their owner's)."""

    template_name = "innovation/challenge_list.html"
    filterset_class = ChallengeFilterSet
    table_class = ChallengeTable

    def get_queryset(self):
        return selectors.challenges_public()


class MyChallengesView(_ChallengesView):
    template_name = "innovation/challenge_mine.html"
    table_class = MyChallengeTable
    login_required = True

    def get_queryset(self):
        return selectors.challenges_of_user(self.request.user)


class MyProposalsView(PortalListView):
    template_name = "innovation/proposal_mine.html"
    table_class = ProposalTable
    context_object_name = "proposals"
    login_required = True

    def get_queryset(self):
        return selectors.proposals_of_user(self.request.user)


def challenge_detail(request, slug):
    challenge = challenge_or_404(request, slug)
    user = request.user
    is_owner = permissions.is_owner_member(user, challenge)
    proposals = None
    if is_owner or user.is_staff:
        proposals = ChallengeProposalTable(
            selectors.challenge_proposals(challenge),
            request=request,
            context={"can_select": permissions.can_select_proposal(user, challenge)},
        )
    mine = (
        selectors.proposals_of_user(user).filter(challenge=challenge)
        if user.is_authenticated
        else []
    )
    closed_reason = services.closed_reason(challenge)
    return render(
        request,
        "innovation/challenge_detail.html",
        {
            "challenge": challenge,
            "closed_reason": closed_reason,
            "can_edit": permissions.can_edit_challenge(user, challenge),
            "can_view_process": permissions.can_view_process(user, challenge),
            "can_propose": permissions.can_propose(user, challenge) and closed_reason is None,
            "proposals": proposals,
            "my_proposals": mine,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def challenge_create(request):
    owners = permissions.challenge_owner_organisations(request.user)
    if not owners.exists():
        raise PermissionDenied(
            _(
                "Challenges are posted by members of public authorities, infrastructures, clusters or companies."
            )
        )
    form = forms.ChallengeForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form=form):
            challenge = services.challenge_create(
                user=request.user,
                owner=form.cleaned_data["owner"],
                fields=form.model_fields(),
                cpv_codes=form.cleaned_data["cpv"],
            )
            messages.success(
                request,
                _(
                    "The challenge is drafted. Complete the need's checklist and pass the first gate to open it."
                ),
            )
            return redirect("innovation:process", slug=challenge.slug)
    return render(request, "innovation/challenge_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def challenge_edit(request, slug):
    challenge = challenge_or_404(request, slug, permissions.can_edit_challenge)
    form = forms.ChallengeForm(request.POST or None, instance=challenge)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form=form):
            services.challenge_update(
                challenge=challenge,
                user=request.user,
                fields=form.model_fields(),
                cpv_codes=form.cleaned_data["cpv"],
            )
            messages.success(request, _("Your changes are saved."))
            return redirect(challenge)
    return render(request, "innovation/challenge_form.html", {"form": form, "challenge": challenge})


def challenge_summary(request, slug):
    """The public summary of the process, once the owner published it (the team sees the
    page before, to check it)."""
    challenge = challenge_or_404(request, slug)
    if not permissions.can_view_public_summary(request.user, challenge):
        raise Http404
    return render(
        request,
        "innovation/challenge_summary.html",
        {
            "challenge": challenge,
            "path": [
                {
                    "label": process.label(stage),
                    "reached": process.position(stage) <= process.position(challenge.stage),
                    "current": stage == challenge.stage,
                }
                for stage in process.PATH
            ],
            "decisions": challenge.gate_decisions.order_by("decided_at", "pk"),
        },
    )


# --- proposals -------------------------------------------------------------------------------


def _partner_choices(challenge):
    """Organisations that may be named partners: every one the directory shows, but the owner."""
    return org_perms.visible_organisations(None).exclude(pk=challenge.owner_id).order_by("name")


@login_required
@uploads.limit_uploads
@require_http_methods(["GET", "POST"])
def proposal_create(request, slug):
    challenge = challenge_or_404(request, slug)
    reason = services.closed_reason(challenge)
    if reason:
        messages.error(request, reason)
        return redirect(challenge)
    leads = permissions.proposal_lead_organisations(request.user, challenge)
    if not leads.exists():
        raise PermissionDenied(
            _(
                "A proposal is led by an organisation you belong to (not the owner, one proposal each)."
            )
        )
    form = forms.ProposalForm(
        request.POST or None,
        request.FILES or None,
        leads=leads,
        partner_choices=_partner_choices(challenge),
        request=request,
    )
    if request.method == "POST" and form.is_valid():
        with refusals(request, form=form):
            proposal = services.proposal_create(
                challenge=challenge,
                lead=form.cleaned_data["lead"],
                user=request.user,
                fields=form.model_fields(),
                partners=form.cleaned_data["partners"],
                attachments=form.attachments(),
            )
            messages.success(
                request,
                _(
                    "The proposal is saved as a draft; every partner can read it. Submit it before the deadline."
                ),
            )
            return redirect(proposal)
    return render(request, "innovation/proposal_form.html", {"form": form, "challenge": challenge})


@login_required
@uploads.limit_uploads
@require_http_methods(["GET", "POST"])
def proposal_edit(request, pk):
    proposal = proposal_or_404(request, pk, permissions.can_edit_proposal)
    form = forms.ProposalForm(
        request.POST or None,
        request.FILES or None,
        instance=proposal,
        partner_choices=_partner_choices(proposal.challenge),
        request=request,
    )
    if request.method == "POST" and form.is_valid():
        with refusals(request, form=form):
            services.proposal_update(
                proposal=proposal,
                user=request.user,
                fields=form.model_fields(),
                partners=form.cleaned_data["partners"],
                attachments=form.attachments(),
            )
            messages.success(request, _("Your changes are saved."))
            return redirect(proposal)
    return render(
        request,
        "innovation/proposal_form.html",
        {"form": form, "challenge": proposal.challenge, "proposal": proposal},
    )


def proposal_detail(request, pk):
    proposal = proposal_or_404(request, pk)
    user = request.user
    return render(
        request,
        "innovation/proposal_detail.html",
        {
            "proposal": proposal,
            "challenge": proposal.challenge,
            "can_edit": permissions.can_edit_proposal(user, proposal),
            "can_submit": permissions.can_submit_proposal(user, proposal),
            "can_withdraw": permissions.can_withdraw_proposal(user, proposal),
            "can_select": proposal.status == SolutionProposal.Status.SUBMITTED
            and permissions.can_select_proposal(user, proposal.challenge),
            "closed_reason": services.closed_reason(proposal.challenge),
            "select_form": forms.SelectForm(),
        },
    )


#: action: (who may, the service, what the page says after it)
PROPOSAL_ACTIONS = {
    "submit": (
        permissions.can_submit_proposal,
        services.proposal_submit,
        lambda proposal: _("Submitted to %(owner)s.") % {"owner": proposal.challenge.owner.name},
    ),
    "withdraw": (
        permissions.can_withdraw_proposal,
        services.proposal_withdraw,
        gettext_lazy("The proposal is withdrawn."),
    ),
}
proposal_action = object_actions(proposal_or_404, PROPOSAL_ACTIONS, name="proposal")


@login_required
@require_POST
def proposal_select(request, pk):
    proposal = proposal_or_404(request, pk)
    if not permissions.can_select_proposal(request.user, proposal.challenge):
        raise PermissionDenied
    form = forms.SelectForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    with refusals(request):
        services.proposal_select(proposal=proposal, user=request.user, note=note)
        messages.success(request, _("“%(title)s” is selected.") % {"title": proposal.title})
    return redirect("innovation:process", slug=proposal.challenge.slug)


def proposal_attachment(request, pk, attachment_pk):
    proposal = proposal_or_404(request, pk)
    attachment = get_object_or_404(ProposalAttachment, pk=attachment_pk, proposal=proposal)
    return attachment_response(attachment)
