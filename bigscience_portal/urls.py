"""Root URLs."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from bigscience_portal.core import views as core_views

handler500 = "bigscience_portal.core.views.server_error"

admin.site.site_header = settings.SITE_NAME
admin.site.site_title = settings.SITE_NAME

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("organisations/", include("organisations.urls")),
    path("calls/", include("tenders.urls")),
    path("events/", include("events.urls")),
    path("matchmaking/", include("matchmaking.urls")),
    path("innovation/", include("innovation.urls")),
    path("outcomes/", include("outcomes.urls")),
    path("messages/", include("conversations.urls")),
    path("exchanges/", include("exchanges.urls")),
    path("", include("people.urls")),
    path("", include("bigscience_portal.core.urls")),
]
