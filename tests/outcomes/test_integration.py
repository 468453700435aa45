"""A TED award notice imported through the real import path moves the winner's funnel, counts
for its country's return and shows on its cluster's dashboard."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from organisations.models import Decision, Membership, Organisation
from outcomes import industrial_return as ir
from outcomes import selectors
from outcomes.models import FunnelStep
from tenders import importers
from tenders.models import Award
from tests.factories import (
    ClusterFactory,
    ClusterMembershipFactory,
    ContributionFactory,
    ContributionSourceFactory,
    InfrastructureFactory,
    MembershipFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

#: a real F03 contract award notice: the European Commission's Joint Research Centre (Ispra)
#: awards John Wiley and Sons Ltd (GB) 800,000 EUR, concluded on 6 July 2021
NOTICE = "21-357646-001-EXP.xml"


def test_an_imported_award_notice_moves_the_winner_to_awarded(client):
    path = Path(settings.REFERENCE_DATA_DIR) / "ted-notices" / NOTICE
    # The directory knows the buyer (by its acronym) and the winner (by name and country).
    jrc = InfrastructureFactory(
        name="Joint Research Centre", acronym="JRC", country="IT", member_states=["GB", "IT", "FR"]
    )
    source = ContributionSourceFactory(infrastructure=jrc, title="Hand-made shares of a test")
    for country, share in (("GB", 20), ("IT", 30), ("FR", 50)):
        ContributionFactory(source=source, country=country, year=2021, share_percent=Decimal(share))
    wiley = OrganisationFactory(
        kind=Organisation.Kind.LARGE_COMPANY, name="John Wiley and Sons Ltd", country="GB"
    )
    cluster = ClusterFactory(name="Publishers' Cluster")
    ClusterMembershipFactory(cluster=cluster, member=wiley, status=Decision.APPROVED)
    manager = MembershipFactory(organisation=cluster, role=Membership.Role.ADMIN).user

    outcome = importers.ted_files_import(paths=[path])[0]

    assert outcome.ok, outcome.reason
    award = Award.objects.get(call_id=outcome.call_id)
    assert award.call.buyer == jrc
    step = FunnelStep.objects.get(company=wiley, call_id=outcome.call_id)
    assert step.kind == FunnelStep.Kind.AWARDED
    assert step.value_amount == Decimal("800000.00")
    assert step.occurred_at.date().isoformat() == "2021-07-06"

    # the company's funnel with that call is at "awarded"
    client.force_login(MembershipFactory(organisation=wiley).user)
    page = client.get(reverse("outcomes:call_steps", args=[wiley.slug, outcome.call_id]))
    assert "Stage reached: Awarded." in page.content.decode()

    # the value counts for the United Kingdom's return in 2021
    period = selectors.Period(
        award.date.replace(month=1, day=1), award.date.replace(month=12, day=31)
    )
    figures = selectors.industrial_return(infrastructure=jrc, period=period, bands=ir.Bands())
    gb = figures["result"].row("GB")
    assert gb.awarded_eur == Decimal("800000.00")
    assert gb.coefficient == Decimal("5.00")  # all of the value for a fifth of the contributions
    assert figures["result"].row("IT").band == ir.VERY_POORLY_BALANCED

    # and shows on the cluster's dashboard
    client.force_login(manager)
    response = client.get(
        reverse("outcomes:cluster_dashboard", args=[cluster.slug]),
        {"start": "2021-01-01", "end": "2021-12-31"},
    )
    funnel = response.context["data"]
    assert funnel["totals"]["wins"] == 1
    assert funnel["values"]["won"] == Decimal("800000.00")
    assert "John Wiley and Sons Ltd" in response.content.decode()

    # a second import of the same notice changes nothing
    again = importers.ted_files_import(paths=[path])[0]
    assert again.action == "unchanged"
    assert FunnelStep.objects.filter(company=wiley).count() == 1
