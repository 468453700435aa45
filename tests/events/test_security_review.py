"""Security review: the events list does not reveal who organises a draft event."""

import pytest
from django.urls import reverse

from events.models import Event
from tests.factories import OrganisationFactory

from .conftest import EventFactory

pytestmark = pytest.mark.django_db


def test_organiser_filter_does_not_name_organisers_of_draft_events(client):
    public = OrganisationFactory(name="Visible Organiser Org")
    secret = OrganisationFactory(name="Organiser Of A Secret Draft")
    EventFactory(organisers=[public])
    EventFactory(organisers=[secret], status=Event.Status.DRAFT)
    page = client.get(reverse("events:event_list")).content.decode()
    assert "Visible Organiser Org" in page
    assert "Organiser Of A Secret Draft" not in page
