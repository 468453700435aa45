"""A B2B brokerage clicked through in a real headless chromium: register, offer, request,
accept, schedule, publish, agenda and .ics on both sides."""

from __future__ import annotations

import re
from datetime import UTC, timedelta
from pathlib import Path

import icalendar
import pytest
from django.db import connections

from events.models import Meeting
from organisations.models import Organisation
from tests.browser import log_in
from tests.factories import (
    BrokerageEventFactory,
    InfrastructureFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _new_page(page, live_server):
    context = page.context.browser.new_context(base_url=live_server.url)
    other = context.new_page()
    other.set_default_timeout(15000)
    return other


def _download_ics(page, tmp_path: Path, name: str):
    with page.expect_download() as info:
        page.get_by_role("link", name="Download my meetings (.ics)").click()
    target = tmp_path / name
    info.value.save_as(target)
    return icalendar.Calendar.from_ical(target.read_bytes())


def test_b2b_brokerage_end_to_end(browser_page, live_server, tmp_path):
    organiser_org = OrganisationFactory(kind=Organisation.Kind.CLUSTER, name="Organising Cluster")
    organiser = MembershipFactory(organisation=organiser_org).user
    event = BrokerageEventFactory(organisers=[organiser_org], brokerage__tables=3)
    infra = InfrastructureFactory(name="Fusion Lab")
    ilo = ParticipantFactory(event=event, organisation=infra).user
    sme = OrganisationFactory(name="Cryo SME")
    sme_user = MembershipFactory(organisation=sme).user

    # the SME member registers, publishes an offer and requests a meeting
    page = browser_page
    log_in(page, sme_user.email)
    page.goto(event.get_absolute_url())
    page.get_by_role("link", name="Register").click()
    page.get_by_label("On behalf of").select_option(label="Cryo SME")
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(f"**{event.get_absolute_url()}")
    assert "You are registered." in page.content()

    page.get_by_role("link", name="My offers and availability").click()
    page.get_by_label("Type").select_option(label="Technology offer")
    page.get_by_label("Title").fill("Helium transfer lines")
    page.get_by_label("Description").fill("Vacuum-insulated helium transfer lines for magnets.")
    page.get_by_label("CPV codes").fill("42131000")
    page.get_by_role("button", name="Publish").click()
    assert "Your cooperation opportunity is published." in page.content()
    assert "Helium transfer lines" in page.content()

    page.get_by_role("link", name="Participants", exact=True).click()
    page.get_by_role("link", name=re.compile(r"Request a meeting with .*Fusion Lab")).click()
    page.get_by_label("Message").fill("We build the transfer lines you need.")
    page.get_by_role("button", name="Send request").click()
    page.wait_for_url("**/b2b/requests/")
    assert "Requested" in page.content()

    # the liaison officer accepts
    ilo_page = _new_page(page, live_server)
    log_in(ilo_page, ilo.email)
    ilo_page.goto(f"/events/{event.slug}/b2b/requests/")
    assert "We build the transfer lines you need." in ilo_page.content()
    ilo_page.get_by_role("button", name=re.compile(r"Accept meeting with .*Cryo SME")).click()
    assert "Meeting accepted." in ilo_page.content()

    # the organiser runs the scheduler and publishes
    org_page = _new_page(page, live_server)
    log_in(org_page, organiser.email)
    org_page.goto(f"/events/{event.slug}/b2b/schedule/")
    org_page.get_by_role("button", name="Run the scheduler").click()
    assert "The scheduler placed 1 meeting(s); 0 could not be placed." in org_page.content()
    org_page.get_by_role("link", name="Publish the schedule").click()
    org_page.get_by_role("button", name="Publish").click()
    assert "The schedule is published" in org_page.content()

    meeting = Meeting.objects.get(event=event)
    for p, other_name, filename in (
        (page, "Fusion Lab", "sme.ics"),
        (ilo_page, "Cryo SME", "ilo.ics"),
    ):
        p.goto(f"/events/{event.slug}/b2b/agenda/")
        row = p.get_by_role("row", name=re.compile(other_name))
        assert row.count() == 1
        assert str(meeting.table) in row.inner_text()
        cal = _download_ics(p, tmp_path, filename)
        (vevent,) = cal.walk("VEVENT")
        assert vevent.decoded("dtstart") == meeting.starts_at.astimezone(UTC)
        assert vevent.decoded("dtstart").utcoffset() == timedelta(0)
        assert other_name in str(vevent["summary"])
    for p in (ilo_page, org_page):
        p.context.close()
    # Database work done while Playwright's event loop runs gets its own connection (asgiref's
    # context-local); close it here or it outlives the test database.
    connections.close_all()
