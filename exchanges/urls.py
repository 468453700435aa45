from django.urls import include, path

from . import views

app_name = "exchanges"

application_urls = [
    path("", views.application_detail, name="application_detail"),
    path("accept/", views.application_accept, name="application_accept"),
    path("decline/", views.application_decline, name="application_decline"),
    path("withdraw/", views.application_withdraw, name="application_withdraw"),
    path("cancel/", views.application_cancel, name="application_cancel"),
]

exchange_urls = [
    path("", views.exchange_detail, name="exchange_detail"),
    path("edit/", views.exchange_edit, name="exchange_edit"),
    path("apply/", views.apply, name="apply"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/<int:pk>/remove/", views.agenda_item_remove, name="agenda_item_remove"),
    path("applications/", views.ApplicationListView.as_view(), name="application_list"),
]

urlpatterns = [
    path("", views.ExchangeListView.as_view(), name="exchange_list"),
    path("new/", views.exchange_create, name="exchange_create"),
    path("applications/mine/", views.MyApplicationListView.as_view(), name="my_applications"),
    path("applications/<int:pk>/", include(application_urls)),
    path("partnerships/", views.PartnershipListView.as_view(), name="partnership_list"),
    path("partnerships/new/", views.partnership_propose, name="partnership_propose"),
    path("partnerships/<int:pk>/", views.partnership_detail, name="partnership_detail"),
    path("partnerships/<int:pk>/end/", views.partnership_end, name="partnership_end"),
    path("<slug:slug>/", include(exchange_urls)),
]
