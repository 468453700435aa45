"""The outcomes demo data: real published shares with their source, the illustrative ones
marked, loaded twice without a duplicate."""

from __future__ import annotations

from decimal import Decimal

import pytest

from outcomes import demo
from outcomes.models import Contribution, ContributionSource, ExchangeRate, FunnelStep
from tenders.models import Award
from tests.factories import InfrastructureFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_demo_is_idempotent_and_names_its_sources():
    cern = InfrastructureFactory(slug="cern", acronym="CERN", member_states=list(demo.CERN_2009))
    f4e = InfrastructureFactory(slug="f4e", acronym="F4E")
    OrganisationFactory(name="NordCryo ApS (demo)", slug="demo-nordcryo-aps", country="DK")
    demo.load()
    counts = (
        Contribution.objects.count(),
        ContributionSource.objects.count(),
        ExchangeRate.objects.count(),
        Award.objects.count(),
        FunnelStep.objects.count(),
    )
    demo.load()
    assert (
        Contribution.objects.count(),
        ContributionSource.objects.count(),
        ExchangeRate.objects.count(),
        Award.objects.count(),
        FunnelStep.objects.count(),
    ) == counts

    cern_2009 = Contribution.objects.filter(infrastructure=cern, year=2009)
    assert sum(c.share_percent for c in cern_2009) == Decimal("100.00")
    assert cern_2009.get(country="DE").share_percent == Decimal("19.88")
    source = cern_2009.first().source
    assert "Facts and figures 2009" in source.title and not source.illustrative
    assert ContributionSource.objects.get(infrastructure=f4e).illustrative
    # the Danish demo company won a CERN demo award: it is in its funnel
    assert FunnelStep.objects.filter(company__slug="demo-nordcryo-aps", kind="awarded").exists()
