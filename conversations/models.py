"""Conversations between organisations, each about one thing that relates them.

What a conversation is about is one of a few known kinds, held as nullable foreign keys (one
set, a check constraint says so) rather than a generic foreign key: the database keeps them
honest (a deleted expression of interest takes its conversation along, ``CASCADE``), a list can
``select_related`` them, and the parties follow from the thing itself (the company and the
buyer of an expression of interest; the cluster and its member; the two participants'
organisations of a meeting request; the interested and the offering organisation of an interest
in a technology offer), so nobody can open a conversation with someone they have no relation to.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bigscience_portal.core.models import acting_user, optional_user
from events.models import MeetingRequest
from innovation.models import Interest
from organisations.models import ClusterMembership, Organisation
from tenders.models import ExpressionOfInterest

ABOUT_FIELDS = ("expression_of_interest", "cluster_membership", "meeting_request", "interest")


def _exactly_one(fields) -> Q:
    out = Q()
    for wanted in fields:
        clause = Q()
        for name in fields:
            clause &= Q(**{f"{name}__isnull": name != wanted})
        out |= clause
    return out


def _about(model) -> models.OneToOneField:
    """The field of one kind of thing a conversation may be about (its own conversation goes
    with it)."""
    return models.OneToOneField(
        model, null=True, blank=True, on_delete=models.CASCADE, related_name="conversation"
    )


class Conversation(models.Model):
    """One conversation between the organisations that one thing brings together."""

    subject = models.CharField(_("subject"), max_length=200)
    expression_of_interest = _about(ExpressionOfInterest)
    cluster_membership = _about(ClusterMembership)
    meeting_request = _about(MeetingRequest)
    #: an interest in a technology offer (``innovation.Interest``): its page shows this thread
    interest = _about(Interest)
    parties = models.ManyToManyField(
        Organisation, through="ConversationParty", related_name="conversations"
    )
    started_by = acting_user()
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True, db_index=True)
    reported_by = optional_user()
    report_reason = models.TextField(_("why it was reported"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-last_message_at", "-id"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one(ABOUT_FIELDS), name="conversation_about_one_thing"
            )
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("conversations:conversation_detail", args=[self.pk])

    @property
    def about(self):
        """The one thing it is about (loaded by its field; the empty ones cost no query)."""
        for name in ABOUT_FIELDS:
            if getattr(self, f"{name}_id") is not None:
                return getattr(self, name)
        return None


class ConversationParty(models.Model):
    """An organisation taking part in a conversation: its members read and write in it."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "organisation"], name="uniq_conversation_party"
            )
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id}: {self.organisation_id}"


class Message(models.Model):
    """One message, written by a member on behalf of one of the parties."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = acting_user()
    sender_organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField(_("message"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.conversation_id}#{self.pk}"


class ConversationRead(models.Model):
    """Up to when one person has read one conversation: their unread marker."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_reads"
    )
    read_at = models.DateTimeField()

    class Meta:
        verbose_name = _("read marker")
        verbose_name_plural = _("read markers")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="uniq_conversation_read")
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id}: {self.user_id} @ {self.read_at}"
