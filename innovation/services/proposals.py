"""Solution proposals: written by a lead organisation with its consortium partners, submitted
while the challenge is open, selected (or not) by the challenge owner."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bigscience_portal.core.errors import refuse_unless
from organisations.models import Organisation

from .. import emails, permissions, process
from ..models import (
    InnovationChallenge,
    ProposalPartner,
    SolutionProposal,
    WhoMayAnswer,
)
from . import _shared
from ._shared import attachments_store, checked_attachments, full_clean

Status = SolutionProposal.Status

#: the refusal of an attachment past ``uploads.MAX_ATTACHMENTS`` (``%(n)d``)
TOO_MANY_ATTACHMENTS = gettext_lazy("At most %(n)d attachments per proposal.")


def closed_reason(challenge: InnovationChallenge, now=None) -> str | None:
    """Why the challenge takes no proposal now (None: it takes them)."""
    now = now or timezone.now()
    if challenge.stage == process.NEED:
        return _("This challenge is not open yet.")
    if challenge.stage != process.OPEN:
        return _(
            "This challenge is closed to proposals: it is at the %(stage)s stage since %(when)s."
        ) % {
            "stage": process.label(challenge.stage).lower(),
            "when": date_format(challenge.stage_entered_at, "DATE_FORMAT"),
        }
    if challenge.proposals_deadline <= now:
        return _("This challenge closed to proposals on %(when)s.") % {
            "when": date_format(timezone.localtime(challenge.proposals_deadline), "DATETIME_FORMAT")
        }
    return None


def _check_consortium(challenge: InnovationChallenge, lead: Organisation, partners) -> None:
    refuse_unless(lead.pk != challenge.owner_id, _("The challenge owner cannot answer it."))
    refuse_unless(
        challenge.owner_id not in {p.pk for p in partners},
        _("The challenge owner cannot be a partner of a proposal to it."),
        field="partners",
    )
    rule = challenge.who_may_answer
    if rule == WhoMayAnswer.COMPANIES:
        refuse_unless(
            lead.kind in Organisation.COMPANY_KINDS,
            _("This challenge asks for proposals led by a company."),
            field="lead",
        )
    if rule == WhoMayAnswer.CONSORTIA:
        refuse_unless(
            len(partners) >= 1,
            _("This challenge asks for consortia: name at least one partner."),
            field="partners",
        )


def _set_partners(proposal: SolutionProposal, partners: Iterable[Organisation]) -> None:
    wanted = {p.pk: p for p in partners if p.pk != proposal.lead_id}
    current = set(proposal.partners.values_list("organisation_id", flat=True))
    proposal.partners.exclude(organisation_id__in=wanted).delete()
    for pk in wanted:
        if pk not in current:
            ProposalPartner.objects.create(proposal=proposal, organisation_id=pk)
            emails.partner_added(proposal, pk)


@transaction.atomic
def proposal_create(
    *,
    challenge: InnovationChallenge,
    lead: Organisation,
    user,
    fields: dict,
    partners: Iterable[Organisation] = (),
    attachments: Iterable = (),
) -> SolutionProposal:
    """A draft proposal of ``lead`` (the partners are told they are named)."""
    reason = closed_reason(challenge)
    refuse_unless(reason is None, reason or "")
    partners = list(partners)
    _check_consortium(challenge, lead, partners)
    refuse_unless(
        not challenge.proposals.filter(lead=lead).exists(),
        _("%(org)s leads a proposal to this challenge already.") % {"org": lead.name},
        field="lead",
    )
    proposal = SolutionProposal(challenge=challenge, lead=lead, created_by=user)
    for name, value in fields.items():
        setattr(proposal, name, value)
    full_clean(proposal)
    attachments = checked_attachments(attachments)
    proposal.save()
    _set_partners(proposal, partners)
    attachments_store(proposal, attachments, user, too_many=TOO_MANY_ATTACHMENTS)
    return proposal


@transaction.atomic
def proposal_update(
    *,
    proposal: SolutionProposal,
    user,
    fields: dict,
    partners: Iterable[Organisation] | None = None,
    attachments: Iterable = (),
) -> SolutionProposal:
    stored = SolutionProposal.objects.select_for_update().get(pk=proposal.pk)
    refuse_unless(stored.status == Status.DRAFT, _("A submitted proposal can no longer change."))
    for name, value in fields.items():
        setattr(proposal, name, value)
    proposal.status = stored.status
    full_clean(proposal)
    if partners is not None:
        _check_consortium(proposal.challenge, proposal.lead, list(partners))
    attachments = checked_attachments(attachments)
    proposal.save()
    if partners is not None:
        _set_partners(proposal, partners)
    attachments_store(proposal, attachments, user, too_many=TOO_MANY_ATTACHMENTS)
    return proposal


@transaction.atomic
def proposal_submit(*, proposal: SolutionProposal, user) -> SolutionProposal:
    """Send the proposal to the challenge owner; refused, with the reason, once the challenge
    is closed to proposals."""
    proposal = (
        SolutionProposal.objects.select_for_update(of=("self",))
        .select_related("challenge", "lead")
        .get(pk=proposal.pk)
    )
    challenge = InnovationChallenge.objects.select_for_update().get(pk=proposal.challenge_id)
    reason = closed_reason(challenge)
    refuse_unless(reason is None, reason or "")
    refuse_unless(proposal.status == Status.DRAFT, _("This proposal is submitted already."))
    _check_consortium(challenge, proposal.lead, [p.organisation for p in proposal.partners.all()])
    proposal.status = Status.SUBMITTED
    proposal.submitted_by = user
    proposal.submitted_at = timezone.now()
    proposal.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    emails.proposal_submitted(proposal)
    return proposal


@transaction.atomic
def proposal_withdraw(*, proposal: SolutionProposal, user) -> SolutionProposal:
    refuse_unless(
        proposal.status in (Status.DRAFT, Status.SUBMITTED),
        _("A proposal that was decided on cannot be withdrawn."),
    )
    proposal.status = Status.WITHDRAWN
    proposal.save(update_fields=["status", "updated_at"])
    return proposal


@transaction.atomic
def proposal_select(*, proposal: SolutionProposal, user, note: str = "") -> SolutionProposal:
    """The owner selects one proposal (the one selected before, if any, goes back to
    submitted); its consortium joins the project's team."""
    challenge = InnovationChallenge.objects.select_for_update().get(pk=proposal.challenge_id)
    refuse_unless(
        permissions.can_select_proposal(user, challenge),
        _("Proposals are selected by the owner's administrators, after the proposals stage."),
    )
    refuse_unless(
        challenge.stage == process.SELECTION,
        _("Pass the gate into the selection first (the proposals are assessed before)."),
    )
    proposal = SolutionProposal.objects.select_for_update().get(pk=proposal.pk)
    refuse_unless(
        proposal.status in (Status.SUBMITTED, Status.SELECTED),
        _("Only a submitted proposal can be selected."),
    )
    challenge.proposals.filter(status=Status.SELECTED).exclude(pk=proposal.pk).update(
        status=Status.SUBMITTED, decided_at=None
    )
    proposal.status = Status.SELECTED
    proposal.decided_at = timezone.now()
    proposal.decision_note = note
    proposal.save(update_fields=["status", "decided_at", "decision_note", "updated_at"])
    emails.proposal_decided(proposal)
    return proposal


proposal_attachment_delete = _shared.attachment_delete
