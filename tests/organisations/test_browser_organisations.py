"""Cluster curation and profile editing, clicked through a real headless chromium."""

import pytest
from django.conf import settings

from organisations import services
from organisations.models import (
    ClusterMembership,
    CPVCode,
    Decision,
    Membership,
    Organisation,
)
from tests.browser import log_in
from tests.factories import (
    ClusterFactory,
    ClusterMembershipFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def reference_codes():
    """Transactional tests run on a flushed database: make sure the CPV codes are there."""
    if CPVCode.objects.count() < 9454:
        services.reference_data_load(data_dir=settings.REFERENCE_DATA_DIR)


def test_cluster_manager_approves_a_join_request_and_verifies_the_member(browser_page):
    page = browser_page
    cluster = ClusterFactory(name="Browser Cluster", slug="browser-cluster")
    manager = UserFactory(email="manager@browser.example")
    MembershipFactory(user=manager, organisation=cluster, role=Membership.Role.ADMIN)
    company = OrganisationFactory(name="Helium Works ApS", slug="helium-works")
    ClusterMembershipFactory(cluster=cluster, member=company, message="We make cryostats for CERN.")

    log_in(page, "manager@browser.example")
    # The request waits on the manager's own area.
    page.get_by_role("link", name="Helium Works ApS asks to join Browser Cluster").click()
    assert "We make cryostats for CERN." in page.content()
    page.get_by_role("button", name="Approve").click()
    page.wait_for_url("**/organisations/browser-cluster/members/")
    assert "Helium Works ApS: approved." in page.content()
    assert (
        ClusterMembership.objects.get(cluster=cluster, member=company).status == Decision.APPROVED
    )

    page.get_by_role("link", name="Verify Helium Works ApS").click()
    page.get_by_role("button", name="Verify this profile").click()
    page.wait_for_url("**/organisations/helium-works/")
    assert page.locator(".org-verified-badge").inner_text() == "Verified"
    assert "by Browser Cluster" in page.content()
    company.refresh_from_db()
    assert company.verified_by == manager and company.verified_by_cluster == cluster


def test_sme_editor_adds_a_cpv_code_with_the_picker(browser_page, reference_codes):
    page = browser_page
    company = OrganisationFactory(
        name="Vacuum Makers ApS", slug="vacuum-makers", cpv_codes=["42123000"]
    )
    editor = UserFactory(email="editor@vacuum.example")
    MembershipFactory(user=editor, organisation=company, role=Membership.Role.EDITOR)

    log_in(page, "editor@vacuum.example")
    page.get_by_role("link", name="Edit").first.click()
    page.wait_for_url("**/organisations/vacuum-makers/edit/")
    # the profile's own picker (each past-contract reference has one too)
    page.locator("#id_cpv_codes_picker").fill("vacuum pumps")
    option = page.locator(
        "#id_cpv_codes_picker_list button.org-picker-option[data-code='42122450']"
    )
    option.wait_for()
    assert "Vacuum pumps" in option.inner_text()
    option.click()
    assert page.get_by_label("CPV codes", exact=True).input_value() == "42123000 42122450"
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/organisations/vacuum-makers/")
    codes = page.locator(".org-cpv-codes").inner_text()
    assert "42122450" in codes and "Vacuum pumps" in codes
    assert set(
        Organisation.objects.get(pk=company.pk).cpv_codes.values_list("code", flat=True)
    ) == {"42123000", "42122450"}


def test_cluster_manager_sees_pending_requests_first_on_a_phone(browser_page):
    """Issue 18, finding 6: the members list at 390 pixels: requests to decide on top, each row
    a stack of labelled cells, nothing wider than the screen."""
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    cluster = ClusterFactory(name="Phone Cluster", slug="phone-cluster")
    manager = UserFactory(email="manager@phone.example")
    MembershipFactory(user=manager, organisation=cluster, role=Membership.Role.ADMIN)
    for name in ("Aalborg Vacuum ApS", "Bergen Magnets AS", "Cryo Coils Oy"):
        ClusterMembershipFactory(
            cluster=cluster,
            member=OrganisationFactory(name=name, website="https://a-rather-long-domain.example"),
            status=Decision.APPROVED,
        )
    ClusterMembershipFactory(
        cluster=cluster,
        member=OrganisationFactory(name="Zeta Superconductors GmbH"),
        message="We wind superconducting magnets for fusion devices.",
    )

    log_in(page, "manager@phone.example")
    page.goto("/organisations/phone-cluster/members/")
    rows = page.locator("table.org-members-table tbody tr")
    first = rows.first
    assert "Zeta Superconductors GmbH" in first.inner_text()
    decide = first.get_by_role("link", name="Decide on Zeta Superconductors GmbH")
    assert decide.is_visible()
    # it reads "Decide" on screen: the company's name is for screen readers only
    assert decide.evaluate("a => a.firstChild.textContent") == "Decide"
    assert decide.locator(".visually-hidden").bounding_box()["width"] <= 1
    # the cells stack: the status cell sits below the name, labelled by its column's header
    name_box = first.locator("td").nth(0).bounding_box()
    status_box = first.locator("td").nth(1).bounding_box()
    assert status_box["y"] >= name_box["y"] + name_box["height"] - 1
    assert "Status" in first.locator("td").nth(1).evaluate(
        "cell => getComputedStyle(cell, '::before').content"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # a member not yet verified is offered Verify, named for screen readers
    second = rows.nth(1)
    assert second.get_by_role("link", name="Verify Aalborg Vacuum ApS").is_visible()
