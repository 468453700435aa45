"""Receivers of the other apps' signals: each enqueues a scoring run after the commit."""

from __future__ import annotations

from organisations.models import Organisation

from . import services


def on_profile_changed(sender, organisation_id: int, **kwargs) -> None:
    kind = Organisation.objects.filter(pk=organisation_id).values_list("kind", flat=True).first()
    if kind in Organisation.COMPANY_KINDS:
        services.company_score_enqueue(company_id=organisation_id)
        services.infrastructures_enqueue(company_id=organisation_id)
    elif kind == Organisation.Kind.RESEARCH_INFRASTRUCTURE:
        # what it does (its domains, its description) is part of every company's ranking
        services.infrastructures_enqueue()


def on_call_published(sender, call_id: int, **kwargs) -> None:
    services.call_score_enqueue(call_id=call_id)


def on_call_changed(sender, call_id: int, **kwargs) -> None:
    services.call_score_enqueue(call_id=call_id)


def on_call_status_changed(sender, call_id: int, status: str = "", **kwargs) -> None:
    # a closed, awarded or cancelled call loses its stored matches; a re-opened one gets them
    services.call_score_enqueue(call_id=call_id)
