"""Demo outcomes: real published contribution shares, illustrative rates, and past demo calls
with awards so that the dashboards have something to show. Idempotent.

Contribution shares (real, published; each source is stored with the figures):

- CERN, 2009: the member states' normalised contributions in % of the budget, CERN press office,
  "Facts and figures 2009" (http://press.cern/facts-and-figures/facts-and-figures-2009). They add
  up to 100.00 %. The portal uses them for later years too (the latest figures entered) and the
  page says so.
- ESS, 2014: the construction-cost shares agreed in 2014: Sweden 35 %, Denmark 12.5 %,
  Germany 11 %, United Kingdom 10 %, France 8 %, Italy 6 %, Spain 5 %, as reported from the ESS
  annual report (Research Professional News, April 2015) and by Science (4 July 2014, Germany's
  11 %). A partial table (87.5 %): the other members' shares are not entered.
- ESA, 2020 and 2023: subscriptions at the ministerial councils of 2019 (Germany 22.9 %, France
  18.5 %, Italy 15.9 %; Deutsche Welle, 28 November 2019) and 2022 (Germany 20.66 %, France
  19.01 %, Italy 18.24 %; DLR, 2022). Partial tables: the other states' shares are not entered.
- F4E: no per-country shares were found; the figures are **illustrative** and marked so.

Exchange rates: rounded yearly values of the euro against the Swiss franc and the Danish and
Swedish krone, marked illustrative (not official reference rates).

The demo calls and awards below are fictional (titles end in "(demo)"; the winners are the demo
companies and suppliers named "(demo)").
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from organisations.models import Organisation
from tenders.models import Award, ProcurementCall

from . import services
from .models import Contribution, ContributionSource, ExchangeRate

D = Decimal

CERN_2009 = {
    "AT": "2.24", "BE": "2.77", "BG": "0.22", "CZ": "1.15", "DK": "1.76", "FI": "1.55",
    "FR": "15.34", "DE": "19.88", "GR": "1.96", "HU": "0.78", "IT": "11.51", "NL": "4.79",
    "NO": "2.53", "PL": "2.85", "PT": "1.14", "SK": "0.54", "ES": "8.52", "SE": "2.76",
    "CH": "3.01", "GB": "14.70",
}  # fmt: skip
ESS_2014 = {"SE": "35", "DK": "12.5", "DE": "11", "GB": "10", "FR": "8", "IT": "6", "ES": "5"}
ESA_2020 = {"DE": "22.9", "FR": "18.5", "IT": "15.9"}
ESA_2023 = {"DE": "20.66", "FR": "19.01", "IT": "18.24"}
F4E_ILLUSTRATIVE = {
    "FR": "18", "DE": "17", "IT": "13", "ES": "9", "PL": "5", "NL": "5", "BE": "4", "SE": "4",
    "AT": "3", "DK": "2.5", "CZ": "2", "FI": "2", "PT": "2", "RO": "2", "GR": "1.5",
    "HU": "1.5", "IE": "1.5", "SK": "1", "BG": "1", "HR": "1", "LT": "1", "SI": "1",
    "LV": "0.5", "EE": "0.5", "LU": "0.5", "CY": "0.5", "MT": "0.5",
}  # fmt: skip

SOURCES = [
    (
        "cern",
        2009,
        CERN_2009,
        "CERN press office: Facts and figures 2009, member states' normalised contributions",
        "http://press.cern/facts-and-figures/facts-and-figures-2009",
        False,
    ),
    (
        "ess",
        2014,
        ESS_2014,
        "ESS construction-cost shares agreed in 2014 (ESS annual report 2014 as reported by "
        "Research Professional News; Science, 4 July 2014); partial",
        "",
        False,
    ),
    (
        "esa",
        2020,
        ESA_2020,
        "ESA ministerial council 2019 subscriptions (Deutsche Welle, 28 November 2019); partial",
        "https://www.dw.com/en/european-space-agency-approves-record-budget/a-51457014",
        False,
    ),
    (
        "esa",
        2023,
        ESA_2023,
        "ESA ministerial council 2022 subscriptions (DLR, 2022); partial",
        "https://countdown.dlr.de/2022/10/14/cm22_deutsche_zeichnungen/",
        False,
    ),
    (
        "f4e",
        dt.date.today().year - 2,
        F4E_ILLUSTRATIVE,
        "Illustrative shares for the demo (no published per-country figures were found)",
        "",
        True,
    ),
]

RATES = [  # (currency, first day, euros per unit): rounded, illustrative
    ("CHF", 2022, "1.00"),
    ("CHF", 2023, "1.03"),
    ("CHF", 2024, "1.05"),
    ("CHF", 2025, "1.06"),
    ("DKK", 2022, "0.1344"),
    ("SEK", 2022, "0.094"),
    ("SEK", 2024, "0.087"),
]

#: past demo calls and their awards: (buyer, reference, title, currency, [(winner, country,
#: value, days ago)]) ; a winner "@demo:CC" is the first demo company of country CC
AWARDED = [
    ("cern", "OUT-DEMO-CERN-1", "Cryogenic transfer lines for a test string (demo)", "CHF", [
        ("@demo:DK", "DK", "1850000", 420), ("Alpen Kryotechnik AG (demo)", "CH", "2400000", 400),
        ("Rheinland Vakuum GmbH (demo)", "DE", "3100000", 380),
    ]),
    ("cern", "OUT-DEMO-CERN-2", "Precision-machined RF cavities (demo)", "CHF", [
        ("Officine Lombarde SpA (demo)", "IT", "2750000", 300), ("Atelier Rhône SAS (demo)", "FR", "1900000", 250),
        ("@demo:ES", "ES", "650000", 200), ("Delft Precision BV (demo)", "NL", "880000", 150),
    ]),
    ("cern", "OUT-DEMO-CERN-3", "Vacuum chambers for a beam line (demo)", "CHF", [
        ("@demo:FI", "FI", "310000", 120), ("Wessex Engineering Ltd (demo)", "GB", "2050000", 90),
    ]),
    ("f4e", "OUT-DEMO-F4E-1", "Remote-handling tooling prototypes (demo)", "EUR", [
        ("@demo:DK", "DK", "920000", 330), ("Iberia Fusión SL (demo)", "ES", "1450000", 310),
        ("Provence Industries SA (demo)", "FR", "2600000", 280),
    ]),
    ("ess", "OUT-DEMO-ESS-1", "Neutron beam-line shielding blocks (demo)", "SEK", [
        ("Skåne Stål AB (demo)", "SE", "21000000", 260), ("@demo:DK", "DK", "6500000", 230),
    ]),
]  # fmt: skip


def _infrastructure(slug: str) -> Organisation | None:
    return Organisation.objects.filter(
        slug=slug, kind=Organisation.Kind.RESEARCH_INFRASTRUCTURE
    ).first()


def _load_figures() -> int:
    created = 0
    for slug, year, shares, title, url, illustrative in SOURCES:
        infrastructure = _infrastructure(slug)
        if (
            infrastructure is None
            or Contribution.objects.filter(infrastructure=infrastructure, year=year).exists()
        ):
            continue
        source = ContributionSource.objects.create(
            infrastructure=infrastructure, title=title, url=url, illustrative=illustrative
        )
        Contribution.objects.bulk_create(
            Contribution(
                infrastructure=infrastructure,
                country=country,
                year=year,
                share_percent=D(share),
                source=source,
            )
            for country, share in shares.items()
        )
        created += 1
    for currency, year, value in RATES:
        ExchangeRate.objects.get_or_create(
            currency=currency,
            valid_from=dt.date(year, 1, 1),
            defaults={"eur_per_unit": D(value), "source": "Rounded yearly value (illustrative)"},
        )
    return created


def _winner(name: str, country: str) -> tuple[Organisation | None, str]:
    if name.startswith("@demo:"):
        org = (
            Organisation.objects.filter(
                is_demo=True, country=country, kind__in=Organisation.COMPANY_KINDS
            )
            .order_by("slug" if country != "DK" else "-slug")
            .first()
        )
        if country == "DK":
            org = Organisation.objects.filter(slug="demo-nordcryo-aps").first() or org
        return org, (org.name if org else f"Demo supplier {country} (demo)")
    return None, name


def _load_awards() -> int:
    created = 0
    today = timezone.localdate()
    for slug, reference, title, currency, awards in AWARDED:
        buyer = _infrastructure(slug)
        if (
            buyer is None
            or ProcurementCall.objects.filter(buyer=buyer, reference=reference).exists()
        ):
            continue
        first = max(days for *_rest, days in awards)
        call = ProcurementCall.objects.create(
            buyer=buyer,
            reference=reference,
            title=title,
            description="A past call of the demo data, with its awards.",
            status=ProcurementCall.Status.AWARDED,
            value_currency=currency,
            published_at=timezone.now() - dt.timedelta(days=first + 90),
            tender_period_end=timezone.now() - dt.timedelta(days=first + 30),
            country=buyer.country,
        )
        for i, (name, country, value, days) in enumerate(awards, start=1):
            org, supplier_name = _winner(name, country)
            Award.objects.create(
                call=call,
                lot_number=str(i),
                supplier=org,
                supplier_name=supplier_name,
                supplier_country=country,
                value_amount=D(value),
                value_currency=currency,
                date=today - dt.timedelta(days=days),
            )
        created += 1
    return created


@transaction.atomic
def load(stdout=None) -> None:
    sources = _load_figures()
    calls = _load_awards()
    seen = services.funnel_rebuild()
    if stdout is not None:
        stdout.write(
            f"Outcomes: {sources} contribution tables and {calls} awarded demo calls added; "
            f"{seen} records read into the funnel.\n"
        )
