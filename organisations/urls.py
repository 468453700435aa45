from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("new/", views.organisation_create, name="organisation_create"),
    path("cpv/", views.code_lookup, {"scheme": "cpv"}, name="cpv_lookup"),
    path("cpv/search/", views.cpv_search, name="cpv_search"),
    path("nace/", views.code_lookup, {"scheme": "nace"}, name="nace_lookup"),
    path("nace/search/", views.nace_search, name="nace_search"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path(
        "join-requests/<int:pk>/decide/",
        views.join_request_decide,
        name="join_request_decide",
    ),
    path(
        "cluster-memberships/<int:pk>/decide/",
        views.cluster_membership_decide,
        name="cluster_membership_decide",
    ),
    path("<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path("<slug:slug>/history/", views.organisation_history, name="organisation_history"),
    path("<slug:slug>/verify/", views.organisation_verify, name="organisation_verify"),
    path("<slug:slug>/people/", views.organisation_people, name="organisation_people"),
    path("<slug:slug>/invite/", views.invitation_create, name="invitation_create"),
    path("<slug:slug>/join/", views.join_request_create, name="join_request_create"),
    path(
        "<slug:slug>/clusters/request/",
        views.cluster_membership_request,
        name="cluster_membership_request",
    ),
    path("<slug:slug>/members/", views.cluster_members, name="cluster_members"),
    path("<slug:slug>/members/import/", views.member_import, name="member_import"),
    path(
        "<slug:slug>/members/import/preview/",
        views.member_import_preview,
        name="member_import_preview",
    ),
    path("<slug:slug>/members/export.csv", views.member_export, name="member_export"),
]
