"""Factories of the innovation app (re-exported by tests.factories).

offer = OpportunityFactory()                         # published, public, valid a year
draft = OpportunityFactory(draft=True)               # a draft of a new organisation
challenge = ChallengeFactory()                       # a municipality's, open for proposals
proposal = ProposalFactory(challenge=challenge, partners=[university])   # submitted
"""

from datetime import timedelta

import factory
from django.utils import timezone

from innovation import process
from innovation.models import (
    ChallengeDeliverable,
    GateDecision,
    InnovationChallenge,
    Interest,
    OpportunityAttachment,
    OpportunityMatch,
    OpportunitySearch,
    PartnershipOpportunity,
    ProposalPartner,
    SolutionProposal,
)
from innovation.signals import interest_expressed
from organisations.models import Organisation

from .organisations import OrganisationFactory

__all__ = [
    "ChallengeFactory",
    "DeliverableFactory",
    "GateDecisionFactory",
    "InterestFactory",
    "MunicipalityFactory",
    "OpportunityAttachmentFactory",
    "OpportunityFactory",
    "OpportunityMatchFactory",
    "OpportunitySearchFactory",
    "ProposalFactory",
    "ProposalPartnerFactory",
    "UniversityFactory",
]


class UniversityFactory(OrganisationFactory):
    kind = Organisation.Kind.UNIVERSITY
    name = factory.Sequence(lambda n: f"University {n}")
    slug = factory.Sequence(lambda n: f"university-{n}")
    size_class = ""
    capabilities = ""


class MunicipalityFactory(OrganisationFactory):
    """A public authority, approved (as code with staff's authority creates it)."""

    kind = Organisation.Kind.PUBLIC_AUTHORITY
    name = factory.Sequence(lambda n: f"Municipality {n}")
    slug = factory.Sequence(lambda n: f"municipality-{n}")
    size_class = ""
    capabilities = ""


class OpportunityFactory(factory.django.DjangoModelFactory):
    """A published public technology offer of a university, valid for a year
    (``draft=True``: a draft never published)."""

    class Meta:
        model = PartnershipOpportunity
        skip_postgeneration_save = True

    class Params:
        draft = factory.Trait(
            status=PartnershipOpportunity.Status.DRAFT,
            published_at=None,
            expires_on=None,
            reference="",
        )

    kind = PartnershipOpportunity.Kind.TECHNOLOGY_OFFER
    title = factory.Sequence(lambda n: f"Cryogenic valve technology {n}")
    summary = "A compact cryogenic valve for helium at 4 K, for licensing or co-development."
    description = "Cryogenic valves and helium transfer lines for accelerators."
    organisation = factory.SubFactory(UniversityFactory)
    trl = 5
    partnership_types = "licence,co_development"
    status = PartnershipOpportunity.Status.PUBLISHED
    visibility = PartnershipOpportunity.Visibility.PUBLIC
    published_at = factory.LazyFunction(timezone.now)
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))
    reference = factory.Sequence(lambda n: f"TODK20260101{n:03d}")

    @factory.post_generation
    def cpv_codes(self, create, extracted, **kwargs):
        """CPV codes by code (``cpv_codes=["42131000"]``)."""
        if create and extracted:
            self.cpv_codes.set(extracted)


class OpportunityAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpportunityAttachment

    opportunity = factory.SubFactory(OpportunityFactory)
    title = "Flyer"
    file = factory.django.FileField(filename="flyer.pdf", data=b"%PDF-1.4 flyer")
    size = 14


class InterestFactory(factory.django.DjangoModelFactory):
    """An interest as ``interest_express`` leaves it: its conversation open with its message
    first (the apps above react to ``interest_expressed``); ``expressed=False`` for one made
    without the service (the admin, a row before the conversations moved)."""

    class Meta:
        model = Interest
        skip_postgeneration_save = True

    opportunity = factory.SubFactory(OpportunityFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    message = "We would like to license this for our valves."

    @factory.post_generation
    def expressed(self, create, extracted, **kwargs):
        if create and extracted is not False:
            interest_expressed.send(sender=Interest, interest=self, user=self.submitted_by)


class OpportunitySearchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpportunitySearch

    name = "Cryogenic offers"
    querystring = "q=cryogenic"
    frequency = OpportunitySearch.Frequency.DAILY


class OpportunityMatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpportunityMatch

    opportunity = factory.SubFactory(OpportunityFactory)
    company = factory.SubFactory(OrganisationFactory)
    score = 0.42
    rank = 1
    components = factory.LazyFunction(list)
    engine_version = "test"
    computed_at = factory.LazyFunction(timezone.now)


class ChallengeFactory(factory.django.DjangoModelFactory):
    """A municipality's challenge, open for proposals for 30 days (``stage=process.NEED``:
    a draft)."""

    class Meta:
        model = InnovationChallenge
        skip_postgeneration_save = True

    owner = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Energy-efficient school buildings {n}")
    slug = factory.Sequence(lambda n: f"challenge-{n}")
    summary = "Cut the heat demand of our schools without new boilers."
    need = "Our schools use too much energy; we want data-driven control of heating."
    goal = "energy_efficiency"
    proposals_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    stage = process.OPEN
    published_at = factory.LazyFunction(timezone.now)


class ProposalFactory(factory.django.DjangoModelFactory):
    """A submitted proposal led by a company (``partners=[org, ...]``)."""

    class Meta:
        model = SolutionProposal
        skip_postgeneration_save = True

    challenge = factory.SubFactory(ChallengeFactory)
    lead = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Smart heating pilot {n}")
    summary = "Sensors and a control model for three schools."
    approach = "We install sensors, learn the buildings' response and control the heating."
    status = SolutionProposal.Status.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        if create and extracted:
            for org in extracted:
                ProposalPartner.objects.create(proposal=self, organisation=org)


class ProposalPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProposalPartner

    proposal = factory.SubFactory(ProposalFactory)
    organisation = factory.SubFactory(UniversityFactory)


class DeliverableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChallengeDeliverable

    challenge = factory.SubFactory(ChallengeFactory)
    key = "need_statement"
    stage = process.NEED


class GateDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GateDecision

    challenge = factory.SubFactory(ChallengeFactory)
    from_stage = process.NEED
    to_stage = process.OPEN
    decision = process.GO
    reasons = "The need is clear and the budget approved."
