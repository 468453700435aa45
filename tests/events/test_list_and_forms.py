"""The event list (filters, pagination, constant query count), detail, create and edit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Event, ProgrammeSession
from tests.factories import InfrastructureFactory, MembershipFactory, OrganisationFactory

from .conftest import EventFactory

pytestmark = pytest.mark.django_db


def _titles(response) -> str:
    return response.content.decode()


def test_filters_kind_country_organiser_when_and_text(client, organiser_org):
    es_org = OrganisationFactory(name="Spanish Organiser", country="ES")
    past = EventFactory(
        organisers=[organiser_org],
        title="Old cryo day",
        starts_at=timezone.now() - timedelta(days=10),
        ends_at=timezone.now() - timedelta(days=9),
    )
    visit = EventFactory(
        organisers=[organiser_org],
        title="Visit to the tokamak hall",
        kind=Event.Kind.FACILITY_VISIT,
        venue_country="FR",
    )
    industry = EventFactory(
        organisers=[es_org], title="Industry day magnets", kind=Event.Kind.INDUSTRY_DAY
    )
    url = reverse("events:event_list")
    body = _titles(client.get(url, {"kind": "facility_visit"}))
    assert visit.title in body and industry.title not in body
    body = _titles(client.get(url, {"country": "FR"}))
    assert visit.title in body and industry.title not in body
    body = _titles(client.get(url, {"country": "ES"}))  # the organiser's country
    assert industry.title in body and visit.title not in body
    body = _titles(client.get(url, {"organiser": es_org.pk}))
    assert industry.title in body and visit.title not in body
    body = _titles(client.get(url, {"when": "past"}))
    assert past.title in body and visit.title not in body
    body = _titles(client.get(url, {"when": "upcoming"}))
    assert past.title not in body and visit.title in body
    body = _titles(client.get(url, {"q": "tokamak"}))
    assert visit.title in body and industry.title not in body


def test_empty_state(client):
    assert "No events match" in client.get(reverse("events:event_list")).content.decode()


@pytest.mark.parametrize("user_kind", ["anonymous", "member"])
def test_list_query_count_does_not_depend_on_page_size(client, organiser_org, user_kind):
    orgs = [OrganisationFactory() for _ in range(3)]
    host = InfrastructureFactory()
    for i in range(100):
        ev = EventFactory(organisers=orgs[: 1 + i % 3], host_infrastructure=host)
        ev.organisers.add(organiser_org)
    if user_kind == "member":
        client.force_login(MembershipFactory(organisation=organiser_org).user)
    counts = []
    for size in (10, 50, 100):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("events:event_list"), {"per_page": size})
        assert response.status_code == 200
        assert len(response.context["page_obj"].object_list) == size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] == counts[2], counts


def test_participant_list_query_count_does_not_depend_on_page_size(client, organiser, event):
    for _ in range(100):
        m = MembershipFactory()
        services.registration_create(event=event, user=m.user, organisation=m.organisation)
    client.force_login(organiser)
    url = reverse("events:participant_list", kwargs={"slug": event.slug})
    counts = []
    for size in (10, 50, 100):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {"per_page": size})
        assert len(response.context["rows"]) == size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] == counts[2], counts


def test_catalogue_query_count_does_not_depend_on_page_size(client, organiser, brokerage):
    from events.models import CooperationOpportunity

    for _ in range(100):
        m = MembershipFactory()
        reg = services.registration_create(
            event=brokerage, user=m.user, organisation=m.organisation
        )
        CooperationOpportunity.objects.create(
            registration=reg, kind="technology_offer", title="Valves", description="Cryo valves"
        )
    client.force_login(organiser)
    url = reverse("events:catalogue", kwargs={"slug": brokerage.slug})
    counts = []
    for size in (10, 50, 100):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {"per_page": size})
        assert len(response.context["page_obj"].object_list) == size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] == counts[2], counts


def test_detail_shows_programme_in_the_event_time_zone(client, event):
    start = event.starts_at.replace(hour=8, minute=0, second=0, microsecond=0)  # 08:00 UTC
    event.starts_at = start
    event.save()
    ProgrammeSession.objects.create(
        event=event, starts_at=start, title="Welcome by the host", speakers="Dr. Who", room="A1"
    )
    body = client.get(event.get_absolute_url()).content.decode()
    assert "Welcome by the host" in body and "Dr. Who" in body
    assert "09:00" in body  # Europe/Copenhagen in winter is UTC+1


def test_organiser_creates_an_event_with_times_in_its_time_zone(client, organiser, organiser_org):
    client.force_login(organiser)
    url = reverse("events:event_create")
    page = client.get(url).content.decode()
    assert organiser_org.name in page
    data = {
        "title": "Fusion industry day",
        "kind": "industry_day",
        "status": "published",
        "organisers": [organiser_org.pk],
        "starts_at": "2027-03-10T09:00",
        "ends_at": "2027-03-10T17:00",
        "time_zone": "Europe/Madrid",
        "venue": "F4E",
        "venue_city": "Barcelona",
        "venue_country": "ES",
        "capacity": "80",
        "description": "Upcoming contracts.",
        "programme-TOTAL_FORMS": "1",
        "programme-INITIAL_FORMS": "0",
        "programme-0-starts_at": "2027-03-10T09:30",
        "programme-0-title": "Opening",
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-0-text": "Company size?",
        "questions-0-order": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(title="Fusion industry day")
    assert list(event.organisers.all()) == [organiser_org]
    assert event.starts_at.isoformat() == "2027-03-10T08:00:00+00:00"  # 09:00 in Madrid
    assert event.programme.get().starts_at.isoformat() == "2027-03-10T08:30:00+00:00"
    assert event.questions.get().text == "Company size?"
    # edit shows the stored times back in the event's zone
    page = client.get(reverse("events:event_edit", kwargs={"slug": event.slug})).content.decode()
    assert 'value="2027-03-10T09:00"' in page


def test_cannot_name_an_organisation_one_is_not_member_of(client, organiser):
    stranger = OrganisationFactory(name="Not Mine Ltd")
    client.force_login(organiser)
    response = client.post(
        reverse("events:event_create"),
        {
            "title": "Hijack",
            "kind": "workshop",
            "status": "draft",
            "organisers": [stranger.pk],
            "starts_at": "2027-03-10T09:00",
            "ends_at": "2027-03-10T17:00",
            "time_zone": "Europe/Madrid",
            "programme-TOTAL_FORMS": "0",
            "programme-INITIAL_FORMS": "0",
            "questions-TOTAL_FORMS": "0",
            "questions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert not Event.objects.filter(title="Hijack").exists()
    assert "Select a valid choice" in response.content.decode()


def test_editing_keeps_co_organisers_the_editor_is_not_a_member_of(client, organiser, event):
    partner = OrganisationFactory(name="Partner Cluster")
    event.organisers.add(partner)
    client.force_login(organiser)
    url = reverse("events:event_edit", kwargs={"slug": event.slug})
    form = client.get(url).context["form"]
    assert set(form.fields["organisers"].queryset) >= {partner}
    data = {
        "title": event.title,
        "kind": event.kind,
        "status": event.status,
        "organisers": [o.pk for o in event.organisers.all()],
        "starts_at": "2027-03-10T09:00",
        "ends_at": "2027-03-10T17:00",
        "time_zone": event.time_zone,
        "programme-TOTAL_FORMS": "0",
        "programme-INITIAL_FORMS": "0",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
    }
    assert client.post(url, data).status_code == 302
    assert partner in event.organisers.all()
