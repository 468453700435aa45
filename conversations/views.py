"""Messages: the user's conversations, one conversation, starting one, reporting one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bigscience_portal.core.errors import ActionRefused
from bigscience_portal.core.lists import PortalListView
from bigscience_portal.core.refusals import refusals
from tenders.models import ExpressionOfInterest, ProcurementCall

from . import permissions, selectors, services
from .filtersets import ConversationFilterSet
from .forms import MessageForm, ReportForm
from .kinds import KINDS, kind_of, subject_for
from .models import Conversation
from .tables import ConversationTable


class ConversationListView(PortalListView):
    """The conversations of the user's organisations, unread ones first marked; staff also see
    the reported ones (and only those of others)."""

    template_name = "conversations/conversation_list.html"
    filterset_class = ConversationFilterSet
    table_class = ConversationTable
    context_object_name = "conversations"
    login_required = True

    def get_queryset(self):
        return selectors.conversations_for(self.request.user)


def _visible(request, pk: int) -> Conversation:
    conversation = get_object_or_404(
        Conversation.objects.select_related(
            "expression_of_interest__call", "interest__opportunity"
        ),
        pk=pk,
    )
    if not permissions.can_view(request.user, conversation):
        raise Http404
    return conversation


def _next(request) -> str:
    """Where a reply sent from another page (an interest's) goes back to: a path of this site."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if safe and wanted.startswith("/") else ""


@login_required
def conversation_detail(request, pk: int):
    """The messages, oldest first, and the reply form (for the parties, while what it is about
    takes messages); opening it clears the user's unread marker. A reply from the page that
    shows the conversation (an interest's) posts here with ``next`` and goes back there."""
    conversation = _visible(request, pk)
    is_party = permissions.is_party(request.user, conversation)
    may_write = permissions.can_write(request.user, conversation)
    form = MessageForm(request.POST or None)
    back = _next(request)
    if request.method == "POST":
        if not is_party:
            raise Http404
        if not may_write:
            raise PermissionDenied(_("This conversation is closed."))
        if form.is_valid():
            with refusals(request, form=form) as refused:
                services.message_send(
                    user=request.user, conversation=conversation, **form.cleaned_data
                )
                messages.success(request, _("Your message is sent."))
            if not refused:
                return redirect(back or conversation)
    if is_party:
        services.conversation_read(user=request.user, conversation=conversation)
    about = conversation.about
    return render(
        request,
        "conversations/conversation_detail.html",
        {
            "conversation": conversation,
            "thread": conversation.messages.select_related("sender", "sender_organisation"),
            "parties": conversation.parties.all(),
            "page": kind_of(about).page(about) if about is not None else None,
            "form": form,
            "next": back,
            "may_write": may_write,
            "closed": permissions.is_closed(conversation),
            "may_report": permissions.can_report(request.user, conversation),
            "report_form": ReportForm(),
        },
    )


def _about(kind: str, pk: int):
    if kind not in KINDS:
        raise Http404
    found = KINDS[kind]
    return get_object_or_404(found.model.objects.select_related(*found.related), pk=pk)


@login_required
def conversation_start(request, kind: str, pk: int):
    """Write to the other party of a thing (an officer from an expression of interest, a
    company from its expression of interest, ...): the one conversation about it, opened on
    the first message. A user of neither party does not see the thing at all (404)."""
    about = _about(kind, pk)
    try:
        permissions.check_may_start(request.user, about)
    except ActionRefused:
        raise Http404 from None
    existing = Conversation.objects.filter(**{kind_of(about).field: about}).first()
    if existing is not None:
        return redirect(existing)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form=form) as refused:
            conversation = services.conversation_start(
                user=request.user, about=about, **form.cleaned_data
            )
            messages.success(request, _("Your message is sent."))
        if not refused:
            return redirect(conversation)
    parties = permissions.parties_for(about)
    mine = permissions.member_organisation_ids(request.user)
    return render(
        request,
        "conversations/conversation_start.html",
        {
            "form": form,
            "subject": subject_for(about),
            "to": [p for p in parties if p.pk not in mine],
        },
    )


@login_required
def call_write(request, call_pk: int):
    """ "Write to the officer" from a call's page: through the user's company's expression of
    interest; without one, refused with the reason (there is no relation yet)."""
    call = get_object_or_404(ProcurementCall, pk=call_pk)
    eoi = (
        ExpressionOfInterest.objects.filter(
            call=call, organisation__in=permissions.member_organisation_ids(request.user)
        )
        .order_by("pk")
        .first()
    )
    if eoi is None:
        messages.error(
            request,
            _(
                "Your organisation has not expressed interest in this call: express interest "
                "first, then you can write to the officer."
            ),
        )
        return redirect(call)
    return redirect("conversations:conversation_start", kind="eoi", pk=eoi.pk)


@login_required
@require_POST
def conversation_report(request, pk: int):
    conversation = _visible(request, pk)
    if not permissions.can_report(request.user, conversation):
        raise Http404
    form = ReportForm(request.POST)
    if form.is_valid():
        with refusals(request, form=form) as refused:
            services.conversation_report(
                user=request.user, conversation=conversation, **form.cleaned_data
            )
            messages.success(request, _("The conversation is reported to staff."))
        if not refused:
            return redirect(conversation)
    messages.error(request, _("Say why you report it."))
    return redirect(conversation)
