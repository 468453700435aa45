"""Factories of the matchmaking app (re-exported by tests.factories); calls and companies come
from the tenders and organisations factories."""

import factory
from django.utils import timezone

from matchmaking.engine import ENGINE_VERSION
from matchmaking.limits import FIT_THRESHOLDS
from matchmaking.models import (
    AlertDelivery,
    AlertSubscription,
    Feedback,
    InfrastructureFit,
    Match,
    MatchForward,
    MatchRun,
    SupplierInvitation,
)

from .organisations import ClusterFactory, InfrastructureFactory, OrganisationFactory, UserFactory
from .tenders import ProcurementCallFactory

__all__ = [
    "AlertDeliveryFactory",
    "AlertSubscriptionFactory",
    "FeedbackFactory",
    "InfrastructureFitFactory",
    "MatchFactory",
    "MatchForwardFactory",
    "MatchRunFactory",
    "SupplierInvitationFactory",
]


class MatchRunFactory(factory.django.DjangoModelFactory):
    """A queued run that nothing hands to a worker (``services.call_score_enqueue`` does)."""

    class Meta:
        model = MatchRun

    kind = MatchRun.Kind.CALL
    engine_version = "test"


class MatchFactory(factory.django.DjangoModelFactory):
    """A stored match, as a scoring run leaves it (give ``rank_for_call`` or
    ``rank_for_company`` to place it in a list)."""

    class Meta:
        model = Match

    company = factory.SubFactory(OrganisationFactory)
    call = factory.SubFactory(ProcurementCallFactory)
    score = 0.5
    engine_version = ENGINE_VERSION
    computed_at = factory.LazyFunction(timezone.now)


class InfrastructureFitFactory(factory.django.DjangoModelFactory):
    """A stored infrastructure fit of a company, as an infrastructures run leaves it."""

    class Meta:
        model = InfrastructureFit

    company = factory.SubFactory(OrganisationFactory)
    infrastructure = factory.SubFactory(InfrastructureFactory)
    score = 0.5
    rank = 1
    engine_version = ENGINE_VERSION
    computed_at = factory.LazyFunction(timezone.now)


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(OrganisationFactory)
    call = factory.SubFactory(ProcurementCallFactory)
    relevant = False
    reason = Feedback.Reason.WRONG_DOMAIN


class SupplierInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplierInvitation

    call = factory.SubFactory(ProcurementCallFactory)
    company = factory.SubFactory(OrganisationFactory)
    invited_by = factory.SubFactory(UserFactory)


class MatchForwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchForward

    cluster = factory.SubFactory(ClusterFactory)
    company = factory.SubFactory(OrganisationFactory)
    call = factory.SubFactory(ProcurementCallFactory)
    forwarded_by = factory.SubFactory(UserFactory)


class AlertSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlertSubscription
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    frequency = AlertSubscription.Frequency.DAILY
    threshold = FIT_THRESHOLDS["possible"]


class AlertDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlertDelivery

    subscription = factory.SubFactory(AlertSubscriptionFactory)
    user = factory.SelfAttribute("subscription.user")
    call = factory.SubFactory(ProcurementCallFactory)
    kind = AlertDelivery.Kind.RECOMMENDATION
