"""Industrial return (juste retour): plain data in, plain data out, no ORM.

The return coefficient of a member state over a period is

    (the state's share of the value awarded, by supplier country)
    / (the state's share of the contributions)

**Awarded share.** Every award of the period counts in the total, whatever its supplier's
country (a state that contributes nothing still takes value away from those that do); each
award is converted to euros with the rate of its currency valid on its date
(:class:`RateTable`), and an award whose currency has no rate on that date is left out of the
sums and reported (``ReturnResult.unconverted``), never guessed.

**Contribution share.** Shares are entered per year in percent. A year's shares that add up to
more than 100 % (rounded figures, or an error) are scaled down to 100 %; shares that add up to
less are taken as they are, the rest being states whose share was not entered (a partial
table must not inflate the states it names). A year of the period without figures takes the
latest earlier year's; a period's share is the mean of its years' shares.

**Bands** (:class:`Bands`): below ``poor`` a state is poorly balanced, below ``very_poor`` very
poorly balanced (CERN's bands for supplies, 1.00 and 0.40, by default). No coefficient is given
for a state without a contribution, nor for a period without awards: neither is "poorly
balanced".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal(0)
HUNDRED = Decimal(100)
BASE_CURRENCY = "EUR"

WELL_BALANCED = "well_balanced"
POORLY_BALANCED = "poorly_balanced"
VERY_POORLY_BALANCED = "very_poorly_balanced"
NO_CONTRIBUTION = "no_contribution"
NO_AWARDS = "no_awards"
#: bands that make an infrastructure favour a state's firms
FAVOURED_BANDS = (POORLY_BALANCED, VERY_POORLY_BALANCED)


@dataclass(frozen=True)
class Rate:
    """1 unit of ``currency`` = ``eur_per_unit`` euros from ``valid_from`` on."""

    currency: str
    valid_from: dt.date
    eur_per_unit: Decimal
    source: str = ""


class RateTable:
    """Dated exchange rates: the rate of a day is the latest one valid on or before it."""

    def __init__(self, rates: Iterable[Rate] = ()) -> None:
        by_currency: dict[str, list[Rate]] = defaultdict(list)
        for rate in rates:
            by_currency[rate.currency.upper()].append(rate)
        self._rates = {c: sorted(rs, key=lambda r: r.valid_from) for c, rs in by_currency.items()}

    def rate_on(self, currency: str, day: dt.date) -> Rate | None:
        """The rate to convert ``currency`` on ``day`` (None: there is none yet)."""
        currency = (currency or BASE_CURRENCY).upper()
        if currency == BASE_CURRENCY:
            return Rate(BASE_CURRENCY, dt.date.min, Decimal(1))
        found = None
        for rate in self._rates.get(currency, ()):
            if rate.valid_from > day:
                break
            found = rate
        return found

    def to_eur(self, amount: Decimal, currency: str, day: dt.date) -> tuple[Decimal, Rate] | None:
        rate = self.rate_on(currency, day)
        if rate is None:
            return None
        return amount * rate.eur_per_unit, rate


@dataclass(frozen=True)
class AwardValue:
    """Value awarded to suppliers of ``country`` on ``day`` (one award, or a sum of awards of
    the same country, currency and rate)."""

    country: str
    amount: Decimal
    currency: str
    day: dt.date
    #: the year the value counts in, when ``day`` is only the day of its rate
    in_year: int | None = None

    @property
    def year(self) -> int:
        return self.in_year if self.in_year is not None else self.day.year


@dataclass(frozen=True)
class Bands:
    poor: Decimal = Decimal("1.00")
    very_poor: Decimal = Decimal("0.40")

    def band(self, coefficient: Decimal | None, *, reason: str = NO_CONTRIBUTION) -> str:
        if coefficient is None:
            return reason
        if coefficient < self.very_poor:
            return VERY_POORLY_BALANCED
        if coefficient < self.poor:
            return POORLY_BALANCED
        return WELL_BALANCED


@dataclass
class YearShares:
    """One year's contribution shares as fractions (0..1), after the rule above."""

    year: int
    shares: dict[str, Decimal]
    entered_total: Decimal  # the entered percentages added up
    scaled: bool  # True when the entered total was above 100 % and was scaled down
    from_year: int  # the year whose figures were used (earlier when this one had none)


def year_shares(year: int, percents: dict[str, Decimal], *, from_year: int | None = None):
    """``percents`` (state -> %) of one year as fractions: scaled down when above 100 %."""
    total = sum(percents.values(), ZERO)
    scaled = total > HUNDRED
    divisor = total if scaled else HUNDRED
    shares = {c: (p / divisor if divisor else ZERO) for c, p in percents.items()}
    return YearShares(year, shares, total, scaled, from_year if from_year is not None else year)


def shares_for_years(
    contributions: dict[int, dict[str, Decimal]], years: Iterable[int]
) -> dict[int, YearShares]:
    """Each year's shares, a year without figures taking the latest earlier year's."""
    known = sorted(contributions)
    out = {}
    for year in years:
        earlier = [y for y in known if y <= year]
        if earlier:
            out[year] = year_shares(year, contributions[earlier[-1]], from_year=earlier[-1])
    return out


@dataclass
class CountryReturn:
    country: str
    awarded_eur: Decimal
    awarded_share: Decimal  # 0..1 of the period's total
    contribution_share: Decimal | None  # 0..1, None: no contribution entered
    coefficient: Decimal | None
    band: str


@dataclass
class ReturnResult:
    rows: list[CountryReturn]
    total_awarded_eur: Decimal
    years: dict[int, YearShares]
    unconverted: list[AwardValue] = field(default_factory=list)
    rates_used: list[Rate] = field(default_factory=list)

    @property
    def has_awards(self) -> bool:
        return self.total_awarded_eur > 0

    def row(self, country: str) -> CountryReturn | None:
        return next((r for r in self.rows if r.country == country), None)


def compute(
    *,
    contributions: dict[int, dict[str, Decimal]],
    awards: Iterable[AwardValue],
    rates: RateTable,
    bands: Bands,
    years: Iterable[int],
    members: Iterable[str] = (),
) -> ReturnResult:
    """The return of every state over ``years``: the contributing states (and ``members``,
    the infrastructure's member states) first, by coefficient, then the states that were
    awarded something without contributing."""
    years = sorted(set(years))
    shares_by_year = shares_for_years(contributions, years)
    wanted = set(years)
    awarded: dict[str, Decimal] = defaultdict(lambda: ZERO)
    unconverted, used = [], {}
    for award in awards:
        if award.year not in wanted:
            continue
        converted = rates.to_eur(award.amount, award.currency, award.day)
        if converted is None:
            unconverted.append(award)
            continue
        value, rate = converted
        awarded[award.country] += value
        if rate.currency != BASE_CURRENCY:
            used[(rate.currency, rate.valid_from)] = rate
    total = sum(awarded.values(), ZERO)
    contribution: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for ys in shares_by_year.values():
        for country, share in ys.shares.items():
            contribution[country] += share
    n_years = len(shares_by_year)
    mean = {c: s / n_years for c, s in contribution.items()} if n_years else {}
    rows = []
    for country in sorted(set(mean) | set(members) | set(awarded)):
        share = mean.get(country)
        value = awarded.get(country, ZERO)
        awarded_share = value / total if total else ZERO
        if not share:
            coefficient, band = None, bands.band(None, reason=NO_CONTRIBUTION)
        elif not total:
            coefficient, band = None, bands.band(None, reason=NO_AWARDS)
        else:
            coefficient = (awarded_share / share).quantize(Decimal("0.01"))
            band = bands.band(coefficient)
        rows.append(CountryReturn(country, value, awarded_share, share or None, coefficient, band))
    rows.sort(
        key=lambda r: (
            r.contribution_share is None,
            r.coefficient is None,
            r.coefficient or ZERO,
            r.country,
        )
    )
    return ReturnResult(
        rows=rows,
        total_awarded_eur=total,
        years=shares_by_year,
        unconverted=unconverted,
        rates_used=sorted(used.values(), key=lambda r: (r.currency, r.valid_from)),
    )


def trend(
    *,
    contributions: dict[int, dict[str, Decimal]],
    awards: list[AwardValue],
    rates: RateTable,
    bands: Bands,
    years: Iterable[int],
    members: Iterable[str] = (),
) -> dict[int, ReturnResult]:
    """The return of each year on its own (the trend by year)."""
    return {
        year: compute(
            contributions=contributions,
            awards=awards,
            rates=rates,
            bands=bands,
            years=[year],
            members=members,
        )
        for year in sorted(set(years))
    }


def favoured(result: ReturnResult) -> set[str]:
    """The states an infrastructure favours: poorly or very poorly balanced ones."""
    return {r.country for r in result.rows if r.band in FAVOURED_BANDS}
