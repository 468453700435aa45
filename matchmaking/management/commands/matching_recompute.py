"""``manage.py matching_recompute``: queue (or run here) a full recompute of every match.

After an upgrade of the engine (``ENGINE_VERSION``), scores stored by another version must be
recomputed, never compared with the new ones: ``--if-outdated`` queues the recompute only when
such rows exist (a deploy step), ``--inline`` runs it in this process instead of on a worker.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from matchmaking import services
from matchmaking.engine import ENGINE_VERSION
from matchmaking.models import InfrastructureFit, Match


class Command(BaseCommand):
    help = "Queue a full recompute of the stored matches (or run it with --inline)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-outdated",
            action="store_true",
            help="Only when matches stored by another engine version exist.",
        )
        parser.add_argument(
            "--inline", action="store_true", help="Run it in this process, not on a worker."
        )

    def handle(self, *args, **options):
        outdated = (
            Match.objects.exclude(engine_version=ENGINE_VERSION).count()
            + InfrastructureFit.objects.exclude(engine_version=ENGINE_VERSION).count()
        )
        if options["if_outdated"] and not outdated:
            self.stdout.write(f"Every stored match is of engine {ENGINE_VERSION}: nothing to do.")
            return
        if options["inline"]:
            run = services.recompute_all_inline()
            self.stdout.write(
                f"Recomputed with engine {ENGINE_VERSION}: {run.pairs_scored} pairs scored, "
                f"{run.rows_stored} matches stored ({outdated} rows of another version replaced)."
            )
            return
        with transaction.atomic():
            run = services.nightly_enqueue()
        self.stdout.write(
            f"Full recompute queued (run {run.pk}, engine {ENGINE_VERSION}); "
            f"{outdated} rows of another version will be replaced."
        )
