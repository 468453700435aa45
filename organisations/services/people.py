"""The people of an organisation: invitations by e-mail and requests to join."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bigscience_portal.core.errors import ActionRefused
from bigscience_portal.core.mail import mail_queue

from .. import selectors
from ..models import Decision, Invitation, JoinRequest, Membership, Organisation
from ..permissions import is_member
from .approvals import refuse_unless_acting
from .decisions import decide_pending


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, email: str, role: str, invited_by, on_behalf_of=None
):
    """Invite someone by e-mail; the link lets them sign up or log in, then join. Refused for
    an organisation waiting for approval: the mail would speak in its name. ``on_behalf_of``:
    the cluster whose manager invites a member's people."""
    refuse_unless_acting(organisation)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=invited_by,
        on_behalf_of=on_behalf_of,
    )
    invitation_mail(invitation)
    return invitation


def invitation_mail(invitation: Invitation) -> None:
    """The invitation's mail to the invited address, with its link (once per invitation)."""
    organisation = invitation.organisation
    mail_queue(
        key=f"organisations.invitation:{invitation.pk}",
        to=[invitation.email],
        subject=lambda: _("You are invited to join %(org)s") % {"org": organisation.name},
        template="organisations/email/invitation.txt",
        context={
            "invitation": invitation,
            "organisation": organisation,
            "invited_by": invitation.invited_by,
            "link": reverse("organisations:invitation_accept", args=[invitation.token]),
        },
    )


#: what someone signed in with another account is told: nothing of the invited address
OTHER_ADDRESS = _(
    "This invitation was sent to another e-mail address. Log in with that address, or add and "
    "verify it in your account."
)


def invitation_refusal(*, invitation: Invitation, user) -> str | None:
    """Why ``user`` may not accept ``invitation`` now, or None.

    The link alone proves nothing (it is forwarded, leaked, or opened by whoever is signed in
    on a shared computer): only an account holding the invited address, verified, may accept.
    """
    if invitation.status == Decision.PENDING:
        return _("This invitation waits for the approval of the organisation's administrators.")
    if invitation.status == Decision.REJECTED:
        return _("The organisation's administrators declined this invitation.")
    if not invitation.is_open:
        return _("This invitation has expired or has already been used.")
    if selectors.has_verified_address(user=user, email=invitation.email):
        return None
    if selectors.has_address(user=user, email=invitation.email):
        return _(
            "This invitation was sent to your address %(email)s, which is not verified yet. "
            "Open the link we e-mailed you to verify it (or ask for a new one in your account), "
            "then come back to this page."
        ) % {"email": invitation.email}
    return str(OTHER_ADDRESS)


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """Join the organisation through an open invitation: once, and only with an account that
    holds the invited address, verified (see :func:`invitation_refusal`)."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    refusal = invitation_refusal(invitation=invitation, user=user)
    if refusal is not None:
        raise ActionRefused(refusal)
    # nobody had the profile: the invited administrator takes it over (a claim, recorded)
    claims = invitation.role == Membership.Role.ADMIN and not selectors.has_admins(
        invitation.organisation
    )
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    if not created and invitation.role == Membership.Role.ADMIN:
        membership.role = Membership.Role.ADMIN
        membership.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if claims:
        from .handover import record_claim_by_invitation

        record_claim_by_invitation(invitation=invitation, user=user)
    if invitation.invited_by:
        mail_queue(
            key=f"organisations.invitation:{invitation.pk}:accepted",
            to=[invitation.invited_by],
            subject=lambda: (
                _("%(email)s joined %(org)s")
                % {"email": user.email, "org": invitation.organisation.name}
            ),
            template="organisations/email/invitation_accepted.txt",
            context={
                "invitation": invitation,
                "user": user,
                "organisation": invitation.organisation,
            },
        )
    return membership


@transaction.atomic
def join_request_create(*, organisation: Organisation, user, message: str = "") -> JoinRequest:
    """Ask to join an organisation; its administrators are told by e-mail, or, when it has
    none (an imported profile nobody took over), the portal's staff, who decide instead."""
    if is_member(user, organisation):
        raise ActionRefused(_("You are already a member of this organisation."))
    if selectors.join_request_pending(organisation=organisation, user=user):
        raise ActionRefused(_("Your request to join is already waiting for a decision."))
    join_request = JoinRequest.objects.create(organisation=organisation, user=user, message=message)
    admins = selectors.organisation_admins(organisation)
    mail_queue(
        key=f"organisations.join_request:{join_request.pk}:created",
        to=admins or selectors.staff_recipients(),
        subject=lambda: (
            _("%(email)s asks to join %(org)s") % {"email": user.email, "org": organisation.name}
        ),
        template="organisations/email/join_request_created.txt",
        context={
            "join_request": join_request,
            "organisation": organisation,
            "to_staff": not admins,
            "link": reverse("organisations:organisation_people", args=[organisation.slug]),
        },
        url=reverse("organisations:organisation_people", args=[organisation.slug]),
    )
    return join_request


@transaction.atomic
def join_request_approve(*, join_request: JoinRequest, decided_by) -> Membership:
    """Approve a request to join: the requester becomes an editor and is told so."""
    decide_pending(join_request, decided_by=decided_by, status=Decision.APPROVED)
    membership, _created = Membership.objects.get_or_create(
        user=join_request.user,
        organisation=join_request.organisation,
        defaults={"role": Membership.Role.EDITOR},
    )
    _join_decided_mail(join_request)
    return membership


@transaction.atomic
def join_request_reject(*, join_request: JoinRequest, decided_by) -> JoinRequest:
    """Reject a request to join; the requester is told so."""
    decide_pending(join_request, decided_by=decided_by, status=Decision.REJECTED)
    _join_decided_mail(join_request)
    return join_request


def _join_decided_mail(join_request: JoinRequest) -> None:
    org = join_request.organisation
    approved = join_request.status == Decision.APPROVED
    mail_queue(
        key=f"organisations.join_request:{join_request.pk}:{join_request.status}",
        to=[join_request.user],
        subject=lambda: (
            (
                _("You joined %(org)s")
                if approved
                else _("Your request to join %(org)s was declined")
            )
            % {"org": org.name}
        ),
        template="organisations/email/join_request_decided.txt",
        context={"join_request": join_request, "organisation": org, "approved": approved},
    )
