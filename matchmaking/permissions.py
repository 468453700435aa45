"""Who sees which matches: the one place that decides it (views and template tags ask here)."""

from __future__ import annotations

from django.db.models import QuerySet

from organisations.models import Organisation
from organisations.permissions import (
    is_admin,
    is_liaison_officer,
    may_act_as_privileged,
    member_organisations,
)


def user_companies(user) -> QuerySet[Organisation]:
    """Companies (SME or large) the user is a member of."""
    return member_organisations(user).filter(kind__in=Organisation.COMPANY_KINDS).order_by("name")


def can_see_recommendations(user, company: Organisation) -> bool:
    """A company's recommended calls: its members and staff."""
    if not getattr(user, "is_authenticated", False) or not company.is_company:
        return False
    return user.is_staff or user_companies(user).filter(pk=company.pk).exists()


def can_give_feedback(user, company: Organisation) -> bool:
    return can_see_recommendations(user, company)


def can_see_suppliers(user, call) -> bool:
    """A call's suggested suppliers: the buyer's liaison officers and staff."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or is_liaison_officer(user, call.buyer))


def can_invite_supplier(user, call) -> bool:
    return can_see_suppliers(user, call)


def board_exists_for(user, cluster: Organisation) -> bool:
    """Whether the cluster's board is there for the user at all: for its managers (approved
    or not) and staff; for everyone else it does not exist (404, as another organisation's
    list). Whether they may use it is :func:`can_use_cluster_board`."""
    if not getattr(user, "is_authenticated", False) or not cluster.is_cluster:
        return False
    return user.is_staff or is_admin(user, cluster)


def can_use_cluster_board(user, cluster: Organisation) -> bool:
    """The members x open calls board and forwarding: the managers (administrators) of a
    cluster that staff approved, and staff. A cluster awaiting approval forwards nothing."""
    if not getattr(user, "is_authenticated", False) or not cluster.is_cluster:
        return False
    if user.is_staff:
        return True
    return may_act_as_privileged(cluster) and is_admin(user, cluster)


def can_see_runs(user) -> bool:
    return bool(getattr(user, "is_staff", False))


def can_retry_runs(user) -> bool:
    """Staff queue a failed scoring run again (the run service decides which runs may be)."""
    return can_see_runs(user)
