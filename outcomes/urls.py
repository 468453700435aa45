from django.urls import include, path

from .views import company, dashboards, staff

app_name = "outcomes"

infrastructure_urls = [
    path("", dashboards.infrastructure_dashboard, name="infrastructure_dashboard"),
    path("return/", dashboards.industrial_return, name="industrial_return"),
    path("return.<str:fmt>", dashboards.return_export, name="return_export"),
]

urlpatterns = [
    path("companies/<slug:slug>/", company.pipeline, name="company_pipeline"),
    path("companies/<slug:slug>/calls/<int:pk>/", company.call_steps, name="call_steps"),
    path("steps/<int:pk>/edit/", company.step_edit, name="step_edit"),
    path("steps/<int:pk>/retract/", company.step_retract, name="step_retract"),
    path("clusters/<slug:slug>/", dashboards.cluster_dashboard, name="cluster_dashboard"),
    path("clusters/<slug:slug>/export.<str:fmt>", dashboards.cluster_export, name="cluster_export"),
    path("infrastructures/<slug:slug>/", include(infrastructure_urls)),
    path("events/<slug:slug>/", dashboards.event_outcomes, name="event_outcomes"),
    path("staff/health/", staff.portal_health, name="portal_health"),
    path("staff/award-links/", staff.AwardLinkListView.as_view(), name="award_links"),
    path("staff/award-links/<int:pk>/", staff.award_link, name="award_link"),
    path("staff/figures/", staff.figures_import, name="figures_import"),
]
