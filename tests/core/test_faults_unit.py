"""What the portal does when a part fails, without the whole stack: the cache, the database
error page, the log-in throttle, the site's own name in feeds and mails."""

import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.urls import reverse

from bigscience_portal.core.cache import RedisCache
from tests.factories import UserFactory

PASSWORD = "Test-Password-2026"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_server(tmp_path):
    """A Redis of this test's own, so that it can be stopped."""
    port = _port()

    def start():
        subprocess.run(
            [
                "redis-server",
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--daemonize",
                "yes",
                "--pidfile",
                str(tmp_path / "r.pid"),
                "--dir",
                str(tmp_path),
            ],
            check=True,
        )
        for _ in range(50):
            if (
                subprocess.run(
                    ["redis-cli", "-p", str(port), "ping"], capture_output=True
                ).stdout.strip()
                == b"PONG"
            ):
                return
            time.sleep(0.05)

    def pause():
        """Redis stops answering but keeps its data (a hung server, a network partition)."""
        os.kill(int((tmp_path / "r.pid").read_text()), signal.SIGSTOP)

    def resume():
        os.kill(int((tmp_path / "r.pid").read_text()), signal.SIGCONT)

    start()
    yield port, pause, resume
    resume()
    subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], capture_output=True)


def _cache(port: int) -> RedisCache:
    options = {"socket_connect_timeout": 0.3, "socket_timeout": 0.3}
    return RedisCache(f"redis://127.0.0.1:{port}/0", {"OPTIONS": options})


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server")
def test_a_cache_that_does_not_answer_is_a_miss_and_forgets_what_changed_meanwhile(
    redis_server, monkeypatch
):
    from bigscience_portal.core import cache as cache_module

    port, pause, resume = redis_server
    cache = _cache(port)
    cache.set("session", "signed in", 60)
    cache.set("other", "kept", 60)
    cache.set("version", 1, 60)
    assert cache.get("session") == "signed in"
    pause()
    assert cache.get("session", "miss") == "miss"  # no exception: a miss
    assert cache.get_many(["session"]) == {}
    cache.delete("session")  # the session ended during the outage: the delete cannot reach Redis
    with pytest.raises(ValueError):
        cache.incr("version")  # the bump cannot reach Redis: like a missing key for the caller
    resume()
    monkeypatch.setattr(cache_module, "PAUSE_SECONDS", 0.0)
    cache._cache._down_until = 0.0
    # the first call after the outage drops the values written or deleted during it...
    assert cache.get("session") is None
    assert cache.get("version") is None
    # ...and keeps the others
    assert cache.get("other") == "kept"


def test_a_cache_with_nothing_listening_never_raises():
    cache = _cache(1)  # nothing listens on port 1
    start = time.monotonic()
    for _ in range(20):
        assert cache.get("k", "default") == "default"
        cache.set("k", "v", 10)
        assert cache.add("k", "v", 10) is False
    assert time.monotonic() - start < 2  # after the first refusal it does not keep trying


@pytest.mark.urls("tests.core.urls_faults")
def test_a_database_that_does_not_answer_gives_the_503_page(client):
    client.raise_request_exception = False
    response = client.get("/db-down/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "briefly unavailable" in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert client.get("/bug/").status_code == 500  # a bug stays a server error


@pytest.mark.django_db
def test_failed_log_ins_block_the_attacker_not_the_owner(client):
    owner = UserFactory(email="owner@example.org")
    url = reverse("account_login")
    attacker = {"REMOTE_ADDR": "198.51.100.66"}
    for _ in range(6):
        response = client.post(url, {"login": owner.email, "password": "guess"}, **attacker)
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    # the right password from the owner's own address still works
    response = client.post(
        url, {"login": owner.email, "password": PASSWORD}, REMOTE_ADDR="192.0.2.10"
    )
    assert response.status_code == 302
    client.logout()
    # the attacker's address stays blocked, even with the right password
    response = client.post(url, {"login": owner.email, "password": PASSWORD}, **attacker)
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_site_is_the_portal_not_example_com(client, settings):
    site = Site.objects.get_current()
    assert site.domain == settings.SITE_DOMAIN
    assert site.name == settings.SITE_NAME
    user = UserFactory(email="forgot@example.org")
    client.post(reverse("account_reset_password"), {"email": user.email})
    body = mail.outbox[-1].body
    assert "example.com" not in body
    assert settings.SITE_NAME in body or settings.SITE_DOMAIN in body
