from django.conf import settings
from django.core.management.base import BaseCommand

from organisations.demo import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the portal's URL and the demo accounts, one per role."

    def handle(self, *args, **options):
        lines = [
            "",
            f"The portal: {settings.SITE_URL}/",
            f"Demo accounts (password for all: {DEMO_PASSWORD}):",
        ]
        width = max(len(a.role) for a in DEMO_ACCOUNTS)
        for account in DEMO_ACCOUNTS:
            where = f" ({account.organisation_slug})" if account.organisation_slug else ""
            lines.append(f"  {account.role.ljust(width)}  {account.email}{where}")
        lines.append("")
        self.stdout.write("\n".join(lines))
