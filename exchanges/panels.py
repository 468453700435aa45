"""This app's panel on the organisations app's page of a cluster: its active partnerships,
the ended ones (with the day they ended) and the exchanges it hosts."""

from __future__ import annotations


def organisation_context(request, organisation) -> dict | None:
    from .models import Exchange
    from .selectors import ended_partnerships_of, partnerships_of

    if not organisation.is_cluster:
        return None
    partnerships = [
        {"partnership": p, "other": p.other(organisation)} for p in partnerships_of(organisation)
    ]
    ended = [
        {"partnership": p, "other": p.other(organisation)}
        for p in ended_partnerships_of(organisation)[:10]
    ]
    exchanges = list(
        organisation.hosted_exchanges.filter(status=Exchange.Status.PUBLISHED).order_by(
            "-starts_on", "pk"
        )[:10]
    )
    if not partnerships and not ended and not exchanges:
        return None
    return {"partnerships": partnerships, "ended": ended, "exchanges": exchanges}


def dashboard_context(request) -> dict | None:
    """The user's area: their open applications, and the hosted exchanges with applications
    waiting for a decision; nothing when neither."""
    from django.db.models import Count, Q

    from organisations.permissions import managed_clusters

    from .models import Application, Exchange
    from .selectors import applications_of_user

    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    mine = list(applications_of_user(user).filter(status__in=Application.OPEN)[:5])
    hosted = list(
        Exchange.objects.filter(host_cluster__in=managed_clusters(user))
        .exclude(status=Exchange.Status.CANCELLED)
        .annotate(
            pending=Count("applications", filter=Q(applications__status=Application.Status.PENDING))
        )
        .order_by("starts_on", "pk")[:5]
    )
    if not mine and not hosted:
        return None
    return {"applications": mine, "hosted": hosted}
