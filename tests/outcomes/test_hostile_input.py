"""Bad and hostile input on the outcomes pages: a clear message, nothing stored, never a 500."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from outcomes.models import Contribution, FunnelStep

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"start": "2024-12-31", "end": "2024-01-01"}, "The period must start before it ends."),
        ({"start": "1900-01-01"}, "Choose dates between 1950 and 2100."),
        ({"start": "1960-01-01", "end": "2020-01-01"}, "at most 25 years"),
        ({"start": "99999999-01-01"}, "Enter a valid date."),
        ({"start": "<script>alert(1)</script>"}, "Enter a valid date."),
        ({"end": "2024-01-01\r\nSet-Cookie: x=1"}, "Enter a valid date."),
    ],
)
def test_a_bad_period_is_said_and_the_default_shown(client, world, params, says):
    client.force_login(world.users["cluster_manager"])
    response = client.get(reverse("outcomes:cluster_dashboard", args=[world.cluster.slug]), params)
    assert response.status_code == 200
    page = response.content.decode()
    assert says in page
    assert "<script>alert(1)</script>" not in page
    default = response.context["period"]
    assert default.end == timezone.localdate()


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("value", "1e999999", "less than or equal to"),
        ("value", "NaN", "Enter a number."),
        ("value", "100000000000000000", "Ensure that there are no more than 16 digits"),
        ("value", "-5", "greater than or equal to 0"),
        ("currency", "E\r\nU", "A currency is three letters"),
        ("note", "x" * 501, "at most 500 characters"),
        ("note", "first line\r\nsecond line", "one line"),
        ("occurred_on", "2999-01-01", "The date cannot be in the future."),
    ],
)
def test_a_bad_step_is_refused_with_a_message(client, world, field, value, says):
    client.force_login(world.users["company"])
    data = {
        "kind": "lost",
        "occurred_on": timezone.localdate().isoformat(),
        "value": "",
        "currency": "EUR",
        "note": "",
        field: value,
    }
    before = FunnelStep.objects.count()
    response = client.post(
        reverse("outcomes:call_steps", args=[world.company.slug, world.call.pk]), data
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert says in response.content.decode()
    assert FunnelStep.objects.count() == before


def test_an_oversized_or_hostile_sheet_is_refused(client, world):
    client.force_login(world.users["staff"])
    url = reverse("outcomes:figures_import")
    big = SimpleUploadedFile("big.csv", b"country,year,share_percent\n" + b"DK,2024,1\n" * 60_000)
    response = client.post(
        url,
        {
            "what": "contributions",
            "infrastructure": world.buyer.pk,
            "source_title": "A source",
            "file": big,
        },
    )
    assert response.status_code == 200
    assert "larger than 512 KB" in response.content.decode()
    formula = SimpleUploadedFile(
        "shares.csv", b"country,year,share_percent\n=HYPERLINK(1),2024,1\n"
    )
    before = Contribution.objects.count()
    response = client.post(
        url,
        {
            "what": "contributions",
            "infrastructure": world.buyer.pk,
            "source_title": "A source",
            "file": formula,
        },
    )
    assert response.status_code == 200
    assert "not a country code" in response.content.decode()
    assert Contribution.objects.count() == before
