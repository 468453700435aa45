from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from tenders.importers import ted_files_import


class Command(BaseCommand):
    help = (
        "Import TED notices, XML R2.0.9 or eForms (files or folders of *.xml), as procurement "
        "calls. The format is detected per file. Idempotent by notice number; each file in its "
        "own transaction; notice families not imported are skipped. Exit status 0 only when no "
        "file was refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="TED XML files or folders holding them")

    def handle(self, *args, paths, **options):
        outcomes = ted_files_import(paths=paths)
        if not outcomes:
            raise CommandError("No TED notice files found in " + ", ".join(paths))
        for outcome in outcomes:
            style = {"refused": self.style.ERROR, "skipped": self.style.WARNING}.get(
                outcome.action, self.style.SUCCESS
            )
            self.stdout.write(style(outcome.line()))
        counts = Counter(o.action for o in outcomes)
        summary = (
            f"{len(outcomes)} files: {counts['created']} imported, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {counts['skipped']} skipped, "
            f"{counts['refused']} refused."
        )
        self.stdout.write(summary)
        if counts["refused"]:
            raise CommandError(f"{counts['refused']} of {len(outcomes)} files were refused.")
