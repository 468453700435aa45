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
eviction or a flush can never bring back pages cached under an earlier number.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

PAGE_TTL = 60
VERSION_KEY = "tenders:calls:list-version"


def _fresh_version() -> int:
    return time.time_ns() // 1000


def list_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = _fresh_version()
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version
    return int(version)


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
    return f"tenders:calls:page:{list_version()}:{get_language() or ''}:{digest}"


def get_page(key: str) -> bytes | None:
    return cache.get(key)


def set_page(key: str, content: bytes) -> None:
    cache.set(key, content, PAGE_TTL)
