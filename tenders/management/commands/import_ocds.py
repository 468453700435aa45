from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tenders.importers import ocds_package_import
from tenders.notices import NoticeRejected


class Command(BaseCommand):
    help = (
        "Import an OCDS 1.1 release package (JSON) as procurement calls (source OCDS, keyed by "
        "ocid). All or nothing: a file that is not a valid release package saves nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="an OCDS release package (.json)")

    def handle(self, *args, file, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: cannot read ({exc.strerror})") from exc
        try:
            outcomes = ocds_package_import(data=data, filename=path.name)
        except NoticeRejected as exc:
            raise CommandError(f"{exc.filename}: refused, nothing saved: {exc.reason}") from exc
        for outcome in outcomes:
            self.stdout.write(self.style.SUCCESS(outcome.line()))
        counts = Counter(o.action for o in outcomes)
        self.stdout.write(
            f"{len(outcomes)} calls: {counts['created']} imported, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged."
        )
