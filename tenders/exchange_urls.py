"""URLs for data exchange (TED upload, OCDS releases and packages); included by tenders/urls.py."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("import/ted/", views.ted_upload, name="ted_upload"),
    path("ocds.json", views.calls_package, name="calls_ocds"),
    path("<int:pk>/ocds.json", views.call_release, name="call_ocds"),
]
