"""Expressions of interest in an opportunity and the conversation that follows.

An organisation expresses interest with a message; the offering organisation's people read it
(and get a mail), answer, and both sides go on writing in the same thread. A meeting at a B2B
event where both take part is proposed from the same page (``events`` adds that part).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bigscience_portal.core.errors import refuse_unless
from organisations.models import Organisation

from .. import emails, permissions
from ..models import Interest, InterestMessage, PartnershipOpportunity


@transaction.atomic
def interest_express(
    *, opportunity: PartnershipOpportunity, organisation: Organisation, user, message: str
) -> Interest:
    refuse_unless(
        opportunity.is_live and opportunity.visibility == PartnershipOpportunity.Visibility.PUBLIC,
        _("This opportunity is no longer open for expressions of interest."),
    )
    refuse_unless(
        organisation.pk != opportunity.organisation_id,
        _("Your organisation offers this opportunity itself."),
        field="organisation",
    )
    refuse_unless(
        message.strip(), _("Write a message to the offering organisation."), field="message"
    )
    refuse_unless(
        not Interest.objects.filter(opportunity=opportunity, organisation=organisation).exists(),
        _("%(org)s has expressed interest in this opportunity already: go on in its conversation.")
        % {"org": organisation.name},
        field="organisation",
    )
    interest = Interest.objects.create(
        opportunity=opportunity, organisation=organisation, submitted_by=user, message=message
    )
    emails.interest_received(interest)
    return interest


@transaction.atomic
def interest_reply(*, interest: Interest, user, body: str) -> InterestMessage:
    """A message of either side; the offering side's first one answers the interest."""
    interest = (
        Interest.objects.select_for_update(of=("self",))
        .select_related("opportunity", "organisation")
        .get(pk=interest.pk)
    )
    side = permissions.interest_side(user, interest)
    refuse_unless(side is not None, _("Only the two organisations write in this conversation."))
    refuse_unless(interest.status != Interest.Status.CLOSED, _("This conversation is closed."))
    refuse_unless(body.strip(), _("Write a message."), field="body")
    message = InterestMessage.objects.create(
        interest=interest, author=user, from_offering_side=side == "offering", body=body
    )
    if side == "offering" and interest.status == Interest.Status.OPEN:
        interest.status = Interest.Status.ANSWERED
        interest.answered_at = timezone.now()
        interest.save(update_fields=["status", "answered_at"])
    emails.interest_message(message)
    return message


@transaction.atomic
def interest_close(*, interest: Interest, user) -> Interest:
    refuse_unless(
        permissions.interest_side(user, interest) is not None,
        _("Only the two organisations close this conversation."),
    )
    interest.status = Interest.Status.CLOSED
    interest.save(update_fields=["status"])
    return interest
