"""``events.apps``: the panels the events app adds to pages below it (the user's area and an
organisation's page)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from events import services
from events.models import Event
from tests.factories import EventFactory, InfrastructureFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def test_dashboard_lists_registrations_and_pending_requests(client, brokerage):
    a, b = ParticipantFactory(event=brokerage), ParticipantFactory(event=brokerage)
    services.meeting_request_create(requester=a, recipient=b, message="Hi")
    client.force_login(b.user)
    body = client.get(reverse("core:dashboard")).content.decode()
    assert b.event.title in body
    assert reverse("events:agenda", kwargs={"slug": b.event.slug}) in body
    assert a.display_name in body  # the request waiting for an answer


def test_an_organisation_page_lists_the_events_it_organises_not_those_it_hosts(
    client, organiser_org
):
    host = InfrastructureFactory(name="Hosting Lab")
    organised = EventFactory(organisers=[organiser_org], title="Our own workshop")
    EventFactory(organisers=[organiser_org], title="A draft of ours", status=Event.Status.DRAFT)
    hosted = EventFactory(title="A visit somebody else organises", host_infrastructure=host)
    body = client.get(organiser_org.get_absolute_url()).content.decode()
    assert organised.title in body and "A draft of ours" not in body
    body = client.get(host.get_absolute_url()).content.decode()
    assert hosted.title not in body
