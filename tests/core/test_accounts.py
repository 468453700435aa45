"""Accounts through django-allauth: sign-up with verification, e-mail log-in, throttling, reset."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "Cryostat-Vacuum-2026"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def verified_user(django_user_model):
    user = django_user_model.objects.create_user("ana@example.org", "ana@example.org", PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_signup_sends_a_verification_mail_and_login_waits_for_it(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "first_name": "New",
            "last_name": "Person",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.org"]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)

    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "new@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")

    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.post("/" + path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="new@example.org").verified


def test_signup_form_rerenders_with_errors(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "not-an-email", "password1": PASSWORD, "password2": "different"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert 'value="not-an-email"' in html


def test_login_by_email_and_logout(client, verified_user):
    response = client.post(
        reverse("account_login"), {"login": "ana@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")
    assert "ana@example.org" in client.get(reverse("core:dashboard")).content.decode()
    client.post(reverse("account_logout"))
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_failed_logins_are_throttled(client, verified_user):
    for _ in range(5):
        response = client.post(
            reverse("account_login"), {"login": "ana@example.org", "password": "wrong"}
        )
        assert "Too many failed login attempts" not in response.content.decode()
    response = client.post(
        reverse("account_login"), {"login": "ana@example.org", "password": PASSWORD}
    )
    assert "Too many failed login attempts" in response.content.decode()


def test_password_reset_mails_a_working_link(client, verified_user):
    client.post(reverse("account_reset_password"), {"email": "ana@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", mail.outbox[0].body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else path
    response = client.post(
        form_url, {"password1": "New-Gyrotron-2027", "password2": "New-Gyrotron-2027"}
    )
    assert response.status_code == 302
    verified_user.refresh_from_db()
    assert verified_user.check_password("New-Gyrotron-2027")


def test_email_change_adds_an_unverified_address_and_mails_it(client, verified_user):
    client.force_login(verified_user)
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "ana.new@example.org"}
    )
    assert response.status_code == 302
    address = EmailAddress.objects.get(email="ana.new@example.org")
    assert address.user == verified_user and not address.verified
    assert mail.outbox[-1].to == ["ana.new@example.org"]


def test_admin_is_reachable_for_staff_only(client, verified_user, admin_client):
    assert client.get("/admin/").status_code == 302
    client.force_login(verified_user)
    assert client.get("/admin/").status_code == 302
    assert admin_client.get("/admin/").status_code == 200
