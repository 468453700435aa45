"""The demo 360 Xchange: BigScience.dk hosting with LITEK to ESS; a rerun changes nothing."""

from __future__ import annotations

import pytest

from events.models import Event, Registration
from exchanges import demo, selectors
from exchanges.models import AgendaItem, Application, Exchange, Partnership
from organisations import demo as organisations_demo
from organisations.models import Organisation

pytestmark = pytest.mark.django_db


def _counts():
    return [
        m.objects.count()
        for m in (Exchange, AgendaItem, Application, Partnership, Event, Registration, Organisation)
    ]


def test_the_demo_360_xchange_loads_once_with_real_clusters_and_a_demo_company():
    organisations_demo.load()
    demo.load()
    first = _counts()
    demo.load()
    assert _counts() == first

    exchange = Exchange.objects.get(slug=demo.EXCHANGE_SLUG)
    assert exchange.is_360 and exchange.host_cluster.slug == "bigsciencedk"
    assert [o.slug for o in exchange.host_organisations.all()] == ["ess"]
    assert Partnership.objects.get(proposer__slug="bigsciencedk", partner__slug="litek").is_active()
    items = selectors.agenda(exchange)
    assert [i.event.kind if i.event else None for i in items] == [
        None,
        Event.Kind.FACILITY_VISIT,
        Event.Kind.CONFERENCE,
        Event.Kind.CONFERENCE,
    ]
    assert items[-1].event.is_brokerage
    application = Application.objects.get(exchange=exchange)
    assert application.status == Application.Status.ACCEPTED
    assert application.organisation.is_demo and "(demo)" in application.organisation.name
    assert application.registrations.count() == 3


def test_the_story_accounts_the_readme_names_log_in_with_the_demo_password(client, settings):
    """README: the exchanges demo's accounts, password demo-portal-2026, into their area."""
    from django.urls import reverse

    from innovation import demo as innovation_demo

    settings.DEMO_ACCOUNTS_PUBLISHED_PASSWORD = True
    organisations_demo.load()
    innovation_demo.load()
    demo.load()
    emails = [email for email, *_ in demo.ACCOUNTS] + [e for e, *_ in innovation_demo.ACCOUNTS]
    for email in emails:
        client.logout()
        response = client.post(
            reverse("account_login"),
            {"login": email, "password": organisations_demo.DEMO_PASSWORD},
        )
        assert response.status_code == 302 and response["Location"] == reverse("core:dashboard"), (
            email,
            response.get("Location"),
        )
