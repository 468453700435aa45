"""The directory's pages, by audience: the public directory, profile editing, the people of
an organisation, and the cluster manager's pages. Each view is thin: it loads the object (404
for what the user may not see), asks ``permissions``, calls a selector or a service, renders."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from ..models import Organisation


def organisation_for(request, slug: str, may: Callable[..., bool]) -> Organisation:
    """The organisation of the URL when ``may(user, organisation)`` (a predicate of
    ``organisations.permissions``) lets the user act on it: 404 when there is none, 403 when
    the predicate refuses."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not may(request.user, organisation):
        raise PermissionDenied
    return organisation
