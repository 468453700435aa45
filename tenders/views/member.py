"""What signed-in members do with calls: ask a question, express (and withdraw) interest, save
searches of the list and manage their digests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from bigscience_portal.core.refusals import refusals
from bigscience_portal.core.savedsearch_views import SavedSearchPages
from bigscience_portal.core.views_kit import confirm

from .. import permissions, selectors, services
from ..filtersets import CallFilterSet
from ..forms import ClarificationForm, InterestForm
from ..models import ExpressionOfInterest, SavedSearch
from ..tables import SavedSearchTable
from .access import visible_call_or_404

# --- questions ------------------------------------------------------------------------------


@login_required
@require_POST
def question_ask(request, pk: int):
    call = visible_call_or_404(request, pk)
    form = ClarificationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write your question (at most 4,000 characters)."))
        return redirect(call.get_absolute_url() + "#ask")
    with refusals(request):
        services.clarification_ask(
            call=call, user=request.user, question=form.cleaned_data["question"]
        )
        messages.success(
            request,
            _("Your question was sent to the buyer. You will get an e-mail when it is answered."),
        )
    return redirect(call.get_absolute_url() + "#questions")


# --- expressions of interest ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def eoi_create(request, pk: int):
    call = visible_call_or_404(request, pk)
    organisations = permissions.interest_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied(_("Only members of a company can express interest."))
    if not call.is_open:
        messages.error(request, _("This call no longer accepts expressions of interest."))
        return redirect(call.get_absolute_url())
    form = InterestForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form=form):
            services.eoi_submit(call=call, user=request.user, **form.cleaned_data)
            messages.success(request, _("Your expression of interest was sent to the buyer."))
            return redirect(call.get_absolute_url())
    return render(request, "tenders/eoi_form.html", {"call": call, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def eoi_withdraw(request, pk: int, eoi_pk: int):
    call = visible_call_or_404(request, pk)
    eoi = get_object_or_404(
        ExpressionOfInterest.objects.select_related("organisation", "call"), pk=eoi_pk, call=call
    )
    if not permissions.can_withdraw_interest(request.user, eoi):
        raise PermissionDenied(_("You cannot withdraw this expression of interest."))
    return confirm(
        request,
        "tenders/eoi_withdraw_confirm.html",
        {"call": call, "eoi": eoi},
        act=lambda: services.eoi_withdraw(eoi=eoi, user=request.user),
        done=_("Your expression of interest was withdrawn."),
        then=call.get_absolute_url(),
    )


# --- saved searches -------------------------------------------------------------------------


class CallSearchPages(SavedSearchPages):
    """The calls list's saved searches and their digests."""

    model = SavedSearch
    frequency_label = gettext_lazy("E-mail me new calls")
    filterset_class = CallFilterSet
    table_class = SavedSearchTable
    created_message = gettext_lazy("Search “%(name)s” saved; new calls will be e-mailed %(freq)s.")
    templates = {
        "list": "tenders/saved_search_list.html",
        "form": "tenders/saved_search_form.html",
        "delete": "tenders/saved_search_delete_confirm.html",
        "unsubscribe": "tenders/unsubscribe.html",
    }

    def searches(self, user):
        return selectors.user_saved_searches(user)

    def find(self, token):
        return selectors.search_for_unsubscribe_token(token)


saved_searches = CallSearchPages()
