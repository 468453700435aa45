"""URLs for data exchange (TED upload, OCDS releases and packages); included by tenders/urls.py."""

from django.urls import path

from . import views
from .views import harvests

urlpatterns: list = [
    path("import/ted/", views.ted_upload, name="ted_upload"),
    path("import/buyers/<int:pk>/merge/", views.buyer_merge, name="buyer_merge"),
    path("import/harvests/", harvests.HarvestListView.as_view(), name="harvest_list"),
    path("import/harvests/<int:pk>/", harvests.harvest_detail, name="harvest_detail"),
    path("ocds.json", views.calls_package, name="calls_ocds"),
    path("<int:pk>/ocds.json", views.call_release, name="call_ocds"),
]
