from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bigscience_portal.core.errors import ActionRefused
from organisations import services
from organisations.code_labels import forget_labels


class Command(BaseCommand):
    help = "Load the CPV 2008 and NACE Rev. 2 classifications (idempotent, all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="Folder holding cpv_codes.csv and nace_rev2.csv (default: REFERENCE_DATA_DIR).",
        )

    def handle(self, *args, data_dir=None, **options):
        data_dir = Path(data_dir or settings.REFERENCE_DATA_DIR)
        try:
            report = services.reference_data_load(data_dir=data_dir)
        except ActionRefused as exc:
            raise CommandError(f"Reference data not loaded, nothing changed: {exc}") from exc
        forget_labels()  # written in bulk, without the signals that empty the memo
        self.stdout.write(
            self.style.SUCCESS(
                f"CPV codes: {report.cpv_created} created, {report.cpv_updated} updated, "
                f"{report.cpv_total} in total. NACE codes: {report.nace_created} created, "
                f"{report.nace_updated} updated, {report.nace_total} in total."
            )
        )
