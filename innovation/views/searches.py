"""Saved searches of the opportunities list and their digests (as the calls' saved searches)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bigscience_portal.core.lists import PortalListView
from bigscience_portal.core.savedsearch_views import (
    search_create_page,
    search_edit_page,
    search_unsubscribe_page,
)

from .. import forms, selectors, services
from ..filtersets import OpportunityFilterSet
from ..models import OpportunitySearch
from ..tables import SearchTable


class SearchListView(PortalListView):
    template_name = "innovation/search_list.html"
    table_class = SearchTable
    context_object_name = "searches"
    login_required = True

    def get_queryset(self):
        return selectors.user_searches(self.request.user)


@login_required
@require_http_methods(["GET", "POST"])
def search_create(request):
    return search_create_page(
        request,
        model=OpportunitySearch,
        form_class=forms.SearchForm,
        create=services.search_create,
        saved_message=_("Search “%(name)s” saved; new opportunities will be e-mailed %(freq)s."),
        list_url_name="innovation:search_list",
        template="innovation/search_form.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def search_edit(request, pk):
    """The user's own search (others': 404): name and frequency here, filters on the list."""
    return search_edit_page(
        request,
        pk,
        model=OpportunitySearch,
        form_class=forms.SearchForm,
        update=services.search_update,
        saved_message=_("Search “%(name)s” saved."),
        list_url_name="innovation:search_list",
        template="innovation/search_form.html",
        filterset_class=OpportunityFilterSet,
    )


@login_required
@require_http_methods(["GET", "POST"])
def search_delete(request, pk):
    search = get_object_or_404(OpportunitySearch, pk=pk, user=request.user)
    if request.method == "POST":
        services.search_delete(search=search)
        messages.success(request, _("Saved search deleted."))
        return redirect("innovation:search_list")
    return render(
        request,
        "innovation/confirm.html",
        {
            "title": _("Delete the saved search “%(name)s”?") % {"name": search.name},
            "button": _("Delete"),
            "back": reverse("innovation:search_list"),
        },
    )


@require_http_methods(["GET", "POST"])
def search_unsubscribe(request, token: str):
    """Works without logging in: the signed token of the digest's link is the key."""
    return search_unsubscribe_page(
        request,
        token,
        find=selectors.search_for_token,
        unsubscribe=services.search_unsubscribe,
        template="innovation/unsubscribe.html",
        context={"base_template": "innovation/_base.html"},
    )
