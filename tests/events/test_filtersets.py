"""``events.filtersets``: the filters of the event list, the participant list and the B2B
catalogue, as the pages apply them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Registration
from tests.factories import (
    EventFactory,
    EventOpportunityFactory,
    OrganisationFactory,
    ParticipantFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db


def test_event_filters_kind_country_organiser_when_and_text(client, organiser_org):
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

    def page(**params):
        return client.get(url, params).content.decode()

    body = page(kind="facility_visit")
    assert visit.title in body and industry.title not in body
    body = page(country="FR")
    assert visit.title in body and industry.title not in body
    body = page(country="ES")  # the organiser's country
    assert industry.title in body and visit.title not in body
    body = page(organiser=es_org.pk)
    assert industry.title in body and visit.title not in body
    assert "Organiser: Spanish Organiser" in body  # the active filter, with a way to remove it
    body = page(when="past")
    assert past.title in body and visit.title not in body
    body = page(when="upcoming")
    assert past.title not in body and visit.title in body
    body = page(q="tokamak")
    assert visit.title in body and industry.title not in body


def test_organiser_filter_does_not_name_organisers_of_draft_events(client):
    public = OrganisationFactory(name="Visible Organiser Org")
    secret = OrganisationFactory(name="Organiser Of A Secret Draft")
    EventFactory(organisers=[public])
    EventFactory(organisers=[secret], status=Event.Status.DRAFT)
    page = client.get(reverse("events:event_list")).content.decode()
    assert "Visible Organiser Org" in page
    assert "Organiser Of A Secret Draft" not in page


def test_participant_list_filters_by_status(client, organiser, event):
    confirmed = RegistrationFactory(event=event)
    waiting = RegistrationFactory(
        event=event, status=Registration.Status.WAITLISTED, waitlist_position=1
    )
    client.force_login(organiser)
    url = reverse("events:participant_list", kwargs={"slug": event.slug})
    body = client.get(url, {"status": "waitlisted"}).content.decode()
    assert waiting.user.email in body and confirmed.user.email not in body


def test_catalogue_filters_by_offer_type_and_cpv(client, brokerage):
    a, b, c = (ParticipantFactory(event=brokerage) for _ in range(3))
    EventOpportunityFactory(
        registration=b,
        opportunity__title="Valves",
        opportunity__description="Cryogenic valves",
        opportunity__cpv_codes=["42131000"],
    )
    EventOpportunityFactory(
        registration=c,
        opportunity__kind="rd_request",
        opportunity__title="Detector R&D",
        opportunity__description="Pixel sensors",
    )
    client.force_login(a.user)
    url = reverse("events:catalogue", kwargs={"slug": brokerage.slug})
    names = lambda r: {p.pk for p in r.context["page_obj"]}  # noqa: E731
    assert names(client.get(url, {"opportunity": "technology_offer"})) == {b.pk}
    assert names(client.get(url, {"cpv": "4213"})) == {b.pk}
    assert names(client.get(url, {"q": "pixel"})) == {c.pk}
    body = client.get(url).content.decode()
    assert f"Request a meeting with {b.display_name}" in body
    assert f"Request a meeting with {a.display_name}" not in body  # not with oneself
