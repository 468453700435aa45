from django.urls import path

from . import views

app_name = "exchanges"

urlpatterns = [
    path("", views.ExchangeListView.as_view(), name="exchange_list"),
    path("new/", views.exchange_create, name="exchange_create"),
    path("applications/mine/", views.MyApplicationListView.as_view(), name="my_applications"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/accept/", views.application_accept, name="application_accept"),
    path("applications/<int:pk>/decline/", views.application_decline, name="application_decline"),
    path(
        "applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"
    ),
    path("applications/<int:pk>/cancel/", views.application_cancel, name="application_cancel"),
    path("partnerships/", views.PartnershipListView.as_view(), name="partnership_list"),
    path("partnerships/new/", views.partnership_propose, name="partnership_propose"),
    path("partnerships/<int:pk>/", views.partnership_detail, name="partnership_detail"),
    path("partnerships/<int:pk>/end/", views.partnership_end, name="partnership_end"),
    path("<slug:slug>/", views.exchange_detail, name="exchange_detail"),
    path("<slug:slug>/edit/", views.exchange_edit, name="exchange_edit"),
    path("<slug:slug>/apply/", views.apply, name="apply"),
    path("<slug:slug>/agenda/", views.agenda, name="agenda"),
    path(
        "<slug:slug>/agenda/<int:pk>/remove/",
        views.agenda_item_remove,
        name="agenda_item_remove",
    ),
    path("<slug:slug>/applications/", views.ApplicationListView.as_view(), name="application_list"),
]
