from django.urls import include, path, re_path

from . import exchange_urls, feeds, views

app_name = "tenders"

call_urls = [
    path("", views.call_detail, name="call_detail"),
    path("edit/", views.call_edit, name="call_edit"),
    path("preview/", views.call_preview, name="call_preview"),
    path("documents/<int:doc_pk>/", views.call_document, name="call_document"),
    path("award/", views.call_award, name="call_award"),
    path("deadlines.ics", views.call_ics, name="call_ics"),
    path("questions/", views.call_questions, name="call_questions"),
    path("questions/ask/", views.question_ask, name="question_ask"),
    path("questions/<int:question_pk>/answer/", views.question_answer, name="question_answer"),
    path("interest/", views.eoi_list, name="eoi_list"),
    path("interest/new/", views.eoi_create, name="eoi_create"),
    path("interest/export.csv", views.eoi_export, name="eoi_export"),
    path("interest/<int:eoi_pk>/withdraw/", views.eoi_withdraw, name="eoi_withdraw"),
]

urlpatterns = [
    path("", views.call_list, name="call_list"),
    path("feed/rss/", feeds.CallsFeed(), name="call_feed_rss"),
    path("feed/atom/", feeds.CallsAtomFeed(), name="call_feed_atom"),
    path("new/", views.call_create, name="call_create"),
    path("mine/", views.my_calls, name="my_calls"),
    path(
        "saved-searches/",
        include(views.saved_searches.urls(name_prefix="saved_search_", pk="search_pk")),
    ),
    path("<int:pk>/", include(call_urls)),
    re_path(
        r"^(?P<pk>[0-9]+)/(?P<action>publish|close|cancel)/$",
        views.call_action,
        name="call_action",
    ),
]
# Data exchange (TED upload, OCDS) lives in its own module; keep this line.
urlpatterns += exchange_urls.urlpatterns
