"""One journey in a real headless chromium: an SME writes to the officer about a call from its
expression of interest, the officer answers, both see the conversation and its unread marker
clear. axe-core finds no serious or critical problem on the two pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from conversations.models import Message
from tests.browser import log_in
from tests.factories import (
    ExpressionOfInterestFactory,
    InfrastructureFactory,
    MembershipFactory,
    OrganisationFactory,
    ProcurementCallFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _serious(page) -> list[str]:
    # the page's own content; the shared header (core's) is checked by core's tests
    results = Axe().run(page, context="#main")
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def test_sme_writes_to_the_officer_and_the_officer_answers(browser_page):
    buyer = InfrastructureFactory(name="Fusion for Energy", acronym="F4E", slug="f4e-conv")
    officer = UserFactory(email="ilo.conv@example.org", first_name="Olga", last_name="Berg")
    MembershipFactory(user=officer, organisation=buyer)
    company = OrganisationFactory(name="NordCryo ApS (demo)", slug="nordcryo-conv")
    sme = UserFactory(email="sme.conv@example.org", first_name="Sune", last_name="Holm")
    MembershipFactory(user=sme, organisation=company)
    call = ProcurementCallFactory(buyer=buyer, title="Gyrotron RF source for plasma heating")
    ExpressionOfInterestFactory(call=call, organisation=company, submitted_by=sme)
    page = browser_page

    # 1. The SME writes to the officer from the call page (its expression of interest).
    log_in(page, sme.email, fresh=True)
    page.goto(call.get_absolute_url())
    page.get_by_role("link", name="Write to the officer").click()
    page.get_by_label("Message").fill("Would a 140 GHz prototype be acceptable for the first lot?")
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Your message is sent").wait_for()
    assert _serious(page) == []

    # 2. The officer sees it unread in Messages, opens it (the marker clears) and answers.
    log_in(page, officer.email, fresh=True)
    page.get_by_text("Olga Berg").click()  # the user menu
    page.get_by_role("link", name="Messages").click()
    row = page.get_by_role("row").filter(has_text="Gyrotron RF source")
    assert row.get_by_text("unread", exact=True).is_visible()
    assert _serious(page) == []
    row.get_by_role("link").first.click()
    assert "140 GHz prototype" in page.locator(".conversation-thread").inner_text()
    page.get_by_label("Message").fill("Yes, within the tolerances of annex 2.")
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Your message is sent").wait_for()
    page.goto("/messages/")
    assert page.get_by_role("row").filter(has_text="Gyrotron").get_by_text("unread").count() == 0

    # 3. The SME sees the answer unread, reads it, and the marker clears for her too.
    log_in(page, sme.email, fresh=True)
    page.goto("/messages/")
    row = page.get_by_role("row").filter(has_text="Gyrotron RF source")
    assert row.get_by_text("unread", exact=True).is_visible()
    row.get_by_role("link").first.click()
    thread = page.locator(".conversation-thread").inner_text()
    assert "annex 2" in thread and "Olga Berg" in thread
    page.goto("/messages/")
    assert page.get_by_role("row").filter(has_text="Gyrotron").get_by_text("unread").count() == 0
    assert Message.objects.count() == 2
