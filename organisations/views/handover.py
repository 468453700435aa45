"""Profiles handed over to the companies: claiming a profile, a cluster manager inviting a
member's people (approved by its administrators when it has some), a cluster inviting a
company, and an organisation's administrators changing roles and removing members."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bigscience_portal.core.refusals import refusals

from .. import domains, permissions, selectors, services
from ..forms import (
    ClaimForm,
    ClusterInvitationForm,
    DecisionForm,
    MemberInvitationForm,
    RoleChangeForm,
)
from ..models import Invitation, Membership, Organisation
from . import awaiting_approval_page, organisation_for


@login_required
@require_http_methods(["GET", "POST"])
def profile_claim(request, slug):
    """Take over a profile nobody has (an imported one) with a verified address at its
    website's domain. A draft is shown only to whom holds such an address (404 for others)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    user = request.user
    matching = selectors.claim_addresses(user, organisation)
    if not (permissions.can_view_organisation(user, organisation) or matching):
        raise Http404(_("No such organisation."))
    if not permissions.can_claim_profile(user, organisation):
        raise PermissionDenied
    form = ClaimForm(request.POST or None, addresses=matching)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form=form):
            services.profile_claim(
                organisation=organisation, user=user, email=form.cleaned_data["email"]
            )
            messages.success(
                request,
                _("You are now the administrator of %(org)s. Its cluster managers were told.")
                % {"org": organisation.name},
            )
            return redirect(organisation)
    refusal = None
    if not matching:
        addresses = selectors.verified_addresses(user)
        refusal = services.claim_refusal(
            organisation=organisation, user=user, email=addresses[0] if addresses else ""
        )
    return render(
        request,
        "organisations/profile_claim.html",
        {
            "organisation": organisation,
            "form": form,
            "refusal": refusal,
            "domain": domains.claim_domain(organisation.website),
        },
    )


@login_required
@awaiting_approval_page
@require_http_methods(["GET", "POST"])
def member_invite(request, slug):
    """A cluster manager invites someone of a member company to take its profile over."""
    organisation = organisation_for(request, slug, permissions.can_invite_members_of)
    cluster = selectors.managing_cluster(request.user, organisation)
    has_admins = selectors.has_admins(organisation)
    form = MemberInvitationForm(request.POST or None, choose_role=has_admins)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        with refusals(request, form=form):
            services.member_invitation_create(
                organisation=organisation,
                email=email,
                role=form.cleaned_data.get("role", Membership.Role.ADMIN),
                invited_by=request.user,
                cluster=cluster,
            )
            messages.success(
                request,
                (
                    _("The administrators of %(org)s were asked to approve inviting %(email)s.")
                    if has_admins
                    else _("An invitation to administer %(org)s was sent to %(email)s.")
                )
                % {"org": organisation.name, "email": email},
            )
            return redirect("organisations:cluster_members", slug=cluster.slug)
    return render(
        request,
        "organisations/member_invite.html",
        {"organisation": organisation, "cluster": cluster, "form": form, "has_admins": has_admins},
    )


@login_required
@require_http_methods(["GET", "POST"])
def held_invitation_decide(request, pk):
    """An administrator of the company approves (then it is mailed) or declines a cluster
    manager's invitation: a confirmation page, then the decision."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("organisation", "invited_by", "on_behalf_of"), pk=pk
    )
    if not permissions.can_manage_people(request.user, invitation.organisation):
        raise Http404(_("No such invitation."))
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return HttpResponse(status=400)
        approve = form.cleaned_data["decision"] == "approve"
        service = services.held_invitation_approve if approve else services.held_invitation_decline
        with refusals(request):
            service(invitation=invitation, decided_by=request.user)
            messages.success(
                request,
                (
                    _("The invitation was sent to %(email)s.")
                    if approve
                    else _("The invitation of %(email)s was declined; nothing was sent.")
                )
                % {"email": invitation.email},
            )
        return redirect("organisations:organisation_people", slug=invitation.organisation.slug)
    return render(request, "organisations/held_invitation_decide.html", {"invitation": invitation})


def _membership_for(request, slug, pk) -> Membership:
    organisation = organisation_for(request, slug, permissions.can_manage_people)
    return get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        pk=pk,
        organisation=organisation,
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_role(request, slug, pk):
    """Change a member's role: the form is the confirmation; the last administrator stays."""
    membership = _membership_for(request, slug, pk)
    form = RoleChangeForm(
        request.POST or None,
        initial={
            "role": Membership.Role.EDITOR
            if membership.role == Membership.Role.ADMIN
            else Membership.Role.ADMIN
        },
    )
    if request.method == "POST" and form.is_valid():
        with refusals(request, form=form):
            changed = services.membership_role_change(
                membership=membership, role=form.cleaned_data["role"], changed_by=request.user
            )
            messages.success(
                request,
                _("%(email)s is now %(role)s.")
                % {"email": changed.user.email, "role": changed.get_role_display()},
            )
            return redirect("organisations:organisation_people", slug=slug)
    return render(
        request, "organisations/membership_role.html", {"membership": membership, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_remove(request, slug, pk):
    """Confirmation page, then remove the member; the last administrator stays."""
    membership = _membership_for(request, slug, pk)
    if request.method == "POST":
        with refusals(request):
            services.membership_remove(membership=membership, removed_by=request.user)
            messages.success(
                request,
                _("%(email)s was removed from %(org)s.")
                % {"email": membership.user.email, "org": membership.organisation.name},
            )
            if membership.user_id == request.user.pk and not request.user.is_staff:
                return redirect(membership.organisation)
        return redirect("organisations:organisation_people", slug=slug)
    return render(request, "organisations/membership_remove.html", {"membership": membership})


@login_required
@awaiting_approval_page
@require_http_methods(["GET", "POST"])
def cluster_invite(request, slug):
    """A cluster's manager invites a company to become a member; its administrators decide."""
    cluster = organisation_for(
        request, slug, permissions.can_manage_cluster, waiting=permissions.waiting_for_approval
    )
    form = ClusterInvitationForm(request.POST or None, cluster=cluster)
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["member"]
        with refusals(request, form=form):
            services.cluster_invitation_create(
                cluster=cluster, invited_by=request.user, **form.cleaned_data
            )
            messages.success(
                request,
                _("%(org)s was invited; its administrators accept or decline.")
                % {"org": member.name},
            )
            return redirect("organisations:cluster_members", slug=cluster.slug)
    return render(request, "organisations/cluster_invite.html", {"cluster": cluster, "form": form})
