"""The full recompute: every company against every open call, in chunks that run in parallel.

``nightly_plan`` fixes the run's reference time and splits the companies into chunks of ids;
each chunk task scores its companies and stages their partial top-k lists with explanations in
``MatchRunChunk`` (once: a redelivered chunk finds its row); the chunk that completes the set
merges them and replaces every stored match in one transaction (once: the run row is locked).
"""

from __future__ import annotations

import os
import time

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from bigscience_portal.core import records

from .. import loaders
from ..engine import MatchContext, MatchIndex, TopK, merge_topk, score_chunk
from ..limits import CHUNK_SIZE, K_PER_CALL, K_PER_COMPANY, RECOMMENDATION_FLOOR
from ..models import Match, MatchRun, MatchRunChunk
from .infrastructures import infrastructures_score_inline
from .runs import run_create
from .scoring import explain_pairs, match_rows


def nightly_plan(*, run: MatchRun, chunk_size: int | None = None) -> list[tuple[int, int, int]]:
    """Fix the run's reference time and split the companies into chunks of ids:
    [(chunk_no, first id, last id)]. A run planned already (its task was redelivered after
    planning) keeps its plan: the same chunks again, those staged already are skipped."""
    if run.chunk_plan:
        return [tuple(chunk) for chunk in run.chunk_plan]
    chunk_size = chunk_size or CHUNK_SIZE
    ids = list(loaders.company_queryset().order_by("pk").values_list("pk", flat=True))
    chunks = [
        (n, ids[i], ids[min(i + chunk_size, len(ids)) - 1])
        for n, i in enumerate(range(0, len(ids), chunk_size))
    ]
    now = timezone.now()
    MatchRun.objects.filter(pk=run.pk).update(
        scored_at=now,
        chunk_count=len(chunks),
        chunk_plan=[list(c) for c in chunks],
    )
    run.refresh_from_db()
    return chunks


def chunk_score(
    *, run_id: int, chunk_no: int, first_id: int, last_id: int, worker: str = ""
) -> None:
    """Score companies ``first_id``..``last_id`` against every open call and stage their top-k
    with explanations in ``MatchRunChunk`` (once: a redelivered chunk finds its row)."""
    run = MatchRun.objects.get(pk=run_id)
    if run.status == MatchRun.Status.SUCCEEDED:
        return
    if not MatchRunChunk.objects.filter(run_id=run_id, chunk_no=chunk_no).exists():
        MatchRun.objects.filter(pk=run_id).update(attempts=F("attempts") + 1)
        now = run.scored_at
        companies = loaders.load_companies()
        calls = loaders.load_open_calls(now)
        index = MatchIndex(companies, calls)
        ctx = MatchContext(index=index, now=now)
        part = [c for c in companies if first_id <= c.id <= last_id]
        tk = score_chunk(
            part, calls, index, k_per_call=K_PER_CALL, k_per_company=K_PER_COMPANY, now=now
        )
        per_company = {
            comp: [(call, s) for call, s in lst if s >= RECOMMENDATION_FLOOR]
            for comp, lst in tk.per_company.items()
        }
        # every pair of the companies' own lists is final: explain it here. A chunk's best
        # companies per call are only candidates when there are several chunks: the merge
        # explains those that survive (explaining them all here would repeat the work per chunk)
        pairs = {(comp, call) for comp, lst in per_company.items() for call, _ in lst}
        if run.chunk_count <= 1:
            pairs |= {(comp, call) for call, lst in tk.per_call.items() for comp, _ in lst}
        explained = explain_pairs(pairs, {c.id: c for c in part}, {c.id: c for c in calls}, ctx)
        delay = float(os.environ.get("MATCHMAKING_TEST_CHUNK_DELAY", "0") or 0)
        if delay:  # test hook: keeps a chunk running long enough to kill its worker
            time.sleep(delay)
        payload = {
            "per_call": {str(k): [[c, s] for c, s in v] for k, v in tk.per_call.items()},
            "per_company": {str(k): [[c, s] for c, s in v] for k, v in per_company.items()},
            "rows": {f"{a}:{b}": components for (a, b), components in explained.items()},
        }
        try:
            with transaction.atomic():
                MatchRunChunk.objects.create(
                    run_id=run_id,
                    chunk_no=chunk_no,
                    first_company_id=first_id,
                    last_company_id=last_id,
                    payload=payload,
                    pairs_scored=len(part) * len(calls),
                    worker=worker[:200],
                )
        except IntegrityError:  # the same chunk finished twice (redelivery): keep the first
            pass
    nightly_merge(run_id=run_id)


def nightly_merge(*, run_id: int) -> bool:
    """When every chunk is staged, merge them and replace all stored matches in one
    transaction. The run row is locked, so exactly one chunk task merges."""
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().get(pk=run_id)
        if run.status == MatchRun.Status.SUCCEEDED:
            return False
        chunks = list(run.chunks.order_by("chunk_no"))
        if len(chunks) < run.chunk_count:
            MatchRun.objects.filter(pk=run_id).update(chunks_done=len(chunks))
            return False
        tks, explained = [], {}
        for ch in chunks:
            p = ch.payload
            tks.append(
                TopK(
                    K_PER_CALL,
                    K_PER_COMPANY,
                    per_call={int(k): [(c, s) for c, s in v] for k, v in p["per_call"].items()},
                    per_company={
                        int(k): [(c, s) for c, s in v] for k, v in p["per_company"].items()
                    },
                )
            )
            for key, value in p["rows"].items():
                a, b = key.split(":")
                explained[(int(a), int(b))] = value
        merged = merge_topk(tks)
        entries, ranks = {}, {}
        for call, lst in merged.per_call.items():
            for i, (comp, s) in enumerate(lst):
                entries[(comp, call)] = s
                ranks[(comp, call)] = [i + 1, None]
        for comp, lst in merged.per_company.items():
            for i, (call, s) in enumerate(lst):
                entries[(comp, call)] = s
                ranks.setdefault((comp, call), [None, None])[1] = i + 1
        now = run.scored_at or timezone.now()
        missing = [pair for pair in entries if pair not in explained]
        if missing:
            companies = loaders.load_companies()
            calls = loaders.load_open_calls(now)
            ctx = MatchContext(index=MatchIndex(companies, calls), now=now)
            by_id, calls_by_id = {c.id: c for c in companies}, {c.id: c for c in calls}
            # a company or call that left since the chunks ran is left out (next run has it)
            missing = [(a, b) for a, b in missing if a in by_id and b in calls_by_id]
            explained.update(explain_pairs(missing, by_id, calls_by_id, ctx))
            entries = {pair: s for pair, s in entries.items() if pair in explained}
        Match.objects.all().delete()
        Match.objects.bulk_create(
            match_rows(entries, explained, run=run, now=now, ranks=ranks), batch_size=1000
        )
        run.chunks.update(payload={})
        finished = timezone.now()
        MatchRun.objects.filter(pk=run_id).update(
            status=MatchRun.Status.SUCCEEDED,
            finished_at=finished,
            chunks_done=len(chunks),
            pairs_scored=sum(ch.pairs_scored for ch in chunks),
            rows_stored=len(entries),
            duration_seconds=(finished - (run.started_at or finished)).total_seconds(),
            error="",
        )
    return True


def recompute_all_inline(*, chunk_size: int | None = None) -> MatchRun:
    """A full recompute in this process (demo data, management commands): every call match,
    and every company's infrastructures."""
    run = records.claim(MatchRun, run_create(kind=MatchRun.Kind.NIGHTLY).pk)
    for n, first, last in nightly_plan(run=run, chunk_size=chunk_size):
        chunk_score(run_id=run.pk, chunk_no=n, first_id=first, last_id=last)
    if run.chunk_count == 0:
        nightly_merge(run_id=run.pk)
    infrastructures_score_inline()
    run.refresh_from_db()
    return run
