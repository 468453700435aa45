"""Infrastructures that need what a company does, computed in the background and stored.

A run (``MatchRun.Kind.INFRASTRUCTURES``) ranks the published research infrastructures for one
company (``target_id``: its profile changed) or for every company (no target: the nightly
recompute, the demo data, an infrastructure whose profile changed), with the engine's
``rank_infrastructures_for_company``, and replaces those companies' ``InfrastructureFit`` rows.
Pages only read the rows (``selectors.infrastructure_fits``) and render their reasons.

The index is always built over every matched company and the infrastructures' calls, so a run
for one company stores exactly what a run for all of them would.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from bigscience_portal.core import records

from .. import loaders
from ..engine import (
    ENGINE_VERSION,
    MatchIndex,
    MatchResult,
    components_json,
    place_infrastructures,
    rank_infrastructures_for_company,
)
from ..limits import K_INFRASTRUCTURES
from ..models import InfrastructureFit, MatchRun
from .runs import run_create, run_finish

#: companies whose rows are replaced in one transaction (and one step of the run's progress)
BATCH = 500


def _rows(company, placed, calls, index, *, run, now) -> list[InfrastructureFit]:
    ranked = rank_infrastructures_for_company(
        company, placed.infrastructures, calls, index, k=K_INFRASTRUCTURES, placed=placed
    )
    return [
        InfrastructureFit(
            company_id=company.id,
            infrastructure_id=m.infrastructure_id,
            score=m.score,
            components=components_json(
                MatchResult(company.id, m.infrastructure_id, m.score, m.components)
            ),
            engine_version=ENGINE_VERSION,
            rank=rank,
            computed_at=now,
            run=run,
        )
        for rank, m in enumerate((m for m in ranked if m.score > 0), start=1)
    ]


def infrastructures_score(*, run: MatchRun, company_id: int | None = None) -> None:
    """Rank the infrastructures for one company (or every company) and store the best
    ``K_INFRASTRUCTURES`` of each; a company no longer matched loses its rows."""
    now = timezone.now()
    companies = loaders.load_companies()
    infrastructures, calls = loaders.load_infrastructures()
    targets = companies if company_id is None else [c for c in companies if c.id == company_id]
    # rows of companies that are matched no more (unpublished, deleted, no longer a company)
    if company_id is None:
        InfrastructureFit.objects.exclude(
            company_id__in=loaders.company_queryset().values("pk")
        ).delete()
    elif not targets:
        InfrastructureFit.objects.filter(company_id=company_id).delete()
    if not targets or not infrastructures:
        if not infrastructures:
            InfrastructureFit.objects.filter(company_id__in=[c.id for c in targets]).delete()
        run_finish(run=run, pairs=0, rows=0)
        return
    index = MatchIndex(companies, calls, now=now)
    # every company is ranked against the same infrastructure texts: placed once
    placed = place_infrastructures(infrastructures, calls, index)
    batches = [targets[i : i + BATCH] for i in range(0, len(targets), BATCH)]
    MatchRun.objects.filter(pk=run.pk).update(chunk_count=len(batches), scored_at=now)
    stored = 0
    for done, batch in enumerate(batches, start=1):
        rows = [
            row
            for company in batch
            for row in _rows(company, placed, calls, index, run=run, now=now)
        ]
        with transaction.atomic():
            InfrastructureFit.objects.filter(company_id__in=[c.id for c in batch]).delete()
            InfrastructureFit.objects.bulk_create(rows, batch_size=1000)
        stored += len(rows)
        MatchRun.objects.filter(pk=run.pk).update(chunks_done=done, rows_stored=stored)
    run_finish(run=run, pairs=len(targets) * len(infrastructures), rows=stored)


def infrastructures_score_inline() -> MatchRun:
    """Every company's infrastructures in this process (demo data, a full inline recompute)."""
    run = records.claim(MatchRun, run_create(kind=MatchRun.Kind.INFRASTRUCTURES).pk)
    infrastructures_score(run=run)
    run.refresh_from_db()
    return run
