"""The one CPV picker on the call form, clicked through a real headless chromium: a liaison
officer finds codes by a word, sees each chosen code as a chip with its label, removes one,
picks another and finds it on the saved call."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tenders.models import ProcurementCall
from tests.browser import ensure_reference_data, log_in
from tests.factories import InfrastructureFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _pick(page, field_id: str, words: str, code: str):
    page.locator(f"#{field_id}_picker").fill(words)
    option = page.locator(f"#{field_id}_picker_list button.org-picker-option[data-code='{code}']")
    option.click()


def test_officer_picks_cpv_codes_as_chips_with_labels_on_the_call_form(browser_page):
    ensure_reference_data()
    buyer = InfrastructureFactory(name="Cryo Lab", acronym="CL", slug="cryo-lab-picker")
    officer = UserFactory(email="ilo@picker.example")
    MembershipFactory(user=officer, organisation=buyer)
    page = browser_page

    log_in(page, officer.email, fresh=True)
    page.goto("/calls/")
    page.get_by_role("link", name="Post a call").click()
    page.locator("#id_buyer").select_option(label="Cryo Lab")
    page.locator("#id_reference").fill("CL-PICK-1")
    page.locator("#id_title").fill("Helium refrigerator")
    page.locator("#id_description").fill("A 2 kW at 4.5 K helium refrigerator.")
    _pick(page, "id_main_cpv_code", "42513200", "42513200")

    chips = page.locator('[data-code-chips-for="id_additional_cpv_codes"]')
    _pick(page, "id_additional_cpv_codes", "cryogenic", "24111300")
    chip = chips.locator("li", has_text="24111300")
    assert chip.inner_text().strip() == "24111300 Helium"
    assert chip.is_visible()
    assert page.locator("#id_additional_cpv_codes").input_value() == "24111300"

    page.get_by_role("button", name="Remove 24111300").click()
    assert chips.locator("li").count() == 0
    assert page.locator("#id_additional_cpv_codes").input_value() == ""

    _pick(page, "id_additional_cpv_codes", "cryogenic", "24111800")
    assert chips.locator("li", has_text="24111800").inner_text().strip() == (
        "24111800 Liquid nitrogen"
    )
    assert page.get_by_role("button", name="Remove 24111800").is_visible()
    # the main code's chip holds its one code, named
    assert (
        "Refrigerating equipment"
        in page.locator('[data-code-chips-for="id_main_cpv_code"] li').inner_text()
    )

    deadline = timezone.localtime(timezone.now() + timedelta(days=30))
    page.locator("#id_tender_period_end").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved").wait_for()
    codes = page.locator("dd", has_text="24111800").inner_text()
    assert "24111800 · Liquid nitrogen" in codes and "24111300" not in codes
    call = ProcurementCall.objects.get(reference="CL-PICK-1")
    assert list(call.additional_cpv.values_list("code", flat=True)) == ["24111800"]
