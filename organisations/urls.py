from django.urls import path

from .views import approvals, clusters, directory, handover, people, profiles, suggestions

app_name = "organisations"

urlpatterns = [
    path("", directory.OrganisationListView.as_view(), name="organisation_list"),
    path("new/", profiles.organisation_create, name="organisation_create"),
    path("cpv/", directory.code_lookup, {"scheme": "cpv"}, name="cpv_lookup"),
    path("cpv/search/", directory.cpv_search, name="cpv_search"),
    path("cpv/suggest/", suggestions.cpv_suggest, name="cpv_suggest"),
    path("nace/", directory.code_lookup, {"scheme": "nace"}, name="nace_lookup"),
    path("nace/search/", directory.nace_search, name="nace_search"),
    path("approvals/", approvals.ApprovalQueueView.as_view(), name="approval_queue"),
    path("approvals/<int:pk>/", approvals.approval_decide, name="approval_decide"),
    path(
        "invitations/held/<int:pk>/",
        handover.held_invitation_decide,
        name="held_invitation_decide",
    ),
    path("invitations/<str:token>/", people.invitation_accept, name="invitation_accept"),
    path("join-requests/<int:pk>/decide/", people.join_request_decide, name="join_request_decide"),
    path(
        "cluster-memberships/<int:pk>/decide/",
        clusters.cluster_membership_decide,
        name="cluster_membership_decide",
    ),
    path("<slug:slug>/", directory.organisation_detail, name="organisation_detail"),
    path("<slug:slug>/edit/", profiles.organisation_edit, name="organisation_edit"),
    path(
        "<slug:slug>/history/",
        profiles.OrganisationHistoryView.as_view(),
        name="organisation_history",
    ),
    path("<slug:slug>/verify/", profiles.organisation_verify, name="organisation_verify"),
    path("<slug:slug>/people/", people.organisation_people, name="organisation_people"),
    path("<slug:slug>/people/<int:pk>/role/", handover.membership_role, name="membership_role"),
    path(
        "<slug:slug>/people/<int:pk>/remove/",
        handover.membership_remove,
        name="membership_remove",
    ),
    path("<slug:slug>/invite/", people.invitation_create, name="invitation_create"),
    path("<slug:slug>/claim/", handover.profile_claim, name="profile_claim"),
    path("<slug:slug>/hand-over/", handover.member_invite, name="member_invite"),
    path("<slug:slug>/join/", people.join_request_create, name="join_request_create"),
    path(
        "<slug:slug>/clusters/request/",
        clusters.cluster_membership_request,
        name="cluster_membership_request",
    ),
    path("<slug:slug>/members/", clusters.ClusterMemberListView.as_view(), name="cluster_members"),
    path("<slug:slug>/members/import/", clusters.member_import, name="member_import"),
    path("<slug:slug>/members/invite/", handover.cluster_invite, name="cluster_invite"),
    path(
        "<slug:slug>/members/import/preview/",
        clusters.member_import_preview,
        name="member_import_preview",
    ),
    path("<slug:slug>/members/export.csv", clusters.member_export, name="member_export"),
]
