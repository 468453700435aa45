"""``events.apps``: the panels the events app adds to pages below it (the user's area and an
organisation's page)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

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


# --- the user's area: the events one organises, with the organiser tools (issue 18, 8b/8c) ---
def test_dashboard_lists_the_events_one_organises_with_the_organiser_tools(
    client, organiser, organiser_org, brokerage
):
    workshop = EventFactory(organisers=[organiser_org], title="Our cryogenics workshop")
    draft = EventFactory(organisers=[organiser_org], title="Our draft", status=Event.Status.DRAFT)
    EventFactory(organisers=[organiser_org], title="Our cancelled day", status="cancelled")
    EventFactory(
        organisers=[organiser_org],
        title="Our past visit",
        starts_at=timezone.now() - timedelta(days=10),
    )
    EventFactory(title="Somebody else's workshop")
    ParticipantFactory(event=workshop)
    client.force_login(organiser)
    body = client.get(reverse("core:dashboard")).content.decode()
    organised = body[body.index("Events you organise") :]
    assert workshop.title in organised and draft.title in organised and "Draft" in organised
    assert brokerage.title in organised and "1 registered" in organised
    for absent in ("Our cancelled day", "Our past visit", "Somebody else's workshop"):
        assert absent not in organised
    for name in ("event_edit", "participant_list", "co_organisers"):
        assert reverse(f"events:{name}", kwargs={"slug": workshop.slug}) in organised
    # the B2B tools only for the brokerage event
    for name in ("schedule", "statistics", "brokerage_settings"):
        assert reverse(f"events:{name}", kwargs={"slug": brokerage.slug}) in organised
        assert reverse(f"events:{name}", kwargs={"slug": workshop.slug}) not in organised
    # each tool link is reachable for the organiser
    assert client.get(reverse("events:participant_list", args=[workshop.slug])).status_code == 200


def test_dashboard_of_someone_who_organises_nothing_has_no_such_section(client, member):
    user, _org = member()
    client.force_login(user)
    assert "Events you organise" not in client.get(reverse("core:dashboard")).content.decode()


def test_dashboard_queries_do_not_grow_with_the_events_one_organises(
    client, organiser, organiser_org
):
    client.force_login(organiser)
    counts = []
    for n in (1, 6):
        for _ in range(n):
            ParticipantFactory(event=EventFactory(organisers=[organiser_org]))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("core:dashboard")).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
