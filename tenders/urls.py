from django.urls import path, re_path

from . import exchange_urls, feeds, views

app_name = "tenders"

urlpatterns = [
    path("", views.call_list, name="call_list"),
    path("feed/rss/", feeds.CallsFeed(), name="call_feed_rss"),
    path("feed/atom/", feeds.CallsAtomFeed(), name="call_feed_atom"),
    path("new/", views.call_create, name="call_create"),
    path("mine/", views.my_calls, name="my_calls"),
    path("saved-searches/", views.saved_search_list, name="saved_search_list"),
    path("saved-searches/new/", views.saved_search_create, name="saved_search_create"),
    path(
        "saved-searches/<int:search_pk>/edit/",
        views.saved_search_edit,
        name="saved_search_edit",
    ),
    path(
        "saved-searches/<int:search_pk>/delete/",
        views.saved_search_delete,
        name="saved_search_delete",
    ),
    path(
        "saved-searches/unsubscribe/<str:token>/",
        views.saved_search_unsubscribe,
        name="saved_search_unsubscribe",
    ),
    path("<int:pk>/", views.call_detail, name="call_detail"),
    path("<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("<int:pk>/preview/", views.call_preview, name="call_preview"),
    path(
        "<int:pk>/documents/<int:doc_pk>/",
        views.call_document,
        name="call_document",
    ),
    path("<int:pk>/award/", views.call_award, name="call_award"),
    path("<int:pk>/deadlines.ics", views.call_ics, name="call_ics"),
    path("<int:pk>/questions/", views.call_questions, name="call_questions"),
    path("<int:pk>/questions/ask/", views.question_ask, name="question_ask"),
    path(
        "<int:pk>/questions/<int:question_pk>/answer/",
        views.question_answer,
        name="question_answer",
    ),
    path("<int:pk>/interest/", views.eoi_list, name="eoi_list"),
    path("<int:pk>/interest/new/", views.eoi_create, name="eoi_create"),
    path("<int:pk>/interest/export.csv", views.eoi_export, name="eoi_export"),
    path("<int:pk>/interest/<int:eoi_pk>/withdraw/", views.eoi_withdraw, name="eoi_withdraw"),
    re_path(
        r"^(?P<pk>[0-9]+)/(?P<action>publish|close|cancel)/$",
        views.call_action,
        name="call_action",
    ),
]
# Data exchange (TED upload, OCDS) lives in its own module; keep this line.
urlpatterns += exchange_urls.urlpatterns
