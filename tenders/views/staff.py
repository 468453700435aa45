"""Staff pages of the calls app: the upload of TED notices, the merge of imported buyers."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from bigscience_portal.core.refusals import refusals
from organisations.models import Approval, Organisation

from .. import permissions, services
from ..forms import BuyerMergeForm, TedUploadForm
from ..importers import ted_uploads_import
from ..tables import ImportOutcomeTable


@login_required
def ted_upload(request):
    """Staff upload TED notices; the page reports what happened to each file."""
    if not permissions.can_import_notices(request.user):
        raise PermissionDenied
    outcomes = []
    posted = request.method == "POST"
    form = TedUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        outcomes = ted_uploads_import(
            uploads=form.cleaned_data["files"],
            confirm_out_of_scope=form.cleaned_data["confirm_out_of_scope"],
        )
        form = TedUploadForm()
    return render(
        request,
        "tenders/exchange/ted_upload.html",
        {
            "form": form,
            "outcomes": outcomes,
            "counts": Counter(o.action for o in outcomes),
            "table": ImportOutcomeTable(outcomes, request=request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def buyer_merge(request, pk):
    """Staff merge a buyer that an import created (waiting for approval) into an organisation
    of the directory: its calls go to that one. Everyone else, and other organisations: 404."""
    buyer = get_object_or_404(Organisation, pk=pk, approval=Approval.PENDING)
    if not permissions.can_import_notices(request.user):
        raise Http404(_("No such page."))
    form = BuyerMergeForm(request.POST or None, buyer=buyer)
    if request.method == "POST" and form.is_valid():
        into = form.cleaned_data["into"]
        with refusals(request, form=form):
            moved = services.buyer_merge(buyer=buyer, into=into)
            messages.success(
                request,
                ngettext(
                    "%(buyer)s was merged into %(into)s: %(n)d call moved.",
                    "%(buyer)s was merged into %(into)s: %(n)d calls moved.",
                    moved,
                )
                % {"buyer": buyer.name, "into": into.name, "n": moved},
            )
            return redirect("organisations:approval_queue")
    return render(request, "tenders/exchange/buyer_merge.html", {"buyer": buyer, "form": form})
