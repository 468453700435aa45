"""The staff's approvals: the queue of research infrastructures, clusters and public
authorities waiting for a decision, and the decision (a confirmation page, a reason for a
rejection). Staff only: everyone else gets a 404, as for a page that does not exist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bigscience_portal.core.lists import PortalListView
from bigscience_portal.core.refusals import refusals

from .. import permissions, selectors, services
from ..filtersets import ApprovalFilterSet
from ..forms import ApprovalDecisionForm
from ..models import Organisation
from ..panels import approval_page
from ..tables import ApprovalTable


class ApprovalQueueView(PortalListView):
    """Organisations waiting for staff's approval, the longest waiting first."""

    template_name = "organisations/approval_queue.html"
    filterset_class = ApprovalFilterSet
    table_class = ApprovalTable
    context_object_name = "organisations"
    login_required = True

    def authorize(self) -> None:
        if not permissions.can_see_approval_queue(self.request.user):
            raise Http404(_("No such page."))

    def get_queryset(self):
        return selectors.approval_queue()


@login_required
@require_http_methods(["GET", "POST"])
def approval_decide(request, pk):
    """What approval lets the organisation do, then approve, or reject with a reason."""
    organisation = get_object_or_404(
        Organisation.objects.select_related("approval_requested_by", "approval_decided_by"), pk=pk
    )
    if not permissions.can_decide_approval(request.user, organisation):
        raise Http404(_("No such page."))
    decision = request.GET.get("decision")
    form = ApprovalDecisionForm(
        request.POST or None,
        initial={"decision": decision if decision in ("approve", "reject") else None},
    )
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        with refusals(request, form=form):
            if approve:
                services.organisation_approve(organisation=organisation, decided_by=request.user)
                messages.success(
                    request,
                    _("%(org)s is approved; its administrators were told.")
                    % {"org": organisation.name},
                )
            else:
                services.organisation_reject(
                    organisation=organisation,
                    decided_by=request.user,
                    reason=form.cleaned_data["reason"],
                )
                messages.success(
                    request,
                    _("%(org)s was rejected; its administrators were told why.")
                    % {"org": organisation.name},
                )
            return redirect("organisations:approval_queue")
    return render(
        request,
        "organisations/approval_decide.html",
        {
            "organisation": organisation,
            "form": form,
            "admins": selectors.organisation_admins(organisation),
            "panels": approval_page.render(request, organisation),
        },
    )
