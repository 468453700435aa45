"""Receivers of the other apps' signals: a company whose profile changed is scored again
against the opportunities (after the commit, through its run record)."""

from __future__ import annotations

from organisations.models import Organisation

from . import services


def on_profile_changed(sender, organisation_id: int, **kwargs) -> None:
    kind = Organisation.objects.filter(pk=organisation_id).values_list("kind", flat=True).first()
    if kind in Organisation.COMPANY_KINDS:
        services.company_match_enqueue(company_id=organisation_id)
