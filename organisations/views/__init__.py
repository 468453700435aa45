"""The directory's pages, by audience: the public directory, profile editing, the people of
an organisation, and the cluster manager's pages. Each view is thin: it loads the object (404
for what the user may not see), asks ``permissions``, calls a selector or a service, renders."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .. import permissions
from ..models import Organisation


def organisation_for(request, slug: str, may: Callable[..., bool]) -> Organisation:
    """The organisation of the URL when ``may(user, organisation)`` (a predicate of
    ``organisations.permissions``) lets the user act on it.

    404 when there is none or the user may not see it (a draft of another organisation: a 403
    would tell that it exists); 403 when the user sees it (it is public, or theirs) but the
    predicate refuses: its existence is no secret then, and the page says truthfully that the
    account lacks the right.
    """
    organisation = get_object_or_404(Organisation, slug=slug)
    if not permissions.can_view_organisation(request.user, organisation):
        raise Http404(_("No such organisation."))
    if not may(request.user, organisation):
        raise PermissionDenied
    return organisation
