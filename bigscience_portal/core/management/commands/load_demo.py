import importlib

from django.core.management.base import BaseCommand

# Each app with demo data has a ``demo`` module with ``load(stdout)``; order matters.
DEMO_MODULES = ["organisations.demo", "tenders.demo", "events.demo", "matchmaking.demo"]


class Command(BaseCommand):
    help = (
        "Load the demo data set (idempotent): real infrastructures, demo companies, calls, events."
    )

    def handle(self, *args, **options):
        for name in DEMO_MODULES:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name == name:
                    continue
                raise
            module.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
