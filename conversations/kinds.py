"""The kinds of thing a conversation can be about: for each, its field on ``Conversation``, how
to load it with its parties, the two organisations it brings together, the subject of its
conversation, whether the thing still takes messages, what a message does to it and the page it
is shown on. The one table the services, permissions and views read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _

from bigscience_portal.core.errors import ActionRefused
from bigscience_portal.core.mail import one_line
from events.models import MeetingRequest
from innovation import services as innovation_services
from innovation.models import Interest
from organisations.models import ClusterMembership
from tenders.models import ExpressionOfInterest


def _never_closed(about) -> bool:
    return False


def _nothing(about, organisation_id: int) -> None:
    return None


def _no_page(about) -> tuple[str, str] | None:
    return None


@dataclass(frozen=True)
class Kind:
    model: type[models.Model]
    #: the field of ``Conversation`` that holds it
    field: str
    #: what to ``select_related`` to read its parties and subject
    related: tuple[str, ...]
    parties: Callable[[object], list]
    subject: Callable[[object], str]
    #: the thing no longer takes messages (a closed interest): its conversation is read-only
    is_closed: Callable[[object], bool] = _never_closed
    #: told of each message (the thing, the organisation it was written for)
    on_message: Callable[[object, int], None] = _nothing
    #: (url, title) of the page the thing is shown on, linked from the conversation
    page: Callable[[object], tuple[str, str] | None] = _no_page


#: by the slug of the URL that starts a conversation about one
KINDS = {
    "eoi": Kind(
        ExpressionOfInterest,
        "expression_of_interest",
        ("call__buyer", "organisation"),
        parties=lambda eoi: [eoi.organisation, eoi.call.buyer],
        subject=lambda eoi: _("Expression of interest: %(call)s") % {"call": eoi.call.title},
        page=lambda eoi: (eoi.call.get_absolute_url(), eoi.call.title),
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
    # an interest in a technology offer (or request): the interest's page shows this thread
    "offer-interest": Kind(
        Interest,
        "interest",
        ("opportunity__organisation", "organisation"),
        parties=lambda interest: [interest.organisation, interest.opportunity.organisation],
        subject=lambda interest: _("Interest in %(offer)s") % {"offer": interest.opportunity.title},
        is_closed=lambda interest: interest.is_closed,
        on_message=lambda interest, organisation_id: innovation_services.interest_answer(
            interest=interest, organisation_id=organisation_id
        ),
        page=lambda interest: (interest.get_absolute_url(), interest.opportunity.title),
    ),
}

_BY_MODEL = {kind.model: kind for kind in KINDS.values()}


def kind_of(about) -> Kind:
    """The kind of ``about``; refused for anything a conversation cannot be about."""
    kind = _BY_MODEL.get(type(about))
    if kind is None:
        raise ActionRefused(
            _("Messages can only be about a call, a cluster, a meeting or a technology offer.")
        )
    return kind


def subject_for(about) -> str:
    return one_line(kind_of(about).subject(about))
