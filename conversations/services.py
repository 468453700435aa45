"""Writes of conversations: start one about something (or open it for what a lower app did:
an interest expressed), send, read, report."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bigscience_portal.core.errors import ActionRefused
from bigscience_portal.core.mail import mail_queue

from . import permissions
from .kinds import kind_of, subject_for
from .models import Conversation, ConversationParty, ConversationRead, Message


def _conversation_of(about, *, user, parties) -> Conversation:
    conversation, created = Conversation.objects.get_or_create(
        **{kind_of(about).field: about},
        defaults={
            "subject": subject_for(about),
            "started_by": user,
        },
    )
    if created:
        ConversationParty.objects.bulk_create(
            [ConversationParty(conversation=conversation, organisation=p) for p in parties]
        )
    return conversation


def _message_write(*, user, conversation: Conversation, party: int, body: str) -> Message:
    message = Message.objects.create(
        conversation=conversation, sender=user, sender_organisation_id=party, body=body
    )
    conversation.last_message_at = message.created_at
    conversation.save(update_fields=["last_message_at"])
    if user is not None:
        ConversationRead.objects.update_or_create(
            conversation=conversation, user=user, defaults={"read_at": message.created_at}
        )
    return message


@transaction.atomic
def conversation_start(*, user, about, body: str) -> Conversation:
    """The conversation about ``about`` (opened if there is none yet), with ``body`` sent in it.

    Only a member of one of the organisations ``about`` brings together may start it."""
    permissions.check_may_start(user, about)
    conversation = _conversation_of(about, user=user, parties=permissions.parties_for(about))
    message_send(user=user, conversation=conversation, body=body)
    return conversation


@transaction.atomic
def conversation_open(*, about, user, organisation, body: str) -> Conversation:
    """The conversation of what a lower app did (an interest expressed: ``innovation``'s
    ``interest_expressed``), opened with ``body`` as its first message, written by ``user`` for
    ``organisation`` (one of the parties). Nobody is mailed: the lower app told the other side
    already (its own mail links to the page that shows this conversation). Opening it again
    changes nothing."""
    parties = permissions.parties_for(about)
    if organisation not in parties:
        raise ActionRefused(_("You are not part of this conversation."))
    conversation = _conversation_of(about, user=user, parties=parties)
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if not conversation.messages.exists():
        _message_write(user=user, conversation=conversation, party=organisation.pk, body=body)
    return conversation


@transaction.atomic
def message_send(*, user, conversation: Conversation, body: str) -> Message:
    """Send a message for the user's party; everyone else with access is told (mail and the
    notification centre) and can answer in the portal. Refused while what it is about takes no
    messages (a closed interest)."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    party = permissions.acting_party_id(user, conversation)
    if party is None:
        raise ActionRefused(_("You are not part of this conversation."))
    if permissions.is_closed(conversation):
        raise ActionRefused(_("This conversation is closed."))
    body = (body or "").strip()
    if not body:
        raise ActionRefused(_("Write a message first."), field="body")
    message = _message_write(user=user, conversation=conversation, party=party, body=body)
    about = conversation.about
    kind_of(about).on_message(about, party)
    readers = (
        get_user_model()
        .objects.filter(
            memberships__organisation__in=permissions.party_ids(conversation), is_active=True
        )
        .exclude(pk=user.pk)
        .distinct()
    )
    sender_org = message.sender_organisation
    mail_queue(
        key=f"conversations.message:{message.pk}",
        to=list(readers),
        subject=lambda: (
            _("New message from %(org)s: %(subject)s")
            % {"org": sender_org.name, "subject": conversation.subject}
        ),
        template="conversations/emails/message.txt",
        context={
            "conversation": conversation,
            "message": message,
            "sender_organisation": sender_org,
            "url": conversation.get_absolute_url(),
        },
        url=conversation.get_absolute_url(),
    )
    return message


def conversation_read(*, user, conversation: Conversation) -> None:
    """The user has read everything in it up to now (their unread marker clears)."""
    ConversationRead.objects.update_or_create(
        conversation=conversation, user=user, defaults={"read_at": timezone.now()}
    )


@transaction.atomic
def conversation_report(*, user, conversation: Conversation, reason: str) -> Conversation:
    """A party reports the conversation to staff, who can read it from then on."""
    if not permissions.can_report(user, conversation):
        raise ActionRefused(_("You are not part of this conversation."))
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Say why you report it."), field="reason")
    conversation.reported_at = timezone.now()
    conversation.reported_by = user
    conversation.report_reason = reason
    conversation.save(update_fields=["reported_at", "reported_by", "report_reason"])
    return conversation
