"""Saved searches and their digests: the filters of the calls list, e-mailed daily or weekly.

A digest lists the calls the search found since its last one; each call goes out at most once
per search (:class:`~tenders.models.SavedSearchDelivery`), and the mail is queued in the same
transaction as those deliveries (``core.mail.mail_queue``), keyed by the search and the calls it
lists: a rerun of the task, or a retry after a failure, mails nobody twice and forgets no one.
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
from ..models import SavedSearch, SavedSearchDelivery

#: Query parameters that describe the page, not the search.
NON_FILTER_PARAMS = {"page", "per_page", "csrfmiddlewaretoken", "name", "frequency"}
#: A digest lists at most this many calls (the oldest first; the rest go out next time).
DIGEST_SIZE = 50


def clean_querystring(querystring: str) -> str:
    """The filters of a list querystring, without what describes the page."""
    pairs = [
        (k, v)
        for k, v in parse_qsl(querystring.lstrip("?"), keep_blank_values=False)
        if k not in NON_FILTER_PARAMS
    ]
    return urlencode(pairs)


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


@transaction.atomic
def saved_search_create(*, user, name: str, querystring: str, frequency: str) -> SavedSearch:
    if frequency not in SavedSearch.Frequency.values:
        raise ActionRefused(_("Choose a daily or weekly digest."), field="frequency")
    return SavedSearch.objects.create(
        user=user,
        name=name.strip()[:120] or _("My search"),
        querystring=clean_querystring(querystring)[:2000],
        frequency=frequency,
    )


@transaction.atomic
def saved_search_delete(*, search: SavedSearch) -> None:
    search.delete()


@transaction.atomic
def saved_search_unsubscribe(*, search: SavedSearch) -> SavedSearch:
    search.is_active = False
    search.save(update_fields=["is_active"])
    return search


def _digest_key(search: SavedSearch, calls) -> str:
    listed = ",".join(str(c.pk) for c in calls).encode()
    return f"tenders.digest:search={search.pk}:calls={hashlib.sha256(listed).hexdigest()[:24]}"


def saved_search_digest_send(*, search_id: int, now: dt.datetime | None = None) -> int:
    """Queue one search's digest if due; return how many calls it lists (0: no e-mail)."""
    now = now or timezone.now()
    with transaction.atomic():
        search = (
            SavedSearch.objects.select_for_update().select_related("user").filter(pk=search_id)
        ).first()
        if search is None or not selectors.saved_search_is_due(search, now):
            return 0
        calls = list(selectors.saved_search_new_calls(search)[:DIGEST_SIZE])
        search.last_sent_at = now
        search.save(update_fields=["last_sent_at"])
        if not calls or not search.user.email:
            return 0
        SavedSearchDelivery.objects.bulk_create(
            [SavedSearchDelivery(search=search, call=c) for c in calls], ignore_conflicts=True
        )
        token = selectors.unsubscribe_token(search)
        mail_queue(
            key=_digest_key(search, calls),
            to=[search.user],
            subject=_("%(count)d new call(s) for your search “%(name)s”")
            % {"count": len(calls), "name": search.name},
            template="tenders/email/saved_search_digest.txt",
            context={
                "search": search,
                "calls": [(c, _absolute(c.get_absolute_url())) for c in calls],
                "search_url": _absolute(search.get_absolute_url()),
                "unsubscribe_url": _absolute(
                    reverse("tenders:saved_search_unsubscribe", kwargs={"token": token})
                ),
            },
        )
    return len(calls)


def saved_search_digests_send(*, now: dt.datetime | None = None) -> int:
    """Every due saved search's digest (daily ones each run, weekly ones after 7 days)."""
    now = now or timezone.now()
    sent = 0
    for pk in SavedSearch.objects.filter(is_active=True).values_list("pk", flat=True):
        if saved_search_digest_send(search_id=pk, now=now):
            sent += 1
    return sent
