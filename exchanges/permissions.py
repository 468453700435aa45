"""Who may see and change what in the exchanges app: predicates ``can_<verb>(user, obj)``.

* An exchange's **host** is its host cluster's managers (administrators of the approved
  cluster) and staff: they edit it, see every application, decide them and see the agenda.
* The **manager of another cluster** sees the applications of their own (approved) members
  only, never the others'.
* The **applicant** sees and withdraws their own application; once accepted they see the
  agenda. What one may not see does not exist for them (404).
* A **partnership** is answered by the proposed cluster's managers; once active, the managers
  of either cluster may end it. Active and ended ones are public.
"""

from __future__ import annotations

from django.db.models import QuerySet

from organisations.models import ClusterMembership, Decision, Organisation
from organisations.permissions import (
    can_manage_cluster,
    is_cluster_manager_of,
    managed_clusters,
)

from .models import Application, Exchange, Partnership


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _staff(user) -> bool:
    return _authenticated(user) and bool(user.is_staff)


def host_choices(user) -> QuerySet[Organisation]:
    """The clusters a user may host an exchange for (staff: every acting cluster)."""
    if _staff(user):
        return Organisation.objects.acting().filter(kind=Organisation.Kind.CLUSTER)
    return managed_clusters(user)


def curated_members(user) -> QuerySet[Organisation]:
    """The approved members of the approved clusters the user manages."""
    return Organisation.objects.filter(
        pk__in=ClusterMembership.objects.filter(
            cluster__in=managed_clusters(user), status=Decision.APPROVED
        ).values("member_id")
    )


def can_create_exchange(user) -> bool:
    return _authenticated(user) and host_choices(user).exists()


def is_host(user, exchange: Exchange) -> bool:
    return _authenticated(user) and can_manage_cluster(user, exchange.host_cluster)


def can_view_exchange(user, exchange: Exchange) -> bool:
    if exchange.status != Exchange.Status.DRAFT:
        return True
    return is_host(user, exchange)


def can_edit_exchange(user, exchange: Exchange) -> bool:
    return is_host(user, exchange)


def can_apply(user, exchange: Exchange) -> bool:
    """Signed in, the exchange takes applications, and the user has an eligible company."""
    from . import selectors

    if not _authenticated(user) or not exchange.applications_are_open():
        return False
    return selectors.eligible_companies(user, exchange).exists()


def open_application(user, exchange: Exchange) -> Application | None:
    if not _authenticated(user):
        return None
    return exchange.applications.filter(applicant=user, status__in=Application.OPEN).first()


def can_view_applications(user, exchange: Exchange) -> bool:
    """The list of applications: the host (all), the manager of a cluster (their members')."""
    return is_host(user, exchange) or (_authenticated(user) and managed_clusters(user).exists())


def can_view_application(user, application: Application) -> bool:
    if not _authenticated(user):
        return False
    if application.applicant_id == user.pk or is_host(user, application.exchange):
        return True
    return is_cluster_manager_of(user, application.organisation)


def can_decide_application(user, application: Application) -> bool:
    return is_host(user, application.exchange)


def place_can_be_cancelled(application: Application) -> bool:
    """An accepted participant's place, until the exchange is over (by whom: see below)."""
    return application.status == Application.Status.ACCEPTED and not application.exchange.is_over()


def can_cancel_place(user, application: Application) -> bool:
    """The host (those who decide applications) cancels an accepted participant's place."""
    return place_can_be_cancelled(application) and can_decide_application(user, application)


def can_withdraw_application(user, application: Application) -> bool:
    return _authenticated(user) and application.applicant_id == user.pk and application.is_open


def can_view_agenda(user, exchange: Exchange) -> bool:
    """The programme in full: the host and the accepted participants."""
    if not _authenticated(user):
        return False
    if is_host(user, exchange):
        return True
    return exchange.applications.filter(applicant=user, status=Application.Status.ACCEPTED).exists()


def can_propose_partnership(user) -> bool:
    return _authenticated(user) and host_choices(user).exists()


def _manages_either(user, partnership: Partnership) -> bool:
    return can_manage_cluster(user, partnership.proposer) or can_manage_cluster(
        user, partnership.partner
    )


def can_view_partnership(user, partnership: Partnership) -> bool:
    """Active and ended ones are public (both profiles show them); the others their
    parties'."""
    if partnership.status in (Partnership.Status.ACTIVE, Partnership.Status.ENDED):
        return True
    return _authenticated(user) and _manages_either(user, partnership)


def can_decide_partnership(user, partnership: Partnership) -> bool:
    """The proposed cluster's managers answer a proposal."""
    return (
        partnership.status == Partnership.Status.PROPOSED
        and _authenticated(user)
        and can_manage_cluster(user, partnership.partner)
    )


def can_end_partnership(user, partnership: Partnership) -> bool:
    """The managers of either cluster (and staff) end an active partnership."""
    return (
        partnership.status == Partnership.Status.ACTIVE
        and not partnership.has_expired()
        and _authenticated(user)
        and _manages_either(user, partnership)
    )
