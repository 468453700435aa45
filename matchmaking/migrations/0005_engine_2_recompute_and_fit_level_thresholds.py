"""Engine 2.0.0 scores differently from 1.x: matches stored by another engine version are
dropped (their scores must never be compared with the new ones, nor shown beside the new fit
levels) and a full recompute is queued (a MatchRun row without ``enqueued_at``: the records'
sweeper hands it to a worker within a minute of the next start, and ``manage.py load_demo``
recomputes at once). Alert thresholds become the fit levels' thresholds (each rounded down to
the level it reaches: 0.3 asks for "good fit or better")."""

from django.db import migrations

ENGINE_VERSION = "2.0.0"
#: the fit levels' thresholds of engine 2.0.0, best first (matchmaking.engine.FIT_LEVELS)
LEVELS = (0.40, 0.25, 0.15)


def forwards(apps, schema_editor):
    Match = apps.get_model("matchmaking", "Match")
    MatchRun = apps.get_model("matchmaking", "MatchRun")
    AlertSubscription = apps.get_model("matchmaking", "AlertSubscription")
    outdated = Match.objects.exclude(engine_version=ENGINE_VERSION)
    if outdated.exists():
        outdated.delete()
        for kind in ("nightly", "infrastructures"):
            if not MatchRun.objects.filter(kind=kind, status="queued", target_id=None).exists():
                MatchRun.objects.create(kind=kind, engine_version=ENGINE_VERSION)
    for sub in AlertSubscription.objects.exclude(threshold__in=LEVELS):
        sub.threshold = next((t for t in LEVELS if sub.threshold >= t), LEVELS[-1])
        sub.save(update_fields=["threshold"])


class Migration(migrations.Migration):
    dependencies = [("matchmaking", "0004_infrastructure_fits_reasons_at_display")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
