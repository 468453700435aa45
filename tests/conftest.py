"""Shared fixtures. The suite runs against the PostgreSQL and Redis that ``make test`` starts."""

import os

import pytest

os.environ.setdefault(
    "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
)  # Playwright's sync API runs an event loop


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


@pytest.fixture
def browser_page(live_server):
    """A page in a real headless chromium (Debian's), driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(15000)
        try:
            yield page
        finally:
            context.close()
            browser.close()
