"""Who may read and write in a conversation, and who may start one about what.

A conversation is read and written by the members (administrators and editors) of its party
organisations, written only while the thing it is about takes messages (not a closed interest in
a technology offer: ``Kind.is_closed``). Staff read a conversation only once a party reported it;
they never write.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from bigscience_portal.core.errors import ActionRefused
from organisations.models import Membership

from .kinds import kind_of
from .models import Conversation


def member_organisation_ids(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))


def party_ids(conversation: Conversation) -> set[int]:
    return set(conversation.parties.values_list("pk", flat=True))


def acting_party_id(user, conversation: Conversation) -> int | None:
    """The party the user writes for (the first they are a member of), or None."""
    mine = member_organisation_ids(user) & party_ids(conversation)
    return min(mine) if mine else None


def is_party(user, conversation: Conversation) -> bool:
    """A member of one of its organisations: reads it, reports it."""
    return acting_party_id(user, conversation) is not None


def is_closed(conversation: Conversation) -> bool:
    """What it is about takes no more messages (a closed interest in a technology offer)."""
    about = conversation.about
    return about is not None and kind_of(about).is_closed(about)


def can_view(user, conversation: Conversation) -> bool:
    if is_party(user, conversation):
        return True
    return bool(getattr(user, "is_staff", False) and conversation.reported_at)


def can_write(user, conversation: Conversation) -> bool:
    return is_party(user, conversation) and not is_closed(conversation)


def can_report(user, conversation: Conversation) -> bool:
    """A party reports it to staff (a closed one too)."""
    return is_party(user, conversation)


def visible_conversations_q(user) -> Q:
    """Conversations of the user's organisations; for staff, the reported ones besides."""
    query = Q(parties__in=member_organisation_ids(user))
    if getattr(user, "is_staff", False):
        query |= Q(reported_at__isnull=False)
    return query


def parties_for(about) -> list:
    """The organisations a thing brings together (their members may write to each other)."""
    parties = kind_of(about).parties(about)
    if any(p is None for p in parties) or parties[0] == parties[1]:
        raise ActionRefused(
            _("There is nobody to write to: this needs two different organisations.")
        )
    return parties


def check_may_start(user, about) -> None:
    """Refuse (with the reason) a user who is not a member of one of the parties."""
    if not member_organisation_ids(user) & {p.pk for p in parties_for(about)}:
        raise ActionRefused(
            _(
                "You can write only to organisations yours has a relation to: an expression of "
                "interest, a cluster membership, a meeting request or an interest in a "
                "technology offer."
            )
        )
