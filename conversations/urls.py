from django.urls import path

from . import views

app_name = "conversations"

urlpatterns = [
    path("", views.ConversationListView.as_view(), name="conversation_list"),
    path("<int:pk>/", views.conversation_detail, name="conversation_detail"),
    path("<int:pk>/report/", views.conversation_report, name="conversation_report"),
    path("new/<slug:kind>/<int:pk>/", views.conversation_start, name="conversation_start"),
    path("call/<int:call_pk>/write/", views.call_write, name="call_write"),
]
