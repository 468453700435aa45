"""Scoring one call or one company and storing the engine's top-k lists in ``Match``.

The services load plain data (``loaders``), call the pure engine, and store what it computed:
the score and its components (the reasons in words are rendered from them when a page shows
them, ``matchmaking.reasons``). Every scoring service works under a ``MatchRun`` that its task
claimed, and finishes it.

Stored lists: for each open call its best ``K_PER_CALL`` companies (``rank_for_call``), for each
company its best ``K_PER_COMPANY`` calls scoring at least ``RECOMMENDATION_FLOOR``
(``rank_for_company``). A single call or company run replaces that call's (company's) rows and
re-ranks the lists it touched; a full recompute (``services.nightly``) replaces every row.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .. import loaders
from ..engine import ENGINE_VERSION, MatchContext, MatchIndex, score, score_chunk, score_many
from ..limits import K_PER_CALL, K_PER_COMPANY, MAX_COMPANY_PLACEMENTS, RECOMMENDATION_FLOOR
from ..models import Match, MatchRun
from ..selectors import cpv_labels
from .runs import run_finish


# --------------------------------------------------------------------------- explanations
def explain(company, call, ctx: MatchContext) -> list[dict]:
    """The components of one pair as JSON (what its reasons are rendered from)."""
    return score(company, call, ctx).components_json()


def explain_pairs(pairs, companies_by_id, calls_by_id, ctx) -> dict[tuple[int, int], list]:
    """{(company, call): components as JSON} of the pairs, scored one block per call."""
    by_call = defaultdict(list)
    for comp, call in sorted(pairs):
        by_call[call].append(comp)
    out = {}
    for call, comps in by_call.items():
        for result in score_many([companies_by_id[c] for c in comps], calls_by_id[call], ctx):
            out[(result.company_id, call)] = result.components_json()
    return out


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
        ranked = [r for r in sorted(by_company[comp]) if -r[0] >= RECOMMENDATION_FLOOR]
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


@transaction.atomic
def _drop_rows(**target) -> None:
    """Delete the rows of a call (``call_id=``) or a company (``company_id=``) that is matched no
    more, and re-rank the lists it leaves."""
    rows = Match.objects.filter(**target)
    pairs = list(rows.values_list("company_id", "call_id"))
    rows.delete()
    _rerank(call_ids={call for _, call in pairs}, company_ids={comp for comp, _ in pairs})


def match_rows(entries, explained, *, run, now, ranks=None) -> list[Match]:
    ranks = ranks or {}
    return [
        Match(
            company_id=comp,
            call_id=call,
            score=s,
            components=explained[(comp, call)],
            engine_version=ENGINE_VERSION,
            rank_for_call=ranks.get((comp, call), (None, None))[0],
            rank_for_company=ranks.get((comp, call), (None, None))[1],
            computed_at=now,
            run=run,
        )
        for (comp, call), s in sorted(entries.items())
    ]


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


def _profiles(run: MatchRun, **target):
    """(now, companies, open calls, the profile of the run's target: ``call_id=`` or
    ``company_id=``). A target that is matched no more (a call closed, a company unpublished),
    or that nothing is left to match with, loses its rows; its run is finished and the profile
    is None."""
    now = timezone.now()
    companies = loaders.load_companies()
    calls = loaders.load_open_calls(now)
    [(name, pk)] = target.items()
    own, others = (calls, companies) if name == "call_id" else (companies, calls)
    profile = next((p for p in own if p.id == pk), None)
    if profile is None or not others:
        _drop_rows(**target)
        run_finish(run=run, pairs=0, rows=0)
        return now, companies, calls, None
    return now, companies, calls, profile


def call_score(*, run: MatchRun, call_id: int) -> None:
    """Score one call against every company and store its top-k (and its place in the
    companies' own lists). A call that is no longer open loses its rows."""
    now, companies, calls, call = _profiles(run, call_id=call_id)
    if call is None:
        return
    index = _index_for_call(companies, calls, call)
    ctx = MatchContext(index=index, now=now)
    by_id = {c.id: c for c in companies}
    calls_by_id = {call.id: call}
    tk = score_chunk(companies, [call], index, k_per_call=K_PER_CALL, k_per_company=1, now=now)
    top = {(comp, call_id): s for comp, s in tk.per_call.get(call_id, [])}
    explained = explain_pairs(top, by_id, calls_by_id, ctx)
    # 1. the call's own list, visible to its buyer at once
    with transaction.atomic():
        previous = set(Match.objects.filter(call_id=call_id).values_list("company_id", flat=True))
        Match.objects.filter(call_id=call_id).delete()
        ranks = {
            pair: (i + 1, None) for i, pair in enumerate(sorted(top, key=lambda p: (-top[p], p[0])))
        }
        Match.objects.bulk_create(match_rows(top, explained, run=run, now=now, ranks=ranks))
    # 2. the call's place in each company's list: where it beats the company's k-th call
    kth = dict(
        Match.objects.filter(rank_for_company=K_PER_COMPANY)
        .exclude(call_id=call_id)
        .values_list("company_id", "score")
    )
    extra = {}
    for comp, lst in tk.per_company.items():
        for _, s in lst:
            if s >= RECOMMENDATION_FLOOR and s >= kth.get(comp, 0.0) and (comp, call_id) not in top:
                extra[(comp, call_id)] = s
    if len(extra) > MAX_COMPANY_PLACEMENTS:
        best = sorted(extra, key=lambda p: (-extra[p], p[0]))[:MAX_COMPANY_PLACEMENTS]
        extra = {p: extra[p] for p in best}
    explained.update(explain_pairs(extra, by_id, calls_by_id, ctx))
    with transaction.atomic():
        Match.objects.bulk_create(
            match_rows(extra, explained, run=run, now=now), ignore_conflicts=True, batch_size=1000
        )
        _rerank(
            call_ids=[call_id],
            company_ids=previous | {p[0] for p in top} | {p[0] for p in extra},
        )
    run_finish(run=run, pairs=len(companies), rows=len(top) + len(extra))


def company_score(*, run: MatchRun, company_id: int) -> None:
    """Score one company against every open call: replace its rows and re-rank the calls'
    lists it enters or leaves. A company no longer matched loses its rows."""
    now, companies, calls, company = _profiles(run, company_id=company_id)
    if company is None:
        return
    index = MatchIndex(companies, calls)
    ctx = MatchContext(index=index, now=now)
    calls_by_id = {c.id: c for c in calls}
    tk = score_chunk([company], calls, index, k_per_call=1, k_per_company=K_PER_COMPANY, now=now)
    own = {
        (company_id, call): s
        for call, s in tk.per_company.get(company_id, [])
        if s >= RECOMMENDATION_FLOOR
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
    explained = explain_pairs(own, {company_id: company}, calls_by_id, ctx)
    with transaction.atomic():
        previous = set(
            Match.objects.filter(company_id=company_id).values_list("call_id", flat=True)
        )
        Match.objects.filter(company_id=company_id).delete()
        Match.objects.bulk_create(match_rows(own, explained, run=run, now=now))
        _rerank(call_ids=previous | {p[1] for p in own}, company_ids=[company_id])
    run_finish(run=run, pairs=len(calls), rows=len(own))
