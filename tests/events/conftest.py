"""The people of the events tests: an organiser, an outsider, staff, an SME and an
infrastructure with a member each, a workshop and a B2B event (built by ``tests.factories``)."""

from __future__ import annotations

import pytest

from organisations.models import Membership, Organisation
from tests.factories import (
    BrokerageEventFactory,
    EventFactory,
    InfrastructureFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
    StaffFactory,
)


@pytest.fixture
def organiser_org(db):
    return OrganisationFactory(kind=Organisation.Kind.CLUSTER, name="Organising Cluster")


@pytest.fixture
def organiser(organiser_org):
    return MembershipFactory(organisation=organiser_org, role=Membership.Role.EDITOR).user


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def outsider(db):
    """A user of another organisation, neither organiser nor participant."""
    return MembershipFactory(organisation=OrganisationFactory(name="Elsewhere ApS")).user


@pytest.fixture
def sme(db):
    return OrganisationFactory(
        name="Cryo SME",
        capabilities="Cryostats and helium transfer lines for accelerators.",
    )


@pytest.fixture
def sme_user(sme):
    return MembershipFactory(organisation=sme).user


@pytest.fixture
def infra(db):
    return InfrastructureFactory(name="Fusion Lab", capabilities="")


@pytest.fixture
def ilo_user(infra):
    return MembershipFactory(organisation=infra).user


@pytest.fixture
def event(organiser_org):
    return EventFactory(organisers=[organiser_org])


@pytest.fixture
def brokerage(organiser_org):
    return BrokerageEventFactory(organisers=[organiser_org])


@pytest.fixture
def member():
    """A new member of a new organisation, as (user, organisation), for each call."""

    def make():
        org = OrganisationFactory()
        return MembershipFactory(organisation=org).user, org

    return make


@pytest.fixture
def people(brokerage):
    """Four confirmed participants of the B2B event (each from their own organisation)."""
    return [
        ParticipantFactory(event=brokerage, organisation=OrganisationFactory(name=f"{n} ApS"))
        for n in ("Alpha", "Beta", "Gamma", "Delta")
    ]
