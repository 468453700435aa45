from django.urls import path

from . import exchange_urls, views

app_name = "tenders"

urlpatterns = [
    path("", views.call_list, name="call_list"),
]
# Data exchange (TED upload, OCDS) lives in its own module; keep this line.
urlpatterns += exchange_urls.urlpatterns
