"""What everyone sees: the calls list, a call's page, its documents, its deadlines calendar and
the OCDS releases (the RSS and Atom feeds are ``tenders.feeds``)."""

from __future__ import annotations

import os

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from bigscience_portal.core.lists import PortalListView, page_number, paginate
from bigscience_portal.core.pagecache import cached_for_visitors, public_pages

from .. import ocds_export, permissions, selectors, services
from ..caches import calls_page_cache
from ..filtersets import CallFilterSet
from ..forms import ClarificationForm
from ..ics import call_deadlines_filename, call_deadlines_ics
from ..marks import user_call_marks
from ..models import ExpressionOfInterest
from ..panels import call_page
from ..rows import call_rows
from ..tables import AmendmentTable, AwardTable, DocumentTable, LotTable
from .access import visible_call_or_404
from .member import saved_searches


def _total(row: dict) -> int:
    return row["total"]


class CallListView(PortalListView):
    """Calls with filters, search, sorting and pagination; the filters live in the URL.

    Anonymous visitors get the page from a short-lived cache (``tenders.caches``: keyed by the
    querystring, invalidated by every write to a call). The rows are read as plain values in
    one query (``selectors.call_list_rows``), counted only when the page is full and the count
    is not free (a search ranked by relevance carries its total in the rows).
    """

    template_name = "tenders/call_list.html"
    filterset_class = CallFilterSet
    context_object_name = "calls"
    paginate_by = 20
    page_cache = calls_page_cache
    ranked = False

    def get_queryset(self):
        return selectors.calls_visible(self.request.user)

    def filtered(self, filterset, queryset):
        if not filterset.is_valid():
            return queryset.none()  # the page says which filter to correct
        self.ranked = filterset.ordered_by_rank()
        return selectors.call_list_rows(filterset.qs, with_total=self.ranked)

    def paginate(self, rows, size: int):
        return paginate(
            rows,
            size=size,
            number=page_number(self.request.GET.get("page")),
            cap=self.count_cap,
            total_of=_total if self.ranked else None,
        )

    def get_rows(self, page):
        rows = list(page.object_list)
        marks = user_call_marks(self.request.user, [row["id"] for row in rows])
        return call_rows(rows, now=timezone.now(), marks=marks)

    def get_context_data(self, **context):
        user = self.request.user
        context.update(
            saved_searches.save_box(self.request, can_save=permissions.can_save_search(user)),
            count_cap=self.count_cap,
            can_create_call=permissions.can_create_call(user),
        )
        return context


call_list = CallListView.as_view()


@cached_for_visitors(public_pages)
def call_detail(request, pk: int):
    call = visible_call_or_404(request, pk)
    user = request.user
    can_manage = permissions.can_manage_call(user, call)
    # Everyone reads the answered questions as published; the officers also get the waiting
    # ones, the asker their own questions as asked.
    my_questions = (
        list(selectors.call_user_questions(user, call))
        if user.is_authenticated and not can_manage
        else []
    )
    my_eois = selectors.user_eoi_for_call(user, call) if user.is_authenticated else []
    # Offer "express interest" while one of the user's companies has not expressed it yet.
    interested = {
        e.organisation_id for e in my_eois if e.status == ExpressionOfInterest.Status.ACTIVE
    }
    can_express_interest = (
        permissions.can_express_interest(user, call)
        and permissions.interest_organisations(user).exclude(pk__in=interested).exists()
    )
    table_context = {"currency": call.value_currency}
    return render(
        request,
        "tenders/call_detail.html",
        {
            "call": call,
            "can_manage": can_manage,
            "questions": selectors.call_public_questions(call),
            "waiting_questions": (
                list(selectors.call_unanswered_questions(call)) if can_manage else []
            ),
            "my_questions": my_questions,
            "my_waiting_count": sum(not q.is_answered for q in my_questions),
            "lots": LotTable(call.lots.all(), request=request, context=table_context),
            "documents": DocumentTable(call.documents.all(), request=request),
            "awards": AwardTable(call.awards.all(), request=request, context=table_context),
            "amendments": AmendmentTable(call.amendments.all(), request=request),
            "status_changes": call.status_changes.select_related("changed_by"),
            "can_ask": permissions.can_ask_question(user, call),
            "question_form": ClarificationForm(),
            "can_express_interest": can_express_interest,
            "my_eois": my_eois,
            "eoi_count": selectors.call_active_eoi_count(call) if can_manage else None,
            "transitions": services.TRANSITIONS[call.status] if can_manage else (),
            "now": timezone.now(),
            "panels": call_page.render(request, call),
        },
    )


def call_document(request, pk: int, doc_pk: int):
    """An uploaded document of a call, for those who may see the call (drafts: its officers).

    Uploaded files are served only through here (nothing serves MEDIA_URL), as an attachment.
    """
    call = visible_call_or_404(request, pk)
    document = selectors.call_uploaded_document(call, doc_pk)
    if document is None:
        raise Http404(_("No such document."))
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("No such document.")) from None
    filename = get_valid_filename(os.path.basename(document.file.name)) or f"document-{doc_pk}"
    response = FileResponse(handle, as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private"  # drafts' documents must not sit in shared caches
    return response


def call_ics(request, pk: int):
    """The call's deadlines (clarification and submission) as an iCalendar file, in UTC."""
    call = visible_call_or_404(request, pk)
    response = HttpResponse(
        call_deadlines_ics(call, site_url=settings.SITE_URL),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{call_deadlines_filename(call)}"'
    return response


# --- OCDS -----------------------------------------------------------------------------------

#: Releases per package page; ``?page=2`` gives the next ones (``Link: rel=next`` header).
PACKAGE_PAGE_SIZE = 500


def _absolute(request):
    def absolute(url: str) -> str:
        if url.startswith(("http://", "https://")):
            return url
        return request.build_absolute_uri(url)

    return absolute


def _json(data: dict, filename: str) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def call_release(request, pk: int) -> JsonResponse:
    """The call as an OCDS 1.1 release; drafts do not exist here, for anyone."""
    call = selectors.calls_exportable().filter(pk=pk).first()
    if call is None:
        raise Http404("No such published call.")
    return _json(ocds_export.call_release(call, _absolute(request)), f"call-{pk}-ocds.json")


@require_GET
def calls_package(request) -> JsonResponse:
    """An OCDS 1.1 release package of the calls a list querystring selects (drafts excluded),
    filtered by the list's own FilterSet."""
    filterset = CallFilterSet(request.GET, queryset=selectors.calls_exportable(), request=request)
    if not filterset.is_valid():
        return JsonResponse({"error": "invalid filter parameters"}, status=400)
    page = max(1, min(page_number(request.GET.get("page")), 10_000))
    start = (page - 1) * PACKAGE_PAGE_SIZE
    calls = list(filterset.qs[start : start + PACKAGE_PAGE_SIZE + 1])
    has_next = len(calls) > PACKAGE_PAGE_SIZE
    package = ocds_export.calls_package(
        calls[:PACKAGE_PAGE_SIZE], uri=request.build_absolute_uri(), absolute=_absolute(request)
    )
    response = _json(package, "calls-ocds.json")
    if has_next:
        params = request.GET.copy()
        params["page"] = str(page + 1)
        next_url = request.build_absolute_uri(
            reverse("tenders:calls_ocds") + "?" + params.urlencode()
        )
        response["Link"] = f'<{next_url}>; rel="next"'
    return response
