import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def demo_modules() -> list:
    """Every installed app's ``demo`` module (with ``load(stdout)``), in INSTALLED_APPS order:
    the order of the layers, so an app's demo data finds the data of the apps below it."""
    modules = []
    for config in apps.get_app_configs():
        name = f"{config.name}.demo"
        if importlib.util.find_spec(name) is not None:
            module = importlib.import_module(name)
            if hasattr(module, "load"):
                modules.append(module)
    return modules


class Command(BaseCommand):
    help = (
        "Load the demo data set (idempotent): real infrastructures, demo companies, calls, events."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--on-production-settings",
            action="store_true",
            help="Load the demo data although the settings are not for development (a staging "
            "copy); the demo accounts then get random passwords, printed once.",
        )

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED and not options["on_production_settings"]:
            raise CommandError(
                "Refusing to load demo data (fictional companies and demo accounts) with these "
                "settings: they are not for development. Use --on-production-settings on a "
                "staging copy if you really mean it."
            )
        for module in demo_modules():
            module.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
