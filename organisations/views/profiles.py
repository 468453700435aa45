"""Keeping a profile: registering an organisation, editing it, its history, verification."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bigscience_portal.core.lists import PortalListView
from bigscience_portal.core.refusals import refusals

from .. import permissions, selectors, services
from ..forms import ContractReferenceFormSet, OrganisationForm
from ..models import ProfileChange
from ..tables import ProfileChangeTable
from . import awaiting_approval_page, organisation_for


def _profile_form(request, organisation=None):
    """The profile form with its contract references: a new organisation's (``organisation``
    None; its creator becomes its administrator) or the changes of an existing one."""
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    formset = ContractReferenceFormSet(
        request.POST or None, instance=organisation, prefix="references"
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        saved = {"form": form, "reference_formset": formset, "country_preset": form.country_preset}
        if organisation is None:
            organisation = services.organisation_create(created_by=request.user, **saved)
            messages.success(request, _("The organisation was created; you are its administrator."))
        else:
            services.organisation_update(
                organisation=organisation, changed_by=request.user, **saved
            )
            messages.success(request, _("The profile was saved."))
        return redirect(organisation)
    return render(
        request,
        "organisations/organisation_form.html",
        {"form": form, "formset": formset, "organisation": organisation},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    if not permissions.can_create_organisation(request.user):
        raise PermissionDenied
    return _profile_form(request)


@login_required
@awaiting_approval_page
@require_http_methods(["GET", "POST"])
def organisation_edit(request, slug):
    organisation = organisation_for(
        request, slug, permissions.can_edit_organisation, waiting=permissions.awaiting_cluster_of
    )
    return _profile_form(request, organisation)


@dataclass(frozen=True)
class HistoryEntry:
    """One change of the history and the table of the fields it touched."""

    change: ProfileChange
    table: ProfileChangeTable


class OrganisationHistoryView(PortalListView):
    """Who changed what on a profile, latest first, for those who may edit it."""

    template_name = "organisations/organisation_history.html"
    context_object_name = "changes"
    login_required = True
    paginate_by = 20

    def authorize(self) -> None:
        self.organisation = organisation_for(
            self.request, self.kwargs["slug"], permissions.can_view_history
        )

    def get_queryset(self):
        return selectors.profile_history(self.organisation)

    def get_rows(self, page) -> list[HistoryEntry]:
        return [
            HistoryEntry(change, ProfileChangeTable(change.changes.items()))
            for change in page.object_list
        ]

    def get_context_data(self, **context) -> dict:
        context = super().get_context_data(**context)
        context["organisation"] = self.organisation
        return context


@login_required
@awaiting_approval_page
@require_http_methods(["GET", "POST"])
def organisation_verify(request, slug):
    """Confirm, then record that the manager's cluster vouches for this member's profile."""
    organisation = organisation_for(
        request, slug, permissions.can_verify_organisation, waiting=permissions.awaiting_cluster_of
    )
    if request.method == "POST":
        with refusals(request):
            services.organisation_verify(organisation=organisation, verified_by=request.user)
            messages.success(request, _("The profile is marked as verified."))
        return redirect(organisation)
    return render(request, "organisations/organisation_verify.html", {"organisation": organisation})
