"""Challenges, their gates and proposals through the services: a gate cannot be skipped nor
passed with a required deliverable missing, each decision is recorded (who, when, decision,
reasons) and mailed to the team; a proposal to a closed challenge is refused with the reason; a
consortium proposal lists all partners, each of whom can see it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from bigscience_portal.core.errors import ActionRefused
from bigscience_portal.core.models import MailDelivery
from innovation import permissions, process, services
from innovation.models import GateDecision, InnovationChallenge, SolutionProposal
from tests.factories import ChallengeFactory, DeliverableFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def _tick_all(challenge, user):
    keys = {d.key for d in process.checklist(challenge.stage) if not d.computed}
    services.deliverables_set(challenge=challenge, user=user, done=keys)


def test_a_gate_cannot_be_skipped(municipality, city_admin):
    challenge = ChallengeFactory(owner=municipality, stage=process.OPEN)
    _tick_all(challenge, city_admin)
    with pytest.raises(ActionRefused, match="Selection cannot be reached now"):
        services.gate_pass(
            challenge=challenge,
            user=city_admin,
            to_stage=process.SELECTION,
            decision=process.GO,
            reasons="Skip the proposals.",
        )
    challenge.refresh_from_db()
    assert challenge.stage == process.OPEN
    assert not GateDecision.objects.filter(challenge=challenge).exists()


def test_a_gate_is_not_passed_with_a_required_deliverable_missing(municipality, city_admin):
    challenge = ChallengeFactory(owner=municipality, stage=process.PROPOSALS)
    services.deliverables_set(challenge=challenge, user=city_admin, done={"proposals_assessed"})
    # no proposal was received: a computed deliverable that cannot be ticked by hand
    with pytest.raises(ActionRefused, match="At least one solution proposal received"):
        services.gate_pass(
            challenge=challenge,
            user=city_admin,
            to_stage=process.SELECTION,
            decision=process.GO,
            reasons="Go.",
        )
    with pytest.raises(ActionRefused, match="Only the deliverables of the current stage"):
        services.deliverables_set(
            challenge=challenge, user=city_admin, done={process.PROPOSALS_RECEIVED}
        )
    assert InnovationChallenge.objects.get(pk=challenge.pk).stage == process.PROPOSALS


def test_a_gate_passed_is_recorded_and_mailed_to_the_team(
    municipality, city_admin, city_editor, company, company_user
):
    challenge = ChallengeFactory(owner=municipality, stage=process.SELECTION)
    ProposalFactory(challenge=challenge, lead=company, status=SolutionProposal.Status.SELECTED)
    other = ProposalFactory(challenge=challenge)
    _tick_all(challenge, city_editor)
    decision = services.gate_pass(
        challenge=challenge,
        user=city_admin,
        to_stage=process.PILOT,
        decision=process.GO,
        reasons="The data-sharing agreement is signed.",
    )
    assert (decision.from_stage, decision.to_stage, decision.decision) == (
        process.SELECTION,
        process.PILOT,
        process.GO,
    )
    assert decision.decided_by == city_admin and decision.decided_at is not None
    assert {row["key"] for row in decision.checklist if row["done"]} >= {
        "data_sharing_agreement",
        "gdpr_security_check",
        process.PROPOSAL_SELECTED,
    }
    assert InnovationChallenge.objects.get(pk=challenge.pk).stage == process.PILOT
    # the proposal that was not selected is told so
    assert SolutionProposal.objects.get(pk=other.pk).status == SolutionProposal.Status.NOT_SELECTED
    told = set(MailDelivery.objects.filter(key__contains="gate").values_list("to", flat=True))
    assert {city_admin.email, city_editor.email, company_user.email} <= told


def test_only_the_owners_admins_decide_at_a_gate(municipality, city_editor, staff):
    challenge = ChallengeFactory(owner=municipality, stage=process.NEED, published_at=None)
    for user in (city_editor, staff):
        with pytest.raises(ActionRefused, match="administrators decide"):
            services.gate_pass(
                challenge=challenge,
                user=user,
                to_stage=process.OPEN,
                decision=process.GO,
                reasons="Open it.",
            )


def test_a_stop_ends_the_process_whatever_is_missing(municipality, city_admin):
    challenge = ChallengeFactory(owner=municipality, stage=process.PILOT)
    services.gate_pass(
        challenge=challenge,
        user=city_admin,
        to_stage=process.EVALUATION,
        decision=process.STOP,
        reasons="The pilot sites fell through.",
    )
    challenge.refresh_from_db()
    assert challenge.stage == process.STOPPED
    with pytest.raises(ActionRefused, match="nothing is left to tick"):
        services.deliverables_set(challenge=challenge, user=city_admin, done=set())


def test_opening_needs_the_need_stage_checklist(municipality, city_admin):
    challenge = ChallengeFactory(owner=municipality, stage=process.NEED, published_at=None)
    DeliverableFactory(challenge=challenge, key="need_statement")
    with pytest.raises(ActionRefused, match="Budget and timeline approved"):
        services.gate_pass(
            challenge=challenge,
            user=city_admin,
            to_stage=process.OPEN,
            decision=process.GO,
            reasons="Open it.",
        )
    _tick_all(challenge, city_admin)
    services.gate_pass(
        challenge=challenge,
        user=city_admin,
        to_stage=process.OPEN,
        decision=process.GO,
        reasons="Open it.",
    )
    challenge.refresh_from_db()
    assert challenge.stage == process.OPEN and challenge.published_at is not None


FIELDS = {
    "title": "Sensors and a control model",
    "summary": "Three schools, one winter.",
    "approach": "We measure, learn and control the heating.",
}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"proposals_deadline": timezone.now() - timedelta(hours=1)}, "closed to proposals on"),
        ({"stage": process.SELECTION}, "closed to proposals: it is at the selection stage"),
        ({"stage": process.NEED}, "not open yet"),
    ],
)
def test_a_proposal_to_a_closed_challenge_is_refused_with_the_reason(
    municipality, company, company_user, change, reason
):
    challenge = ChallengeFactory(owner=municipality, **change)
    with pytest.raises(ActionRefused, match=reason):
        services.proposal_create(
            challenge=challenge, lead=company, user=company_user, fields=FIELDS
        )
    assert not SolutionProposal.objects.filter(challenge=challenge).exists()


def test_a_consortium_proposal_lists_all_partners_each_of_whom_can_see_it(
    municipality,
    city_admin,
    company,
    company_user,
    university,
    university_user,
    tto,
    tto_editor,
    outsider,
):
    challenge = ChallengeFactory(owner=municipality)
    proposal = services.proposal_create(
        challenge=challenge,
        lead=company,
        user=company_user,
        fields=FIELDS,
        partners=[university, tto],
    )
    assert {p.organisation for p in proposal.partners.all()} == {university, tto}
    for partner in (company_user, university_user, tto_editor):
        assert permissions.can_view_proposal(partner, proposal)
    # the owner sees it once it is submitted, nobody else ever
    assert not permissions.can_view_proposal(city_admin, proposal)
    services.proposal_submit(proposal=proposal, user=company_user)
    proposal.refresh_from_db()
    assert permissions.can_view_proposal(city_admin, proposal)
    assert not permissions.can_view_proposal(outsider, proposal)


def test_the_owner_cannot_answer_its_own_challenge(municipality, city_editor):
    challenge = ChallengeFactory(owner=municipality)
    with pytest.raises(ActionRefused, match="owner cannot answer"):
        services.proposal_create(
            challenge=challenge, lead=municipality, user=city_editor, fields=FIELDS
        )


def test_a_scale_up_opens_a_procurement_call_linked_to_the_challenge(municipality, city_admin):
    from organisations.models import CPVCode
    from tenders.models import ProcurementCall

    challenge = ChallengeFactory(owner=municipality, stage=process.PROCUREMENT)
    codes = list(CPVCode.objects.filter(code__in=["38550000", "71314200"]).order_by("code"))
    call = services.procurement_open(
        challenge=challenge,
        user=city_admin,
        buyer=municipality,
        fields={"title": "Smart heating for all schools", "description": "Roll-out."},
        cpv_codes=codes,
    )
    challenge.refresh_from_db()
    assert challenge.procurement_call == call
    assert call.buyer == municipality and call.status == ProcurementCall.Status.DRAFT
    assert process.PROCUREMENT_CALL in services.done_keys(challenge)
    # once only
    with pytest.raises(ActionRefused):
        services.procurement_open(
            challenge=challenge,
            user=city_admin,
            buyer=municipality,
            fields={"title": "Again", "description": "Again."},
        )
