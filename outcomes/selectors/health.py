"""The portal's health for staff, and the awards whose winner is not linked yet."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    Q,
)

from bigscience_portal.core.models import TaskRecord
from organisations.models import Organisation
from tenders.models import Award, ProcurementCall

from ..models import FunnelStep
from .base import Period


def _counts(rows, by: str) -> dict:
    """{value of ``by``: how many of ``rows`` have it}."""
    return dict(rows.values_list(by).annotate(n=Count("pk")).values_list(by, "n"))


def portal_health(*, period: Period) -> dict:
    User = get_user_model()
    users = User.objects.aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(last_login__gte=period.start_at)),
        joined=Count("pk", filter=period.within("date_joined")),
    )
    organisations = list(
        Organisation.objects.values("kind", "approval").annotate(n=Count("pk")).order_by("kind")
    )
    calls = list(
        ProcurementCall.objects.values("source", "status")
        .annotate(n=Count("pk"))
        .order_by("source")
    )
    runs = []
    for model in apps.get_models():
        if issubclass(model, TaskRecord):
            counts = _counts(model.objects.filter(period.within("created_at")), "status")
            runs.append({"name": str(model._meta.verbose_name_plural), "counts": counts})
    steps = _counts(FunnelStep.objects.filter(period.within("occurred_at")), "kind")
    unlinked = Award.objects.filter(supplier__isnull=True, outcome_link__isnull=True).count()
    return {
        "users": users,
        "organisations": organisations,
        "calls": calls,
        "runs": runs,
        "steps": steps,
        "unlinked_awards": unlinked,
    }


def unlinked_awards():
    """Awards whose winner is not linked to the directory and that staff have not decided."""
    return (
        Award.objects.filter(supplier__isnull=True, outcome_link__isnull=True)
        .exclude(supplier_name="(not published)")
        .select_related("call__buyer")
        .order_by("-date", "-pk")
    )


def candidate_companies(countries: set[str]) -> list[tuple[int, str, str, str]]:
    """(id, name, legal name, country) of the companies in ``countries`` (the link page's
    candidates are chosen among them by name)."""
    return list(
        Organisation.objects.filter(
            kind__in=Organisation.COMPANY_KINDS, country__in=[c for c in countries if c]
        ).values_list("pk", "name", "legal_name", "country")
    )
