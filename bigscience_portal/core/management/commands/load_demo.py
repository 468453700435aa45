import importlib
import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand


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

    def handle(self, *args, **options):
        for module in demo_modules():
            module.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
