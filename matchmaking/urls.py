from django.urls import path

from . import views

app_name = "matchmaking"

urlpatterns = [
    path("recommended/", views.RecommendedCallsView.as_view(), name="recommended"),
    path("recommended/dismissed/", views.DismissedCallsView.as_view(), name="dismissed"),
    path("feedback/", views.FeedbackView.as_view(), name="feedback"),
    path("feedback/undo/", views.FeedbackUndoView.as_view(), name="feedback_undo"),
    path(
        "calls/<int:pk>/suppliers/",
        views.SuggestedSuppliersView.as_view(),
        name="call_suppliers",
    ),
    path(
        "calls/<int:pk>/suppliers/<int:company_pk>/invite/",
        views.InviteSupplierView.as_view(),
        name="supplier_invite",
    ),
    path("clusters/<slug:slug>/board/", views.ClusterBoardView.as_view(), name="cluster_board"),
    path(
        "clusters/<slug:slug>/forward/<int:company_pk>/<int:call_pk>/",
        views.ForwardView.as_view(),
        name="match_forward",
    ),
    path("runs/", views.RunListView.as_view(), name="run_list"),
    path("runs/<int:pk>/retry/", views.RunRetryView.as_view(), name="run_retry"),
    path("alerts/", views.AlertSettingsView.as_view(), name="alert_settings"),
    path("alerts/unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
]
