"""Demo data for matchmaking: one full recompute over the demo companies and calls (call
matches and infrastructures), and the demo SME user's alert settings. Idempotent: when nothing
changed since the last successful recompute by this engine version, a second run changes
nothing; matches stored by another engine version are recomputed."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Max

from . import loaders, services
from .engine import ENGINE_VERSION
from .limits import FIT_THRESHOLDS
from .models import AlertSubscription, Feedback, Match, MatchRun

DEMO_SME_EMAIL = "sme@demo.bigscience.example"


def _data_changed_since(when) -> bool:
    from tenders.models import ProcurementCall

    latest = [
        loaders.company_queryset().aggregate(m=Max("updated_at"))["m"],
        ProcurementCall.objects.aggregate(m=Max("updated_at"))["m"],
        Feedback.objects.aggregate(m=Max("created_at"))["m"],
    ]
    return any(t is not None and t > when for t in latest)


def load(stdout=None) -> None:
    user = get_user_model().objects.filter(email=DEMO_SME_EMAIL).first()
    if user is not None and not AlertSubscription.objects.filter(user=user).exists():
        services.subscription_update(
            subscription=services.subscription_for(user),
            frequency=AlertSubscription.Frequency.DAILY,
            threshold=FIT_THRESHOLDS["good"],
            deadline_reminders=True,
        )
    last = (
        MatchRun.objects.filter(kind=MatchRun.Kind.NIGHTLY, status=MatchRun.Status.SUCCEEDED)
        .order_by("-finished_at")
        .first()
    )
    outdated = Match.objects.exclude(engine_version=ENGINE_VERSION).exists() or (
        last is not None and last.engine_version != ENGINE_VERSION
    )
    if (
        last is not None
        and last.scored_at
        and not outdated
        and not _data_changed_since(last.scored_at)
    ):
        if stdout:
            stdout.write("Matchmaking: scores are current, nothing to do.")
        return
    run = services.recompute_all_inline()
    if stdout:
        stdout.write(
            f"Matchmaking: scored {run.pairs_scored} company-call pairs, stored {run.rows_stored} "
            f"matches in {run.duration_seconds or 0:.1f} s."
        )
