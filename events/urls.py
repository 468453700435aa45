from django.urls import include, path

from .views import coorganisers, organiser, participant, public

app_name = "events"

b2b_urls = [
    # organisers
    path("settings/", organiser.brokerage_settings, name="brokerage_settings"),
    path("schedule/", organiser.schedule, name="schedule"),
    path("schedule/run/", organiser.schedule_run, name="schedule_run"),
    path("schedule/publish/", organiser.schedule_publish, name="schedule_publish"),
    path("meetings/<int:pk>/move/", organiser.meeting_move, name="meeting_move"),
    path("meetings/<int:pk>/lock/", organiser.meeting_lock, name="meeting_lock"),
    path("statistics/", organiser.statistics, name="statistics"),
    path("outcomes/summary/", organiser.outcome_summary, name="outcome_summary"),
    # participants
    path("me/", participant.b2b_profile, name="b2b_profile"),
    path(
        "me/opportunities/<int:pk>/delete/",
        participant.opportunity_delete,
        name="opportunity_delete",
    ),
    path("participants/", participant.CatalogueView.as_view(), name="catalogue"),
    path(
        "participants/<int:pk>/request/",
        participant.meeting_request_create,
        name="meeting_request_create",
    ),
    path("requests/", participant.meeting_requests, name="meeting_requests"),
    path(
        "requests/<int:pk>/decide/",
        participant.meeting_request_decide,
        name="meeting_request_decide",
    ),
    path(
        "requests/<int:pk>/cancel/",
        participant.meeting_request_cancel,
        name="meeting_request_cancel",
    ),
    path("suggestions/", participant.suggestions, name="suggestions"),
    path("agenda/", participant.agenda, name="agenda"),
    path("agenda.ics", participant.agenda_ics, name="agenda_ics"),
    path("agenda/<int:pk>/", participant.agenda_of, name="agenda_of"),
    path("outcomes/", participant.outcomes, name="outcomes"),
]

event_urls = [
    # everyone
    path("", public.event_detail, name="event_detail"),
    path("event.ics", public.event_ics, name="event_ics"),
    path("register/", public.event_register, name="event_register"),
    path("registration/cancel/", public.registration_cancel, name="registration_cancel"),
    # organisers
    path("edit/", organiser.event_edit, name="event_edit"),
    path("co-organisers/", coorganisers.co_organisers, name="co_organisers"),
    path("participants/", organiser.ParticipantListView.as_view(), name="participant_list"),
    path("participants/export/", organiser.participant_export, name="participant_export"),
    # B2B meetings
    path("b2b/", include(b2b_urls)),
]

urlpatterns = [
    path("", public.EventListView.as_view(), name="event_list"),
    path("new/", organiser.event_create, name="event_create"),  # before the slugs: "new" is none
    path(
        "co-organiser-invitations/<int:pk>/",
        coorganisers.co_organiser_decide,
        name="co_organiser_decide",
    ),
    path("<slug:slug>/", include(event_urls)),
]
