"""The cluster manager's dashboard: the funnel of the members that accepted the cluster."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import (
    Count,
    Q,
    Sum,
)
from django.db.models.functions import (
    TruncDate,
)

from events.models import Meeting, MeetingOutcome
from matchmaking.models import Match
from organisations.models import ClusterMembership, Decision, Organisation
from tenders.models import ProcurementCall

from ..models import FunnelStep
from .base import Kind, Period, _eur, rate_on

#: the cluster dashboard's measures, in the order of the funnel
CLUSTER_MEASURES = (
    "recommended",
    "forwarded",
    "interest",
    "meetings",
    "agreements",
    "bids",
    "wins",
)


def cluster_members(cluster: Organisation) -> list[tuple[int, str, str]]:
    """(id, name, country) of the members that accepted the cluster (approved memberships)."""
    return [
        (pk, name, country or "")
        for pk, name, country in ClusterMembership.objects.filter(
            cluster=cluster, status=Decision.APPROVED
        )
        .order_by("member__name")
        .values_list("member_id", "member__name", "member__country")
    ]


def cluster_funnel(*, cluster: Organisation, period: Period) -> dict:
    """The members' funnel in the period: totals, per member and per month (or year)."""
    members = cluster_members(cluster)
    ids = [pk for pk, _n, _c in members]
    per_member: dict[int, dict] = {pk: defaultdict(int) for pk in ids}
    over_time: dict[dt.date, dict] = {b: defaultdict(int) for b in period.buckets()}
    values = {"won": Decimal(0), "bids_shared": Decimal(0), "unconverted": 0}

    def add(company_id, bucket, measure, n):
        per_member[company_id][measure] += n
        over_time.setdefault(bucket, defaultdict(int))[measure] += n

    measure_of = {
        Kind.FORWARDED: "forwarded",
        Kind.INTEREST: "interest",
        Kind.BID: "bids",
        Kind.AWARDED: "wins",
    }
    steps = FunnelStep.objects.filter(
        period.within("occurred_at"),
        company_id__in=ids,
        kind__in=list(measure_of),
        retracted_at__isnull=True,
    ).filter(~Q(kind=Kind.FORWARDED) | Q(via_id=cluster.pk))
    # Two groupings instead of one by (member, kind, bucket): a member's totals need no bucket,
    # and the buckets need no money, so neither returns a row per member and month, and the
    # rate of a step's currency on its day is looked up only for the won and shared bid values.
    won, shared = Q(kind=Kind.AWARDED), Q(kind=Kind.BID, value_shared=True)
    per_kind = (
        steps.annotate(day=TruncDate("occurred_at"), eur_rate=rate_on("value_currency", "day"))
        .values("company_id", "kind")
        .annotate(
            n=Count("pk"),
            value=Sum(_eur(), filter=won & Q(value_amount__isnull=False)),
            shared=Sum(_eur(), filter=shared & Q(value_amount__isnull=False)),
            unconverted=Count(
                "pk", filter=won & Q(value_amount__isnull=False, eur_rate__isnull=True)
            ),
        )
    )
    for row in per_kind:
        per_member[row["company_id"]][measure_of[row["kind"]]] += row["n"]
        if row["kind"] == Kind.AWARDED:
            per_member[row["company_id"]]["won"] += row["value"] or 0
            values["won"] += row["value"] or 0
            values["unconverted"] += row["unconverted"]
        if row["kind"] == Kind.BID:
            values["bids_shared"] += row["shared"] or 0
    per_bucket = (
        steps.annotate(bucket=period.trunc("occurred_at"))
        .values("kind", "bucket")
        .annotate(n=Count("pk"))
    )
    for row in per_bucket:
        bucket = period.bucket_of(row["bucket"])
        over_time.setdefault(bucket, defaultdict(int))[measure_of[row["kind"]]] += row["n"]
    meetings = Meeting.objects.filter(period.within("starts_at")).annotate(
        bucket=period.trunc("starts_at")
    )
    for side in ("requester", "recipient"):
        org = f"request__{side}__organisation_id"
        for row in (
            meetings.filter(**{f"{org}__in": ids}).values(org, "bucket").annotate(n=Count("pk"))
        ):
            add(row[org], period.bucket_of(row["bucket"]), "meetings", row["n"])
    agreements = (
        MeetingOutcome.objects.filter(
            period.within("meeting__starts_at"),
            outcome=MeetingOutcome.Outcome.AGREEMENT_REACHED,
            registration__organisation_id__in=ids,
        )
        .annotate(bucket=period.trunc("meeting__starts_at"))
        .values("registration__organisation_id", "bucket")
        .annotate(n=Count("pk"))
    )
    for row in agreements:
        add(
            row["registration__organisation_id"],
            period.bucket_of(row["bucket"]),
            "agreements",
            row["n"],
        )
    recommended = (
        Match.objects.filter(
            company_id__in=ids,
            rank_for_company__isnull=False,
            call__status=ProcurementCall.Status.PUBLISHED,
        )
        .values("company_id")
        .annotate(n=Count("pk"))
    )
    for row in recommended:
        per_member[row["company_id"]]["recommended"] += row["n"]
    rows = []
    for pk, name, country in members:
        figures = per_member[pk]
        rows.append(
            {
                "id": pk,
                "name": name,
                "country": country,
                **{m: figures.get(m, 0) for m in CLUSTER_MEASURES},
                "won": figures.get("won", Decimal(0)),
                "active": any(figures.get(m, 0) for m in CLUSTER_MEASURES if m != "recommended"),
            }
        )
    totals = {m: sum(r[m] for r in rows) for m in CLUSTER_MEASURES}
    totals["members"] = len(rows)
    totals["supported"] = sum(1 for r in rows if r["active"])
    return {
        "rows": rows,
        "totals": totals,
        "values": values,
        "over_time": [
            {
                "bucket": b,
                "label": period.label(b),
                **{m: over_time[b].get(m, 0) for m in CLUSTER_MEASURES},
            }
            for b in sorted(over_time)
        ],
    }
