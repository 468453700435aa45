from django.urls import path, re_path

from .views import challenges, interest, opportunities, process, searches
from .views.home import home

app_name = "innovation"

urlpatterns = [
    path("", home, name="home"),
    # partnership opportunities
    path("opportunities/", opportunities.OpportunityListView.as_view(), name="opportunity_list"),
    path("opportunities/new/", opportunities.opportunity_create, name="opportunity_create"),
    path(
        "opportunities/mine/", opportunities.MyOpportunitiesView.as_view(), name="opportunity_mine"
    ),
    path("opportunities/review/", opportunities.ReviewQueueView.as_view(), name="review_queue"),
    path(
        "opportunities/for-my-company/", opportunities.RecommendedView.as_view(), name="recommended"
    ),
    path("opportunities/<int:pk>/", opportunities.opportunity_detail, name="opportunity_detail"),
    path("opportunities/<int:pk>/edit/", opportunities.opportunity_edit, name="opportunity_edit"),
    path(
        "opportunities/<int:pk>/review/",
        opportunities.opportunity_review,
        name="opportunity_review",
    ),
    path(
        "opportunities/<int:pk>/companies/",
        opportunities.OpportunityMatchesView.as_view(),
        name="opportunity_matches",
    ),
    re_path(
        r"^opportunities/(?P<pk>[0-9]+)/(?P<action>submit|publish|renew|withdraw)/$",
        opportunities.opportunity_action,
        name="opportunity_action",
    ),
    path(
        "opportunities/<int:pk>/attachments/new/",
        opportunities.attachment_add,
        name="attachment_add",
    ),
    path(
        "opportunities/<int:pk>/attachments/<int:attachment_pk>/",
        opportunities.attachment_download,
        name="attachment_download",
    ),
    path(
        "opportunities/<int:pk>/attachments/<int:attachment_pk>/delete/",
        opportunities.attachment_delete,
        name="attachment_delete",
    ),
    path("opportunities/<int:pk>/interest/", interest.interest_create, name="interest_create"),
    path("interests/", interest.InterestListView.as_view(), name="interest_list"),
    path("interests/<int:pk>/", interest.interest_detail, name="interest_detail"),
    path("interests/<int:pk>/close/", interest.interest_close, name="interest_close"),
    # saved searches
    path("searches/", searches.SearchListView.as_view(), name="search_list"),
    path("searches/new/", searches.search_create, name="search_create"),
    path("searches/<int:pk>/edit/", searches.search_edit, name="search_edit"),
    path("searches/<int:pk>/delete/", searches.search_delete, name="search_delete"),
    path(
        "searches/unsubscribe/<str:token>/", searches.search_unsubscribe, name="search_unsubscribe"
    ),
    # challenges and proposals
    path("challenges/", challenges.ChallengeListView.as_view(), name="challenge_list"),
    path("challenges/new/", challenges.challenge_create, name="challenge_create"),
    path("challenges/mine/", challenges.MyChallengesView.as_view(), name="challenge_mine"),
    path("proposals/", challenges.MyProposalsView.as_view(), name="proposal_mine"),
    path("challenges/<slug:slug>/", challenges.challenge_detail, name="challenge_detail"),
    path("challenges/<slug:slug>/edit/", challenges.challenge_edit, name="challenge_edit"),
    path("challenges/<slug:slug>/summary/", challenges.challenge_summary, name="challenge_summary"),
    path(
        "challenges/<slug:slug>/proposals/new/", challenges.proposal_create, name="proposal_create"
    ),
    path("challenges/<slug:slug>/process/", process.process_page, name="process"),
    path(
        "challenges/<slug:slug>/process/checklist/", process.checklist_save, name="checklist_save"
    ),
    path("challenges/<slug:slug>/process/gate/", process.gate_pass, name="gate_pass"),
    path(
        "challenges/<slug:slug>/process/summary/", process.summary_publish, name="summary_publish"
    ),
    path(
        "challenges/<slug:slug>/process/procurement/",
        process.procurement_open,
        name="procurement_open",
    ),
    path("proposals/<int:pk>/", challenges.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/edit/", challenges.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/submit/", challenges.proposal_submit, name="proposal_submit"),
    path("proposals/<int:pk>/withdraw/", challenges.proposal_withdraw, name="proposal_withdraw"),
    path("proposals/<int:pk>/select/", challenges.proposal_select, name="proposal_select"),
    path(
        "proposals/<int:pk>/attachments/<int:attachment_pk>/",
        challenges.proposal_attachment,
        name="proposal_attachment",
    ),
]
