"""A recommended call shows its deadline in the call's time zone, with the zone, in the
reader's date format (``core.dates``)."""

import datetime as dt

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_recommended_calls_show_the_deadline_with_the_calls_zone(client, world):
    call = world["call"]
    call.tender_period_end = dt.datetime(2030, 3, 15, 15, 0, tzinfo=dt.UTC)
    call.time_zone = "Europe/Helsinki"
    call.save()
    client.force_login(world["users"]["sme"])
    html = client.get(reverse("matchmaking:recommended")).content.decode()
    assert "Deadline 15 March 2030, 17:00 EET" in html
    client.cookies["django_language"] = "da"
    html = client.get(reverse("matchmaking:recommended")).content.decode()
    assert "15. marts 2030 17:00 EET" in html
