from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.dashboard, name="dashboard"),
    path("me/notifications/", views.NotificationListView.as_view(), name="notification_list"),
    path("me/notifications/read/", views.notifications_read_all, name="notifications_read_all"),
    path("me/notifications/<int:pk>/", views.notification_open, name="notification_open"),
]
