"""The one view helper that turns a service's refusal into what the user sees.

    with refusals(request, form=form) as refused:
        call = services.call_publish(call=call, user=request.user, note=note)
        messages.success(request, _("The call is now published."))
        return redirect(call)
    # refused: the form shows the reason (or a message says it); render the page again

Inside the block a :class:`~bigscience_portal.core.errors.ActionRefused` stops the block; the
reason goes to the form (on its field when the refusal names one the form has, else as a
non-field error) or, without a form, into Django's messages as an error. The block's code after
the service runs only when it was not refused, and ``bool(refused)`` tells afterwards.
"""

from __future__ import annotations

from django.contrib import messages

from .errors import ActionRefused


class Refused:
    """Whether the block was refused, and why (``reason``: the ActionRefused)."""

    __slots__ = ("reason",)

    def __init__(self) -> None:
        self.reason: ActionRefused | None = None

    def __bool__(self) -> bool:
        return self.reason is not None

    def __str__(self) -> str:
        return self.reason.message if self.reason is not None else ""


class refusals:
    def __init__(self, request, *, form=None) -> None:
        self.request = request
        self.form = form
        self.refused = Refused()

    def __enter__(self) -> Refused:
        return self.refused

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc_type is None or not issubclass(exc_type, ActionRefused):
            return False
        self.refused.reason = exc
        if self.form is None:
            messages.error(self.request, exc.message)
            return True
        for name, errors in exc.errors.items():
            self.form.add_error(name if name in self.form.fields else None, errors)
        return True
