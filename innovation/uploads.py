"""Attachments: size and type limits checked before a file is read or anything is saved.

Three checks, in the order a request meets them:

1. :func:`limit_uploads` (a view decorator) refuses a request body larger than the limit from its
   ``Content-Length`` before Django parses it, and puts :class:`LimitedUploadHandler` first
   among the request's upload handlers: a file that grows past ``MAX_ATTACHMENT_BYTES`` while
   it streams in is skipped (never written to memory or a temporary file beyond the limit) and
   named in ``request.refused_uploads``;
2. :func:`check_attachment` (the forms) refuses a file by its size, its name's extension and the
   first bytes of its content (a ".pdf" that is an HTML page with a script is refused);
3. the services call :func:`check_attachment` again before they store the file, in the
   transaction of the write, so no path around a form stores what a form would refuse.
"""

from __future__ import annotations

from functools import wraps
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
#: a request body beyond this is refused before it is read (the files and the form around them)
MAX_REQUEST_BYTES = MAX_ATTACHMENT_BYTES + 512 * 1024
MAX_ATTACHMENTS = 10

#: accepted extensions and how their content starts (None: text, checked for markup instead)
SIGNATURES: dict[str, tuple[bytes, ...] | None] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    # Office Open XML and OpenDocument files are ZIP archives
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
    "odp": (b"PK\x03\x04",),
    "txt": None,
    "csv": None,
}
EXTENSIONS = tuple(SIGNATURES)
_MARKUP = (b"<script", b"<html", b"<!doctype", b"<svg", b"<?php", b"<iframe")


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g}"


def size_message() -> str:
    return _("The file is larger than %(mb)s MB.") % {"mb": _mb(MAX_ATTACHMENT_BYTES)}


def too_large_request_message() -> str:
    return _(
        "What you sent is larger than %(mb)s MB, so none of it was read or saved: attach a "
        "smaller file and fill in the form again."
    ) % {"mb": _mb(MAX_ATTACHMENT_BYTES)}


def help_text() -> str:
    return _("At most %(mb)s MB: %(types)s.") % {
        "mb": _mb(MAX_ATTACHMENT_BYTES),
        "types": ", ".join(f".{e}" for e in EXTENSIONS),
    }


def check_attachment(upload) -> None:
    """Raise ``ValidationError`` (with a message for the user) unless ``upload`` is within the
    size limit, of an accepted type, and starts as that type starts. Reads 512 bytes at most."""
    size = getattr(upload, "size", None)
    if size is None or size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(size_message(), code="too_large")
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    ext = Path(upload.name or "").suffix.lower().lstrip(".")
    if ext not in SIGNATURES:
        raise ValidationError(
            _("Files of type “.%(ext)s” are not accepted. Accepted: %(allowed)s.")
            % {"ext": ext or "?", "allowed": ", ".join(f".{e}" for e in EXTENSIONS)},
            code="type",
        )
    upload.seek(0)
    head = upload.read(512)
    upload.seek(0)
    signatures = SIGNATURES[ext]
    if signatures is None:
        lowered = head.lower()
        if b"\x00" in head or any(tag in lowered for tag in _MARKUP):
            raise ValidationError(_("This file is not plain text: it is refused."), code="content")
    elif not head.startswith(signatures):
        raise ValidationError(
            _("The content of this file is not a .%(ext)s file: it is refused.") % {"ext": ext},
            code="content",
        )


class LimitedUploadHandler(FileUploadHandler):
    """Skips every file that grows past ``MAX_ATTACHMENT_BYTES`` while it streams in, and
    records its field name in ``request.refused_uploads``."""

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > MAX_ATTACHMENT_BYTES:
            self.request.refused_uploads.add(self.field_name)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def limit_uploads(view):
    """A view that takes attachments: the body's size checked before it is read, files cut off
    at the limit while they stream in (see the module). CSRF is checked after the handlers are
    in place (Django's middleware would read the body first)."""

    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.refused_uploads = set()
        if request.method == "POST":
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > MAX_REQUEST_BYTES:
                # Not read at all: the page is shown again (as for a GET) and says why.
                request.upload_too_large = True
                request.method = "GET"
                messages.error(request, too_large_request_message())
            else:
                request.upload_handlers.insert(0, LimitedUploadHandler(request))
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapper)


def refused_message(request, field: str) -> str | None:
    """The message for a file of ``field`` that the request refused before the form saw it."""
    if field in getattr(request, "refused_uploads", ()):
        return size_message()
    return None
