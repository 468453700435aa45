"""A question published as the officer edited it, clicked through a real headless chromium: the
officer opens the waiting question from the call's page, removes the asker's company from the
question as published, answers, and every visitor reads the edited question with its answer."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser import log_in
from tests.factories import (
    ClarificationFactory,
    InfrastructureFactory,
    MembershipFactory,
    OrganisationFactory,
    ProcurementCallFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

ASKED = "Can our NordCryo QX-1 cold box be offered, or must it be custom-built?"
PUBLISHED = "Can a commercial cold box be offered, or must it be custom-built?"


def _serious_violations(page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [v["id"] for v in violations if v["impact"] in ("serious", "critical")]


def test_the_officer_publishes_an_anonymised_question_from_the_call_page(browser_page):
    buyer = InfrastructureFactory(name="Fusion for Energy", acronym="F4E", slug="f4e-q")
    officer = UserFactory(email="ilo-q@example.org")
    MembershipFactory(user=officer, organisation=buyer)
    sme = UserFactory(email="sme-q@example.org")
    MembershipFactory(user=sme, organisation=OrganisationFactory(name="NordCryo ApS"))
    call = ProcurementCallFactory(buyer=buyer, title="Helium cold box", status="published")
    ClarificationFactory(call=call, question=ASKED, asked_by=sme)
    page = browser_page

    # The officer sees the waiting question on the call's page and opens it.
    log_in(page, officer.email, fresh=True)
    page.goto(call.get_absolute_url())
    waiting = page.locator(".questions-waiting")
    assert "1 question waiting for your answer" in waiting.inner_text()
    assert ASKED in waiting.inner_text()
    assert _serious_violations(page) == []
    waiting.get_by_role("link", name="Answer").click()

    # The question as asked is shown; the published version starts as asked and is edited.
    assert ASKED in page.locator(".question-as-asked").inner_text()
    published = page.get_by_label("Question as published")
    assert published.input_value() == ASKED
    assert _serious_violations(page) == []
    published.fill(PUBLISHED)
    page.get_by_label("Answer").fill("A commercial cold box meeting section 3 is acceptable.")
    page.get_by_role("button", name="Publish the answer").click()
    page.get_by_text("Answer published").wait_for()

    # A visitor on a phone reads the edited question and the answer; the asker's company is
    # nowhere.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(call.get_absolute_url())
    qa = page.locator("#questions")
    qa.get_by_text(PUBLISHED).scroll_into_view_if_needed()
    assert qa.get_by_text(PUBLISHED).is_visible()
    assert qa.get_by_text("A commercial cold box meeting section 3 is acceptable.").is_visible()
    assert "NordCryo" not in page.content()
    assert _serious_violations(page) == []
