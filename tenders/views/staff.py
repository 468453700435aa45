"""Staff pages of the calls app: the upload of TED notices."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from ..forms import TedUploadForm
from ..importers import ted_uploads_import
from ..tables import ImportOutcomeTable


@login_required
def ted_upload(request):
    """Staff upload TED notices; the page reports what happened to each file."""
    if not request.user.is_staff:
        raise PermissionDenied
    outcomes = []
    posted = request.method == "POST"
    form = TedUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        outcomes = ted_uploads_import(uploads=form.cleaned_data["files"])
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
