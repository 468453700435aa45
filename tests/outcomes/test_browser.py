"""The dashboards in a real headless chromium at 1280 and 390 pixels: the cluster manager's,
the liaison officer's industrial return (CERN's published 2009 shares) and the company's
pipeline; axe-core reports no serious or critical violation on any, and each is saved as a
screenshot under docs/screenshots/ (this test is the command that makes them)."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from matchmaking.services import match_forward
from organisations.models import Decision, Membership, Organisation
from outcomes import demo
from tests.browser import log_in
from tests.factories import (
    ClusterFactory,
    ClusterMembershipFactory,
    ExpressionOfInterestFactory,
    FunnelStepFactory,
    InfrastructureFactory,
    MatchFactory,
    MembershipFactory,
    OrganisationFactory,
    ProcurementCallFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTHS = (1280, 390)


def _logout(page):
    page.context.clear_cookies()


def _check(page, name: str, heading: str):
    """At each width: the heading shows, axe finds nothing serious, the page is saved."""
    axe = Axe()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        assert page.get_by_role("heading", level=1).inner_text().startswith(heading)
        results = axe.run(page)
        bad = [
            (v["id"], v["impact"], [(n["target"], n.get("failureSummary")) for n in v["nodes"]])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert bad == [], f"{name} at {width}px: {bad}"
        # readable on a phone: nothing wider than the screen but the tables' own scrollers
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} at {width}px overflows by {overflow}px"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"outcomes-{name}-{width}.png"), full_page=True)


def test_dashboards_in_a_browser(browser_page, live_server):
    page = browser_page
    cern = InfrastructureFactory(
        name="European Organization for Nuclear Research",
        acronym="CERN",
        slug="cern",
        country="CH",
        member_states=list(demo.CERN_2009),
    )
    company = OrganisationFactory(name="NordCryo ApS (demo)", country="DK", is_demo=True)
    for country in ("ES", "FI"):
        OrganisationFactory(name=f"Demo company {country} (demo)", country=country, is_demo=True)
    demo.load()  # CERN's 2009 shares, the rates, and past CERN calls with their awards
    cluster = ClusterFactory(name="BigScience.dk")
    ClusterMembershipFactory(cluster=cluster, member=company, status=Decision.APPROVED)
    second = OrganisationFactory(name="Aarhus Vakuum ApS (demo)", country="DK", is_demo=True)
    ClusterMembershipFactory(cluster=cluster, member=second, status=Decision.APPROVED)
    manager = MembershipFactory(organisation=cluster, role=Membership.Role.ADMIN).user
    officer = MembershipFactory(organisation=cern).user
    member = MembershipFactory(organisation=company).user
    now = timezone.now()
    for i, title in enumerate(
        ("Helium compressor (demo)", "Cryostat for a magnet test (demo)", "Thermal shields (demo)")
    ):
        call = ProcurementCallFactory(buyer=cern, title=title, deadline_days=20 + 15 * i)
        MatchFactory(company=company, call=call, score=0.6 - i / 10, rank_for_company=i + 1)
        if i < 2:
            ExpressionOfInterestFactory(call=call, organisation=company, submitted_by=member)
            match_forward(cluster=cluster, company=company, call=call, user=manager)
        if i == 0:
            FunnelStepFactory(
                company=company,
                call=call,
                recorded_by=member,
                occurred_at=now - timedelta(days=3),
                value_amount=Decimal("420000"),
                value_currency="CHF",
            )
    ExpressionOfInterestFactory(
        call=ProcurementCallFactory(buyer=cern, title="Beam screens (demo)"), organisation=second
    )
    assert Organisation.objects.filter(slug="cern").exists()

    log_in(page, manager.email)
    page.get_by_role("link", name="Members\u2019 results of BigScience.dk").click()
    _check(page, "cluster-dashboard", "Members\u2019 results of BigScience.dk")
    assert "NordCryo ApS (demo)" in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    _logout(page)

    log_in(page, officer.email)
    page.get_by_role("link", name="industrial return").click()
    _check(page, "industrial-return", "Industrial return at")
    text = page.content()
    assert "Facts and figures 2009" in text
    assert "the figures of 2009 are used" in text
    assert "Exchange rates used" in text
    _logout(page)

    log_in(page, member.email)
    page.get_by_role("link", name="Pipeline of NordCryo ApS (demo)").click()
    _check(page, "company-pipeline", "Pipeline of NordCryo ApS (demo)")
    page.get_by_role("link", name="Cryostat for a magnet test (demo)").first.click()
    page.get_by_label("What happened").select_option("bid")
    page.get_by_label(re.compile(r"^On\b")).fill(timezone.localdate().isoformat())
    page.get_by_label("Value (optional)").fill("250000")
    page.get_by_role("button", name="Record").click()
    assert page.get_by_text("The step is recorded.").is_visible()
    assert "Stage reached: Bid submitted." in page.content()
