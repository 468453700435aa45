"""CERN's value bands (in CHF) of an amount in any currency the portal converts: pure Python.

A call's band is derived from its estimated value and currency; the band is an order of size, so
fixed reference rates are enough. The rates are the euro foreign exchange reference rates of the
European Central Bank of **31 December 2024** (source: ECB, "Euro foreign exchange reference
rates", https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/):
units of each currency for one euro. They were entered by hand, without the table at hand (the
build machine has no network), and are to be checked against it before they serve for anything
but the band.
"""

from __future__ import annotations

from decimal import Decimal

#: Units of a currency per euro, ECB reference rates of 31 December 2024.
EUR_RATES: dict[str, Decimal] = {
    "EUR": Decimal("1"),
    "CHF": Decimal("0.9412"),
    "USD": Decimal("1.0389"),
    "GBP": Decimal("0.82918"),
    "JPY": Decimal("163.06"),
    "SEK": Decimal("11.4590"),
    "DKK": Decimal("7.4578"),
    "NOK": Decimal("11.7950"),
    "PLN": Decimal("4.2750"),
    "CZK": Decimal("25.185"),
    "HUF": Decimal("411.35"),
    "RON": Decimal("4.9743"),
    "BGN": Decimal("1.9558"),
}
RATES_DATE = "2024-12-31"

#: The bands' lower bounds in CHF, highest first (A: below 0.75 MCHF ... D: above 10 MCHF).
LOWER_BOUNDS_CHF: tuple[tuple[str, Decimal], ...] = (
    ("D", Decimal("10000000")),
    ("C", Decimal("5000000")),
    ("B", Decimal("750000")),
    ("A", Decimal("0")),
)


def to_chf(amount: Decimal, currency: str) -> Decimal | None:
    """``amount`` of ``currency`` in CHF at the fixed rates, or None for a currency not known."""
    rate = EUR_RATES.get((currency or "").strip().upper())
    if rate is None:
        return None
    return Decimal(amount) / rate * EUR_RATES["CHF"]


def band_for(amount: Decimal | None, currency: str | None) -> str:
    """The band ("A" to "D") of ``amount`` in ``currency``; "" without an amount or for a
    currency without a rate. A value of exactly 10 MCHF is still band C."""
    if amount is None:
        return ""
    chf = to_chf(Decimal(amount), currency or "EUR")
    if chf is None:
        return ""
    for band, lower in LOWER_BOUNDS_CHF:
        if chf > lower or (chf == lower and band != "D"):
            return band
    return "A"


def contradicts(band: str, amount: Decimal | None, currency: str | None) -> bool:
    """Whether an entered ``band`` disagrees with the band of the value (never without a band or
    without a value the band can be derived from)."""
    derived = band_for(amount, currency)
    return bool(band and derived and band != derived)
