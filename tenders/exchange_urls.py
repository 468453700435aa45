"""URLs for data exchange (TED upload, OCDS releases and packages); included by tenders/urls.py."""

from django.urls import path

from . import exchange_views

urlpatterns: list = [
    path("import/ted/", exchange_views.ted_upload, name="ted_upload"),
    path("ocds.json", exchange_views.calls_package, name="calls_ocds"),
    path("<int:pk>/ocds.json", exchange_views.call_release, name="call_ocds"),
]
