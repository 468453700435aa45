"""The portal as a visitor meets it, in a real headless chromium (issue 18, findings 4 and 11):
the footer's switcher puts the portal in Danish and the choice holds from page to page; an
infrastructure's page names its contact, its calls, the events it organises and its codes with
their Danish labels; a company's public profile shows no empty "Calls" heading."""

import pytest

from organisations.models import CPVCode
from tests.browser import ensure_reference_data
from tests.factories import (
    EventFactory,
    InfrastructureFactory,
    OrganisationFactory,
    ProcurementCallFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_visitor_switches_to_danish_and_reads_an_infrastructure_and_a_company(browser_page):
    ensure_reference_data()
    ess = InfrastructureFactory(
        name="European Spallation Source",
        slug="ess-orient",
        email="procurement@ess.example",
        website="https://ess.example",
        cpv_codes=["42123300"],
    )
    ProcurementCallFactory(buyer=ess, title="Neutron chopper discs")
    EventFactory(organisers=[ess], title="ESS industry day")
    company = OrganisationFactory(name="NordCryo ApS", slug="nordcryo-orient", country="DK")
    page = browser_page

    page.goto("/")
    page.get_by_label("Language").select_option(value="da")
    page.get_by_role("button", name="Change").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "da"
    assert page.get_by_role("button", name="Skift").is_visible()  # the footer, now in Danish

    page.goto(ess.get_absolute_url())  # the choice holds: a cookie, not a URL prefix
    assert page.locator("html").get_attribute("lang") == "da"
    main = page.locator("main")
    assert main.get_by_role("link", name="procurement@ess.example").is_visible()
    assert main.get_by_role("link", name="Neutron chopper discs").is_visible()
    assert main.get_by_role("link", name="ESS industry day").is_visible()
    danish = CPVCode.objects.get(code="42123300").labels["da"]
    assert danish in main.inner_text()
    assert "None given" not in main.inner_text()

    page.goto(company.get_absolute_url())
    assert page.locator("html").get_attribute("lang") == "da"
    assert "NordCryo ApS" in page.locator("h1").inner_text()
    assert page.get_by_role("heading", name="Udbud").count() == 0  # no empty "Calls"
