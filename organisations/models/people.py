"""People of an organisation: memberships and their roles, invitations, requests to join."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bigscience_portal.core.models import acting_user, optional_user, status_field

from .organisation import MESSAGE_VALIDATORS, Organisation, optional_organisation


class Membership(models.Model):
    """A user's place in an organisation, with a role.

    A cluster manager is an administrator of a cluster; an infrastructure liaison officer is a
    member of a research infrastructure.
    """

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        EDITOR = "editor", _("Editor")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.EDITOR)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="uniq_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"


class Decision(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class DecidedRequest(models.Model):
    """Abstract: a request with a message that someone decides (pending, then approved or
    rejected, by whom and when): a request to join an organisation, a cluster membership."""

    message = models.TextField(
        _("message"), blank=True, max_length=2000, validators=MESSAGE_VALIDATORS
    )
    status = status_field(Decision, Decision.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = optional_user()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=14)


class Invitation(models.Model):
    """An e-mailed invitation to join an organisation; the link works for new and existing users.

    A cluster manager may invite the people of a member company (``on_behalf_of`` the cluster).
    When the company has administrators, the invitation waits (``status`` pending) until one
    of them approves it; only then is it mailed (and its validity starts). Every other
    invitation is approved when it is made."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(
        _("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.EDITOR
    )
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = acting_user()
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = optional_user()
    on_behalf_of = optional_organisation(
        _("invited for cluster"),
        help_text=_("The cluster whose manager invited the people of its member."),
    )
    status = models.CharField(
        _("approval"), max_length=10, choices=Decision.choices, default=Decision.APPROVED
    )
    decided_by = optional_user(_("approved or declined by"))
    decided_at = models.DateTimeField(_("approved or declined"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_open(self) -> bool:
        return (
            self.status == Decision.APPROVED
            and self.accepted_at is None
            and self.expires_at > timezone.now()
        )


class JoinRequest(DecidedRequest):
    """A user asks to join an organisation; its administrators approve or reject."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="join_requests"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(status="pending"),
                name="uniq_pending_join_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation} ({self.status})"


class MembershipChange(models.Model):
    """A record of who changed the people of an organisation, when, and what: a profile
    claimed, a role changed, a member removed (shown on the people page)."""

    class Action(models.TextChoices):
        CLAIMED = "claimed", _("Claimed the profile")
        ROLE_CHANGED = "role_changed", _("Role changed")
        REMOVED = "removed", _("Removed")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="membership_changes"
    )
    action = models.CharField(_("what"), max_length=20, choices=Action.choices)
    person = optional_user(_("person"))
    person_email = models.EmailField(_("person's e-mail"))
    role_before = models.CharField(
        _("role before"), max_length=10, choices=Membership.Role.choices, blank=True
    )
    role_after = models.CharField(
        _("role after"), max_length=10, choices=Membership.Role.choices, blank=True
    )
    detail = models.CharField(_("how"), max_length=300, blank=True)
    changed_by = optional_user(_("changed by"))
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("change of people")
        verbose_name_plural = _("changes of people")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_action_display()} {self.person_email}"
