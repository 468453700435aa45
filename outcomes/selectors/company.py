"""The company's pipeline: its calls with their funnel steps, its deadlines by month."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    Q,
    Sum,
)
from django.db.models.functions import (
    TruncDate,
)
from django.utils import timezone

from matchmaking.models import Match
from organisations.models import Organisation
from tenders.models import ProcurementCall

from .. import funnel
from ..models import FunnelStep
from .base import MAX_ROWS, Kind, Period, _eur, rate_on


@dataclass
class CallRow:
    call: ProcurementCall
    stage: str
    steps: list[FunnelStep] = field(default_factory=list)
    score: float | None = None

    @property
    def stage_label(self) -> str:
        return funnel.STAGE_LABELS[self.stage]

    @property
    def stage_rank(self) -> int:
        return funnel.STAGE_ORDER.index(self.stage)


def company_pipeline(*, company: Organisation, period: Period) -> dict:
    """The company's open recommendations, the calls it follows with the stage each reached,
    what it did in the period (interest, bids, wins, value won) and the deadlines ahead."""
    now = timezone.now()
    steps = list(
        FunnelStep.objects.filter(company=company, retracted_at__isnull=True)
        .select_related("call__buyer")
        .order_by("-occurred_at", "-pk")[: MAX_ROWS * 4]
    )
    rows: dict[int, CallRow] = {}
    for step in steps:
        row = rows.setdefault(step.call_id, CallRow(step.call, funnel.RECOMMENDED))
        row.steps.append(step)
    recommended = list(
        Match.objects.filter(company=company, rank_for_company__isnull=False)
        .filter(call__status=ProcurementCall.Status.PUBLISHED)
        .filter(Q(call__tender_period_end__isnull=True) | Q(call__tender_period_end__gt=now))
        .exclude(call__match_feedback__company=company, call__match_feedback__relevant=False)
        .select_related("call__buyer")
        .order_by("rank_for_company")[:50]
    )
    for match in recommended:
        row = rows.setdefault(match.call_id, CallRow(match.call, funnel.RECOMMENDED))
        row.score = match.score
    for row in rows.values():
        row.stage = funnel.stage_of({s.kind for s in row.steps})
    ordered = sorted(
        rows.values(),
        key=lambda r: (
            -r.stage_rank,
            r.call.tender_period_end or dt.datetime.max.replace(tzinfo=dt.UTC),
        ),
    )[:MAX_ROWS]
    in_period = (
        FunnelStep.objects.filter(
            period.within("occurred_at"), company=company, retracted_at__isnull=True
        )
        .annotate(day=TruncDate("occurred_at"), eur_rate=rate_on("value_currency", "day"))
        .values("kind")
        .annotate(n=Count("pk"), value=Sum(_eur()))
    )
    counts = {r["kind"]: r for r in in_period}
    deadlines = []
    for row in ordered:
        if row.stage in funnel.TERMINAL or (row.stage == funnel.RECOMMENDED and row.score is None):
            continue
        for when, what in (
            (row.call.enquiry_period_end, "questions"),
            (row.call.tender_period_end, "submission"),
        ):
            if when and when > now:
                deadlines.append({"when": when, "what": what, "call": row.call, "stage": row.stage})
    deadlines.sort(key=lambda d: d["when"])
    return {
        "rows": ordered,
        "open_recommendations": len(recommended),
        "interest": counts.get(Kind.INTEREST, {}).get("n", 0),
        "bids": counts.get(Kind.BID, {}).get("n", 0),
        "wins": counts.get(Kind.AWARDED, {}).get("n", 0),
        "value_won": counts.get(Kind.AWARDED, {}).get("value") or Decimal(0),
        "deadlines": deadlines[:60],
        "calendar": _by_month(deadlines[:60]),
    }


def _by_month(deadlines: list[dict]) -> list[tuple[dt.date, list[dict]]]:
    months: dict[dt.date, list[dict]] = defaultdict(list)
    for d in deadlines:
        local = timezone.localtime(d["when"]).date()
        months[local.replace(day=1)].append(d)
    return sorted(months.items())


def company_steps(*, company: Organisation, call: ProcurementCall) -> list[FunnelStep]:
    return list(
        FunnelStep.objects.filter(company=company, call=call)
        .select_related("company", "call__buyer", "recorded_by", "via", "retracted_by")
        .prefetch_related("changes")
        .order_by("occurred_at", "pk")
    )
