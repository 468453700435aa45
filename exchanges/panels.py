"""This app's panel on the organisations app's page of a cluster: its active partnerships
and the exchanges it hosts."""

from __future__ import annotations


def organisation_context(request, organisation) -> dict | None:
    from .models import Exchange
    from .selectors import partnerships_of

    if not organisation.is_cluster:
        return None
    partnerships = [
        {"partnership": p, "other": p.other(organisation)} for p in partnerships_of(organisation)
    ]
    exchanges = list(
        organisation.hosted_exchanges.filter(status=Exchange.Status.PUBLISHED).order_by(
            "-starts_on", "pk"
        )[:10]
    )
    if not partnerships and not exchanges:
        return None
    return {"partnerships": partnerships, "exchanges": exchanges}
