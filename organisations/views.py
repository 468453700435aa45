"""Thin views: load the object by its id or slug, ask ``permissions``, call a service, render."""

from __future__ import annotations

import csv
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import member_import as sheets
from . import permissions, receivers, selectors, services
from .filtersets import OrganisationFilterSet
from .forms import (
    ClusterMembershipRequestForm,
    ContractReferenceFormSet,
    DecisionForm,
    InvitationForm,
    JoinRequestForm,
    MemberImportForm,
    OrganisationForm,
)
from .models import ClusterMembership, Decision, Invitation, JoinRequest, Organisation
from .panels import organisation_page

INVITATION_SESSION_KEY = receivers.INVITATION_SESSION_KEY
IMPORT_SESSION_KEY = "organisations_member_import_{}"


def login_required_or_403(view):
    """Anonymous users are sent to log in; the view itself checks the object's predicate."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _visible_or_404(request, slug: str) -> Organisation:
    organisation = permissions.visible_organisations(request.user).filter(slug=slug).first()
    if organisation is None:
        raise Http404(_("No such organisation."))
    return organisation


def _querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- directory ----------------------------------------------------------------------------------


@require_GET
def organisation_list(request):
    """The directory: filters, search, sorting and pagination all kept in the URL."""
    filterset = OrganisationFilterSet(
        request.GET, queryset=selectors.directory_queryset(request.user)
    )
    per_page = selectors.page_size(request.GET.get("per_page"))
    page = Paginator(filterset.qs, per_page).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/organisation_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "rows": selectors.directory_rows(page),
            "per_page": per_page,
            "querystring": _querystring_without_page(request),
            "can_create": permissions.can_create_organisation(request.user),
        },
    )


@require_GET
def organisation_detail(request, slug):
    organisation = selectors.organisation_detail(request.user, slug)
    if organisation is None:
        raise Http404(_("No such organisation."))
    user = request.user
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "panels": organisation_page.render(request, organisation),
            "members": (
                organisation.cluster_memberships.filter(
                    status=Decision.APPROVED, member__status=Organisation.Status.PUBLISHED
                ).select_related("member")
                if organisation.is_cluster
                else []
            ),
            "can_edit": permissions.can_edit_organisation(user, organisation),
            "can_verify": permissions.can_verify_organisation(user, organisation),
            "can_manage_people": permissions.can_manage_people(user, organisation),
            "can_manage_cluster": permissions.can_manage_cluster(user, organisation),
            "can_request_cluster": permissions.can_request_cluster_membership(user, organisation),
            "can_request_to_join": permissions.can_request_to_join(user, organisation),
        },
    )


# --- profile editing ----------------------------------------------------------------------------


@login_required_or_403
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    _require(permissions.can_create_organisation(request.user))
    form = OrganisationForm(request.POST or None, request.FILES or None)
    formset = ContractReferenceFormSet(request.POST or None, prefix="references")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        organisation = services.organisation_create(
            created_by=request.user, form=form, reference_formset=formset
        )
        messages.success(request, _("The organisation was created; you are its administrator."))
        return redirect(organisation)
    return render(
        request,
        "organisations/organisation_form.html",
        {"form": form, "formset": formset, "organisation": None},
    )


@login_required_or_403
@require_http_methods(["GET", "POST"])
def organisation_edit(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    _require(permissions.can_edit_organisation(request.user, organisation))
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    formset = ContractReferenceFormSet(
        request.POST or None, instance=organisation, prefix="references"
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        services.organisation_update(
            organisation=organisation,
            changed_by=request.user,
            form=form,
            reference_formset=formset,
        )
        messages.success(request, _("The profile was saved."))
        return redirect(organisation)
    return render(
        request,
        "organisations/organisation_form.html",
        {"form": form, "formset": formset, "organisation": organisation},
    )


@login_required_or_403
@require_GET
def organisation_history(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    _require(permissions.can_view_history(request.user, organisation))
    return render(
        request,
        "organisations/organisation_history.html",
        {"organisation": organisation, "changes": selectors.profile_history(organisation)},
    )


@login_required_or_403
@require_http_methods(["GET", "POST"])
def organisation_verify(request, slug):
    """Confirm, then record that the manager's cluster vouches for this member's profile."""
    organisation = get_object_or_404(Organisation, slug=slug)
    _require(permissions.can_verify_organisation(request.user, organisation))
    if request.method == "POST":
        try:
            services.organisation_verify(organisation=organisation, verified_by=request.user)
        except services.ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The profile is marked as verified."))
        return redirect(organisation)
    return render(request, "organisations/organisation_verify.html", {"organisation": organisation})


# --- people -------------------------------------------------------------------------------------


@login_required_or_403
@require_GET
def organisation_people(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    _require(permissions.can_manage_people(request.user, organisation))
    return render(
        request,
        "organisations/organisation_people.html",
        {
            "organisation": organisation,
            "memberships": organisation.memberships.select_related("user"),
            "invitations": organisation.invitations.filter(accepted_at__isnull=True),
            "join_requests": organisation.join_requests.filter(
                status=Decision.PENDING
            ).select_related("user"),
            "invite_form": InvitationForm(),
        },
    )


@login_required_or_403
@require_http_methods(["GET", "POST"])
def invitation_create(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    _require(permissions.can_manage_people(request.user, organisation))
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.invitation_create(
            organisation=organisation,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            invited_by=request.user,
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
    """The link in the invitation e-mail: log in or sign up, come back, and join."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("organisation", "invited_by"), token=token
    )
    if not request.user.is_authenticated:
        # Kept so that joining completes right after logging in or signing up.
        request.session[INVITATION_SESSION_KEY] = token
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except services.ServiceError as exc:
            messages.error(request, str(exc))
            return redirect("core:dashboard")
        request.session.pop(INVITATION_SESSION_KEY, None)
        messages.success(request, _("You joined %(org)s.") % {"org": invitation.organisation.name})
        return redirect(invitation.organisation)
    return render(
        request,
        "organisations/invitation_accept.html",
        {"invitation": invitation, "next": request.get_full_path()},
    )


@login_required_or_403
@require_http_methods(["GET", "POST"])
def join_request_create(request, slug):
    organisation = _visible_or_404(request, slug)
    _require(permissions.can_request_to_join(request.user, organisation))
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_request_create(
                organisation=organisation,
                user=request.user,
                message=form.cleaned_data["message"],
            )
        except services.ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your request was sent to the administrators."))
        return redirect(organisation)
    return render(
        request,
        "organisations/join_request_form.html",
        {"organisation": organisation, "form": form},
    )


@login_required_or_403
@require_POST
def join_request_decide(request, pk):
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("organisation", "user"), pk=pk
    )
    _require(permissions.can_manage_people(request.user, join_request.organisation))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    service = (
        services.join_request_approve
        if form.cleaned_data["decision"] == "approve"
        else services.join_request_reject
    )
    try:
        service(join_request=join_request, decided_by=request.user)
    except services.ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("The request of %(email)s was decided.") % {"email": join_request.user.email}
        )
    return redirect("organisations:organisation_people", slug=join_request.organisation.slug)


# --- clusters -----------------------------------------------------------------------------------


@login_required_or_403
@require_http_methods(["GET", "POST"])
def cluster_membership_request(request, slug):
    """A company's administrator asks a cluster to take the company as a member."""
    member = get_object_or_404(Organisation, slug=slug)
    _require(permissions.can_request_cluster_membership(request.user, member))
    form = ClusterMembershipRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cluster_membership_request(
                member=member,
                cluster=form.cleaned_data["cluster"],
                requested_by=request.user,
                message=form.cleaned_data["message"],
            )
        except services.ServiceError as exc:
            form.add_error("cluster", str(exc))
        else:
            messages.success(request, _("Your request was sent to the cluster manager."))
            return redirect(member)
    return render(
        request,
        "organisations/cluster_membership_request.html",
        {"organisation": member, "form": form},
    )


@login_required_or_403
@require_GET
def cluster_members(request, slug):
    """The cluster manager's page: requests to decide, members to verify and edit, import."""
    cluster = get_object_or_404(Organisation, slug=slug)
    _require(permissions.can_manage_cluster(request.user, cluster))
    return render(
        request,
        "organisations/cluster_members.html",
        {"cluster": cluster, "memberships": selectors.cluster_members(cluster)},
    )


@login_required_or_403
@require_http_methods(["GET", "POST"])
def cluster_membership_decide(request, pk):
    """Confirmation page, then approve or reject the company's request."""
    cm = get_object_or_404(ClusterMembership.objects.select_related("cluster", "member"), pk=pk)
    _require(permissions.can_decide_cluster_membership(request.user, cm))
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return HttpResponse(status=400)
        service = (
            services.cluster_membership_approve
            if form.cleaned_data["decision"] == "approve"
            else services.cluster_membership_reject
        )
        try:
            service(cluster_membership=cm, decided_by=request.user)
        except services.ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("%(org)s: approved.") % {"org": cm.member.name}
                if form.cleaned_data["decision"] == "approve"
                else _("%(org)s: rejected.") % {"org": cm.member.name},
            )
        return redirect("organisations:cluster_members", slug=cm.cluster.slug)
    return render(request, "organisations/cluster_membership_decide.html", {"request_obj": cm})


@login_required_or_403
@require_http_methods(["GET", "POST"])
def member_import(request, slug):
    """Upload a member sheet; it is checked and shown as a preview before anything is stored."""
    cluster = get_object_or_404(Organisation, slug=slug)
    _require(permissions.can_manage_cluster(request.user, cluster))
    form = MemberImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            preview = services.member_import_preview(
                cluster=cluster, filename=upload.name, data=upload.read()
            )
        except sheets.SheetError as exc:
            form.add_error("file", str(exc))
        else:
            request.session[IMPORT_SESSION_KEY.format(cluster.pk)] = preview
            return redirect("organisations:member_import_preview", slug=cluster.slug)
    return render(request, "organisations/member_import.html", {"cluster": cluster, "form": form})


@login_required_or_403
@require_http_methods(["GET", "POST"])
def member_import_preview(request, slug):
    """Every bad row and why; confirming imports all good rows in one transaction."""
    cluster = get_object_or_404(Organisation, slug=slug)
    _require(permissions.can_manage_cluster(request.user, cluster))
    key = IMPORT_SESSION_KEY.format(cluster.pk)
    preview = request.session.get(key)
    if not preview or preview.get("cluster_id") != cluster.pk:
        messages.info(request, _("Upload a sheet first."))
        return redirect("organisations:member_import", slug=cluster.slug)
    if request.method == "POST":
        result = services.member_import_confirm(
            cluster=cluster, imported_by=request.user, rows=preview["rows"]
        )
        del request.session[key]
        messages.success(
            request,
            _(
                "%(created)d members imported; %(present)d already in the directory were left unchanged."
            )
            % {"created": len(result.created), "present": result.already_present},
        )
        return redirect("organisations:cluster_members", slug=cluster.slug)
    return render(
        request,
        "organisations/member_import_preview.html",
        {
            "cluster": cluster,
            "preview": preview,
            "new_rows": [r for r in preview["rows"] if not r["existing_id"]],
            "existing_rows": [r for r in preview["rows"] if r["existing_id"]],
        },
    )


@login_required_or_403
@require_GET
def member_export(request, slug):
    """The cluster's approved members as CSV; cells that look like formulas are escaped."""
    cluster = get_object_or_404(Organisation, slug=slug)
    _require(permissions.can_manage_cluster(request.user, cluster))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{cluster.slug}-members.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        ["name", "country", "website", "email", "cpv_codes", "capabilities", "verified"]
    )
    for cm in selectors.cluster_members(cluster).filter(status=Decision.APPROVED):
        org = cm.member
        writer.writerow(
            [
                sheets.escape_cell(v)
                for v in (
                    org.name,
                    org.country.code if org.country else "",
                    org.website,
                    org.email,
                    " ".join(c.code for c in org.cpv_codes.all()),
                    org.capabilities,
                    org.verified_at.date().isoformat() if org.verified_at else "",
                )
            ]
        )
    return response


# --- code pickers -------------------------------------------------------------------------------


@require_GET
def cpv_search(request):
    """JSON matches for the type-ahead: ``?q=vacuum`` or ``?q=4212``."""
    results = selectors.cpv_search(request.GET.get("q", ""))
    return JsonResponse(
        {"results": [{"code": c.code, "label": c.label, "level": c.level} for c in results]}
    )


@require_GET
def nace_search(request):
    results = selectors.nace_search(request.GET.get("q", ""))
    return JsonResponse(
        {"results": [{"code": c.code, "label": c.label, "level": c.level} for c in results]}
    )


@require_GET
def code_lookup(request, scheme):
    """Server-rendered code search, for those without JavaScript."""
    query = request.GET.get("q", "")
    search = selectors.cpv_search if scheme == "cpv" else selectors.nace_search
    return render(
        request,
        "organisations/code_lookup.html",
        {
            "scheme": scheme,
            "query": query,
            "results": search(query, limit=100),
            "action": reverse(f"organisations:{scheme}_lookup"),
        },
    )
