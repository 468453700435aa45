"""Companies for an opportunity, opportunities for a company: scored by the matchmaking engine
in the background and stored (:class:`~innovation.models.OpportunityMatch`); pages only read.

A run record (:class:`~innovation.models.OpportunityMatchRun`) is queued with the change that
asks for it (``core.records.enqueue_once``: one waits per target), handed to
``innovation.score_opportunity_run`` after the commit and claimed there once. For each
opportunity the best ``K_PER_OPPORTUNITY`` companies scoring at least ``MIN_SCORE`` (the
engine's "possible fit") are kept with their components; the reasons are rendered from those
for whoever reads them (``innovation.reasons``). An opportunity that is no longer matchable
(expired, withdrawn, for an event only) loses its rows.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from bigscience_portal.core import records
from matchmaking import loaders as company_loaders
from matchmaking.engine import (
    ENGINE_VERSION,
    MatchContext,
    MatchIndex,
    rank_companies_for_call,
    score_chunk,
    score_many,
)

from .. import loaders
from ..models import OpportunityMatch, OpportunityMatchRun

K_PER_OPPORTUNITY = 25
#: the engine's lowest fit level ("possible fit"): below it a company is not shown
MIN_SCORE = 0.15

Kind = OpportunityMatchRun.Kind


def _match_enqueue(kind: str, target_id: int) -> OpportunityMatchRun:
    """The queued run of ``kind`` for the target (one waits per target), handed over after the
    commit."""
    run, _created = records.enqueue_once(
        OpportunityMatchRun,
        kind=kind,
        target_id=target_id,
        defaults={"engine_version": ENGINE_VERSION},
    )
    return run


def opportunity_match_enqueue(*, opportunity_id: int) -> OpportunityMatchRun:
    """The queued run that scores the opportunity against every company after the commit."""
    return _match_enqueue(Kind.OPPORTUNITY, opportunity_id)


def company_match_enqueue(*, company_id: int) -> OpportunityMatchRun:
    """The queued run that scores the company against every opportunity after the commit."""
    return _match_enqueue(Kind.COMPANY, company_id)


@transaction.atomic
def matches_drop(*, opportunity_id: int) -> int:
    deleted, _ = OpportunityMatch.objects.filter(opportunity_id=opportunity_id).delete()
    return deleted


def run_execute(*, run: OpportunityMatchRun) -> None:
    """The work of a claimed run, by its kind; the run is marked succeeded with what it did."""
    if run.kind == Kind.OPPORTUNITY:
        pairs, rows = opportunity_score(run=run, opportunity_id=run.target_id)
    else:
        pairs, rows = company_score(run=run, company_id=run.target_id)
    records.succeed(
        OpportunityMatchRun,
        run.pk,
        pairs_scored=pairs,
        rows_stored=rows,
        engine_version=ENGINE_VERSION,
    )


def _row(opportunity_id: int, result, *, rank: int, run, now) -> OpportunityMatch:
    """The stored fit of one scored pair (the engine's ``result``)."""
    return OpportunityMatch(
        opportunity_id=opportunity_id,
        company_id=result.company_id,
        score=result.score,
        rank=rank,
        components=result.components_json(),
        engine_version=ENGINE_VERSION,
        computed_at=now,
        run=run,
    )


def opportunity_score(*, run, opportunity_id: int) -> tuple[int, int]:
    """Score one opportunity against every matched company; replace its rows. Returns
    (pairs scored, rows stored)."""
    now = timezone.now()
    profiles = loaders.load_opportunities([opportunity_id])
    companies = company_loaders.load_companies()
    if not profiles or not companies:
        matches_drop(opportunity_id=opportunity_id)
        return 0, 0
    profile = profiles[0]
    index = MatchIndex(companies, profiles, now=now)
    by_id = {c.id: c for c in companies}
    top = [
        company_id
        for company_id, score in rank_companies_for_call(
            profile, companies, index, k=K_PER_OPPORTUNITY, now=now
        )
        if score >= MIN_SCORE
    ]
    results = score_many([by_id[c] for c in top], profile, MatchContext(index=index, now=now))
    results.sort(key=lambda r: (-r.score, r.company_id))
    with transaction.atomic():
        OpportunityMatch.objects.filter(opportunity_id=opportunity_id).delete()
        OpportunityMatch.objects.bulk_create(
            [
                _row(opportunity_id, result, rank=rank, run=run, now=now)
                for rank, result in enumerate(results, start=1)
            ]
        )
    return len(companies), len(results)


def _rerank(opportunity_ids) -> None:
    """Ranks of the opportunities' rows from their scores; rows past the k-th dropped."""
    rows = defaultdict(list)
    for pk, opp, company, score in OpportunityMatch.objects.filter(
        opportunity_id__in=set(opportunity_ids)
    ).values_list("pk", "opportunity_id", "company_id", "score"):
        rows[opp].append((-score, company, pk))
    drop, update = [], []
    for ranked in rows.values():
        for i, (_score, _company, pk) in enumerate(sorted(ranked)):
            if i >= K_PER_OPPORTUNITY:
                drop.append(pk)
            else:
                update.append(OpportunityMatch(pk=pk, rank=i + 1))
    if drop:
        OpportunityMatch.objects.filter(pk__in=drop).delete()
    if update:
        OpportunityMatch.objects.bulk_update(update, ["rank"], batch_size=1000)


def company_score(*, run, company_id: int) -> tuple[int, int]:
    """Score one company against every matchable opportunity: replace its rows and re-rank the
    opportunities' lists it enters or leaves."""
    now = timezone.now()
    companies = company_loaders.load_companies()
    company = next((c for c in companies if c.id == company_id), None)
    profiles = loaders.load_opportunities()
    previous = set(
        OpportunityMatch.objects.filter(company_id=company_id).values_list(
            "opportunity_id", flat=True
        )
    )
    if company is None or not profiles:
        with transaction.atomic():
            OpportunityMatch.objects.filter(company_id=company_id).delete()
            _rerank(previous)
        return 0, 0
    index = MatchIndex(companies, profiles, now=now)
    topk = score_chunk(
        [company],
        profiles,
        index,
        k_per_call=1,
        k_per_company=len(profiles),
        now=now,
    )
    wanted = {opp for opp, score in topk.per_company.get(company_id, []) if score >= MIN_SCORE}
    by_id = {p.id: p for p in profiles}
    ctx = MatchContext(index=index, now=now)
    new = []
    for opp_id in sorted(wanted):
        (result,) = score_many([company], by_id[opp_id], ctx)
        # ranked after the stored ones for now: placed by the re-ranking below
        new.append(_row(opp_id, result, rank=K_PER_OPPORTUNITY + 1, run=run, now=now))
    with transaction.atomic():
        OpportunityMatch.objects.filter(company_id=company_id).delete()
        OpportunityMatch.objects.bulk_create(new)
        _rerank(previous | wanted)
    stored = OpportunityMatch.objects.filter(company_id=company_id).count()
    return len(profiles), stored
