"""Reads of the outcomes app: the figures of every dashboard, each a few grouped queries
whatever the period (the number of queries never depends on how many rows or months there are).

Money is summed in euros inside the database: each amount is multiplied by the rate of its
currency valid on its date (a correlated subquery on ``ExchangeRate``); amounts whose currency
has no rate on their date are counted apart and the pages say so.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import (
    Coalesce,
    ExtractYear,
    NullIf,
    TruncDate,
    TruncMonth,
    TruncYear,
)
from django.utils import timezone

from bigscience_portal.core.models import TaskRecord
from events.models import Meeting, MeetingOutcome
from matchmaking.models import Match
from organisations.models import ClusterMembership, Decision, Organisation
from tenders.models import Award, Clarification, ExpressionOfInterest, ProcurementCall

from . import funnel
from . import industrial_return as ir
from .models import Contribution, ContributionSource, ExchangeRate, FunnelStep

Kind = FunnelStep.Kind
MONEY = DecimalField(max_digits=24, decimal_places=2)
RATE = DecimalField(max_digits=18, decimal_places=8)
#: the most calls and members a selector returns for a table
MAX_ROWS = 200
#: the most rows a dashboard page's table shows, most active first (the download has them all):
#: rendering is what costs on these pages, and a longer table is not read on a screen
SHOWN_ROWS = 50


# --- the period -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included."""

    start: dt.date
    end: dt.date

    @classmethod
    def default(cls, today: dt.date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls(dt.date(today.year - 2, 1, 1), today)

    @property
    def start_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    @property
    def end_before(self) -> dt.datetime:
        return timezone.make_aware(
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min)
        )

    @property
    def by_month(self) -> bool:
        return (self.end - self.start).days <= 731

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))

    def buckets(self) -> list[dt.date]:
        """The first day of each month (or year) of the period."""
        out = []
        if self.by_month:
            day = self.start.replace(day=1)
            while day <= self.end:
                out.append(day)
                day = (day + dt.timedelta(days=32)).replace(day=1)
        else:
            out = [dt.date(y, 1, 1) for y in self.years]
        return out

    def trunc(self, expression: str):
        return TruncMonth(expression) if self.by_month else TruncYear(expression)

    def bucket_of(self, value) -> dt.date:
        day = value.date() if isinstance(value, dt.datetime) else value
        return day.replace(day=1) if self.by_month else dt.date(day.year, 1, 1)

    def label(self, bucket: dt.date) -> str:
        return bucket.strftime("%Y-%m") if self.by_month else str(bucket.year)


# --- money in euros ---------------------------------------------------------------------------


def rate_on(currency: str, day: str):
    """The euros per unit of the row's ``currency`` field valid on its ``day`` field."""
    return Case(
        When(**{currency: "EUR"}, then=Value(Decimal(1), output_field=RATE)),
        default=Subquery(
            ExchangeRate.objects.filter(currency=OuterRef(currency), valid_from__lte=OuterRef(day))
            .order_by("-valid_from")
            .values("eur_per_unit")[:1],
            output_field=RATE,
        ),
        output_field=RATE,
    )


def _eur(amount: str = "value_amount") -> ExpressionWrapper:
    return ExpressionWrapper(F(amount) * F("eur_rate"), output_field=MONEY)


def rates_used(currency_days: set[tuple[str, dt.date]]) -> list[ExchangeRate]:
    """The rates that converted the given (currency, day) pairs (for the page to name them)."""
    currencies = {c for c, _day in currency_days if c and c != "EUR"}
    if not currencies:
        return []
    rates = list(ExchangeRate.objects.filter(currency__in=currencies).order_by("valid_from"))
    used = {}
    for currency, day in currency_days:
        found = None
        for rate in rates:
            if rate.currency == currency and rate.valid_from <= day:
                found = rate
        if found is not None:
            used[found.pk] = found
    return sorted(used.values(), key=lambda r: (r.currency, r.valid_from))


# --- the company's pipeline -------------------------------------------------------------------


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
        .select_related("call__buyer", "via", "recorded_by")
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
            company=company,
            retracted_at__isnull=True,
            occurred_at__gte=period.start_at,
            occurred_at__lt=period.end_before,
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
        .select_related("recorded_by", "via", "retracted_by")
        .prefetch_related("changes")
        .order_by("occurred_at", "pk")
    )


# --- the cluster's members --------------------------------------------------------------------

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

    steps = (
        FunnelStep.objects.filter(
            company_id__in=ids,
            retracted_at__isnull=True,
            occurred_at__gte=period.start_at,
            occurred_at__lt=period.end_before,
        )
        .filter(~Q(kind=Kind.FORWARDED) | Q(via_id=cluster.pk))
        .annotate(
            bucket=period.trunc("occurred_at"),
            day=TruncDate("occurred_at"),
            eur_rate=rate_on("value_currency", "day"),
        )
        .values("company_id", "kind", "bucket")
        .annotate(
            n=Count("pk"),
            value=Sum(_eur()),
            shared=Sum(_eur(), filter=Q(value_shared=True)),
            unconverted=Count("pk", filter=Q(eur_rate__isnull=True, value_amount__isnull=False)),
        )
    )
    measure_of = {
        Kind.FORWARDED: "forwarded",
        Kind.INTEREST: "interest",
        Kind.BID: "bids",
        Kind.AWARDED: "wins",
    }
    for row in steps:
        bucket = period.bucket_of(row["bucket"])
        measure = measure_of.get(row["kind"])
        if measure:
            add(row["company_id"], bucket, measure, row["n"])
        if row["kind"] == Kind.AWARDED:
            per_member[row["company_id"]]["won"] += row["value"] or 0
            values["won"] += row["value"] or 0
            values["unconverted"] += row["unconverted"]
        if row["kind"] == Kind.BID:
            values["bids_shared"] += row["shared"] or 0
    meetings = Meeting.objects.filter(
        starts_at__gte=period.start_at, starts_at__lt=period.end_before
    ).annotate(bucket=period.trunc("starts_at"))
    for side in ("requester", "recipient"):
        org = f"request__{side}__organisation_id"
        for row in (
            meetings.filter(**{f"{org}__in": ids}).values(org, "bucket").annotate(n=Count("pk"))
        ):
            add(row[org], period.bucket_of(row["bucket"]), "meetings", row["n"])
    agreements = (
        MeetingOutcome.objects.filter(
            outcome=MeetingOutcome.Outcome.AGREEMENT_REACHED,
            registration__organisation_id__in=ids,
            meeting__starts_at__gte=period.start_at,
            meeting__starts_at__lt=period.end_before,
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


# --- the infrastructure -----------------------------------------------------------------------


def infrastructure_overview(*, infrastructure: Organisation, period: Period) -> dict:
    """Its calls by stage and status, interest and questions per call, suppliers by country."""
    calls = ProcurementCall.objects.filter(buyer=infrastructure).filter(
        Q(published_at__gte=period.start_at, published_at__lt=period.end_before)
        | Q(
            published_at__isnull=True,
            created_at__gte=period.start_at,
            created_at__lt=period.end_before,
        )
    )
    by_stage_status = list(
        calls.values("stage", "status").annotate(n=Count("pk")).order_by("stage", "status")
    )
    eoi_count = Subquery(
        ExpressionOfInterest.objects.filter(
            call=OuterRef("pk"), status=ExpressionOfInterest.Status.ACTIVE
        )
        .values("call")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        output_field=IntegerField(),
    )
    question_count = Subquery(
        Clarification.objects.filter(call=OuterRef("pk"))
        .values("call")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        output_field=IntegerField(),
    )
    per_call = list(
        calls.annotate(eois=Coalesce(eoi_count, 0), questions=Coalesce(question_count, 0))
        .only("pk", "title", "reference", "stage", "status", "tender_period_end", "published_at")
        .order_by("-eois", "-questions", "-published_at", "pk")[:SHOWN_ROWS]
    )
    interest_by_country = {
        (r["organisation__country"] or ""): r["n"]
        for r in ExpressionOfInterest.objects.filter(call__in=calls)
        .values("organisation__country")
        .annotate(n=Count("pk"))
    }
    awards_by_country = {}
    for row in (
        _awards(infrastructure.pk, period)
        .values("country")
        .annotate(n=Count("pk"), value=Sum(_eur()))
    ):
        awards_by_country[row["country"] or ""] = (row["n"], row["value"] or Decimal(0))
    countries = sorted(
        set(interest_by_country) | set(awards_by_country),
        key=lambda c: (-(awards_by_country.get(c, (0, 0))[1]), -interest_by_country.get(c, 0), c),
    )
    suppliers = [
        {
            "country": c,
            "interest": interest_by_country.get(c, 0),
            "awards": awards_by_country.get(c, (0, 0))[0],
            "value": awards_by_country.get(c, (0, Decimal(0)))[1],
        }
        for c in countries
    ]
    return {"by_stage_status": by_stage_status, "per_call": per_call, "suppliers": suppliers}


def _awards(infrastructure_id: int, period: Period):
    """The infrastructure's awards dated in the period, with their supplier's country (as the
    notice says, else the linked organisation's) and their rate to euros."""
    return (
        Award.objects.filter(call__buyer_id=infrastructure_id, value_amount__isnull=False)
        .annotate(
            country=Coalesce(
                NullIf("supplier_country", Value("")),
                NullIf("supplier__country", Value("")),
                NullIf("outcome_link__organisation__country", Value("")),
                Value(""),
            ),
            day=Coalesce("date", TruncDate("call__published_at"), TruncDate("call__created_at")),
        )
        .filter(
            day__gte=dt.date(period.start.year, 1, 1), day__lte=dt.date(period.end.year, 12, 31)
        )
        .annotate(eur_rate=rate_on("value_currency", "day"))
    )


def award_values(infrastructure_id: int, period: Period) -> list[ir.AwardValue]:
    """The period's awards as the pure module wants them, summed in the database by country,
    year, currency and the day of the rate that converts them (a handful of rows)."""
    rate_day = Subquery(
        ExchangeRate.objects.filter(
            currency=OuterRef("value_currency"), valid_from__lte=OuterRef("day")
        )
        .order_by("-valid_from")
        .values("valid_from")[:1]
    )
    rows = (
        _awards(infrastructure_id, period)
        .annotate(rate_day=rate_day, year=ExtractYear("day"))
        .values("country", "value_currency", "rate_day", "year")
        .annotate(total=Sum("value_amount"))
    )
    out = []
    for row in rows:
        currency = (row["value_currency"] or "EUR").upper()
        day = row["rate_day"] or (dt.date(row["year"], 12, 31) if currency == "EUR" else None)
        out.append(
            ir.AwardValue(
                row["country"], row["total"], currency, day or dt.date.min, in_year=row["year"]
            )
        )
    return out


def contributions_of(infrastructure_id: int, up_to_year: int) -> dict[int, dict[str, Decimal]]:
    figures: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for year, country, share in Contribution.objects.filter(
        infrastructure_id=infrastructure_id, year__lte=up_to_year
    ).values_list("year", "country", "share_percent"):
        figures[year][country] = share
    return dict(figures)


def industrial_return(*, infrastructure: Organisation, period: Period, bands: ir.Bands) -> dict:
    """The return by member state over the period, its trend by year, the rates and the
    sources of the contribution figures used."""
    contributions = contributions_of(infrastructure.pk, period.end.year)
    awards = award_values(infrastructure.pk, period)
    needed = {(a.currency, a.day) for a in awards if a.currency != "EUR" and a.day != dt.date.min}
    rates_rows = rates_used(needed)
    table = ir.RateTable(
        ir.Rate(r.currency, r.valid_from, r.eur_per_unit, r.source) for r in rates_rows
    )
    members = [str(c) for c in infrastructure.member_states]
    result = ir.compute(
        contributions=contributions,
        awards=awards,
        rates=table,
        bands=bands,
        years=period.years,
        members=members,
    )
    by_year = ir.trend(
        contributions=contributions,
        awards=awards,
        rates=table,
        bands=bands,
        years=period.years,
        members=members,
    )
    used_years = {ys.from_year for ys in result.years.values()}
    sources = list(
        ContributionSource.objects.filter(
            contributions__infrastructure=infrastructure, contributions__year__in=used_years
        ).distinct()
    )
    return {
        "result": result,
        "by_year": by_year,
        "rates": rates_rows,
        "sources": sources,
        "illustrative": any(s.illustrative for s in sources),
        "figure_years": sorted(used_years),
    }


def favoured_by(infrastructure: Organisation, bands: ir.Bands, window_years: int) -> set[str]:
    """The member states whose firms the infrastructure favours now: poorly balanced over the
    last ``window_years`` calendar years."""
    today = timezone.localdate()
    period = Period(dt.date(today.year - window_years + 1, 1, 1), today)
    figures = industrial_return(infrastructure=infrastructure, period=period, bands=bands)
    members = {str(c) for c in infrastructure.member_states}
    return {c for c in ir.favoured(figures["result"]) if not members or c in members}


# --- the portal's health (staff) --------------------------------------------------------------


def portal_health(*, period: Period) -> dict:
    User = get_user_model()
    users = User.objects.aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(last_login__gte=period.start_at)),
        joined=Count(
            "pk", filter=Q(date_joined__gte=period.start_at, date_joined__lt=period.end_before)
        ),
    )
    organisations = list(
        Organisation.objects.values("kind", "approval").annotate(n=Count("pk")).order_by("kind")
    )
    calls = list(
        ProcurementCall.objects.values("source", "status")
        .annotate(n=Count("pk"))
        .order_by("source")
    )
    runs = []
    for model in apps.get_models():
        if issubclass(model, TaskRecord):
            counts = dict(
                model.objects.filter(
                    created_at__gte=period.start_at, created_at__lt=period.end_before
                )
                .values_list("status")
                .annotate(n=Count("pk"))
                .values_list("status", "n")
            )
            runs.append({"name": str(model._meta.verbose_name_plural), "counts": counts})
    steps = dict(
        FunnelStep.objects.filter(
            occurred_at__gte=period.start_at, occurred_at__lt=period.end_before
        )
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    unlinked = Award.objects.filter(supplier__isnull=True, outcome_link__isnull=True).count()
    return {
        "users": users,
        "organisations": organisations,
        "calls": calls,
        "runs": runs,
        "steps": steps,
        "unlinked_awards": unlinked,
    }


def unlinked_awards():
    """Awards whose winner is not linked to the directory and that staff have not decided."""
    return (
        Award.objects.filter(supplier__isnull=True, outcome_link__isnull=True)
        .exclude(supplier_name="(not published)")
        .select_related("call__buyer")
        .order_by("-date", "-pk")
    )


def candidate_companies(countries: set[str]) -> list[tuple[int, str, str, str]]:
    """(id, name, legal name, country) of the companies in ``countries`` (the link page's
    candidates are chosen among them by name)."""
    return list(
        Organisation.objects.filter(
            kind__in=Organisation.COMPANY_KINDS, country__in=[c for c in countries if c]
        ).values_list("pk", "name", "legal_name", "country")
    )
