"""The cached answer of "whom does this buyer favour" (read for every recommended pair), and
its invalidation when awards, contributions, rates or bands change.

One version number for every infrastructure: a change anywhere makes every cached answer
stale (they are few, and recomputed in a few queries).
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "outcomes:return-version"
TIMEOUT = 6 * 3600


def version() -> int:
    try:
        value = cache.get(VERSION_KEY)
    except Exception:  # a cache that does not answer: compute every time, never fail
        return 0
    if value is None:
        value = 1
        try:
            cache.add(VERSION_KEY, value, None)
        except Exception:
            return 0
    return value


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)
    except Exception:  # the cache is down: entries expire by themselves
        return


def return_changed_everywhere() -> None:
    """Stale at once (this transaction's own reads) and again after the commit (an answer
    computed by another request meanwhile from the data before it)."""
    _bump()
    transaction.on_commit(_bump)


def return_changed_for(infrastructure_id: int) -> None:
    return_changed_everywhere()


def return_changed(call_id: int) -> None:
    return_changed_everywhere()


def get(key: str):
    v = version()
    if not v:
        return None
    try:
        return cache.get(f"outcomes:{v}:{key}")
    except Exception:
        return None


def put(key: str, value) -> None:
    v = version()
    if not v:
        return
    try:
        cache.set(f"outcomes:{v}:{key}", value, TIMEOUT)
    except Exception:
        return
