"""Recommendations and suggested suppliers, clicked through a real headless chromium."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.db import transaction

from matchmaking import services
from organisations.models import Membership
from tenders.signals import call_published
from tests.browser import log_in
from tests.factories import InfrastructureFactory

from .helpers import call, company, ensure_reference_data, member

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_sme_sees_reasons_and_marks_a_call_not_relevant(browser_page):
    ensure_reference_data()
    infra = InfrastructureFactory(name="Fusion for Energy")
    gyro = company(
        name="GyroTech",
        capabilities="Gyrotron tubes and high-power RF sources, superconducting magnets.",
        cpv=("31600000",),
        certs=("ISO 9001",),
    )
    sme = member(gyro, role=Membership.Role.ADMIN)
    good = call(buyer=infra, title="Gyrotron supply", certs=("ISO 9001",))
    call(
        buyer=infra,
        title="RF power supplies for heating",
        description="High-voltage power supplies for gyrotrons and RF sources.",
        main_cpv="31600000",
    )
    services.recompute_all_inline()

    page = browser_page
    log_in(page, sme.email, fresh=True)
    page.goto("/matchmaking/recommended/")
    card = page.locator("article.recommendation", has_text="Gyrotron supply")
    assert card.count() == 1
    assert "you hold the required ISO 9001" in card.inner_text()
    assert "your code 31600000" in card.inner_text()
    assert " fit" in card.inner_text()  # the fit level in words beside the score

    other = page.locator("article.recommendation", has_text="RF power supplies for heating")
    other.get_by_label("Not relevant because").select_option("too_large")
    other.get_by_role("button", name="Not relevant").click()
    page.wait_for_load_state()
    assert "will not be recommended to you again" in page.content()
    assert (
        page.locator("article.recommendation", has_text="RF power supplies for heating").count()
        == 0
    )
    services.recompute_all_inline()  # even the nightly recompute does not bring it back
    page.reload()
    assert (
        page.locator("article.recommendation", has_text="RF power supplies for heating").count()
        == 0
    )
    assert page.locator(f'article.recommendation[data-call="{good.pk}"]').count() == 1


def test_liaison_officer_sees_suggested_suppliers_for_a_fresh_call(browser_page):
    ensure_reference_data()
    infra = InfrastructureFactory(name="Fusion for Energy")
    company(
        name="GyroTech",
        capabilities="Gyrotron tubes and high-power RF sources.",
        cpv=("31600000",),
    )
    company(name="Concrete Works", capabilities="Civil works and concrete.", cpv=("45000000",))
    officer = member(infra)
    with transaction.atomic():  # published the way tenders.services does: signal, then commit
        fresh = call(buyer=infra, title="Gyrotron supply, second batch")
        call_published.send(sender=None, call_id=fresh.pk)

    page = browser_page
    log_in(page, officer.email, fresh=True)
    page.goto(f"/matchmaking/calls/{fresh.pk}/suppliers/")
    rows = page.locator("table.suppliers tbody tr")
    assert rows.count() >= 1
    assert "GyroTech" in rows.first.inner_text()
    assert "GyroTech's code 31600000" in rows.first.inner_text()
    assert "your code" not in rows.first.inner_text()  # written for the officer
    assert page.get_by_role("button", name="Invite to express interest").count() >= 1


def test_a_company_adds_a_suggested_code_to_its_profile(browser_page):
    """The profile form's "Suggest CPV codes" button (organisations.js): the codes that fit the
    capabilities, each with why, and a button that adds one to the CPV field; axe finds no
    serious or critical violation in the page's content with the suggestions shown."""
    from axe_playwright_python.sync_playwright import Axe

    ensure_reference_data()
    acme = company(name="Acme Cryo", capabilities="", cpv=("42123000",))
    editor = member(acme, role=Membership.Role.ADMIN)
    page = browser_page
    log_in(page, editor.email, fresh=True)
    page.goto(f"/organisations/{acme.slug}/edit/")
    page.get_by_label("Capabilities").fill("We make cryogenic control valves for helium.")
    page.get_by_role("button", name="Suggest CPV codes from the capabilities").click()
    item = page.locator(".org-suggestions li", has_text="42131142")
    item.wait_for(timeout=120_000)  # the first suggestion of a process builds the label index
    assert "Control valves" in item.inner_text()
    assert "the text names" in item.inner_text()
    item.get_by_role("button", name="Add to").first.click()
    assert page.get_by_label("CPV codes", exact=True).input_value().split() == [
        "42123000",
        "42131142",
    ]
    assert "Added 42131142" in page.locator("[data-cpv-suggest] [aria-live]").inner_text()
    # the form's content; the site header (core's templates, not this app's) is left to its
    # own tests: axe reports the contrast of its "Notifications" and user-menu buttons
    results = Axe().run(page, context="#main")
    serious = [
        (v["id"], [n["html"][:120] for n in v["nodes"]])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def _serious(axe, page) -> list[str]:
    violations = axe.run(page).response["violations"]
    return [v["id"] for v in violations if v["impact"] in ("serious", "critical")]


def test_the_demo_sme_dismisses_a_call_finds_it_among_the_dismissed_and_undoes_it(browser_page):
    """Issue 18, finding 5: "not relevant" has its list and its undo."""
    call_command("load_demo", stdout=io.StringIO())
    page = browser_page
    page.set_default_timeout(60000)  # load_demo's pages on a loaded machine: a wait only
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    log_in(page, "sme@demo.bigscience.example", password="demo-portal-2026", fresh=True)
    page.goto("/matchmaking/recommended/")
    card = page.locator("article.recommendation").first
    title = card.locator("h3 a").inner_text()
    card.get_by_label("Not relevant because").select_option("already_known")
    card.get_by_role("button", name="Not relevant").click()
    page.wait_for_load_state()
    message = page.locator(".messages .alert", has_text="will not be recommended to you again")
    assert message.is_visible() and title in message.inner_text()
    assert page.locator("article.recommendation", has_text=title).count() == 0
    axe = Axe()
    assert _serious(axe, page) == []  # the message's undo button and link too

    message.get_by_role("link", name="Calls you marked not relevant").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Calls you marked not relevant").is_visible()
    row = page.locator("table.dismissed tbody tr", has_text=title)
    assert row.count() == 1 and "Already known" in row.inner_text()
    assert _serious(axe, page) == []

    row.get_by_role("button", name="Undo").click()
    page.wait_for_url("**/matchmaking/recommended/**")
    assert page.get_by_text("is no longer marked not relevant").is_visible()
    again = page.locator("article.recommendation", has_text=title)
    assert again.count() == 1
    again.scroll_into_view_if_needed()
    assert again.is_visible()
    page.goto(page.url.replace("/recommended/", "/recommended/dismissed/"))
    assert page.get_by_text("You have not marked any call not relevant.").is_visible()
