"""Saved searches of the calls list and their digests, e-mailed daily or weekly: the shared
shape of ``bigscience_portal.core.savedsearches`` for :class:`~tenders.models.SavedSearch`
(each call goes out at most once per search, :class:`~tenders.models.SavedSearchDelivery`).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from bigscience_portal.core import savedsearches
from bigscience_portal.core.savedsearches import clean_querystring  # noqa: F401 (the calls' name)

from .. import selectors
from ..models import SavedSearch, SavedSearchDelivery

DIGEST = savedsearches.Digest(
    model=SavedSearch,
    delivery_model=SavedSearchDelivery,
    item_field="call",
    new_items=selectors.saved_search_new_calls,
    token=selectors.unsubscribe_token,
    subject=lambda count, name: (
        _("%(count)d new call(s) for your search “%(name)s”") % {"count": count, "name": name}
    ),
    template="tenders/email/saved_search_digest.txt",
    items_name="calls",
    key_prefix="tenders.digest",
    unsubscribe_url_name="tenders:saved_search_unsubscribe",
    notification_url=False,
)


def saved_search_create(*, user, name: str, querystring: str, frequency: str) -> SavedSearch:
    return savedsearches.search_create(
        SavedSearch, user=user, name=name, querystring=querystring, frequency=frequency
    )


saved_search_update = savedsearches.search_update
saved_search_delete = savedsearches.search_delete
saved_search_unsubscribe = savedsearches.search_unsubscribe


def saved_search_digest_send(*, search_id: int, now: dt.datetime | None = None) -> int:
    """Queue one search's digest if due; return how many calls it lists (0: no e-mail)."""
    return savedsearches.digest_send(DIGEST, search_id=search_id, now=now)


def saved_search_digests_send(*, now: dt.datetime | None = None) -> int:
    """Every due saved search's digest (daily ones each run, weekly ones after 7 days)."""
    return savedsearches.digests_send(DIGEST, now=now)
