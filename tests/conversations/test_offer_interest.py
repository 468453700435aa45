"""An interest in a technology offer is a conversation ("offer-interest"): expressing it opens the
conversation with the interest's message; the interest's page shows that conversation's thread
and reply form (posting to the conversation, coming back); it is in the Messages inbox with its
unread marker, can be reported, and a closed interest takes no more messages."""

import importlib
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from bigscience_portal.core.errors import ActionRefused
from bigscience_portal.core.models import Notification
from conversations import services
from conversations.models import Conversation, ConversationRead, Message
from innovation import services as innovation_services
from innovation.models import Interest
from organisations.models import Membership
from tests.factories import (
    InterestFactory,
    MembershipFactory,
    OpportunityFactory,
    OrganisationFactory,
    StaffFactory,
    UniversityFactory,
    UserFactory,
)
from tests.roles import LOGIN, Access, check_access, expect, matrix

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "other_org", "interested", "offering", "staff")
FIRST = "We would license the valve for our helium line."


class World:
    """A university's technology offer, a company's interest in it (through the service), a
    third organisation's user and staff."""

    def __init__(self):
        self.tto = UniversityFactory(name="Hamburg Technology Transfer")
        self.officer = MembershipFactory(
            organisation=self.tto, role=Membership.Role.ADMIN, user=UserFactory(first_name="Olga")
        ).user
        self.company = OrganisationFactory(name="Valve Makers ApS")
        self.buyer = MembershipFactory(
            organisation=self.company, user=UserFactory(first_name="Sune")
        ).user
        self.offer = OpportunityFactory(organisation=self.tto, title="Cryogenic valve at 4 K")
        self.interest = innovation_services.interest_express(
            opportunity=self.offer, organisation=self.company, user=self.buyer, message=FIRST
        )
        self.conversation = Conversation.objects.get(interest=self.interest)
        self.users = {
            "anonymous": None,
            "other_org": MembershipFactory().user,
            "interested": self.buyer,
            "offering": self.officer,
            "staff": StaffFactory(),
        }


@pytest.fixture
def world():
    return World()


def _report(w):
    services.conversation_report(user=w.officer, conversation=w.conversation, reason="Spam")


def _replied(w):
    return Message.objects.filter(conversation=w.conversation, body="Gladly.").exists()


PARTIES = expect(anonymous=LOGIN, other_org=404, interested=200, offering=200, staff=404)
CASES = [
    # the interest's page is innovation's: its two organisations and staff (who see no messages)
    Access(
        "the interest's page",
        "get",
        lambda w: w.interest.get_absolute_url(),
        expect(anonymous=LOGIN, other_org=404, interested=200, offering=200, staff=200),
    ),
    Access("the conversation", "get", lambda w: w.conversation.get_absolute_url(), PARTIES),
    Access(
        "the conversation, reported",
        "get",
        lambda w: w.conversation.get_absolute_url(),
        {**PARTIES, "staff": 200},
        setup=_report,
    ),
    Access(
        "reply from the interest's page",
        "post",
        lambda w: w.conversation.get_absolute_url(),
        expect(anonymous=LOGIN, other_org=404, interested=302, offering=302, staff=404),
        data=lambda w: {"body": "Gladly.", "next": w.interest.get_absolute_url()},
        effect=_replied,
    ),
    Access(
        "reply, reported (staff never write)",
        "post",
        lambda w: w.conversation.get_absolute_url(),
        expect(anonymous=LOGIN, other_org=404, interested=302, offering=302, staff=404),
        data=lambda w: {"body": "Gladly."},
        effect=_replied,
        setup=_report,
    ),
    Access(
        "report",
        "post",
        lambda w: reverse("conversations:conversation_report", args=[w.conversation.pk]),
        expect(anonymous=LOGIN, other_org=404, interested=302, offering=302, staff=404),
        data=lambda w: {"reason": "Unsolicited advertising"},
        effect=lambda w: Conversation.objects.get(pk=w.conversation.pk).reported_at is not None,
    ),
    Access(
        "reply to a closed interest",
        "post",
        lambda w: w.conversation.get_absolute_url(),
        expect(anonymous=LOGIN, other_org=404, interested=403, offering=403, staff=404),
        data=lambda w: {"body": "Gladly."},
        effect=_replied,
        setup=lambda w: innovation_services.interest_close(interest=w.interest, user=w.buyer),
    ),
    Access(
        "close the interest",
        "post",
        lambda w: reverse("innovation:interest_close", args=[w.interest.pk]),
        expect(anonymous=LOGIN, other_org=404, interested=302, offering=302, staff=403),
        effect=lambda w: Interest.objects.get(pk=w.interest.pk).is_closed,
    ),
]


@pytest.mark.parametrize(("case", "role"), matrix(CASES, ROLES))
def test_access(client, world, case, role):
    response = check_access(client, world, case, role)
    if case.name == "the interest's page" and role != "anonymous":
        page = response.content.decode()
        assert (FIRST in page) == (role in ("interested", "offering"))
        assert ('name="body"' in page) == (role in ("interested", "offering"))
        if role == "staff":
            assert "staff read them only once one of them reports" in page


def test_expressing_interest_opens_its_conversation_with_the_interest_message(
    world, django_capture_on_commit_callbacks
):
    conversation = world.conversation
    assert conversation.subject == "Interest in Cryogenic valve at 4 K"
    assert set(conversation.parties.all()) == {world.tto, world.company}
    assert conversation.started_by == world.buyer
    [first] = conversation.messages.all()
    assert (first.body, first.sender, first.sender_organisation) == (
        FIRST,
        world.buyer,
        world.company,
    )
    assert conversation.last_message_at == first.created_at
    # one mail to the offering side (innovation's "is interested"), not a second one
    mail.outbox.clear()
    second = OpportunityFactory(organisation=world.tto)
    with django_capture_on_commit_callbacks(execute=True):
        innovation_services.interest_express(
            opportunity=second, organisation=world.company, user=world.buyer, message="And this?"
        )
    assert [m.to for m in mail.outbox] == [[world.officer.email]]
    assert "is interested in" in mail.outbox[0].subject
    assert not Notification.objects.filter(key__startswith="conversations.message:").exists()


def test_the_two_sides_reply_on_the_interest_page_and_the_other_side_is_mailed(
    client, world, django_capture_on_commit_callbacks
):
    page_url = world.interest.get_absolute_url()
    client.force_login(world.officer)
    page = client.get(page_url).content.decode()
    assert FIRST in page
    assert f'action="{world.conversation.get_absolute_url()}"' in page
    assert ">Answer</button>" in page  # the offering side's first message answers it
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            world.conversation.get_absolute_url(),
            {"body": "Gladly: let us meet at the brokerage.", "next": page_url},
        )
    assert response.status_code == 302 and response["Location"] == page_url
    interest = Interest.objects.get(pk=world.interest.pk)
    assert interest.status == Interest.Status.ANSWERED and interest.answered_at
    [sent] = mail.outbox
    assert sent.to == [world.buyer.email]
    assert "Hamburg Technology Transfer" in sent.subject
    assert world.conversation.get_absolute_url() in sent.body
    note = Notification.objects.get(user=world.buyer, key__startswith="conversations.message:")
    assert note.url == world.conversation.get_absolute_url()

    client.force_login(world.buyer)
    page = client.get(page_url).content.decode()
    assert "Gladly: let us meet at the brokerage." in page
    assert ">Send</button>" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(world.conversation.get_absolute_url(), {"body": "Table 4?", "next": page_url})
    assert [m.to for m in mail.outbox] == [[world.officer.email]]
    assert list(world.conversation.messages.values_list("body", flat=True)) == [
        FIRST,
        "Gladly: let us meet at the brokerage.",
        "Table 4?",
    ]


def test_only_the_offering_side_answers_an_interest(world):
    services.message_send(user=world.buyer, conversation=world.conversation, body="Any news?")
    assert Interest.objects.get(pk=world.interest.pk).status == Interest.Status.OPEN
    services.message_send(user=world.officer, conversation=world.conversation, body="Yes.")
    assert Interest.objects.get(pk=world.interest.pk).status == Interest.Status.ANSWERED


def test_the_inbox_lists_it_with_an_unread_marker_that_the_interest_page_clears(client, world):
    inbox = reverse("conversations:conversation_list")
    client.force_login(world.officer)
    listed = client.get(inbox).content.decode()
    assert "Interest in Cryogenic valve at 4 K" in listed and ">unread<" in listed
    assert client.get(f"{inbox}?unread=true").content.decode().count(">unread<") == 1
    client.get(world.interest.get_absolute_url())  # read on the interest's page
    assert ">unread<" not in client.get(inbox).content.decode()
    client.force_login(world.buyer)  # her own message is not unread to her
    listed = client.get(inbox).content.decode()
    assert "Interest in Cryogenic valve at 4 K" in listed and ">unread<" not in listed
    services.message_send(user=world.officer, conversation=world.conversation, body="Answer")
    assert ">unread<" in client.get(inbox).content.decode()
    client.get(world.conversation.get_absolute_url())  # or on the conversation's own page
    assert ">unread<" not in client.get(inbox).content.decode()
    client.force_login(world.users["other_org"])
    assert "Interest in Cryogenic valve" not in client.get(inbox).content.decode()


def test_a_closed_interest_takes_no_reply_but_can_still_be_read_and_reported(client, world):
    innovation_services.interest_close(interest=world.interest, user=world.officer)
    with pytest.raises(ActionRefused, match="This conversation is closed"):
        services.message_send(user=world.buyer, conversation=world.conversation, body="Wait!")
    client.force_login(world.buyer)
    page = client.get(world.interest.get_absolute_url()).content.decode()
    assert FIRST in page
    assert 'name="body"' not in page and "This conversation is closed." in page
    assert "Close the conversation" not in page
    detail = client.get(world.conversation.get_absolute_url()).content.decode()
    assert 'name="body"' not in detail and "Report this conversation to staff" in detail
    response = client.post(
        reverse("conversations:conversation_report", args=[world.conversation.pk]),
        {"reason": "Abusive"},
    )
    assert response.status_code == 302
    assert Conversation.objects.get(pk=world.conversation.pk).reported_at is not None
    assert world.conversation.messages.count() == 1


def test_staff_read_the_thread_on_the_interest_page_only_once_reported(client, world):
    client.force_login(world.users["staff"])
    assert FIRST not in client.get(world.interest.get_absolute_url()).content.decode()
    _report(world)
    page = client.get(world.interest.get_absolute_url()).content.decode()
    assert FIRST in page and 'name="body"' not in page
    listed = client.get(reverse("conversations:conversation_list")).content.decode()
    assert "Interest in Cryogenic valve at 4 K" in listed


def test_a_reply_goes_back_only_to_a_page_of_the_portal(client, world):
    client.force_login(world.buyer)
    response = client.post(
        world.conversation.get_absolute_url(),
        {"body": "Hello", "next": "https://evil.example.org/phish"},
    )
    assert response["Location"] == world.conversation.get_absolute_url()


def test_an_empty_reply_from_the_interest_page_is_refused_with_the_reason(client, world):
    client.force_login(world.buyer)
    response = client.post(
        world.conversation.get_absolute_url(),
        {"body": "  ", "next": world.interest.get_absolute_url()},
    )
    assert response.status_code == 200
    assert 'name="next"' in response.content.decode()  # sent again, it still goes back
    assert world.conversation.messages.count() == 1


def test_an_interest_without_its_conversation_offers_to_open_one(client, world):
    interest = InterestFactory(opportunity=world.offer, expressed=False)
    MembershipFactory(organisation=interest.organisation, user=world.buyer)
    client.force_login(world.buyer)
    page = client.get(interest.get_absolute_url()).content.decode()
    assert reverse("conversations:conversation_start", args=["offer-interest", interest.pk]) in page
    client.force_login(world.users["other_org"])
    assert client.get(interest.get_absolute_url()).status_code == 404


def test_an_interest_in_an_offer_of_no_organisation_is_refused():
    offer = OpportunityFactory(organisation=None)
    company = OrganisationFactory()
    user = MembershipFactory(organisation=company).user
    with pytest.raises(ActionRefused, match="no organisation to answer"):
        innovation_services.interest_express(
            opportunity=offer, organisation=company, user=user, message="Hi"
        )
    assert not Conversation.objects.exists()


# --- the data migration --------------------------------------------------------------------

MIGRATION = importlib.import_module(
    "conversations.migrations.0003_interest_messages_into_conversations"
)


@pytest.fixture
def old_state_apps():
    """The models as the data migration sees them, with innovation's InterestMessage table
    created again for the test (PostgreSQL rolls the DDL back with the test)."""
    state = MigrationExecutor(connection).loader.project_state(
        [("conversations", "0002_conversation_interest"), ("innovation", "0002_saved_search_base")]
    )
    apps = state.apps
    with connection.schema_editor() as editor:
        editor.create_model(apps.get_model("innovation", "InterestMessage"))
    return apps


def test_the_data_migration_moves_interest_messages_into_conversations(old_state_apps):
    tto = UniversityFactory()
    officer = MembershipFactory(organisation=tto).user
    company = OrganisationFactory()
    buyer = MembershipFactory(organisation=company).user
    interest = InterestFactory(
        opportunity=OpportunityFactory(organisation=tto, title="Helium valve"),
        organisation=company,
        submitted_by=buyer,
        message="Interested.",
        expressed=False,
    )
    day = timezone.now() - timedelta(days=10)
    Interest.objects.filter(pk=interest.pk).update(created_at=day)
    InterestMessage = old_state_apps.get_model("innovation", "InterestMessage")
    for hours, author, offering, body in [
        (1, officer, True, "Tell us more."),
        (2, buyer, False, "Here are the specs."),
        (3, None, True, "From someone who left."),
    ]:
        old = InterestMessage.objects.create(
            interest_id=interest.pk,
            author_id=author.pk if author else None,
            from_offering_side=offering,
            body=body,
        )
        InterestMessage.objects.filter(pk=old.pk).update(created_at=day + timedelta(hours=hours))
    already = InterestFactory()  # expressed through the service: has its conversation

    MIGRATION.interest_messages_into_conversations(old_state_apps, None)
    MIGRATION.interest_messages_into_conversations(old_state_apps, None)  # a rerun adds nothing

    conversation = Conversation.objects.get(interest=interest)
    assert conversation.subject == "Interest in Helium valve"
    assert set(conversation.parties.all()) == {tto, company}
    assert conversation.started_by == buyer
    rows = list(
        conversation.messages.values_list("body", "sender", "sender_organisation", "created_at")
    )
    assert rows == [
        ("Interested.", buyer.pk, company.pk, day),
        ("Tell us more.", officer.pk, tto.pk, day + timedelta(hours=1)),
        ("Here are the specs.", buyer.pk, company.pk, day + timedelta(hours=2)),
        ("From someone who left.", None, tto.pk, day + timedelta(hours=3)),
    ]
    assert conversation.created_at == day
    assert conversation.last_message_at == day + timedelta(hours=3)
    reads = dict(
        ConversationRead.objects.filter(conversation=conversation).values_list("user", "read_at")
    )
    assert reads == {
        buyer.pk: day + timedelta(hours=2),
        officer.pk: day + timedelta(hours=1),
    }
    assert Conversation.objects.filter(interest=already).count() == 1
    assert Message.objects.filter(conversation__interest=already).count() == 1

    # and back (innovation 0003 backwards made the table again, empty): the replies return to
    # InterestMessage, the conversations go
    InterestMessage.objects.all().delete()
    MIGRATION.conversations_into_interest_messages(old_state_apps, None)
    assert not Conversation.objects.filter(interest__isnull=False).exists()
    assert list(
        InterestMessage.objects.filter(interest_id=interest.pk)
        .order_by("created_at")
        .values_list("body", "from_offering_side")
    ) == [("Tell us more.", True), ("Here are the specs.", False), ("From someone who left.", True)]
