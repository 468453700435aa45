"""What several events pages answer in the same way: a file to download, and a confirmation
page whose POST runs one service call."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from bigscience_portal.core.refusals import refusals

CALENDAR = "text/calendar; charset=utf-8"


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def confirm(request, template: str, context: dict, *, act: Callable, done: str, then):
    """GET shows the confirmation page; POST does ``act()`` (a service call) and goes to
    ``then`` with ``done`` as the message, or with the service's refusal."""
    if request.method != "POST":
        return render(request, template, context)
    with refusals(request):
        act()
        messages.success(request, done)
    return redirect(then)
