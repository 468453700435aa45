"""The return coefficient and its bands on hand-made figures (outcomes.industrial_return)."""

import datetime as dt
from decimal import Decimal as D

from outcomes.industrial_return import (
    NO_AWARDS,
    NO_CONTRIBUTION,
    POORLY_BALANCED,
    VERY_POORLY_BALANCED,
    WELL_BALANCED,
    AwardValue,
    Bands,
    Rate,
    RateTable,
    compute,
    favoured,
    trend,
    year_shares,
)

DAY = dt.date(2024, 6, 1)
NO_RATES = RateTable()
CERN_BANDS = Bands()


def eur(country, amount, day=DAY):
    return AwardValue(country, D(amount), "EUR", day)


def run(contributions, awards, *, rates=NO_RATES, bands=CERN_BANDS, years=(2024,), members=()):
    return compute(
        contributions=contributions,
        awards=awards,
        rates=rates,
        bands=bands,
        years=years,
        members=members,
    )


class TestCoefficient:
    def test_share_of_awards_over_share_of_contributions(self):
        result = run({2024: {"DE": D(50), "DK": D(50)}}, [eur("DE", 800_000), eur("DK", 200_000)])
        assert result.row("DE").coefficient == D("1.60")
        assert result.row("DK").coefficient == D("0.40")
        assert result.row("DE").band == WELL_BALANCED
        # 0.40 is not below 0.40: poorly, not very poorly balanced
        assert result.row("DK").band == POORLY_BALANCED
        assert result.total_awarded_eur == D(1_000_000)

    def test_bands_are_the_infrastructures(self):
        figures = {2024: {"DE": D(50), "DK": D(50)}}
        awards = [eur("DE", 900), eur("DK", 100)]
        assert run(figures, awards).row("DK").band == VERY_POORLY_BALANCED  # 0.20 < 0.40
        lenient = Bands(poor=D("0.50"), very_poor=D("0.10"))
        assert run(figures, awards, bands=lenient).row("DK").band == POORLY_BALANCED
        assert run(figures, awards, bands=lenient).row("DE").band == WELL_BALANCED

    def test_shares_above_100_percent_are_scaled_down(self):
        # rounded published shares that add up to 102 %: each is taken out of 102
        figures = {2024: {"DE": D(51), "DK": D(51)}}
        result = run(figures, [eur("DE", 500), eur("DK", 500)])
        assert result.row("DE").contribution_share == D("0.5")
        assert result.row("DE").coefficient == D("1.00")
        assert result.years[2024].scaled is True
        assert result.years[2024].entered_total == D(102)

    def test_shares_below_100_percent_are_taken_as_they_are(self):
        # a partial table (only two of the states entered, 60 % in all): DE's 40 % stays 40 %,
        # it is not blown up to two thirds
        figures = {2024: {"DE": D(40), "DK": D(20)}}
        result = run(figures, [eur("DE", 400), eur("DK", 100), eur("FR", 500)])
        assert result.row("DE").contribution_share == D("0.4")
        assert result.row("DE").coefficient == D("1.00")  # 40 % of the value / 40 %
        assert result.row("DK").coefficient == D("0.50")  # 10 % / 20 %
        assert result.years[2024].scaled is False

    def test_a_country_with_awards_and_no_contribution(self):
        figures = {2024: {"DE": D(100)}}
        result = run(figures, [eur("DE", 600), eur("US", 400)])
        us = result.row("US")
        assert us.coefficient is None
        assert us.band == NO_CONTRIBUTION
        assert us.awarded_share == D("0.4")
        # its value counts in the total: DE won 60 % of it for all of the contributions
        assert result.row("DE").coefficient == D("0.60")
        assert us not in favoured_rows(result)
        assert result.rows[-1].country == "US"  # the states that contribute come first

    def test_a_period_with_no_awards(self):
        result = run({2024: {"DE": D(60), "DK": D(40)}}, [])
        assert not result.has_awards
        for country in ("DE", "DK"):
            assert result.row(country).coefficient is None
            assert result.row(country).band == NO_AWARDS
        assert favoured(result) == set()  # no awards makes nobody poorly balanced

    def test_awards_outside_the_period_do_not_count(self):
        figures = {2023: {"DE": D(50), "DK": D(50)}}
        awards = [eur("DE", 100, dt.date(2023, 3, 1)), eur("DK", 900, dt.date(2025, 1, 1))]
        result = run(figures, awards, years=[2023])
        assert result.row("DE").coefficient == D("2.00")
        assert result.row("DK").coefficient == D("0.00")
        assert result.row("DK").band == VERY_POORLY_BALANCED

    def test_a_member_state_without_figures_is_listed(self):
        result = run({2024: {"DE": D(100)}}, [eur("DE", 1)], members=["DE", "SI"])
        assert result.row("SI").band == NO_CONTRIBUTION

    def test_a_year_without_figures_takes_the_latest_earlier_ones(self):
        figures = {2009: {"DE": D("19.88"), "DK": D("1.76")}}
        result = run(figures, [eur("DK", 100)], years=[2024])
        assert result.years[2024].from_year == 2009
        assert result.row("DK").contribution_share == D("0.0176")

    def test_a_period_of_years_takes_the_mean_share(self):
        figures = {2023: {"DK": D(2)}, 2024: {"DK": D(4)}}
        awards = [eur("DK", 3, dt.date(2023, 5, 1)), eur("XX", 97, dt.date(2024, 5, 1))]
        result = run(figures, awards, years=[2023, 2024])
        assert result.row("DK").contribution_share == D("0.03")
        assert result.row("DK").coefficient == D("1.00")

    def test_trend_gives_each_year_its_own_coefficient(self):
        figures = {2023: {"DE": D(50), "DK": D(50)}}
        awards = [
            eur("DE", 50, dt.date(2023, 2, 1)),
            eur("DK", 50, dt.date(2023, 2, 1)),
            eur("DE", 90, dt.date(2024, 2, 1)),
            eur("DK", 10, dt.date(2024, 2, 1)),
        ]
        by_year = trend(
            contributions=figures, awards=awards, rates=NO_RATES, bands=Bands(), years=[2023, 2024]
        )
        assert by_year[2023].row("DK").coefficient == D("1.00")
        assert by_year[2024].row("DK").coefficient == D("0.20")


def favoured_rows(result):
    return [r for r in result.rows if r.band in (POORLY_BALANCED, VERY_POORLY_BALANCED)]


class TestCurrencies:
    RATES = RateTable(
        [
            Rate("CHF", dt.date(2024, 1, 1), D("1.05"), "ECB 2 Jan 2024"),
            Rate("CHF", dt.date(2024, 7, 1), D("1.10"), "ECB 1 Jul 2024"),
            Rate("DKK", dt.date(2024, 1, 1), D("0.134"), "ECB"),
        ]
    )

    def test_the_rate_of_a_day_is_the_latest_valid_on_it(self):
        assert self.RATES.rate_on("CHF", dt.date(2024, 6, 30)).eur_per_unit == D("1.05")
        assert self.RATES.rate_on("CHF", dt.date(2024, 7, 1)).eur_per_unit == D("1.10")
        assert self.RATES.rate_on("chf", dt.date(2025, 1, 1)).eur_per_unit == D("1.10")
        assert self.RATES.rate_on("CHF", dt.date(2023, 12, 31)) is None
        assert self.RATES.rate_on("EUR", dt.date(1999, 1, 1)).eur_per_unit == 1

    def test_awards_are_converted_with_the_rate_of_their_date(self):
        awards = [
            AwardValue("CH", D(1000), "CHF", dt.date(2024, 3, 1)),  # 1,050 EUR
            AwardValue("CH", D(1000), "CHF", dt.date(2024, 9, 1)),  # 1,100 EUR
            AwardValue("DK", D(10000), "DKK", dt.date(2024, 3, 1)),  # 1,340 EUR
            AwardValue("DE", D(510), "EUR", dt.date(2024, 3, 1)),
        ]
        result = run({2024: {"CH": D(25), "DK": D(25), "DE": D(50)}}, awards, rates=self.RATES)
        assert result.row("CH").awarded_eur == D(2150)
        assert result.row("DK").awarded_eur == D(1340)
        assert result.total_awarded_eur == D(4000)
        assert result.row("DE").coefficient == D("0.26")  # 510/4000 / 0.5
        assert [(r.currency, r.valid_from) for r in result.rates_used] == [
            ("CHF", dt.date(2024, 1, 1)),
            ("CHF", dt.date(2024, 7, 1)),
            ("DKK", dt.date(2024, 1, 1)),
        ]

    def test_an_award_without_a_rate_is_left_out_and_reported(self):
        awards = [
            AwardValue("CH", D(1000), "CHF", dt.date(2023, 12, 1)),  # before the first rate
            AwardValue("DE", D(100), "EUR", dt.date(2023, 12, 1)),
        ]
        result = run({2023: {"CH": D(50), "DE": D(50)}}, awards, rates=self.RATES, years=[2023])
        assert result.unconverted == [awards[0]]
        assert result.total_awarded_eur == D(100)
        assert result.row("DE").coefficient == D("2.00")


def test_year_shares_of_an_empty_year():
    ys = year_shares(2024, {})
    assert ys.shares == {} and ys.entered_total == 0
