"""What matchmaking adds to a call's page (``tenders.panels.call_page``) for a company's people:
that its cluster forwarded the call to it, or that the buyer invited it to express interest."""

from __future__ import annotations

from organisations.models import Organisation
from organisations.permissions import acting_organisation_ids

from . import selectors


def call_outreach(request, call) -> dict | None:
    """The forwards and invitations of ``call`` to the user's companies; None when none."""
    # companies never wait for approval: every company of the user, from the memberships the
    # request has read already
    company_ids = acting_organisation_ids(request.user, Organisation.COMPANY_KINDS)
    if not company_ids:
        return None
    forwards, invitations = selectors.outreach_for_companies(call, company_ids)
    if not (forwards or invitations):
        return None
    return {"call": call, "forwards": forwards, "invitations": invitations}
