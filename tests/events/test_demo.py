"""The demo events load, are organised by the demo organisations, and a rerun changes nothing."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict

from events import demo, models
from events.models import Event

pytestmark = pytest.mark.django_db

MODELS = [
    models.Event,
    models.ProgrammeSession,
    models.MeetingSession,
    models.Registration,
    models.Availability,
    models.EventOpportunity,
    models.MeetingRequest,
]


def _snapshot():
    return {m.__name__: [model_to_dict(o) for o in m.objects.order_by("pk")] for m in MODELS}


def test_demo_events_are_idempotent():
    from organisations import demo as org_demo

    org_demo.load()
    demo.load()
    first = _snapshot()
    demo.load()
    assert _snapshot() == first
    assert Event.objects.count() == 3  # the DESY workshop comes with the innovation demo
    brokerage = Event.objects.get(kind=Event.Kind.BROKERAGE)
    assert {o.slug for o in brokerage.organisers.all()} == {"f4e", "bigsciencedk"}
    assert brokerage.meeting_sessions.count() == 2 and brokerage.programme.exists()
    assert brokerage.registrations.filter(user__email="sme@demo.bigscience.example").exists()
    assert brokerage.meeting_requests.get().recipient.user.email == "sme@demo.bigscience.example"
    assert Event.objects.filter(organisers__slug="f4e", kind=Event.Kind.INDUSTRY_DAY).exists()


def test_demo_creates_missing_organisers():
    demo.load()
    assert Event.objects.filter(organisers__slug="bigsciencedk").count() == 2


def test_the_desy_offer_of_the_innovation_demo_is_shown_at_the_workshop():
    from innovation import demo as innovation_demo
    from organisations import demo as org_demo

    org_demo.load()
    innovation_demo.load()
    demo.load()
    workshop = Event.objects.get(slug=demo.WORKSHOP_SLUG)
    assert {o.slug for o in workshop.organisers.all()} == {"desy"}
    shown = models.EventOpportunity.objects.filter(registration__event=workshop)
    assert [s.opportunity.title for s in shown] == [innovation_demo.DESY_OFFER_TITLE]
    demo.load()
    assert models.EventOpportunity.objects.filter(registration__event=workshop).count() == 1
