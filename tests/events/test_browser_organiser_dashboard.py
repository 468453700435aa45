"""Issue 18, finding 8, clicked through a real headless chromium: a cluster manager registering
for an event is offered their organisation first ("On behalf of" preselected, not "Myself, as an
individual"); the organiser's dashboard lists the events their organisation organises, with
links to the organiser tools that open them."""

import re

import pytest
from django.db import connections

from events.models import Registration
from organisations.models import Membership, Organisation
from tests.browser import log_in
from tests.factories import EventFactory, MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_cluster_registers_as_itself_and_the_organiser_opens_its_tools_from_the_dashboard(
    browser_page,
):
    organiser_org = OrganisationFactory(kind=Organisation.Kind.CLUSTER, name="Organising Cluster")
    organiser = MembershipFactory(organisation=organiser_org, role=Membership.Role.ADMIN).user
    event = EventFactory(organisers=[organiser_org], title="Cryogenics industry day")
    EventFactory(organisers=[OrganisationFactory(name="Elsewhere")], title="Someone else's day")
    cluster = OrganisationFactory(kind=Organisation.Kind.CLUSTER, name="BigScience DK")
    manager = MembershipFactory(organisation=cluster, role=Membership.Role.ADMIN).user

    # the cluster manager registers: the cluster is offered first, and kept
    page = browser_page
    log_in(page, manager.email, fresh=True)
    page.goto(event.get_absolute_url())
    page.get_by_role("link", name="Register").click()
    behalf = page.get_by_label("On behalf of")
    assert behalf.locator("option:checked").inner_text() == "BigScience DK"
    assert "Myself, as an individual" in behalf.locator("option").all_inner_texts()
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(f"**{event.get_absolute_url()}")
    page.get_by_text("You are registered. A confirmation is on its way.").wait_for()
    assert "On behalf of BigScience DK" in page.get_by_text("On behalf of").first.inner_text()
    assert Registration.objects.get(event=event, user=manager).organisation == cluster

    # the organiser's dashboard lists the event their organisation organises, only that one
    log_in(page, organiser.email, fresh=True)
    organised = page.get_by_role("list", name="Events you organise")
    assert organised.get_by_role("link", name="Cryogenics industry day", exact=True).count() == 1
    assert "Someone else's day" not in organised.inner_text()
    assert "1 registered" in organised.inner_text()

    # its organiser tools open from there
    organised.get_by_role("link", name="Participants (Cryogenics industry day)").click()
    page.wait_for_url(f"**/events/{event.slug}/participants/")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Participants of Cryogenics industry day"
    assert page.get_by_role("row", name=re.compile("BigScience DK")).count() == 1
    page.get_by_role("navigation", name="Organiser").get_by_role("link", name="Edit").click()
    page.wait_for_url(f"**/events/{event.slug}/edit/")
    assert page.locator("#id_title").input_value() == "Cryogenics industry day"
    connections.close_all()
