"""The cluster board's grid, clicked through a real headless chromium on a phone's width."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail

from bigscience_portal.core.models import MailDelivery
from matchmaking import services
from organisations.models import Decision, Membership
from tests.browser import log_in
from tests.factories import ClusterFactory, ClusterMembershipFactory, InfrastructureFactory

from .helpers import call, company, ensure_reference_data, member

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_cluster_manager_forwards_a_call_with_a_note_from_the_grid(browser_page):
    ensure_reference_data()
    infra = InfrastructureFactory(name="Fusion for Energy")
    cluster = ClusterFactory(name="BigScience DK", slug="bigsciencedk")
    gyro = company(
        name="GyroTech", capabilities="Gyrotron tubes and high-power RF sources.", cpv=("31600000",)
    )
    cryo = company(name="CryoWeld", capabilities="Gyrotron tubes and RF sources, welding.")
    for org in (gyro, cryo):
        ClusterMembershipFactory(cluster=cluster, member=org, status=Decision.APPROVED)
    engineer = member(gyro, role=Membership.Role.EDITOR)
    manager = member(cluster, role=Membership.Role.ADMIN)
    gyrotrons = call(buyer=infra, title="Gyrotron supply")
    services.recompute_all_inline()

    page = browser_page
    page.set_default_timeout(60000)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    log_in(page, manager.email, fresh=True)
    page.goto("/matchmaking/clusters/bigsciencedk/board/?view=list")
    page.get_by_role("link", name="Grid").click()  # the board's default view
    page.wait_for_url("**/board/")
    page.locator("summary", has_text="Filters").click()  # folded on a phone
    page.get_by_label("Member", exact=True).select_option(label="GyroTech")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(f"**member={gyro.pk}*")
    assert "view=list" not in page.url

    grid = page.get_by_role("region", name="Members and the open calls that fit them")
    assert grid.get_by_role("rowheader").all_inner_texts() == ["GyroTech"]
    header = grid.get_by_role("columnheader", name="Gyrotron supply")
    assert "fits 1 member" in header.inner_text()
    violations = Axe().run(page, context="#main").response["violations"]
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []
    # the grid scrolls inside its region: the page itself is no wider than the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    cell = grid.get_by_role("row", name="GyroTech").get_by_role("cell").first
    cell.get_by_text("Add a note").click()
    cell.get_by_label("Note to GyroTech about Gyrotron supply").fill("Ask Anna about the magnets.")
    cell.get_by_role("button", name="Forward Gyrotron supply to GyroTech").click()
    page.get_by_text("Forwarded to GyroTech.").wait_for()
    assert "view=list" not in page.url and f"member={gyro.pk}" in page.url  # the grid, filtered
    cell = page.get_by_role("row", name="GyroTech").get_by_role("cell").first
    assert "✓ Forwarded" in cell.inner_text()
    assert cell.get_by_role("button").count() == 0

    delivery = MailDelivery.objects.get(to=engineer.email)
    assert "Ask Anna about the magnets." in delivery.body and gyrotrons.title in delivery.subject
    [sent] = [m for m in mail.outbox if engineer.email in m.to]
    assert "Ask Anna about the magnets." in sent.body
