"""Who may see which outcomes: the one place that decides it.

- a company's funnel: its own people, the managers of the approved clusters it accepted as a
  member (an approved membership), and staff;
- a cluster's members' funnel: the cluster's administrators (once staff approved the cluster)
  and staff;
- an infrastructure's dashboard and industrial return: its liaison officers and staff;
- an event's outcome charts: its organisers (and staff, who organise every event);
- the portal's health, award links and contribution imports: staff.

Bid values are the company's: nobody else sees one unless the company shared it (then its
cluster managers and the buyer's liaison officers do); award values are public.
"""

from __future__ import annotations

from events.permissions import is_organiser
from organisations.models import Organisation
from organisations.permissions import (
    is_admin,
    is_cluster_manager_of,
    is_liaison_officer,
    is_member,
    may_act_as_privileged,
)


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _staff(user) -> bool:
    return _authenticated(user) and bool(user.is_staff)


def can_view_company_funnel(user, company: Organisation) -> bool:
    if not company.is_company or not _authenticated(user):
        return False
    return _staff(user) or is_member(user, company) or is_cluster_manager_of(user, company)


def can_record_steps(user, company: Organisation) -> bool:
    """Record and correct the company's own steps: its people."""
    return company.is_company and _authenticated(user) and is_member(user, company)


def can_see_value(user, step, memo: dict | None = None) -> bool:
    """A step's value: awards for whoever sees the step; a bid's for the company, and for its
    cluster managers and the buyer's liaison officers when the company shared it.

    ``memo`` (a dict the caller keeps for one list of steps) holds the cluster-manager and
    officer answer per company and buyer, so that a list asks it once, not once per step."""
    if step.kind == "awarded":
        return True
    if not _authenticated(user):
        return False
    if is_member(user, step.company):
        return True
    if not step.value_shared:
        return False
    key = (step.company_id, step.call.buyer_id)
    if memo is not None and key in memo:
        return memo[key]
    answer = is_cluster_manager_of(user, step.company) or is_liaison_officer(user, step.call.buyer)
    if memo is not None:
        memo[key] = answer
    return answer


def can_view_cluster_dashboard(user, cluster: Organisation) -> bool:
    if not cluster.is_cluster or not may_act_as_privileged(cluster):
        return False
    return _staff(user) or (_authenticated(user) and is_admin(user, cluster))


def can_view_infrastructure_dashboard(user, infrastructure: Organisation) -> bool:
    if not infrastructure.is_infrastructure or not _authenticated(user):
        return False
    return _staff(user) or is_liaison_officer(user, infrastructure)


def can_view_event_outcomes(user, event) -> bool:
    return _authenticated(user) and is_organiser(user, event)


def can_view_portal_health(user) -> bool:
    return _staff(user)


def can_link_awards(user) -> bool:
    return _staff(user)


def can_import_figures(user) -> bool:
    return _staff(user)
