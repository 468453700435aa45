"""Template helpers of the calls app: the deadline countdown, the calls part of the user's area."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tenders import services
from tenders.templatetags.tenders_tags import countdown_text
from tests.factories import ClarificationFactory, ProcurementCallFactory


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(days=3, hours=4, minutes=10), "closes in 3 days 4 hours"),
        (timedelta(days=1), "closes in 1 day"),
        (timedelta(hours=5, minutes=7), "closes in 5 hours 7 minutes"),
        (timedelta(minutes=1), "closes in 1 minute"),
        (timedelta(seconds=-1), "deadline passed"),
    ],
)
def test_countdown_text(delta, text):
    now = timezone.now()
    assert countdown_text(now + delta, now) == text


@pytest.mark.django_db
def test_dashboard_parts(client, officer, sme_user, buyer, company):
    call = ProcurementCallFactory(buyer=buyer, status="published")
    ClarificationFactory(call=call, question="?", asked_by=sme_user)
    services.eoi_submit(call=call, organisation=company, user=sme_user)
    services.saved_search_create(
        user=sme_user, name="Cryo alerts", querystring="cpv=42", frequency="weekly"
    )
    client.force_login(officer)
    body = client.get(reverse("core:dashboard")).content.decode()
    assert "Your calls waiting for action" in body and call.title in body
    assert "1 question waiting" in body
    client.force_login(sme_user)
    body = client.get(reverse("core:dashboard")).content.decode()
    assert "Your expressions of interest" in body and call.title in body
    assert "Cryo alerts" in body
