"""Sign-up, e-mail verification and log-in, clicked through a real headless chromium."""

import re

import pytest
from django.core import mail

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_signup_verify_and_login_in_a_real_browser(browser_page, live_server):
    page = browser_page
    page.goto("/")
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Email").fill("browser@example.org")
    page.get_by_label("First name").fill("Birgit")
    page.get_by_label("Last name").fill("Browser")
    page.get_by_label("Password:", exact=True).fill("Helium-Transfer-Line-9")
    page.get_by_label("Password (again):").fill("Helium-Transfer-Line-9")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert "Verify Your Email Address" in page.content()

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/me/")
    assert "browser@example.org" in page.content()

    page.get_by_text("Birgit Browser").first.click()  # opens the user menu (<details>): the name
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(live_server.url + "/")
    assert "Sign up" in page.content()  # logged out: the anonymous menu is back
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Email").fill("browser@example.org")
    page.get_by_label("Password:").fill("Helium-Transfer-Line-9")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/me/")
    assert "Signed in as browser@example.org" in page.content()
