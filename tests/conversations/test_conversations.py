"""Messages between the organisations of an expression of interest, a cluster membership or a
meeting request: who reads, who writes, who is told, and the unread marker."""

import pytest
from django.core import mail
from django.urls import reverse

from bigscience_portal.core.errors import ActionRefused
from bigscience_portal.core.models import Notification
from conversations import services
from conversations.models import Conversation, Message
from organisations.models import Membership
from tests.factories import (
    ClusterFactory,
    ClusterMembershipFactory,
    ExpressionOfInterestFactory,
    InfrastructureFactory,
    MeetingRequestFactory,
    MembershipFactory,
    OrganisationFactory,
    ProcurementCallFactory,
    StaffFactory,
    UserFactory,
)
from tests.roles import LOGIN, Access, check_access, expect, matrix

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "other_org", "company", "officer", "staff")


class World:
    def __init__(self):
        self.buyer = InfrastructureFactory(name="Fusion for Energy (F4E)")
        self.company = OrganisationFactory(name="NordCryo ApS (demo)")
        self.officer = MembershipFactory(
            organisation=self.buyer, role=Membership.Role.ADMIN, user=UserFactory(first_name="Olga")
        ).user
        self.sme = MembershipFactory(
            organisation=self.company, user=UserFactory(first_name="Sune")
        ).user
        self.call = ProcurementCallFactory(buyer=self.buyer, title="Gyrotron RF source")
        self.eoi = ExpressionOfInterestFactory(
            call=self.call, organisation=self.company, submitted_by=self.sme
        )
        self.conversation = services.conversation_start(
            user=self.sme, about=self.eoi, body="Is a 140 GHz prototype acceptable?"
        )
        self.other_eoi = ExpressionOfInterestFactory(call=self.call)  # another company's
        self.users = {
            "anonymous": None,
            "other_org": MembershipFactory().user,
            "company": self.sme,
            "officer": self.officer,
            "staff": StaffFactory(),
        }


@pytest.fixture
def world():
    return World()


def _messages(w):
    return Message.objects.filter(conversation=w.conversation).count()


PARTIES = expect(anonymous=LOGIN, other_org=404, company=200, officer=200, staff=404)
CASES = [
    Access(
        "list",
        "get",
        lambda w: reverse("conversations:conversation_list"),
        expect(anonymous=LOGIN, other_org=200, company=200, officer=200, staff=200),
    ),
    Access("detail", "get", lambda w: w.conversation.get_absolute_url(), PARTIES),
    Access(
        "reply",
        "post",
        lambda w: w.conversation.get_absolute_url(),
        expect(anonymous=LOGIN, other_org=404, company=302, officer=302, staff=404),
        data=lambda w: {"body": "Yes, within the tolerance of annex 2."},
        effect=lambda w: _messages(w) == 2,
    ),
    Access(
        "start on the eoi (exists: goes to it)",
        "get",
        lambda w: reverse("conversations:conversation_start", args=["eoi", w.eoi.pk]),
        expect(anonymous=LOGIN, other_org=404, company=302, officer=302, staff=404),
    ),
    Access(
        "start on another company's eoi",
        "post",
        lambda w: reverse("conversations:conversation_start", args=["eoi", w.other_eoi.pk]),
        expect(anonymous=LOGIN, other_org=404, company=404, officer=302, staff=404),
        data=lambda w: {"body": "Could you tell us more about your cryostat?"},
        effect=lambda w: Conversation.objects.filter(expression_of_interest=w.other_eoi).exists(),
    ),
    Access(
        "report",
        "post",
        lambda w: reverse("conversations:conversation_report", args=[w.conversation.pk]),
        expect(anonymous=LOGIN, other_org=404, company=302, officer=302, staff=404),
        data=lambda w: {"reason": "Unsolicited advertising"},
        effect=lambda w: Conversation.objects.get(pk=w.conversation.pk).reported_at is not None,
    ),
]


@pytest.mark.parametrize(("case", "role"), matrix(CASES, ROLES))
def test_access(client, world, case, role):
    response = check_access(client, world, case, role)
    if case.name == "list" and role != "anonymous":
        shown = world.conversation.subject in response.content.decode()
        assert shown == (role in ("company", "officer"))


def test_staff_read_a_reported_conversation_only_and_never_write(client, world):
    staff = world.users["staff"]
    client.force_login(staff)
    assert client.get(world.conversation.get_absolute_url()).status_code == 404
    services.conversation_report(user=world.officer, conversation=world.conversation, reason="Spam")
    page = client.get(world.conversation.get_absolute_url())
    assert page.status_code == 200
    assert "Is a 140 GHz prototype acceptable?" in page.content.decode()
    assert 'name="body"' not in page.content.decode()
    assert client.post(world.conversation.get_absolute_url(), {"body": "x"}).status_code == 404
    listed = client.get(reverse("conversations:conversation_list")).content.decode()
    assert world.conversation.subject in listed


def test_a_message_mails_the_other_party_with_a_notification_and_a_link_to_answer(
    world, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(user=world.officer, conversation=world.conversation, body="Yes.")
    sent = [m for m in mail.outbox if m.to == [world.sme.email]]
    assert len(sent) == 1
    assert "F4E" in sent[0].subject
    assert world.conversation.get_absolute_url() in sent[0].body
    note = Notification.objects.get(user=world.sme, key__startswith="conversations.message:")
    assert note.url == world.conversation.get_absolute_url()
    assert not [m for m in mail.outbox if m.to == [world.officer.email]]  # not to the sender


def test_unread_marker_is_per_person_and_clears_on_opening(client, world):
    list_url = reverse("conversations:conversation_list")
    client.force_login(world.officer)
    assert ">unread<" in client.get(list_url).content.decode()
    client.get(world.conversation.get_absolute_url())
    assert ">unread<" not in client.get(list_url).content.decode()
    client.force_login(world.sme)  # her own message is not unread to her
    assert ">unread<" not in client.get(list_url).content.decode()
    services.message_send(user=world.officer, conversation=world.conversation, body="Answer")
    assert ">unread<" in client.get(list_url).content.decode()


def test_nobody_writes_to_an_organisation_theirs_has_no_relation_to(client, world):
    stranger = world.users["other_org"]
    with pytest.raises(ActionRefused, match="only to organisations yours has a relation to"):
        services.conversation_start(user=stranger, about=world.eoi, body="Buy our widgets")
    with pytest.raises(ActionRefused, match="not part of this conversation"):
        services.message_send(user=stranger, conversation=world.conversation, body="Hi")
    # "Write to the officer" from a call without an expression of interest says why not
    client.force_login(stranger)
    response = client.get(reverse("conversations:call_write", args=[world.call.pk]), follow=True)
    assert "has not expressed interest in this call" in response.content.decode()
    assert Conversation.objects.count() == 1


def test_call_page_offers_write_to_the_officer_and_write_to_the_company(client, world):
    client.force_login(world.sme)
    page = client.get(world.call.get_absolute_url()).content.decode()
    assert "Open the conversation" in page
    client.force_login(world.officer)
    page = client.get(world.call.get_absolute_url()).content.decode()
    assert "Write to the company" in page  # to the other company, not yet written to
    client.force_login(world.users["other_org"])
    assert "Write to the officer" not in client.get(world.call.get_absolute_url()).content.decode()


def test_a_cluster_and_its_member_and_two_meeting_participants_can_write(world):
    cluster = ClusterFactory()
    manager = MembershipFactory(organisation=cluster, role=Membership.Role.ADMIN).user
    cm = ClusterMembershipFactory(cluster=cluster, member=world.company)
    conversation = services.conversation_start(user=manager, about=cm, body="Welcome")
    assert set(conversation.parties.all()) == {cluster, world.company}
    request = MeetingRequestFactory()
    conversation = services.conversation_start(
        user=request.requester.user, about=request, body="See you at table 4"
    )
    assert conversation.parties.count() == 2


def test_empty_and_oversized_messages_are_refused_with_a_reason(client, world):
    client.force_login(world.sme)
    url = world.conversation.get_absolute_url()
    response = client.post(url, {"body": "   "})
    assert response.status_code == 200
    response = client.post(url, {"body": "x" * 5000})
    assert response.status_code == 200
    assert "at most 4000 characters" in response.content.decode()
    assert _messages(world) == 1


def test_list_queries_do_not_grow_with_conversations(client, world, django_assert_max_num_queries):
    client.force_login(world.officer)
    url = reverse("conversations:conversation_list")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(6):
        eoi = ExpressionOfInterestFactory(call=world.call)
        services.conversation_start(user=world.officer, about=eoi, body="Hello")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
