"""Deciding a pending request (to join an organisation, to join a cluster) exactly once."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from bigscience_portal.core.errors import ActionRefused

from ..models import Decision


def decide_pending(obj, *, decided_by, status: str) -> None:
    """Decide a pending request once; the row is locked so two managers cannot both decide."""
    current = type(obj).objects.select_for_update().values_list("status", flat=True).get(pk=obj.pk)
    if current != Decision.PENDING:
        raise ActionRefused(_("This request has already been decided."))
    obj.status = status
    obj.decided_by = decided_by
    obj.decided_at = timezone.now()
    obj.save(update_fields=["status", "decided_by", "decided_at"])
