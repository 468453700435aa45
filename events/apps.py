from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from bigscience_portal.core.pagecache import invalidate_on, public_pages
        from bigscience_portal.core.panels import attention, dashboard, home

        from .models import Event, ProgrammeSession, Registration

        # an event's page (its seats left too), the events list and the organisers' pages
        invalidate_on(public_pages, Event, ProgrammeSession, Registration)
        from organisations.panels import organisation_page

        from . import selectors

        dashboard.register("events", "events/_dashboard.html", order=40)

        from . import panels

        home.register("events", "events/_home_events.html", order=20, context=panels.home_events)
        attention.register(
            "events", "events/_home_attention.html", order=30, context=panels.home_attention
        )

        def organised_events(request, organisation):
            events = selectors.events_organised_by(organisation)
            return {"events": events} if events else None

        organisation_page.register(
            "events", "events/_organisation_events.html", order=20, context=organised_events
        )

        # a partnership opportunity's events, and a B2B meeting for an expression of interest
        from innovation.panels import interest_page, opportunity_page

        from . import opportunity_panels

        interest_page.register(
            "b2b_meeting",
            "events/_interest_meeting_panel.html",
            context=opportunity_panels.interest_meetings,
        )
        opportunity_page.register(
            "events",
            "events/_opportunity_events_panel.html",
            context=opportunity_panels.opportunity_events,
        )
