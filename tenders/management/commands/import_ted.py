from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from tenders.importers import ted_files_import


class Command(BaseCommand):
    help = (
        "Import TED XML R2.0.9 notices (files or folders of *.xml) as procurement calls. "
        "Idempotent by notice number; each file in its own transaction. Exit status 0 only when "
        "every file imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="TED XML files or folders holding them")

    def handle(self, *args, paths, **options):
        outcomes = ted_files_import(paths=paths)
        if not outcomes:
            raise CommandError("No TED notice files found in " + ", ".join(paths))
        for outcome in outcomes:
            style = self.style.ERROR if outcome.action == "refused" else self.style.SUCCESS
            self.stdout.write(style(outcome.line()))
        counts = Counter(o.action for o in outcomes)
        summary = (
            f"{len(outcomes)} files: {counts['created']} imported, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {counts['refused']} refused."
        )
        self.stdout.write(summary)
        if counts["refused"]:
            raise CommandError(f"{counts['refused']} of {len(outcomes)} files were refused.")
