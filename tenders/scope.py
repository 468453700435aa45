"""The portal's interest profile: which public notices belong here.

A notice is in scope when its buyer is one of the profile's buyers (by name, acronym or
registration number), or when one of its CPV codes (main, additional, per lot) falls under a
CPV division or code of the profile and, if the profile lists countries, its buyer or place of
performance is in one of them. A hospital's catering tender (CPV 55) is not.

The profile is the defaults below (or the ``TED_INTEREST_PROFILE`` setting, same shape) plus the
active :class:`~tenders.models.InterestProfileEntry` rows staff edit in the admin.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

# MEMBER_COUNTRIES: EU and EEA member states, Switzerland and the United Kingdom (members of the
# research infrastructures of the profile below), the countries a notice of the profile may come
# from; defined in organisations (below tenders), which offers them first in its country lists.
from organisations.countries import MEMBER_COUNTRIES as MEMBER_COUNTRIES
from tenders.buyers import _fold, _name_variants
from tenders.notices import TedNotice

#: CPV divisions and codes of what research infrastructures buy (sources: the ILO/BSBF Big
#: Science procurement categories and the CPV of the F4E, ESS, ESO and CERN notices in
#: ../shared/data/ted-notices).
DEFAULT_INTEREST_PROFILE: dict[str, list[str]] = {
    "cpv": [
        "09323",  # district heating / cryogenic supply
        "24111",  # industrial gases (helium, nitrogen)
        "31",  # electrical machinery, magnets, power supplies
        "32",  # radio, detectors, communication
        "33111",  # X-ray and radiological equipment
        "35",  # security and radiation-protection equipment
        "38",  # laboratory, optical and precision equipment
        "42",  # industrial machinery: vacuum, cryogenics, cranes
        "44",  # structures, steel, vacuum vessels
        "45214600",  # research-building construction
        "48",  # software
        "50",  # repair and maintenance of equipment
        "71",  # engineering services
        "72",  # IT services
        "73",  # research and development services
    ],
    "buyer": [
        "CERN",
        "European Organization for Nuclear Research",
        "Fusion for Energy",
        "F4E",
        "ITER Organization",
        "European Spallation Source",
        "ESS ERIC",
        "European Southern Observatory",
        "ESO",
        "European Molecular Biology Laboratory",
        "EMBL",
        "Institut Laue-Langevin",
        "ILL",
        "European Synchrotron Radiation Facility",
        "ESRF",
        "European XFEL",
        "Deutsches Elektronen-Synchrotron",
        "DESY",
        "Commissariat à l'énergie atomique et aux énergies alternatives",
        "CEA",
        "GSI Helmholtzzentrum für Schwerionenforschung",
        "Facility for Antiproton and Ion Research",
        "Paul Scherrer Institut",
        "European Space Agency",
        "Joint Research Centre",
    ],
    "country": list(MEMBER_COUNTRIES),
}


@dataclass
class InterestProfile:
    cpv: list[str] = field(default_factory=list)
    buyers: set[str] = field(default_factory=set)  # folded names and identifiers
    countries: set[str] = field(default_factory=set)

    def cpv_match(self, codes) -> str | None:
        for code in codes:
            for prefix in self.cpv:
                if code and code.startswith(prefix):
                    return code
        return None


def interest_profile() -> InterestProfile:
    """The profile now: the settings' (or default) lists and the admin's active entries."""
    from tenders.models import InterestProfileEntry

    base = getattr(settings, "TED_INTEREST_PROFILE", None) or DEFAULT_INTEREST_PROFILE
    cpv, buyers = list(base.get("cpv", [])), list(base.get("buyer", []))
    countries = list(base.get("country", []))
    for kind, value in InterestProfileEntry.objects.filter(is_active=True).values_list(
        "kind", "value"
    ):
        {"cpv": cpv, "buyer": buyers, "country": countries}[kind].append(value.strip())
    folded = set()
    for name in buyers:
        folded |= _name_variants(name)
        folded.add(_fold(name))
    return InterestProfile(
        cpv=sorted({c for c in cpv if c}, key=len, reverse=True),
        buyers={b for b in folded if b},
        countries={c.upper() for c in countries if c},
    )


@dataclass(frozen=True)
class Scope:
    in_scope: bool
    reason: str


def notice_scope(notice: TedNotice, profile: InterestProfile | None = None) -> Scope:
    """Whether ``notice`` belongs to the portal, and why (a sentence for staff)."""
    profile = profile or interest_profile()
    buyer = notice.buyer
    names = _name_variants(buyer.official_name) | {_fold(i) for i in buyer.identifiers or [] if i}
    if names & profile.buyers:
        return Scope(True, f"buyer {buyer.official_name!r} is in the interest profile")
    codes = [
        notice.cpv_main,
        *notice.cpv_additional,
        *(c for lot in notice.lots for c in lot.cpv_codes),
    ]
    code = profile.cpv_match(codes)
    if code is None:
        return Scope(
            False,
            f"neither its buyer ({buyer.official_name}) nor its CPV codes "
            f"({', '.join(c for c in codes if c) or 'none'}) are in the interest profile",
        )
    places = {c for c in [notice.country, *notice.performance_countries] if c}
    if profile.countries and not places & profile.countries:
        return Scope(
            False,
            f"CPV {code} is in the interest profile but its country "
            f"({', '.join(sorted(places)) or 'none'}) is not",
        )
    return Scope(True, f"CPV {code} is in the interest profile")
