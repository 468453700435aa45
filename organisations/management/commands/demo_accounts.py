from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from organisations.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, PORTAL_STAFF_GROUP


class Command(BaseCommand):
    help = (
        "Print the portal's URL and the demo accounts, one per role, as they are: the published "
        "password only for the accounts that have it."
    )

    def handle(self, *args, **options):
        users = {
            u.username: u
            for u in get_user_model().objects.filter(username__in=[a.email for a in DEMO_ACCOUNTS])
        }
        lines = ["", f"The portal: {settings.SITE_URL}/", "Demo accounts:"]
        width = max(len(a.role) for a in DEMO_ACCOUNTS)
        for account in DEMO_ACCOUNTS:
            where = f" ({account.organisation_slug})" if account.organisation_slug else ""
            user = users.get(account.email)
            if user is None:
                state = "not created: run `manage.py load_demo`"
            elif user.check_password(DEMO_PASSWORD):
                state = f"password: {DEMO_PASSWORD}"
            else:
                state = (
                    "password: the random one `load_demo` printed when it created the account "
                    f"(or set one: `manage.py changepassword {account.email}`)"
                )
            if user is not None and user.is_staff:
                kind = "superuser" if user.is_superuser else f"staff, group {PORTAL_STAFF_GROUP}"
                where = f" ({kind}, Django admin at /admin/)"
            lines.append(f"  {account.role.ljust(width)}  {account.email}{where}  {state}")
        lines.append("")
        self.stdout.write("\n".join(lines))
