"""The pages everyone sees: the event list and page, its calendar file, registering and
cancelling a registration."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bigscience_portal.core.lists import PortalListView
from bigscience_portal.core.pagecache import cached_for_visitors, public_pages
from bigscience_portal.core.refusals import refusals
from bigscience_portal.core.views_kit import confirm, download
from organisations.permissions import member_organisations

from .. import forms, ics, permissions, selectors, services
from ..filtersets import EventFilterSet
from ..models import Registration
from ..tables import ProgrammeTable, programme_columns
from .access import event_for
from .shortcuts import CALENDAR


class EventListView(PortalListView):
    template_name = "events/event_list.html"
    filterset_class = EventFilterSet
    context_object_name = "events"
    page_cache = public_pages

    def get_queryset(self):
        return selectors.event_list(user=self.request.user)

    def get_context_data(self, **context):
        context = super().get_context_data(**context)
        context["can_create"] = permissions.can_create_event(self.request.user)
        return context


@cached_for_visitors(public_pages)
def event_detail(request, slug):
    event = event_for(request.user, slug)
    registration = permissions.active_registration(request.user, event)
    confirmed = selectors.confirmed_count(event)
    programme = ProgrammeTable(
        event.programme.all(), request=request, columns=programme_columns(event)
    )
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "programme": programme,
            "registration": registration,
            "waitlist_rank": selectors.waitlist_rank(registration) if registration else None,
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
    event = event_for(request.user, slug)
    return download(ics.event_calendar(event), CALENDAR, f"{event.slug}.ics")


@login_required
def event_register(request, slug):
    event = event_for(request.user, slug)
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
        with refusals(request, form=form):
            registration = services.registration_create(
                event=event,
                user=request.user,
                organisation=form.cleaned_data["organisation"],
                answers=form.answers(),
            )
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
    event = event_for(request.user, slug)
    registration = permissions.active_registration(request.user, event)
    if registration is None:
        raise PermissionDenied
    return confirm(
        request,
        "events/registration_cancel.html",
        {"event": event, "registration": registration},
        act=lambda: services.registration_cancel(registration=registration),
        done=_("Your registration is cancelled."),
        then=event,
    )
