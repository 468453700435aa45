"""In a real chromium: a Danish reader on a phone sees each CPV code of a call with its own
Danish label, on the calls list (cut short, the full label in the title) and on the call's page
(wrapped), within the screen's width; axe-core finds no serious or critical violation."""

import pytest

from organisations.models import CPVCode
from tests.browser import ensure_reference_data
from tests.factories import InfrastructureFactory, ProcurementCallFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

CODES = ["31711420", "31711424", "31630000"]


def _no_serious_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    bad = [
        (v["id"], [n["target"] for n in v["nodes"]][:5])
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], f"{page.url}: {bad}"


def test_a_danish_reader_on_a_phone_sees_each_code_with_its_danish_label(browser_page, live_server):
    ensure_reference_data()
    buyer = InfrastructureFactory(name="Nordic Light Lab", slug="nordic-light-lab")
    call = ProcurementCallFactory(
        buyer=buyer,
        title="Undulator electronics",
        main_cpv_id=CODES[0],
        additional_cpv=CODES[1:],
    )
    danish = {c.code: c.labels["da"] for c in CPVCode.objects.filter(code__in=CODES)}
    page = browser_page
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": "da", "url": live_server.url}])
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto("/calls/")
    chips = page.locator(".call-row .code-item")
    assert chips.count() == 3
    for i, code in enumerate(CODES[:1] + sorted(CODES[1:])):
        chip = chips.nth(i)
        assert chip.locator(".code-item-code").inner_text() == code
        assert chip.get_attribute("title") == f"{code} · {danish[code]}"
        box = chip.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # cut, not past the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _no_serious_violations(page)

    page.goto(call.get_absolute_url())
    facts = page.locator(".call-facts .code-item")
    assert [facts.nth(i).inner_text() for i in range(3)] == [
        f"{code} · {danish[code]}" for code in CODES[:1] + sorted(CODES[1:])
    ]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _no_serious_violations(page)
