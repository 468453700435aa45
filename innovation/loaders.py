"""Opportunities as the matching engine's plain profiles, in a fixed number of queries.

An opportunity becomes a :class:`~matchmaking.engine.CallProfile` (the engine's "need" side), as
``matchmaking.loaders`` makes one of a call: its organisation is the "buyer" (a company's
reference with it counts in the track record), its target countries are the countries a partner
may come from (a hard rule, as a call's eligible countries), its CPV codes the codes, its text
the title, summary, description and the partnership sought. Its validity is the deadline: an
opportunity past its expiry is excluded by the engine as well as left out here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.utils import timezone

from matchmaking.engine import CallProfile
from matchmaking.loaders import country_codes

from .models import PartnershipOpportunity


def _end_of(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def matchable(today: dt.date | None = None):
    """Opportunities the engine matches: the public, live ones (see ``public()``)."""
    return PartnershipOpportunity.objects.public(today)


def load_opportunities(ids: Iterable[int] | None = None, *, today=None) -> list[CallProfile]:
    """Engine profiles of the matchable opportunities (or of those ``ids`` among them)."""
    qs = matchable(today)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    rows = list(
        qs.order_by("pk").values_list(
            "pk",
            "organisation_id",
            "expires_on",
            "target_countries",
            "title",
            "summary",
            "description",
            "partnership_types",
        )
    )
    if not rows:
        return []
    codes = defaultdict(list)
    for opp_id, code in (
        PartnershipOpportunity.cpv_codes.through.objects.filter(partnershipopportunity__in=qs)
        .order_by("partnershipopportunity_id", "cpvcode_id")
        .values_list("partnershipopportunity_id", "cpvcode_id")
    ):
        codes[opp_id].append(code)
    out = []
    for pk, org_id, expires_on, countries, title, summary, description, _types in rows:
        own = codes[pk]
        out.append(
            CallProfile(
                id=pk,
                buyer_id=org_id,
                status="published",
                deadline=_end_of(expires_on),
                eligible_countries=country_codes(countries),
                cpv_main=own[0] if own else None,
                cpv_additional=tuple(own[1:]),
                title=title or "",
                description="\n".join(p for p in (summary, description) if p),
            )
        )
    return out
