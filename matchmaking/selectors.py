"""Reads of the matchmaking app: stored matches for the pages (querysets with their relations
loaded), runs, recipients of its e-mails and the CPV labels of its reasons. No writes; nothing
here imports ``services``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Exists, Max, OuterRef, QuerySet, Subquery
from django.utils import timezone

from organisations.models import ClusterMembership, CPVCode, Decision, Membership, Organisation
from tenders.models import ProcurementCall

from .limits import RECOMMENDATION_FLOOR
from .loaders import open_calls_queryset
from .models import (
    Feedback,
    InfrastructureFit,
    Match,
    MatchForward,
    MatchRun,
    SupplierInvitation,
)

_cpv_labels: dict[str, str] | None = None


def cpv_labels() -> dict[str, str]:
    """{code: label} of the CPV classification, read once per process."""
    global _cpv_labels
    if not _cpv_labels:
        _cpv_labels = dict(CPVCode.objects.values_list("code", "label"))
    return _cpv_labels


def not_relevant_call_ids(company_ids) -> QuerySet:
    return Feedback.objects.filter(company_id__in=company_ids, relevant=False).values("call_id")


def recommendations_for_company(company: Organisation) -> QuerySet[Match]:
    """Open calls recommended to a company, best first, without those it marked not relevant."""
    return (
        Match.objects.filter(
            company=company,
            score__gte=RECOMMENDATION_FLOOR,
            call__in=open_calls_queryset(),
        )
        .exclude(call_id__in=not_relevant_call_ids([company.pk]))
        .select_related("company", "call", "call__buyer")
        .order_by("-score", "call_id")
    )


def infrastructure_fits(company: Organisation) -> QuerySet[InfrastructureFit]:
    """The infrastructures that need what the company does, best first (stored by the
    background runs), from "possible fit" on."""
    return (
        InfrastructureFit.objects.filter(
            company=company,
            score__gte=RECOMMENDATION_FLOOR,
            infrastructure__status=Organisation.Status.PUBLISHED,
        )
        .select_related("infrastructure")
        .order_by("rank", "infrastructure_id")
    )


def not_relevant_rows(company_ids, call_ids) -> QuerySet[Feedback]:
    """Mark "Not relevant" (``tenders.marks``): the companies' dismissals of these calls."""
    return Feedback.objects.filter(company_id__in=company_ids, call_id__in=call_ids, relevant=False)


def relevant_rows(company_ids, call_ids) -> QuerySet[Feedback]:
    """Mark "Marked relevant" (``tenders.marks``)."""
    return Feedback.objects.filter(company_id__in=company_ids, call_id__in=call_ids, relevant=True)


def forwarded_rows(company_ids, call_ids) -> QuerySet[MatchForward]:
    """Mark "Forwarded to you" (``tenders.marks``): a cluster forwarded the call to them."""
    return MatchForward.objects.filter(company_id__in=company_ids, call_id__in=call_ids)


def dismissed_calls(company: Organisation) -> QuerySet:
    """The calls the company marked not relevant, last dismissed first, each once with the
    reason and time of its latest dismissal (``dismissed_reason``, ``dismissed_at``)."""
    latest = Feedback.objects.filter(
        company=company, call_id=OuterRef("pk"), relevant=False
    ).order_by("-created_at", "-pk")
    return (
        ProcurementCall.objects.filter(
            pk__in=Feedback.objects.filter(company=company, relevant=False).values("call_id")
        )
        .annotate(
            dismissed_reason=Subquery(latest.values("reason")[:1]),
            dismissed_at=Subquery(latest.values("created_at")[:1]),
        )
        .select_related("buyer")
        .defer("search_vector", "selection_criteria", "award_criteria")
        .order_by("-dismissed_at", "-pk")
    )


def suppliers_for_call(call) -> QuerySet[Match]:
    """The call's suggested companies, best first."""
    return (
        Match.objects.filter(call=call, rank_for_call__isnull=False)
        .exclude(
            company_id__in=Feedback.objects.filter(call=call, relevant=False).values("company_id")
        )
        .select_related("company", "call", "call__buyer")
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
    """Members x open calls, best fits first; ``forwarded``: whether the cluster forwarded the
    call to that member already, ``forwarded_at``: when (``None`` when not)."""
    qs = Match.objects.filter(
        company_id__in=cluster_member_ids(cluster),
        score__gte=RECOMMENDATION_FLOOR,
        call__in=open_calls_queryset(),
    )
    sent = MatchForward.objects.filter(
        cluster=cluster, company_id=OuterRef("company_id"), call_id=OuterRef("call_id")
    )
    return (
        _not_marked_not_relevant(qs)
        .annotate(forwarded=Exists(sent), forwarded_at=Subquery(sent.values("created_at")[:1]))
        .select_related("company", "call", "call__buyer")
        .order_by("-score", "company_id", "call_id")
    )


def board_grid_columns(matches: QuerySet[Match]) -> QuerySet:
    """The calls of the board's grid, one row per call among ``matches`` (the board, filtered):
    ``call_id``, ``members`` (how many members it fits) and ``best`` (its best fit), the calls
    that fit the most members first. A page of them is one query, their number one more."""
    return (
        matches.order_by()
        .values("call_id")
        .annotate(members=Count("company_id", distinct=True), best=Max("score"))
        .order_by("-members", "-best", "call_id")
    )


@dataclass
class GridColumn:
    """A call of the grid and how many of the shown members it fits."""

    call: ProcurementCall
    members: int


@dataclass
class GridRow:
    """A member of the grid and its cells: the member's match with each column's call, or
    ``None`` where the call does not fit it (in the columns' order)."""

    company: Organisation
    cells: list = field(default_factory=list)


@dataclass
class BoardGrid:
    """Members x calls: ``columns`` (:class:`GridColumn`, in the order of their page),
    ``rows`` the members that fit at least one of them, by name."""

    columns: list[GridColumn] = field(default_factory=list)
    rows: list[GridRow] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.columns)

    def __len__(self) -> int:
        return len(self.rows)


def board_grid(matches: QuerySet[Match], columns) -> BoardGrid:
    """The grid of ``matches`` (the board, filtered) over ``columns`` (a page of
    :func:`board_grid_columns`): one query, whatever the number of members and calls."""
    call_ids = [column["call_id"] for column in columns]
    if not call_ids:
        return BoardGrid()
    cells = list(matches.filter(call_id__in=call_ids).order_by("company__name", "company_id"))
    calls: dict[int, ProcurementCall] = {}
    by_company: dict[int, dict[int, Match]] = {}
    companies: dict[int, Organisation] = {}
    for match in cells:
        calls.setdefault(match.call_id, match.call)
        companies.setdefault(match.company_id, match.company)
        by_company.setdefault(match.company_id, {})[match.call_id] = match
    members = {column["call_id"]: column["members"] for column in columns}
    ordered = [GridColumn(calls[pk], members[pk]) for pk in call_ids if pk in calls]
    return BoardGrid(
        columns=ordered,
        rows=[
            GridRow(company=company, cells=[by_company[pk].get(c.call.pk) for c in ordered])
            for pk, company in companies.items()
        ],
    )


def outreach_for_companies(call, company_ids) -> tuple[list, list]:
    """(forwards, invitations) of ``call`` to the companies ``company_ids``, oldest first: who
    brought the call to them (a cluster manager's forward, a liaison officer's invitation)."""
    forwards = list(
        MatchForward.objects.filter(call=call, company_id__in=company_ids)
        .select_related("cluster", "company")
        .order_by("created_at", "pk")
    )
    invitations = list(
        SupplierInvitation.objects.filter(call=call, company_id__in=company_ids)
        .select_related("company")
        .order_by("created_at", "pk")
    )
    return forwards, invitations


def runs() -> QuerySet[MatchRun]:
    """Every scoring run, newest first."""
    return MatchRun.objects.order_by("-created_at", "-id")


def run_targets(runs) -> dict[int, object]:
    """What each run scored, by run id: its call (title, link) or its company (name, link),
    loaded in one query per kind of target whatever the number of runs; a run of everything
    (nightly) or whose target is gone has none."""
    call_ids = {r.target_id for r in runs if r.target_id and r.kind == MatchRun.Kind.CALL}
    company_ids = {r.target_id for r in runs if r.target_id and r.kind != MatchRun.Kind.CALL}
    calls = (
        ProcurementCall.objects.filter(pk__in=call_ids).only("pk", "title").in_bulk()
        if call_ids
        else {}
    )
    companies = (
        Organisation.objects.filter(pk__in=company_ids).only("pk", "name", "slug").in_bulk()
        if company_ids
        else {}
    )
    found = {}
    for run in runs:
        where = calls if run.kind == MatchRun.Kind.CALL else companies
        target = where.get(run.target_id) if run.target_id else None
        if target is not None:
            found[run.pk] = target
    return found


def runs_summary(*, now=None) -> dict:
    """What the staff's area says of the runs: the newest run, and how many failed in the
    last day (two queries)."""
    now = now or timezone.now()
    return {
        "last": runs().only("pk", "kind", "status", "created_at", "finished_at").first(),
        "failed_last_day": MatchRun.objects.filter(
            status=MatchRun.Status.FAILED, created_at__gte=now - timedelta(days=1)
        ).count(),
    }


def last_call_run(call) -> MatchRun | None:
    """The newest scoring run of one call (its suppliers page says how it went)."""
    return runs().filter(kind=MatchRun.Kind.CALL, target_id=call.pk).first()


def company_recipients(company: Organisation) -> list[tuple[str, object]]:
    """(address, user or None) of the company's contact e-mail and its administrators (all its
    members when it has no administrator), by address."""
    members = list(
        Membership.objects.filter(organisation=company)
        .select_related("user")
        .order_by("user__email")
    )
    admins = [m.user for m in members if m.role == Membership.Role.ADMIN] or [
        m.user for m in members
    ]
    return _by_address(company, admins)


def member_recipients(company: Organisation) -> list[tuple[str, object]]:
    """(address, user or None) of the company's contact e-mail and all its members."""
    members = Membership.objects.filter(organisation=company).select_related("user")
    return _by_address(company, [m.user for m in members])


def _by_address(company: Organisation, users) -> list[tuple[str, object]]:
    out: dict[str, object] = {company.email: None} if company.email else {}
    for user in users:
        if user.email:
            out[user.email] = user
    return sorted(out.items(), key=lambda pair: pair[0])
