"""Profiles handed over to the companies (issue 17): a cluster manager invites the people of a
member company, a company claims its imported profile, a cluster invites a company, and a
company's administrators change roles and remove members, each step recorded and mailed."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bigscience_portal.core.errors import ActionRefused
from bigscience_portal.core.mail import mail_queue

from .. import domains, selectors
from ..models import (
    ClusterMembership,
    Decision,
    Invitation,
    Membership,
    MembershipChange,
    Organisation,
)
from .approvals import refuse_unless_acting, stamp
from .clusters import cluster_membership_open
from .decisions import decide_pending
from .people import invitation_create, invitation_mail
from .profiles import announce_profile_change

INVITATION_DAYS = 14


def _lock(organisation: Organisation) -> Organisation:
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def _record(organisation, *, action, person, changed_by, before="", after="", detail=""):
    return MembershipChange.objects.create(
        organisation=organisation,
        action=action,
        person=person,
        person_email=person.email,
        role_before=before,
        role_after=after,
        detail=detail[:300],
        changed_by=changed_by,
    )


# --- claiming an imported profile ---------------------------------------------------------------


def claim_refusal(*, organisation: Organisation, user, email: str) -> str | None:
    """Why ``user`` may not claim ``organisation`` with the address ``email``, or None."""
    if organisation.needs_approval:
        return _("Only company and support organisation profiles can be claimed.")
    if organisation.memberships.exists():
        return _(
            "%(org)s already has people in the portal. Ask its administrators to invite you, "
            "or ask to join."
        ) % {"org": organisation.name}
    if not organisation.website:
        return _(
            "%(org)s has no website in its profile, so no address can prove you work there. "
            "Ask its cluster manager for an invitation."
        ) % {"org": organisation.name}
    if not selectors.has_verified_address(user=user, email=email):
        return _("Choose one of your verified e-mail addresses.")
    if domains.is_free_mail(domains.email_domain(email)):
        return _(
            "%(email)s is an address of a free e-mail provider: it does not show that you work "
            "for %(org)s. Use an address at %(domain)s."
        ) % {
            "email": email,
            "org": organisation.name,
            "domain": domains.claim_domain(organisation.website),
        }
    if not domains.address_at_website(email, organisation.website):
        return _(
            "%(email)s is not an address at %(domain)s, the domain of %(org)s's website. Add "
            "and verify an address there in your account, or ask the cluster manager for an "
            "invitation."
        ) % {
            "email": email,
            "org": organisation.name,
            "domain": domains.claim_domain(organisation.website),
        }
    return None


@transaction.atomic
def profile_claim(*, organisation: Organisation, user, email: str) -> Membership:
    """A person of the company takes over its profile, nobody's yet, with a verified address at
    its website's domain: they become its administrator; the claim is recorded and the
    managers of its clusters are told."""
    organisation = _lock(organisation)
    refusal = claim_refusal(organisation=organisation, user=user, email=email)
    if refusal is not None:
        raise ActionRefused(refusal, field="email")
    membership = Membership.objects.create(
        user=user, organisation=organisation, role=Membership.Role.ADMIN
    )
    change = _record(
        organisation,
        action=MembershipChange.Action.CLAIMED,
        person=user,
        changed_by=user,
        after=Membership.Role.ADMIN,
        detail=_("by the verified address %(email)s") % {"email": email},
    )
    _claimed_mail(organisation, change, how=change.detail)
    announce_profile_change(organisation)
    return membership


def record_claim_by_invitation(*, invitation: Invitation, user) -> None:
    """``invitation_accept`` made ``user`` the first administrator of a profile nobody had:
    a claim, recorded and told to the managers of its clusters (its inviter is told anyway)."""
    change = _record(
        invitation.organisation,
        action=MembershipChange.Action.CLAIMED,
        person=user,
        changed_by=user,
        after=Membership.Role.ADMIN,
        detail=_("by the invitation of %(inviter)s")
        % {"inviter": invitation.invited_by.email if invitation.invited_by else "?"},
    )
    _claimed_mail(invitation.organisation, change, how=change.detail, skip=invitation.invited_by)


def _claimed_mail(organisation, change: MembershipChange, *, how: str, skip=None) -> None:
    managers = [m for m in selectors.cluster_managers_of(organisation) if m != skip]
    mail_queue(
        key=f"organisations.claim:{change.pk}",
        to=managers,
        subject=lambda: (
            _("%(email)s took over the profile of %(org)s")
            % {"email": change.person_email, "org": organisation.name}
        ),
        template="organisations/email/profile_claimed.txt",
        context={"organisation": organisation, "change": change, "how": how},
        url=organisation.get_absolute_url(),
    )


# --- a cluster manager invites the people of a member ------------------------------------------


@transaction.atomic
def member_invitation_create(
    *, organisation: Organisation, email: str, role: str, invited_by, cluster: Organisation
) -> Invitation:
    """A manager of ``cluster`` invites someone of its member ``organisation``.

    Nobody has the profile yet: the invitation (to its administrator role) is mailed at once.
    The company has administrators: they are asked to approve it first; it is mailed then."""
    organisation = _lock(organisation)
    refuse_unless_acting(cluster)
    if not ClusterMembership.objects.filter(
        cluster=cluster, member=organisation, status=Decision.APPROVED
    ).exists():
        raise ActionRefused(
            _("%(org)s is not a member of your cluster.") % {"org": organisation.name}
        )
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ActionRefused(
            _("%(email)s is already one of the people of %(org)s.")
            % {"email": email, "org": organisation.name},
            field="email",
        )
    if not selectors.has_admins(organisation):
        return invitation_create(
            organisation=organisation,
            email=email,
            role=Membership.Role.ADMIN,
            invited_by=invited_by,
            on_behalf_of=cluster,
        )
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=invited_by,
        on_behalf_of=cluster,
        status=Decision.PENDING,
    )
    mail_queue(
        key=f"organisations.invitation:{invitation.pk}:held",
        to=selectors.organisation_admins(organisation),
        subject=lambda: (
            _("%(cluster)s asks to invite %(email)s to %(org)s")
            % {"cluster": cluster.name, "email": email, "org": organisation.name}
        ),
        template="organisations/email/invitation_held.txt",
        context={"invitation": invitation, "organisation": organisation, "cluster": cluster},
        url=reverse("organisations:held_invitation_decide", args=[invitation.pk]),
    )
    return invitation


@transaction.atomic
def held_invitation_approve(*, invitation: Invitation, decided_by) -> Invitation:
    """An administrator of the company approves the manager's invitation: it is mailed now and
    valid for two weeks from now; the manager is told."""
    decide_pending(invitation, decided_by=decided_by, status=Decision.APPROVED)
    invitation.expires_at = timezone.now() + timedelta(days=INVITATION_DAYS)
    invitation.save(update_fields=["expires_at"])
    invitation_mail(invitation)
    _held_decided_mail(invitation)
    return invitation


@transaction.atomic
def held_invitation_decline(*, invitation: Invitation, decided_by) -> Invitation:
    """An administrator of the company declines the manager's invitation; the manager is told
    and nobody else is mailed."""
    decide_pending(invitation, decided_by=decided_by, status=Decision.REJECTED)
    _held_decided_mail(invitation)
    return invitation


def _held_decided_mail(invitation: Invitation) -> None:
    if invitation.invited_by is None:
        return
    approved = invitation.status == Decision.APPROVED
    mail_queue(
        key=f"organisations.invitation:{invitation.pk}:{invitation.status}",
        to=[invitation.invited_by],
        subject=lambda: (
            (
                _("%(org)s approved your invitation of %(email)s")
                if approved
                else _("%(org)s declined your invitation of %(email)s")
            )
            % {"org": invitation.organisation.name, "email": invitation.email}
        ),
        template="organisations/email/invitation_held_decided.txt",
        context={"invitation": invitation, "approved": approved},
        url=invitation.organisation.get_absolute_url(),
    )


# --- a cluster invites a company -----------------------------------------------------------------


@transaction.atomic
def cluster_invitation_create(
    *, cluster: Organisation, member: Organisation, invited_by, message: str = ""
) -> ClusterMembership:
    """A cluster's manager invites a company to become a member; its administrators accept or
    decline. A company without administrators cannot decide: its people are invited first."""
    refuse_unless_acting(cluster)
    if not cluster.is_cluster:
        raise ActionRefused(_("Only clusters take members."))
    if member.pk == cluster.pk or member.is_cluster:
        raise ActionRefused(_("A cluster cannot be a member of a cluster."), field="member")
    admins = selectors.organisation_admins(member)
    if not admins:
        raise ActionRefused(
            _(
                "%(org)s has nobody in the portal to accept the invitation yet. Import it as a "
                "member, then invite its people."
            )
            % {"org": member.name},
            field="member",
        )
    cm, occasion = cluster_membership_open(
        cluster=cluster,
        member=member,
        requested_by=invited_by,
        message=message,
        field="member",
        invited=True,
    )
    mail_queue(
        key=f"organisations.cluster_membership:{cm.pk}:invited:{occasion}",
        to=admins,
        subject=lambda: (
            _("%(cluster)s invites %(org)s to become a member")
            % {"cluster": cluster.name, "org": member.name}
        ),
        template="organisations/email/cluster_invitation.txt",
        context={
            "cm": cm,
            "link": reverse("organisations:cluster_membership_decide", args=[cm.pk]),
        },
        url=reverse("organisations:cluster_membership_decide", args=[cm.pk]),
    )
    return cm


@transaction.atomic
def cluster_invitation_accept(*, cluster_membership: ClusterMembership, decided_by):
    """The company's administrator accepts: it is a member (and the cluster curates it)."""
    return _cluster_invitation_decide(cluster_membership, decided_by, Decision.APPROVED)


@transaction.atomic
def cluster_invitation_decline(*, cluster_membership: ClusterMembership, decided_by):
    """The company's administrator declines the cluster's invitation."""
    return _cluster_invitation_decide(cluster_membership, decided_by, Decision.REJECTED)


def _cluster_invitation_decide(cm: ClusterMembership, decided_by, status) -> ClusterMembership:
    if not cm.invited:
        raise ActionRefused(_("The company asked this itself: the cluster's manager decides."))
    refuse_unless_acting(cm.cluster)
    decide_pending(cm, decided_by=decided_by, status=status)
    approved = status == Decision.APPROVED
    mail_queue(
        key=f"organisations.cluster_membership:{cm.pk}:{status}:{stamp(cm.decided_at)}",
        to=selectors.organisation_admins(cm.cluster),
        subject=lambda: (
            (
                _("%(org)s accepted to become a member of %(cluster)s")
                if approved
                else _("%(org)s declined to become a member of %(cluster)s")
            )
            % {"org": cm.member.name, "cluster": cm.cluster.name}
        ),
        template="organisations/email/cluster_invitation_decided.txt",
        context={"cm": cm, "approved": approved, "decided_by": decided_by},
        url=reverse("organisations:cluster_members", args=[cm.cluster.slug]),
    )
    if approved:
        announce_profile_change(cm.member)
    return cm


# --- roles and removal --------------------------------------------------------------------------

LAST_ADMIN = gettext_lazy(
    "%(email)s is the last administrator of %(org)s. Make someone else an administrator first: "
    "an organisation always keeps one."
)


def _locked_members(organisation: Organisation, membership: Membership):
    rows = list(
        Membership.objects.select_for_update()
        .filter(organisation=organisation)
        .select_related("user")
        .order_by("pk")
    )
    current = next((m for m in rows if m.pk == membership.pk), None)
    if current is None:
        raise ActionRefused(_("This person is no longer a member."))
    admins = sum(1 for m in rows if m.role == Membership.Role.ADMIN)
    return current, admins


@transaction.atomic
def membership_role_change(*, membership: Membership, role: str, changed_by) -> Membership:
    """Give a member another role; never leaves the organisation without an administrator.
    Recorded; the member is told."""
    organisation = membership.organisation
    if role not in Membership.Role.values:
        raise ActionRefused(_("Choose a role."), field="role")
    current, admins = _locked_members(organisation, membership)
    if current.role == role:
        raise ActionRefused(
            _("%(email)s is %(role)s already.")
            % {"email": current.user.email, "role": current.get_role_display()},
            field="role",
        )
    if current.role == Membership.Role.ADMIN and admins <= 1:
        raise ActionRefused(
            str(LAST_ADMIN) % {"email": current.user.email, "org": organisation.name}, field="role"
        )
    before = current.role
    current.role = role
    current.save(update_fields=["role"])
    change = _record(
        organisation,
        action=MembershipChange.Action.ROLE_CHANGED,
        person=current.user,
        changed_by=changed_by,
        before=before,
        after=role,
    )
    mail_queue(
        key=f"organisations.membership_change:{change.pk}",
        to=[current.user],
        subject=lambda: (
            _("Your role in %(org)s is now %(role)s")
            % {"org": organisation.name, "role": current.get_role_display()}
        ),
        template="organisations/email/membership_changed.txt",
        context={"change": change, "organisation": organisation},
        url=organisation.get_absolute_url(),
    )
    return current


@transaction.atomic
def membership_remove(*, membership: Membership, removed_by) -> MembershipChange:
    """Remove a member; never the last administrator. Recorded; the person is told."""
    organisation = membership.organisation
    current, admins = _locked_members(organisation, membership)
    if current.role == Membership.Role.ADMIN and admins <= 1:
        raise ActionRefused(
            str(LAST_ADMIN) % {"email": current.user.email, "org": organisation.name}
        )
    change = _record(
        organisation,
        action=MembershipChange.Action.REMOVED,
        person=current.user,
        changed_by=removed_by,
        before=current.role,
    )
    current.delete()
    mail_queue(
        key=f"organisations.membership_change:{change.pk}",
        to=[current.user],
        subject=lambda: _("You were removed from %(org)s") % {"org": organisation.name},
        template="organisations/email/membership_changed.txt",
        context={"change": change, "organisation": organisation},
    )
    return change
