"""The organisers' pages: creating and editing events, the participants and their export, and
running the B2B meetings (settings, schedule, scheduler runs, publication, moves and locks,
statistics and the outcome summary)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bigscience_portal.core import spreadsheets
from bigscience_portal.core.lists import PortalListView
from bigscience_portal.core.refusals import refusals
from bigscience_portal.core.views_kit import confirm, download

from .. import exports, forms, permissions, schedule_display, selectors, services
from ..filtersets import ParticipantFilterSet
from ..models import Event, Meeting, MeetingRequest
from ..tables import (
    OutcomeByOrganisationTable,
    OutcomeCountTable,
    ParticipantTable,
    ScheduleTable,
    StatisticsTable,
    participant_columns,
    schedule_columns,
)
from .access import (
    brokerage_event,
    brokerage_organiser_required,
    organiser_event,
    organiser_required,
)

# --- the event and its participants -----------------------------------------------------------


def _event_form(request, event: Event | None):
    instance = event or Event(status=Event.Status.DRAFT)
    form = forms.EventForm(
        request.POST or None,
        instance=instance,
        organiser_choices=permissions.organiser_choices(request.user, event),
    )

    def programme_formset(tz_name):
        return forms.ProgrammeFormSet(
            request.POST or None,
            instance=instance,
            prefix="programme",
            form_kwargs={"tz_name": tz_name},
        )

    programme = programme_formset(instance.time_zone if event else None)
    questions = forms.QuestionFormSet(request.POST or None, instance=instance, prefix="questions")
    if request.method == "POST" and form.is_valid():
        programme = programme_formset(form.cleaned_data["time_zone"])  # read in the new zone
        if programme.is_valid() and questions.is_valid():
            with refusals(request, form=form):
                saved = services.event_save(
                    event=form.instance,
                    organisers=form.cleaned_data["organisers"],
                    user=request.user,
                    programme=programme,
                    questions=questions,
                )
                messages.success(request, _("The event is saved."))
                return redirect(saved)
    return render(
        request,
        "events/event_form.html",
        {"form": form, "programme": programme, "questions": questions, "event": event},
    )


@login_required
def event_create(request):
    if not permissions.can_create_event(request.user):
        raise PermissionDenied
    return _event_form(request, None)


@organiser_required
def event_edit(request, event):
    return _event_form(request, event)


class ParticipantListView(PortalListView):
    template_name = "events/participant_list.html"
    filterset_class = ParticipantFilterSet
    context_object_name = "rows"
    login_required = True
    count_cap = None  # the caption says how many registrations there are

    def authorize(self):
        self.event = organiser_event(self.request.user, self.kwargs["slug"])
        self.questions = list(self.event.questions.all())

    def get_queryset(self):
        return selectors.participants(event=self.event)

    def get_rows(self, page):
        rows = list(page.object_list)
        for registration in rows:
            registration.answer_texts = {
                a.question_id: a.answer for a in registration.answers.all()
            }
        return rows

    def get_context_data(self, **context):
        context = super().get_context_data(**context)
        count = context["paginator"].count
        context["event"] = self.event
        context["table"] = ParticipantTable(
            context["rows"],
            request=self.request,
            columns=participant_columns(self.questions),
            caption=ngettext("%(n)s registration", "%(n)s registrations", count) % {"n": count},
        )
        return context


@organiser_required
def participant_export(request, event):
    filterset = ParticipantFilterSet(request.GET, queryset=selectors.participants(event=event))
    header, rows = exports.participant_rows(filterset.qs, list(event.questions.all()))
    if request.GET.get("format", "csv") == "xlsx":
        content = spreadsheets.to_xlsx([("Participants", header, rows)])
        kind, ext = spreadsheets.XLSX, "xlsx"
    else:
        content, kind, ext = spreadsheets.to_csv([(None, header, rows)]), spreadsheets.CSV, "csv"
    return download(content, kind, f"{event.slug}-participants.{ext}")


# --- B2B: settings and the schedule -----------------------------------------------------------


@brokerage_organiser_required
def brokerage_settings(request, event):
    form = forms.BrokerageSettingsForm(request.POST or None, instance=event.brokerage)
    sessions = forms.MeetingSessionFormSet(
        request.POST or None,
        instance=event,
        prefix="sessions",
        form_kwargs={"tz_name": event.time_zone},
    )
    if request.method == "POST" and form.is_valid() and sessions.is_valid():
        with refusals(request, form=form):
            services.brokerage_settings_save(brokerage=form.instance, sessions=sessions)
            messages.success(request, _("The B2B settings are saved."))
            return redirect("events:brokerage_settings", slug=event.slug)
    return render(
        request,
        "events/brokerage_settings.html",
        {"event": event, "form": form, "sessions": sessions},
    )


@brokerage_organiser_required
def schedule(request, event):
    meetings = list(selectors.schedule(event=event))
    accepted = selectors.accepted_requests(event=event)
    unplaced, not_yet_run = schedule_display.still_to_place(event.brokerage, accepted, meetings)
    return render(
        request,
        "events/schedule.html",
        {
            "event": event,
            "settings": event.brokerage,
            "table": ScheduleTable(
                meetings,
                request=request,
                columns=schedule_columns(event),
                context={"event": event},
            ),
            "meeting_count": len(meetings),
            "accepted_count": len(accepted),
            "unplaced": unplaced,
            "not_yet_run": not_yet_run,
        },
    )


@require_POST
@brokerage_organiser_required
def schedule_run(request, event):
    with refusals(request):
        result = services.schedule_run(event=event)
        messages.success(
            request,
            _("The scheduler placed %(placed)s meeting(s); %(unplaced)s could not be placed.")
            % {"placed": len(result.placements), "unplaced": len(result.unplaced)},
        )
    return redirect("events:schedule", slug=event.slug)


@brokerage_organiser_required
def schedule_publish(request, event):
    return confirm(
        request,
        "events/schedule_publish.html",
        {"event": event},
        act=lambda: services.schedule_publish(event=event),
        done=_("The schedule is published; participants are told by e-mail."),
        then=reverse("events:schedule", kwargs={"slug": event.slug}),
    )


@brokerage_organiser_required
def meeting_move(request, event, pk):
    meeting_request = get_object_or_404(
        MeetingRequest.objects.select_related(*selectors.BOTH_SIDES),
        pk=pk,
        event=event,
        status=MeetingRequest.Status.ACCEPTED,
    )
    current = selectors.meeting_of(meeting_request)
    form = forms.MeetingMoveForm(
        request.POST or None,
        initial={"slot": current.slot_id, "table": current.table} if current else None,
        slots=selectors.meeting_slots(event=event),
        tables=event.brokerage.tables,
        tz=event.tzinfo,
    )
    if request.method == "POST" and form.is_valid():
        with refusals(request, form=form):
            services.meeting_move(
                event=event,
                request=meeting_request,
                slot_id=form.cleaned_data["slot"],
                table=form.cleaned_data["table"],
            )
            messages.success(request, _("The meeting is moved and locked in its new place."))
            return redirect("events:schedule", slug=event.slug)
    return render(
        request,
        "events/meeting_move.html",
        {"event": event, "meeting_request": meeting_request, "current": current, "form": form},
    )


@require_POST
@brokerage_organiser_required
def meeting_lock(request, event, pk):
    meeting = get_object_or_404(Meeting, event=event, request_id=pk)
    services.meeting_lock_set(meeting=meeting, locked=request.POST.get("locked") == "1")
    return redirect("events:schedule", slug=event.slug)


# --- B2B: what came of it ---------------------------------------------------------------------


@brokerage_organiser_required
def statistics(request, event):
    stats = selectors.statistics(event=event)
    return render(
        request,
        "events/statistics.html",
        {
            "event": event,
            "stats": stats,
            "table": StatisticsTable(stats["per_organisation"], request=request),
        },
    )


@login_required
def outcome_summary(request, slug):
    """Organisers see every outcome; a cluster manager those of the cluster's members."""
    event = brokerage_event(request.user, slug)
    if not permissions.can_view_outcome_summary(request.user, event):
        raise PermissionDenied
    organisations = permissions.outcome_summary_organisations(request.user, event)
    summary = selectors.outcome_summary(event=event, organisations=organisations)
    return render(
        request,
        "events/outcome_summary.html",
        {
            "event": event,
            "summary": summary,
            "limited_to": organisations,
            "counts": OutcomeCountTable(summary["rows"], request=request),
            "by_organisation": OutcomeByOrganisationTable(
                summary["per_organisation"], request=request
            ),
        },
    )
