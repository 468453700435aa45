"""Expressions of interest in an opportunity, and the page of the two organisations: the
interest's conversation (``conversations`` adds that panel: its messages, the reply form posting
to the conversation and coming back) and a meeting at a B2B event both attend (``events``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bigscience_portal.core.lists import PortalListView
from bigscience_portal.core.refusals import refusals

from .. import forms, permissions, selectors, services
from ..panels import interest_page
from ..tables import InterestTable
from .access import interest_or_404, opportunity_or_404


@login_required
@require_http_methods(["GET", "POST"])
def interest_create(request, pk):
    opportunity = opportunity_or_404(request, pk)
    if not permissions.can_express_interest(request.user, opportunity):
        raise PermissionDenied(
            _(
                "Members of an organisation other than the offering one express interest in a live opportunity."
            )
        )
    form = forms.InterestForm(
        request.POST or None,
        organisations=permissions.interest_organisations(request.user, opportunity),
    )
    if request.method == "POST" and form.is_valid():
        with refusals(request, form=form):
            interest = services.interest_express(
                opportunity=opportunity, user=request.user, **form.cleaned_data
            )
            messages.success(
                request,
                _("Your interest was sent to %(org)s; their answer comes here and by e-mail.")
                % {"org": opportunity.organisation.name},
            )
            return redirect(interest)
    return render(
        request, "innovation/interest_form.html", {"opportunity": opportunity, "form": form}
    )


@login_required
@require_GET
def interest_detail(request, pk):
    """The interest, who offers what, and the panels of the apps above (its conversation first)."""
    interest = interest_or_404(request, pk)
    return render(
        request,
        "innovation/interest_detail.html",
        {
            "interest": interest,
            "opportunity": interest.opportunity,
            "can_close": permissions.can_close_interest(request.user, interest),
            "panels": interest_page.render(request, interest),
        },
    )


@login_required
@require_POST
def interest_close(request, pk):
    interest = interest_or_404(request, pk, permissions.can_close_interest)
    with refusals(request):
        services.interest_close(interest=interest, user=request.user)
        messages.success(request, _("The conversation is closed."))
    return redirect(interest)


class InterestListView(PortalListView):
    """Interests the user's organisations sent and received."""

    template_name = "innovation/interest_list.html"
    table_class = InterestTable
    context_object_name = "interests"
    login_required = True

    def get_queryset(self):
        return selectors.interests_of_user(self.request.user)
