"""Reads of conversations."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from . import permissions
from .models import Conversation, ConversationRead, Message


def with_unread(queryset: QuerySet, user) -> QuerySet:
    """Annotate ``unread``: a message newer than the user's read marker, not of their own."""
    read = ConversationRead.objects.filter(conversation=OuterRef("conversation"), user=user)
    newer = Message.objects.filter(conversation=OuterRef("pk")).exclude(sender=user)
    newer = newer.filter(
        ~Exists(read) | Q(created_at__gt=read.values("read_at")[:1]),
    )
    return queryset.annotate(unread=Exists(newer))


def conversations_for(user) -> QuerySet[Conversation]:
    ids = (
        Conversation.objects.filter(permissions.visible_conversations_q(user))
        .values("pk")
        .distinct()
    )
    # the list shows the subject, the parties and the unread marker: no join to what it is about
    return with_unread(
        Conversation.objects.filter(pk__in=ids).prefetch_related("parties"), user
    ).order_by("-last_message_at", "-id")
