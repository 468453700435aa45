"""Who may see and change what in procurement calls: the one place that decides it.

Built on ``organisations.permissions``. Each predicate takes the user first, the object second.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from organisations import permissions as org_perms
from organisations.models import Organisation

from .models import ExpressionOfInterest, ProcurementCall

PUBLIC_STATUSES = (
    ProcurementCall.Status.PUBLISHED,
    ProcurementCall.Status.CLOSED,
    ProcurementCall.Status.AWARDED,
    ProcurementCall.Status.CANCELLED,
)


def _is_authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _is_staff(user) -> bool:
    return _is_authenticated(user) and bool(user.is_staff)


#: who may be the buyer of a call: research infrastructures, and public authorities (their
#: innovation procurement), once staff approved them
BUYER_KINDS = (Organisation.Kind.RESEARCH_INFRASTRUCTURE, Organisation.Kind.PUBLIC_AUTHORITY)


def buyer_choices(user) -> QuerySet[Organisation]:
    """Approved buyers the user may post calls for: theirs, or every one for staff."""
    buyers = Organisation.objects.filter(kind__in=BUYER_KINDS).acting()
    if _is_staff(user):
        return buyers
    return buyers.filter(pk__in=org_perms.acting_organisation_ids(user, BUYER_KINDS))


def can_create_call(user) -> bool:
    return _is_staff(user) or (
        _is_authenticated(user) and bool(org_perms.acting_organisation_ids(user, BUYER_KINDS))
    )


def may_be_buyer(organisation: Organisation) -> bool:
    """A research infrastructure or a public authority that staff approved."""
    return organisation.kind in BUYER_KINDS and org_perms.may_act_as_privileged(organisation)


def is_buyer_officer(user, buyer: Organisation) -> bool:
    """A member of an approved buyer (an infrastructure's liaison officer, or a public
    authority's procurement officer)."""
    return may_be_buyer(buyer) and org_perms.is_member(user, buyer)


def can_manage_call(user, call: ProcurementCall) -> bool:
    """Edit, publish, close, award, cancel, answer questions, see and export EoIs."""
    if not _is_authenticated(user):
        return False
    return user.is_staff or is_buyer_officer(user, call.buyer)


def can_view_call(user, call: ProcurementCall) -> bool:
    if call.status in PUBLIC_STATUSES:
        return True
    return can_manage_call(user, call)


def visible_calls_filter(user) -> Q:
    """A Q selecting the calls ``user`` may see (drafts only for their buyers' officers)."""
    public = Q(status__in=PUBLIC_STATUSES)
    if _is_staff(user):
        return Q()
    if not _is_authenticated(user):
        return public
    own = org_perms.liaison_infrastructure_ids(user)
    return public | Q(buyer_id__in=own) if own else public


def can_ask_question(user, call: ProcurementCall) -> bool:
    return _is_authenticated(user) and call.accepts_questions


def can_answer_question(user, call: ProcurementCall) -> bool:
    return can_manage_call(user, call)


def can_view_eois(user, call: ProcurementCall) -> bool:
    return can_manage_call(user, call)


def interest_organisations(user) -> QuerySet[Organisation]:
    """Companies the user may express interest for (members of a company organisation)."""
    if not _is_authenticated(user):
        return Organisation.objects.none()
    return org_perms.member_organisations(user).filter(kind__in=Organisation.COMPANY_KINDS)


def can_express_interest(user, call: ProcurementCall) -> bool:
    return call.is_open and interest_organisations(user).exists()


def can_withdraw_interest(user, eoi: ExpressionOfInterest) -> bool:
    if not _is_authenticated(user) or eoi.status != ExpressionOfInterest.Status.ACTIVE:
        return False
    if not eoi.call.is_open:
        return False
    return org_perms.is_member(user, eoi.organisation)


def can_save_search(user) -> bool:
    return _is_authenticated(user)


def can_import_notices(user) -> bool:
    """Upload TED notices, see the harvests, merge the buyers that the imports created: staff."""
    return _is_staff(user)
