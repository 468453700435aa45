"""MatchRun becomes a core TaskRecord (``enqueued_at`` is new; the other record fields were
already there with the same definitions) and only one run per target may wait at a time."""

from django.db import migrations, models


def drop_duplicate_queued_runs(apps, schema_editor):
    """Before the constraint: of several queued runs of one target keep the first (it scores
    the target as it is when it runs, which covers every change the others were queued for)."""
    MatchRun = apps.get_model("matchmaking", "MatchRun")
    kept = set()
    duplicates = []
    queued = MatchRun.objects.filter(status="queued", target_id__isnull=False).order_by("pk")
    for pk, kind, target in queued.values_list("pk", "kind", "target_id"):
        if (kind, target) in kept:
            duplicates.append(pk)
        else:
            kept.add((kind, target))
    MatchRun.objects.filter(pk__in=duplicates).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("matchmaking", "0002_matchrun_chunk_plan"),
    ]

    operations = [
        migrations.AddField(
            model_name="matchrun",
            name="enqueued_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Empty while the broker has not taken it (it was down): the sweeper will.",
                null=True,
                verbose_name="handed to the broker",
            ),
        ),
        migrations.RunPython(drop_duplicate_queued_runs, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="matchrun",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "queued")),
                fields=("kind", "target_id"),
                name="uniq_queued_matchrun",
            ),
        ),
    ]
