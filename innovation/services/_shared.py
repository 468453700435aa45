"""What the opportunity, challenge and proposal services do the same way: a model's own
validation as a refusal."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from bigscience_portal.core.errors import ActionRefused


def full_clean(instance) -> None:
    """``instance.full_clean()``, its errors refused field by field."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise ActionRefused.from_validation_error(exc) from exc
