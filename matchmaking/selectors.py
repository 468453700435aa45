"""Reads of stored matches for the pages (querysets with their relations loaded)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from organisations.models import ClusterMembership, Decision, Organisation

from .loaders import open_calls_queryset
from .models import Feedback, Match, MatchForward, SupplierInvitation
from .services import MIN_COMPANY_SCORE


def not_relevant_call_ids(company_ids) -> QuerySet:
    return Feedback.objects.filter(company_id__in=company_ids, relevant=False).values("call_id")


def recommendations_for_company(company: Organisation) -> QuerySet[Match]:
    """Open calls recommended to a company, best first, without those it marked not relevant."""
    return (
        Match.objects.filter(
            company=company,
            score__gte=MIN_COMPANY_SCORE,
            call__in=open_calls_queryset(),
        )
        .exclude(call_id__in=not_relevant_call_ids([company.pk]))
        .select_related("call", "call__buyer")
        .order_by("-score", "call_id")
    )


def relevant_call_ids(company: Organisation) -> set[int]:
    return set(
        Feedback.objects.filter(company=company, relevant=True).values_list("call_id", flat=True)
    )


def suppliers_for_call(call) -> QuerySet[Match]:
    """The call's suggested companies, best first."""
    return (
        Match.objects.filter(call=call, rank_for_call__isnull=False)
        .exclude(
            company_id__in=Feedback.objects.filter(call=call, relevant=False).values("company_id")
        )
        .select_related("company")
        .order_by("rank_for_call", "company_id")
    )


def invited_company_ids(call) -> set[int]:
    return set(SupplierInvitation.objects.filter(call=call).values_list("company_id", flat=True))


def cluster_member_ids(cluster: Organisation) -> QuerySet:
    return ClusterMembership.objects.filter(cluster=cluster, status=Decision.APPROVED).values(
        "member_id"
    )


def _not_marked_not_relevant(qs: QuerySet[Match]) -> QuerySet[Match]:
    marked = Feedback.objects.filter(
        company_id=OuterRef("company_id"), call_id=OuterRef("call_id"), relevant=False
    )
    return qs.annotate(marked_not_relevant=Exists(marked)).filter(marked_not_relevant=False)


def cluster_board(cluster: Organisation) -> QuerySet[Match]:
    """Members x open calls, best fits first."""
    qs = Match.objects.filter(
        company_id__in=cluster_member_ids(cluster),
        score__gte=MIN_COMPANY_SCORE,
        call__in=open_calls_queryset(),
    )
    return (
        _not_marked_not_relevant(qs)
        .select_related("company", "call", "call__buyer")
        .order_by("-score", "company_id", "call_id")
    )


def forwarded_pairs(cluster: Organisation) -> set[tuple[int, int]]:
    return set(MatchForward.objects.filter(cluster=cluster).values_list("company_id", "call_id"))
