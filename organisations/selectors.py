"""Reads for the organisations app: querysets and plain data, no writes (and no services)."""

from __future__ import annotations

import re

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Now
from django_countries import countries

from bigscience_portal.core.text import free_slug

from . import domains, member_import
from .code_labels import cpv_with_labels
from .models import (
    PROFILE_FIELDS,
    Approval,
    ClusterMembership,
    Decision,
    Invitation,
    JoinRequest,
    Membership,
    MembershipChange,
    Organisation,
    ProfileChange,
)
from .models.reference import CPVCode
from .permissions import is_member, managed_clusters, visible_organisations

TRACKED_M2M = {
    "cpv_codes": "code",
    "nace_codes": "code",
    "certifications": "code",
    "technology_domains": "slug",
}
#: Fields whose changes a ProfileChange records (the profile a cluster curates): the profile's
#: own values (not the logo); the codes and lists above are recorded by their keys.
TRACKED_FIELDS = tuple(f for f in PROFILE_FIELDS if f != "logo" and f not in TRACKED_M2M)


# --- the directory ------------------------------------------------------------------------------


def _approved_clusters() -> Prefetch:
    return Prefetch(
        "clusters_joined",
        queryset=ClusterMembership.objects.filter(status=Decision.APPROVED).select_related(
            "cluster"
        ),
        to_attr="approved_clusters",
    )


def directory_queryset(user) -> QuerySet[Organisation]:
    """Organisations the user may see, with what a directory row shows prefetched.

    The number of queries does not depend on how many rows a page holds.
    """
    return (
        visible_organisations(user)
        .select_related("verified_by_cluster")
        .prefetch_related(
            Prefetch("cpv_codes", queryset=cpv_with_labels()),
            "certifications",
            _approved_clusters(),
        )
        .order_by("name", "pk")
    )


def organisation_detail(user, slug: str) -> Organisation | None:
    return (
        visible_organisations(user)
        .select_related("verified_by_cluster", "verified_by")
        .prefetch_related(
            "cpv_codes",
            "nace_codes",
            "certifications",
            "technology_domains",
            "references",
            _approved_clusters(),
        )
        .filter(slug=slug)
        .first()
    )


def published_members(cluster: Organisation) -> QuerySet[ClusterMembership]:
    """The approved members of a cluster that the directory shows (its public page)."""
    return cluster.cluster_memberships.filter(
        status=Decision.APPROVED, member__status=Organisation.Status.PUBLISHED
    ).select_related("member")


def cluster_members(cluster: Organisation) -> QuerySet[ClusterMembership]:
    """Every membership of a cluster, requests included (the manager's page and the export),
    each with who has taken the member's profile over: ``admin_count`` (its administrators),
    ``claimed_at`` (when someone claimed it, or None), ``invitation_pending`` (an open or held
    invitation to it)."""
    member = OuterRef("member_id")
    return (
        ClusterMembership.objects.filter(cluster=cluster)
        .select_related("member", "requested_by", "decided_by")
        .prefetch_related("member__cpv_codes")
        .annotate(
            admin_count=Count(
                "member__memberships",
                filter=Q(member__memberships__role=Membership.Role.ADMIN),
                distinct=True,
            ),
            claimed_at=Subquery(
                MembershipChange.objects.filter(
                    organisation_id=member, action=MembershipChange.Action.CLAIMED
                )
                .order_by("-created_at")
                .values("created_at")[:1]
            ),
            invitation_pending=Exists(
                Invitation.objects.filter(
                    organisation_id=member,
                    accepted_at__isnull=True,
                    status__in=[Decision.PENDING, Decision.APPROVED],
                    expires_at__gt=Now(),
                )
            ),
        )
        .annotate(
            # requests to decide first, then the members, then the refused
            status_order=Case(
                When(status=Decision.PENDING, then=Value(0)),
                When(status=Decision.APPROVED, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("status_order", "member__name", "pk")
    )


def approved_members(cluster: Organisation) -> QuerySet[ClusterMembership]:
    return cluster_members(cluster).filter(status=Decision.APPROVED)


def profile_history(organisation: Organisation) -> QuerySet[ProfileChange]:
    return organisation.profile_changes.select_related("changed_by", "on_behalf_of").order_by(
        "-created_at", "-pk"
    )


# --- people -------------------------------------------------------------------------------------


def organisation_people(organisation: Organisation) -> dict:
    """What the people page shows: members, open invitations, invitations of a cluster manager
    waiting for approval, requests to decide, the record of changes."""
    return {
        "memberships": organisation.memberships.select_related("user").order_by("created_at"),
        "invitations": organisation.invitations.filter(
            accepted_at__isnull=True, status=Decision.APPROVED
        ),
        "held_invitations": organisation.invitations.filter(status=Decision.PENDING).select_related(
            "invited_by", "on_behalf_of"
        ),
        "changes": organisation.membership_changes.select_related("changed_by")[:50],
        "join_requests": organisation.join_requests.filter(status=Decision.PENDING).select_related(
            "user"
        ),
    }


def staff_recipients() -> list:
    """Every active staff user with an e-mail address (told when an organisation asks to be
    approved)."""
    return list(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .exclude(email="")
        .order_by("email")
    )


def approval_queue() -> QuerySet[Organisation]:
    """Infrastructures, clusters and public authorities waiting for staff's decision, the
    longest waiting first."""
    return (
        Organisation.objects.awaiting_approval()
        .select_related("approval_requested_by")
        .order_by("approval_requested_at", "pk")
    )


def organisation_admins(organisation: Organisation) -> list:
    """The administrators of an organisation who have an e-mail address (they are told)."""
    return [
        m.user
        for m in organisation.memberships.filter(role=Membership.Role.ADMIN)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__email")
    ]


def has_admins(organisation: Organisation) -> bool:
    return organisation.memberships.filter(role=Membership.Role.ADMIN).exists()


def sole_administrations(user) -> list[Organisation]:
    """The organisations whose only administrator ``user`` is, each with ``others``: how many
    other people it has (who would be left without an administrator)."""
    others_admins = Membership.objects.filter(
        organisation=OuterRef("organisation"), role=Membership.Role.ADMIN
    ).exclude(user=user)
    organisation_ids = (
        Membership.objects.filter(user=user, role=Membership.Role.ADMIN)
        .exclude(Exists(others_admins))
        .values("organisation")
    )
    return list(
        Organisation.objects.filter(pk__in=organisation_ids)
        .annotate(others=Count("memberships", filter=~Q(memberships__user=user)))
        .order_by("name")
    )


def cluster_managers_of(organisation: Organisation) -> list:
    """The administrators (with an address) of the approved clusters that took ``organisation``
    as an approved member: told when its profile is claimed."""
    clusters = Organisation.objects.filter(
        kind=Organisation.Kind.CLUSTER,
        approval=Approval.APPROVED,
        cluster_memberships__member=organisation,
        cluster_memberships__status=Decision.APPROVED,
    )
    return [
        m.user
        for m in Membership.objects.filter(organisation__in=clusters, role=Membership.Role.ADMIN)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__email", "pk")
    ]


def verified_addresses(user) -> list[str]:
    """The user's verified e-mail addresses, primary first."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        EmailAddress.objects.filter(user=user, verified=True)
        .order_by("-primary", "email")
        .values_list("email", flat=True)
    )


def claim_addresses(user, organisation: Organisation, addresses: list[str] | None = None):
    """The user's verified addresses (``addresses`` when read already) at the organisation's
    website domain (not free mail)."""
    if addresses is None:
        addresses = verified_addresses(user)
    return [a for a in addresses if domains.address_at_website(a, organisation.website)]


def claimable_profiles(user) -> list[Organisation]:
    """Profiles nobody has taken over (no people at all) whose website is at the domain of one
    of the user's verified addresses: what the user's area offers to claim."""
    addresses = verified_addresses(user)
    wanted = {
        domains.email_domain(a)
        for a in addresses
        if not domains.is_free_mail(domains.email_domain(a))
    }
    wanted.discard("")
    if not wanted:
        return []
    hosts = set()
    for domain in wanted:
        labels = domain.split(".")
        hosts.update(".".join(labels[i:]) for i in range(len(labels) - 1))
    pattern = "|".join(re.escape(h) for h in sorted(hosts))
    candidates = (
        Organisation.objects.exclude(kind__in=Organisation.PRIVILEGED_KINDS)
        .filter(memberships__isnull=True, website__iregex=rf"://(www\.)?({pattern})(:|/|$)")
        .order_by("name")[:20]
    )
    return [o for o in candidates if claim_addresses(user, o, addresses)]  # no query per row


def managing_cluster(user, organisation: Organisation) -> Organisation | None:
    """An approved cluster the user manages that has ``organisation`` as an approved member
    (whether or not the user also belongs to the organisation)."""
    return (
        managed_clusters(user)
        .filter(
            cluster_memberships__member=organisation,
            cluster_memberships__status=Decision.APPROVED,
        )
        .order_by("name", "pk")
        .first()
    )


def on_behalf_cluster(user, organisation: Organisation) -> Organisation | None:
    """The cluster a manager acts for when editing a member's profile (None for own edits)."""
    if is_member(user, organisation):
        return None
    return (
        managed_clusters(user)
        .filter(
            cluster_memberships__member=organisation,
            cluster_memberships__status=Decision.APPROVED,
        )
        .first()
    )


def has_verified_address(*, user, email: str) -> bool:
    """The account holds ``email`` (any of its addresses, case aside) and has verified it."""
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def has_address(*, user, email: str) -> bool:
    """The account holds ``email``, verified or not."""
    return EmailAddress.objects.filter(user=user, email__iexact=email).exists()


def join_request_pending(*, organisation: Organisation, user) -> bool:
    return JoinRequest.objects.filter(
        organisation=organisation, user=user, status=Decision.PENDING
    ).exists()


def user_decisions(user, *, limit: int = 5) -> dict:
    """What waits for the user's decision (the home page's "needs your attention"): requests to
    join and cluster requests, invitations of the organisations they administer; for staff the
    organisations awaiting approval and the requests to join organisations without an
    administrator. A constant number of queries."""
    admin_of = Membership.objects.filter(user=user, role=Membership.Role.ADMIN).values(
        "organisation_id"
    )
    pending = Decision.PENDING
    out = {
        "join_requests": list(
            JoinRequest.objects.filter(organisation_id__in=admin_of, status=pending)
            .select_related("user", "organisation")
            .order_by("created_at", "pk")[:limit]
        ),
        "cluster_requests": list(
            ClusterMembership.objects.filter(
                cluster_id__in=admin_of,
                cluster__kind=Organisation.Kind.CLUSTER,
                status=pending,
                invited=False,
            )
            .select_related("member", "cluster")
            .order_by("created_at", "pk")[:limit]
        ),
        "cluster_invitations": list(
            ClusterMembership.objects.filter(member_id__in=admin_of, status=pending, invited=True)
            .select_related("member", "cluster")
            .order_by("created_at", "pk")[:limit]
        ),
        "held_invitations": list(
            Invitation.objects.filter(organisation_id__in=admin_of, status=pending)
            .select_related("organisation")
            .order_by("created_at", "pk")[:limit]
        ),
        "approvals_waiting": 0,
        "staff_join_requests": [],
    }
    if user.is_staff:
        out["approvals_waiting"] = Organisation.objects.awaiting_approval().count()
        out["staff_join_requests"] = list(
            JoinRequest.objects.filter(status=pending)
            .exclude(organisation__memberships__role=Membership.Role.ADMIN)
            .select_related("user", "organisation")
            .order_by("created_at", "pk")[:limit]
        )
    return out


def user_dashboard(user) -> dict:
    """The user's organisations with role, and what waits for their decision."""
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    admin_of = [m.organisation_id for m in memberships if m.role == Membership.Role.ADMIN]
    join_requests = list(
        JoinRequest.objects.filter(organisation_id__in=admin_of, status=Decision.PENDING)
        .select_related("user", "organisation")
        .order_by("created_at")
    )
    cluster_requests = list(
        ClusterMembership.objects.filter(
            cluster_id__in=admin_of,
            cluster__kind=Organisation.Kind.CLUSTER,
            status=Decision.PENDING,
            invited=False,
        )
        .select_related("member", "cluster")
        .order_by("created_at")
    )
    cluster_invitations = list(
        ClusterMembership.objects.filter(
            member_id__in=admin_of, status=Decision.PENDING, invited=True
        )
        .select_related("member", "cluster")
        .order_by("created_at")
    )
    held_invitations = list(
        Invitation.objects.filter(organisation_id__in=admin_of, status=Decision.PENDING)
        .select_related("organisation")
        .order_by("created_at")
    )
    own_cluster_requests = list(
        ClusterMembership.objects.filter(Q(member_id__in=[m.organisation_id for m in memberships]))
        .select_related("cluster", "member")
        .order_by("-created_at")[:20]
    )
    return {
        "memberships": memberships,
        "join_requests": join_requests,
        "cluster_requests": cluster_requests,
        "cluster_invitations": cluster_invitations,
        "held_invitations": held_invitations,
        "claimable": claimable_profiles(user),
        "own_cluster_requests": own_cluster_requests,
        "approvals_waiting": (
            Organisation.objects.awaiting_approval().count() if user.is_staff else 0
        ),
        "staff_join_requests": (
            list(
                JoinRequest.objects.filter(status=Decision.PENDING)
                .exclude(organisation__memberships__role=Membership.Role.ADMIN)
                .select_related("user", "organisation")
                .order_by("created_at")[:20]
            )
            if user.is_staff
            else []
        ),
        "my_join_requests": list(
            JoinRequest.objects.filter(user=user, status=Decision.PENDING).select_related(
                "organisation"
            )
        ),
    }


# --- profiles -----------------------------------------------------------------------------------


#: the first parts of the app's own URLs: an organisation with one of these as its slug would
#: have no page of its own (``/organisations/approvals/`` is the staff's queue)
RESERVED_SLUGS = frozenset(
    {"new", "cpv", "nace", "invitations", "join-requests", "cluster-memberships", "approvals"}
)


def unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    """A slug for ``name`` that no other organisation has (``name-2``, ``name-3``...), and
    that is not one of the app's own paths."""
    taken = Organisation.objects.exclude(pk=exclude_pk)
    return free_slug(name, taken, fallback="organisation", reserved=RESERVED_SLUGS)


def profile_snapshot(organisation: Organisation) -> dict[str, object]:
    """The tracked values of a profile as plain JSON-able data, to diff before and after."""
    snap: dict[str, object] = {}
    for name in TRACKED_FIELDS:
        value = getattr(organisation, name)
        if name == "member_states":
            value = sorted(str(c) for c in value)
        elif name == "country":
            value = str(value or "")
        elif value is not None and not isinstance(value, str | int):
            value = str(value)
        snap[name] = value
    if organisation.pk:
        for name, key in TRACKED_M2M.items():
            snap[name] = sorted(getattr(organisation, name).values_list(key, flat=True))
        snap["references"] = [
            f"{r.client_name} {r.year} {r.value_band}: {r.description[:80]}"
            for r in organisation.references.all().order_by("pk")
        ]
    return snap


# --- member import ------------------------------------------------------------------------------


def country_code(value: str) -> str | None:
    """A sheet's country cell (``DK``, ``Denmark``) as an ISO code, or None."""
    value = value.strip()
    if len(value) == 2 and value.upper() in dict(countries):
        return value.upper()
    code = countries.by_name(value)
    return code or None


def known_cpv(codes) -> set[str]:
    """Which of ``codes`` are CPV codes of the reference table."""
    return set(CPVCode.objects.filter(code__in=list(codes)).values_list("code", flat=True))


def existing_by_key(rows: list[member_import.MemberRow]) -> dict[str, int]:
    """Match keys of directory organisations that could be the same as a sheet's rows."""
    domains = {k.split(":", 1)[1] for r in rows for k in r.match_keys if k.startswith("domain:")}
    candidates = Q(country__in={r.country for r in rows})
    if domains:
        alternatives = "|".join(re.escape(d) for d in sorted(domains))
        candidates |= Q(website__iregex=rf"://(www\.)?({alternatives})(:|/|$)")
    found: dict[str, int] = {}
    for pk, name, country, website in Organisation.objects.filter(candidates).values_list(
        "pk", "name", "country", "website"
    ):
        for key in member_import.match_keys(name=name, country=str(country), website=website):
            found.setdefault(key, pk)
    return found
