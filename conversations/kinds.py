"""The kinds of thing a conversation can be about: for each, its field on ``Conversation``, how
to load it with its parties, the two organisations it brings together and the subject of its
conversation. The one table the services, permissions and views read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _

from bigscience_portal.core.errors import ActionRefused
from bigscience_portal.core.mail import one_line
from events.models import MeetingRequest
from organisations.models import ClusterMembership
from tenders.models import ExpressionOfInterest


@dataclass(frozen=True)
class Kind:
    model: type[models.Model]
    #: the field of ``Conversation`` that holds it
    field: str
    #: what to ``select_related`` to read its parties and subject
    related: tuple[str, ...]
    parties: Callable[[object], list]
    subject: Callable[[object], str]


#: by the slug of the URL that starts a conversation about one
KINDS = {
    "eoi": Kind(
        ExpressionOfInterest,
        "expression_of_interest",
        ("call__buyer", "organisation"),
        parties=lambda eoi: [eoi.organisation, eoi.call.buyer],
        subject=lambda eoi: _("Expression of interest: %(call)s") % {"call": eoi.call.title},
    ),
    "cluster-membership": Kind(
        ClusterMembership,
        "cluster_membership",
        ("cluster", "member"),
        parties=lambda cm: [cm.member, cm.cluster],
        subject=lambda cm: (
            _("Membership of %(member)s in %(cluster)s")
            % {"member": cm.member.name, "cluster": cm.cluster.name}
        ),
    ),
    "meeting-request": Kind(
        MeetingRequest,
        "meeting_request",
        ("event", "requester__organisation", "recipient__organisation"),
        parties=lambda mr: [mr.requester.organisation, mr.recipient.organisation],
        subject=lambda mr: _("Meeting request at %(event)s") % {"event": mr.event.title},
    ),
}

_BY_MODEL = {kind.model: kind for kind in KINDS.values()}


def kind_of(about) -> Kind:
    """The kind of ``about``; refused for anything a conversation cannot be about."""
    kind = _BY_MODEL.get(type(about))
    if kind is None:
        raise ActionRefused(_("Messages can only be about a call, a cluster or a meeting."))
    return kind


def subject_for(about) -> str:
    return one_line(kind_of(about).subject(about))
