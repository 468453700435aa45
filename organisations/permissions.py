"""Who may see and change what in the directory: the one place that decides it.

Views, templates (through ``organisations_tags``) and other apps call these predicates; nothing
re-derives them by hand. Each takes the user first and the object second and returns a bool.

**Approved organisations.** Research infrastructures, clusters and public authorities act in
the portal's name only once staff approved them (see ``Organisation``'s docstring). For the
apps above: :func:`may_act_as_privileged` ``(organisation) -> bool`` is the one predicate that
says whether an infrastructure may post calls and invite suppliers, a cluster may forward
opportunities, a public authority may publish challenges; ``Organisation.objects.acting()`` is
the queryset of the organisations that may act and be listed. The helpers here that name
infrastructures or clusters of a user (:func:`liaison_infrastructures`, :func:`managed_clusters`,
:func:`is_liaison_officer`, :func:`is_cluster_manager_of`, :func:`roles_of`) already count only
approved ones.
"""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

from .models import (
    Approval,
    ClusterMembership,
    Decision,
    Membership,
    Organisation,
    acting_condition,
)


def may_act_as_privileged(organisation: Organisation) -> bool:
    """True for a research infrastructure, cluster or public authority that staff approved:
    only then may it post calls, invite suppliers, forward opportunities, import or curate
    members (and appear in the directory). False for every other organisation, and for one
    whose approval is pending or was refused.

    The apps above call this before any such act (``tenders``: posting and publishing a call,
    inviting suppliers; ``matchmaking``: a cluster's forwarding, an infrastructure's supplier
    lists), with the organisation the act is for.
    """
    return organisation.needs_approval and organisation.is_acting


def _membership_rows(user) -> list[tuple[int, str, str, bool]]:
    """(organisation id, organisation kind, role, whether the organisation acts) of each of the
    user's memberships; one query, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    rows = getattr(user, "_bsp_memberships", None)
    if rows is None:
        rows = [
            (org_id, kind, role, Organisation.acts(kind, approval))
            for org_id, kind, role, approval in Membership.objects.filter(user=user).values_list(
                "organisation_id", "organisation__kind", "role", "organisation__approval"
            )
        ]
        user._bsp_memberships = rows
    return rows


def _memberships(user) -> dict[int, str]:
    """{organisation id: role} for the user."""
    return {org_id: role for org_id, _kind, role, _acts in _membership_rows(user)}


def _admin_of(user) -> list[int]:
    return [pk for pk, role in _memberships(user).items() if role == Membership.Role.ADMIN]


def is_member(user, organisation: Organisation) -> bool:
    return organisation.pk in _memberships(user)


def is_admin(user, organisation: Organisation) -> bool:
    return _memberships(user).get(organisation.pk) == Membership.Role.ADMIN


def member_organisations(user) -> QuerySet[Organisation]:
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user)


def managed_clusters(user) -> QuerySet[Organisation]:
    """Approved clusters the user manages (administrator of a cluster)."""
    return (
        member_organisations(user)
        .filter(kind=Organisation.Kind.CLUSTER, memberships__role=Membership.Role.ADMIN)
        .acting()
    )


def liaison_infrastructures(user) -> QuerySet[Organisation]:
    """Approved infrastructures the user is a liaison officer of (any member of one)."""
    return (
        member_organisations(user).filter(kind=Organisation.Kind.RESEARCH_INFRASTRUCTURE).acting()
    )


def liaison_infrastructure_ids(user) -> list[int]:
    """Ids of ``liaison_infrastructures(user)``, from the request's one memberships query."""
    return acting_organisation_ids(user, (Organisation.Kind.RESEARCH_INFRASTRUCTURE,))


def acting_organisation_ids(user, kinds) -> list[int]:
    """Ids of the user's organisations of ``kinds`` that act (approved where approval is
    needed), from the request's one memberships query."""
    return [
        org_id for org_id, kind, _role, acts in _membership_rows(user) if kind in kinds and acts
    ]


def is_liaison_officer(user, infrastructure: Organisation) -> bool:
    """A member of an approved infrastructure."""
    return (
        infrastructure.is_infrastructure
        and may_act_as_privileged(infrastructure)
        and is_member(user, infrastructure)
    )


def _curating_clusters(user) -> QuerySet[ClusterMembership]:
    """Approved memberships in the approved clusters the user manages."""
    return ClusterMembership.objects.filter(
        cluster_id__in=_admin_of(user),
        cluster__kind=Organisation.Kind.CLUSTER,
        cluster__approval=Approval.APPROVED,
        status=Decision.APPROVED,
    )


def is_cluster_manager_of(user, member: Organisation) -> bool:
    """True when the user manages an approved cluster that has approved ``member``."""
    if not _admin_of(user):
        return False
    return _curating_clusters(user).filter(member=member).exists()


def awaiting_cluster_of(user, member: Organisation) -> Organisation | None:
    """A cluster the user manages that took ``member`` but is not approved (any more): why
    the manager may not curate it now (the page says so instead of a bare refusal)."""
    admin_of = _admin_of(user)
    if not admin_of:
        return None
    return (
        Organisation.objects.filter(
            pk__in=admin_of,
            kind=Organisation.Kind.CLUSTER,
            cluster_memberships__member=member,
            cluster_memberships__status=Decision.APPROVED,
        )
        .exclude(approval=Approval.APPROVED)
        .first()
    )


def _shown_to_everyone(organisation: Organisation) -> bool:
    return organisation.status == Organisation.Status.PUBLISHED and organisation.is_acting


def can_view_organisation(user, organisation: Organisation) -> bool:
    """Published and acting organisations for everyone; drafts and organisations awaiting
    approval for their members, the managers of their clusters, and staff."""
    if _shown_to_everyone(organisation):
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
    """What a user may see in the directory: published organisations that act (approved, or
    needing no approval), plus their own and curated ones whatever their state; staff all."""
    qs = Organisation.objects.all()
    if getattr(user, "is_staff", False):
        return qs
    public = models.Q(status=Organisation.Status.PUBLISHED) & acting_condition()
    if not getattr(user, "is_authenticated", False):
        return qs.filter(public)
    own = list(_memberships(user))
    if not own:
        return qs.filter(public)
    curated = _curating_clusters(user).values("member_id")
    return qs.filter(public | models.Q(pk__in=own) | models.Q(pk__in=curated))


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
    """Decide membership requests, import and export members: the admins of an approved
    cluster, and staff."""
    if not cluster.is_cluster or not getattr(user, "is_authenticated", False):
        return False
    return may_act_as_privileged(cluster) and (user.is_staff or is_admin(user, cluster))


def can_invite(user, organisation: Organisation) -> bool:
    """Invite people by e-mail (a mail in the organisation's name): its administrators and
    staff, once the organisation acts (approved, or needing no approval)."""
    return organisation.is_acting and can_manage_people(user, organisation)


def waiting_for_approval(user, organisation: Organisation) -> Organisation | None:
    """The organisation itself when it is not approved (waiting, or refused) and the user is
    one of its people or staff: what it may not do is refused for that reason, and the page
    says so (outsiders do not see it at all)."""
    if organisation.is_acting or not getattr(user, "is_authenticated", False):
        return None
    return organisation if user.is_staff or is_member(user, organisation) else None


def can_see_approval_queue(user) -> bool:
    """The queue of organisations waiting for approval: staff."""
    return bool(getattr(user, "is_staff", False))


def can_decide_approval(user, organisation: Organisation) -> bool:
    """Approve or reject a research infrastructure, cluster or public authority: staff."""
    return bool(getattr(user, "is_staff", False)) and organisation.needs_approval


def can_decide_cluster_membership(user, cluster_membership: ClusterMembership) -> bool:
    """A company's request: the cluster's managers (and staff). A cluster's invitation
    (``invited``): the company's administrators (and staff), once the cluster acts."""
    if cluster_membership.invited:
        return cluster_membership.cluster.is_acting and can_manage_people(
            user, cluster_membership.member
        )
    return can_manage_cluster(user, cluster_membership.cluster)


def can_see_cluster_membership(user, cluster_membership: ClusterMembership) -> bool:
    """Who decides it sees it; the cluster's managers also see the invitations they sent."""
    return can_decide_cluster_membership(user, cluster_membership) or (
        cluster_membership.invited and can_manage_cluster(user, cluster_membership.cluster)
    )


def can_invite_members_of(user, organisation: Organisation) -> bool:
    """Invite the people of a member company to take its profile over: the managers of an
    approved cluster that has it as an approved member (staff invite through its people page
    or the admin)."""
    if organisation.is_cluster or not getattr(user, "is_authenticated", False):
        return False
    return is_cluster_manager_of(user, organisation)


def can_claim_profile(user, organisation: Organisation) -> bool:
    """Any signed-in user may try to claim a company's or support organisation's profile that
    nobody has taken over (no people); the claim itself needs a verified address at the
    website's domain (``services.claim_refusal``)."""
    if not getattr(user, "is_authenticated", False) or organisation.needs_approval:
        return False
    return not organisation.memberships.exists()


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
    """Which parts of the portal concern the user (for navigation); no query of its own.
    An infrastructure or a cluster awaiting approval gives no role yet."""
    kinds = {(kind, role) for _org_id, kind, role, acts in _membership_rows(user) if acts}
    return {
        "company": any(k in Organisation.COMPANY_KINDS for k, _ in kinds),
        "liaison": any(k == Organisation.Kind.RESEARCH_INFRASTRUCTURE for k, _ in kinds),
        "cluster_manager": (Organisation.Kind.CLUSTER, Membership.Role.ADMIN) in kinds,
    }
