"""In a real chromium: an officer posts a call with its deadline in the buyer's time zone and
sees it, with the zone, on the call's page; a Danish reader on a phone sees it in Danish."""

import datetime as dt

import pytest

from tenders.models import ProcurementCall
from tests.browser import ensure_reference_data, log_in
from tests.factories import InfrastructureFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_an_officer_enters_and_sees_the_deadline_in_the_calls_time_zone(browser_page, live_server):
    ensure_reference_data()
    buyer = InfrastructureFactory(name="Baltic Light Source", slug="baltic-light-source")
    officer = UserFactory(email="ilo-zone@example.org")
    MembershipFactory(user=officer, organisation=buyer)
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})

    log_in(page, officer.email, fresh=True)
    page.goto("/calls/new/")
    page.locator("#id_buyer").select_option(label="Baltic Light Source")
    page.locator("#id_title").fill("Undulator vacuum chambers")
    page.locator("#id_main_cpv_code").fill("31711420")
    page.get_by_label("Time zone").select_option("Europe/Vilnius")
    deadline = page.locator("#id_tender_period_end")
    assert "time zone" in page.locator("#id_tender_period_end_helptext").inner_text()
    deadline.fill("2030-03-15T17:00")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved").wait_for()

    call = ProcurementCall.objects.get(title="Undulator vacuum chambers")
    assert call.tender_period_end == dt.datetime(2030, 3, 15, 15, 0, tzinfo=dt.UTC)
    shown = page.locator(".call-deadline time")
    assert shown.inner_text() == "15 March 2030, 17:00 EET"
    assert shown.is_visible()
    facts = page.locator(".call-facts")
    assert "Europe/Vilnius" in facts.inner_text()

    # a Danish reader on a phone: the Danish format, the same zone, above the fold
    page.set_viewport_size({"width": 390, "height": 844})
    page.context.add_cookies([{"name": "django_language", "value": "da", "url": live_server.url}])
    page.reload()
    shown = page.locator(".call-deadline time")
    assert shown.inner_text() == "15. marts 2030 17:00 EET"
    box = shown.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844
