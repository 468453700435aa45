"""Which object a request may reach: the one place the views load one for a user.

Each function returns the object or raises ``Http404`` for one the user may not see (a draft,
another organisation's profile, a proposal of another consortium: they do not exist for them);
a visible object the user may not change is refused with ``PermissionDenied`` by the view."""

from __future__ import annotations

from django.http import Http404

from bigscience_portal.core.middleware import object_id
from bigscience_portal.core.views_kit import permitted, visible_or_404

from .. import permissions, selectors
from ..models import InnovationChallenge

opportunity_or_404 = visible_or_404(
    lambda pk: selectors.opportunity_detail(object_id(pk)), permissions.can_view_opportunity
)
interest_or_404 = visible_or_404(
    lambda pk: selectors.interest_detail(object_id(pk)), permissions.can_view_interest
)
challenge_or_404 = visible_or_404(selectors.challenge_by_slug, permissions.can_view_challenge)
proposal_or_404 = visible_or_404(
    lambda pk: selectors.proposal_detail(object_id(pk)), permissions.can_view_proposal
)


def process_or_404(request, slug: str, allowed=None) -> InnovationChallenge:
    """The challenge, for its process page: the team and staff (404 for everyone else); with
    ``allowed``, for a post of that page (403 for the team members who may not)."""
    challenge = challenge_or_404(request, slug)
    if not permissions.can_view_process(request.user, challenge):
        raise Http404
    return permitted(request, challenge, allowed)
