"""The buyer's liaison officers' pages: posting and editing a call, its lifecycle and awards,
answering its questions, its expressions of interest, and the calls of their infrastructures."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bigscience_portal.core.lists import PortalListView
from bigscience_portal.core.refusals import refusals

from .. import permissions, selectors, services
from ..exports import eois_csv, eois_csv_filename
from ..forms import (
    AnswerForm,
    AwardFormSet,
    CallForm,
    DocumentFormSet,
    LotFormSet,
    StatusNoteForm,
)
from ..models import Clarification, ProcurementCall
from ..tables import InterestTable, OfficerCallTable, QuestionTable
from .access import managed_call_or_deny, visible_call_or_404

Status = ProcurementCall.Status


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
        content = {
            "user": request.user,
            "fields": form.service_fields(),
            "additional_cpv": form.cleaned_data["additional_cpv_codes"],
            "required_certifications": form.cleaned_data["required_certifications"],
            "country_preset": form.country_preset,
            "formsets": [lots, documents],
        }
        with refusals(request, form=form):
            if call is None:
                call = services.call_create(buyer=form.cleaned_data["buyer"], **content)
                messages.success(request, _("Draft saved. Publish it when it is ready."))
            else:
                amendments = services.call_update(call=call, **content)
                if call.status == Status.DRAFT:
                    messages.success(request, _("Draft saved."))
                else:
                    messages.success(
                        request,
                        _("Call saved; %(n)d amendment(s) recorded.") % {"n": len(amendments)},
                    )
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
    call = managed_call_or_deny(request, pk)
    if call.status in (Status.AWARDED, Status.CANCELLED):
        messages.error(request, _("This call can no longer be edited."))
        return redirect(call.get_absolute_url())
    return _call_form_page(request, call=call)


# --- lifecycle ------------------------------------------------------------------------------

ACTIONS = {
    "publish": (services.call_publish, Status.PUBLISHED),
    "close": (services.call_close, Status.CLOSED),
    "cancel": (services.call_cancel, Status.CANCELLED),
}


@login_required
@require_http_methods(["GET", "POST"])
def call_action(request, pk: int, action: str):
    """Publish, close or cancel: a confirmation page (GET), then the move (POST)."""
    if action not in ACTIONS:
        raise Http404
    call = managed_call_or_deny(request, pk)
    service, to_status = ACTIONS[action]
    form = StatusNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals(request):
            service(call=call, user=request.user, note=form.cleaned_data["note"])
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


def call_preview(request, pk: int):
    """The call as the public will read it, what keeps it from being published, and the
    "Publish" button (which posts to the publish action). Its officers and staff only: a 404
    for anyone else, signed in or not."""
    call = visible_call_or_404(request, pk)
    if not permissions.can_manage_call(request.user, call):
        raise Http404(_("No such call."))
    return render(
        request,
        "tenders/call_preview.html",
        {
            "call": call,
            "problems": services.publish_problems(call),
            "form": StatusNoteForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_award(request, pk: int):
    call = managed_call_or_deny(request, pk)
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
        with refusals(request):
            services.call_award(
                call=call, user=request.user, awards=awards, note=note_form.cleaned_data["note"]
            )
            messages.success(request, _("The call is now awarded."))
            return redirect(call.get_absolute_url())
    allowed = Status.AWARDED in services.TRANSITIONS[call.status]
    return render(
        request,
        "tenders/call_award.html",
        {"call": call, "formset": formset, "note_form": note_form, "allowed": allowed},
    )


# --- questions ------------------------------------------------------------------------------


class _ManagedCallListView(PortalListView):
    """A list of one call's things for its officers: the call is loaded first (404 for a call the
    user may not see, 403 for one they may not manage) and shown above the table."""

    login_required = True

    def authorize(self):
        self.call = managed_call_or_deny(self.request, self.kwargs["pk"])

    def get_context_data(self, **context):
        return {**context, "call": self.call}


class CallQuestionsView(_ManagedCallListView):
    """The officers' view of every question of a call, answered or waiting."""

    template_name = "tenders/call_questions.html"
    table_class = QuestionTable
    context_object_name = "questions"

    def get_queryset(self):
        return selectors.call_all_questions(self.call)


call_questions = CallQuestionsView.as_view()


@login_required
@require_http_methods(["GET", "POST"])
def question_answer(request, pk: int, question_pk: int):
    call = managed_call_or_deny(request, pk)
    clarification = get_object_or_404(
        Clarification.objects.select_related("published_question_edited_by"),
        pk=question_pk,
        call=call,
    )
    form = AnswerForm(
        request.POST or None,
        initial={
            "answer": clarification.answer,
            "published_question": clarification.public_question,
        },
    )
    if request.method == "POST" and form.is_valid():
        correction = clarification.is_answered
        with refusals(request, form=form):
            services.clarification_answer(
                clarification=clarification, user=request.user, **form.cleaned_data
            )
            messages.success(
                request, _("Correction published.") if correction else _("Answer published.")
            )
            return redirect(call.get_absolute_url() + "#questions")
    return render(
        request,
        "tenders/question_answer.html",
        {"call": call, "clarification": clarification, "form": form},
    )


# --- expressions of interest ----------------------------------------------------------------


class InterestListView(_ManagedCallListView):
    """The expressions of interest in a call, for its officers."""

    template_name = "tenders/eoi_list.html"
    table_class = InterestTable
    context_object_name = "eois"

    def get_queryset(self):
        return selectors.call_eois(self.call)


eoi_list = InterestListView.as_view()


@login_required
def eoi_export(request, pk: int):
    call = managed_call_or_deny(request, pk)
    response = HttpResponse(
        eois_csv(selectors.call_eois(call)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{eois_csv_filename(call)}"'
    return response


# --- the officer's calls --------------------------------------------------------------------


class OfficerCallListView(PortalListView):
    """The calls of the user's infrastructures, with EoIs and questions waiting."""

    template_name = "tenders/my_calls.html"
    table_class = OfficerCallTable
    context_object_name = "calls"
    login_required = True

    def authorize(self):
        if not permissions.can_create_call(self.request.user):
            raise PermissionDenied(_("This page is for liaison officers of an infrastructure."))

    def get_queryset(self):
        return selectors.officer_calls(self.request.user)


my_calls = OfficerCallListView.as_view()
