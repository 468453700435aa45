"""Recommendations and suggested suppliers, clicked through a real headless chromium."""

import pytest
from django.db import transaction

from matchmaking import services
from organisations.models import Membership
from tenders.signals import call_published
from tests.factories import PASSWORD, InfrastructureFactory

from .helpers import call, company, ensure_reference_data, member

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _login(page, email):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/me/")


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
    _login(page, sme.email)
    page.goto("/matchmaking/recommended/")
    card = page.locator("article.recommendation", has_text="Gyrotron supply")
    assert card.count() == 1
    assert "your ISO 9001 meets the requirement" in card.inner_text()
    assert "matches your code 31600000" in card.inner_text()

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
    _login(page, officer.email)
    page.goto(f"/matchmaking/calls/{fresh.pk}/suppliers/")
    rows = page.locator("table.suppliers tbody tr")
    assert rows.count() >= 1
    assert "GyroTech" in rows.first.inner_text()
    assert "matches your code 31600000" in rows.first.inner_text()
    assert page.get_by_role("button", name="Invite to express interest").count() >= 1
