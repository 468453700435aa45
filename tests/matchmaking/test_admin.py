"""Runs and matches in the admin (``matchmaking.admin``), for staff only."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_runs_are_in_the_admin_for_staff(client, world):
    client.force_login(world["users"]["staff"])
    response = client.get(reverse("admin:matchmaking_matchrun_changelist"))
    assert response.status_code == 200
    assert "Full recompute" in response.content.decode()
    client.force_login(world["users"]["sme"])
    assert client.get(reverse("admin:matchmaking_matchrun_changelist")).status_code == 302
