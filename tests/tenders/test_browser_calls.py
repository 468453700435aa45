"""A call's whole life clicked through a real headless chromium: an officer drafts and publishes
it, an SME member finds it by filter and search and asks a question, the officer answers, the SME
expresses interest and the officer exports the expressions of interest as CSV.
"""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tenders.models import ProcurementCall
from tests.browser import ensure_reference_data, log_in
from tests.factories import (
    InfrastructureFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_call_lifecycle_in_a_real_browser(browser_page):
    ensure_reference_data()
    buyer = InfrastructureFactory(name="Fusion for Energy", acronym="F4E", slug="f4e-b")
    officer = UserFactory(email="ilo@example.org")
    MembershipFactory(user=officer, organisation=buyer)
    company = OrganisationFactory(name="NordCryo ApS", slug="nordcryo-b", country="DK")
    sme = UserFactory(email="sme@example.org")
    MembershipFactory(user=sme, organisation=company)
    page = browser_page

    # 1. The liaison officer drafts the call with CPV codes, then publishes it.
    log_in(page, officer.email, fresh=True)
    page.goto("/calls/")
    page.get_by_role("link", name="Post a call").click()
    page.locator("#id_buyer").select_option(label="Fusion for Energy")
    page.locator("#id_reference").fill("F4E-OPE-9001")
    page.locator("#id_title").fill("Gyrotron RF source for plasma heating")
    page.locator("#id_description").fill("A 170 GHz, 1 MW continuous-wave gyrotron prototype.")
    page.locator("#id_main_cpv_code").fill("31711420")
    page.locator("#id_additional_cpv_codes").fill("31711424, 99999999")
    deadline = timezone.localtime(timezone.now() + timedelta(days=30))
    page.locator("#id_tender_period_end").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_enquiry_period_end").fill(
        (deadline - timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_role("button", name="Save draft").click()
    assert (
        "Unknown CPV codes: 99999999."
        in page.locator("#id_additional_cpv_codes_error").inner_text()
    )
    page.locator("#id_additional_cpv_codes").fill("31711424")
    page.locator("#id_tender_period_end").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_enquiry_period_end").fill(
        (deadline - timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved").wait_for()
    page.get_by_role("link", name="Preview and publish").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    page.get_by_text("The call is now published").wait_for()
    call = ProcurementCall.objects.get(reference="F4E-OPE-9001")
    assert call.status == "published"
    assert sorted(call.cpv_codes) == ["31711420", "31711424"]

    # 2. The SME member finds it by CPV filter and full-text search, and asks a question.
    log_in(page, sme.email, fresh=True)
    page.goto("/calls/")
    page.get_by_label("CPV code", exact=True).fill("317")
    page.get_by_label("Search", exact=True).fill("gyrotrons heating")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/calls/?*cpv=317*")
    assert "1 call" in page.locator("#results-heading").inner_text()
    page.get_by_role("link", name="Gyrotron RF source for plasma heating").click()
    assert "closes in 29 days" in page.locator(".call-countdown").inner_text()
    page.get_by_label("Your question").fill("Is the superconducting magnet part of the supply?")
    page.get_by_role("button", name="Ask the buyer").click()
    page.get_by_text("Your question was sent to the buyer").wait_for()
    assert mail.outbox[-1].to == [officer.email]

    # 3. The officer answers; the answer is public and the asker notified.
    log_in(page, officer.email, fresh=True)
    page.goto(call.get_absolute_url())
    page.get_by_role("link", name="Questions").click()
    page.get_by_role("link", name="Answer", exact=True).click()
    page.get_by_label("Answer").fill("Yes, the magnet is part of the supply.")
    page.get_by_role("button", name="Publish the answer").click()
    page.get_by_text("Answer published").wait_for()
    assert mail.outbox[-1].to == [sme.email]

    # 4. The SME sees the answer and expresses interest with a consortium partner.
    log_in(page, sme.email, fresh=True)
    page.goto(call.get_absolute_url())
    assert "Yes, the magnet is part of the supply." in page.content()
    page.get_by_role("link", name="Express interest").click()
    page.get_by_label("Message to the buyer").fill("=We build gyrotron magnets.")
    page.get_by_label("Consortium partners (optional)").fill("Partner Magnets GmbH")
    page.get_by_role("button", name="Send expression of interest").click()
    page.get_by_text("Your expression of interest was sent").wait_for()

    # 5. The officer exports the expressions of interest and reads the CSV.
    log_in(page, officer.email, fresh=True)
    page.goto(call.get_absolute_url())
    page.get_by_role("link", name="1 expression of interest").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export as CSV").click()
    download = download_info.value
    with open(download.path(), encoding="utf-8") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    assert rows[0][0] == "Company"
    assert len(rows) == 2
    assert rows[1][0] == "NordCryo ApS"
    assert rows[1][3] == sme.email
    assert rows[1][4] == "'=We build gyrotron magnets."
    assert rows[1][5] == "Partner Magnets GmbH"
