"""Writes of the organisations app, by topic. Each is a transaction, takes keyword arguments,
and refuses with :class:`~bigscience_portal.core.errors.ActionRefused`; reads live in
``selectors``; every e-mail goes through :func:`~bigscience_portal.core.mail.mail_queue` with a
key naming its occasion, so that a rerun mails nobody twice.

``from organisations import services`` gives them all.
"""

from .approvals import (
    awaiting_approval_message,
    organisation_approval_request,
    organisation_approve,
    organisation_reject,
)
from .clusters import (
    MemberImportResult,
    cluster_membership_approve,
    cluster_membership_reject,
    cluster_membership_request,
    member_import_confirm,
    member_import_preview,
)
from .handover import (
    claim_refusal,
    cluster_invitation_accept,
    cluster_invitation_create,
    cluster_invitation_decline,
    held_invitation_approve,
    held_invitation_decline,
    member_invitation_create,
    membership_remove,
    membership_role_change,
    profile_claim,
)
from .people import (
    invitation_accept,
    invitation_create,
    invitation_refusal,
    join_request_approve,
    join_request_create,
    join_request_reject,
)
from .profiles import organisation_create, organisation_update, organisation_verify
from .reference import ReferenceLoadReport, reference_data_load

__all__ = [
    "MemberImportResult",
    "ReferenceLoadReport",
    "awaiting_approval_message",
    "claim_refusal",
    "cluster_invitation_accept",
    "cluster_invitation_create",
    "cluster_invitation_decline",
    "cluster_membership_approve",
    "cluster_membership_reject",
    "cluster_membership_request",
    "held_invitation_approve",
    "held_invitation_decline",
    "invitation_accept",
    "invitation_create",
    "invitation_refusal",
    "join_request_approve",
    "join_request_create",
    "join_request_reject",
    "member_import_confirm",
    "member_import_preview",
    "member_invitation_create",
    "membership_remove",
    "membership_role_change",
    "organisation_approval_request",
    "organisation_approve",
    "organisation_create",
    "organisation_reject",
    "organisation_update",
    "organisation_verify",
    "profile_claim",
    "reference_data_load",
]
