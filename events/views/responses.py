"""Files the events pages hand out (calendars, participant lists), as downloads."""

from __future__ import annotations

from django.http import HttpResponse

CALENDAR = "text/calendar; charset=utf-8"


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
