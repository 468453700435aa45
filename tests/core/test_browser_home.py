"""The home page in a real headless chromium (issue 18, finding 4a): a liaison officer signs in,
opens the home page and sees what needs their attention, on a desktop and on a phone, and the
link there takes them to the questions to answer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bigscience_portal.core.models import Notification
from tests.browser import log_in
from tests.factories import (
    ClarificationFactory,
    EventFactory,
    InfrastructureFactory,
    MembershipFactory,
    ProcurementCallFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_signed_in_officer_lands_on_what_needs_their_attention(browser_page):
    buyer = InfrastructureFactory(name="Fusion for Energy", slug="f4e-home")
    officer = UserFactory(email="ilo-home@example.org")
    MembershipFactory(user=officer, organisation=buyer)
    call = ProcurementCallFactory(buyer=buyer, title="Cryostat valves", deadline_days=6)
    ClarificationFactory(call=call, question="Is the helium supply part of the lot?")
    Notification.objects.create(user=officer, key="t", title="A company expressed interest")
    EventFactory(title="Fusion industry day", starts_at=timezone.now() + timedelta(days=12))
    page = browser_page

    log_in(page, officer.email, fresh=True)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto("/")
        attention = page.get_by_role("region", name="What needs your attention")
        assert attention.is_visible()
        assert attention.bounding_box()["y"] < height  # on the first screen, not below the fold
        assert attention.bounding_box()["width"] <= width
        question = attention.get_by_role(
            "link", name="1 question waiting for your answer on “Cryostat valves”"
        )
        assert question.is_visible()
        assert attention.get_by_role("link", name="A company expressed interest").is_visible()
        assert (
            page.get_by_role("region", name="Open calls")
            .get_by_role("link", name="Cryostat valves")
            .is_visible()
        )
        assert (
            page.get_by_role("region", name="Upcoming events")
            .get_by_text("Fusion industry day")
            .is_visible()
        )

    question.click()
    page.wait_for_url(f"**/calls/{call.pk}/questions/")
    assert page.get_by_text("Is the helium supply part of the lot?").first.is_visible()

    page.goto("/")
    page.get_by_role("link", name="A company expressed interest").click()
    page.wait_for_load_state()
    page.goto("/")
    assert "0 unread" not in page.content()
    assert page.get_by_role("link", name="A company expressed interest").count() == 0
