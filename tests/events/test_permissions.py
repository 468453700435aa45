"""Every event view by (anonymous, another organisation's user, participant, organiser, staff)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from events import services
from events.models import CooperationOpportunity, MeetingRequest
from tests.factories import MembershipFactory, OrganisationFactory

from .conftest import make_brokerage, register

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "participant", "organiser", "staff"]
SECRET = "Our confidential price list is attached"


@pytest.fixture
def world(organiser_org, organiser, outsider, staff, sme, sme_user):
    event = make_brokerage(organiser_org)
    me = register(event, sme_user, sme)
    other_org = OrganisationFactory(name="Other Participant GmbH")
    other_user = MembershipFactory(organisation=other_org).user
    other = register(event, other_user, other_org)
    opp = CooperationOpportunity.objects.create(
        registration=me, kind="technology_offer", title="Cryostat", description="We build them."
    )
    req = services.meeting_request_create(requester=other, recipient=me, message=SECRET)
    services.meeting_request_decide(request=req, accept=True)
    services.schedule_run(event=event)
    services.schedule_publish(event=event)
    users = {
        "anonymous": None,
        "outsider": outsider,
        "participant": sme_user,
        "organiser": organiser,
        "staff": staff,
    }
    return {"event": event, "me": me, "other": other, "opp": opp, "req": req, "users": users}


# expected status per role: anonymous, outsider, participant, organiser, staff
PUBLIC = (200, 200, 200, 200, 200)
ORGANISER = (302, 403, 403, 200, 200)
ORGANISER_POST = (302, 403, 403, 302, 302)
OWN = (302, 403, 200, 403, 403)

VIEWS = [
    ("event_list", "get", lambda w: {}, PUBLIC),
    ("event_detail", "get", lambda w: {"slug": w["event"].slug}, PUBLIC),
    ("event_ics", "get", lambda w: {"slug": w["event"].slug}, PUBLIC),
    ("event_create", "get", lambda w: {}, (302, 200, 200, 200, 200)),
    ("event_edit", "get", lambda w: {"slug": w["event"].slug}, ORGANISER),
    # a registered participant is sent back to the event page
    ("event_register", "get", lambda w: {"slug": w["event"].slug}, (302, 200, 302, 200, 200)),
    ("registration_cancel", "get", lambda w: {"slug": w["event"].slug}, OWN),
    ("participant_list", "get", lambda w: {"slug": w["event"].slug}, ORGANISER),
    ("participant_export", "get", lambda w: {"slug": w["event"].slug}, ORGANISER),
    ("brokerage_settings", "get", lambda w: {"slug": w["event"].slug}, ORGANISER),
    ("schedule", "get", lambda w: {"slug": w["event"].slug}, ORGANISER),
    ("schedule_run", "post", lambda w: {"slug": w["event"].slug}, ORGANISER_POST),
    ("schedule_publish", "get", lambda w: {"slug": w["event"].slug}, ORGANISER),
    ("meeting_move", "get", lambda w: {"slug": w["event"].slug, "pk": w["req"].pk}, ORGANISER),
    (
        "meeting_lock",
        "post",
        lambda w: {"slug": w["event"].slug, "pk": w["req"].pk},
        ORGANISER_POST,
    ),
    ("statistics", "get", lambda w: {"slug": w["event"].slug}, ORGANISER),
    ("outcome_summary", "get", lambda w: {"slug": w["event"].slug}, ORGANISER),
    ("b2b_profile", "get", lambda w: {"slug": w["event"].slug}, OWN),
    (
        "opportunity_delete",
        "get",
        lambda w: {"slug": w["event"].slug, "pk": w["opp"].pk},
        OWN,
    ),
    ("catalogue", "get", lambda w: {"slug": w["event"].slug}, (302, 403, 200, 200, 200)),
    (
        "meeting_request_create",
        "get",
        lambda w: {"slug": w["event"].slug, "pk": w["other"].pk},
        OWN,
    ),
    ("meeting_requests", "get", lambda w: {"slug": w["event"].slug}, OWN),
    (
        "meeting_request_decide",
        "post",
        lambda w: {"slug": w["event"].slug, "pk": w["req"].pk},
        (302, 403, 302, 403, 403),
    ),
    (
        "meeting_request_cancel",
        "get",
        lambda w: {"slug": w["event"].slug, "pk": w["req"].pk},
        OWN,
    ),
    ("suggestions", "get", lambda w: {"slug": w["event"].slug}, OWN),
    ("agenda", "get", lambda w: {"slug": w["event"].slug}, OWN),
    ("agenda_ics", "get", lambda w: {"slug": w["event"].slug}, OWN),
    # somebody's agenda by id: its owner and staff, never the organiser or another user
    (
        "agenda_of",
        "get",
        lambda w: {"slug": w["event"].slug, "pk": w["me"].pk},
        (302, 403, 200, 403, 200),
    ),
    ("outcomes", "get", lambda w: {"slug": w["event"].slug}, OWN),
]


@pytest.mark.parametrize(("name", "method", "kwargs", "expected"), VIEWS, ids=[v[0] for v in VIEWS])
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, world, name, method, kwargs, expected, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    url = reverse(f"events:{name}", kwargs=kwargs(world))
    response = getattr(client, method)(url, {"decision": "accept"} if method == "post" else {})
    assert response.status_code == expected[ROLES.index(role)], (name, role)
    if role == "anonymous" and expected[0] == 302:
        assert response.url.startswith(reverse("account_login"))


def test_every_url_is_in_the_matrix():
    from events.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {v[0] for v in VIEWS}


def test_organiser_pages_never_show_meeting_messages(client, world, organiser):
    client.force_login(organiser)
    slug = world["event"].slug
    for name in ("schedule", "statistics", "participant_list", "catalogue", "outcome_summary"):
        body = client.get(reverse(f"events:{name}", kwargs={"slug": slug})).content.decode()
        assert SECRET not in body, name
    body = client.get(reverse("events:participant_export", kwargs={"slug": slug})).content
    assert SECRET.encode() not in body


def test_both_sides_see_the_message_but_nobody_else(client, world, sme_user):
    client.force_login(sme_user)
    url = reverse("events:meeting_requests", kwargs={"slug": world["event"].slug})
    assert SECRET in client.get(url).content.decode()
    client.force_login(world["other"].user)
    assert SECRET in client.get(url).content.decode()


def test_draft_events_are_hidden_from_everyone_but_organisers(client, world, organiser, outsider):
    event = world["event"]
    event.status = event.Status.DRAFT
    event.title = "Secret draft gathering"
    event.save()
    url = event.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert event.title not in client.get(reverse("events:event_list")).content.decode()
    client.force_login(organiser)
    assert client.get(url).status_code == 200
    assert event.title in client.get(reverse("events:event_list")).content.decode()


def test_participant_cannot_decide_a_request_sent_to_someone_else(
    client, world, participant_factory
):
    """The requester cannot accept their own request; only the recipient can."""
    third = participant_factory(world["event"])
    req = services.meeting_request_create(requester=world["me"], recipient=third, message="hi")
    client.force_login(world["me"].user)
    url = reverse(
        "events:meeting_request_decide", kwargs={"slug": world["event"].slug, "pk": req.pk}
    )
    assert client.post(url, {"decision": "accept"}).status_code == 403
    req.refresh_from_db()
    assert req.status == MeetingRequest.Status.REQUESTED
