from django.core.management.base import BaseCommand, CommandError

from tenders.harvest import harvest_now


class Command(BaseCommand):
    help = (
        "Harvest TED: ask its search API (setting TED_API_URL) for the notices published since "
        "the last successful harvest that match the interest profile, and import them. A failed "
        "harvest is resumed by the next one. Exit status non-zero when the harvest failed."
    )

    def handle(self, *args, **options):
        run = harvest_now()
        self.stdout.write(run.log)
        self.stdout.write(
            f"Harvest {run.pk} {run.status}: {run.pages} pages, {run.found} notices found, "
            f"{run.imported} imported, {run.unchanged} unchanged, {run.out_of_scope} outside the "
            f"profile, {run.skipped} skipped, {run.refused} refused."
        )
        if run.status != run.Status.SUCCEEDED:
            raise CommandError(f"Harvest {run.pk} did not finish: {run.error}")
