"""The cached answer of "whom does this buyer favour" (read for every recommended pair), and
its invalidation when awards, contributions, rates or bands change.

One version number for every infrastructure, kept by a core ``PageCache`` (the version key, the
bump now and again after the commit, a version that starts from the clock so that one lost to an
eviction never brings back earlier answers): a change anywhere makes every cached answer stale
(they are few, and recomputed in a few queries). A cache that does not answer is a miss
(``bigscience_portal.core.cache``).
"""

from __future__ import annotations

from django.core.cache import cache

from bigscience_portal.core.pagecache import PageCache

TIMEOUT = 6 * 3600

#: only its version is used here (no page of its own is cached)
return_version = PageCache("outcomes:return")


def return_changed(*args, **kwargs) -> None:
    """Stale at once (this transaction's own reads) and again after the commit (an answer
    computed by another request meanwhile from the data before it). Takes any arguments, so
    that it can be connected to model signals directly."""
    return_version.bump()


def _key(key: str) -> str:
    return f"outcomes:{return_version.version()}:{key}"


def get(key: str):
    return cache.get(_key(key))


def put(key: str, value) -> None:
    cache.set(_key(key), value, TIMEOUT)
