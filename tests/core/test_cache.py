"""The Redis cache backend (``bigscience_portal.core.cache``) against the test run's real Redis."""

import threading
import uuid

import pytest
from django.conf import settings

from bigscience_portal.core.cache import RedisCache


@pytest.fixture
def redis_cache():
    if not settings.REDIS_URL:
        pytest.skip("no Redis server configured")
    prefix = f"test-{uuid.uuid4().hex}"
    cache = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": prefix})
    yield cache
    # only this test's keys: clear() would flush the whole database (Celery's broker too)
    client = cache._cache.get_client(write=True)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_values_round_trip_with_timeouts_and_deletes(redis_cache):
    redis_cache.set("page", b"<html>\xe2\x82\xac</html>", 60)
    redis_cache.set_many({"a": 1, "b": {"nested": ["list"]}}, 60)
    assert redis_cache.get("page") == b"<html>\xe2\x82\xac</html>"
    assert redis_cache.get_many(["a", "b", "missing"]) == {"a": 1, "b": {"nested": ["list"]}}
    assert redis_cache.incr("a") == 2
    assert redis_cache.add("a", 5) is False
    redis_cache.delete("page")
    assert redis_cache.get("page", "gone") == "gone"
    redis_cache.set("expired", "x", 0)  # a zero timeout stores nothing
    assert redis_cache.get("expired") is None


def test_one_client_per_connection_pool_shared_by_threads(redis_cache):
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is client
    errors = []

    def work(n):
        try:
            for i in range(50):
                redis_cache.set(f"t{n}-{i}", i, 60)
                assert redis_cache.get(f"t{n}-{i}") == i
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert redis_cache._cache.get_client() is client
