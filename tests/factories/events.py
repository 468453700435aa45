"""Factories of the events app (re-exported by tests.factories).

    event = EventFactory(organisers=[org])                      # a published workshop in 30 days
    b2b = BrokerageEventFactory(organisers=[org], sessions=2, brokerage__tables=3)
    me = ParticipantFactory(event=b2b)                          # confirmed, for a member of an org
    MeetingRequestFactory(requester=me, recipient=ParticipantFactory(event=b2b))

A confirmed registration for a B2B event is available in every meeting session, as
``services.registration_create`` makes it (``available=False`` leaves it unavailable). Tests about
registering itself (capacity, waiting list, mails) go through the service instead.
"""

from datetime import timedelta

import factory
from django.utils import timezone

from events.models import (
    Availability,
    BrokerageSettings,
    Event,
    EventOpportunity,
    Meeting,
    MeetingRequest,
    MeetingSession,
    ProgrammeSession,
    Registration,
    RegistrationQuestion,
)
from innovation.models import PartnershipOpportunity

from .innovation import OpportunityFactory
from .organisations import MembershipFactory, OrganisationFactory, UserFactory

__all__ = [
    "AvailabilityFactory",
    "BrokerageEventFactory",
    "BrokerageSettingsFactory",
    "EventFactory",
    "EventOpportunityFactory",
    "MeetingFactory",
    "MeetingRequestFactory",
    "MeetingSessionFactory",
    "ParticipantFactory",
    "ProgrammeSessionFactory",
    "RegistrationFactory",
    "RegistrationQuestionFactory",
]


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


class BrokerageSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BrokerageSettings

    event = factory.SubFactory(EventFactory, kind=Event.Kind.BROKERAGE)
    slot_minutes = 30
    tables = 2
    max_meetings_per_participant = 4


class MeetingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingSession

    event = factory.SubFactory(EventFactory, kind=Event.Kind.BROKERAGE)
    name = factory.Sequence(lambda n: f"Session {n + 1}")
    starts_at = factory.LazyAttribute(lambda o: o.event.starts_at)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(minutes=60))


def _on_the_hour_in_20_days():
    return (timezone.now() + timedelta(days=20)).replace(minute=0, second=0, microsecond=0)


class BrokerageEventFactory(EventFactory):
    """A B2B brokerage event with its settings (30-minute slots, 2 tables, at most 4 meetings
    each) and ``sessions`` one-hour meeting sessions, three hours apart (1 unless told)."""

    kind = Event.Kind.BROKERAGE
    title = "B2B brokerage"
    starts_at = factory.LazyFunction(_on_the_hour_in_20_days)
    brokerage = factory.RelatedFactory(BrokerageSettingsFactory, factory_related_name="event")

    @factory.post_generation
    def sessions(self, create, extracted, **kwargs):
        if not create:
            return
        for i in range(1 if extracted is None else extracted):
            start = self.starts_at + timedelta(hours=3 * i)
            MeetingSessionFactory(
                event=self,
                name=f"Session {i + 1}",
                starts_at=start,
                ends_at=start + timedelta(minutes=60),
            )


class ProgrammeSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeSession

    event = factory.SubFactory(EventFactory)
    starts_at = factory.LazyAttribute(lambda o: o.event.starts_at)
    title = factory.Sequence(lambda n: f"Talk {n}")


class RegistrationQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegistrationQuestion

    event = factory.SubFactory(EventFactory)
    text = factory.Sequence(lambda n: f"Question {n}?")


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed registration of a person for themself (no organisation)."""

    class Meta:
        model = Registration
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    organisation = None
    status = Registration.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def available(self, create, extracted, **kwargs):
        """B2B participants start available in every meeting session (as the service does)."""
        if not create or extracted is False:
            return
        if self.event.is_brokerage and self.status == Registration.Status.CONFIRMED:
            Availability.objects.bulk_create(
                [
                    Availability(registration=self, session=s)
                    for s in self.event.meeting_sessions.all()
                ],
                ignore_conflicts=True,
            )


class ParticipantFactory(RegistrationFactory):
    """A confirmed registration on behalf of an organisation, by one of its members."""

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.LazyAttribute(lambda o: MembershipFactory(organisation=o.organisation).user)


class AvailabilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Availability
        django_get_or_create = ("registration", "session")

    registration = factory.SubFactory(RegistrationFactory)
    session = factory.SubFactory(MeetingSessionFactory)


class EventOpportunityFactory(factory.django.DjangoModelFactory):
    """A participant's cooperation opportunity at the event: a partnership opportunity of
    their organisation shown there only (``opportunity__title=...``, ``opportunity__kind=...``,
    ``opportunity__cpv_codes=[...]``)."""

    class Meta:
        model = EventOpportunity

    registration = factory.SubFactory(ParticipantFactory)
    opportunity = factory.SubFactory(
        OpportunityFactory,
        organisation=factory.SelfAttribute("..registration.organisation"),
        visibility=PartnershipOpportunity.Visibility.EVENT,
        description="Cryogenic valves and helium transfer lines.",
    )


class MeetingRequestFactory(factory.django.DjangoModelFactory):
    """A meeting request between two participants of the same B2B event (requested)."""

    class Meta:
        model = MeetingRequest

    requester = factory.SubFactory(ParticipantFactory)
    recipient = factory.SubFactory(ParticipantFactory, event=factory.SelfAttribute("..event"))
    event = factory.LazyAttribute(lambda o: o.requester.event)
    message = ""
    status = MeetingRequest.Status.REQUESTED


class MeetingFactory(factory.django.DjangoModelFactory):
    """An accepted request placed by hand: in the first slot of the event's first meeting
    session, at table 1 (give ``session``, ``slot``, ``table`` for another place)."""

    class Meta:
        model = Meeting

    class Params:
        slot = 0

    request = factory.SubFactory(MeetingRequestFactory, status=MeetingRequest.Status.ACCEPTED)
    event = factory.LazyAttribute(lambda o: o.request.event)
    session = factory.LazyAttribute(lambda o: o.event.meeting_sessions.first())
    slot_id = factory.LazyAttribute(lambda o: f"{o.session.pk}:{o.slot}")
    starts_at = factory.LazyAttribute(
        lambda o: o.session.starts_at + timedelta(minutes=o.slot * o.event.brokerage.slot_minutes)
    )
    ends_at = factory.LazyAttribute(
        lambda o: o.starts_at + timedelta(minutes=o.event.brokerage.slot_minutes)
    )
    table = 1
