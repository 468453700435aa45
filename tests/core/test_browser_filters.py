"""A list's filters on a phone (issue 18, finding 4b): in a real headless chromium the calls list
at 390 pixels folds its filters behind a summary that counts the active ones, so that the first
call is on the first screen; the summary opens them; at 1280 pixels they are shown as before."""

import pytest

from tests.factories import InfrastructureFactory, ProcurementCallFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_the_calls_filters_fold_on_a_phone_with_a_summary_of_what_is_active(browser_page):
    buyer = InfrastructureFactory(name="European Spallation Source", slug="ess-fold")
    ProcurementCallFactory(buyer=buyer, title="Neutron chopper discs")
    page = browser_page

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/calls/?q=chopper")
    summary = page.locator("summary", has_text="Filters (1 active)")
    assert summary.is_visible()
    assert not page.get_by_role("button", name="Apply filters").is_visible()
    first_call = page.get_by_role("link", name="Neutron chopper discs")
    assert first_call.bounding_box()["y"] < 844  # on the first screen, not below 13 filters
    assert page.get_by_text("Filtered by:").is_visible()

    summary.click()
    assert page.get_by_role("button", name="Apply filters").is_visible()
    assert page.get_by_label("Search", exact=True).input_value() == "chopper"

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/calls/")
    assert page.get_by_role("button", name="Apply filters").is_visible()
    assert not page.locator("summary", has_text="Filters").is_visible()
