"""Who may see and change what in technology transfer and innovation: the one place that decides.

Built on ``organisations.permissions`` (memberships read once per request). Each predicate takes
the user first and the object second. What a user may not see is answered 404 by the views
(``innovation.views.access``); what they see but may not change, 403.

* **Opportunities**: a live public one is for everyone; drafts, profiles in review, withdrawn or
  expired ones and those shown only at events are for the organisation's people, its reviewers
  and staff. The organisation's editors and administrators write them; the administrators review
  them before publication, staff while the organisation is not approved.
* **Interest**: the interested organisation's people and the offering organisation's people
  (staff see the page; its conversation only once reported, as ``conversations`` decides).
* **Challenges**: a draft (the ``need`` stage) is the owner's; once open, everyone reads it.
  Only the owner's administrators decide at a gate, select a proposal, publish the summary and
  open a procurement call. The process page is for the team: the owner's people and the
  selected consortium's.
* **Proposals**: the lead's and every partner's people; the owner's once submitted; staff.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from organisations import permissions as org_perms
from organisations.models import Organisation

from . import process
from .models import (
    OWNER_KINDS,
    InnovationChallenge,
    Interest,
    PartnershipOpportunity,
    ProposalPartner,
    SolutionProposal,
)

Status = PartnershipOpportunity.Status


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _staff(user) -> bool:
    return _authenticated(user) and bool(user.is_staff)


def is_member_of(user, organisation_id) -> bool:
    return organisation_id is not None and org_perms.is_member(
        user, Organisation(pk=organisation_id)
    )


def is_admin_of(user, organisation_id) -> bool:
    return organisation_id is not None and org_perms.is_admin(
        user, Organisation(pk=organisation_id)
    )


def member_organisation_ids(user) -> list[int]:
    """Ids of the user's organisations (read once per request, kept on the user object)."""
    if not _authenticated(user):
        return []
    ids = getattr(user, "_innovation_org_ids", None)
    if ids is None:
        ids = list(org_perms.member_organisations(user).values_list("pk", flat=True))
        user._innovation_org_ids = ids
    return ids


def user_organisations(user) -> QuerySet[Organisation]:
    """The organisations the user belongs to (any role)."""
    return org_perms.member_organisations(user).order_by("name")


# --- partnership opportunities ---------------------------------------------------------------


def can_create_opportunity(user) -> bool:
    return bool(member_organisation_ids(user))


def opportunity_organisations(user) -> QuerySet[Organisation]:
    """Organisations the user may publish opportunities for (every one they belong to)."""
    return user_organisations(user)


def reviewed_by_staff(opportunity: PartnershipOpportunity) -> bool:
    """An opportunity of an organisation that needs staff's approval and is not approved (yet)
    is reviewed by staff, not by its own administrators."""
    org = opportunity.organisation
    return org is not None and not org.is_acting


def is_reviewer(user, opportunity: PartnershipOpportunity) -> bool:
    """Whoever publishes the organisation's profiles: its administrators while it acts;
    staff always (and alone, while it is not approved)."""
    if not _authenticated(user):
        return False
    if user.is_staff:
        return True
    return not reviewed_by_staff(opportunity) and is_admin_of(user, opportunity.organisation_id)


def can_view_opportunity(user, opportunity: PartnershipOpportunity) -> bool:
    if (
        opportunity.is_live
        and opportunity.visibility == PartnershipOpportunity.Visibility.PUBLIC
        and opportunity.organisation is not None
        and opportunity.organisation.is_acting
    ):
        return True
    return _staff(user) or is_member_of(user, opportunity.organisation_id)


def can_edit_opportunity(user, opportunity: PartnershipOpportunity) -> bool:
    """The organisation's editors and administrators (and staff), until it is withdrawn."""
    if opportunity.status == Status.WITHDRAWN:
        return False
    return _staff(user) or is_member_of(user, opportunity.organisation_id)


def can_submit_opportunity(user, opportunity: PartnershipOpportunity) -> bool:
    return opportunity.status == Status.DRAFT and can_edit_opportunity(user, opportunity)


def can_review_opportunity(user, opportunity: PartnershipOpportunity) -> bool:
    return opportunity.status == Status.IN_REVIEW and is_reviewer(user, opportunity)


def can_publish_directly(user, opportunity: PartnershipOpportunity) -> bool:
    """A reviewer writing a draft publishes it at once (their review is the publication)."""
    return opportunity.status == Status.DRAFT and is_reviewer(user, opportunity)


def can_see_matches(user, opportunity: PartnershipOpportunity) -> bool:
    """The companies the engine found for the opportunity: its organisation's people, staff."""
    return _staff(user) or is_member_of(user, opportunity.organisation_id)


def interest_organisations(user, opportunity: PartnershipOpportunity) -> QuerySet[Organisation]:
    """The user's organisations that may express interest (any but the offering one)."""
    return user_organisations(user).exclude(pk=opportunity.organisation_id)


def can_express_interest(user, opportunity: PartnershipOpportunity) -> bool:
    return (
        _authenticated(user)
        and opportunity.is_live
        and opportunity.visibility == PartnershipOpportunity.Visibility.PUBLIC
        and interest_organisations(user, opportunity).exists()
    )


def interest_side(user, interest: Interest) -> str | None:
    """ "offering" or "interested" for a party of the interest, else None."""
    if is_member_of(user, interest.opportunity.organisation_id):
        return "offering"
    if is_member_of(user, interest.organisation_id):
        return "interested"
    return None


def can_view_interest(user, interest: Interest) -> bool:
    return interest_side(user, interest) is not None or _staff(user)


def can_close_interest(user, interest: Interest) -> bool:
    """Either side closes an interest that is not closed yet (its conversation then takes no
    more messages; who reads and writes in it is ``conversations.permissions``')."""
    return not interest.is_closed and interest_side(user, interest) is not None


def can_save_search(user) -> bool:
    return _authenticated(user)


# --- challenges ------------------------------------------------------------------------------


def challenge_owner_organisations(user) -> QuerySet[Organisation]:
    """Organisations the user may post challenges for: theirs of the owner kinds."""
    return user_organisations(user).filter(kind__in=OWNER_KINDS)


def can_create_challenge(user) -> bool:
    return _authenticated(user) and challenge_owner_organisations(user).exists()


def is_owner_member(user, challenge: InnovationChallenge) -> bool:
    return is_member_of(user, challenge.owner_id)


def is_owner_admin(user, challenge: InnovationChallenge) -> bool:
    return is_admin_of(user, challenge.owner_id)


def can_view_challenge(user, challenge: InnovationChallenge) -> bool:
    if not challenge.is_draft:
        return True
    return _staff(user) or is_owner_member(user, challenge)


def can_edit_challenge(user, challenge: InnovationChallenge) -> bool:
    """The owner's people change the text until the proposals are in (staff too)."""
    if challenge.stage not in (process.NEED, process.OPEN):
        return False
    return _staff(user) or is_owner_member(user, challenge)


def selected_proposal(challenge: InnovationChallenge) -> SolutionProposal | None:
    cached = getattr(challenge, "_selected_proposal", False)
    if cached is not False:
        return cached
    found = (
        challenge.proposals.filter(status=SolutionProposal.Status.SELECTED)
        .prefetch_related(
            Prefetch("partners", queryset=ProposalPartner.objects.select_related("organisation"))
        )
        .first()
    )
    challenge._selected_proposal = found
    return found


def consortium_ids(proposal: SolutionProposal | None) -> set[int]:
    if proposal is None:
        return set()
    return {proposal.lead_id, *(p.organisation_id for p in proposal.partners.all())}


def is_team_member(user, challenge: InnovationChallenge) -> bool:
    """The project's team: the owner's people and the selected consortium's."""
    if not _authenticated(user):
        return False
    if is_owner_member(user, challenge):
        return True
    mine = set(member_organisation_ids(user))
    return bool(mine & consortium_ids(selected_proposal(challenge)))


def can_view_process(user, challenge: InnovationChallenge) -> bool:
    return _staff(user) or is_team_member(user, challenge)


def can_tick_deliverables(user, challenge: InnovationChallenge) -> bool:
    return not process.is_final(challenge.stage) and is_team_member(user, challenge)


def can_decide_gate(user, challenge: InnovationChallenge) -> bool:
    """Only the challenge owner's administrators decide at a gate."""
    return _authenticated(user) and is_owner_admin(user, challenge)


def can_select_proposal(user, challenge: InnovationChallenge) -> bool:
    return can_decide_gate(user, challenge) and challenge.stage == process.SELECTION


def can_publish_summary(user, challenge: InnovationChallenge) -> bool:
    return can_decide_gate(user, challenge) and not challenge.is_draft


def can_open_procurement(user, challenge: InnovationChallenge) -> bool:
    return (
        can_decide_gate(user, challenge)
        and challenge.stage in (process.SCALE_UP, process.PROCUREMENT)
        and challenge.procurement_call_id is None
    )


def can_view_public_summary(user, challenge: InnovationChallenge) -> bool:
    return challenge.summary_is_public or can_view_process(user, challenge)


# --- proposals -------------------------------------------------------------------------------


def proposal_party_ids(proposal: SolutionProposal) -> set[int]:
    return consortium_ids(proposal)


def is_proposal_party(user, proposal: SolutionProposal) -> bool:
    mine = set(member_organisation_ids(user))
    return bool(mine & proposal_party_ids(proposal))


def can_view_proposal(user, proposal: SolutionProposal) -> bool:
    if _staff(user) or is_proposal_party(user, proposal):
        return True
    return proposal.is_sent and is_owner_member(user, proposal.challenge)


def can_edit_proposal(user, proposal: SolutionProposal) -> bool:
    return proposal.status == SolutionProposal.Status.DRAFT and is_member_of(user, proposal.lead_id)


def can_submit_proposal(user, proposal: SolutionProposal) -> bool:
    return can_edit_proposal(user, proposal)


def can_withdraw_proposal(user, proposal: SolutionProposal) -> bool:
    return proposal.status in (
        SolutionProposal.Status.DRAFT,
        SolutionProposal.Status.SUBMITTED,
    ) and is_member_of(user, proposal.lead_id)


def proposal_lead_organisations(user, challenge: InnovationChallenge) -> QuerySet[Organisation]:
    """The user's organisations that may lead a proposal to the challenge (not the owner, nor
    one that leads a proposal to it already)."""
    taken = challenge.proposals.values("lead_id")
    return user_organisations(user).exclude(pk=challenge.owner_id).exclude(pk__in=taken)


def can_propose(user, challenge: InnovationChallenge) -> bool:
    return _authenticated(user) and not challenge.is_draft
