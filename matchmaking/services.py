"""Writes of the matchmaking app: storing scores, feedback, invitations, forwards, alerts.

The scoring services load plain data (``loaders``), call the pure engine, and store its top-k
lists in ``Match``. Every scoring service works under a ``MatchRun`` that records it.

Stored lists: for each open call its best ``K_PER_CALL`` companies (``rank_for_call``), for each
company its best ``K_PER_COMPANY`` calls scoring at least ``MIN_COMPANY_SCORE``
(``rank_for_company``). A full recompute replaces every row; a single call or company run
replaces that call's (company's) rows and re-ranks the lists it touched.
"""

from __future__ import annotations

import logging
import os
import time
from collections import defaultdict
from dataclasses import asdict, is_dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from bigscience_portal.core.mail import send_notification
from organisations.models import CPVCode, Membership, Organisation
from tenders.models import ExpressionOfInterest, ProcurementCall

from . import loaders
from .engine import (
    ENGINE_VERSION,
    MatchContext,
    MatchIndex,
    MatchResult,
    TopK,
    merge_topk,
    render_reasons,
    score,
    score_chunk,
    score_many,
)
from .models import (
    AlertDelivery,
    AlertSubscription,
    Feedback,
    Match,
    MatchForward,
    MatchRun,
    MatchRunChunk,
    SupplierInvitation,
)

logger = logging.getLogger(__name__)

K_PER_CALL = getattr(settings, "MATCHMAKING_K_PER_CALL", 20)
K_PER_COMPANY = getattr(settings, "MATCHMAKING_K_PER_COMPANY", 10)
#: a call is recommended to a company only from this score on
MIN_COMPANY_SCORE = 0.15
#: companies per chunk of a full recompute
CHUNK_SIZE = getattr(settings, "MATCHMAKING_CHUNK_SIZE", 5000)
UNSUBSCRIBE_SALT = "matchmaking.alerts.unsubscribe"

_cpv_labels: dict[str, str] | None = None


def cpv_labels() -> dict[str, str]:
    """{code: label} of the CPV classification, read once per process."""
    global _cpv_labels
    if not _cpv_labels:
        _cpv_labels = dict(CPVCode.objects.values_list("code", "label"))
    return _cpv_labels


# --------------------------------------------------------------------------- explanations
def _jsonable(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        out = {k: _jsonable(v) for k, v in asdict(value).items()}
        name = getattr(value, "level_name", None)
        if name is not None:
            out["level_name"] = name
        return out
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _components_json(result: MatchResult) -> list[dict]:
    return [
        {
            "name": c.name,
            "value": c.value,
            "weight": c.weight,
            "contribution": c.contribution,
            "detail": _jsonable(c.detail),
        }
        for c in result.components
    ]


def explain(company, call, ctx: MatchContext) -> tuple[list[dict], list[str]]:
    """(components as JSON, reasons in words) of one pair; the words are rendered by the engine
    from the components, never written separately."""
    result = score(company, call, ctx)
    return _components_json(result), render_reasons(result, cpv_labels())


def _explain_pairs(pairs, companies_by_id, calls_by_id, ctx) -> dict[tuple[int, int], tuple]:
    by_call = defaultdict(list)
    for comp, call in sorted(pairs):
        by_call[call].append(comp)
    labels = cpv_labels()
    out = {}
    for call, comps in by_call.items():
        for result in score_many([companies_by_id[c] for c in comps], calls_by_id[call], ctx):
            out[(result.company_id, call)] = (
                _components_json(result),
                render_reasons(result, labels),
            )
    return out


# --------------------------------------------------------------------------- runs
def run_create(*, kind: str, target_id: int | None = None) -> MatchRun:
    return MatchRun.objects.create(kind=kind, target_id=target_id, engine_version=ENGINE_VERSION)


def run_start(
    *, run_id: int | None, kind: str, target_id: int | None, task_id: str = ""
) -> MatchRun:
    """Mark the run running (creating it when the task was enqueued without one)."""
    if run_id is None:
        run = run_create(kind=kind, target_id=target_id)
    else:
        run = MatchRun.objects.get(pk=run_id)
    MatchRun.objects.filter(pk=run.pk).update(
        status=MatchRun.Status.RUNNING,
        started_at=timezone.now(),
        celery_task_id=task_id or run.celery_task_id,
        attempts=F("attempts") + 1,
        error="",
    )
    run.refresh_from_db()
    return run


def run_finish(*, run: MatchRun, pairs: int, rows: int) -> None:
    now = timezone.now()
    started = run.started_at or now
    MatchRun.objects.filter(pk=run.pk).update(
        status=MatchRun.Status.SUCCEEDED,
        finished_at=now,
        pairs_scored=pairs,
        rows_stored=rows,
        duration_seconds=(now - started).total_seconds(),
        engine_version=ENGINE_VERSION,
    )


def run_mark(*, run_id: int | None, task_id: str, status: str, error: str) -> None:
    """Record a retry or a failure (called from the tasks' on_retry/on_failure hooks)."""
    qs = MatchRun.objects.filter(pk=run_id) if run_id else MatchRun.objects.none()
    if not run_id and task_id:
        qs = MatchRun.objects.filter(celery_task_id=task_id)
    fields = {"status": status, "error": error[:4000]}
    if status == MatchRun.Status.FAILED:
        fields["finished_at"] = timezone.now()
    qs.exclude(status=MatchRun.Status.SUCCEEDED).update(**fields)


def call_score_enqueue(*, call_id: int) -> MatchRun:
    """Record a queued run and score the call against all companies after the commit."""
    from .tasks import score_call

    run = run_create(kind=MatchRun.Kind.CALL, target_id=call_id)
    score_call.delay_on_commit(call_id, run_id=run.pk)
    return run


def company_score_enqueue(*, company_id: int, kind: str = MatchRun.Kind.COMPANY) -> MatchRun:
    """Record a queued run and score the company against all open calls after the commit."""
    from .tasks import score_company

    run = run_create(kind=kind, target_id=company_id)
    score_company.delay_on_commit(company_id, run_id=run.pk)
    return run


def nightly_enqueue() -> MatchRun:
    from .tasks import nightly_recompute

    run = run_create(kind=MatchRun.Kind.NIGHTLY)
    nightly_recompute.delay_on_commit(run_id=run.pk)
    return run


# --------------------------------------------------------------------------- storing
def _rerank(*, call_ids, company_ids) -> None:
    """Recompute rank_for_call of ``call_ids`` and rank_for_company of ``company_ids`` from the
    stored rows, then drop the rows that are in neither list any more."""
    call_ids, company_ids = set(call_ids), set(company_ids)
    if not call_ids and not company_ids:
        return
    rows = list(
        Match.objects.filter(Q(call_id__in=call_ids) | Q(company_id__in=company_ids)).values_list(
            "pk", "company_id", "call_id", "score", "rank_for_call", "rank_for_company"
        )
    )
    new = {pk: [rc, rp] for pk, _, _, _, rc, rp in rows}
    by_call, by_company = defaultdict(list), defaultdict(list)
    for pk, comp, call, s, _, _ in rows:
        if call in call_ids:
            by_call[call].append((-s, comp, pk))
        if comp in company_ids:
            by_company[comp].append((-s, call, pk))
    for call in call_ids:
        for i, (_, _, pk) in enumerate(sorted(by_call[call])):
            new[pk][0] = i + 1 if i < K_PER_CALL else None
    for comp in company_ids:
        ranked = [r for r in sorted(by_company[comp]) if -r[0] >= MIN_COMPANY_SCORE]
        for pk in (r[2] for r in by_company[comp]):
            new[pk][1] = None
        for i, (_, _, pk) in enumerate(ranked[:K_PER_COMPANY]):
            new[pk][1] = i + 1
    old = {pk: [rc, rp] for pk, _, _, _, rc, rp in rows}
    drop = [pk for pk, (rc, rp) in new.items() if rc is None and rp is None]
    changed = [
        Match(pk=pk, rank_for_call=rc, rank_for_company=rp)
        for pk, (rc, rp) in new.items()
        if old[pk] != [rc, rp] and pk not in drop
    ]
    if drop:
        Match.objects.filter(pk__in=drop).delete()
    if changed:
        Match.objects.bulk_update(changed, ["rank_for_call", "rank_for_company"], batch_size=1000)


def _match_rows(entries, explained, *, run, now, ranks=None) -> list[Match]:
    ranks = ranks or {}
    return [
        Match(
            company_id=comp,
            call_id=call,
            score=s,
            components=explained[(comp, call)][0],
            reasons=explained[(comp, call)][1],
            engine_version=ENGINE_VERSION,
            rank_for_call=ranks.get((comp, call), (None, None))[0],
            rank_for_company=ranks.get((comp, call), (None, None))[1],
            computed_at=now,
            run=run,
        )
        for (comp, call), s in sorted(entries.items())
    ]


#: a call run places a new call in at most this many companies' own lists at once (the best
#: scoring ones); the nightly recompute completes the others
MAX_COMPANY_PLACEMENTS = 2000
_index_cache: list = []


def _index_for_call(companies, calls, call) -> MatchIndex:
    """The MatchIndex of these companies, reused across call runs in one worker process while
    the companies' profiles are unchanged (building it is most of a call run's time). A call
    missing from a reused index is placed in its term space (``TextIndex.transform``); a call
    whose profile changed since the index was built forces a rebuild."""
    companies = tuple(companies)
    if _index_cache:
        cached_companies, cached_calls, index = _index_cache[0]
        known = cached_calls.get(call.id)
        if cached_companies == companies and (known is None or known == call):
            return index
    index = MatchIndex(companies, calls)
    _index_cache[:] = [(companies, {c.id: c for c in calls}, index)]
    return index


def warm_up() -> None:
    """Load the CPV labels and build the index a worker's first call run needs (called when a
    worker starts, so that the first published call is not slower than the others)."""
    cpv_labels()
    companies = loaders.load_companies()
    calls = loaders.load_open_calls()
    if companies and calls:
        _index_for_call(companies, calls, calls[0])


def call_score(*, run: MatchRun, call_id: int) -> None:
    """Score one call against every company and store its top-k (and its place in the
    companies' own lists). A call that is no longer open loses its rows."""
    now = timezone.now()
    companies = loaders.load_companies()
    calls = loaders.load_open_calls(now)
    call = next((c for c in calls if c.id == call_id), None)
    if call is None or not companies:
        with transaction.atomic():
            affected = set(
                Match.objects.filter(call_id=call_id).values_list("company_id", flat=True)
            )
            Match.objects.filter(call_id=call_id).delete()
            _rerank(call_ids=(), company_ids=affected)
        run_finish(run=run, pairs=0, rows=0)
        return
    index = _index_for_call(companies, calls, call)
    ctx = MatchContext(index=index, now=now)
    by_id = {c.id: c for c in companies}
    calls_by_id = {call.id: call}
    tk = score_chunk(companies, [call], index, k_per_call=K_PER_CALL, k_per_company=1, now=now)
    top = {(comp, call_id): s for comp, s in tk.per_call.get(call_id, [])}
    explained = _explain_pairs(top, by_id, calls_by_id, ctx)
    # 1. the call's own list, visible to its buyer at once
    with transaction.atomic():
        previous = set(Match.objects.filter(call_id=call_id).values_list("company_id", flat=True))
        Match.objects.filter(call_id=call_id).delete()
        ranks = {
            pair: (i + 1, None) for i, pair in enumerate(sorted(top, key=lambda p: (-top[p], p[0])))
        }
        Match.objects.bulk_create(_match_rows(top, explained, run=run, now=now, ranks=ranks))
    # 2. the call's place in each company's list: where it beats the company's k-th call
    kth = dict(
        Match.objects.filter(rank_for_company=K_PER_COMPANY)
        .exclude(call_id=call_id)
        .values_list("company_id", "score")
    )
    extra = {}
    for comp, lst in tk.per_company.items():
        for _, s in lst:
            if s >= MIN_COMPANY_SCORE and s >= kth.get(comp, 0.0) and (comp, call_id) not in top:
                extra[(comp, call_id)] = s
    if len(extra) > MAX_COMPANY_PLACEMENTS:
        best = sorted(extra, key=lambda p: (-extra[p], p[0]))[:MAX_COMPANY_PLACEMENTS]
        extra = {p: extra[p] for p in best}
    explained.update(_explain_pairs(extra, by_id, calls_by_id, ctx))
    with transaction.atomic():
        Match.objects.bulk_create(
            _match_rows(extra, explained, run=run, now=now), ignore_conflicts=True, batch_size=1000
        )
        _rerank(
            call_ids=[call_id],
            company_ids=previous | {p[0] for p in top} | {p[0] for p in extra},
        )
    run_finish(run=run, pairs=len(companies), rows=len(top) + len(extra))


def company_score(*, run: MatchRun, company_id: int) -> None:
    """Score one company against every open call: replace its rows and re-rank the calls'
    lists it enters or leaves. A company no longer matched loses its rows."""
    now = timezone.now()
    companies = loaders.load_companies()
    calls = loaders.load_open_calls(now)
    company = next((c for c in companies if c.id == company_id), None)
    if company is None or not calls:
        with transaction.atomic():
            affected = set(
                Match.objects.filter(company_id=company_id).values_list("call_id", flat=True)
            )
            Match.objects.filter(company_id=company_id).delete()
            _rerank(call_ids=affected, company_ids=())
        run_finish(run=run, pairs=0, rows=0)
        return
    index = MatchIndex(companies, calls)
    ctx = MatchContext(index=index, now=now)
    calls_by_id = {c.id: c for c in calls}
    tk = score_chunk([company], calls, index, k_per_call=1, k_per_company=K_PER_COMPANY, now=now)
    own = {
        (company_id, call): s
        for call, s in tk.per_company.get(company_id, [])
        if s >= MIN_COMPANY_SCORE
    }
    kth = dict(
        Match.objects.filter(rank_for_call=K_PER_CALL)
        .exclude(company_id=company_id)
        .values_list("call_id", "score")
    )
    for call, lst in tk.per_call.items():
        for _, s in lst:
            if s >= kth.get(call, 0.0):
                own[(company_id, call)] = s
    explained = _explain_pairs(own, {company_id: company}, calls_by_id, ctx)
    with transaction.atomic():
        previous = set(
            Match.objects.filter(company_id=company_id).values_list("call_id", flat=True)
        )
        Match.objects.filter(company_id=company_id).delete()
        Match.objects.bulk_create(_match_rows(own, explained, run=run, now=now))
        _rerank(call_ids=previous | {p[1] for p in own}, company_ids=[company_id])
    run_finish(run=run, pairs=len(calls), rows=len(own))


# --------------------------------------------------------------------------- full recompute
def nightly_plan(*, run: MatchRun, chunk_size: int | None = None) -> list[tuple[int, int, int]]:
    """Fix the run's reference time and split the companies into chunks of ids:
    [(chunk_no, first id, last id)]."""
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
        started_at=now,
        status=MatchRun.Status.RUNNING,
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
            comp: [(call, s) for call, s in lst if s >= MIN_COMPANY_SCORE]
            for comp, lst in tk.per_company.items()
        }
        # every pair of the companies' own lists is final: explain it here. A chunk's best
        # companies per call are only candidates when there are several chunks: the merge
        # explains those that survive (explaining them all here would repeat the work per chunk)
        pairs = {(comp, call) for comp, lst in per_company.items() for call, _ in lst}
        if run.chunk_count <= 1:
            pairs |= {(comp, call) for call, lst in tk.per_call.items() for comp, _ in lst}
        explained = _explain_pairs(pairs, {c.id: c for c in part}, {c.id: c for c in calls}, ctx)
        delay = float(os.environ.get("MATCHMAKING_TEST_CHUNK_DELAY", "0") or 0)
        if delay:  # test hook: keeps a chunk running long enough to kill its worker
            time.sleep(delay)
        payload = {
            "per_call": {str(k): [[c, s] for c, s in v] for k, v in tk.per_call.items()},
            "per_company": {str(k): [[c, s] for c, s in v] for k, v in per_company.items()},
            "rows": {f"{a}:{b}": [comp, why] for (a, b), (comp, why) in explained.items()},
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
                explained[(int(a), int(b))] = tuple(value)
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
            explained.update(_explain_pairs(missing, by_id, calls_by_id, ctx))
            entries = {pair: s for pair, s in entries.items() if pair in explained}
        Match.objects.all().delete()
        Match.objects.bulk_create(
            _match_rows(entries, explained, run=run, now=now, ranks=ranks), batch_size=1000
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
    """A full recompute in this process (demo data, management commands)."""
    run = run_create(kind=MatchRun.Kind.NIGHTLY)
    for n, first, last in nightly_plan(run=run, chunk_size=chunk_size):
        chunk_score(run_id=run.pk, chunk_no=n, first_id=first, last_id=last)
    if run.chunk_count == 0:
        nightly_merge(run_id=run.pk)
    run.refresh_from_db()
    return run


# --------------------------------------------------------------------------- feedback
@transaction.atomic
def feedback_give(
    *, user, company: Organisation, call: ProcurementCall, relevant: bool, reason: str = ""
) -> Feedback:
    """Record a judgement. "Not relevant" removes the match at once and re-scores the company,
    whose profile now excludes the call for good (an engine hard rule)."""
    fb = Feedback.objects.create(
        user=user, company=company, call=call, relevant=relevant, reason="" if relevant else reason
    )
    if not relevant:
        Match.objects.filter(company=company, call=call).delete()
        company_score_enqueue(company_id=company.pk, kind=MatchRun.Kind.FEEDBACK)
    return fb


# --------------------------------------------------------------------------- e-mails
def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _mail(*, subject: str, template: str, context: dict, recipients: list[str]) -> None:
    send_notification(to=recipients, subject=subject, template=template, context=context)


def company_recipients(company: Organisation) -> list[str]:
    """The company's contact e-mail and its administrators (or all its members if none)."""
    members = list(
        Membership.objects.filter(organisation=company)
        .order_by("user__email")
        .values_list("user__email", "role")
    )
    admins = [e for e, role in members if role == Membership.Role.ADMIN] or [e for e, _ in members]
    out = [company.email] if company.email else []
    return sorted({e for e in out + admins if e})


def supplier_invite(
    *, call: ProcurementCall, company: Organisation, user
) -> SupplierInvitation | None:
    """Invite a suggested company to express interest; None when it was invited already."""
    if SupplierInvitation.objects.filter(call=call, company=company).exists():
        return None
    recipients = company_recipients(company)
    try:
        with transaction.atomic():
            invitation = SupplierInvitation.objects.create(
                call=call, company=company, invited_by=user, recipients=recipients
            )
    except IntegrityError:
        return None
    if recipients:
        _mail(
            subject=f"Invitation to express interest: {call.title}"[:200],
            template="matchmaking/email/invitation.txt",
            context={
                "call": call,
                "company": company,
                "url": _absolute(call.get_absolute_url()),
            },
            recipients=recipients,
        )
    return invitation


def match_forward(
    *, cluster: Organisation, company: Organisation, call: ProcurementCall, user
) -> MatchForward | None:
    """Forward a call to a member company's users; None when this cluster forwarded it already."""
    if MatchForward.objects.filter(cluster=cluster, company=company, call=call).exists():
        return None
    recipients = sorted(
        set(
            Membership.objects.filter(organisation=company)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
        | ({company.email} if company.email else set())
    )
    try:
        with transaction.atomic():
            forward = MatchForward.objects.create(
                cluster=cluster,
                company=company,
                call=call,
                forwarded_by=user,
                recipients=recipients,
            )
    except IntegrityError:
        return None
    if recipients:
        _mail(
            subject=f"{cluster.name} suggests a call: {call.title}"[:200],
            template="matchmaking/email/forward.txt",
            context={
                "call": call,
                "company": company,
                "cluster": cluster,
                "url": _absolute(call.get_absolute_url()),
            },
            recipients=recipients,
        )
    return forward


def subscription_for(user) -> AlertSubscription:
    sub, _ = AlertSubscription.objects.get_or_create(user=user)
    return sub


@transaction.atomic
def subscription_update(
    *, subscription: AlertSubscription, frequency: str, threshold: float, deadline_reminders: bool
) -> AlertSubscription:
    subscription.frequency = frequency
    subscription.threshold = threshold
    subscription.deadline_reminders = deadline_reminders
    subscription.save()
    return subscription


def unsubscribe_token(subscription: AlertSubscription) -> str:
    return signing.dumps({"s": subscription.pk, "t": subscription.token}, salt=UNSUBSCRIBE_SALT)


def subscription_from_token(token: str) -> AlertSubscription | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return AlertSubscription.objects.filter(pk=data.get("s"), token=data.get("t")).first()


@transaction.atomic
def subscription_unsubscribe(*, subscription: AlertSubscription) -> None:
    subscription.frequency = AlertSubscription.Frequency.OFF
    subscription.deadline_reminders = False
    subscription.save(update_fields=["frequency", "deadline_reminders", "updated_at"])


def alerts_send(*, frequency: str) -> int:
    """E-mail each subscriber of ``frequency`` the recommendations above their threshold that
    were never e-mailed to them; returns the number of e-mails. A rerun sends nothing new."""
    subs = list(
        AlertSubscription.objects.filter(frequency=frequency)
        .exclude(frequency=AlertSubscription.Frequency.OFF)
        .select_related("user")
        .filter(user__is_active=True)
    )
    if not subs:
        return 0
    user_ids = [s.user_id for s in subs]
    companies = defaultdict(set)
    for user_id, org_id in Membership.objects.filter(
        user_id__in=user_ids, organisation__kind__in=loaders.COMPANY_KINDS
    ).values_list("user_id", "organisation_id"):
        companies[user_id].add(org_id)
    all_companies = {c for cs in companies.values() for c in cs}
    min_threshold = min(s.threshold for s in subs)
    matches = defaultdict(list)
    not_relevant = set(
        Feedback.objects.filter(company_id__in=all_companies, relevant=False).values_list(
            "company_id", "call_id"
        )
    )
    for m in (
        Match.objects.filter(
            company_id__in=all_companies,
            score__gte=max(min_threshold, MIN_COMPANY_SCORE),
            call__in=loaders.open_calls_queryset(),
        )
        .select_related("call", "call__buyer")
        .order_by("-score", "call_id")
    ):
        if (m.company_id, m.call_id) not in not_relevant:
            matches[m.company_id].append(m)
    sent_before = set(
        AlertDelivery.objects.filter(
            user_id__in=user_ids, kind=AlertDelivery.Kind.RECOMMENDATION
        ).values_list("user_id", "call_id")
    )
    sent = 0
    for sub in subs:
        best = {}
        for comp in companies.get(sub.user_id, ()):
            for m in matches.get(comp, ()):
                if (
                    m.score >= sub.threshold
                    and (sub.user_id, m.call_id) not in sent_before
                    and (m.call_id not in best or m.score > best[m.call_id].score)
                ):
                    best[m.call_id] = m
        if not best or not sub.user.email:
            continue
        items = sorted(best.values(), key=lambda m: (-m.score, m.call_id))
        with transaction.atomic():
            AlertDelivery.objects.bulk_create(
                [
                    AlertDelivery(
                        subscription=sub,
                        user_id=sub.user_id,
                        call_id=m.call_id,
                        kind=AlertDelivery.Kind.RECOMMENDATION,
                        score=m.score,
                    )
                    for m in items
                ]
            )
            _mail(
                subject=f"{len(items)} new recommended call(s)",
                template="matchmaking/email/recommendations.txt",
                context={
                    "items": [
                        (m, _absolute(m.call.get_absolute_url()), m.reasons[:3]) for m in items
                    ],
                    "recommended_url": _absolute(reverse("matchmaking:recommended")),
                    "settings_url": _absolute(reverse("matchmaking:alert_settings")),
                    "unsubscribe_url": _absolute(
                        reverse("matchmaking:unsubscribe", args=[unsubscribe_token(sub)])
                    ),
                },
                recipients=[sub.user.email],
            )
        sent += 1
    return sent


def deadline_reminders_send(*, now: datetime | None = None, days: int = 7) -> int:
    """Remind the members of companies that expressed interest in a call whose deadline is
    within ``days``; each (user, call) once. Returns the number of e-mails."""
    now = now or timezone.now()
    eois = list(
        ExpressionOfInterest.objects.filter(
            status=ExpressionOfInterest.Status.ACTIVE,
            call__status=ProcurementCall.Status.PUBLISHED,
            call__tender_period_end__gt=now,
            call__tender_period_end__lte=now + timedelta(days=days),
        ).values_list("organisation_id", "call_id")
    )
    if not eois:
        return 0
    calls_of = defaultdict(set)
    for org, call in eois:
        calls_of[org].add(call)
    users = defaultdict(set)
    emails = {}
    for user_id, email, org in Membership.objects.filter(
        organisation_id__in=calls_of, user__is_active=True
    ).values_list("user_id", "user__email", "organisation_id"):
        users[user_id] |= calls_of[org]
        emails[user_id] = email
    subs = {s.user_id: s for s in AlertSubscription.objects.filter(user_id__in=users)}
    sent_before = set(
        AlertDelivery.objects.filter(
            user_id__in=users, kind=AlertDelivery.Kind.DEADLINE_REMINDER
        ).values_list("user_id", "call_id")
    )
    call_objs = ProcurementCall.objects.in_bulk({c for cs in users.values() for c in cs})
    sent = 0
    for user_id, call_ids in sorted(users.items()):
        sub = subs.get(user_id)
        if sub and (not sub.deadline_reminders or sub.frequency == AlertSubscription.Frequency.OFF):
            continue
        todo = sorted(c for c in call_ids if (user_id, c) not in sent_before)
        if not todo or not emails.get(user_id):
            continue
        if sub is None:
            sub = subscription_for(_user(user_id))
        with transaction.atomic():
            AlertDelivery.objects.bulk_create(
                [
                    AlertDelivery(
                        subscription=sub,
                        user_id=user_id,
                        call_id=c,
                        kind=AlertDelivery.Kind.DEADLINE_REMINDER,
                    )
                    for c in todo
                ]
            )
            _mail(
                subject="Deadline in a week: " + ", ".join(call_objs[c].title for c in todo)[:150],
                template="matchmaking/email/deadline_reminder.txt",
                context={
                    "items": [
                        (call_objs[c], _absolute(call_objs[c].get_absolute_url())) for c in todo
                    ],
                    "unsubscribe_url": _absolute(
                        reverse("matchmaking:unsubscribe", args=[unsubscribe_token(sub)])
                    ),
                },
                recipients=[emails[user_id]],
            )
        sent += 1
    return sent


def _user(user_id: int):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=user_id)
