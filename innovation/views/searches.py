"""Saved searches of the opportunities list and their digests (as the calls' saved searches)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bigscience_portal.core.savedsearch_views import SavedSearchPages

from .. import selectors
from ..filtersets import OpportunityFilterSet
from ..models import OpportunitySearch
from ..tables import SearchTable


class OpportunitySearchPages(SavedSearchPages):
    model = OpportunitySearch
    frequency_label = _("E-mail me new opportunities")
    filterset_class = OpportunityFilterSet
    table_class = SearchTable
    created_message = _("Search “%(name)s” saved; new opportunities will be e-mailed %(freq)s.")
    templates = {
        "list": "innovation/search_list.html",
        "form": "innovation/search_form.html",
        "delete": "innovation/confirm.html",
        "unsubscribe": "innovation/unsubscribe.html",
    }
    unsubscribe_context = {"base_template": "innovation/_base.html"}

    def searches(self, user):
        return selectors.user_searches(user)

    def find(self, token):
        return selectors.search_for_token(token)


pages = OpportunitySearchPages()
