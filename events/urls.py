from django.urls import path

from .views import coorganisers, organiser, participant, public

app_name = "events"

urlpatterns = [
    path("", public.EventListView.as_view(), name="event_list"),
    path("new/", organiser.event_create, name="event_create"),  # before the slugs: "new" is none
    # everyone
    path("<slug:slug>/", public.event_detail, name="event_detail"),
    path("<slug:slug>/event.ics", public.event_ics, name="event_ics"),
    path("<slug:slug>/register/", public.event_register, name="event_register"),
    path(
        "<slug:slug>/registration/cancel/", public.registration_cancel, name="registration_cancel"
    ),
    # organisers
    path("<slug:slug>/edit/", organiser.event_edit, name="event_edit"),
    path("<slug:slug>/co-organisers/", coorganisers.co_organisers, name="co_organisers"),
    path(
        "co-organiser-invitations/<int:pk>/",
        coorganisers.co_organiser_decide,
        name="co_organiser_decide",
    ),
    path(
        "<slug:slug>/participants/",
        organiser.ParticipantListView.as_view(),
        name="participant_list",
    ),
    path(
        "<slug:slug>/participants/export/", organiser.participant_export, name="participant_export"
    ),
    path("<slug:slug>/b2b/settings/", organiser.brokerage_settings, name="brokerage_settings"),
    path("<slug:slug>/b2b/schedule/", organiser.schedule, name="schedule"),
    path("<slug:slug>/b2b/schedule/run/", organiser.schedule_run, name="schedule_run"),
    path("<slug:slug>/b2b/schedule/publish/", organiser.schedule_publish, name="schedule_publish"),
    path("<slug:slug>/b2b/meetings/<int:pk>/move/", organiser.meeting_move, name="meeting_move"),
    path("<slug:slug>/b2b/meetings/<int:pk>/lock/", organiser.meeting_lock, name="meeting_lock"),
    path("<slug:slug>/b2b/statistics/", organiser.statistics, name="statistics"),
    path("<slug:slug>/b2b/outcomes/summary/", organiser.outcome_summary, name="outcome_summary"),
    # B2B participants
    path("<slug:slug>/b2b/me/", participant.b2b_profile, name="b2b_profile"),
    path(
        "<slug:slug>/b2b/me/opportunities/<int:pk>/delete/",
        participant.opportunity_delete,
        name="opportunity_delete",
    ),
    path("<slug:slug>/b2b/participants/", participant.CatalogueView.as_view(), name="catalogue"),
    path(
        "<slug:slug>/b2b/participants/<int:pk>/request/",
        participant.meeting_request_create,
        name="meeting_request_create",
    ),
    path("<slug:slug>/b2b/requests/", participant.meeting_requests, name="meeting_requests"),
    path(
        "<slug:slug>/b2b/requests/<int:pk>/decide/",
        participant.meeting_request_decide,
        name="meeting_request_decide",
    ),
    path(
        "<slug:slug>/b2b/requests/<int:pk>/cancel/",
        participant.meeting_request_cancel,
        name="meeting_request_cancel",
    ),
    path("<slug:slug>/b2b/suggestions/", participant.suggestions, name="suggestions"),
    path("<slug:slug>/b2b/agenda/", participant.agenda, name="agenda"),
    path("<slug:slug>/b2b/agenda.ics", participant.agenda_ics, name="agenda_ics"),
    path("<slug:slug>/b2b/agenda/<int:pk>/", participant.agenda_of, name="agenda_of"),
    path("<slug:slug>/b2b/outcomes/", participant.outcomes, name="outcomes"),
]
