"""Saved searches and their digests, for any list: the one shape behind the calls' and the
opportunities' saved searches (a :class:`~bigscience_portal.core.models.SavedSearchBase`).

A digest lists what the search found since its last one; each item goes out at most once per
search (the app's delivery model), and the mail is queued in the same transaction as those
deliveries (``core.mail.mail_queue``), keyed by the search and the items it lists: a rerun of
the task, or a retry after a failure, mails nobody twice and forgets no one.

An app describes its searches with a :class:`Digest` and wraps these functions under its own
names; the app's selectors give the query of what is new.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import ActionRefused
from .mail import mail_queue
from .models import SavedSearchBase

#: Query parameters that describe the page, not the search.
#: (``edit_search``: which saved search the list edits the filters of)
NON_FILTER_PARAMS = {
    "page",
    "per_page",
    "csrfmiddlewaretoken",
    "name",
    "frequency",
    SavedSearchBase.EDIT_PARAM,
}
#: A digest lists at most this many items (the oldest first; the rest go out next time).
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


# --- reads ------------------------------------------------------------------------------------


def unsubscribe_token(search, *, salt: str) -> str:
    """The signed token of a digest's unsubscribe link (no login needed)."""
    return signing.dumps({"id": search.pk, "t": search.token}, salt=salt)


def search_for_token(model, token: str, *, salt: str):
    """The search of an unsubscribe token, or None if the token is forged or stale."""
    try:
        data = signing.loads(token, salt=salt)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return model.objects.filter(pk=data.get("id"), token=data.get("t")).first()


def search_is_due(search, now: dt.datetime) -> bool:
    if not search.is_active:
        return False
    if search.last_sent_at is None:
        return True
    # An hour of slack so that a beat run a little early still counts as "a day later".
    period = dt.timedelta(days=1 if search.frequency == search.Frequency.DAILY else 7)
    return now - search.last_sent_at >= period - dt.timedelta(hours=1)


# --- writes -----------------------------------------------------------------------------------


@transaction.atomic
def search_create(model, *, user, name: str, querystring: str, frequency: str):
    if frequency not in model.Frequency.values:
        raise ActionRefused(_("Choose a daily or weekly digest."), field="frequency")
    return model.objects.create(
        user=user,
        name=name.strip()[:120] or _("My search"),
        querystring=clean_querystring(querystring)[:2000],
        frequency=frequency,
    )


@transaction.atomic
def search_update(*, search, name: str, frequency: str, querystring: str):
    """Change a search's name, digest frequency and filters (the list's querystring)."""
    if frequency not in search.Frequency.values:
        raise ActionRefused(_("Choose a daily or weekly digest."), field="frequency")
    search.name = name.strip()[:120] or search.name
    search.frequency = frequency
    search.querystring = clean_querystring(querystring)[:2000]
    search.save(update_fields=["name", "frequency", "querystring"])
    return search


@transaction.atomic
def search_delete(*, search) -> None:
    search.delete()


@transaction.atomic
def search_unsubscribe(*, search):
    search.is_active = False
    search.save(update_fields=["is_active"])
    return search


@dataclass(frozen=True)
class Digest:
    """How an app's saved searches are mailed."""

    #: the concrete saved search and the model of what each digest sent (``search``, ``item``)
    model: type
    delivery_model: type
    #: the delivery model's foreign key to an item (``call``, ``opportunity``)
    item_field: str
    #: the items the search finds that were never sent for it, the oldest first
    new_items: Callable
    #: the signed unsubscribe token of a search
    token: Callable
    #: the mail's subject for (count, name), its template, and the template's name of the items
    subject: Callable[[int, str], str]
    template: str
    items_name: str
    #: the mail key's prefix (``tenders.digest``) and the URL name of the unsubscribe page
    key_prefix: str
    unsubscribe_url_name: str
    #: whether the mail's notification links to the search's list
    notification_url: bool = True

    def key(self, search, items) -> str:
        listed = ",".join(str(i.pk) for i in items).encode()
        digest = hashlib.sha256(listed).hexdigest()[:24]
        return f"{self.key_prefix}:search={search.pk}:{self.items_name}={digest}"


def digest_send(digest: Digest, *, search_id: int, now: dt.datetime | None = None) -> int:
    """Queue one search's digest if due; return how many items it lists (0: no e-mail)."""
    now = now or timezone.now()
    with transaction.atomic():
        search = (
            digest.model.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=search_id)
        ).first()
        if search is None or not search_is_due(search, now):
            return 0
        items = list(digest.new_items(search)[:DIGEST_SIZE])
        search.last_sent_at = now
        search.save(update_fields=["last_sent_at"])
        if not items or not search.user.email:
            return 0
        digest.delivery_model.objects.bulk_create(
            [digest.delivery_model(search=search, **{digest.item_field: i}) for i in items],
            ignore_conflicts=True,
        )
        token = digest.token(search)
        mail_queue(
            key=digest.key(search, items),
            to=[search.user],
            subject=lambda: digest.subject(len(items), search.name),
            template=digest.template,
            context={
                "search": search,
                digest.items_name: [(i, _absolute(i.get_absolute_url())) for i in items],
                "search_url": _absolute(search.get_absolute_url()),
                "unsubscribe_url": _absolute(
                    reverse(digest.unsubscribe_url_name, kwargs={"token": token})
                ),
            },
            url=search.get_absolute_url() if digest.notification_url else "",
        )
    return len(items)


def digests_send(digest: Digest, *, now: dt.datetime | None = None) -> int:
    """Every due search's digest (daily ones each run, weekly ones after 7 days)."""
    now = now or timezone.now()
    sent = 0
    for pk in digest.model.objects.filter(is_active=True).values_list("pk", flat=True):
        if digest_send(digest, search_id=pk, now=now):
            sent += 1
    return sent
