"""A short-lived cache of whole list pages for visitors who are not logged in.

What is cached: the rendered page of a :class:`~bigscience_portal.core.lists.PortalListView`
whose ``page_cache`` is a :class:`PageCache`, for anonymous visitors without pending flash
messages, keyed by the language, the full querystring and a *version*. For how long: ``ttl``
seconds (60). The version is bumped by every write that can change what the list shows (the
owning app connects its model signals to :meth:`PageCache.bump`), so a publish or an edit shows
at once; the TTL only bounds what changes with time alone (a countdown text, a deadline passing).

A page older than its TTL but of the current version is *stale*, not gone: the first request to
find it so renews it (it alone: a short ``renewing`` mark in the cache, taken with ``add``), and
the requests that come while it renders are answered with the stale page (``X-Page-Cache:
stale``) instead of each rendering the same page again. Without that, every popular page
expired once a minute into as many renders as there were visitors waiting for it, the tail of
the soak in docs/performance.md. Stale pages are kept ``STALE_FOR`` TTLs; a bumped version is
never served stale.

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
from functools import wraps
from typing import NamedTuple

from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import get_language

#: how many TTLs a page is kept past its freshness, to be served while one request renews it
STALE_FOR = 10
#: the longest a request holds the right to renew a stale page (a render that dies frees it)
RENEWING_SECONDS = 30


def _fresh_version() -> int:
    return time.time_ns() // 1000


def _now() -> float:
    return time.time()


class Found(NamedTuple):
    """What ``PageCache.find`` found for a page."""

    key: str
    version: int
    content: bytes | None
    stale: bool
    renewing: bool


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

    def lookup(self, querystring: str) -> tuple[str, int, bytes | None, bool]:
        """(page key, current version, the cached page if rendered under that version, whether
        it is stale), in one round trip to the cache. A stale page is returned only to the
        requests that may not renew it: the first to find it stale gets ``None`` and renders."""
        return self.find(querystring)[:4]

    def find(self, querystring: str) -> Found:
        """``lookup``, and whether this request took the mark of renewing the page (so that
        ``store`` frees it; a plain miss leaves nothing to free and saves that round trip)."""
        key = self.page_key(querystring)
        found = cache.get_many([self.version_key, key])
        version = self._ensure(found.get(self.version_key))
        entry = found.get(key)
        if not (isinstance(entry, tuple) and len(entry) == 3 and entry[0] == version):
            return Found(key, version, None, False, False)
        _version, rendered_at, content = entry
        if _now() - rendered_at < self.ttl:
            return Found(key, version, content, False, False)
        if cache.add(f"{key}:renewing", 1, timeout=RENEWING_SECONDS):
            return Found(key, version, None, False, True)
        return Found(key, version, content, True, False)

    def store(self, key: str, version: int, content: bytes, *, renewing: bool = True) -> None:
        """Keep the page rendered under ``version``; with ``renewing``, free the renewing mark."""
        cache.set(key, (version, _now(), content), self.ttl * (STALE_FOR + 1))
        if renewing:
            cache.delete(f"{key}:renewing")


def invalidate_on(page_cache: PageCache, *models) -> None:
    """Bump ``page_cache`` on every save, delete and many-to-many change of ``models``."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    def changed(sender, **kwargs):
        if kwargs.get("action", "post_").startswith("post_"):
            page_cache.bump()

    for model in models:
        uid = f"{page_cache.namespace}:{model._meta.label}"
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:save")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:delete")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                changed,
                sender=field.remote_field.through,
                weak=False,
                dispatch_uid=f"{uid}:{field.name}",
            )


def has_pending_messages(request) -> bool:
    """A flash message waits for this request's page (it must not be served from, nor stored
    in, a cache)."""
    storage = getattr(request, "_messages", None)
    return bool(storage is not None and len(storage))


def serves(request) -> bool:
    """Whether a page cache may answer ``request``: a GET or HEAD of a visitor who is not
    logged in and has no flash message waiting."""
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not has_pending_messages(request)
    )


def respond(page_cache: PageCache, request, render) -> HttpResponse:
    """The page for ``request`` (one ``serves`` accepts) from ``page_cache``, keyed by the full
    path and querystring; on a miss ``render()`` makes it under the pinned version and a 200 is
    stored. The one cached path of the lists (``PortalListView.page_cache``) and of the other
    public pages (``cached_for_visitors``)."""
    found = page_cache.find(request.get_full_path())
    if found.content is not None:
        response = HttpResponse(found.content)
        response[page_cache.header] = "stale" if found.stale else "hit"
        return response
    with page_cache.pinned(found.version):
        response = render()
    if response.status_code == 200 and not getattr(response, "streaming", False):
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        page_cache.store(found.key, found.version, response.content, renewing=found.renewing)
        response[page_cache.header] = "miss"
    return response


def cached_for_visitors(page_cache: PageCache):
    """A view decorator: visitors ``serves`` accepts get the page from ``page_cache``
    (``respond``); others get it rendered."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not serves(request):
                return view(request, *args, **kwargs)
            return respond(page_cache, request, lambda: view(request, *args, **kwargs))

        return wrapper

    return decorate


#: the public pages that are not lists of calls (the directory, organisation, call and event
#: pages, the events list): each app says which of its models they show (``invalidate_on``)
public_pages = PageCache("public")
