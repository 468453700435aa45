"""Security review: the calls list does not name unpublished organisations."""

import pytest
from django.urls import reverse

from organisations.models import Organisation
from tests.factories import InfrastructureFactory

pytestmark = pytest.mark.django_db


def test_buyer_filter_lists_published_infrastructures_only(client):
    InfrastructureFactory(name="Public Light Source", slug="public-light")
    InfrastructureFactory(
        name="Unannounced Secret Facility", slug="secret-facility", status=Organisation.Status.DRAFT
    )
    page = client.get(reverse("tenders:call_list")).content.decode()
    assert "Public Light Source" in page
    assert "Unannounced Secret Facility" not in page
    assert "secret-facility" not in page
