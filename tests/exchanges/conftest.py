"""The people and clusters of the exchanges tests.

BigScience.dk-like host cluster ``host`` with its manager; a guest cluster ``guest`` (open to by
the exchange) with its manager and a member company whose user applies; a third cluster
``third`` with its manager and a member company (not eligible unless a partnership opens it);
an infrastructure ``ess`` to visit; another organisation's user and staff.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import factory
import pytest
from django.utils import timezone

from exchanges.models import Application, Exchange
from organisations.models import Decision, Membership
from tests.factories import (
    ClusterFactory,
    ClusterMembershipFactory,
    InfrastructureFactory,
    MembershipFactory,
    OrganisationFactory,
    StaffFactory,
)


def member(organisation, role=Membership.Role.EDITOR, **user):
    kwargs = {f"user__{k}": v for k, v in user.items()}
    return MembershipFactory(organisation=organisation, role=role, **kwargs).user


def company_of(cluster, **fields):
    company = OrganisationFactory(**fields)
    ClusterMembershipFactory(cluster=cluster, member=company, status=Decision.APPROVED)
    return company


class ExchangeFactory(factory.django.DjangoModelFactory):
    """A published ClusterXchange in 30 days; ``eligible_clusters=[...]`` opens it."""

    class Meta:
        model = Exchange
        skip_postgeneration_save = True

    kind = Exchange.Kind.CLUSTER_XCHANGE
    title = factory.Sequence(lambda n: f"Exchange to a neutron source {n}")
    slug = factory.Sequence(lambda n: f"exchange-{n}")
    host_cluster = factory.SubFactory(ClusterFactory)
    theme = "Neutron science instrumentation"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + timedelta(days=2))
    places = 10
    covered = "Travel and two nights' accommodation"
    status = Exchange.Status.PUBLISHED

    @factory.post_generation
    def eligible_clusters(self, create, extracted, **kwargs):
        if create and extracted:
            self.eligible_clusters.set(extracted)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    exchange = factory.SubFactory(ExchangeFactory)
    applicant = factory.LazyAttribute(lambda o: member(o.organisation))
    organisation = factory.SubFactory(OrganisationFactory)
    motivation = "We build neutron choppers and want to meet the instrument teams."


@pytest.fixture
def clusters(db):
    """The clusters, their managers and member companies (see the module)."""
    host = ClusterFactory(name="Host Cluster", country="DK")
    guest = ClusterFactory(name="Guest Cluster", country="LT")
    third = ClusterFactory(name="Third Cluster", country="ES")
    ess = InfrastructureFactory(name="Neutron Source", acronym="NS", country="SE")
    guest_company = company_of(guest, name="Guest Optics UAB", country="LT")
    third_company = company_of(third, name="Third Vacuum SL", country="ES")
    outsider_org = OrganisationFactory(name="Elsewhere GmbH", country="DE")
    return SimpleNamespace(
        host=host,
        guest=guest,
        third=third,
        ess=ess,
        guest_company=guest_company,
        third_company=third_company,
        host_manager=member(host, Membership.Role.ADMIN),
        guest_manager=member(guest, Membership.Role.ADMIN),
        third_manager=member(third, Membership.Role.ADMIN),
        applicant=member(guest_company),
        third_applicant=member(third_company),
        other_org=member(outsider_org),
        staff=StaffFactory(),
    )


@pytest.fixture
def exchange(clusters):
    exchange = ExchangeFactory(host_cluster=clusters.host, eligible_clusters=[clusters.guest])
    exchange.host_organisations.set([clusters.ess])
    return exchange
