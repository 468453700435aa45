"""The people of an organisation: its administrators' page, invitations, requests to join."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bigscience_portal.core.refusals import refusals

from .. import permissions, selectors, services
from ..forms import DecisionForm, InvitationForm, JoinRequestForm
from ..models import Invitation, JoinRequest
from ..tables import InvitationTable, MembershipChangeTable, MembershipTable
from . import awaiting_approval_page, organisation_for


@login_required
@require_GET
def organisation_people(request, slug):
    organisation = organisation_for(request, slug, permissions.can_manage_people)
    people = selectors.organisation_people(organisation)
    return render(
        request,
        "organisations/organisation_people.html",
        {
            "organisation": organisation,
            "join_requests": people["join_requests"],
            "members": MembershipTable(people["memberships"], request=request),
            "invitations": InvitationTable(people["invitations"], request=request),
            "held_invitations": people["held_invitations"],
            "changes": MembershipChangeTable(people["changes"], request=request),
            "invite_form": InvitationForm(),
            "can_invite": permissions.can_invite(request.user, organisation),
            "awaiting_reason": (
                services.awaiting_approval_message(organisation)
                if not organisation.is_acting
                else ""
            ),
        },
    )


@login_required
@awaiting_approval_page
@require_http_methods(["GET", "POST"])
def invitation_create(request, slug):
    organisation = organisation_for(
        request, slug, permissions.can_invite, waiting=permissions.waiting_for_approval
    )
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form=form):
            services.invitation_create(
                organisation=organisation, invited_by=request.user, **form.cleaned_data
            )
            messages.success(
                request,
                _("An invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            return redirect("organisations:organisation_people", slug=organisation.slug)
    return render(
        request, "organisations/invitation_form.html", {"organisation": organisation, "form": form}
    )


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """The link in the invitation e-mail: a page that says what joining means, then a POST.

    Signed out, the page leads to log-in or sign-up and back here; nothing joins at log-in.
    Only an account holding the invited address, verified, may join: any other account is told
    so (403 when it tries), without the invited address."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("organisation", "invited_by"), token=token
    )
    user = request.user
    if request.method == "POST" and not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    refusal = (
        services.invitation_refusal(invitation=invitation, user=user)
        if user.is_authenticated
        else None
    )
    if request.method == "POST" and refusal is None:
        with refusals(request):
            services.invitation_accept(invitation=invitation, user=user)
            messages.success(
                request, _("You joined %(org)s.") % {"org": invitation.organisation.name}
            )
            return redirect(invitation.organisation)
        return redirect(request.get_full_path())  # refused meanwhile: the page says why
    return render(
        request,
        "organisations/invitation_accept.html",
        {"invitation": invitation, "refusal": refusal, "next": request.get_full_path()},
        status=403 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def join_request_create(request, slug):
    organisation = permissions.visible_organisations(request.user).filter(slug=slug).first()
    if organisation is None:
        raise Http404(_("No such organisation."))
    if not permissions.can_request_to_join(request.user, organisation):
        raise PermissionDenied
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals(request):
            services.join_request_create(
                organisation=organisation,
                user=request.user,
                message=form.cleaned_data["message"],
            )
            messages.success(request, _("Your request was sent to the administrators."))
        return redirect(organisation)
    return render(
        request,
        "organisations/join_request_form.html",
        {"organisation": organisation, "form": form},
    )


@login_required
@require_POST
def join_request_decide(request, pk):
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("organisation", "user"), pk=pk
    )
    if not permissions.can_manage_people(request.user, join_request.organisation):
        raise Http404(_("No such request."))  # a request is not public: nothing tells it exists
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    service = (
        services.join_request_approve
        if form.cleaned_data["decision"] == "approve"
        else services.join_request_reject
    )
    with refusals(request):
        service(join_request=join_request, decided_by=request.user)
        messages.success(
            request, _("The request of %(email)s was decided.") % {"email": join_request.user.email}
        )
    return redirect("organisations:organisation_people", slug=join_request.organisation.slug)
