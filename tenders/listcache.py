"""A short-lived cache of the calls list's HTML for anonymous visitors.

What is cached: the whole rendered list page (``/calls/?...``) for visitors who are not logged in
and have no pending flash messages, keyed by the language, the full querystring and a *version*.
For how long: ``PAGE_TTL`` seconds (60). The version is bumped by every write that can change
what the list shows (a call, its additional CPV codes, an organisation as buyer, a CPV label: see
the receivers in ``tenders.apps``), so a publish, an edit or a close shows up at once; the TTL
only bounds what changes with time alone (the countdown text, a deadline passing between two
runs of the closing task).

The version lives in Django's default cache (Redis in production): one number shared by every
worker, never expiring. It starts from the clock, not from 1, so that a version lost to an
eviction or a flush can never bring back pages cached under an earlier number. A page is stored
with the version it was rendered under, so one round trip (``lookup``: the version and the page
together) tells a hit from a stale page. The view *pins* the version it read for the rest of the
request (``pinned``), so the buyer filter's memo and the page agree without asking again.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

PAGE_TTL = 60
VERSION_KEY = "tenders:calls:list-version"


def _fresh_version() -> int:
    return time.time_ns() // 1000


_pinned: ContextVar[int | None] = ContextVar("tenders_calls_list_version", default=None)


def _ensure_version(version) -> int:
    if version is None:
        version = _fresh_version()
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version
    return int(version)


def list_version() -> int:
    """The current list version (the pinned one inside ``pinned``)."""
    pinned_version = _pinned.get()
    if pinned_version is not None:
        return pinned_version
    return _ensure_version(cache.get(VERSION_KEY))


@contextmanager
def pinned(version: int) -> Iterator[None]:
    """``list_version()`` answers ``version`` inside the block (one request's rendering)."""
    token = _pinned.set(version)
    try:
        yield
    finally:
        _pinned.reset(token)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or evicted): start a new one from the clock
        cache.set(VERSION_KEY, _fresh_version(), timeout=None)


def bump_list_version() -> None:
    """Invalidate every cached list page: now, and again when the transaction commits.

    The second bump closes the window in which a request could render the old rows after the
    first bump but before the commit and cache them under the new version.
    """
    _bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_bump)


def page_key(querystring: str) -> str:
    digest = hashlib.sha256(querystring.encode()).hexdigest()[:32]
    return f"tenders:calls:page:{get_language() or ''}:{digest}"


def lookup(querystring: str) -> tuple[str, int, bytes | None]:
    """(page key, current version, the cached page if rendered under that version), in one
    round trip to the cache."""
    key = page_key(querystring)
    found = cache.get_many([VERSION_KEY, key])
    version = _ensure_version(found.get(VERSION_KEY))
    entry = found.get(key)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version:
        return key, version, entry[1]
    return key, version, None


def set_page(key: str, version: int, content: bytes) -> None:
    cache.set(key, (version, content), PAGE_TTL)
