from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("new/", views.event_create, name="event_create"),
    path("<slug:slug>/", views.event_detail, name="event_detail"),
    path("<slug:slug>/edit/", views.event_edit, name="event_edit"),
    path("<slug:slug>/event.ics", views.event_ics, name="event_ics"),
    path("<slug:slug>/register/", views.event_register, name="event_register"),
    path("<slug:slug>/registration/cancel/", views.registration_cancel, name="registration_cancel"),
    path("<slug:slug>/participants/", views.participant_list, name="participant_list"),
    path("<slug:slug>/participants/export/", views.participant_export, name="participant_export"),
    # B2B brokerage: organiser
    path("<slug:slug>/b2b/settings/", views.brokerage_settings, name="brokerage_settings"),
    path("<slug:slug>/b2b/schedule/", views.schedule, name="schedule"),
    path("<slug:slug>/b2b/schedule/run/", views.schedule_run, name="schedule_run"),
    path("<slug:slug>/b2b/schedule/publish/", views.schedule_publish, name="schedule_publish"),
    path("<slug:slug>/b2b/meetings/<int:pk>/move/", views.meeting_move, name="meeting_move"),
    path("<slug:slug>/b2b/meetings/<int:pk>/lock/", views.meeting_lock, name="meeting_lock"),
    path("<slug:slug>/b2b/statistics/", views.statistics, name="statistics"),
    path("<slug:slug>/b2b/outcomes/summary/", views.outcome_summary, name="outcome_summary"),
    # B2B brokerage: participant
    path("<slug:slug>/b2b/me/", views.b2b_profile, name="b2b_profile"),
    path(
        "<slug:slug>/b2b/me/opportunities/<int:pk>/delete/",
        views.opportunity_delete,
        name="opportunity_delete",
    ),
    path("<slug:slug>/b2b/participants/", views.catalogue, name="catalogue"),
    path(
        "<slug:slug>/b2b/participants/<int:pk>/request/",
        views.meeting_request_create,
        name="meeting_request_create",
    ),
    path("<slug:slug>/b2b/requests/", views.meeting_requests, name="meeting_requests"),
    path(
        "<slug:slug>/b2b/requests/<int:pk>/decide/",
        views.meeting_request_decide,
        name="meeting_request_decide",
    ),
    path(
        "<slug:slug>/b2b/requests/<int:pk>/cancel/",
        views.meeting_request_cancel,
        name="meeting_request_cancel",
    ),
    path("<slug:slug>/b2b/suggestions/", views.suggestions, name="suggestions"),
    path("<slug:slug>/b2b/agenda/", views.agenda, name="agenda"),
    path("<slug:slug>/b2b/agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("<slug:slug>/b2b/agenda/<int:pk>/", views.agenda_of, name="agenda_of"),
    path("<slug:slug>/b2b/outcomes/", views.outcomes, name="outcomes"),
]
