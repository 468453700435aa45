"""Every events page by role (``tests.roles``): anonymous, another organisation's user, the
participant, the organiser and staff, with the effect of every write; and what organisers may
never read."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from events import selectors, services
from events.models import BrokerageSettings, Event, Meeting, MeetingRequest, Registration
from tests.factories import (
    BrokerageEventFactory,
    EventOpportunityFactory,
    MeetingFactory,
    MeetingRequestFactory,
    OrganisationFactory,
    ParticipantFactory,
)
from tests.roles import LOGIN, Access, check_access, expect, matrix, same_for

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "other_org", "participant", "organiser", "staff")
SECRET = "Our confidential price list is attached"


@pytest.fixture
def world(organiser_org, organiser, outsider, staff, sme, sme_user):
    """A published B2B schedule: the participant (``me``) has an accepted, placed meeting with
    ``other`` whose message is confidential, a request from ``third`` waiting for an answer and
    an opportunity; ``fourth`` has no request yet."""
    event = BrokerageEventFactory(
        organisers=[organiser_org], brokerage__published_at=timezone.now()
    )
    me = ParticipantFactory(event=event, organisation=sme, user=sme_user)
    other = ParticipantFactory(
        event=event, organisation=OrganisationFactory(name="Other Participant GmbH")
    )
    third, fourth = ParticipantFactory(event=event), ParticipantFactory(event=event)
    meeting = MeetingFactory(
        request__requester=other,
        request__recipient=me,
        request__message=SECRET,
        request__status=MeetingRequest.Status.ACCEPTED,
    )
    users = {
        "anonymous": None,
        "other_org": outsider,
        "participant": sme_user,
        "organiser": organiser,
        "staff": staff,
    }
    return SimpleNamespace(
        event=event,
        organiser_org=organiser_org,
        me=me,
        other=other,
        fourth=fourth,
        req=meeting.request,
        meeting=meeting,
        pending=MeetingRequestFactory(requester=third, recipient=me),
        opp=EventOpportunityFactory(registration=me, opportunity__title="Cryostat"),
        published_at=event.brokerage.published_at,
        users=users,
    )


def url(name, **pks):
    """The URL of ``events:<name>`` for the world's event (and ``pk`` from the world)."""
    return lambda w: reverse(
        f"events:{name}", kwargs={"slug": w.event.slug, **{k: f(w) for k, f in pks.items()}}
    )


def fresh(model, obj):
    return model.objects.get(pk=obj.pk)


def _co_organiser_invitation(w):
    """An invitation of the participant's company to co-organise; the participant is its admin."""
    from events.models import CoOrganiserInvitation
    from organisations.models import Membership

    Membership.objects.filter(user=w.users["participant"]).update(role=Membership.Role.ADMIN)
    return CoOrganiserInvitation.objects.create(event=w.event, organisation=w.me.organisation)


def _brokerage(w):
    return BrokerageSettings.objects.get(event=w.event)


PUBLIC = same_for(ROLES, 200)
ORGANISER = expect(anonymous=LOGIN, other_org=403, participant=403, organiser=200, staff=200)
ORGANISER_WRITE = {**ORGANISER, "organiser": 302, "staff": 302}
OWN = expect(anonymous=LOGIN, other_org=403, participant=200, organiser=403, staff=403)
OWN_WRITE = {**OWN, "participant": 302}


def _event_data(w):
    return {
        "title": "Renamed B2B days",
        "kind": Event.Kind.BROKERAGE,
        "status": Event.Status.PUBLISHED,
        "organisers": [w.organiser_org.pk],
        "starts_at": "2027-05-03T09:00",
        "ends_at": "2027-05-03T17:00",
        "time_zone": w.event.time_zone,
        "programme-TOTAL_FORMS": "0",
        "programme-INITIAL_FORMS": "0",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
    }


def _settings_data(w):
    session = w.event.meeting_sessions.get()
    return {
        "slot_minutes": 30,
        "tables": 7,
        "max_meetings_per_participant": 4,
        "sessions-TOTAL_FORMS": "1",
        "sessions-INITIAL_FORMS": "1",
        "sessions-0-id": session.pk,
        "sessions-0-name": session.name,
        "sessions-0-starts_at": "2027-05-03T09:00",
        "sessions-0-ends_at": "2027-05-03T10:00",
    }


def _free_place(w):
    return {"slot": selectors.meeting_slots(event=w.event)[1].id, "table": 2}


CASES = [
    # everyone
    Access("event_list", "get", lambda w: reverse("events:event_list"), PUBLIC),
    Access("event_detail", "get", url("event_detail"), PUBLIC),
    Access("event_ics", "get", url("event_ics"), PUBLIC),
    Access(
        "event_create",
        "get",
        lambda w: reverse("events:event_create"),
        {**same_for(ROLES, 200), "anonymous": LOGIN},
    ),
    # a registered participant is sent back to the event page
    Access(
        "event_register",
        "get",
        url("event_register"),
        {**PUBLIC, "anonymous": LOGIN, "participant": 302},
    ),
    Access("registration_cancel", "get", url("registration_cancel"), OWN),
    Access(
        "registration_cancel (post)",
        "post",
        url("registration_cancel"),
        OWN_WRITE,
        effect=lambda w: fresh(Registration, w.me).status == Registration.Status.CANCELLED,
    ),
    # organisers
    Access("event_edit", "get", url("event_edit"), ORGANISER),
    Access(
        "event_edit (post)",
        "post",
        url("event_edit"),
        ORGANISER_WRITE,
        data=_event_data,
        effect=lambda w: fresh(Event, w.event).title == "Renamed B2B days",
    ),
    Access("participant_list", "get", url("participant_list"), ORGANISER),
    Access("participant_export", "get", url("participant_export"), ORGANISER),
    Access("brokerage_settings", "get", url("brokerage_settings"), ORGANISER),
    Access(
        "brokerage_settings (post)",
        "post",
        url("brokerage_settings"),
        ORGANISER_WRITE,
        data=_settings_data,
        effect=lambda w: (
            w.event.meeting_sessions.get().starts_at.year == 2027 and _brokerage(w).tables == 7
        ),
    ),
    Access("schedule", "get", url("schedule"), ORGANISER),
    Access("co_organisers", "get", url("co_organisers"), ORGANISER),
    Access(
        "co_organiser_decide (the participant's company, its admin answers)",
        "get",
        lambda w: reverse("events:co_organiser_decide", args=[_co_organiser_invitation(w).pk]),
        expect(anonymous=LOGIN, other_org=404, participant=200, organiser=404, staff=404),
    ),
    Access(
        "schedule_run",
        "post",
        url("schedule_run"),
        ORGANISER_WRITE,
        effect=lambda w: _brokerage(w).last_run_at is not None,
    ),
    Access("schedule_publish", "get", url("schedule_publish"), ORGANISER),
    Access(
        "schedule_publish (post)",
        "post",
        url("schedule_publish"),
        ORGANISER_WRITE,
        effect=lambda w: _brokerage(w).published_at > w.published_at,
    ),
    Access("meeting_move", "get", url("meeting_move", pk=lambda w: w.req.pk), ORGANISER),
    Access(
        "meeting_move (post)",
        "post",
        url("meeting_move", pk=lambda w: w.req.pk),
        ORGANISER_WRITE,
        data=_free_place,
        effect=lambda w: fresh(Meeting, w.meeting).locked,
    ),
    Access(
        "meeting_lock",
        "post",
        url("meeting_lock", pk=lambda w: w.req.pk),
        ORGANISER_WRITE,
        data=lambda w: {"locked": "1"},
        effect=lambda w: fresh(Meeting, w.meeting).locked,
    ),
    Access("statistics", "get", url("statistics"), ORGANISER),
    Access("outcome_summary", "get", url("outcome_summary"), ORGANISER),
    # the participant's own pages
    Access("b2b_profile", "get", url("b2b_profile"), OWN),
    Access(
        "b2b_profile (post)",
        "post",
        url("b2b_profile"),
        OWN_WRITE,
        data=lambda w: {"form": "availability"},  # available in no session
        effect=lambda w: not w.me.availabilities.exists(),
    ),
    Access("opportunity_delete", "get", url("opportunity_delete", pk=lambda w: w.opp.pk), OWN),
    Access(
        "opportunity_delete (post)",
        "post",
        url("opportunity_delete", pk=lambda w: w.opp.pk),
        OWN_WRITE,
        effect=lambda w: not w.me.opportunity_links.exists(),
    ),
    Access(
        "catalogue",
        "get",
        url("catalogue"),
        {**ORGANISER, "participant": 200},
    ),
    Access(
        "meeting_request_create",
        "get",
        url("meeting_request_create", pk=lambda w: w.fourth.pk),
        OWN,
    ),
    Access(
        "meeting_request_create (post)",
        "post",
        url("meeting_request_create", pk=lambda w: w.fourth.pk),
        OWN_WRITE,
        data=lambda w: {"message": "Shall we meet?"},
        effect=lambda w: MeetingRequest.objects.filter(requester=w.me, recipient=w.fourth).exists(),
    ),
    Access("meeting_requests", "get", url("meeting_requests"), OWN),
    Access(
        "meeting_request_decide",
        "post",
        url("meeting_request_decide", pk=lambda w: w.pending.pk),
        OWN_WRITE,
        data=lambda w: {"decision": "accept"},
        effect=lambda w: fresh(MeetingRequest, w.pending).status == MeetingRequest.Status.ACCEPTED,
    ),
    Access(
        "meeting_request_cancel", "get", url("meeting_request_cancel", pk=lambda w: w.req.pk), OWN
    ),
    Access(
        "meeting_request_cancel (post)",
        "post",
        url("meeting_request_cancel", pk=lambda w: w.req.pk),
        OWN_WRITE,
        effect=lambda w: fresh(MeetingRequest, w.req).status == MeetingRequest.Status.CANCELLED,
    ),
    Access("suggestions", "get", url("suggestions"), OWN),
    Access("agenda", "get", url("agenda"), OWN),
    Access("agenda_ics", "get", url("agenda_ics"), OWN),
    # somebody's agenda by id: its owner and staff, never the organiser or another user
    Access("agenda_of", "get", url("agenda_of", pk=lambda w: w.me.pk), {**OWN, "staff": 200}),
    Access("outcomes", "get", url("outcomes"), OWN),
]


@pytest.mark.parametrize(("case", "role"), matrix(CASES, ROLES), ids=str)
def test_access(client, world, case, role):
    check_access(client, world, case, role)


def test_every_url_is_in_the_matrix():
    from events.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {c.name.split(" ")[0] for c in CASES}


def test_organiser_pages_never_show_meeting_messages(client, world, organiser):
    client.force_login(organiser)
    slug = world.event.slug
    for name in ("schedule", "statistics", "participant_list", "catalogue", "outcome_summary"):
        body = client.get(reverse(f"events:{name}", kwargs={"slug": slug})).content.decode()
        assert SECRET not in body, name
    body = client.get(reverse("events:participant_export", kwargs={"slug": slug})).content
    assert SECRET.encode() not in body


def test_both_sides_see_the_message_but_nobody_else(client, world, sme_user):
    client.force_login(sme_user)
    url_ = reverse("events:meeting_requests", kwargs={"slug": world.event.slug})
    assert SECRET in client.get(url_).content.decode()
    client.force_login(world.other.user)
    assert SECRET in client.get(url_).content.decode()


def test_draft_events_are_hidden_from_everyone_but_organisers(client, world, organiser, outsider):
    event = world.event
    event.status = event.Status.DRAFT
    event.title = "Secret draft gathering"
    event.save()
    page = event.get_absolute_url()
    assert client.get(page).status_code == 404
    client.force_login(outsider)
    assert client.get(page).status_code == 404
    assert event.title not in client.get(reverse("events:event_list")).content.decode()
    client.force_login(organiser)
    assert client.get(page).status_code == 200
    assert event.title in client.get(reverse("events:event_list")).content.decode()


def test_participant_cannot_decide_a_request_sent_to_someone_else(client, world):
    """The requester cannot accept their own request; only the recipient can."""
    third = ParticipantFactory(event=world.event)
    req = services.meeting_request_create(requester=world.me, recipient=third, message="hi")
    client.force_login(world.me.user)
    target = reverse(
        "events:meeting_request_decide", kwargs={"slug": world.event.slug, "pk": req.pk}
    )
    assert client.post(target, {"decision": "accept"}).status_code == 403
    req.refresh_from_db()
    assert req.status == MeetingRequest.Status.REQUESTED


def test_b2b_pages_of_an_event_without_b2b_meetings_are_not_found(client, event, sme_user):
    services.registration_create(event=event, user=sme_user)
    client.force_login(sme_user)
    for name in ("b2b_profile", "catalogue", "agenda", "outcome_summary"):
        assert client.get(reverse(f"events:{name}", kwargs={"slug": event.slug})).status_code == 404
