"""Co-organisers: an organiser invites another organisation, an administrator of it accepts or
declines; accepted, its members run the organiser tools (the B2B scheduler too)."""

import pytest
from django.urls import reverse

from bigscience_portal.core.errors import ActionRefused
from bigscience_portal.core.models import Notification
from events import coorganising
from events.models import BrokerageSettings, CoOrganiserInvitation
from organisations.models import Membership
from tests.factories import (
    BrokerageEventFactory,
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    StaffFactory,
)
from tests.roles import LOGIN, Access, check_access, expect, matrix

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "other_org", "organiser", "invited_admin", "invited_editor", "staff")


class World:
    def __init__(self):
        self.host = ClusterFactory(name="BigScience.dk")
        self.partner = ClusterFactory(name="LITEK")
        self.organiser = MembershipFactory(organisation=self.host).user
        self.partner_admin = MembershipFactory(
            organisation=self.partner, role=Membership.Role.ADMIN
        ).user
        self.partner_editor = MembershipFactory(organisation=self.partner).user
        self.event = BrokerageEventFactory(organisers=[self.host])
        self.invitation = coorganising.co_organiser_invite(
            event=self.event, organisation=self.partner, user=self.organiser
        )
        self.users = {
            "anonymous": None,
            "other_org": MembershipFactory(organisation=OrganisationFactory()).user,
            "organiser": self.organiser,
            "invited_admin": self.partner_admin,
            "invited_editor": self.partner_editor,
            "staff": StaffFactory(),
        }


@pytest.fixture
def world():
    return World()


def _accepted(w):
    return w.event.organisers.filter(pk=w.partner.pk).exists()


CASES = [
    Access(
        "co-organisers page",
        "get",
        lambda w: reverse("events:co_organisers", args=[w.event.slug]),
        expect(
            anonymous=LOGIN,
            other_org=403,
            organiser=200,
            invited_admin=403,
            invited_editor=403,
            staff=200,
        ),
    ),
    Access(
        "invite",
        "post",
        lambda w: reverse("events:co_organisers", args=[w.event.slug]),
        expect(
            anonymous=LOGIN,
            other_org=403,
            organiser=302,
            invited_admin=403,
            invited_editor=403,
        ),
        setup=lambda w: setattr(w, "third", MembershipFactory(role=Membership.Role.ADMIN)),
        data=lambda w: {"organisation": w.third.organisation.pk},
        effect=lambda w: CoOrganiserInvitation.objects.filter(
            organisation=w.third.organisation
        ).exists(),
    ),
    Access(
        "accept",
        "post",
        lambda w: reverse("events:co_organiser_decide", args=[w.invitation.pk]),
        expect(
            anonymous=LOGIN,
            other_org=404,
            organiser=404,
            invited_admin=302,
            invited_editor=404,
            staff=404,
        ),
        data=lambda w: {"answer": "accept"},
        effect=_accepted,
    ),
]


@pytest.mark.parametrize(("case", "role"), matrix(CASES, ROLES))
def test_access(client, world, case, role):
    check_access(client, world, case, role)


def test_an_accepted_co_organiser_runs_the_scheduler(client, world):
    assert Notification.objects.filter(
        user=world.partner_admin, key__startswith="events.co_organiser:"
    ).exists()
    schedule_run = reverse("events:schedule_run", args=[world.event.slug])
    client.force_login(world.partner_editor)
    assert client.post(schedule_run).status_code == 403  # not before accepting
    coorganising.co_organiser_decide(
        invitation=world.invitation, user=world.partner_admin, accept=True
    )
    assert client.post(schedule_run).status_code == 302
    assert BrokerageSettings.objects.get(event=world.event).last_run_at is not None
    assert client.get(reverse("events:schedule", args=[world.event.slug])).status_code == 200
    # and the host is told
    assert Notification.objects.filter(
        user=world.organiser, key=f"events.co_organiser:{world.invitation.pk}:accepted"
    ).exists()


def test_a_declined_invitation_shares_nothing_and_cannot_be_answered_twice(world):
    coorganising.co_organiser_decide(
        invitation=world.invitation, user=world.partner_admin, accept=False
    )
    assert not _accepted(world)
    with pytest.raises(ActionRefused, match="answered already"):
        coorganising.co_organiser_decide(
            invitation=world.invitation, user=world.partner_admin, accept=True
        )


def test_inviting_twice_an_organiser_or_an_organisation_without_admins_is_refused(world):
    with pytest.raises(ActionRefused, match="invited already"):
        coorganising.co_organiser_invite(
            event=world.event, organisation=world.partner, user=world.organiser
        )
    with pytest.raises(ActionRefused, match="already organises"):
        coorganising.co_organiser_invite(
            event=world.event, organisation=world.host, user=world.organiser
        )
    with pytest.raises(ActionRefused, match="no administrator"):
        coorganising.co_organiser_invite(
            event=world.event, organisation=OrganisationFactory(), user=world.organiser
        )
    with pytest.raises(ActionRefused, match="Only an organiser"):
        coorganising.co_organiser_invite(
            event=world.event, organisation=OrganisationFactory(), user=world.partner_admin
        )


def test_b2b_meetings_can_be_switched_on_for_any_kind_of_event(client, world):
    from tests.factories import EventFactory

    workshop = EventFactory(kind="workshop", organisers=[world.host])
    client.force_login(world.organiser)
    settings_url = reverse("events:brokerage_settings", args=[workshop.slug])
    assert client.get(settings_url).status_code == 404
    workshop.b2b_meetings = True
    workshop.save()
    assert client.get(settings_url).status_code == 200
    assert (
        "B2B settings"
        in client.get(reverse("events:event_edit", args=[workshop.slug])).content.decode()
    )
