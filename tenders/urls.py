from django.urls import path

from . import views

app_name = "tenders"

urlpatterns = [
    path("", views.call_list, name="call_list"),
]
