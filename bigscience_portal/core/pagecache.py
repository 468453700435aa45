"""A short-lived cache of whole list pages for visitors who are not logged in.

What is cached: the rendered page of a :class:`~bigscience_portal.core.lists.PortalListView`
whose ``page_cache`` is a :class:`PageCache`, for anonymous visitors without pending flash
messages, keyed by the language, the full querystring and a *version*. For how long: ``ttl``
seconds (60). The version is bumped by every write that can change what the list shows (the
owning app connects its model signals to :meth:`PageCache.bump`), so a publish or an edit shows
at once; the TTL only bounds what changes with time alone (a countdown text, a deadline passing).

The version lives in Django's default cache (Redis in production): one number shared by every
worker, never expiring. It starts from the clock, not from 1, so that a version lost to an
eviction or a flush can never bring back pages cached under an earlier number. A page is stored
with the version it was rendered under, so one round trip (``lookup``: the version and the page
together) tells a hit from a stale page. The view *pins* the version it read for the rest of the
request (``pinned``), so memos keyed by the version (a filter's choices) and the page agree.

A cache that does not answer (Redis down) is a miss: pages render, slower; the cache backend
itself degrades (``bigscience_portal.core.cache``).
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


def _fresh_version() -> int:
    return time.time_ns() // 1000


class PageCache:
    """The cached pages of one list (``namespace``, e.g. ``"tenders:calls"``)."""

    def __init__(self, namespace: str, *, ttl: int = 60, header: str = "X-Page-Cache") -> None:
        self.namespace = namespace
        self.ttl = ttl
        self.header = header
        self.version_key = f"{namespace}:list-version"
        self._pinned: ContextVar[int | None] = ContextVar(f"{namespace}:pinned", default=None)

    def _ensure(self, version) -> int:
        if version is None:
            version = _fresh_version()
            if not cache.add(self.version_key, version, timeout=None):
                version = cache.get(self.version_key) or version
        return int(version)

    def version(self) -> int:
        """The current version (the pinned one inside ``pinned``)."""
        pinned_version = self._pinned.get()
        if pinned_version is not None:
            return pinned_version
        return self._ensure(cache.get(self.version_key))

    @contextmanager
    def pinned(self, version: int) -> Iterator[None]:
        """``version()`` answers ``version`` inside the block (one request's rendering)."""
        token = self._pinned.set(version)
        try:
            yield
        finally:
            self._pinned.reset(token)

    def _bump(self) -> None:
        try:
            cache.incr(self.version_key)
        except ValueError:  # no version yet (or evicted): start a new one from the clock
            cache.set(self.version_key, _fresh_version(), timeout=None)

    def bump(self, *args, **kwargs) -> None:
        """Invalidate every cached page: now, and again when the transaction commits.

        The second bump closes the window in which a request could render the old rows after
        the first bump but before the commit and cache them under the new version. Takes any
        arguments, so that it can be connected to model signals directly.
        """
        self._bump()
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(self._bump)

    def page_key(self, querystring: str) -> str:
        digest = hashlib.sha256(querystring.encode()).hexdigest()[:32]
        return f"{self.namespace}:page:{get_language() or ''}:{digest}"

    def lookup(self, querystring: str) -> tuple[str, int, bytes | None]:
        """(page key, current version, the cached page if rendered under that version), in one
        round trip to the cache."""
        key = self.page_key(querystring)
        found = cache.get_many([self.version_key, key])
        version = self._ensure(found.get(self.version_key))
        entry = found.get(key)
        if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version:
            return key, version, entry[1]
        return key, version, None

    def store(self, key: str, version: int, content: bytes) -> None:
        cache.set(key, (version, content), self.ttl)
