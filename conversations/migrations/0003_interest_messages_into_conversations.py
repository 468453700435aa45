"""Each interest in a technology offer gets its conversation, and its thread moves there.

Before, an interest (``innovation.Interest``) kept its replies in ``innovation.InterestMessage``;
now its messages are a conversation's. For every interest without one, a conversation between the
interested and the offering organisation is opened with the interest's message as its first
message and each ``InterestMessage`` after it (author, organisation of the side it came from and
time kept). There was no read state: each author has read the conversation up to their last
message (what sending in a conversation records); everything else is unread.
``innovation`` 0003 drops ``InterestMessage`` after this has run.
"""

from django.db import migrations

SUBJECT_MAX = 200


def _subject(title: str) -> str:
    subject = " ".join(f"Interest in {title}".split())
    return subject if len(subject) <= SUBJECT_MAX else subject[: SUBJECT_MAX - 1].rstrip() + "…"


def interest_messages_into_conversations(apps, schema_editor):
    Interest = apps.get_model("innovation", "Interest")
    InterestMessage = apps.get_model("innovation", "InterestMessage")
    Conversation = apps.get_model("conversations", "Conversation")
    ConversationParty = apps.get_model("conversations", "ConversationParty")
    ConversationRead = apps.get_model("conversations", "ConversationRead")
    Message = apps.get_model("conversations", "Message")

    interests = (
        Interest.objects.filter(conversation__isnull=True)
        .select_related("opportunity")
        .order_by("pk")
    )
    for interest in interests.iterator():
        offering = interest.opportunity.organisation_id
        conversation = Conversation.objects.create(
            interest=interest,
            subject=_subject(interest.opportunity.title),
            started_by_id=interest.submitted_by_id,
        )
        ConversationParty.objects.bulk_create(
            ConversationParty(conversation=conversation, organisation_id=org)
            for org in dict.fromkeys([interest.organisation_id, offering])
            if org is not None
        )
        # (sender, the organisation they wrote for, body, when): the interest's message first
        thread = [
            (
                interest.submitted_by_id,
                interest.organisation_id,
                interest.message,
                interest.created_at,
            )
        ]
        for old in InterestMessage.objects.filter(interest=interest).order_by("created_at", "pk"):
            side = offering if old.from_offering_side and offering else interest.organisation_id
            thread.append((old.author_id, side, old.body, old.created_at))
        read = {}
        for sender, organisation, body, when in thread:
            message = Message.objects.create(
                conversation=conversation,
                sender_id=sender,
                sender_organisation_id=organisation,
                body=body,
            )
            # created_at is auto_now_add: the original time is set after the insert
            Message.objects.filter(pk=message.pk).update(created_at=when)
            if sender is not None:
                read[sender] = max(when, read.get(sender, when))
        Conversation.objects.filter(pk=conversation.pk).update(
            created_at=interest.created_at, last_message_at=thread[-1][3]
        )
        ConversationRead.objects.bulk_create(
            ConversationRead(conversation=conversation, user_id=user, read_at=when)
            for user, when in read.items()
        )


def conversations_into_interest_messages(apps, schema_editor):
    """Backwards: the replies back into ``InterestMessage`` (the first message is the interest's
    own), and the interests' conversations removed."""
    Conversation = apps.get_model("conversations", "Conversation")
    InterestMessage = apps.get_model("innovation", "InterestMessage")
    conversations = Conversation.objects.filter(interest__isnull=False).select_related(
        "interest__opportunity"
    )
    for conversation in conversations.iterator():
        interest = conversation.interest
        offering = interest.opportunity.organisation_id
        for message in conversation.messages.order_by("created_at", "pk")[1:]:
            old = InterestMessage.objects.create(
                interest=interest,
                author_id=message.sender_id,
                from_offering_side=message.sender_organisation_id == offering,
                body=message.body,
            )
            InterestMessage.objects.filter(pk=old.pk).update(created_at=message.created_at)
    conversations.delete()


class Migration(migrations.Migration):

    dependencies = [
        ('conversations', '0002_conversation_interest'),
        ('innovation', '0002_saved_search_base'),
    ]

    operations = [
        migrations.RunPython(
            interest_messages_into_conversations, conversations_into_interest_messages
        ),
    ]
