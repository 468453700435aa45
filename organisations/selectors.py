"""Reads for the organisations app: querysets and plain data, no writes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils.text import Truncator

from .models import (
    ClusterMembership,
    CPVCode,
    Decision,
    JoinRequest,
    Membership,
    NACECode,
    Organisation,
    ProfileChange,
)
from .permissions import visible_organisations

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


def page_size(raw: str | None) -> int:
    """The ``per_page`` query parameter, capped at 100."""
    try:
        value = int(raw or DEFAULT_PAGE_SIZE)
    except ValueError:
        return DEFAULT_PAGE_SIZE
    return max(1, min(value, MAX_PAGE_SIZE))


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
            Prefetch("cpv_codes", queryset=CPVCode.objects.only("code", "label")),
            "certifications",
            _approved_clusters(),
        )
        .order_by("name", "pk")
    )


@dataclass(frozen=True, slots=True)
class DirectoryRow:
    """What one directory row shows, computed once in Python (cheaper than template lookups)."""

    name: str
    url: str
    kind: str
    place: str
    size: str
    is_draft: bool
    verified_by: str | None
    clusters: list[str]
    capabilities: str
    cpv: list[tuple[str, str]]
    certifications: list[str]


def directory_rows(organisations) -> list[DirectoryRow]:
    """Rows for a page of :func:`directory_queryset` (uses its prefetched relations)."""
    rows = []
    for org in organisations:
        cache = getattr(org, "_prefetched_objects_cache", {})
        cpv = cache.get("cpv_codes")
        certs = cache.get("certifications")
        cpv = list(cpv if cpv is not None else org.cpv_codes.all())
        certs = list(certs if certs is not None else org.certifications.all())
        country = org.country
        rows.append(
            DirectoryRow(
                name=org.display_name,
                url=org.get_absolute_url(),
                kind=org.get_kind_display(),
                place=str(country.name) if country else "",
                size=org.size_class.capitalize() if org.size_class else "",
                is_draft=org.status == Organisation.Status.DRAFT,
                verified_by=(
                    (org.verified_by_cluster.name if org.verified_by_cluster_id else "")
                    if org.verified_at
                    else None
                ),
                clusters=[cm.cluster.name for cm in getattr(org, "approved_clusters", [])],
                capabilities=Truncator(org.capabilities).words(30),
                cpv=[(c.code, c.label) for c in cpv[:6]],
                certifications=[c.name for c in certs],
            )
        )
    return rows


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


def cluster_members(cluster: Organisation) -> QuerySet[ClusterMembership]:
    return (
        ClusterMembership.objects.filter(cluster=cluster)
        .select_related("member", "requested_by", "decided_by")
        .prefetch_related("member__cpv_codes")
        .order_by("status", "member__name")
    )


def profile_history(organisation: Organisation) -> QuerySet[ProfileChange]:
    return organisation.profile_changes.select_related("changed_by", "on_behalf_of")


def cpv_search(query: str, limit: int = 20) -> list[CPVCode]:
    """CPV codes by code prefix ("4212") or by every word of the label ("vacuum pump")."""
    query = (query or "").strip()
    if not query:
        return []
    digits = re.fullmatch(r"(\d{2,8})(?:-\d)?", query)
    if digits:
        qs = CPVCode.objects.filter(code__startswith=digits.group(1))
    else:
        qs = CPVCode.objects.all()
        for word in query.split()[:6]:
            qs = qs.filter(label__icontains=word)
    return list(qs.order_by("level", "code")[:limit])


def nace_search(query: str, limit: int = 20) -> list[NACECode]:
    query = (query or "").strip()
    if not query:
        return []
    if re.fullmatch(r"[A-Ua-u]|\d{2}(\.\d{0,2})?", query):
        qs = NACECode.objects.filter(code__istartswith=query)
    else:
        qs = NACECode.objects.all()
        for word in query.split()[:6]:
            qs = qs.filter(label__icontains=word)
    return list(qs.order_by("level", "order")[:limit])


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
        )
        .select_related("member", "cluster")
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
        "own_cluster_requests": own_cluster_requests,
        "my_join_requests": list(
            JoinRequest.objects.filter(user=user, status=Decision.PENDING).select_related(
                "organisation"
            )
        ),
    }
