"""Which object a request may reach: the one place the views load one for a user.

Each function returns the object or raises ``Http404`` for one the user may not see (a draft,
another organisation's profile, a proposal of another consortium: they do not exist for them);
a visible object the user may not change is refused with ``PermissionDenied`` by the view."""

from __future__ import annotations

from django.http import Http404

from bigscience_portal.core.middleware import object_id

from .. import permissions, selectors
from ..models import InnovationChallenge, Interest, PartnershipOpportunity, SolutionProposal


def opportunity_or_404(request, pk) -> PartnershipOpportunity:
    try:
        opportunity = selectors.opportunity_detail(object_id(pk))
    except PartnershipOpportunity.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_opportunity(request.user, opportunity):
        raise Http404
    return opportunity


def interest_or_404(request, pk) -> Interest:
    try:
        interest = selectors.interest_detail(object_id(pk))
    except Interest.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_interest(request.user, interest):
        raise Http404
    return interest


def challenge_or_404(request, slug: str) -> InnovationChallenge:
    challenge = selectors.challenge_by_slug(slug)
    if challenge is None or not permissions.can_view_challenge(request.user, challenge):
        raise Http404
    return challenge


def process_or_404(request, slug: str) -> InnovationChallenge:
    """The challenge, for its process page: the team and staff (404 for everyone else)."""
    challenge = challenge_or_404(request, slug)
    if not permissions.can_view_process(request.user, challenge):
        raise Http404
    return challenge


def proposal_or_404(request, pk) -> SolutionProposal:
    try:
        proposal = selectors.proposal_detail(object_id(pk))
    except SolutionProposal.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_proposal(request.user, proposal):
        raise Http404
    return proposal
