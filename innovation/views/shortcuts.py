"""What several innovation pages answer the same way: a stored attachment as a download."""

from __future__ import annotations

import os

from django.http import FileResponse, Http404
from django.utils.text import get_valid_filename


def attachment_response(attachment) -> FileResponse:
    """The file as an attachment, never shown inline (nothing serves MEDIA_URL), not cached
    by shared caches (a draft's files are private)."""
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    name = (
        get_valid_filename(os.path.basename(attachment.file.name)) or f"attachment-{attachment.pk}"
    )
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private"
    return response
