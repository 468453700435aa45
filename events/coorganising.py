"""Co-organisers of an event: invited by an organiser, accepted or declined by an administrator
of the invited organisation (services, in the shape of ``events.services``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bigscience_portal.core.errors import ActionRefused
from bigscience_portal.core.mail import mail_queue
from organisations.models import Organisation
from organisations.selectors import organisation_admins

from . import permissions
from .models import CoOrganiserInvitation, Event


def _organiser_members(event):
    return (
        get_user_model()
        .objects.filter(memberships__organisation__in=event.organisers.all(), is_active=True)
        .distinct()
    )


@transaction.atomic
def co_organiser_invite(
    *, event: Event, organisation: Organisation, user, message: str = ""
) -> CoOrganiserInvitation:
    if not permissions.is_organiser(user, event):
        raise ActionRefused(_("Only an organiser of the event can invite co-organisers."))
    if event.organisers.filter(pk=organisation.pk).exists():
        raise ActionRefused(
            _("%(org)s already organises this event.") % {"org": organisation.name},
            field="organisation",
        )
    if CoOrganiserInvitation.objects.filter(
        event=event, organisation=organisation, status=CoOrganiserInvitation.Status.PENDING
    ).exists():
        raise ActionRefused(
            _("%(org)s is invited already.") % {"org": organisation.name}, field="organisation"
        )
    admins = [u for u in organisation_admins(organisation) if u.is_active]
    if not admins:
        raise ActionRefused(
            _("%(org)s has no administrator on the portal to answer.") % {"org": organisation.name},
            field="organisation",
        )
    invitation = CoOrganiserInvitation.objects.create(
        event=event, organisation=organisation, invited_by=user, message=message.strip()
    )
    mail_queue(
        key=f"events.co_organiser:{invitation.pk}:invited",
        to=admins,
        subject=lambda: _("Co-organise %(event)s?") % {"event": event.title},
        template="events/emails/co_organiser_invited.txt",
        context={"invitation": invitation, "event": event, "url": invitation.get_absolute_url()},
        url=invitation.get_absolute_url(),
    )
    return invitation


@transaction.atomic
def co_organiser_decide(*, invitation: CoOrganiserInvitation, user, accept: bool):
    invitation = CoOrganiserInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not permissions.can_decide_co_organiser(user, invitation):
        raise ActionRefused(_("Only an administrator of the invited organisation can answer."))
    if invitation.status != CoOrganiserInvitation.Status.PENDING:
        raise ActionRefused(_("This invitation is answered already."))
    invitation.status = (
        CoOrganiserInvitation.Status.ACCEPTED if accept else CoOrganiserInvitation.Status.DECLINED
    )
    invitation.decided_by = user
    invitation.decided_at = timezone.now()
    invitation.save(update_fields=["status", "decided_by", "decided_at"])
    event = invitation.event
    told = list(_organiser_members(event).exclude(pk=user.pk))
    if accept:
        event.organisers.add(invitation.organisation)
    mail_queue(
        key=f"events.co_organiser:{invitation.pk}:{invitation.status}",
        to=told,
        subject=lambda: (
            (
                _("%(org)s co-organises %(event)s")
                if accept
                else _("%(org)s declined to co-organise %(event)s")
            )
            % {"org": invitation.organisation.name, "event": event.title}
        ),
        body=lambda: (
            _("%(org)s answered your invitation to co-organise %(event)s.")
            % {"org": invitation.organisation.name, "event": event.title}
        ),
        url=event.get_absolute_url(),
    )
    return invitation
