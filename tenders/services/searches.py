"""Saved searches of the calls list and their digests, e-mailed daily or weekly: the shared
shape of ``bigscience_portal.core.savedsearches`` for :class:`~tenders.models.SavedSearch`
(each call goes out at most once per search, :class:`~tenders.models.SavedSearchDelivery`).
"""

from __future__ import annotations

from functools import partial

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


# the shared services, bound to the calls' saved search and its digest
saved_search_create = partial(savedsearches.search_create, SavedSearch)
saved_search_update = savedsearches.search_update
saved_search_delete = savedsearches.search_delete
saved_search_unsubscribe = savedsearches.search_unsubscribe
#: queue one search's digest if due; how many calls it lists (0: no e-mail)
saved_search_digest_send = partial(savedsearches.digest_send, DIGEST)
#: every due saved search's digest (daily ones each run, weekly ones after 7 days)
saved_search_digests_send = partial(savedsearches.digests_send, DIGEST)
