"""Saved searches of the opportunities list and their digests, e-mailed daily or weekly: the
shared shape of ``bigscience_portal.core.savedsearches`` for
:class:`~innovation.models.OpportunitySearch` (each opportunity goes out at most once per
search, :class:`~innovation.models.OpportunitySearchDelivery`).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from bigscience_portal.core import savedsearches
from bigscience_portal.core.savedsearches import (  # noqa: F401 (the app's names)
    DIGEST_SIZE,
    NON_FILTER_PARAMS,
    clean_querystring,
)

from .. import selectors
from ..models import OpportunitySearch, OpportunitySearchDelivery

DIGEST = savedsearches.Digest(
    model=OpportunitySearch,
    delivery_model=OpportunitySearchDelivery,
    item_field="opportunity",
    new_items=selectors.search_new_opportunities,
    token=selectors.unsubscribe_token,
    subject=lambda count, name: (
        _("%(count)d new partnership opportunit(ies) for “%(name)s”")
        % {"count": count, "name": name}
    ),
    template="innovation/email/search_digest.txt",
    items_name="opportunities",
    key_prefix="innovation.digest",
    unsubscribe_url_name="innovation:search_unsubscribe",
)


def search_create(*, user, name: str, querystring: str, frequency: str) -> OpportunitySearch:
    return savedsearches.search_create(
        OpportunitySearch, user=user, name=name, querystring=querystring, frequency=frequency
    )


search_update = savedsearches.search_update
search_delete = savedsearches.search_delete
search_unsubscribe = savedsearches.search_unsubscribe


def search_digest_send(*, search_id: int, now: dt.datetime | None = None) -> int:
    """Queue one search's digest if due; how many opportunities it lists (0: no mail)."""
    return savedsearches.digest_send(DIGEST, search_id=search_id, now=now)


def search_digests_send(*, now: dt.datetime | None = None) -> int:
    return savedsearches.digests_send(DIGEST, now=now)
