"""URLs for data exchange (TED upload, OCDS releases and packages); included by tenders/urls.py."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
