"""What the opportunity, challenge and proposal services do the same way: a model's own
validation as a refusal, and the attachments of an opportunity or a proposal (checked before
anything is saved, stored under a limit, deleted with their file)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from bigscience_portal.core.errors import ActionRefused, refuse_unless

from .. import uploads


def full_clean(instance) -> None:
    """``instance.full_clean()``, its errors refused field by field."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise ActionRefused.from_validation_error(exc) from exc


def checked_attachments(attachments: Iterable | None) -> list:
    """The (title, file) pairs as a list, every file checked (``uploads.check_attachment``):
    the first one refused refuses the write, before anything is saved."""
    attachments = list(attachments or ())
    for _title, upload in attachments:
        try:
            uploads.check_attachment(upload)
        except ValidationError as exc:
            raise ActionRefused(" ".join(exc.messages), field="attachment") from exc
    return attachments


def attachments_store(parent, attachments: list, user, *, too_many: str) -> None:
    """Store checked (title, file) pairs as ``parent.attachments``, at most
    ``uploads.MAX_ATTACHMENTS`` in all (``too_many`` says so, naming the number as ``%(n)d``)."""
    if not attachments:
        return
    refuse_unless(
        parent.attachments.count() + len(attachments) <= uploads.MAX_ATTACHMENTS,
        too_many % {"n": uploads.MAX_ATTACHMENTS},
        field="attachment",
    )
    for title, upload in attachments:
        parent.attachments.create(
            title=(title or upload.name)[:200],
            file=upload,
            size=upload.size,
            uploaded_by=user,
        )


@transaction.atomic
def attachment_delete(*, attachment) -> None:
    """An opportunity's or a proposal's attachment, and its file."""
    attachment.file.delete(save=False)
    attachment.delete()
