"""The 360 Xchange journey clicked through in a real headless chromium (Debian's), with
axe-core reporting no serious or critical violation on the agenda page: BigScience.dk and
LITEK agree a partnership and set up a 360 Xchange to ESS with a B2B session; a LITEK member
applies, is accepted, and sees the agenda."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from events.models import Event, Registration
from exchanges.models import Application, Exchange, Partnership
from organisations.models import Membership
from tests.browser import log_in
from tests.factories import ClusterFactory, EventFactory, InfrastructureFactory

from .conftest import company_of, member

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _as(page, live_server, email):
    context = page.context.browser.new_context(base_url=live_server.url)
    other = context.new_page()
    other.set_default_timeout(60000)  # two CPUs shared by many test runs
    log_in(other, email)
    return other


def _no_serious_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context="#main")
    serious = [
        v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")
    ]
    assert not serious, results.generate_report()


def test_bigscience_and_litek_set_up_a_360_xchange_a_litek_member_is_accepted_and_sees_the_agenda(
    browser_page, live_server
):
    bigscience = ClusterFactory(name="BigScience.dk", country="DK")
    litek = ClusterFactory(name="LITEK", acronym="LITEK", country="LT")
    ess = InfrastructureFactory(name="European Spallation Source", acronym="ESS", country="SE")
    host_manager = member(bigscience, Membership.Role.ADMIN)
    litek_manager = member(litek, Membership.Role.ADMIN)
    company = company_of(litek, name="Vilnius Optics UAB", country="LT")
    applicant = member(company, first_name="Rasa", last_name="Petraitė")
    start = timezone.now().replace(hour=8, minute=0, second=0, microsecond=0) + timedelta(days=30)
    for title, kind, hours, b2b in (
        ("ESS facility visit", Event.Kind.FACILITY_VISIT, 0, False),
        ("Neutron suppliers conference", Event.Kind.CONFERENCE, 24, False),
        ("B2B session with ESS", Event.Kind.CONFERENCE, 30, True),
    ):
        EventFactory(
            title=title,
            kind=kind,
            b2b_meetings=b2b,
            organisers=[bigscience, litek],
            host_infrastructure=ess if kind == Event.Kind.FACILITY_VISIT else None,
            starts_at=start + timedelta(hours=hours),
            ends_at=start + timedelta(hours=hours + 3),
        )

    # BigScience.dk proposes a partnership; LITEK accepts it
    page = browser_page
    page.set_default_timeout(60000)
    log_in(page, host_manager.email)
    page.goto("/exchanges/partnerships/new/")
    page.get_by_label("Partner cluster").select_option(label="LITEK")
    page.get_by_label("Goals").fill("Joint visits to ESS for Danish and Lithuanian suppliers.")
    page.get_by_label("From").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Send the proposal").click()
    assert "The proposal is sent to LITEK." in page.content()
    partnership = Partnership.objects.get()
    lina = _as(page, live_server, litek_manager.email)
    lina.goto(partnership.get_absolute_url())
    lina.get_by_role("button", name="Accept the partnership").click()
    assert "The partnership is active." in lina.content()

    # BigScience.dk publishes the 360 Xchange (open to LITEK through the partnership)
    first_day = timezone.localtime(start).date()
    page.goto("/exchanges/new/")
    page.locator("#id_kind").select_option(label="360 Xchange")
    page.locator("#id_title").fill("360 Xchange to ESS")
    page.locator("#id_status").select_option(label="Published")
    page.locator("#id_theme").fill("Neutron instrumentation")
    page.locator("#id_starts_on").fill(first_day.isoformat())
    page.locator("#id_ends_on").fill((first_day + timedelta(days=2)).isoformat())
    page.locator("#id_places").fill("10")
    page.locator("#id_host_organisations").select_option(label="European Spallation Source")
    page.locator("#id_covered").fill("Train and one night in Lund")
    page.get_by_role("button", name="Save").click()
    assert "The exchange is saved." in page.content()
    exchange = Exchange.objects.get()
    assert exchange.is_360
    page.get_by_role("link", name="Set the agenda").click()
    for title in ("B2B session with ESS", "ESS facility visit", "Neutron suppliers conference"):
        page.get_by_label("Linked event").select_option(label=title)
        page.get_by_role("button", name="Add to the agenda").click()
        assert "The agenda item is added." in page.content()

    # a LITEK member applies
    rasa = _as(page, live_server, applicant.email)
    rasa.goto(exchange.get_absolute_url())
    assert "LITEK" in rasa.content()  # open to the partner's members
    rasa.get_by_role("link", name="Apply").click()
    rasa.get_by_role("button", name="Send the application").click()
    assert "Tell the host why your company wants to take part." in rasa.content()
    rasa.get_by_label("Motivation").fill("We coat neutron guides and want to meet ESS.")
    rasa.get_by_role("button", name="Send the application").click()
    assert "Your application is sent" in rasa.content()
    application = Application.objects.get()
    assert rasa.goto(f"/exchanges/{exchange.slug}/agenda/").status == 404  # not yet accepted

    # the host accepts
    page.goto(application.get_absolute_url())
    assert "We coat neutron guides" in page.content()
    page.get_by_role("button", name="Accept").click()
    assert "Accepted; the participant is sent the agenda." in page.content()
    assert Application.objects.get().status == Application.Status.ACCEPTED
    assert Registration.objects.filter(user=applicant, organisation=company).count() == 3

    # the participant sees the agenda, every part in order
    rasa.goto(application.get_absolute_url())
    rasa.get_by_role("link", name="See the agenda").click()
    rasa.wait_for_url(re.compile(r".*/agenda/$"))
    text = rasa.locator("#main").inner_text()
    assert (
        text.index("ESS facility visit")
        < text.index("Neutron suppliers conference")
        < text.index("B2B session with ESS")
    )
    assert "B2B meetings" in text
    rasa.set_viewport_size({"width": 1280, "height": 900})
    _no_serious_violations(rasa)
    for p in (lina, rasa):
        p.context.close()
    connections.close_all()
