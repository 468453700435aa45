"""The directory's pages, by audience: the public directory, profile editing, the people of
an organisation, the cluster manager's pages and the staff's approvals. Each view is thin: it
loads the object (404 for what the user may not see), asks ``permissions``, calls a selector or
a service, renders."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from .. import permissions
from ..models import Organisation
from ..services.approvals import awaiting_approval_message


class AwaitingApproval(PermissionDenied):
    """Refused because ``organisation`` (the one acted for) is not approved by staff."""

    def __init__(self, organisation: Organisation) -> None:
        super().__init__(awaiting_approval_message(organisation))
        self.organisation = organisation


def organisation_for(
    request,
    slug: str,
    may: Callable[..., bool],
    *,
    waiting: Callable[..., Organisation | None] | None = None,
) -> Organisation:
    """The organisation of the URL when ``may(user, organisation)`` (a predicate of
    ``organisations.permissions``) lets the user act on it.

    404 when there is none or the user may not see it (a draft of another organisation, one
    awaiting approval: a 403 would tell that it exists). When the user sees it but ``may``
    refuses: :class:`AwaitingApproval` when ``waiting(user, organisation)`` names an
    organisation whose missing approval is the reason (the page says so), else 403: its
    existence is no secret then, and the page says truthfully that the account lacks the right.
    """
    organisation = get_object_or_404(Organisation, slug=slug)
    user = request.user
    if not permissions.can_view_organisation(user, organisation):
        raise Http404(_("No such organisation."))
    if not may(user, organisation):
        unapproved = waiting(user, organisation) if waiting is not None else None
        if unapproved is not None:
            raise AwaitingApproval(unapproved)
        raise PermissionDenied
    return organisation


def awaiting_approval_page(view):
    """Render :class:`AwaitingApproval` as a page that says why (403), not the bare 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except AwaitingApproval as refused:
            return render(
                request,
                "organisations/awaiting_approval.html",
                {"organisation": refused.organisation, "reason": str(refused)},
                status=403,
            )

    return wrapper
