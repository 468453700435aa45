"""Thin views: decide who may, call a selector or a service, render."""

from __future__ import annotations

import csv
import datetime as dt
import html
import os
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

import icalendar
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.text import get_valid_filename, slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bigscience_portal.core.spreadsheets import escape_cell

from . import listcache, permissions, selectors, services
from .filtersets import render_filter_fields
from .forms import (
    AnswerForm,
    AwardFormSet,
    CallForm,
    ClarificationForm,
    DocumentFormSet,
    InterestForm,
    LotFormSet,
    SavedSearchForm,
    StatusNoteForm,
)
from .models import Clarification, ExpressionOfInterest, ProcurementCall, SavedSearch
from .panels import call_page
from .templatetags.tenders_tags import countdown_text


def _visible_call_or_404(request, pk: int) -> ProcurementCall:
    try:
        call = selectors.call_detail(pk)
    except ProcurementCall.DoesNotExist:
        raise Http404(_("No such call.")) from None
    if not permissions.can_view_call(request.user, call):
        # Drafts do not exist for those who may not see them.
        raise Http404(_("No such call."))
    return call


def _managed_call_or_deny(request, pk: int) -> ProcurementCall:
    call = _visible_call_or_404(request, pk)
    if not permissions.can_manage_call(request.user, call):
        raise PermissionDenied(_("Only the buyer's liaison officers can do this."))
    return call


def _querystring_without(request, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


# --- lists, feeds ---------------------------------------------------------------------------


def _has_pending_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    return bool(storage is not None and len(storage))


@dataclass(slots=True)
class CallRow:
    """What a row of the calls list shows."""

    pk: int
    url: str
    title: str
    buyer: str
    reference: str
    stage: str
    procedure: str
    value_band: str
    status: str
    status_label: str
    status_class: str
    sme_friendly: bool
    cpv_codes: list[str]
    cpv_label: str
    deadline_iso: str
    deadline: str
    countdown: str


@lru_cache(maxsize=32)
def _row_labels(language: str | None) -> tuple[dict, dict, dict]:
    """Stage, procedure and status labels in ``language`` (translated once per language)."""
    return (
        {k: str(v) for k, v in ProcurementCall.Stage.choices},
        {k: str(v) for k, v in ProcurementCall.Procedure.choices},
        {k: str(v) for k, v in ProcurementCall.Status.choices},
    )


def _list_rows(rows, *, now) -> list[CallRow]:
    """Rows of ``selectors.call_list_rows``, with display labels looked up once per language."""
    stages, procedures, statuses = _row_labels(get_language())
    base = reverse("tenders:call_list")
    published = ProcurementCall.Status.PUBLISHED
    out = []
    for row in rows:
        deadline = row["tender_period_end"]
        local = timezone.localtime(deadline) if deadline else None
        status = row["status"]
        out.append(
            CallRow(
                pk=row["id"],
                url=f"{base}{row['id']}/",
                title=row["title"],
                buyer=row["buyer__acronym"] or row["buyer__name"],
                reference=row["reference"],
                stage=stages.get(row["stage"], row["stage"]),
                procedure=procedures.get(row["procurement_method"], row["procurement_method"]),
                value_band=row["value_band"],
                status=status,
                status_label=statuses.get(status, status),
                status_class=STATUS_BADGE.get(status, "text-bg-dark"),
                sme_friendly=row["sme_friendly"],
                cpv_codes=selectors.row_cpv_codes(row),
                cpv_label=row["main_cpv__label"] or "",
                deadline_iso=local.isoformat() if local else "",
                deadline=date_format(local, "DATETIME_FORMAT") if local else "",
                countdown=(
                    countdown_text(deadline, now) if deadline and status == published else ""
                ),
            )
        )
    return out


def _render_rows(rows: list[CallRow]) -> str:
    """The rows' ``<li>`` markup, every value escaped.

    Plain string building: through the template engine each row cost ~65 us (a third of the
    list page's Python time); the markup is the same.
    """
    e = html.escape
    band, sme, deadline_label, cpv = _("band"), _("SME-friendly"), _("Deadline"), _("CPV")
    out = []
    for row in rows:
        meta = e(row.buyer)
        if row.reference:
            meta += f" · {e(row.reference)}"
        meta += f" · {e(row.stage)} · {e(row.procedure)}"
        if row.value_band:
            meta += f" · {e(band)} {e(row.value_band)}"
        meta += (
            f' · <span class="badge call-status call-status-{e(row.status)} {row.status_class}">'
            f"{e(row.status_label)}</span>"
        )
        if row.sme_friendly:
            meta += f' <span class="badge text-bg-info">{e(sme)}</span>'
        codes = (
            ", ".join(f'<span class="cpv-code">{e(code)}</span>' for code in row.cpv_codes) or "-"
        )
        if row.cpv_label:
            codes += f' <span class="text-body-secondary">({e(row.cpv_label)})</span>'
        when = ""
        if row.deadline:
            left = (
                f' <span class="text-body-secondary">({e(row.countdown)})</span>'
                if row.countdown
                else ""
            )
            when = (
                f'<p class="small mb-0">{e(deadline_label)}: <time datetime="{e(row.deadline_iso)}">'
                f"{e(row.deadline)}</time>{left}</p>"
            )
        out.append(
            '<li class="card mb-2 call-row"><div class="card-body py-2">'
            f'<h3 class="h6 mb-1"><a href="{e(row.url)}">{e(row.title)}</a></h3>'
            f'<p class="small text-body-secondary mb-1">{meta}</p>'
            f'<p class="small mb-1">{e(cpv)}: {codes}</p>'
            f"{when}</div></li>"
        )
    return "\n".join(out)


STATUS_BADGE = {
    ProcurementCall.Status.PUBLISHED: "text-bg-success",
    ProcurementCall.Status.DRAFT: "text-bg-secondary",
    ProcurementCall.Status.CLOSED: "text-bg-warning",
    ProcurementCall.Status.AWARDED: "text-bg-primary",
}


def call_list(request):
    """Calls with filters, search, sorting and pagination; the filters live in the URL.

    Anonymous visitors get the page from a short-lived cache (see ``tenders.listcache``: keyed
    by the querystring, invalidated by every write to a call).
    """
    cache_key = None
    if not request.user.is_authenticated and not _has_pending_messages(request):
        cache_key, version, cached = listcache.lookup(request.GET.urlencode())
        if cached is not None:
            response = HttpResponse(cached)
            response["X-Calls-Cache"] = "hit"
            return response
    else:
        version = listcache.list_version()
    with listcache.pinned(version):
        response = _render_call_list(request)
    if cache_key is not None:
        listcache.set_page(cache_key, version, response.content)
        response["X-Calls-Cache"] = "miss"
    return response


@lru_cache(maxsize=32)
def _save_search_fields(language: str | None) -> str:
    """The unbound "save this search" fields (name, frequency), rendered once per language."""
    form = SavedSearchForm(initial={"frequency": SavedSearch.Frequency.WEEKLY})
    return render_to_string("tenders/_save_search_fields.html", {"save_form": form})


def _render_call_list(request) -> HttpResponse:
    queryset, filterset = selectors.call_search(
        user=request.user, params=request.GET, request=request
    )
    size = selectors.page_size(request.GET.get("per_page"))
    page = selectors.call_list_page(
        queryset,
        size=size,
        number=request.GET.get("page"),
        count_with_rows=filterset.ordered_by_rank(),
    )
    rows = _list_rows(page.object_list, now=timezone.now())
    querystring = services.clean_querystring(request.GET.urlencode())
    can_save_search = permissions.can_save_search(request.user)
    return render(
        request,
        "tenders/call_list.html",
        {
            "filterset": filterset,
            "filter_fields": render_filter_fields(filterset.form),
            "page_obj": page,
            "count_capped": page.paginator.capped,
            "count_cap": page.paginator.cap,
            "calls": rows,
            "rows_html": mark_safe(_render_rows(rows)),  # noqa: S308 (every value escaped)
            "per_page": size,
            "page_sizes": sorted({10, 20, 50, 100, size}),
            "page_querystring": _querystring_without(request, "page"),
            "filter_querystring": querystring,
            "save_fields": _save_search_fields(get_language()) if can_save_search else "",
            "can_save_search": can_save_search,
            "can_create_call": permissions.can_create_call(request.user),
        },
    )


def call_detail(request, pk: int):
    call = _visible_call_or_404(request, pk)
    user = request.user
    can_manage = permissions.can_manage_call(user, call)
    questions = (
        selectors.call_all_questions(call) if can_manage else selectors.call_public_questions(call)
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
    return render(
        request,
        "tenders/call_detail.html",
        {
            "call": call,
            "can_manage": can_manage,
            "questions": questions,
            "my_questions": (
                call.clarifications.filter(asked_by=user, answered_at__isnull=True)
                if user.is_authenticated and not can_manage
                else []
            ),
            "amendments": call.amendments.all(),
            "status_changes": call.status_changes.select_related("changed_by"),
            "can_ask": permissions.can_ask_question(user, call),
            "question_form": ClarificationForm(),
            "can_express_interest": can_express_interest,
            "my_eois": my_eois,
            "eoi_count": (
                call.expressions_of_interest.filter(
                    status=ExpressionOfInterest.Status.ACTIVE
                ).count()
                if can_manage
                else None
            ),
            "transitions": services.TRANSITIONS[call.status] if can_manage else (),
            "now": timezone.now(),
            "panels": call_page.render(request, call),
        },
    )


def call_document(request, pk: int, doc_pk: int):
    """An uploaded document of a call, for those who may see the call (drafts: its officers).

    Uploaded files are served only through here (nothing serves MEDIA_URL), as an attachment.
    """
    call = _visible_call_or_404(request, pk)
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


# --- create and edit ------------------------------------------------------------------------


def _call_form_page(request, *, call: ProcurementCall | None):
    buyers = permissions.buyer_choices(request.user)
    instance = call or ProcurementCall()
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = CallForm(data, files, instance=instance, buyers=buyers)
    lots = LotFormSet(data, instance=instance, prefix="lots")
    documents = DocumentFormSet(data, files, instance=instance, prefix="documents")
    if request.method == "POST" and form.is_valid() and lots.is_valid() and documents.is_valid():
        try:
            with transaction.atomic():
                if call is None:
                    call = services.call_create(
                        user=request.user,
                        buyer=form.cleaned_data["buyer"],
                        fields=form.service_fields(),
                        additional_cpv=form.cleaned_data["additional_cpv_codes"],
                        required_certifications=form.cleaned_data["required_certifications"],
                    )
                    services.call_related_save(
                        call=call, user=request.user, formsets=[lots, documents]
                    )
                    messages.success(request, _("Draft saved. Publish it when it is ready."))
                else:
                    amendments = services.call_update(
                        call=call,
                        user=request.user,
                        fields=form.service_fields(),
                        additional_cpv=form.cleaned_data["additional_cpv_codes"],
                        required_certifications=form.cleaned_data["required_certifications"],
                    )
                    amendments += services.call_related_save(
                        call=call, user=request.user, formsets=[lots, documents]
                    )
                    if call.status == ProcurementCall.Status.DRAFT:
                        messages.success(request, _("Draft saved."))
                    else:
                        messages.success(
                            request,
                            _("Call saved; %(n)d amendment(s) recorded.") % {"n": len(amendments)},
                        )
        except services.CallActionRefused as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect(call.get_absolute_url())
    return render(
        request,
        "tenders/call_form.html",
        {"form": form, "lots": lots, "documents": documents, "call": call},
    )


@login_required
def call_create(request):
    if not permissions.can_create_call(request.user):
        raise PermissionDenied(_("Only liaison officers of an infrastructure can post calls."))
    return _call_form_page(request, call=None)


@login_required
def call_edit(request, pk: int):
    call = _managed_call_or_deny(request, pk)
    if call.status in (ProcurementCall.Status.AWARDED, ProcurementCall.Status.CANCELLED):
        messages.error(request, _("This call can no longer be edited."))
        return redirect(call.get_absolute_url())
    return _call_form_page(request, call=call)


# --- lifecycle ------------------------------------------------------------------------------

ACTIONS = {
    "publish": (services.call_publish, ProcurementCall.Status.PUBLISHED),
    "close": (services.call_close, ProcurementCall.Status.CLOSED),
    "cancel": (services.call_cancel, ProcurementCall.Status.CANCELLED),
}


@login_required
@require_http_methods(["GET", "POST"])
def call_action(request, pk: int, action: str):
    """Publish, close or cancel: a confirmation page (GET), then the move (POST)."""
    if action not in ACTIONS:
        raise Http404
    call = _managed_call_or_deny(request, pk)
    service, to_status = ACTIONS[action]
    form = StatusNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(call=call, user=request.user, note=form.cleaned_data["note"])
        except services.CallActionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("The call is now %(status)s.") % {"status": call.get_status_display().lower()},
            )
        return redirect(call.get_absolute_url())
    allowed = to_status in services.TRANSITIONS[call.status]
    return render(
        request,
        "tenders/call_action_confirm.html",
        {"call": call, "action": action, "form": form, "allowed": allowed},
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_award(request, pk: int):
    call = _managed_call_or_deny(request, pk)
    formset = AwardFormSet(request.POST or None, prefix="awards")
    note_form = StatusNoteForm(request.POST or None)
    if request.method == "POST" and formset.is_valid() and note_form.is_valid():
        awards = [
            services.AwardInput(
                supplier=f.cleaned_data.get("supplier"),
                supplier_name=f.cleaned_data.get("supplier_name", ""),
                value_amount=f.cleaned_data.get("value_amount"),
                value_currency=f.cleaned_data.get("value_currency") or call.value_currency,
                date=f.cleaned_data.get("date"),
                lot_number=f.cleaned_data.get("lot_number", ""),
            )
            for f in formset
            if f.has_changed() and f.cleaned_data
        ]
        try:
            services.call_award(
                call=call, user=request.user, awards=awards, note=note_form.cleaned_data["note"]
            )
        except services.CallActionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The call is now awarded."))
            return redirect(call.get_absolute_url())
    allowed = ProcurementCall.Status.AWARDED in services.TRANSITIONS[call.status]
    return render(
        request,
        "tenders/call_award.html",
        {"call": call, "formset": formset, "note_form": note_form, "allowed": allowed},
    )


# --- questions ------------------------------------------------------------------------------


@login_required
@require_POST
def question_ask(request, pk: int):
    call = _visible_call_or_404(request, pk)
    form = ClarificationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write your question (at most 4,000 characters)."))
        return redirect(call.get_absolute_url() + "#ask")
    try:
        services.clarification_ask(
            call=call, user=request.user, question=form.cleaned_data["question"]
        )
    except services.CallActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Your question was sent to the buyer. You will get an e-mail when it is answered."),
        )
    return redirect(call.get_absolute_url() + "#questions")


@login_required
def call_questions(request, pk: int):
    """The officers' view of every question, answered or waiting."""
    call = _managed_call_or_deny(request, pk)
    return render(
        request,
        "tenders/call_questions.html",
        {"call": call, "questions": selectors.call_all_questions(call)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_answer(request, pk: int, question_pk: int):
    call = _managed_call_or_deny(request, pk)
    clarification = get_object_or_404(Clarification, pk=question_pk, call=call)
    form = AnswerForm(request.POST or None, initial={"answer": clarification.answer})
    if request.method == "POST" and form.is_valid():
        try:
            services.clarification_answer(
                clarification=clarification, user=request.user, answer=form.cleaned_data["answer"]
            )
        except services.CallActionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Answer published."))
            return redirect(call.get_absolute_url() + "#questions")
    return render(
        request,
        "tenders/question_answer.html",
        {"call": call, "clarification": clarification, "form": form},
    )


# --- expressions of interest ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def eoi_create(request, pk: int):
    call = _visible_call_or_404(request, pk)
    organisations = permissions.interest_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied(_("Only members of a company can express interest."))
    if not call.is_open:
        messages.error(request, _("This call no longer accepts expressions of interest."))
        return redirect(call.get_absolute_url())
    form = InterestForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            services.eoi_submit(
                call=call,
                organisation=form.cleaned_data["organisation"],
                user=request.user,
                message=form.cleaned_data["message"],
                partners=form.cleaned_data["partners"],
            )
        except services.CallActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your expression of interest was sent to the buyer."))
            return redirect(call.get_absolute_url())
    return render(request, "tenders/eoi_form.html", {"call": call, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def eoi_withdraw(request, pk: int, eoi_pk: int):
    call = _visible_call_or_404(request, pk)
    eoi = get_object_or_404(
        ExpressionOfInterest.objects.select_related("organisation", "call"), pk=eoi_pk, call=call
    )
    if not permissions.can_withdraw_interest(request.user, eoi):
        raise PermissionDenied(_("You cannot withdraw this expression of interest."))
    if request.method == "POST":
        try:
            services.eoi_withdraw(eoi=eoi, user=request.user)
        except services.CallActionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your expression of interest was withdrawn."))
        return redirect(call.get_absolute_url())
    return render(request, "tenders/eoi_withdraw_confirm.html", {"call": call, "eoi": eoi})


@login_required
def eoi_list(request, pk: int):
    call = _managed_call_or_deny(request, pk)
    return render(
        request, "tenders/eoi_list.html", {"call": call, "eois": selectors.call_eois(call)}
    )


@login_required
def eoi_export(request, pk: int):
    call = _managed_call_or_deny(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"expressions-of-interest-{call.pk}-{slugify(call.reference or call.title)[:40]}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Company"),
            _("Country"),
            _("Submitted by"),
            _("E-mail"),
            _("Message"),
            _("Consortium partners"),
            _("Status"),
            _("Submitted"),
            _("Withdrawn"),
        ]
    )
    for eoi in selectors.call_eois(call):
        user = eoi.submitted_by
        writer.writerow(
            [
                escape_cell(v)
                for v in (
                    eoi.organisation.name,
                    eoi.organisation.country.code if eoi.organisation.country else "",
                    user.get_full_name() if user else "",
                    user.email if user else "",
                    eoi.message,
                    "; ".join(p.strip() for p in eoi.partners.splitlines() if p.strip()),
                    eoi.get_status_display(),
                    timezone.localtime(eoi.created_at).strftime("%Y-%m-%d %H:%M"),
                    timezone.localtime(eoi.withdrawn_at).strftime("%Y-%m-%d %H:%M")
                    if eoi.withdrawn_at
                    else "",
                )
            ]
        )
    return response


# --- calendar -------------------------------------------------------------------------------


def call_ics(request, pk: int):
    """The call's deadlines (clarification and submission) as an iCalendar file, in UTC."""
    call = _visible_call_or_404(request, pk)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Big Science Portal//calls//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", call.title)
    url = settings.SITE_URL + call.get_absolute_url()
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]
    deadlines = [
        ("clarification", _("Clarification deadline"), call.enquiry_period_end),
        ("submission", _("Submission deadline"), call.tender_period_end),
    ]
    for key, label, when in deadlines:
        if not when:
            continue
        start = when.astimezone(dt.UTC)
        event = icalendar.Event()
        event.add("uid", f"call-{call.pk}-{key}@{host}")
        event.add("dtstamp", timezone.now().astimezone(dt.UTC))
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=30))
        event.add("summary", f"{label}: {call.title}")
        event.add("description", f"{call.buyer.name} · {call.reference}\n{url}".strip())
        event.add("url", url)
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="call-{call.pk}-deadlines.ics"'
    return response


# --- liaison officer pages ------------------------------------------------------------------


@login_required
def my_calls(request):
    """The calls of the user's infrastructures, with EoIs and questions waiting."""
    if not permissions.can_create_call(request.user):
        raise PermissionDenied(_("This page is for liaison officers of an infrastructure."))
    return render(
        request,
        "tenders/my_calls.html",
        {"calls": selectors.officer_calls(request.user)},
    )


# --- saved searches -------------------------------------------------------------------------


@login_required
def saved_search_list(request):
    return render(
        request,
        "tenders/saved_search_list.html",
        {"searches": selectors.user_saved_searches(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def saved_search_create(request):
    initial = {
        "querystring": services.clean_querystring(request.GET.get("q_string", "")),
        "frequency": SavedSearch.Frequency.WEEKLY,
    }
    form = SavedSearchForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        search = services.saved_search_create(
            user=request.user,
            name=form.cleaned_data["name"],
            querystring=form.cleaned_data["querystring"],
            frequency=form.cleaned_data["frequency"],
        )
        messages.success(
            request,
            _("Search “%(name)s” saved; new calls will be e-mailed %(freq)s.")
            % {"name": search.name, "freq": search.get_frequency_display().lower()},
        )
        return redirect("tenders:saved_search_list")
    return render(request, "tenders/saved_search_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def saved_search_delete(request, search_pk: int):
    search = get_object_or_404(SavedSearch, pk=search_pk, user=request.user)
    if request.method == "POST":
        services.saved_search_delete(search=search)
        messages.success(request, _("Saved search deleted."))
        return redirect("tenders:saved_search_list")
    return render(request, "tenders/saved_search_delete_confirm.html", {"search": search})


@require_http_methods(["GET", "POST"])
def saved_search_unsubscribe(request, token: str):
    """Works without logging in: the signed token in the e-mail's link is the key."""
    search = services.search_for_unsubscribe_token(token)
    if search is None:
        return render(request, "tenders/unsubscribe.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        services.saved_search_unsubscribe(search=search)
        done = True
    return render(request, "tenders/unsubscribe.html", {"search": search, "done": done})
