"""Saved searches of the opportunities list and their digests, e-mailed daily or weekly: the
shared shape of ``bigscience_portal.core.savedsearches`` for
:class:`~innovation.models.OpportunitySearch` (each opportunity goes out at most once per
search, :class:`~innovation.models.OpportunitySearchDelivery`).
"""

from __future__ import annotations

from functools import partial

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


# the shared services, bound to the opportunities' saved search and its digest
search_create = partial(savedsearches.search_create, OpportunitySearch)
search_update = savedsearches.search_update
search_delete = savedsearches.search_delete
search_unsubscribe = savedsearches.search_unsubscribe
#: queue one search's digest if due; how many opportunities it lists (0: no mail)
search_digest_send = partial(savedsearches.digest_send, DIGEST)
search_digests_send = partial(savedsearches.digests_send, DIGEST)
