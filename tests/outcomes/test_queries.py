"""Each dashboard and export runs the same number of SQL queries with a few rows as with many,
and for a short period as for a long one (the figures are grouped queries, not one per row)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organisations.models import Decision
from tests.factories import (
    AwardFactory,
    ClusterMembershipFactory,
    ExpressionOfInterestFactory,
    FunnelStepFactory,
    MatchFactory,
    MeetingFactory,
    MeetingRequestFactory,
    OrganisationFactory,
    ProcurementCallFactory,
)

pytestmark = pytest.mark.django_db

PAGES = [
    ("company", lambda w: reverse("outcomes:company_pipeline", args=[w.company.slug])),
    ("cluster_manager", lambda w: reverse("outcomes:cluster_dashboard", args=[w.cluster.slug])),
    (
        "cluster_manager",
        lambda w: reverse("outcomes:cluster_export", args=[w.cluster.slug, "csv"]),
    ),
    (
        "cluster_manager",
        lambda w: reverse("outcomes:cluster_export", args=[w.cluster.slug, "xlsx"]),
    ),
    ("officer", lambda w: reverse("outcomes:infrastructure_dashboard", args=[w.buyer.slug])),
    ("officer", lambda w: reverse("outcomes:industrial_return", args=[w.buyer.slug])),
    ("officer", lambda w: reverse("outcomes:return_export", args=[w.buyer.slug, "csv"])),
    ("cluster_manager", lambda w: reverse("outcomes:event_outcomes", args=[w.event.slug])),
    ("staff", lambda w: reverse("outcomes:portal_health")),
]
PERIODS = [{}, {"start": "2015-01-01", "end": timezone.localdate().isoformat()}]


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(w, n: int) -> None:
    """n more members of the cluster, each with a recommendation, interest, a bid and a win,
    n more calls of the buyer, in different years and currencies, and n more meeting requests
    and meetings at the event."""
    now = timezone.now()
    for i in range(n):
        MeetingRequestFactory(requester__event=w.event)
        MeetingFactory(request__requester__event=w.event, slot=i)
        member = OrganisationFactory(name=f"Member {i} ApS", country=["DK", "DE", "FR"][i % 3])
        ClusterMembershipFactory(cluster=w.cluster, member=member, status=Decision.APPROVED)
        call = ProcurementCallFactory(buyer=w.buyer, title=f"More call {i}")
        MatchFactory(company=member, call=call)
        MatchFactory(company=w.company, call=call)
        ExpressionOfInterestFactory(call=call, organisation=member)
        FunnelStepFactory(
            company=member,
            call=call,
            occurred_at=now - timedelta(days=400 * i),
            value_amount=Decimal(1000 * (i + 1)),
            value_currency=["EUR", "CHF"][i % 2],
        )
        AwardFactory(
            call=call,
            supplier=member,
            supplier_name=member.name,
            supplier_country=member.country,
            value_amount=Decimal(50000 * (i + 1)),
            value_currency=["EUR", "CHF"][i % 2],
            date=(now - timedelta(days=400 * i)).date(),
        )


@pytest.mark.parametrize(("role", "url"), PAGES)
def test_queries_do_not_grow_with_rows_or_period(client, world, role, url):
    client.force_login(world.users[role])
    target = url(world)
    few = [_queries(client, target, params) for params in PERIODS]
    _grow(world, 6)
    many = [_queries(client, target, params) for params in PERIODS]
    assert many == few
    assert few[0] == few[1]


@pytest.mark.parametrize("role", ["company", "cluster_manager"])
def test_steps_page_queries_do_not_grow_with_steps(client, world, role):
    """The value cell of each step asks whether the user may see it: the step's company and
    call come with the steps, not one query per row."""
    client.force_login(world.users[role])
    url = reverse("outcomes:call_steps", args=[world.company.slug, world.call.pk])

    def step(i):
        FunnelStepFactory(
            company=world.company,
            call=world.call,
            kind="lost" if i % 2 else "withdrawn",
            value_amount=Decimal(1000 * (i + 1)),
            value_shared=bool(i % 2),
        )

    step(1)  # a shared value: the cluster manager's look-up is made once
    few = _queries(client, url, {})
    for i in range(5):
        step(i)
    assert _queries(client, url, {}) == few
