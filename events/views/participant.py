"""The B2B participant's pages: offers and availability, the catalogue of participants,
meeting requests, suggestions of whom to meet, the agenda and its calendar file, outcomes.

A participant's requests, agenda and outcomes are their own: organisers run the schedule from
their pages, they do not read these (see ``permissions``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bigscience_portal.core.lists import PortalListView
from bigscience_portal.core.refusals import refusals
from bigscience_portal.core.views_kit import confirm, download

from .. import forms, ics, permissions, selectors, services
from ..filtersets import CatalogueFilterSet
from ..models import EventOpportunity, Meeting, MeetingRequest, Registration
from ..suggestions import suggestions_for
from ..tables import AgendaTable, agenda_columns
from .access import brokerage_event, event_for, participant_required
from .shortcuts import CALENDAR

# --- what I offer, and who is here ------------------------------------------------------------


@participant_required
def b2b_profile(request, event, registration):
    posted = request.POST.get("form") if request.method == "POST" else None
    availability = forms.AvailabilityForm(
        request.POST if posted == "availability" else None,
        event=event,
        initial={"sessions": [a.session_id for a in registration.availabilities.all()]},
    )
    opportunity = forms.OpportunityForm(request.POST if posted == "opportunity" else None)
    if availability.is_bound and availability.is_valid():
        with refusals(request, form=availability):
            services.availability_set(
                registration=registration, sessions=availability.cleaned_data["sessions"]
            )
            messages.success(request, _("Your availability is saved."))
            return redirect("events:b2b_profile", slug=event.slug)
    if opportunity.is_bound and opportunity.is_valid():
        with refusals(request, form=opportunity):
            offer = dict(opportunity.cleaned_data)
            link = services.opportunity_create(
                registration=registration, cpv_codes=offer.pop("cpv"), **offer
            )
            messages.success(request, _("Your cooperation opportunity is published."))
            if link.opportunity.status == link.opportunity.Status.IN_REVIEW:
                messages.info(
                    request,
                    _("It is shown here now, and in the public list once it is reviewed."),
                )
            return redirect("events:b2b_profile", slug=event.slug)
    return render(
        request,
        "events/b2b_profile.html",
        {
            "event": event,
            "registration": registration,
            "availability_form": availability,
            "opportunity_form": opportunity,
            "opportunities": selectors.opportunities_of(registration=registration),
        },
    )


@participant_required
def opportunity_delete(request, event, registration, pk):
    link = get_object_or_404(
        EventOpportunity.objects.select_related("opportunity", "registration__user"),
        pk=pk,
        registration=registration,
    )
    return confirm(
        request,
        "events/opportunity_delete.html",
        {"event": event, "opportunity": link.opportunity, "link": link},
        act=lambda: services.opportunity_delete(link=link),
        done=_("The opportunity is removed."),
        then=reverse("events:b2b_profile", kwargs={"slug": event.slug}),
    )


class CatalogueView(PortalListView):
    """Who is at a B2B event, by what they offer and seek: for participants and organisers."""

    template_name = "events/catalogue.html"
    filterset_class = CatalogueFilterSet
    context_object_name = "participants"
    login_required = True

    def authorize(self):
        self.event = brokerage_event(self.request.user, self.kwargs["slug"])
        if not permissions.can_browse_participants(self.request.user, self.event):
            raise PermissionDenied
        self.me = permissions.brokerage_participant(self.request.user, self.event)

    def get_queryset(self):
        return selectors.catalogue(event=self.event)

    def get_context_data(self, **context):
        context = super().get_context_data(**context)
        context["event"] = self.event
        context["me"] = self.me
        context["contacted"] = selectors.contacted_ids(registration=self.me) if self.me else set()
        return context


@participant_required
def suggestions(request, event, registration):
    return render(
        request,
        "events/suggestions.html",
        {
            "event": event,
            "suggestions": suggestions_for(registration, k=15),
            "contacted": selectors.contacted_ids(registration=registration),
        },
    )


# --- meeting requests -------------------------------------------------------------------------


@participant_required
def meeting_request_create(request, event, registration, pk):
    recipient = get_object_or_404(
        Registration.objects.select_related("user", "organisation"),
        pk=pk,
        event=event,
        status=Registration.Status.CONFIRMED,
    )
    if recipient.pk == registration.pk:
        raise Http404
    form = forms.MeetingRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form=form):
            services.meeting_request_create(
                requester=registration, recipient=recipient, **form.cleaned_data
            )
            messages.success(request, _("Your meeting request is sent."))
            return redirect("events:meeting_requests", slug=event.slug)
    return render(
        request,
        "events/meeting_request_form.html",
        {"event": event, "recipient": recipient, "form": form},
    )


@participant_required
def meeting_requests(request, event, registration):
    reqs = list(selectors.requests_of(registration=registration))
    return render(
        request,
        "events/meeting_requests.html",
        {
            "event": event,
            "registration": registration,
            "incoming": [r for r in reqs if r.recipient_id == registration.pk],
            "outgoing": [r for r in reqs if r.requester_id == registration.pk],
        },
    )


def _own_request(request, slug, pk) -> tuple:
    """The event and one of the user's meeting requests (403 for anyone else's)."""
    event = event_for(request.user, slug)
    meeting_request = get_object_or_404(
        MeetingRequest.objects.select_related("requester", "recipient"), pk=pk, event=event
    )
    if not permissions.can_view_meeting_request(request.user, meeting_request):
        raise PermissionDenied
    return event, meeting_request


@require_POST
@login_required
def meeting_request_decide(request, slug, pk):
    event, meeting_request = _own_request(request, slug, pk)
    if not permissions.can_decide_meeting_request(request.user, meeting_request):
        raise PermissionDenied
    accept = request.POST.get("decision") == "accept"
    with refusals(request):
        services.meeting_request_decide(request=meeting_request, accept=accept)
        messages.success(
            request, _("Meeting accepted.") if accept else _("Meeting request declined.")
        )
    return redirect("events:meeting_requests", slug=event.slug)


@login_required
def meeting_request_cancel(request, slug, pk):
    event, meeting_request = _own_request(request, slug, pk)
    if not permissions.can_cancel_meeting_request(request.user, meeting_request):
        raise PermissionDenied
    return confirm(
        request,
        "events/meeting_request_cancel.html",
        {"event": event, "meeting_request": meeting_request},
        act=lambda: services.meeting_request_cancel(request=meeting_request),
        done=_("The meeting is cancelled."),
        then=reverse("events:meeting_requests", kwargs={"slug": event.slug}),
    )


# --- the agenda and what came of it -----------------------------------------------------------


def _agenda(request, event, registration):
    published = event.brokerage.is_published
    meetings = selectors.agenda(registration=registration) if published else []
    table = AgendaTable(
        meetings,
        request=request,
        columns=agenda_columns(event, registration),
        caption=_("Times in %(tz)s") % {"tz": event.time_zone},
    )
    return render(
        request,
        "events/agenda.html",
        {"event": event, "registration": registration, "published": published, "table": table},
    )


@participant_required
def agenda(request, event, registration):
    return _agenda(request, event, registration)


@login_required
def agenda_of(request, slug, pk):
    """Someone's agenda by registration: its owner and staff only, never other participants."""
    event = brokerage_event(request.user, slug)
    registration = get_object_or_404(
        Registration.objects.select_related("user", "organisation"), pk=pk, event=event
    )
    if not permissions.can_view_agenda(request.user, registration):
        raise PermissionDenied
    services.brokerage_settings_ensure(event=event)
    return _agenda(request, event, registration)


@participant_required
def agenda_ics(request, event, registration):
    meetings = selectors.agenda(registration=registration) if event.brokerage.is_published else []
    return download(
        ics.agenda_calendar(registration, meetings), CALENDAR, f"{event.slug}-meetings.ics"
    )


@participant_required
def outcomes(request, event, registration):
    if request.method == "POST":
        meeting_id = request.POST.get("meeting", "")
        if not meeting_id.isdigit() or len(meeting_id) > 18:
            raise Http404  # not the id of a meeting: never a server error
        meeting = get_object_or_404(Meeting, pk=int(meeting_id), event=event)
        form = forms.OutcomeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose an outcome."))
        else:
            with refusals(request):
                services.outcome_record(
                    meeting=meeting, registration=registration, **form.cleaned_data
                )
                messages.success(request, _("The outcome is recorded."))
                return redirect("events:outcomes", slug=event.slug)
    recorded = selectors.outcomes_by_meeting(registration=registration)
    tz = event.tzinfo
    rows = []
    for m in selectors.agenda(registration=registration):
        rec = recorded.get(m.pk)
        rows.append(
            {
                "meeting": m,
                "start": timezone.localtime(m.starts_at, tz),
                "other": m.request.other_side(registration),
                "form": forms.OutcomeForm(
                    initial={"outcome": rec.outcome, "note": rec.note} if rec else None,
                    auto_id=f"id_m{m.pk}_%s",
                ),
                "recorded": rec,
            }
        )
    return render(
        request,
        "events/outcomes.html",
        {"event": event, "rows": rows, "started": event.starts_at <= timezone.now()},
    )
