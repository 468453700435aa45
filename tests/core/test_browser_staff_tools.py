"""Issue 18, finding 9, clicked through a real headless chromium: the TED import and the match
runs are found in the staff's own area (/me/), not on the public calls list; a run's row names
and links its call or company; a failed run is retried with one click and the row says how it
went; the dashboard's line on the runs is a sentence, not a list of raw labels."""

import re

import pytest
from django.db import connections
from django.utils import timezone

from matchmaking.models import MatchRun
from tests.browser import ensure_reference_data, log_in
from tests.factories import (
    InfrastructureFactory,
    MatchRunFactory,
    OrganisationFactory,
    ProcurementCallFactory,
    StaffFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_staff_find_their_tools_on_me_and_retry_a_failed_run(browser_page):
    ensure_reference_data()
    gyrotrons = ProcurementCallFactory(
        buyer=InfrastructureFactory(name="Fusion for Energy"), title="Gyrotron supply"
    )
    cryoweld = OrganisationFactory(name="CryoWeld")
    MatchRunFactory(
        kind=MatchRun.Kind.COMPANY,
        target_id=cryoweld.pk,
        status=MatchRun.Status.SUCCEEDED,
        finished_at=timezone.now(),
    )
    failed = MatchRunFactory(
        kind=MatchRun.Kind.CALL,
        target_id=gyrotrons.pk,
        status=MatchRun.Status.FAILED,
        error="The worker was lost.",
        finished_at=timezone.now(),
    )
    staff = StaffFactory()
    page = browser_page

    # a visitor's calls list offers no import
    page.goto("/calls/")
    page.get_by_role("heading", name="Procurement calls").wait_for()
    assert page.get_by_role("link", name=re.compile("Import|TED upload", re.I)).count() == 0
    assert "/calls/import/" not in page.content()

    # staff find the TED import among their staff tools, and it opens
    log_in(page, staff.email, fresh=True)
    tools = page.get_by_role("list", name="Staff tools")
    tools.get_by_role("link", name="Import TED notices").click()
    page.wait_for_url("**/calls/import/ted/")
    assert "TED" in page.get_by_role("heading", level=1).inner_text()

    # the matching line on /me/ is a sentence that links to the runs, the failed ones too
    page.goto("/me/")
    line = page.locator(".runs-summary")
    text = line.inner_text()
    assert re.match(
        r"Matching: The last run, .+ ago, (failed|succeeded); 1 failed run in the last day\.", text
    ), text
    assert not re.search(r"\b(call|company|nightly|feedback)\b\s*[:,]", text), text
    line.get_by_role("link", name="the failed ones").click()
    page.wait_for_url("**/matchmaking/runs/?status=failed")

    # a run's row names and links what it scored, not a raw id
    row = page.get_by_role("row", name=re.compile("Gyrotron supply"))
    assert "Failed" in row.inner_text() and "The worker was lost." in row.inner_text()
    assert f"#{gyrotrons.pk}" not in row.get_by_role("cell").nth(2).inner_text()
    page.goto("/matchmaking/runs/")
    company_row = page.get_by_role("row", name=re.compile("CryoWeld"))
    assert company_row.get_by_role("link", name="CryoWeld").get_attribute("href") == (
        cryoweld.get_absolute_url()
    )
    assert company_row.get_by_role("button", name=re.compile("Retry")).count() == 0

    # retrying the failed run queues it again; it runs and the list says it succeeded
    row = page.get_by_role("row", name=re.compile("Gyrotron supply"))
    row.get_by_role("button", name=f"Retry run #{failed.pk}").click()
    retry = MatchRun.objects.exclude(pk=failed.pk).get(kind=MatchRun.Kind.CALL)
    page.get_by_text(f"Run #{failed.pk} queued again as run #{retry.pk}.").wait_for()
    new_row = page.get_by_role("row", name=re.compile(rf"^{retry.pk} .*Gyrotron supply"))
    assert re.search(r"Queued|Running|Succeeded", new_row.inner_text()), new_row.inner_text()
    page.reload()
    new_row = page.get_by_role("row", name=re.compile(rf"^{retry.pk} .*Gyrotron supply"))
    assert "Succeeded" in new_row.inner_text()
    new_row.get_by_role("link", name="Gyrotron supply").click()
    page.wait_for_url(f"**{gyrotrons.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == "Gyrotron supply"
    connections.close_all()
