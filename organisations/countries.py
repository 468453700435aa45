"""The countries the portal offers: its member countries first, no uninhabited territories.

Organisations sits below tenders, so the member countries live here and ``tenders.scope``
reuses them (``MEMBER_COUNTRIES``).
"""

from __future__ import annotations

from functools import lru_cache

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

#: EU and EEA member states, Switzerland and the United Kingdom: the members of the research
#: infrastructures the portal serves, where most of its companies are.
MEMBER_COUNTRIES = (
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
    "IS",
    "LI",
    "NO",
    "CH",
    "GB",
)

#: The 27 member states of the European Union.
EU_COUNTRIES = MEMBER_COUNTRIES[:27]

#: The European Economic Area: the EU with Iceland, Liechtenstein and Norway.
EEA_COUNTRIES = MEMBER_COUNTRIES[:30]

#: Territories without a permanent population: no company or buyer is there.
UNINHABITED = frozenset({"AQ", "BV", "GS", "HM", "TF", "UM"})


@lru_cache(maxsize=16)
def _grouped(language: str) -> tuple:
    members = set(MEMBER_COUNTRIES)
    names = [(c.code, str(c.name)) for c in countries if c.code not in UNINHABITED]
    return (
        (str(_("Member countries")), tuple((k, n) for k, n in names if k in members)),
        (str(_("Other countries")), tuple((k, n) for k, n in names if k not in members)),
    )


def country_choices() -> tuple:
    """Country choices grouped for a ``<select>``: the member countries, then the others, each
    group in the alphabetical order of the user's language (built once per language)."""
    return _grouped(get_language() or "en")


def flat_country_choices() -> tuple[tuple[str, str], ...]:
    """The same countries in the same order, without the groups."""
    return tuple(pair for _label, group in country_choices() for pair in group)
