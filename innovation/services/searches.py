"""Saved searches of the opportunities list and their digests (the shape of the calls'
``tenders.services.searches``): the list's filters, e-mailed daily or weekly.

A digest lists the opportunities the search found since its last one; each goes out at most
once per search (:class:`~innovation.models.OpportunitySearchDelivery`), and the mail is queued
in the same transaction as those deliveries, keyed by the search and what it lists.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bigscience_portal.core.errors import ActionRefused
from bigscience_portal.core.mail import mail_queue

from .. import selectors
from ..models import OpportunitySearch, OpportunitySearchDelivery

NON_FILTER_PARAMS = {"page", "per_page", "csrfmiddlewaretoken", "name", "frequency"}
DIGEST_SIZE = 50


def clean_querystring(querystring: str) -> str:
    pairs = [
        (k, v)
        for k, v in parse_qsl(querystring.lstrip("?"), keep_blank_values=False)
        if k not in NON_FILTER_PARAMS
    ]
    return urlencode(pairs)


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


@transaction.atomic
def search_create(*, user, name: str, querystring: str, frequency: str) -> OpportunitySearch:
    if frequency not in OpportunitySearch.Frequency.values:
        raise ActionRefused(_("Choose a daily or weekly digest."), field="frequency")
    return OpportunitySearch.objects.create(
        user=user,
        name=name.strip()[:120] or _("My search"),
        querystring=clean_querystring(querystring)[:2000],
        frequency=frequency,
    )


@transaction.atomic
def search_delete(*, search: OpportunitySearch) -> None:
    search.delete()


@transaction.atomic
def search_unsubscribe(*, search: OpportunitySearch) -> OpportunitySearch:
    search.is_active = False
    search.save(update_fields=["is_active"])
    return search


def _digest_key(search: OpportunitySearch, opportunities) -> str:
    listed = ",".join(str(o.pk) for o in opportunities).encode()
    digest = hashlib.sha256(listed).hexdigest()[:24]
    return f"innovation.digest:search={search.pk}:opportunities={digest}"


def search_digest_send(*, search_id: int, now: dt.datetime | None = None) -> int:
    """Queue one search's digest if due; how many opportunities it lists (0: no mail)."""
    now = now or timezone.now()
    with transaction.atomic():
        search = (
            OpportunitySearch.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=search_id)
        ).first()
        if search is None or not selectors.search_is_due(search, now):
            return 0
        found = list(selectors.search_new_opportunities(search)[:DIGEST_SIZE])
        search.last_sent_at = now
        search.save(update_fields=["last_sent_at"])
        if not found or not search.user.email:
            return 0
        OpportunitySearchDelivery.objects.bulk_create(
            [OpportunitySearchDelivery(search=search, opportunity=o) for o in found],
            ignore_conflicts=True,
        )
        token = selectors.unsubscribe_token(search)
        mail_queue(
            key=_digest_key(search, found),
            to=[search.user],
            subject=_("%(count)d new partnership opportunit(ies) for “%(name)s”")
            % {"count": len(found), "name": search.name},
            template="innovation/email/search_digest.txt",
            context={
                "search": search,
                "opportunities": [(o, _absolute(o.get_absolute_url())) for o in found],
                "search_url": _absolute(search.get_absolute_url()),
                "unsubscribe_url": _absolute(
                    reverse("innovation:search_unsubscribe", kwargs={"token": token})
                ),
            },
            url=search.get_absolute_url(),
        )
    return len(found)


def search_digests_send(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    sent = 0
    for pk in OpportunitySearch.objects.filter(is_active=True).values_list("pk", flat=True):
        if search_digest_send(search_id=pk, now=now):
            sent += 1
    return sent
