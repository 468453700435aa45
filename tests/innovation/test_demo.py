"""The demo innovation data: the seed stories load with real organisations, a rerun changes
nothing, and the engine's top companies for DESY's demo technology offer make sense, each with
reasons in words."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict

from innovation import demo, models, process, services
from innovation.models import (
    InnovationChallenge,
    OpportunityMatch,
    OpportunityMatchRun,
    PartnershipOpportunity,
    SolutionProposal,
)
from innovation.reasons import opportunity_reasons
from matchmaking.selectors import cpv_labels

pytestmark = pytest.mark.django_db

EXPECTED_TOP = [
    "Volttech AG (demo)",
    "Megawavesystems S.L. (demo)",
    "Klystrotech AB (demo)",
    "Resonantinstruments A/S (demo)",
    "Megawaveworks A/S (demo)",
]

MODELS = [
    models.PartnershipOpportunity,
    models.InnovationChallenge,
    models.SolutionProposal,
    models.ProposalPartner,
    models.ChallengeDeliverable,
    models.GateDecision,
]


def _snapshot():
    return {m.__name__: [model_to_dict(o) for o in m.objects.order_by("pk")] for m in MODELS}


@pytest.fixture
def loaded(db):
    from organisations import demo as org_demo

    org_demo.load()
    demo.load()


def test_the_seed_stories_load_once(loaded):
    first = _snapshot()
    demo.load()
    assert _snapshot() == first
    desy = PartnershipOpportunity.objects.get(title=demo.DESY_OFFER_TITLE)
    inven2 = PartnershipOpportunity.objects.get(title=demo.INVEN2_OFFER_TITLE)
    assert desy.organisation.slug == "desy" and inven2.organisation.slug == "inven2"
    assert set(PartnershipOpportunity.objects.public()) >= {desy, inven2}
    challenge = InnovationChallenge.objects.get(slug=demo.CHALLENGE_SLUG)
    assert challenge.owner.name == "Albertslund Kommune"
    assert challenge.stage == process.PILOT
    assert challenge.proposals.count() == 2
    selected = challenge.proposals.get(status=SolutionProposal.Status.SELECTED)
    assert [p.organisation.slug for p in selected.partners.all()] == ["dtu"]
    # half-way through the pilot: two of its three deliverables done, the report missing
    missing = process.missing(process.PILOT, services.done_keys(challenge))
    assert [d.key for d in missing] == ["pilot_report"]
    assert challenge.gate_decisions.count() == 4


def test_the_top_companies_for_the_desy_offer(loaded):
    desy = PartnershipOpportunity.objects.get(title=demo.DESY_OFFER_TITLE)
    run = OpportunityMatchRun.objects.create(kind="opportunity", target_id=desy.pk)
    services.run_execute(run=run)
    top = list(
        OpportunityMatch.objects.filter(opportunity=desy)
        .select_related("company")
        .order_by("rank")[:5]
    )
    # the RF-and-power demo companies: they build low-level RF electronics, RF amplifiers
    # and modulators, what the LLRF offer is about
    assert [m.company.name for m in top] == EXPECTED_TOP
    labels = cpv_labels()
    for m in top:
        reasons = opportunity_reasons(
            m.components,
            audience="officer",
            noun=desy.noun,
            company_name=m.company.name,
            labels=labels,
        )
        assert len(reasons) >= 2, m.company.name
        assert all(m.company.name in reason for reason in reasons[:2])
        assert any("RF" in reason for reason in reasons), reasons
