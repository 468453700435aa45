"""The call form's country presets and value band, and the preview before publishing, clicked
through a real headless chromium by a liaison officer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tenders.models import ProcurementCall
from tests.browser import ensure_reference_data, log_in
from tests.factories import InfrastructureFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_officer_uses_a_preset_enters_a_value_previews_and_publishes(browser_page):
    ensure_reference_data()
    buyer = InfrastructureFactory(
        name="European Spallation Lab", slug="esl-b", member_states=["SE", "DK", "NO"]
    )
    officer = UserFactory(email="ilo-esl@example.org")
    MembershipFactory(user=officer, organisation=buyer)
    page = browser_page

    log_in(page, officer.email, fresh=True)
    page.goto("/calls/new/")
    page.locator("#id_buyer").select_option(label="European Spallation Lab")
    page.locator("#id_title").fill("Neutron chopper discs")
    page.locator("#id_description").fill("Carbon-fibre chopper discs for a neutron beamline.")
    page.locator("#id_main_cpv_code").fill("31711420")
    deadline = timezone.localtime(timezone.now() + timedelta(days=30))
    page.locator("#id_tender_period_end").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_value_amount").fill("2000000")
    page.locator("#id_value_currency").fill("EUR")

    # The buyer's member states preset ticks exactly those countries.
    page.get_by_role("button", name="The buyer's member states").click()
    assert page.get_by_role("checkbox", name="Sweden").is_checked()
    assert page.get_by_role("checkbox", name="Norway").is_checked()
    assert not page.get_by_role("checkbox", name="France").is_checked()
    # The filter box narrows the list.
    page.get_by_label("Filter the countries").fill("fin")
    assert page.get_by_role("checkbox", name="Finland").is_visible()
    assert not page.get_by_role("checkbox", name="Sweden").is_visible()
    page.get_by_label("Filter the countries").fill("")

    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved").wait_for()
    page.get_by_role("link", name="Preview and publish").click()
    page.get_by_role("heading", name="Preview before publishing").wait_for()
    facts = page.locator(".call-facts")
    assert "EUR 2,000,000 (band B: 0.75 to 5 MCHF)" in facts.inner_text()
    page.get_by_role("button", name="Publish", exact=True).click()
    page.get_by_text("The call is now published").wait_for()

    facts = page.locator(".call-facts").inner_text()
    assert "EUR 2,000,000 (band B: 0.75 to 5 MCHF)" in facts
    assert all(name in facts for name in ("Denmark", "Norway", "Sweden"))
    call = ProcurementCall.objects.get(title="Neutron chopper discs")
    assert call.status == "published" and call.value_band == "B"
    assert sorted(str(c) for c in call.eligible_countries) == ["DK", "NO", "SE"]
