"""Django's Redis cache backend, made to degrade instead of fail, and with one client per pool.

**A cache that does not answer is a miss.** With Redis stopped, Django's backend raises on every
call, so every page that reads the cache (the calls list, every signed-in page through the
``cached_db`` sessions, the login throttle) answered 500. Here a connection error or timeout makes
a read return its default and a write do nothing; the portal renders, slower, from the database.
After a failure the client leaves Redis alone for ``PAUSE_SECONDS`` (a request during an outage
pays for one refused connection, not one per cache call), then tries again.

**No stale value survives an outage.** A write or delete that failed (a session saved or ended
while Redis was down, a list version that could not be bumped) leaves the old value in Redis. The
client remembers those keys and deletes them as soon as Redis answers again, before anything else,
so a session ended during the outage does not come back with the old value. (A process that
restarts meanwhile forgets its list; ``SESSION_CACHE_TIMEOUT`` bounds how long such a value lives.)

**One client per pool**: Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis``
for every cache operation, and each build registers some 170 response callbacks: about a tenth
of a millisecond, twice per calls-list page. A ``redis.Redis`` is safe to share between threads
(it takes a connection from its pool per command), so the client is kept with its pool.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends import redis as django_redis

logger = logging.getLogger(__name__)

PAUSE_SECONDS = 5.0
_MISSING = object()


def _errors():
    import redis

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._down_until = 0.0
        self._stale: set = set()
        self._lock = threading.Lock()
        self._errors = _errors()

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client

    # --- degrading ---------------------------------------------------------------------------
    def _call(self, operation, default, *args, stale_keys=()):
        if time.monotonic() < self._down_until:
            self._stale.update(stale_keys)
            return default
        try:
            if self._stale:
                self._forget_stale()
            return operation(*args)
        except self._errors as exc:
            with self._lock:
                if time.monotonic() >= self._down_until:
                    logger.warning(
                        "cache unavailable (%s: %s): serving misses", type(exc).__name__, exc
                    )
                self._down_until = time.monotonic() + PAUSE_SECONDS
            self._stale.update(stale_keys)
            return default

    def _forget_stale(self) -> None:
        with self._lock:
            keys, self._stale = list(self._stale), set()
        if keys:
            try:
                super().delete_many(keys)
            except self._errors:
                self._stale.update(keys)
                raise
            logger.warning(
                "cache answers again: dropped %d value(s) written during the outage", len(keys)
            )

    def add(self, key, value, timeout):
        return self._call(super().add, False, key, value, timeout, stale_keys=(key,))

    def get(self, key, default):
        return self._call(super().get, default, key, default)

    def set(self, key, value, timeout):
        return self._call(super().set, None, key, value, timeout, stale_keys=(key,))

    def touch(self, key, timeout):
        return self._call(super().touch, False, key, timeout)

    def delete(self, key):
        return self._call(super().delete, False, key, stale_keys=(key,))

    def get_many(self, keys):
        return self._call(super().get_many, {}, keys)

    def has_key(self, key):
        return self._call(super().has_key, False, key)

    def incr(self, key, delta):
        result = self._call(super().incr, _MISSING, key, delta, stale_keys=(key,))
        if result is _MISSING:
            raise ValueError(f"Key '{key}' not found (cache unavailable)")
        return result

    def set_many(self, data, timeout):
        return self._call(super().set_many, None, data, timeout, stale_keys=tuple(data))

    def delete_many(self, keys):
        return self._call(super().delete_many, None, keys, stale_keys=tuple(keys))

    def clear(self):
        return self._call(super().clear, False)


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
