"""What every dashboard's reads share: the period asked, the money in euros (each amount times
the rate of its currency valid on its date, a correlated subquery on ``ExchangeRate``), the
row limits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import (
    TruncMonth,
    TruncYear,
)
from django.utils import timezone

from ..models import ExchangeRate, FunnelStep

Kind = FunnelStep.Kind
MONEY = DecimalField(max_digits=24, decimal_places=2)
RATE = DecimalField(max_digits=18, decimal_places=8)
#: the most calls and members a selector returns for a table
MAX_ROWS = 200
#: the most rows a dashboard page's table shows, most active first (the download has them all):
#: rendering is what costs on these pages, and a longer table is not read on a screen
SHOWN_ROWS = 50


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

    def within(self, field: str) -> Q:
        """The rows whose moment ``field`` falls in the period."""
        return Q(**{f"{field}__gte": self.start_at, f"{field}__lt": self.end_before})

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
