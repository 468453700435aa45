"""Who may see and change what in the directory: the one place that decides it.

Views, templates (through ``organisations_tags``) and other apps call these predicates; nothing
re-derives them by hand. Each takes the user first and the object second and returns a bool.
"""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

from .models import ClusterMembership, Decision, Membership, Organisation


def _membership_rows(user) -> list[tuple[int, str, str]]:
    """(organisation id, organisation kind, role) of each of the user's memberships; one query,
    cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    rows = getattr(user, "_bsp_memberships", None)
    if rows is None:
        rows = list(
            Membership.objects.filter(user=user).values_list(
                "organisation_id", "organisation__kind", "role"
            )
        )
        user._bsp_memberships = rows
    return rows


def _memberships(user) -> dict[int, str]:
    """{organisation id: role} for the user."""
    return {org_id: role for org_id, _kind, role in _membership_rows(user)}


def is_member(user, organisation: Organisation) -> bool:
    return organisation.pk in _memberships(user)


def is_admin(user, organisation: Organisation) -> bool:
    return _memberships(user).get(organisation.pk) == Membership.Role.ADMIN


def member_organisations(user) -> QuerySet[Organisation]:
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user)


def managed_clusters(user) -> QuerySet[Organisation]:
    """Clusters the user manages (administrator of a cluster)."""
    return member_organisations(user).filter(
        kind=Organisation.Kind.CLUSTER, memberships__role=Membership.Role.ADMIN
    )


def liaison_infrastructures(user) -> QuerySet[Organisation]:
    """Infrastructures the user is a liaison officer of (any member of an infrastructure)."""
    return member_organisations(user).filter(kind=Organisation.Kind.RESEARCH_INFRASTRUCTURE)


def liaison_infrastructure_ids(user) -> list[int]:
    """Ids of ``liaison_infrastructures(user)``, from the request's one memberships query."""
    return [
        org_id
        for org_id, kind, _role in _membership_rows(user)
        if kind == Organisation.Kind.RESEARCH_INFRASTRUCTURE
    ]


def is_liaison_officer(user, infrastructure: Organisation) -> bool:
    return infrastructure.is_infrastructure and is_member(user, infrastructure)


def is_cluster_manager_of(user, member: Organisation) -> bool:
    """True when the user manages a cluster that has approved ``member``."""
    clusters = [pk for pk, role in _memberships(user).items() if role == Membership.Role.ADMIN]
    if not clusters:
        return False
    return ClusterMembership.objects.filter(
        cluster_id__in=clusters,
        cluster__kind=Organisation.Kind.CLUSTER,
        member=member,
        status=Decision.APPROVED,
    ).exists()


def can_view_organisation(user, organisation: Organisation) -> bool:
    if organisation.status == Organisation.Status.PUBLISHED:
        return True
    return bool(getattr(user, "is_staff", False)) or can_edit_organisation(user, organisation)


def can_edit_organisation(user, organisation: Organisation) -> bool:
    """Editors and admins edit their own organisation; cluster managers their members; staff all."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or is_member(user, organisation):
        return True
    return is_cluster_manager_of(user, organisation)


def can_manage_people(user, organisation: Organisation) -> bool:
    """Invite people and decide requests to join: the organisation's administrators and staff."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or is_admin(user, organisation)


def visible_organisations(user) -> QuerySet[Organisation]:
    """What a user may see in the directory: published, plus own and curated drafts; staff all."""
    qs = Organisation.objects.all()
    if getattr(user, "is_staff", False):
        return qs
    published = qs.filter(status=Organisation.Status.PUBLISHED)
    if not getattr(user, "is_authenticated", False):
        return published
    own = list(_memberships(user))
    curated = ClusterMembership.objects.filter(
        cluster_id__in=[pk for pk, r in _memberships(user).items() if r == Membership.Role.ADMIN],
        cluster__kind=Organisation.Kind.CLUSTER,
        status=Decision.APPROVED,
    ).values("member_id")
    return qs.filter(
        models.Q(status=Organisation.Status.PUBLISHED)
        | models.Q(pk__in=own)
        | models.Q(pk__in=curated)
    )


def can_create_organisation(user) -> bool:
    """Any signed-in user may register an organisation (and becomes its administrator)."""
    return bool(getattr(user, "is_authenticated", False))


def can_view_history(user, organisation: Organisation) -> bool:
    """The change history is for those who may edit the profile."""
    return can_edit_organisation(user, organisation)


def can_verify_organisation(user, organisation: Organisation) -> bool:
    """Managers of a cluster the organisation is an approved member of, and staff."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or is_cluster_manager_of(user, organisation)


def can_manage_cluster(user, cluster: Organisation) -> bool:
    """Decide membership requests, import and export members: the cluster's admins and staff."""
    if not cluster.is_cluster or not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or is_admin(user, cluster)


def can_decide_cluster_membership(user, cluster_membership: ClusterMembership) -> bool:
    return can_manage_cluster(user, cluster_membership.cluster)


def can_request_cluster_membership(user, member: Organisation) -> bool:
    """A company's administrators (and staff) ask clusters to take it as a member."""
    if member.is_cluster or not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or is_admin(user, member)


def can_request_to_join(user, organisation: Organisation) -> bool:
    """Signed-in users who are not yet members may ask to join a visible organisation."""
    return (
        getattr(user, "is_authenticated", False)
        and not is_member(user, organisation)
        and can_view_organisation(user, organisation)
    )


def roles_of(user) -> dict[str, bool]:
    """Which parts of the portal concern the user (for navigation); no query of its own."""
    kinds = {(kind, role) for _org_id, kind, role in _membership_rows(user)}
    return {
        "company": any(k in Organisation.COMPANY_KINDS for k, _ in kinds),
        "liaison": any(k == Organisation.Kind.RESEARCH_INFRASTRUCTURE for k, _ in kinds),
        "cluster_manager": (Organisation.Kind.CLUSTER, Membership.Role.ADMIN) in kinds,
    }
