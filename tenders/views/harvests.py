"""Staff pages of TED harvesting: the list of harvests and one harvest with its log. Everyone
but staff gets a 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from bigscience_portal.core.lists import PortalListView

from .. import permissions
from ..filtersets import HarvestFilterSet
from ..models import HarvestRun
from ..tables import HarvestTable


class HarvestListView(PortalListView):
    """TED harvests, newest first."""

    template_name = "tenders/exchange/harvests.html"
    filterset_class = HarvestFilterSet
    table_class = HarvestTable
    login_required = True

    def authorize(self) -> None:
        if not permissions.can_import_notices(self.request.user):
            raise Http404(_("No such page."))

    def get_queryset(self):
        return HarvestRun.objects.order_by("-created_at", "-id").defer("log")


@login_required
def harvest_detail(request, pk):
    if not permissions.can_import_notices(request.user):
        raise Http404(_("No such page."))
    run = get_object_or_404(HarvestRun, pk=pk)
    return render(request, "tenders/exchange/harvest_detail.html", {"run": run})
