"""What the conversations app adds to a call's page (``tenders.panels.call_page``) and to the
page of an interest in a technology offer (``innovation.panels.interest_page``)."""

from __future__ import annotations

from django.urls import reverse

from tenders.models import ExpressionOfInterest

from . import permissions, selectors, services
from .forms import MessageForm
from .kinds import KINDS
from .models import Conversation

_KIND = "offer-interest"


def call_panel(request, call):
    """For a company that expressed interest: "Write to the officer". For the buyer's people:
    each interested company with "Write to the company" and its conversation's unread marker.
    Nothing for anyone else."""
    user = request.user
    if not user.is_authenticated:
        return None
    mine = permissions.member_organisation_ids(user)
    if not mine:
        return None
    is_buyer = call.buyer_id in mine
    eois = ExpressionOfInterest.objects.filter(call=call).select_related("organisation")
    if not is_buyer:
        eois = eois.filter(organisation__in=mine)
    eois = list(eois.order_by("organisation__name")[:50])
    if not eois:
        return None
    conversations = {
        c.expression_of_interest_id: c
        for c in selectors.conversations_for(user).filter(expression_of_interest__in=eois)
    }
    return {
        "is_buyer": is_buyer,
        "rows": [(eoi, conversations.get(eoi.pk)) for eoi in eois],
    }


def interest_panel(request, interest):
    """The interest's conversation on its page (``innovation.panels.interest_page``): the
    messages and, for the two organisations while the interest is not closed, the reply form
    (posting to the conversation, coming back here); reading it here clears the user's unread
    marker as the conversation's own page does. Staff see that the messages are private until a
    party reports the conversation; nobody else gets the panel."""
    user = request.user
    if not user.is_authenticated:
        return None
    conversation = Conversation.objects.filter(interest=interest).first()
    if conversation is None:
        # an interest made outside interest_express (the admin): a party may open it
        parties = {p.pk for p in KINDS[_KIND].parties(interest) if p is not None}
        if permissions.member_organisation_ids(user) & parties:
            return {
                "start_url": reverse("conversations:conversation_start", args=[_KIND, interest.pk])
            }
        return None
    conversation.interest = interest  # already loaded, with its opportunity and organisations
    if not permissions.can_view(user, conversation):
        return {"private": True} if user.is_staff else None
    party = permissions.acting_party_id(user, conversation)
    if party is not None:
        services.conversation_read(user=user, conversation=conversation)
    return {
        "conversation": conversation,
        "thread": conversation.messages.select_related("sender", "sender_organisation"),
        "may_write": permissions.can_write(user, conversation),
        "closed": permissions.is_closed(conversation),
        "answers": party == interest.opportunity.organisation_id
        and interest.status == interest.Status.OPEN,
        "form": MessageForm(),
        "next": interest.get_absolute_url(),
    }
