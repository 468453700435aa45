"""Staff's approval of research infrastructures, clusters and public authorities: asked when one
is registered (or becomes one), decided in the staff's queue; each step recorded and mailed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bigscience_portal.core.errors import ActionRefused
from bigscience_portal.core.mail import mail_queue

from .. import selectors, signals
from ..models import MESSAGE_VALIDATORS, Approval, Organisation, ProfileChange


def awaiting_approval_message(organisation: Organisation) -> str:
    """Why an organisation that needs approval may not act yet, for its people."""
    if organisation.approval_rejected:
        return _(
            "%(org)s was not approved by the portal staff, so it cannot do this. Its "
            "administrators received the reason by e-mail."
        ) % {"org": organisation.name}
    return _(
        "%(org)s awaits approval by the portal staff. Until then it cannot post calls, invite "
        "people, import or curate members or forward opportunities, and only its people see it. "
        "Its administrators get an e-mail when staff decide."
    ) % {"org": organisation.name}


def refuse_unless_acting(organisation: Organisation) -> None:
    """Refuse an act in the organisation's name while it waits for approval (or was refused)."""
    if not organisation.is_acting:
        raise ActionRefused(awaiting_approval_message(organisation), code="awaiting_approval")


def stamp(moment) -> str:
    """A moment as it names an occasion in a mail's key (to the microsecond)."""
    return f"{moment:%Y%m%d%H%M%S%f}"


@transaction.atomic
def organisation_approval_request(*, organisation: Organisation, requested_by) -> Organisation:
    """Put a research infrastructure, cluster or public authority in the staff's queue (a new
    one registered by a user, or one whose kind staff changed) and tell every active staff
    member. Until a decision it acts nowhere and only its people and staff see it."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not organisation.needs_approval:
        raise ActionRefused(_("Only infrastructures, clusters and public authorities need it."))
    before = organisation.approval
    organisation.approval = Approval.PENDING
    organisation.approval_requested_at = timezone.now()
    organisation.approval_requested_by = requested_by
    organisation.approval_decided_at = None
    organisation.approval_decided_by = None
    organisation.approval_reason = ""
    organisation.save(update_fields=[*Organisation.APPROVAL_FIELDS, "updated_at"])
    ProfileChange.objects.create(
        organisation=organisation,
        changed_by=requested_by,
        changes={"approval": [None if before == Approval.PENDING else before, Approval.PENDING]},
    )
    mail_queue(
        key=f"organisations.approval:{organisation.pk}:requested:"
        f"{stamp(organisation.approval_requested_at)}",
        to=selectors.staff_recipients(),
        subject=lambda: (
            _("%(org)s asks to be approved as %(kind)s")
            % {"org": organisation.name, "kind": organisation.get_kind_display().lower()}
        ),
        template="organisations/email/approval_requested.txt",
        context={
            "organisation": organisation,
            "requested_by": requested_by,
            "link": reverse("organisations:approval_decide", args=[organisation.pk]),
        },
    )
    return organisation


def _decide(*, organisation: Organisation, decided_by, approval: str, reason: str) -> Organisation:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not organisation.awaits_approval:
        raise ActionRefused(
            _("%(org)s is not waiting for approval (any more).") % {"org": organisation.name}
        )
    organisation.approval = approval
    organisation.approval_decided_at = timezone.now()
    organisation.approval_decided_by = decided_by
    organisation.approval_reason = reason
    organisation.save(
        update_fields=[
            "approval",
            "approval_decided_at",
            "approval_decided_by",
            "approval_reason",
            "updated_at",
        ]
    )
    changes = {"approval": [Approval.PENDING, approval]}
    if reason:
        changes["approval_reason"] = [None, reason]
    ProfileChange.objects.create(organisation=organisation, changed_by=decided_by, changes=changes)
    approved = approval == Approval.APPROVED
    mail_queue(
        key=f"organisations.approval:{organisation.pk}:{approval}:"
        f"{stamp(organisation.approval_decided_at)}",
        to=selectors.organisation_admins(organisation),
        subject=lambda: (
            (
                _("%(org)s is approved on the portal")
                if approved
                else _("%(org)s was not approved on the portal")
            )
            % {"org": organisation.name}
        ),
        template="organisations/email/approval_decided.txt",
        context={"organisation": organisation, "approved": approved, "reason": reason},
    )
    signals.profile_changed.send(sender=Organisation, organisation_id=organisation.pk)
    return organisation


@transaction.atomic
def organisation_approve(*, organisation: Organisation, decided_by) -> Organisation:
    """Staff approve a waiting infrastructure, cluster or public authority: from now on it acts
    and appears in the directory (if published); its administrators are told."""
    return _decide(
        organisation=organisation, decided_by=decided_by, approval=Approval.APPROVED, reason=""
    )


@transaction.atomic
def organisation_reject(*, organisation: Organisation, decided_by, reason: str) -> Organisation:
    """Staff refuse a waiting infrastructure, cluster or public authority, saying why; it stays
    visible to its people only, who are told the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Say why, for its administrators."), field="reason")
    try:
        for validate in MESSAGE_VALIDATORS:
            validate(reason)
    except ValidationError as exc:
        raise ActionRefused(" ".join(exc.messages), field="reason") from exc
    return _decide(
        organisation=organisation, decided_by=decided_by, approval=Approval.REJECTED, reason=reason
    )
