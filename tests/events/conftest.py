"""Fixtures for the events tests: an organiser, participants, a B2B event with sessions."""

from __future__ import annotations

from datetime import timedelta

import factory
import pytest
from django.utils import timezone

from events.models import BrokerageSettings, Event, MeetingSession, Registration
from organisations.models import Membership, Organisation
from tests.factories import (
    InfrastructureFactory,
    MembershipFactory,
    OrganisationFactory,
    StaffFactory,
    UserFactory,
)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    kind = Event.Kind.WORKSHOP
    title = factory.Sequence(lambda n: f"Workshop on cryogenics {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=8))
    time_zone = "Europe/Copenhagen"
    venue = "Aarhus University"
    venue_city = "Aarhus"
    venue_country = "DK"
    status = Event.Status.PUBLISHED
    description = "Talks and meetings."

    @factory.post_generation
    def organisers(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisers.set(extracted)


@pytest.fixture
def organiser_org(db):
    return OrganisationFactory(kind=Organisation.Kind.CLUSTER, name="Organising Cluster")


@pytest.fixture
def organiser(organiser_org):
    return MembershipFactory(organisation=organiser_org, role=Membership.Role.EDITOR).user


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def outsider(db):
    """A user of another organisation, neither organiser nor participant."""
    return MembershipFactory(organisation=OrganisationFactory(name="Elsewhere ApS")).user


@pytest.fixture
def sme(db):
    return OrganisationFactory(
        name="Cryo SME",
        capabilities="Cryostats and helium transfer lines for accelerators.",
    )


@pytest.fixture
def sme_user(sme):
    return MembershipFactory(organisation=sme).user


@pytest.fixture
def infra(db):
    return InfrastructureFactory(name="Fusion Lab", capabilities="")


@pytest.fixture
def ilo_user(infra):
    return MembershipFactory(organisation=infra).user


@pytest.fixture
def event(organiser_org):
    return EventFactory(organisers=[organiser_org])


def make_brokerage(organiser_org, *, sessions=1, slot_minutes=30, tables=2, max_meetings=4):
    start = (timezone.now() + timedelta(days=20)).replace(minute=0, second=0, microsecond=0)
    ev = EventFactory(
        organisers=[organiser_org],
        kind=Event.Kind.BROKERAGE,
        title="B2B brokerage",
        starts_at=start,
        ends_at=start + timedelta(hours=8),
    )
    BrokerageSettings.objects.create(
        event=ev,
        slot_minutes=slot_minutes,
        tables=tables,
        max_meetings_per_participant=max_meetings,
    )
    for i in range(sessions):
        MeetingSession.objects.create(
            event=ev,
            name=f"Session {i + 1}",
            starts_at=start + timedelta(hours=3 * i),
            ends_at=start + timedelta(hours=3 * i, minutes=60),
        )
    return ev


@pytest.fixture
def brokerage(organiser_org):
    return make_brokerage(organiser_org)


def register(event, user, organisation=None):
    from events import services

    return services.registration_create(event=event, user=user, organisation=organisation)


@pytest.fixture
def participant_factory():
    def make(event, organisation=None):
        org = organisation or OrganisationFactory()
        user = MembershipFactory(organisation=org).user
        return register(event, user, org)

    return make


__all__ = ["EventFactory", "Registration", "UserFactory", "make_brokerage", "register"]
