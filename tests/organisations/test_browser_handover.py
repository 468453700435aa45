"""Profiles handed over, clicked through a real headless chromium: a cluster manager imports two
members from a sheet, invites the people of one, and its person accepts, takes the profile over
and finds it in their area."""

import pytest

from organisations.models import Invitation, Membership, MembershipChange, Organisation
from tests.browser import ensure_reference_data, log_in
from tests.factories import ClusterFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SHEET = (
    "name,country,website,contact e-mail,CPV codes,capabilities\n"
    "Polar Helium ApS,DK,https://polarhelium.example/,info@polarhelium.example,42123000,"
    "Helium cryostats\n"
    "Vakuum Werk GmbH,DE,https://www.vakuumwerk.example/,sales@vakuumwerk.example,42122450,"
    "UHV chambers\n"
)


def test_a_manager_imports_members_and_hands_one_over(browser_page, tmp_path):
    ensure_reference_data()
    page = browser_page
    cluster = ClusterFactory(name="Handover Cluster", slug="handover-cluster")
    manager = UserFactory(email="manager@handover.example")
    MembershipFactory(user=manager, organisation=cluster, role=Membership.Role.ADMIN)
    UserFactory(email="anna@polarhelium.example")
    sheet = tmp_path / "members.csv"
    sheet.write_text(SHEET)

    log_in(page, "manager@handover.example")
    page.goto("/organisations/handover-cluster/members/")
    page.get_by_role("link", name="Import members").click()
    page.get_by_label("Member sheet (.csv or .xlsx)").set_input_files(str(sheet))
    page.get_by_role("button", name="Check the sheet").click()
    page.get_by_role("button", name="Import 2 members").click()
    page.wait_for_url("**/organisations/handover-cluster/members/")
    assert "2 members imported" in page.content()
    assert page.get_by_text("Nobody yet").count() == 2

    page.get_by_role("link", name="Invite people of Polar Helium ApS").click()
    page.get_by_label("E-mail address").fill("anna@polarhelium.example")
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_url("**/organisations/handover-cluster/members/")
    assert "An invitation to administer Polar Helium ApS was sent" in page.content()
    assert page.get_by_text("Invitation pending").count() == 1

    polar = Organisation.objects.get(name="Polar Helium ApS")
    invitation = Invitation.objects.get(organisation=polar)
    log_in(page, "anna@polarhelium.example", fresh=True)
    page.goto(f"/organisations/invitations/{invitation.token}/")
    page.get_by_role("button", name="Join Polar Helium ApS").click()
    page.wait_for_url(f"**{polar.get_absolute_url()}")
    assert "You joined Polar Helium ApS." in page.content()
    page.goto("/me/")
    area = page.locator(".org-dashboard")
    assert "Polar Helium ApS" in area.inner_text() and "Administrator" in area.inner_text()
    assert Membership.objects.get(
        organisation=polar, user__email="anna@polarhelium.example"
    ).role == ("admin")
    assert MembershipChange.objects.filter(organisation=polar, action="claimed").exists()

    log_in(page, "manager@handover.example", fresh=True)
    page.goto("/organisations/handover-cluster/members/")
    assert page.get_by_text("Claimed on").count() == 1
