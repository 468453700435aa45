"""Issue 18, finding 5, clicked through a real headless chromium: a company member who expressed
interest in a call sees it marked in words on the calls list and on the recommended calls; edits
a saved search (its frequency, then a filter) and sees the change on the saved-search list; the
minimum fit is asked and shown in fit words with a percentage, never as a number from 0 to 1."""

import re

import pytest
from django.db import connections

from matchmaking import services
from tests.browser import log_in
from tests.factories import InfrastructureFactory, SavedSearchFactory

from .helpers import call, company, ensure_reference_data, member

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

NO_RAW_SCORE = re.compile(r"(?<![\d.])0\.\d+")  # 0.25, 0.4: a score from 0 to 1


def test_an_sme_member_sees_their_marks_edits_a_saved_search_and_reads_fits_in_percent(
    browser_page,
):
    ensure_reference_data()
    infra = InfrastructureFactory(name="Fusion for Energy")
    gyro = company(
        name="GyroTech", capabilities="Gyrotron tubes and high-power RF sources.", cpv=("31600000",)
    )
    engineer = member(gyro)
    gyrotrons = call(buyer=infra, title="Gyrotron supply")
    call(buyer=infra, title="Gyrotron spares", days=40)
    services.recompute_all_inline()
    SavedSearchFactory(user=engineer, name="RF sources", querystring="cpv=31", frequency="daily")

    page = browser_page
    log_in(page, engineer.email, fresh=True)

    # expresses interest in the call from its page
    page.goto(gyrotrons.get_absolute_url())
    page.get_by_role("link", name="Express interest").click()
    page.get_by_label("Message to the buyer").fill("We build gyrotron tubes.")
    page.get_by_role("button", name="Send expression of interest").click()
    page.get_by_text("Your expression of interest was sent").wait_for()

    # the calls list marks that call, in words, and not the other one
    page.goto("/calls/")
    marked = page.locator(".call-row", has=page.get_by_role("link", name="Gyrotron supply"))
    assert "Interest expressed" in marked.inner_text()
    other = page.locator(".call-row", has=page.get_by_role("link", name="Gyrotron spares"))
    assert "Interest expressed" not in other.inner_text()

    # so do the recommended calls, whose scores read in percent and fit words
    page.goto("/matchmaking/recommended/")
    card = page.locator(".recommendation", has=page.get_by_role("link", name="Gyrotron supply"))
    assert "Interest expressed" in card.inner_text()
    spares = page.locator(".recommendation", has=page.get_by_role("link", name="Gyrotron spares"))
    assert "Interest expressed" not in spares.inner_text()
    assert re.search(r"score \d+% · \w+ fit", card.inner_text())
    fit_options = page.get_by_label("Fit", exact=True).locator("option").all_inner_texts()
    assert "Good fit or better (from 25%)" in fit_options, fit_options
    assert not NO_RAW_SCORE.search(page.locator("#main").inner_text())

    # the alerts' minimum fit is asked in words and percent, and kept as chosen
    page.get_by_role("link", name="E-mail alerts of new recommendations").click()
    minimum = page.get_by_label("Minimum fit")
    options = minimum.locator("option").all_inner_texts()
    assert "Strong fit only (from 40%)" in options, options
    assert not any(NO_RAW_SCORE.search(o) for o in options), options
    minimum.select_option(label="Good fit or better (from 25%)")
    page.get_by_role("button", name="Save").click()
    page.goto("/matchmaking/alerts/")
    chosen = page.get_by_label("Minimum fit").locator("option:checked").inner_text()
    assert chosen == "Good fit or better (from 25%)"

    # edits the saved search's frequency: the list says Weekly
    page.goto("/calls/saved-searches/")
    row = page.get_by_role("row", name=re.compile("RF sources"))
    assert "Daily" in row.inner_text()
    row.get_by_role("link", name="Edit RF sources").click()
    assert "CPV code: 31" in page.locator(".saved-filters").inner_text()
    page.get_by_label("Weekly", exact=True).check()  # "E-mail me new calls"
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url("**/calls/saved-searches/")
    row = page.get_by_role("row", name=re.compile("RF sources"))
    assert "Weekly" in row.inner_text() and "Daily" not in row.inner_text()

    # then its filter, on the calls list opened with the saved filters
    row.get_by_role("link", name="Edit RF sources").click()
    page.get_by_role("link", name="Change the filters on the list").click()
    assert page.get_by_label("CPV code", exact=True).input_value() == "31"
    page.get_by_label("CPV code", exact=True).fill("316")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**cpv=316*")
    page.get_by_role("button", name="Save changes to “RF sources”").click()
    page.wait_for_url("**/calls/saved-searches/")
    row = page.get_by_role("row", name=re.compile("RF sources"))
    assert "Weekly" in row.inner_text()
    assert "cpv=316" in row.get_by_role("link", name="RF sources", exact=True).get_attribute("href")
    row.get_by_role("link", name="Edit RF sources").click()
    assert "CPV code: 316" in page.locator(".saved-filters").inner_text()
    # Database work done while Playwright's event loop runs gets its own connection (asgiref's
    # context-local); close it here or it outlives the test database.
    connections.close_all()
