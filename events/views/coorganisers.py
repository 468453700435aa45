"""Co-organisers: an organiser invites another organisation; its administrators answer."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bigscience_portal.core.refusals import refusals
from bigscience_portal.core.text import PortalFormMixin
from organisations.models import Organisation

from .. import coorganising, permissions
from ..models import CoOrganiserInvitation
from .access import organiser_required


class CoOrganiserForm(PortalFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"),
        queryset=Organisation.objects.acting().order_by("name"),
    )
    message = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@organiser_required
def co_organisers(request, event):
    form = CoOrganiserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form=form) as refused:
            coorganising.co_organiser_invite(event=event, user=request.user, **form.cleaned_data)
            messages.success(request, _("The invitation is sent to its administrators."))
        if not refused:
            return redirect("events:co_organisers", slug=event.slug)
    invitations = event.co_organiser_invitations.select_related("organisation")
    return render(
        request,
        "events/co_organisers.html",
        {"event": event, "form": form, "invitations": invitations},
    )


@login_required
def co_organiser_decide(request, pk: int):
    invitation = get_object_or_404(
        CoOrganiserInvitation.objects.select_related("event", "organisation"), pk=pk
    )
    if not permissions.can_decide_co_organiser(request.user, invitation):
        raise Http404
    if request.method == "POST":
        accept = request.POST.get("answer") == "accept"
        with refusals(request) as refused:
            coorganising.co_organiser_decide(
                invitation=invitation, user=request.user, accept=accept
            )
            messages.success(
                request,
                _("You co-organise this event now.") if accept else _("You declined."),
            )
        if not refused:
            return redirect(invitation.event if accept else "core:dashboard")
    return render(request, "events/co_organiser_decide.html", {"invitation": invitation})
