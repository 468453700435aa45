"""Finish joining through an invitation right after the invitee logs in or signs up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import gettext as _

from bigscience_portal.core.errors import ActionRefused

from . import services
from .models import Invitation

INVITATION_SESSION_KEY = "organisations_invitation_token"


@receiver(user_logged_in, dispatch_uid="organisations_accept_pending_invitation")
def accept_pending_invitation(sender, request, user, **kwargs):
    """The invitation link stored its token in the session; joining completes at log-in."""
    if request is None or not hasattr(request, "session"):
        return
    token = request.session.pop(INVITATION_SESSION_KEY, None)
    if not token:
        return
    invitation = Invitation.objects.select_related("organisation").filter(token=token).first()
    if invitation is None or not invitation.is_open:
        return
    try:
        services.invitation_accept(invitation=invitation, user=user)
    except ActionRefused:
        return
    if hasattr(request, "_messages"):
        messages.success(request, _("You joined %(org)s.") % {"org": invitation.organisation.name})
