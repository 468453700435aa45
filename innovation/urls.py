from django.urls import include, path, re_path

from .views import challenges, interest, opportunities, process, searches
from .views.home import home

app_name = "innovation"

opportunity_urls = [
    path("", opportunities.opportunity_detail, name="opportunity_detail"),
    path("edit/", opportunities.opportunity_edit, name="opportunity_edit"),
    path("review/", opportunities.opportunity_review, name="opportunity_review"),
    path("companies/", opportunities.OpportunityMatchesView.as_view(), name="opportunity_matches"),
    path("attachments/new/", opportunities.attachment_add, name="attachment_add"),
    path(
        "attachments/<int:attachment_pk>/",
        opportunities.attachment_download,
        name="attachment_download",
    ),
    path(
        "attachments/<int:attachment_pk>/delete/",
        opportunities.attachment_delete,
        name="attachment_delete",
    ),
    path("interest/", interest.interest_create, name="interest_create"),
]

challenge_urls = [
    path("", challenges.challenge_detail, name="challenge_detail"),
    path("edit/", challenges.challenge_edit, name="challenge_edit"),
    path("summary/", challenges.challenge_summary, name="challenge_summary"),
    path("proposals/new/", challenges.proposal_create, name="proposal_create"),
    path("process/", process.process_page, name="process"),
    path("process/checklist/", process.checklist_save, name="checklist_save"),
    path("process/gate/", process.gate_pass, name="gate_pass"),
    path("process/summary/", process.summary_publish, name="summary_publish"),
    path("process/procurement/", process.procurement_open, name="procurement_open"),
]

proposal_urls = [
    path("", challenges.proposal_detail, name="proposal_detail"),
    path("edit/", challenges.proposal_edit, name="proposal_edit"),
    path("submit/", challenges.proposal_action, {"action": "submit"}, name="proposal_submit"),
    path("withdraw/", challenges.proposal_action, {"action": "withdraw"}, name="proposal_withdraw"),
    path("select/", challenges.proposal_select, name="proposal_select"),
    path(
        "attachments/<int:attachment_pk>/",
        challenges.proposal_attachment,
        name="proposal_attachment",
    ),
]

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
    path("opportunities/<int:pk>/", include(opportunity_urls)),
    re_path(
        r"^opportunities/(?P<pk>[0-9]+)/(?P<action>submit|publish|renew|withdraw)/$",
        opportunities.opportunity_action,
        name="opportunity_action",
    ),
    path("interests/", interest.InterestListView.as_view(), name="interest_list"),
    path("interests/<int:pk>/", interest.interest_detail, name="interest_detail"),
    path("interests/<int:pk>/close/", interest.interest_close, name="interest_close"),
    # saved searches
    path("searches/", include(searches.pages.urls())),
    # challenges and proposals
    path("challenges/", challenges.ChallengeListView.as_view(), name="challenge_list"),
    path("challenges/new/", challenges.challenge_create, name="challenge_create"),
    path("challenges/mine/", challenges.MyChallengesView.as_view(), name="challenge_mine"),
    path("challenges/<slug:slug>/", include(challenge_urls)),
    path("proposals/", challenges.MyProposalsView.as_view(), name="proposal_mine"),
    path("proposals/<int:pk>/", include(proposal_urls)),
]
