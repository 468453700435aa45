"""Shared fixtures. The suite runs against the PostgreSQL and Redis that ``make test`` starts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop; Django would refuse ORM calls in its thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reference classifications once per test database."""
    from django.conf import settings

    from organisations import services

    with django_db_blocker.unblock():
        services.reference_data_load(data_dir=settings.REFERENCE_DATA_DIR)
    yield
    # Threads of the live server or of concurrency tests may still hold a session; end them so
    # that the test database can be dropped.
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _reference_data_for_transactional_tests(request, django_db_blocker):
    """Transactional tests (workers, browsers) flush every table when they end, so the
    reference classifications loaded once per session are gone for the next one: load them
    again before such a test when they are missing (committed, as those tests see real commits).
    pytest-django runs transactional tests after all the others."""
    if _is_transactional(request):
        from django.conf import settings

        from organisations import services
        from organisations.models import CPVCode

        with django_db_blocker.unblock():
            if not CPVCode.objects.exists():
                services.reference_data_load(data_dir=settings.REFERENCE_DATA_DIR)
    yield


@pytest.fixture(autouse=True)
def _no_code_labels_of_another_test():
    """The process's memo of code labels (``organisations.code_labels``) starts empty in each
    test: a rolled-back test's codes send no delete signal."""
    from organisations.code_labels import forget_labels

    forget_labels()
    yield


@pytest.fixture(autouse=True)
def _language_of_the_settings():
    """Each test starts in the settings' language: a request in Danish leaves Danish active in
    the thread (LocaleMiddleware activates, nothing deactivates), which a later test rendering a
    form outside a request would otherwise read."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (the test settings' cache is per process and
    outlives a test's rolled-back rows: a page cached by one test must not answer another)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def browser_page(live_server):
    """A page in a real headless chromium (Debian's), driven by Playwright."""
    from playwright.sync_api import sync_playwright

    from bench.serving import launch_chromium

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        context = browser.new_context(base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(15000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


class WorkerProcess(subprocess.Popen):
    """A ``celery worker`` subprocess whose output goes to a log file (never a full pipe)."""

    log_path: Path

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture
def start_worker(tmp_path):
    """Start real ``celery worker`` processes on the test database and Redis; stop them after.

    ``start_worker(name, pool="solo", env={...})`` returns the process; ``.output()`` is its log.
    The worker writes into the database pytest-django created, so use it from tests marked
    ``django_db(transaction=True)``.
    """
    from django.db import connection

    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    started: list[tuple[WorkerProcess, object]] = []

    def start(name: str = "pytest-worker", *, pool: str = "solo", env: dict | None = None):
        log_path = tmp_path / f"{name}.log"
        log = log_path.open("w")
        proc = WorkerProcess(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "bigscience_portal",
                "worker",
                f"--pool={pool}",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
                "-n",
                f"{name}@%h",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "bigscience_portal.settings.test",
                "CELERY_TASK_ALWAYS_EAGER": "false",
                "DATABASE_URL": database_url,
                **(env or {}),
            },
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        proc.log_path = log_path
        started.append((proc, log))
        return proc

    yield start
    for proc, _ in started:
        proc.terminate()
    for proc, log in started:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


@pytest.fixture
def celery_worker_process(start_worker):
    """One real worker (solo pool) for tests about background work."""
    return start_worker("pytest-worker")


@pytest.fixture(autouse=True)
def _every_mail_has_its_notification(request):
    """After each test: every mail the test sent to the address of an existing account has that
    person's notification-centre entry with the same subject (``core.mail.mail_queue`` writes
    both). allauth's own account mails (address verification, password reset: marked by
    ``AccountAdapter.render_mail``) are about the account itself and are left out."""
    yield
    if not _has_database(request):
        return
    from django.core import mail

    missing = mails_without_notification(getattr(mail, "outbox", []))
    assert not missing, f"mails without their notification-centre entry: {missing}"


def mails_without_notification(outbox) -> list[str]:
    """The mails of ``outbox`` (subject and address) to an account that has no notification
    with that subject."""
    from django.conf import settings

    from bigscience_portal.core.accounts import ACCOUNT_MAIL_HEADER
    from bigscience_portal.core.mail import accounts_of
    from bigscience_portal.core.models import Notification

    prefix = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
    missing = []
    for message in outbox:
        if ACCOUNT_MAIL_HEADER in (message.extra_headers or {}):
            continue
        title = message.subject.removeprefix(prefix)[:150]
        accounts = accounts_of(message.to)
        for address in message.to:
            user = accounts.get(address.lower())
            if user is None:
                continue  # not (or no longer) someone with an account
            if not Notification.objects.filter(user=user, title__startswith=title).exists():
                missing.append(f"{message.subject!r} to {address}")
    return missing


def _has_database(request) -> bool:
    if request.node.get_closest_marker("django_db"):
        return True
    return bool({"db", "transactional_db", "live_server"} & set(request.fixturenames))
