"""What matchmaking asks the outcomes app (``matchmaking.hooks``): whom a call's buyer favours,
and the sentence a company's reasons get when it is one of them."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_countries import countries

from . import caches, selectors, services


def _favoured_by_buyer(buyer) -> set[str]:
    if not buyer.is_infrastructure or not buyer.member_states:
        return set()
    key = f"favoured:{buyer.pk}"
    found = caches.get(key)
    if found is None:
        settings = services.return_settings_for(buyer)
        if not settings.favours_poorly_balanced:
            found = set()
        else:
            found = selectors.favoured_by(buyer, settings.bands, settings.window_years)
        caches.put(key, found)
    return set(found)


def favoured_countries(call) -> set[str]:
    """The ISO codes of the poorly balanced member states of the call's buyer."""
    return _favoured_by_buyer(call.buyer)


def reason_note(company, call, *, audience: str = "company") -> str | None:
    """ "Denmark is poorly balanced at CERN: CERN favours firms from Denmark." (words, no
    figures) when the company's country is one the buyer favours."""
    country = str(company.country or "")
    if not country or country not in _favoured_by_buyer(call.buyer):
        return None
    buyer = call.buyer.acronym or call.buyer.name
    return _(
        "%(country)s is poorly balanced at %(buyer)s: %(buyer)s favours firms from %(country)s."
    ) % {
        "country": countries.name(country),
        "buyer": buyer,
    }
