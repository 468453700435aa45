"""What the calls' browser tests share."""

from django.conf import settings

from organisations.models import CPVCode
from tests.factories import PASSWORD


def ensure_reference_data():
    """Load the CPV and NACE codes when an earlier transactional test flushed them."""
    if not CPVCode.objects.exists():
        from organisations import services as org_services

        org_services.reference_data_load(data_dir=settings.REFERENCE_DATA_DIR)


def login(page, email):
    """Sign ``email`` in through the login page (cookies of an earlier user cleared first)."""
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/me/")
