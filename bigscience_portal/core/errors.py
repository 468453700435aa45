"""The one error a service raises when it refuses an action.

Every service of every app refuses the same way: ``raise ActionRefused(_("..."))``, with the
message written for the person who asked (it is shown to them as it is). A refusal that belongs
to one field of a form names it (``field="tender_period_end"``), and several field errors at once
(a model's ``full_clean``) travel as ``errors``. Views never catch it themselves: they run the
service inside :func:`bigscience_portal.core.refusals.refusals`, which turns it into a message or
form errors.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class ActionRefused(Exception):
    """An action that may not happen now; ``str(exc)`` is a message for the user."""

    def __init__(
        self,
        message: str = "",
        *,
        field: str | None = None,
        code: str = "refused",
        errors: dict[str, list[str]] | None = None,
    ) -> None:
        self.message = str(message)
        self.field = field
        self.code = code
        if errors is None:
            errors = {field or NON_FIELD_ERRORS: [self.message]}
        self.errors = {name: [str(m) for m in messages] for name, messages in errors.items()}
        if not self.message:
            self.message = " ".join(m for messages in self.errors.values() for m in messages)
        super().__init__(self.message)

    @classmethod
    def from_validation_error(cls, exc: ValidationError) -> ActionRefused:
        """A model's ``full_clean`` errors as one refusal that keeps each field's messages."""
        if hasattr(exc, "error_dict"):
            return cls(errors=exc.message_dict, code="invalid")
        return cls(" ".join(exc.messages), code="invalid")


def refuse_unless(condition: object, message: str, **kwargs) -> None:
    """``raise ActionRefused(message)`` when ``condition`` is false."""
    if not condition:
        raise ActionRefused(message, **kwargs)
