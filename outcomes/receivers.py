"""Reactions to the other apps' writes: each record that is a step of the funnel is copied into
``FunnelStep`` in the same transaction (``outcomes.services``; keyed by its source, so a second
save changes nothing)."""

from __future__ import annotations

from django.db.models.signals import post_save


def on_forward_saved(sender, instance, **kwargs):
    from . import services

    services.step_from_forward(instance)


def on_invitation_saved(sender, instance, **kwargs):
    from . import services

    services.step_from_invitation(instance)


def on_interest_saved(sender, instance, **kwargs):
    from . import services

    services.steps_from_interest(instance)


def on_award_saved(sender, instance, **kwargs):
    from . import services

    services.step_from_award(instance)


def connect() -> None:
    from bigscience_portal.core.pagecache import invalidate_on
    from matchmaking.models import MatchForward, SupplierInvitation
    from tenders.models import Award, ExpressionOfInterest

    from . import caches
    from .models import Contribution, ExchangeRate, ReturnSettings

    post_save.connect(on_forward_saved, sender=MatchForward, dispatch_uid="outcomes_forward")
    post_save.connect(
        on_invitation_saved, sender=SupplierInvitation, dispatch_uid="outcomes_invitation"
    )
    post_save.connect(
        on_interest_saved, sender=ExpressionOfInterest, dispatch_uid="outcomes_interest"
    )
    post_save.connect(on_award_saved, sender=Award, dispatch_uid="outcomes_award")
    # whom a buyer favours changes with any figure saved or deleted (the admin deletes too)
    invalidate_on(caches.return_version, Contribution, ExchangeRate, ReturnSettings, Award)
