"""URLs for the fault-page tests: a view whose database fails, one with a plain bug."""

from django.db import OperationalError
from django.urls import include, path

from bigscience_portal.urls import urlpatterns as portal

handler500 = "bigscience_portal.core.views.server_error"


def database_down(request):
    raise OperationalError("server closed the connection unexpectedly")


def bug(request):
    raise ZeroDivisionError


urlpatterns = [path("db-down/", database_down), path("bug/", bug), path("", include(portal))]
