"""What events adds to an expression of interest's page: a B2B meeting at an event both
organisations attend."""

import pytest
from django.test import RequestFactory

from events import opportunity_panels
from events.models import Event
from tests.factories import (
    BrokerageEventFactory,
    EventFactory,
    InterestFactory,
    MeetingRequestFactory,
    ParticipantFactory,
)

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _both_at(event, interest):
    me = ParticipantFactory(event=event, organisation=interest.organisation)
    other = ParticipantFactory(event=event, organisation=interest.opportunity.organisation)
    return me, other


def test_each_pair_with_its_latest_request_in_a_constant_number_of_queries(
    django_assert_max_num_queries,
):
    interest = InterestFactory()
    brokerage = BrokerageEventFactory()
    me, other = _both_at(brokerage, interest)
    MeetingRequestFactory(event=brokerage, requester=other, recipient=me)
    later = MeetingRequestFactory(event=brokerage, requester=me, recipient=other)
    second = ParticipantFactory(event=brokerage, organisation=interest.opportunity.organisation)
    with django_assert_max_num_queries(3):
        panel = opportunity_panels.interest_meetings(_request(me.user), interest)
    by_other = {o["other"].pk: o for o in panel["options"]}
    assert set(by_other) == {other.pk, second.pk}
    assert by_other[other.pk]["request"] == later
    assert by_other[second.pk]["request"] is None


def test_an_event_of_any_kind_with_b2b_meetings_is_offered():
    interest = InterestFactory()
    workshop = EventFactory(kind=Event.Kind.WORKSHOP, b2b_meetings=True)
    me, other = _both_at(workshop, interest)
    panel = opportunity_panels.interest_meetings(_request(me.user), interest)
    assert [(o["event"], o["other"]) for o in panel["options"]] == [(workshop, other)]


def test_an_event_without_b2b_meetings_is_not_offered():
    interest = InterestFactory()
    me, _other = _both_at(EventFactory(kind=Event.Kind.WORKSHOP), interest)
    assert opportunity_panels.interest_meetings(_request(me.user), interest) is None
