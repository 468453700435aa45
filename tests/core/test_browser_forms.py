"""A failed save of a long form, in a real headless chromium: the error summary is scrolled
into view and focused (static/js/portal.js), and its link takes the focus to the field."""

import pytest

from organisations.models import Membership
from tests.browser import log_in
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

IN_VIEW = """el => { const r = el.getBoundingClientRect();
  return r.top >= -1 && r.bottom <= window.innerHeight + 1 && r.height > 0; }"""


@pytest.mark.parametrize("width", [1280, 390])
def test_a_failed_save_of_the_profile_form_focuses_its_error_summary(browser_page, width):
    company = OrganisationFactory(name="Heliodynamics ApS", slug=f"heliodynamics-{width}")
    editor = UserFactory(email=f"editor{width}@helio.example")
    MembershipFactory(user=editor, organisation=company, role=Membership.Role.ADMIN)
    page = browser_page
    page.set_viewport_size({"width": width, "height": 800})

    log_in(page, editor.email, fresh=True)
    page.goto(f"/organisations/{company.slug}/edit/")
    page.locator("#id_employees").fill("42")
    page.locator("#id_size_class").select_option("micro")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()

    summary = page.locator("[data-error-summary]").first
    assert "Please correct the errors below." in summary.inner_text()
    assert summary.evaluate(IN_VIEW)
    assert summary.evaluate("el => document.activeElement === el")

    # the summary's link takes the focus to the field, its label in view
    summary.get_by_role("link", name="Size class").click()
    size = page.locator("#id_size_class")
    assert size.evaluate("el => document.activeElement === el")
    assert size.evaluate(IN_VIEW)
    assert page.locator('label[for="id_size_class"]').evaluate(IN_VIEW)
    assert "42 employees make a" in page.locator("#id_size_class_error").inner_text()
