"""The pure value-band module (``tenders.value_bands``): bands in CHF from any known currency."""

from decimal import Decimal

import pytest

from tenders import value_bands


@pytest.mark.parametrize(
    ("amount", "currency", "band"),
    [
        ("700000", "CHF", "A"),
        ("750000", "CHF", "B"),
        ("10000000", "CHF", "C"),
        ("10000001", "CHF", "D"),
        ("2000000", "EUR", "B"),
        # 780 kEUR is 734 kCHF at 0.9412: below the 750 kCHF line, although above it in EUR
        ("780000", "EUR", "A"),
        ("6000000", "usd", "C"),
        ("100000000", "SEK", "C"),
    ],
)
def test_band_of_an_amount(amount, currency, band):
    assert value_bands.band_for(Decimal(amount), currency) == band


def test_no_band_without_an_amount_or_for_an_unknown_currency():
    assert value_bands.band_for(None, "EUR") == ""
    assert value_bands.band_for(Decimal("1000"), "XYZ") == ""


def test_to_chf_uses_the_stated_rates():
    assert value_bands.to_chf(Decimal("1000"), "EUR") == Decimal("941.2")
    assert value_bands.to_chf(Decimal("941.2"), "CHF") == Decimal("941.2")
    assert value_bands.RATES_DATE == "2024-12-31"


def test_contradiction_only_when_both_band_and_value_say_something():
    assert value_bands.contradicts("A", Decimal("2000000"), "EUR")
    assert not value_bands.contradicts("B", Decimal("2000000"), "EUR")
    assert not value_bands.contradicts("", Decimal("2000000"), "EUR")
    assert not value_bands.contradicts("A", None, "EUR")
    assert not value_bands.contradicts("A", Decimal("2000000"), "XYZ")
