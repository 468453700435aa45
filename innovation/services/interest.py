"""Expressions of interest in an opportunity, and what happens to their conversation.

An organisation expresses interest with a message; the offering organisation's people read it
(and get a mail), answer, and both sides go on writing in the interest's conversation, which
``conversations`` opens on :data:`~innovation.signals.interest_expressed` with the interest's
message as its first (its messages, mails and unread markers are that app's). A meeting at a
B2B event where both take part is proposed from the same page (``events`` adds that part).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bigscience_portal.core.errors import refuse_unless
from organisations.models import Organisation

from .. import emails, permissions
from ..models import Interest, PartnershipOpportunity
from ..signals import interest_expressed


@transaction.atomic
def interest_express(
    *, opportunity: PartnershipOpportunity, organisation: Organisation, user, message: str
) -> Interest:
    refuse_unless(
        opportunity.is_live and opportunity.visibility == PartnershipOpportunity.Visibility.PUBLIC,
        _("This opportunity is no longer open for expressions of interest."),
    )
    refuse_unless(
        opportunity.organisation_id is not None,
        _("This opportunity has no organisation to answer an expression of interest."),
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
    interest_expressed.send(sender=Interest, interest=interest, user=user)
    emails.interest_received(interest)
    return interest


@transaction.atomic
def interest_answer(*, interest: Interest, organisation_id: int) -> bool:
    """A message was written in the interest's conversation for ``organisation_id``: the
    offering organisation's first one answers an open interest (its status and time). True if
    it did."""
    interest = (
        Interest.objects.select_for_update(of=("self",))
        .select_related("opportunity")
        .get(pk=interest.pk)
    )
    if interest.status != Interest.Status.OPEN:
        return False
    if organisation_id != interest.opportunity.organisation_id:
        return False
    interest.status = Interest.Status.ANSWERED
    interest.answered_at = timezone.now()
    interest.save(update_fields=["status", "answered_at"])
    return True


@transaction.atomic
def interest_close(*, interest: Interest, user) -> Interest:
    """One of the two organisations closes the interest: its conversation takes no more
    messages (``conversations`` asks :attr:`Interest.is_closed`)."""
    refuse_unless(
        permissions.interest_side(user, interest) is not None,
        _("Only the two organisations close this conversation."),
    )
    interest.status = Interest.Status.CLOSED
    interest.save(update_fields=["status"])
    return interest
