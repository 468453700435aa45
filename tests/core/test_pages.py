import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_says_what_the_portal_is_with_navigation(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Where Big Science and industry meet" in html
    for label in ("Calls", "Organisations", "Events", "Log in", "Sign up"):
        assert label in html
    assert '<main id="main"' in html and "Skip to main content" in html
    assert "<footer" in html and 'aria-label="Main"' in html


def test_pages_load_no_asset_from_another_origin(client):
    html = client.get("/").content.decode()
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html
    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html


def test_security_headers_include_csp_and_referrer_policy(client):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_dashboard_requires_login(client, django_user_model):
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    user = django_user_model.objects.create_user("u@example.org", "u@example.org", "pw-123456789")
    client.force_login(user)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    assert "u@example.org" in response.content.decode()


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True}
    assert body["broker"] == {"ok": True}


def test_healthz_details_are_for_staff_only(client, django_user_model):
    staff = django_user_model.objects.create_user(
        "s@example.org", "s@example.org", "pw-1234567", is_staff=True
    )
    client.force_login(staff)
    body = json.loads(client.get("/healthz").content)
    assert body["database"] == {"ok": True, "detail": "postgresql"}


def test_healthz_is_503_when_the_broker_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from bigscience_portal.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = settings.REDIS_URL
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "unavailable"
    assert body["broker"] == {"ok": False}  # the error (with host and port) is only in the log
    assert "127.0.0.1" not in response.content.decode()
    assert body["database"]["ok"] is True


def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    from django.db.utils import OperationalError

    from bigscience_portal.core import health

    def broken(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["database"]["ok"] is False


def test_not_found_and_forbidden_pages_use_the_layout(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert '<main id="main"' in response.content.decode()


def test_user_menu_shows_the_parts_that_concern_the_user(client):
    from tests.factories import InfrastructureFactory, MembershipFactory

    sme_user = MembershipFactory().user
    client.force_login(sme_user)
    html = client.get("/").content.decode()
    assert "Recommended calls" in html and "My infrastructure\u2019s calls" not in html

    ilo = MembershipFactory(organisation=InfrastructureFactory()).user
    client.force_login(ilo)
    html = client.get("/").content.decode()
    assert "My infrastructure\u2019s calls" in html and "Recommended calls" not in html
