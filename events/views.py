"""Views of the events app: thin, permissions from ``permissions.py``, writes in ``services.py``."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.permissions import member_organisations

from . import exports, forms, ics, permissions, selectors, services
from .filtersets import CatalogueFilterSet, EventFilterSet, ParticipantFilterSet
from .models import (
    BrokerageSettings,
    CooperationOpportunity,
    Event,
    Meeting,
    MeetingOutcome,
    MeetingRequest,
    Registration,
)
from .suggestions import suggestions_for

PAGE_SIZES = (10, 25, 50, 100)


def _page(request, queryset, default=25):
    try:
        size = int(request.GET.get("per_page", default))
    except ValueError:
        size = default
    size = size if size in PAGE_SIZES else default
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _styled(filterset):
    """Bootstrap classes on a FilterSet's form (the form is built once, on first access)."""
    for field in filterset.form.fields.values():
        widget = field.widget
        css = (
            "form-select form-select-sm"
            if hasattr(widget, "choices")
            else "form-control form-control-sm"
        )
        widget.attrs.setdefault("class", css)
    return filterset


def _event(request, slug) -> Event:
    """The event, or 404 when it does not exist or is a draft the user does not organise."""
    event = Event.objects.prefetch_related("organisers").filter(slug=slug).first()
    if event is None or not permissions.can_view_event(request.user, event):
        raise Http404
    return event


def organiser_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, slug, *args, **kwargs):
        event = _event(request, slug)
        if not permissions.is_organiser(request.user, event):
            raise PermissionDenied
        return view(request, event, *args, **kwargs)

    return wrapper


def brokerage_organiser_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, slug, *args, **kwargs):
        event = _event(request, slug)
        if not event.is_brokerage:
            raise Http404
        if not permissions.can_manage_brokerage(request.user, event):
            raise PermissionDenied
        BrokerageSettings.objects.get_or_create(event=event)
        return view(request, event, *args, **kwargs)

    return wrapper


def participant_required(view):
    """B2B pages of the participant themself: a confirmed registration for a B2B event."""

    @wraps(view)
    @login_required
    def wrapper(request, slug, *args, **kwargs):
        event = _event(request, slug)
        if not event.is_brokerage:
            raise Http404
        registration = permissions.brokerage_participant(request.user, event)
        if registration is None:
            raise PermissionDenied
        BrokerageSettings.objects.get_or_create(event=event)
        return view(request, event, registration, *args, **kwargs)

    return wrapper


# --- events -----------------------------------------------------------------------------------


def event_list(request):
    filterset = _styled(
        EventFilterSet(request.GET, queryset=selectors.event_list(user=request.user))
    )
    page = _page(request, filterset.qs)
    return render(
        request,
        "events/event_list.html",
        {
            "filterset": filterset,
            "page_obj": page,
            "can_create": permissions.can_create_event(request.user),
        },
    )


def event_detail(request, slug):
    event = _event(request, slug)
    registration = permissions.active_registration(request.user, event)
    confirmed = selectors.confirmed_count(event)
    rank = selectors.waitlist_rank(registration) if registration else None
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "programme": event.programme.all(),
            "registration": registration,
            "waitlist_rank": rank,
            "confirmed_count": confirmed,
            "seats_left": None if event.capacity is None else max(event.capacity - confirmed, 0),
            "is_organiser": permissions.is_organiser(request.user, event),
            "can_register": permissions.can_register(request.user, event) and not registration,
            "registration_open": event.registration_is_open(),
            "can_see_summary": request.user.is_authenticated
            and event.is_brokerage
            and permissions.can_view_outcome_summary(request.user, event),
        },
    )


def event_ics(request, slug):
    event = _event(request, slug)
    response = HttpResponse(ics.event_calendar(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


def _event_form(request, event: Event | None):
    instance = event or Event(status=Event.Status.DRAFT)
    tz_name = instance.time_zone if event else None
    form = forms.EventForm(
        request.POST or None,
        instance=instance,
        organiser_choices=permissions.organiser_choices(request.user, event),
    )
    programme = forms.ProgrammeFormSet(
        request.POST or None,
        instance=instance,
        prefix="programme",
        form_kwargs={"tz_name": tz_name},
    )
    questions = forms.QuestionFormSet(request.POST or None, instance=instance, prefix="questions")
    if request.method == "POST" and form.is_valid():
        tz_name = form.cleaned_data["time_zone"]
        programme = forms.ProgrammeFormSet(
            request.POST, instance=instance, prefix="programme", form_kwargs={"tz_name": tz_name}
        )
        if programme.is_valid() and questions.is_valid():
            with transaction.atomic():
                saved = services.event_save(
                    event=form.save(commit=False),
                    organisers=form.cleaned_data["organisers"],
                    user=request.user,
                )
                programme.instance = saved
                programme.save()
                questions.instance = saved
                questions.save()
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


# --- registration -----------------------------------------------------------------------------


@login_required
def event_register(request, slug):
    event = _event(request, slug)
    if permissions.active_registration(request.user, event):
        messages.info(request, _("You are already registered for this event."))
        return redirect(event)
    if not permissions.can_register(request.user, event):
        raise PermissionDenied
    form = forms.RegistrationForm(
        request.POST or None,
        event=event,
        user_organisations=member_organisations(request.user).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_create(
                event=event,
                user=request.user,
                organisation=form.cleaned_data["organisation"],
                answers=form.answers(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if registration.status == Registration.Status.CONFIRMED:
                messages.success(request, _("You are registered. A confirmation is on its way."))
            else:
                messages.info(
                    request,
                    _("The event is full: you are number %(n)s on the waiting list.")
                    % {"n": selectors.waitlist_rank(registration)},
                )
            return redirect(event)
    return render(request, "events/register.html", {"event": event, "form": form})


@login_required
def registration_cancel(request, slug):
    event = _event(request, slug)
    registration = permissions.active_registration(request.user, event)
    if registration is None:
        raise PermissionDenied
    if request.method == "POST":
        services.registration_cancel(registration=registration)
        messages.success(request, _("Your registration is cancelled."))
        return redirect(event)
    return render(
        request,
        "events/registration_cancel.html",
        {"event": event, "registration": registration},
    )


@organiser_required
def participant_list(request, event):
    filterset = _styled(
        ParticipantFilterSet(request.GET, queryset=selectors.participants(event=event))
    )
    page = _page(request, filterset.qs)
    questions = list(event.questions.all())
    rows = []
    for r in page:
        answers = {a.question_id: a.answer for a in r.answers.all()}
        rows.append((r, [answers.get(q.pk, "") for q in questions]))
    return render(
        request,
        "events/participant_list.html",
        {
            "event": event,
            "filterset": filterset,
            "page_obj": page,
            "rows": rows,
            "questions": questions,
            "querystring": request.GET.urlencode(),
        },
    )


@organiser_required
def participant_export(request, event):
    fmt = request.GET.get("format", "csv")
    filterset = ParticipantFilterSet(request.GET, queryset=selectors.participants(event=event))
    header, rows = exports.participant_rows(filterset.qs, list(event.questions.all()))
    if fmt == "xlsx":
        response = HttpResponse(
            exports.to_xlsx(header, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{event.slug}-participants.xlsx"'
        return response
    response = HttpResponse(exports.to_csv(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-participants.csv"'
    return response


# --- B2B: organiser ---------------------------------------------------------------------------


@brokerage_organiser_required
def brokerage_settings(request, event):
    settings_ = event.brokerage
    form = forms.BrokerageSettingsForm(request.POST or None, instance=settings_)
    sessions = forms.MeetingSessionFormSet(
        request.POST or None,
        instance=event,
        prefix="sessions",
        form_kwargs={"tz_name": event.time_zone},
    )
    if request.method == "POST" and form.is_valid() and sessions.is_valid():
        with transaction.atomic():
            form.save()
            sessions.save()
        messages.success(request, _("The B2B settings are saved."))
        return redirect("events:brokerage_settings", slug=event.slug)
    return render(
        request,
        "events/brokerage_settings.html",
        {"event": event, "form": form, "sessions": sessions},
    )


def _reason_text(code: str, message: str) -> str:
    """The scheduler's reason for not placing a meeting, in words (its own message names ids)."""
    texts = {
        "no_common_session": _("The two have no meeting session in common."),
        "no_slots_in_common_sessions": _("Their common sessions are shorter than one slot."),
        "max_meetings_reached": _("One of them already has the maximum number of meetings."),
        "no_common_free_slot": _("There is no slot in which both are free."),
        "tables_full": _("All tables are taken in the slots in which both are free."),
    }
    if code == "locked_invalid":
        return _("Its locked place is no longer possible (%(why)s).") % {"why": message}
    return texts.get(code, message)


def _clash_text(clash, meeting_request: MeetingRequest, table: int) -> str:
    people = {
        meeting_request.requester_id: meeting_request.requester.display_name,
        meeting_request.recipient_id: meeting_request.recipient.display_name,
    }
    who = people.get(clash.participant_id, "")
    texts = {
        "participant_busy": _("%(who)s already has a meeting in that slot."),
        "participant_unavailable": _("%(who)s is not available in that session."),
        "max_meetings_reached": _("%(who)s already has the maximum number of meetings."),
        "table_taken": _("Table %(table)s is already used in that slot."),
        "table_out_of_range": _("There is no table %(table)s."),
        "unknown_slot": _("That slot does not exist."),
        "unknown_meeting": _("This meeting is not accepted."),
    }
    return texts.get(str(clash.code), clash.message) % {"who": who, "table": table}


def _grid(event, meetings):
    tz = event.tzinfo
    rows: dict = {}
    for m in meetings:
        rows.setdefault(m.slot_id, {"start": timezone.localtime(m.starts_at, tz), "meetings": []})
        rows[m.slot_id]["meetings"].append(m)
    return sorted(rows.values(), key=lambda r: r["start"])


@brokerage_organiser_required
def schedule(request, event):
    meetings = list(selectors.schedule(event=event))
    accepted = selectors.accepted_requests(event=event)
    unplaced = [
        {
            **u,
            "request": accepted.get(u["request_id"]),
            "text": _reason_text(u.get("reason", ""), u.get("message", "")),
        }
        for u in event.brokerage.unplaced
        if u.get("request_id") in accepted
    ]
    return render(
        request,
        "events/schedule.html",
        {
            "event": event,
            "settings": event.brokerage,
            "grid": _grid(event, meetings),
            "meeting_count": len(meetings),
            "accepted_count": len(accepted),
            "unplaced": unplaced,
            "not_yet_run": [
                r
                for pk, r in accepted.items()
                if pk not in {m.request_id for m in meetings}
                and pk not in {u["request_id"] for u in unplaced}
            ],
        },
    )


@require_POST
@brokerage_organiser_required
def schedule_run(request, event):
    try:
        result = services.schedule_run(event=event)
    except ValueError as exc:  # e.g. overlapping sessions entered through the admin
        messages.error(request, _("The scheduler could not run: %(why)s") % {"why": exc})
        return redirect("events:schedule", slug=event.slug)
    messages.success(
        request,
        _("The scheduler placed %(placed)s meeting(s); %(unplaced)s could not be placed.")
        % {"placed": len(result.placements), "unplaced": len(result.unplaced)},
    )
    return redirect("events:schedule", slug=event.slug)


@brokerage_organiser_required
def schedule_publish(request, event):
    if request.method == "POST":
        services.schedule_publish(event=event)
        messages.success(request, _("The schedule is published; participants are told by e-mail."))
        return redirect("events:schedule", slug=event.slug)
    return render(request, "events/schedule_publish.html", {"event": event})


@brokerage_organiser_required
def meeting_move(request, event, pk):
    meeting_request = get_object_or_404(
        MeetingRequest.objects.select_related(
            "requester__user",
            "requester__organisation",
            "recipient__user",
            "recipient__organisation",
        ),
        pk=pk,
        event=event,
        status=MeetingRequest.Status.ACCEPTED,
    )
    current = Meeting.objects.filter(request=meeting_request).first()
    form = forms.MeetingMoveForm(
        request.POST or None,
        initial={"slot": current.slot_id, "table": current.table} if current else None,
        slots=services.slot_choices(event),
        tables=event.brokerage.tables,
        tz=event.tzinfo,
    )
    clashes = []
    if request.method == "POST" and form.is_valid():
        clashes = services.meeting_move(
            event=event,
            request=meeting_request,
            slot_id=form.cleaned_data["slot"],
            table=form.cleaned_data["table"],
        )
        if not clashes:
            messages.success(request, _("The meeting is moved and locked in its new place."))
            return redirect("events:schedule", slug=event.slug)
    return render(
        request,
        "events/meeting_move.html",
        {
            "event": event,
            "meeting_request": meeting_request,
            "current": current,
            "form": form,
            "clashes": [
                _clash_text(c, meeting_request, form.cleaned_data["table"]) for c in clashes
            ],
        },
    )


@require_POST
@brokerage_organiser_required
def meeting_lock(request, event, pk):
    meeting = get_object_or_404(Meeting, event=event, request_id=pk)
    services.meeting_lock_set(meeting=meeting, locked=request.POST.get("locked") == "1")
    return redirect("events:schedule", slug=event.slug)


@brokerage_organiser_required
def statistics(request, event):
    return render(
        request,
        "events/statistics.html",
        {"event": event, "stats": selectors.statistics(event=event)},
    )


@login_required
def outcome_summary(request, slug):
    event = _event(request, slug)
    if not event.is_brokerage:
        raise Http404
    if not permissions.can_view_outcome_summary(request.user, event):
        raise PermissionDenied
    organisations = permissions.outcome_summary_organisations(request.user, event)
    return render(
        request,
        "events/outcome_summary.html",
        {
            "event": event,
            "summary": selectors.outcome_summary(event=event, organisations=organisations),
            "limited_to": organisations,
        },
    )


# --- B2B: participant -------------------------------------------------------------------------


@participant_required
def b2b_profile(request, event, registration):
    availability = forms.AvailabilityForm(
        request.POST if request.POST.get("form") == "availability" else None,
        event=event,
        initial={"sessions": [a.session_id for a in registration.availabilities.all()]},
    )
    opportunity = forms.OpportunityForm(
        request.POST if request.POST.get("form") == "opportunity" else None
    )
    if request.method == "POST":
        if availability.is_bound and availability.is_valid():
            services.availability_set(
                registration=registration, sessions=availability.cleaned_data["sessions"]
            )
            messages.success(request, _("Your availability is saved."))
            return redirect("events:b2b_profile", slug=event.slug)
        if opportunity.is_bound and opportunity.is_valid():
            services.opportunity_create(
                registration=registration,
                kind=opportunity.cleaned_data["kind"],
                title=opportunity.cleaned_data["title"],
                description=opportunity.cleaned_data["description"],
                cpv_codes=opportunity.cleaned_data["cpv"],
            )
            messages.success(request, _("Your cooperation opportunity is published."))
            return redirect("events:b2b_profile", slug=event.slug)
    return render(
        request,
        "events/b2b_profile.html",
        {
            "event": event,
            "registration": registration,
            "availability_form": availability,
            "opportunity_form": opportunity,
            "opportunities": registration.opportunities.prefetch_related("cpv_codes"),
        },
    )


@participant_required
def opportunity_delete(request, event, registration, pk):
    opportunity = get_object_or_404(CooperationOpportunity, pk=pk, registration=registration)
    if request.method == "POST":
        services.opportunity_delete(opportunity=opportunity)
        messages.success(request, _("The opportunity is removed."))
        return redirect("events:b2b_profile", slug=event.slug)
    return render(
        request,
        "events/opportunity_delete.html",
        {"event": event, "opportunity": opportunity},
    )


@login_required
def catalogue(request, slug):
    event = _event(request, slug)
    if not event.is_brokerage:
        raise Http404
    if not permissions.can_browse_participants(request.user, event):
        raise PermissionDenied
    me = permissions.brokerage_participant(request.user, event)
    filterset = _styled(CatalogueFilterSet(request.GET, queryset=selectors.catalogue(event=event)))
    page = _page(request, filterset.qs)
    contacted = selectors.contacted_ids(registration=me) if me else set()
    return render(
        request,
        "events/catalogue.html",
        {
            "event": event,
            "filterset": filterset,
            "page_obj": page,
            "me": me,
            "contacted": contacted,
        },
    )


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
        try:
            services.meeting_request_create(
                requester=registration, recipient=recipient, message=form.cleaned_data["message"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
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


def _own_request(request, event, pk) -> MeetingRequest:
    meeting_request = get_object_or_404(
        MeetingRequest.objects.select_related("requester", "recipient"), pk=pk, event=event
    )
    if not permissions.can_view_meeting_request(request.user, meeting_request):
        raise PermissionDenied
    return meeting_request


@require_POST
@login_required
def meeting_request_decide(request, slug, pk):
    event = _event(request, slug)
    meeting_request = _own_request(request, event, pk)
    if not permissions.can_decide_meeting_request(request.user, meeting_request):
        raise PermissionDenied
    accept = request.POST.get("decision") == "accept"
    try:
        services.meeting_request_decide(request=meeting_request, accept=accept)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Meeting accepted.") if accept else _("Meeting request declined.")
        )
    return redirect("events:meeting_requests", slug=event.slug)


@login_required
def meeting_request_cancel(request, slug, pk):
    event = _event(request, slug)
    meeting_request = _own_request(request, event, pk)
    if not permissions.can_cancel_meeting_request(request.user, meeting_request):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.meeting_request_cancel(request=meeting_request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The meeting is cancelled."))
        return redirect("events:meeting_requests", slug=event.slug)
    return render(
        request,
        "events/meeting_request_cancel.html",
        {"event": event, "meeting_request": meeting_request},
    )


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


def _agenda_context(event, registration):
    published = event.brokerage.is_published
    meetings = list(selectors.agenda(registration=registration)) if published else []
    tz = event.tzinfo
    rows = [
        {
            "meeting": m,
            "start": timezone.localtime(m.starts_at, tz),
            "end": timezone.localtime(m.ends_at, tz),
            "other": m.request.other_side(registration),
        }
        for m in meetings
    ]
    return {"event": event, "registration": registration, "published": published, "rows": rows}


@participant_required
def agenda(request, event, registration):
    return render(request, "events/agenda.html", _agenda_context(event, registration))


@login_required
def agenda_of(request, slug, pk):
    """Someone's agenda by registration: its owner and staff only, never other participants."""
    event = _event(request, slug)
    if not event.is_brokerage:
        raise Http404
    registration = get_object_or_404(
        Registration.objects.select_related("user", "organisation"), pk=pk, event=event
    )
    if not permissions.can_view_agenda(request.user, registration):
        raise PermissionDenied
    BrokerageSettings.objects.get_or_create(event=event)
    return render(request, "events/agenda.html", _agenda_context(event, registration))


@participant_required
def agenda_ics(request, event, registration):
    meetings = selectors.agenda(registration=registration) if event.brokerage.is_published else []
    response = HttpResponse(
        ics.agenda_calendar(registration, meetings), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-meetings.ics"'
    return response


@participant_required
def outcomes(request, event, registration):
    meetings = list(selectors.agenda(registration=registration))
    recorded = {o.meeting_id: o for o in MeetingOutcome.objects.filter(registration=registration)}
    if request.method == "POST":
        meeting = get_object_or_404(Meeting, pk=request.POST.get("meeting"), event=event)
        form = forms.OutcomeForm(request.POST)
        if form.is_valid():
            try:
                services.outcome_record(
                    meeting=meeting,
                    registration=registration,
                    outcome=form.cleaned_data["outcome"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The outcome is recorded."))
                return redirect("events:outcomes", slug=event.slug)
        else:
            messages.error(request, _("Choose an outcome."))
    tz = event.tzinfo
    rows = []
    for m in meetings:
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
