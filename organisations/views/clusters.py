"""The clusters' pages: a company asks to join a cluster; the cluster manager decides, curates,
imports and exports the members."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from bigscience_portal.core.lists import PortalListView
from bigscience_portal.core.refusals import refusals

from .. import exports, permissions, selectors, services
from ..filtersets import ClusterMemberFilterSet
from ..forms import ClusterMembershipRequestForm, DecisionForm, MemberImportForm
from ..models import ClusterMembership
from ..tables import ClusterMemberTable, ImportProblemTable, ImportRowTable
from . import AwaitingApproval, awaiting_approval_page, organisation_for

IMPORT_SESSION_KEY = "organisations_member_import_{}"


@login_required
@require_http_methods(["GET", "POST"])
def cluster_membership_request(request, slug):
    """A company's administrator asks a cluster to take the company as a member."""
    member = organisation_for(request, slug, permissions.can_request_cluster_membership)
    form = ClusterMembershipRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form=form):
            services.cluster_membership_request(
                member=member, requested_by=request.user, **form.cleaned_data
            )
            messages.success(request, _("Your request was sent to the cluster manager."))
            return redirect(member)
    return render(
        request,
        "organisations/cluster_membership_request.html",
        {"organisation": member, "form": form},
    )


def _cluster_for(request, slug):
    """The cluster of the URL for its manager's pages: 404 for outsiders, the awaiting-approval
    page for its own people while staff have not approved it, 403 for the others."""
    return organisation_for(
        request, slug, permissions.can_manage_cluster, waiting=permissions.waiting_for_approval
    )


@method_decorator(awaiting_approval_page, name="dispatch")
class ClusterMemberListView(PortalListView):
    """The cluster manager's page: requests to decide, members to verify and edit, import."""

    template_name = "organisations/cluster_members.html"
    filterset_class = ClusterMemberFilterSet
    table_class = ClusterMemberTable
    context_object_name = "memberships"
    login_required = True

    def authorize(self) -> None:
        self.cluster = _cluster_for(self.request, self.kwargs["slug"])

    def get_queryset(self):
        return selectors.cluster_members(self.cluster)

    def get_context_data(self, **context) -> dict:
        context = super().get_context_data(**context)
        context["cluster"] = self.cluster
        return context


@login_required
@awaiting_approval_page
@require_http_methods(["GET", "POST"])
def cluster_membership_decide(request, pk):
    """Confirmation page, then approve or reject the company's request."""
    cm = get_object_or_404(ClusterMembership.objects.select_related("cluster", "member"), pk=pk)
    if permissions.waiting_for_approval(request.user, cm.cluster) is not None:
        raise AwaitingApproval(cm.cluster)
    if not permissions.can_see_cluster_membership(request.user, cm):
        raise Http404(_("No such request."))  # a request is not public: nothing tells it exists
    may_decide = permissions.can_decide_cluster_membership(request.user, cm)
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied  # the other side of the request: it sees, it does not decide
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return HttpResponse(status=400)
        approve = form.cleaned_data["decision"] == "approve"
        if cm.invited:  # the cluster invited the company: its administrators decide
            service = (
                services.cluster_invitation_accept
                if approve
                else services.cluster_invitation_decline
            )
        else:
            service = (
                services.cluster_membership_approve
                if approve
                else services.cluster_membership_reject
            )
        with refusals(request):
            service(cluster_membership=cm, decided_by=request.user)
            messages.success(
                request,
                (_("%(org)s: approved.") if approve else _("%(org)s: rejected."))
                % {"org": cm.member.name},
            )
        if cm.invited and not permissions.can_manage_cluster(request.user, cm.cluster):
            return redirect(cm.member)
        return redirect("organisations:cluster_members", slug=cm.cluster.slug)
    return render(
        request,
        "organisations/cluster_membership_decide.html",
        {"request_obj": cm, "may_decide": may_decide},
    )


@login_required
@awaiting_approval_page
@require_http_methods(["GET", "POST"])
def member_import(request, slug):
    """Upload a member sheet; it is checked and shown as a preview before anything is stored."""
    cluster = _cluster_for(request, slug)
    form = MemberImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with refusals(request, form=form):
            preview = services.member_import_preview(
                cluster=cluster, filename=upload.name, data=upload.read()
            )
            request.session[IMPORT_SESSION_KEY.format(cluster.pk)] = preview
            return redirect("organisations:member_import_preview", slug=cluster.slug)
    return render(request, "organisations/member_import.html", {"cluster": cluster, "form": form})


@login_required
@awaiting_approval_page
@require_http_methods(["GET", "POST"])
def member_import_preview(request, slug):
    """Every bad row and why; confirming imports all good rows in one transaction."""
    cluster = _cluster_for(request, slug)
    key = IMPORT_SESSION_KEY.format(cluster.pk)
    preview = request.session.get(key)
    if not preview or preview.get("cluster_id") != cluster.pk:
        messages.info(request, _("Upload a sheet first."))
        return redirect("organisations:member_import", slug=cluster.slug)
    if request.method == "POST":
        with refusals(request):
            result = services.member_import_confirm(
                cluster=cluster, imported_by=request.user, rows=preview["rows"]
            )
            del request.session[key]
            messages.success(
                request,
                _(
                    "%(created)d members imported; %(present)d already in the directory were "
                    "left unchanged."
                )
                % {"created": len(result.created), "present": result.already_present},
            )
            return redirect("organisations:cluster_members", slug=cluster.slug)
        del request.session[key]  # refused: the sheet is checked again from the start
        return redirect("organisations:member_import", slug=cluster.slug)
    new_rows = [r for r in preview["rows"] if not r["existing_id"]]
    return render(
        request,
        "organisations/member_import_preview.html",
        {
            "cluster": cluster,
            "preview": preview,
            "new_rows": new_rows,
            "existing_rows": [r for r in preview["rows"] if r["existing_id"]],
            "problems": ImportProblemTable(preview["errors"], request=request),
            "new_table": ImportRowTable(new_rows, request=request),
        },
    )


@login_required
@awaiting_approval_page
@require_GET
def member_export(request, slug):
    """The cluster's approved members as CSV; cells that look like formulas are escaped."""
    cluster = _cluster_for(request, slug)
    response = HttpResponse(
        exports.members_csv(selectors.approved_members(cluster)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{cluster.slug}-members.csv"'
    return response
