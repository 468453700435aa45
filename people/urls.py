from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("me/account/", views.account, name="account"),
    path("me/account/data.json", views.data_download, {"fmt": "json"}, name="data_json"),
    path("me/account/data.zip", views.data_download, {"fmt": "zip"}, name="data_zip"),
    path("me/account/delete/", views.account_delete, name="account_delete"),
    path("privacy/", views.privacy, name="privacy"),
    path("language/", views.language_set, name="language_set"),
]
