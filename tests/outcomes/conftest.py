"""The people of the outcomes tests: a company in a cluster, that cluster's manager, another
cluster's manager, a liaison officer of the buyer, someone of another organisation, staff."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from organisations.models import Decision, Membership
from tests.factories import (
    AwardFactory,
    BrokerageEventFactory,
    ClusterFactory,
    ClusterMembershipFactory,
    ContributionFactory,
    ContributionSourceFactory,
    ExpressionOfInterestFactory,
    FunnelStepFactory,
    InfrastructureFactory,
    MembershipFactory,
    OrganisationFactory,
    ProcurementCallFactory,
    StaffFactory,
)


@pytest.fixture
def world(db):
    buyer = InfrastructureFactory(
        name="European Lab", acronym="EL", country="CH", member_states=["DK", "DE", "FR"]
    )
    company = OrganisationFactory(name="NordVac ApS", country="DK")
    cluster = ClusterFactory(name="Cluster North")
    ClusterMembershipFactory(cluster=cluster, member=company, status=Decision.APPROVED)
    other_cluster = ClusterFactory(name="Cluster South")
    call = ProcurementCallFactory(buyer=buyer, title="Cryostat for a test stand")
    eoi = ExpressionOfInterestFactory(call=call, organisation=company)
    bid = FunnelStepFactory(
        company=company, call=call, value_amount=Decimal("125000"), value_shared=False
    )
    past = ProcurementCallFactory(buyer=buyer, title="Vacuum chambers", status="awarded")
    AwardFactory(
        call=past,
        supplier=company,
        supplier_name=company.name,
        supplier_country="DK",
        value_amount=Decimal("400000"),
        date=bid.occurred_at.date(),
    )
    source = ContributionSourceFactory(infrastructure=buyer)
    for country, share in (("DK", 10), ("DE", 50), ("FR", 40)):
        ContributionFactory(source=source, country=country, share_percent=Decimal(share))
    event = BrokerageEventFactory(organisers=[cluster])
    users = {
        "anonymous": None,
        "other_org": MembershipFactory(organisation=OrganisationFactory(name="Elsewhere")).user,
        "company": MembershipFactory(organisation=company).user,
        "cluster_manager": MembershipFactory(organisation=cluster, role=Membership.Role.ADMIN).user,
        "other_cluster_manager": MembershipFactory(
            organisation=other_cluster, role=Membership.Role.ADMIN
        ).user,
        "officer": MembershipFactory(organisation=buyer).user,
        "staff": StaffFactory(),
    }
    return SimpleNamespace(
        buyer=buyer,
        company=company,
        cluster=cluster,
        other_cluster=other_cluster,
        call=call,
        past=past,
        eoi=eoi,
        bid=bid,
        event=event,
        users=users,
    )
