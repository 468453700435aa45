"""The liaison officer's dashboard and the industrial return of an infrastructure."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import (
    Coalesce,
    ExtractYear,
    NullIf,
    TruncDate,
)
from django.utils import timezone

from organisations.models import Organisation
from tenders.models import Award, Clarification, ExpressionOfInterest, ProcurementCall

from .. import industrial_return as ir
from ..models import Contribution, ContributionSource, ExchangeRate
from .base import SHOWN_ROWS, Period, _eur, rate_on, rates_used


def infrastructure_overview(*, infrastructure: Organisation, period: Period) -> dict:
    """Its calls by stage and status, interest and questions per call, suppliers by country."""
    calls = ProcurementCall.objects.filter(buyer=infrastructure).filter(
        period.within("published_at") | (Q(published_at__isnull=True) & period.within("created_at"))
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


def _return_figures(infrastructure: Organisation, period: Period) -> tuple[dict, list]:
    """What the pure module computes the return from (its keyword arguments but the bands),
    and the rates rows used."""
    contributions = contributions_of(infrastructure.pk, period.end.year)
    awards = award_values(infrastructure.pk, period)
    needed = {(a.currency, a.day) for a in awards if a.currency != "EUR" and a.day != dt.date.min}
    rates_rows = rates_used(needed)
    figures = {
        "contributions": contributions,
        "awards": awards,
        "rates": ir.RateTable(
            ir.Rate(r.currency, r.valid_from, r.eur_per_unit, r.source) for r in rates_rows
        ),
        "years": period.years,
        "members": [str(c) for c in infrastructure.member_states],
    }
    return figures, rates_rows


def industrial_return(*, infrastructure: Organisation, period: Period, bands: ir.Bands) -> dict:
    """The return by member state over the period, its trend by year, the rates and the
    sources of the contribution figures used."""
    figures, rates_rows = _return_figures(infrastructure, period)
    result = ir.compute(bands=bands, **figures)
    by_year = ir.trend(bands=bands, **figures)
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
    figures, _rates = _return_figures(infrastructure, period)
    result = ir.compute(bands=bands, **figures)  # not the trend nor the sources: only who
    members = set(figures["members"])
    return {c for c in ir.favoured(result) if not members or c in members}
