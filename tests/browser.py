"""What the browser tests share: signing in through the login page, and the reference data."""

from django.conf import settings

from organisations.models import CPVCode
from tests.factories import PASSWORD


def log_in(page, email: str, *, password: str = PASSWORD, fresh: bool = False) -> None:
    """Sign ``email`` in through the login page, as a user types it.

    ``fresh`` clears the cookies of an earlier user of the same page first.
    """
    if fresh:
        page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/me/")


def ensure_reference_data():
    """Load the CPV and NACE codes when an earlier transactional test flushed them."""
    if not CPVCode.objects.exists():
        from organisations import services as org_services

        org_services.reference_data_load(data_dir=settings.REFERENCE_DATA_DIR)
